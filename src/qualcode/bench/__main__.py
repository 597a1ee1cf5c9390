"""Run every benchmark of :mod:`qualcode.bench`, or the ones named on the command line."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import qualcode.bench


def main(argv: list[str]) -> int:
    """Run the benchmarks named in *argv* (default: all); returns the exit status."""
    available = sorted(
        m.name for m in pkgutil.iter_modules(qualcode.bench.__path__) if not m.name.startswith("_")
    )
    chosen = argv or available
    unknown = [name for name in chosen if name not in available]
    if unknown:
        print(f"unknown benchmark {', '.join(unknown)}; choose from {', '.join(available)}")
        return 2
    for name in chosen:
        module = importlib.import_module(f"qualcode.bench.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        print(f"== {name}", flush=True)
        run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
