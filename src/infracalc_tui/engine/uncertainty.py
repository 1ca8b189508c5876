"""Monte Carlo over the inputs' ranges: percentiles of every figure in one engine call.

The samples of all uncertain inputs go into ``evaluate`` together as arrays of N values,
so 10,000 samples of the whole report are one vectorised pass (benchmarks/analysis_bench.py).
``spec`` entries (``Scenario.uncertainty_spec``) are {low, high, mode, dist, integer}: a
triangular distribution with its mode at the scenario's value unless ``dist = "uniform"``.
Nothing here runs on the TUI's keystroke path: call it from a worker.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import evaluate
from .host import DAYS_PER_MONTH
from .numeric import Array, to_python

#: The figures ``infracalc uncertainty`` summarises by default.
HEADLINE = ("fleet.gpus", "fleet.facility_power_mw", "fleet.annual_cost_usd",
            "fleet.cost_per_million_tokens_usd", "host.profit_usd_per_day",
            "host.break_even_days", "host.npv_usd", "host.max_threads")


def sample(spec: Mapping[str, Mapping[str, Any]], samples: int, seed: int = 0
           ) -> dict[str, Array]:
    """N draws of each uncertain input (keys in sorted order, so a seed is reproducible)."""
    rng = np.random.default_rng(seed)
    out = {}
    for key in sorted(spec):
        e = spec[key]
        if e.get("dist", "triangular") == "uniform":
            x = rng.uniform(e["low"], e["high"], samples)
        else:
            mode = min(max(e["mode"], e["low"]), e["high"])
            x = rng.triangular(e["low"], mode, e["high"], samples)
        out[key] = np.round(x) if e.get("integer") else x
    return out


def simulate(inputs: Mapping[str, Any], spec: Mapping[str, Mapping[str, Any]], samples: int,
             seed: int = 0) -> dict[str, Array]:
    """Every figure for N samples (arrays of shape (N,)), from one ``evaluate`` call."""
    return _drawn(inputs, spec, samples, seed)[1]


def _drawn(inputs: Mapping[str, Any], spec: Mapping[str, Mapping[str, Any]], samples: int,
           seed: int) -> tuple[dict[str, Any], dict[str, Array]]:
    """(the inputs with the drawn ones in, every figure): a band that reads an uncertain
    input itself (the lifespan) needs its draws, which the figures do not carry."""
    values = dict(inputs)
    values.update(sample(spec, samples, seed))
    with np.errstate(all="ignore"):
        return values, evaluate(values)


def summary(x: Array) -> dict[str, float | None]:
    """P10, P50, P90 and mean over the samples where the figure is defined (None: nowhere)."""
    a = np.asarray(x, dtype=float).ravel()
    a = a[np.isfinite(a)]
    if not a.size:
        return {"p10": None, "p50": None, "p90": None, "mean": None}
    p10, p50, p90 = np.percentile(a, [10, 50, 90])
    return {"p10": to_python(p10), "p50": to_python(p50), "p90": to_python(p90),
            "mean": to_python(a.mean())}


def percentiles(inputs: Mapping[str, Any], spec: Mapping[str, Mapping[str, Any]],
                samples: int = 10_000, seed: int = 0,
                metrics: Sequence[str] = HEADLINE) -> dict[str, dict[str, float | None]]:
    """{figure: {p10, p50, p90, mean}} for ``metrics`` over N samples of ``spec``."""
    out = simulate(inputs, spec, samples, seed)
    return {m: summary(np.broadcast_to(np.asarray(out[m], dtype=float), (samples,)))
            for m in metrics}


@dataclass(frozen=True)
class Bands:
    """P10/P50/P90 of a series: ``x`` has shape (K,), each band (K,)."""

    x: Array
    p10: Array
    p50: Array
    p90: Array
    unit: str


def _bands(x: Array, y: Array, unit: str) -> Bands:
    with np.errstate(all="ignore"):
        p10, p50, p90 = np.nanpercentile(y, [10, 50, 90], axis=0)
    return Bands(x, p10, p50, p90, unit)


def profit_projection_bands(inputs: Mapping[str, Any], spec: Mapping[str, Mapping[str, Any]],
                            samples: int = 2_000, seed: int = 0, cycles: int = 1) -> Bands:
    """Cumulative host profit (cash basis, as ``series.profit_projection``) month by month
    over ``cycles`` lifespans of the scenario's lifespan: x = months (K,), bands in $."""
    drawn, out = _drawn(inputs, spec, samples, seed)
    years = spec.get("host.lifespan_years", {}).get("mode") or inputs["host.lifespan_years"]
    life_months = float(years) * 12.0
    months = np.arange(0.0, np.ceil(cycles * life_months - 1e-9) + 1.0)
    # each sample buys its hardware again at the end of its own (drawn) lifespan
    life = np.broadcast_to(np.asarray(drawn["host.lifespan_years"], float) * 12.0,
                           (samples,))[:, None]
    purchases = np.minimum(cycles, np.floor(months / life + 1e-9) + 1.0)
    margin = np.broadcast_to(out["host.margin_usd_per_day"], (samples,))[:, None]
    hardware = np.broadcast_to(out["host.hardware_cost_usd"], (samples,))[:, None]
    profit = margin * months * DAYS_PER_MONTH - hardware * purchases
    return _bands(months, profit, "usd")


def fleet_cost_bands(inputs: Mapping[str, Any], spec: Mapping[str, Mapping[str, Any]],
                     samples: int = 2_000, seed: int = 0) -> Bands:
    """Cumulative fleet cost (capex at year 0, then the yearly opex) over its lifespan:
    x = years 0, 0.25, .. lifespan (K,), bands in $."""
    out = simulate(inputs, spec, samples, seed)
    years = np.arange(0.0, float(inputs["facility.lifespan_years"]) + 1e-9, 0.25)
    capex = np.broadcast_to(out["fleet.capex_usd"], (samples,))[:, None]
    opex = np.broadcast_to(out["fleet.annual_opex_usd"], (samples,))[:, None]
    return _bands(years, capex + opex * years, "usd")
