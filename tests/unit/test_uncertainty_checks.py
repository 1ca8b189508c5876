"""The ``[uncertainty]`` table's checks, word for word, and the Monte Carlo's summaries by
hand (engine.uncertainty): what a user reads when an entry is wrong, and what P10/P50/P90
mean."""

from __future__ import annotations

import numpy as np
import pytest

from infracalc_tui.engine import uncertainty as u
from infracalc_tui.scenario.uncertain import parse_uncertainty

ENTRY = "(optional mode, dist = triangular or uniform)"


def test_every_bad_entry_is_named_and_the_good_ones_kept() -> None:
    """One table with each mistake once: each is reported in turn (a bad entry never stops
    the check of the next), with the file and line, and the two good entries come back."""
    table = {
        "nope.x": {"low": 1, "high": 2},
        "model.preset": {"low": 1, "high": 2},  # a text key: no range to sample
        "serving.mbu": 5,
        "serving.mfu": {"low": 0.1},
        "fleet.users": {"low": 1, "high": 2, "shape": "x"},
        "fleet.redundancy": {"low": 0, "high": 1, "dist": "normal"},
        "fleet.peak_to_average": {"low": 3, "high": 2},
        "facility.pue": {"low": 1.1, "high": 1.5, "mode": 2},
        "serving.prefill_mfu": {"low": -1, "high": 0.5},
        "gpu.price_usd": {"low": 1000, "high": 2000, "dist": "uniform"},
        "host.gpu_count": {"low": 1, "high": 4},
    }
    out, problems = parse_uncertainty(table, "f.toml", 7)
    unknown = 'unknown or non-numeric key; give a numeric scenario key such as "serving.mbu"'
    assert [(p.key, p.message) for p in problems] == [
        ("uncertainty.nope.x", unknown),
        ("uncertainty.model.preset", unknown),
        ("uncertainty.serving.mbu", f"5: expected {{ low = .., high = .. }} {ENTRY}"),
        ("uncertainty.serving.mfu", f"a table {{...}}: expected {{ low = .., high = .. }} "
                                    f"{ENTRY}"),
        ("uncertainty.fleet.users", "unknown field 'shape'; allowed: low, high, mode, dist"),
        ("uncertainty.fleet.redundancy", "dist 'normal': must be one of triangular, uniform"),
        ("uncertainty.fleet.peak_to_average", "low (3) must be below high (2)"),
        ("uncertainty.facility.pue", "mode (2) must be from low (1.1) to high (1.5)"),
        ("uncertainty.serving.prefill_mfu",
         "low -1: out of range: must be a number from 0.01 to 1"),
    ]
    assert {(p.source, p.line) for p in problems} == {("f.toml", 7)}
    assert out == {"gpu.price_usd": {"dist": "uniform", "low": 1000.0, "high": 2000.0},
                   "host.gpu_count": {"low": 1, "high": 4}}
    assert "dist" not in out["host.gpu_count"]  # absent: triangular, not written out


def test_a_table_that_is_not_a_table() -> None:
    out, problems = parse_uncertainty([1], "f.toml", 3)
    assert out == {}
    assert [(p.source, p.key, p.line) for p in problems] == [("f.toml", "uncertainty", 3)]
    assert problems[0].message == ("an array of 1 item(s): expected a table of KEY = "
                                   "{ low = .., high = .. }")


def test_summary_is_numpys_linear_percentiles_and_the_mean() -> None:
    """1..10: P10 = 1 + 0.1·9 = 1.9, P50 = 5.5, P90 = 1 + 0.9·9 = 9.1, mean 5.5; the NaN
    samples are left out; none defined gives nulls under the same names."""
    got = u.summary(np.array([*range(1, 11), np.nan], dtype=float))
    assert got == pytest.approx({"p10": 1.9, "p50": 5.5, "p90": 9.1, "mean": 5.5})
    assert u.summary(np.array([np.nan, np.inf])) == {"p10": None, "p50": None, "p90": None,
                                                      "mean": None}


def test_bands_are_the_10th_50th_and_90th_percentile_of_each_column() -> None:
    """Eleven samples 0..10 of each point: P10 = 1, P50 = 5, P90 = 9 exactly (a NaN sample
    is ignored)."""
    y = np.tile(np.arange(11.0)[:, None], (1, 3))
    y = np.vstack([y, np.full((1, 3), np.nan)])
    b = u._bands(np.arange(3.0), y, "usd")
    assert (b.p10.tolist(), b.p50.tolist(), b.p90.tolist()) == ([1.0] * 3, [5.0] * 3,
                                                                [9.0] * 3)


