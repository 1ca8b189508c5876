"""engine.uncertainty by hand where the mutation run (docs/mutation.md) found no test looking:
the default sample counts and seeds, a seed passed through, undefined samples given as
None, and the silence of the floating-point errors.

The expected draws come from numpy's generator, not from the engine: one uncertain key with
``dist = "uniform"`` is ``default_rng(seed).uniform(low, high, samples)``, and a triangular
one ``default_rng(seed).triangular(low, mode, high, samples)``.

The seed host (llama70b-own-hardware) bills 2 threads for 8 h a day: revenue p x 60 x 8 x 2
= 960 p a day at $p/min; electricity $1.56 a day, no other running costs, $5,200 of
hardware over 3 years. The fleet's yearly opex is only its energy (no colocation, no
other opex), so it is proportional to the electricity price.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from infracalc_tui.engine import uncertainty as u
from infracalc_tui.scenario.presets import presets

HOST = presets()["llama70b-own-hardware"].scenario
FLEET = presets()["gpt4o-1b-users"].scenario
PRICE = {"pricing.charge_per_minute_usd": {"low": 0.01, "high": 0.03, "mode": 0.02,
                                           "dist": "uniform"}}
ELECTRICITY = {"facility.electricity_usd_per_kwh": {"low": 0.05, "high": 0.1, "mode": 0.08}}


def prices(samples: int, seed: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.01, 0.03, samples)


def test_simulate_defaults_to_seed_zero() -> None:
    revenue = u.simulate(HOST.inputs, PRICE, 3)["host.revenue_usd_per_day"]
    assert revenue == pytest.approx(960 * prices(3, 0), rel=1e-12)


def test_simulate_keeps_floating_point_errors_quiet() -> None:
    """No users: the fleet's per-user figures divide by zero, silently (the engine makes
    them NaN); no warning escapes the Monte Carlo."""
    inputs = dict(HOST.inputs, **{"fleet.users": 0})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = u.simulate(inputs, PRICE, 4)
    assert out["host.revenue_usd_per_day"] == pytest.approx(960 * prices(4, 0), rel=1e-12)


def test_bands_keep_floating_point_errors_quiet() -> None:
    """Samples 1, inf, inf: P10 lies between 1 and inf, so it is inf; the inf - inf of the
    higher percentiles raises no warning."""
    y = np.array([[1.0], [np.inf], [np.inf]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        b = u._bands(np.arange(1.0), y, "usd")
    assert b.p10.tolist() == [np.inf]


def test_summary_counts_a_none_as_undefined() -> None:
    """1, None, 3: the None is left out; of 1 and 3, P10 = 1 + 0.1 x 2 = 1.2, P50 = 2,
    P90 = 2.8, mean 2."""
    got = u.summary([1.0, None, 3.0])  # type: ignore[arg-type]
    assert got == pytest.approx({"p10": 1.2, "p50": 2.0, "p90": 2.8, "mean": 2.0})


def test_percentiles_default_to_10000_samples_of_seed_zero() -> None:
    """Revenue = 960 p is increasing and linear in p, so its percentiles are 960 x those of
    the price draws (numpy's linear interpolation commutes with it)."""
    got = u.percentiles(HOST.inputs, PRICE, metrics=["host.revenue_usd_per_day"])
    p = prices(10_000, 0)
    q = got["host.revenue_usd_per_day"]
    assert q["p10"] == pytest.approx(960 * np.percentile(p, 10), rel=1e-12)
    assert q["p90"] == pytest.approx(960 * np.percentile(p, 90), rel=1e-12)
    assert q["mean"] == pytest.approx(960 * p.mean(), rel=1e-12)


def profit_at(month: int, p: float) -> float:
    """One purchase, before the replacement: (960 p - 1.56) x month x 365/12 - 5200."""
    return (960 * p - 1.56) * month * 365 / 12 - 5200


@pytest.mark.parametrize(("kwargs", "samples", "seed"), [({}, 2000, 0),
                                                         ({"seed": 5}, 2000, 5)])
def test_profit_bands_draw_2000_samples_of_the_seed(kwargs: dict, samples: int,
                                                    seed: int) -> None:
    b = u.profit_projection_bands(HOST.inputs, PRICE, **kwargs)
    p = prices(samples, seed)
    for band, q in ((b.p10, 10), (b.p50, 50), (b.p90, 90)):
        assert band[12] == pytest.approx(profit_at(12, np.percentile(p, q)), rel=1e-9)


@pytest.mark.parametrize(("kwargs", "seed"), [({}, 0), ({"seed": 3}, 3)])
def test_fleet_cost_bands_draw_2000_samples_of_the_seed(kwargs: dict, seed: int) -> None:
    """Cost at year y = capex + opex x y, opex = (energy a year) x price: at each percentile
    the opex over the price's same percentile of the draws is the same energy a year, and
    year 0 is the capex."""
    b = u.fleet_cost_bands(FLEET.inputs, ELECTRICITY, **kwargs)
    assert b.unit == "usd"
    capex = b.p50[0]
    assert b.p10[0] == b.p90[0] == capex
    e = np.random.default_rng(seed).triangular(0.05, 0.08, 0.1, 2000)
    energy = [(band[4] - capex) / np.percentile(e, q)  # one year: x[4] = 1.0
              for band, q in ((b.p10, 10), (b.p50, 50), (b.p90, 90))]
    assert b.x[4] == 1.0
    assert energy[0] == pytest.approx(energy[1], rel=1e-9)
    assert energy[2] == pytest.approx(energy[1], rel=1e-9)
