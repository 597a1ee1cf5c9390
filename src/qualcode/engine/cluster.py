"""Choosing the engine: this machine's process pool, a Dask ``LocalCluster``, or a scheduler.

``dask.distributed`` is optional (``pip install 'qualcode[dask]'``) and imported
only here and on the workers, only when a Dask engine is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from qualcode.errors import ArgumentError, ClusterError, DependencyError

__all__ = ["ENGINES", "connect", "dask_client", "require_distributed", "worker_count"]

#: ``--engine`` choices: the local process pool, or a Dask cluster on this machine.
ENGINES = ("local", "dask")
#: How long to wait for a worker to join a scheduler that has none, in seconds.
WORKER_WAIT = 60


def require_distributed() -> Any:
    """The ``distributed`` module, or a ``DependencyError`` saying how to install it."""
    try:
        import distributed
    except ImportError:
        raise DependencyError(
            "the Dask engine needs dask.distributed, which is not installed; "
            "install it with: pip install 'qualcode[dask]'"
        ) from None
    return distributed


def connect(address: str, *, timeout: float | str | None = None) -> Any:
    """A ``distributed.Client`` joined to the scheduler at *address* that has workers.

    *timeout* is how long to try to connect (default: Dask's
    ``distributed.comm.timeouts.connect``). Raises ``ClusterError`` naming the
    address when the scheduler cannot be reached, or has no worker.
    """
    distributed = require_distributed()
    import dask

    wait = timeout if timeout is not None else dask.config.get("distributed.comm.timeouts.connect")
    try:
        client = distributed.Client(address, timeout=wait, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ClusterError(
            f"cannot reach the Dask scheduler at {address} ({reason}); check the address "
            "and that 'dask scheduler' runs there and accepts connections from this machine"
        ) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT)
    except (OSError, TimeoutError) as exc:
        client.close()
        raise ClusterError(
            f"the Dask scheduler at {address} has no workers (waited {WORKER_WAIT} s); "
            f"start some with: dask worker {address}"
        ) from exc
    return client


def worker_count(client: Any) -> int:
    """How many workers the cluster of *client* has now."""
    return max(1, len(client.scheduler_info().get("workers", {})))


@contextmanager
def dask_client(
    *, scheduler: str | None = None, engine: str = "local", workers: int | None = None
) -> Iterator[Any]:
    """A Dask client for the engine chosen, closed afterwards; None for the local engine.

    *scheduler* is the address of a running ``dask scheduler`` (it implies the
    Dask engine); *engine* ``dask`` without it starts a ``LocalCluster`` of
    *workers* processes (default: one per core), one thread each.
    """
    if engine not in ENGINES:
        raise ArgumentError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
    if scheduler is None and engine == "local":
        yield None
        return
    if scheduler is not None:
        client = connect(scheduler)
        try:
            yield client
        finally:
            client.close()
        return
    distributed = require_distributed()
    with (
        distributed.LocalCluster(
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster, set_as_default=False) as client,
    ):
        yield client