def test_an_entry_without_dist_is_triangular_and_integer_keys_draw_whole_numbers() -> None:
    """Triangular(0, mode 0, 1) has mean 1/3 (a uniform one 1/2); 20,000 draws are within
    0.01 of it. An integer key's draws are rounded."""
    x = u.sample({"a": {"low": 0.0, "high": 1.0, "mode": 0.0}}, 20_000)["a"]
    assert abs(x.mean() - 1 / 3) < 0.01
    n = u.sample({"n": {"low": 1.0, "high": 8.0, "mode": 4.0, "integer": True}}, 1000)["n"]
    assert np.array_equal(n, np.round(n)) and n.min() >= 1 and n.max() <= 8
    assert len(np.unique(n)) > 2


def test_the_default_seed_is_zero() -> None:
    """The CLI's --seed defaults to 0 and so does the engine: the same draws."""
    spec = {"a": {"low": 0.0, "high": 1.0, "mode": 0.5}}
    rng = np.random.default_rng(0)
    assert np.array_equal(u.sample(spec, 5)["a"], rng.triangular(0.0, 0.5, 1.0, 5))


def test_profit_bands_by_hand() -> None:
    """Cumulative cash profit = margin x month x 365/12 − hardware x purchases, purchases =
    min(cycles, floor(month / life) + 1): $5,200 bought at month 0 and again at 36. The
    price uniform on $0.019..0.021 has its median near $0.02, the file's price, whose margin
    is $17.64/day; months run 0..cycles x 36, or over the lifespan's mode when that is
    uncertain."""
    from infracalc_tui.calc import report_for
    from infracalc_tui.scenario.presets import presets

    s = presets()["llama70b-own-hardware"].scenario
    margin = report_for(s)["host"]["margin_usd_per_day"]
    assert margin == pytest.approx(17.64)
    spec = {"pricing.charge_per_minute_usd": {"low": 0.019, "high": 0.021, "mode": 0.02,
                                              "dist": "uniform"}}
    b = u.profit_projection_bands(s.inputs, spec, cycles=2)
    assert b.x.tolist() == list(range(73)) and b.unit == "usd"
    assert (b.p10[0], b.p50[0], b.p90[0]) == (-5200.0, -5200.0, -5200.0)
    assert b.p50[35] == pytest.approx(margin * 35 * 365 / 12 - 5200, rel=2e-3)
    assert b.p50[36] == pytest.approx(margin * 36 * 365 / 12 - 2 * 5200, rel=2e-3)
    assert b.p10[36] < b.p50[36] < b.p90[36]
    life = {"host.lifespan_years": {"low": 2.0, "high": 5.0, "mode": 4.0}}
    assert u.profit_projection_bands(s.inputs, life).x[-1] == 48  # the mode's 4 years


def test_profit_bands_buy_again_at_each_samples_own_lifespan() -> None:
    """An uncertain lifespan of 2 to 2.5 years (24..30 months; the file says 3): at month 23
    no sample has bought twice, at month 31 every one has, whatever its draw. The margin
    ($17.64/day) does not depend on the lifespan, so all three bands agree there:
    month 23: 17.64 x 23 x 365/12 − 5,200 = 7,140.65;
    month 31: 17.64 x 31 x 365/12 − 2 x 5,200 = 6,233.05 (with the file's 3 years, one
    purchase: 11,433.05)."""
    from infracalc_tui.scenario.presets import presets

    s = presets()["llama70b-own-hardware"].scenario
    life = {"host.lifespan_years": {"low": 2.0, "high": 2.5, "mode": 2.25, "dist": "uniform"}}
    b = u.profit_projection_bands(s.inputs, life, cycles=2)
    assert b.x[-1] == 54  # 2 x the mode's 27 months
    for band in (b.p10, b.p50, b.p90):
        assert band[23] == pytest.approx(17.64 * 23 * 365 / 12 - 5200, abs=0.01)
        assert band[31] == pytest.approx(17.64 * 31 * 365 / 12 - 2 * 5200, abs=0.01)


def test_fleet_cost_bands_by_hand() -> None:
    """capex + yearly opex x years, every quarter over the 4-year life: with only the
    electricity price uncertain, year 0 is the capex in every sample."""
    from infracalc_tui.calc import report_for
    from infracalc_tui.scenario.presets import presets

    f = presets()["gpt4o-1b-users"].scenario
    capex = report_for(f)["fleet"]["capex_usd"]
    spec = {"facility.electricity_usd_per_kwh": {"low": 0.05, "high": 0.1, "mode": 0.08}}
    b = u.fleet_cost_bands(f.inputs, spec)
    assert b.x.tolist() == [q / 4 for q in range(17)]
    assert b.p10[0] == b.p90[0] == pytest.approx(capex, rel=1e-12)
    assert b.p10[-1] < b.p50[-1] < b.p90[-1]
    # opex grows with the electricity price: at 4 years, P50 − capex is 4 x a median opex
    assert (b.p50[-1] - capex) / 4 == pytest.approx((b.p50[4] - capex), rel=1e-9)
