"""Benchmark runner: `python benchmarks/run.py`. Measures every target of the performance
issue side by side in one run, prints a table, then one JSON object as the last line.

Benchmarks are not tests: CI does not run them and timings never fail a build.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_bench
import change_bench
import engine_bench
import terminal_bench

# key: (label, unit, target, lower is better)
TARGETS = {
    "startup_ms": ("cold start to headline figures (tmux)", "ms", None),
    "startup_bare_ms": ("cold start, bare Textual app", "ms", None),
    "startup_ratio": ("start-up / bare start-up", "x", 1.5),
    "figures_p50_ms": ("one change to its figures, median", "ms", None),
    "figures_p95_ms": ("one change to its figures, p95", "ms", 16.7),
    "figures_p95_ms_fleet": ("  p95 on Fleet", "ms", 16.7),
    "figures_p95_ms_host": ("  p95 on Host", "ms", 16.7),
    "figures_p95_ms_compare": ("  p95 on Compare", "ms", 16.7),
    "figures_p95_ms_fleet_bands": ("  p95 on Fleet, uncertainty bands on", "ms", 16.7),
    "figures_p95_ms_host_bands": ("  p95 on Host, uncertainty bands on", "ms", 16.7),
    "change_p50_ms": ("one change to its charts too, median", "ms", None),
    "change_p95_ms": ("one change to its charts too, p95", "ms", 33.0),
    "change_p95_ms_fleet": ("  p95 on Fleet", "ms", 33.0),
    "change_p95_ms_host": ("  p95 on Host", "ms", 33.0),
    "change_p95_ms_compare": ("  p95 on Compare", "ms", 33.0),
    "change_p95_ms_fleet_bands": ("  p95 on Fleet, bands on", "ms", 33.0),
    "change_p95_ms_host_bands": ("  p95 on Host, bands on", "ms", 33.0),
    "settle_after_burst_ms": ("settle after 2 s of 30 changes/s", "ms", 100.0),
    "engine_recompute_ms": ("engine: both tabs, every figure and grid", "ms", 5.0),
    "mc_10k_ms": ("Monte Carlo, 10,000 samples, slowest kind", "ms", 50.0),
    "engine_grid_100_ms": ("engine: 100x100 grid", "ms", 2.0),
    "engine_pointwise_grid_100_ms": ("engine: same grid point by point", "ms", None),
    "engine_vector_speedup": ("engine: vectorised speed-up", "x", -50.0),
    "bytes_per_change": ("bytes to the terminal per change (median)", "B", 25_000.0),
    "bytes_per_change_max": ("  largest change", "B", 25_000.0),
    "idle_bytes_per_s": ("idle traffic, cursor blink off", "B/s", 0.0),
    "idle_bytes_per_s_blinking": ("idle traffic, cursor blink on", "B/s", None),
    "rss_mb": ("resident memory", "MB", 150.0),
    "rss_growth_mb": ("memory growth over 1,000 changes", "MB", 5.0),
}
JSON_KEYS = ("startup_ms", "startup_bare_ms", "startup_ratio", "figures_p50_ms",
             "figures_p95_ms", "change_p50_ms", "change_p95_ms", "mc_10k_ms",
             "settle_after_burst_ms", "engine_recompute_ms",
             "engine_grid_100_ms", "engine_vector_speedup", "bytes_per_change",
             "idle_bytes_per_s", "rss_mb", "rss_growth_mb")


def verdict(value: float, target: float | None) -> str:
    if target is None:
        return ""
    ok = value >= -target if target < 0 else value <= target
    bound = f">= {-target:g}" if target < 0 else f"<= {target:g}"
    return f"{bound:>10}  {'ok' if ok else 'MISSED'}"


def main() -> None:
    results: dict[str, float] = {}
    results.update(engine_bench.run())
    results.update(analysis_bench.monte_carlo())
    results.update(change_bench.run())
    results.update(terminal_bench.startup())
    results.update(terminal_bench.traffic())
    print(f"{'measure':44} {'value':>10} {'unit':4} {'target':>10}")
    for key, (label, unit, target) in TARGETS.items():
        if key in results:
            print(f"{label:44} {results[key]:10.2f} {unit:4} {verdict(results[key], target)}")
    print(json.dumps({k: round(results[k], 3) for k in JSON_KEYS if k in results}))


if __name__ == "__main__":
    main()
