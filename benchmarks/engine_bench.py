"""Engine timings: one full recompute, a 100x100 profitability grid, and the vector speed-up.

Medians over many repetitions, measured side by side in one run (this machine is noisy).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

import numpy as np

from infracalc_tui.calc import report_for
from infracalc_tui.engine.evaluate import Values, host_capacity, host_economics
from infracalc_tui.engine.series import (
    fleet_cost_breakdown,
    fleet_cost_vs_utilization,
    fleet_users_sweep,
    host_cost_breakdown,
    price_frontier,
    profit_grid_price_hours,
    profit_grid_threads_hours,
    profit_projection,
)
from infracalc_tui.scenario.presets import presets


def median_ms(fn: Callable[[], object], repeat: int = 200) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def recompute_everything(values: dict, scenario) -> None:
    """Every figure and chart series of both tabs, as the TUI asks for them."""
    report_for(scenario)
    fleet_users_sweep(values)
    fleet_cost_vs_utilization(values)
    fleet_cost_breakdown(values)
    profit_projection(values)
    host_cost_breakdown(values)
    price_frontier(values)
    profit_grid_threads_hours(values)
    profit_grid_price_hours(values)


def grid_100(values: dict) -> np.ndarray:
    return profit_grid_threads_hours(values, threads=np.arange(1.0, 101.0),
                                     hours=np.linspace(0.24, 24.0, 100)).z


def grid_100_pointwise(values: dict) -> np.ndarray:
    cap = host_capacity(Values(values))  # what the hardware serves: billing stops there
    out = np.empty((100, 100))
    for i, c in enumerate(np.arange(1.0, 101.0)):
        for j, h in enumerate(np.linspace(0.24, 24.0, 100)):
            v = {**values, "pricing.concurrent_threads": c,
                 "pricing.utilization_hours_per_day": h}
            out[i, j] = float(host_economics(Values(v), cap["host.decode_tokens_per_s_per_stream"],
                                             cap["host.max_threads"])["host.profit_usd_per_day"])
    return out


def run() -> dict[str, float]:
    scenario = presets()["llama70b-own-hardware"].scenario
    values = scenario.values
    assert np.allclose(grid_100(values), grid_100_pointwise(values))
    recompute = median_ms(lambda: recompute_everything(values, scenario), 100)
    grid = median_ms(lambda: grid_100(values), 300)
    pointwise = median_ms(lambda: grid_100_pointwise(values), 5)
    return {"engine_recompute_ms": recompute, "engine_grid_100_ms": grid,
            "engine_pointwise_grid_100_ms": pointwise,
            "engine_vector_speedup": pointwise / grid}


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:32} {value:10.3f}")
