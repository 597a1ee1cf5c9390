"""The Dask engine against the local one: throughput with 1 and 2 workers, and its overhead.

The corpus is the auto-coding benchmark's generated one (sample sentences
recombined, fixed seed), written as ``.txt`` records of about 1,200 words into
a temporary folder, so that both engines do the whole job of ``qualcode
autocode``: list and read the records, find paragraphs and turns, code them,
write one codings CSV. The local engine runs ``autocode_corpus`` with every
core; the Dask engine runs ``autocode_records`` on a ``distributed.LocalCluster``
of 1 and of 2 worker processes (one thread each). Starting a cluster, and each
worker's first task (loading spaCy, the codebook and the learned model), are
not timed: every side runs once untimed, then best of ``REPEATS``. The codings
of every run are checked to be the same file.

Reported: words per second of each; scaling efficiency (2-worker throughput /
(2 x 1-worker throughput); target >= 0.8) and overhead (Dask with as many
workers as cores / local engine, in time; target <= 1.3).
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["run"]

WORDS = 400_000
REPEATS = 2


def _write_corpus(folder: Path, words: int) -> int:
    from qualcode.bench.autocode import generate_texts

    total = 0
    for name, text, n in generate_texts(words):
        (folder / name).write_text(text, encoding="utf-8")
        total += n
    return total


def _best(job: Callable[[], Path]) -> tuple[float, bytes]:
    job()  # warm: first tasks load spaCy, the codebook and the model
    times = []
    out = b""
    for _ in range(REPEATS):
        start = time.perf_counter()
        path = job()
        times.append(time.perf_counter() - start)
        out = path.read_bytes()
    return min(times), out


def run() -> None:
    """Measure and print local and Dask auto-coding throughput on the same folder of records."""
    import distributed

    from qualcode.bench.autocode import CODEBOOK, SEED
    from qualcode.codebook import load_codebook
    from qualcode.coding.autocoder import autocode_corpus
    from qualcode.corpus import load_corpus
    from qualcode.engine.autocode import autocode_records
    from qualcode.engine.records import RecordSource

    cores = os.cpu_count() or 1
    codebook = load_codebook(CODEBOOK)
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-engine-") as tmp:
        folder = Path(tmp) / "records"
        folder.mkdir()
        words = _write_corpus(folder, WORDS)
        out = Path(tmp) / "codings.csv"

        def local() -> Path:
            autocode_corpus(load_corpus(folder), codebook, out, workers=cores)
            return out

        results: dict[str, tuple[float, bytes]] = {"local": _best(local)}
        for n in sorted({1, 2, cores}):
            with (
                distributed.LocalCluster(
                    n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"
                ) as cluster,
                distributed.Client(cluster, set_as_default=False) as client,
            ):

                def dask(client: Any = client) -> Path:
                    autocode_records(RecordSource.open(folder), codebook, out, client=client)
                    return out

                results[f"dask{n}"] = _best(dask)
    same = len({data for _, data in results.values()}) == 1
    rate = {k: words / seconds for k, (seconds, _) in results.items()}
    print(
        f"corpus: {words:,} generated words in {words // 1200:,} records "
        f"(sample sentences recombined, seed {SEED}); best of {REPEATS} warm runs each"
    )
    print(f"local engine ({cores} processes):      {rate['local']:>10,.0f} words/s")
    for n in sorted({1, 2, cores}):
        print(f"Dask LocalCluster, {n} worker(s):     {rate[f'dask{n}']:>10,.0f} words/s")
    efficiency = rate["dask2"] / (2 * rate["dask1"])
    overhead = results[f"dask{cores}"][0] / results["local"][0]
    print(f"scaling efficiency 1 -> 2 workers: {efficiency:.2f} (target >= 0.80)")
    print(
        f"overhead, Dask ({cores} workers) / local engine, in time: {overhead:.2f}x "
        "(target <= 1.30)"
    )
    print(f"per-worker throughput (1 worker): {rate['dask1']:,.0f} words/s")
    print(f"codings identical in every run: {'yes' if same else 'NO'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"load average at the end: {load:.1f} on {cores} cores (other work on the machine "
        "slows the second worker first: compare runs at similar load)"
    )
