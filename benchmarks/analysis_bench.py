"""Analysis timings: Monte Carlo of the whole report, sensitivity, goal seek (medians, ms).

Not a test: `PYTHONPATH=src python3 benchmarks/analysis_bench.py`. The issue's target is
10,000 samples of the full report in under 50 ms; each case prints its median.
"""

from __future__ import annotations

from collections.abc import Callable

from engine_bench import median_ms as _median_ms

from infracalc_tui.cli_analysis import swingable_inputs
from infracalc_tui.engine.sensitivity import sensitivity
from infracalc_tui.engine.solve import solve
from infracalc_tui.engine.uncertainty import percentiles
from infracalc_tui.scenario import parse

SCENARIOS = {
    "host prices (pricing.*, host.*)": {
        "pricing.charge_per_minute_usd": (0.01, 0.05), "pricing.utilization_hours_per_day":
        (4, 12), "host.electricity_usd_per_kwh": (0.08, 0.3)},
    "fleet demand (fleet.*, facility.*)": {
        "fleet.users": (5e8, 2e9), "fleet.peak_to_average": (1.2, 2.5),
        "facility.electricity_usd_per_kwh": (0.05, 0.12)},
    "efficiency (serving.mbu, mfu)": {"serving.mbu": (0.35, 0.6), "serving.mfu": (0.2, 0.5)},
}


def median_ms(fn: Callable[[], object]) -> float:
    """engine_bench's timer, 15 runs: a 10,000-sample Monte Carlo is ~100 ms."""
    return _median_ms(fn, repeat=15)


def scenario(ranges: dict[str, tuple[float, float]]):
    lines = ['name = "bench"', "[uncertainty]"]
    lines += [f'"{k}" = {{ low = {lo!r}, high = {hi!r}, dist = "uniform" }}'
              for k, (lo, hi) in ranges.items()]
    return parse("\n".join(lines))


def monte_carlo() -> dict[str, float]:
    """Median ms of 10,000 samples of the whole report, per kind of uncertain input, and
    the slowest of them (``mc_10k_ms``: the issue's target)."""
    out = {}
    for label, ranges in SCENARIOS.items():
        s = scenario(ranges)
        spec, inputs = s.uncertainty_spec(), s.inputs
        out[label] = median_ms(lambda: percentiles(inputs, spec, 10_000, 0))  # noqa: B023
    return {"mc_10k_ms": max(out.values()), **{f"mc_10k_ms {k}": v for k, v in out.items()}}


def main() -> None:
    for key, ms in monte_carlo().items():
        if key != "mc_10k_ms":
            print(f"uncertainty, 10,000 samples, {key.split(' ', 1)[1]:36} {ms:7.1f} ms")
    s = scenario({})
    inputs = swingable_inputs(s)
    ms = median_ms(lambda: sensitivity(s.inputs, "host.profit_usd_per_day", inputs))
    print(f"sensitivity, {len(inputs)} inputs x 2 points, one call {'':17} {ms:7.1f} ms")
    ms = median_ms(lambda: solve(s.inputs, "host.profit_usd_per_day", 0,
                                 "pricing.charge_per_minute_usd", 0, 10_000))
    print(f"solve, break-even price {'':38} {ms:7.1f} ms")
    ms = median_ms(lambda: solve(s.inputs, "fleet.annual_cost_usd", 1e9, "fleet.users", 1,
                                 1e12))
    print(f"solve, users a $1B budget serves (a step function) {'':11} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
