"""Benchmarks, run by ``make bench`` (``python -m qualcode.bench [NAME ...]``).

Each module of this package with a ``run() -> None`` function is one benchmark;
it prints its own figures. Speed is always reported as a ratio against a
baseline measured in the same run, never as a bare wall-clock number to
compare across machines.
"""
