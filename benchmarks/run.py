"""Benchmark runner: `python benchmarks/run.py`. Prints a table, then one JSON line.

Benchmarks are not tests: CI does not run them and timings never fail a build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import engine_bench


def main() -> None:
    results: dict[str, float] = {}
    results.update(engine_bench.run())
    width = max(len(k) for k in results)
    print(f"{'measure':{width}}  median")
    for key, value in results.items():
        print(f"{key:{width}}  {value:10.3f}")
    print(json.dumps({k: round(v, 3) for k, v in results.items()}))


if __name__ == "__main__":
    main()
