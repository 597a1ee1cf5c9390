"""Running one function over the partitions of a corpus on a Dask cluster, results in order.

The codebook is sent to every worker once (``scatter(broadcast=True)``) and
compiled there once per process (:func:`qualcode.coding.autocoder.coder_for`):
a task carries only its partition (record names and their respondents-table
rows). Tasks return plain tables (pandas frames of numbers and strings), never
spaCy objects. Results are taken in partition order, so whatever order the
workers finish in, the output is the same; a task whose worker dies is run
again by the scheduler on another worker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from qualcode.engine.cluster import require_distributed
from qualcode.engine.records import Part
from qualcode.errors import ClusterError

__all__ = ["run_parts"]

R = TypeVar("R")


def run_parts(
    client: Any,
    work: Callable[..., R],
    parts: Sequence[Part],
    *shared: Any,
    progress: Callable[[Iterator[R]], Iterator[R]] | None = None,
) -> Iterator[R]:
    """``work(part, *shared)`` for every part on the cluster of *client*, yielded in order.

    *shared* objects (the codebook, options) go to every worker once. A result
    is released on the cluster as soon as it is yielded. A partition whose task
    keeps killing its workers raises ``ClusterError`` naming its records.
    """
    distributed = require_distributed()
    sent = [client.scatter(item, broadcast=True, hash=False) for item in shared]
    futures = [client.submit(work, part, *sent, pure=False) for part in parts]

    def results() -> Iterator[R]:
        try:
            for part, future in zip(parts, futures, strict=True):
                try:
                    result: R = future.result()
                except distributed.KilledWorker:
                    names = ", ".join(part.names[:3]) + (" ..." if len(part.names) > 3 else "")
                    raise ClusterError(
                        f"partition {part.index} ({names}) killed every Dask worker that ran "
                        "it; check the workers' memory limit and logs"
                    ) from None
                future.release()
                yield result
        finally:
            for future in futures:
                future.release()
            for future in sent:
                future.release()

    stream = results()
    return progress(stream) if progress is not None else stream
