"""The host as an investment (NPV, IRR), owning against renting, and the API's bill."""

import math
from pathlib import Path

import numpy as np
from pytest import approx

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.engine.alternatives import fleet_own_rent_api, host_own_rent_api
from infracalc_tui.engine.investment import irr_pct, npv
from infracalc_tui.engine.numeric import unique_rows
from infracalc_tui.scenario import load

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")
FLEET = str(ROOT / "scenarios" / "gpt4o-1b-users.toml")


def host(*settings: str) -> dict:
    return report_for(apply_settings(load(HOST), settings))["host"]


def npv_by_hand(rate: float, hardware: float, margin_per_day: float, months: int,
                resale_pct: float) -> float:
    """-H at month 0, M = margin·365/12 at the end of each month, resale at the last."""
    m = margin_per_day * 365 / 12
    flows = sum(m / (1 + rate) ** (k / 12) for k in range(1, months + 1))
    return -hardware + flows + resale_pct / 100 * hardware / (1 + rate) ** (months / 12)


def test_npv_at_zero_rate_is_lifetime_profit() -> None:
    h = host()
    assert math.isclose(h["npv_usd"], h["profit_usd_per_day"] * 365 * 3, rel_tol=1e-12)


def test_npv_identity_with_a_fractional_lifespan() -> None:
    """1.3 years = 15.6 months: 15 whole months and 0.6 of one; still profit/day x 365 x L."""
    h = host("host.lifespan_years=1.3")
    assert math.isclose(h["npv_usd"], h["profit_usd_per_day"] * 365 * 1.3, rel_tol=1e-12)


def test_npv_discounted_by_hand() -> None:
    h = host("host.discount_rate=0.08", "host.resale_pct=20")
    want = npv_by_hand(0.08, h["hardware_cost_usd"], h["margin_usd_per_day"], 36, 20)
    assert math.isclose(h["npv_usd"], want, rel_tol=1e-12)


def test_npv_hand_numbers() -> None:
    """H = 1,200, margin 2/day (M = 60.8333/month), 12 months at 10 %/yr, no resale:
    sum_k 60.8333 / 1.1^(k/12) = 60.8333 x 11.4349... = 695.62..., NPV = -504.37..."""
    months = sum(1 / 1.1 ** (k / 12) for k in range(1, 13))
    assert math.isclose(float(npv(0.1, 1200, 2, 1, 0)), -1200 + 2 * 365 / 12 * months,
                        rel_tol=1e-12)


def test_npv_at_the_irr_is_zero() -> None:
    h = host("pricing.charge_per_minute_usd=0.008")
    r = h["irr_pct"] / 100
    assert 0 < r < 1
    assert abs(npv_by_hand(r, h["hardware_cost_usd"], h["margin_usd_per_day"], 36, 0)) < 1e-6
    again = host("pricing.charge_per_minute_usd=0.008", f"host.discount_rate={r!r}")
    assert abs(again["npv_usd"]) < 1e-6 * h["hardware_cost_usd"]


def test_irr_with_resale_and_negative_rates() -> None:
    """Margin 1/day on H = 2,000 over 3 years returns 1,095: a negative IRR; resale 100 %
    makes every dollar of margin profit: IRR > 0."""
    low = float(irr_pct(2000, 1, 3, 0))
    assert low < 0 and abs(npv_by_hand(low / 100, 2000, 1, 36, 0)) < 1e-6
    high = float(irr_pct(2000, 1, 3, 100))
    assert high > 0 and abs(npv_by_hand(high / 100, 2000, 1, 36, 100)) < 1e-6


def test_irr_of_many_samples_solves_each_distinct_host_once() -> None:
    """300 samples of three hosts (above DEDUPE_ABOVE): each sample's IRR zeroes its own
    NPV by hand, the repeats get their host's rate and a host that never pays back is null."""
    hosts = [(2000.0, 1.0, 3.0, 100.0), (1200.0, 2.0, 1.0, 0.0), (2000.0, -1.0, 3.0, 0.0)]
    rows = [hosts[i % 3] for i in range(300)]
    h, m, years, resale = (np.array(c) for c in zip(*rows, strict=True))
    rates = irr_pct(h, m, years, resale)
    assert rates.shape == (300,)
    for i in (0, 1, 3, 4, 298):
        hh, mm, yy, rr = rows[i]
        assert abs(npv_by_hand(rates[i] / 100, hh, mm, round(yy * 12), rr)) < 1e-6
    assert np.isnan(rates[2::3]).all() and np.isfinite(rates[0::3]).all()
    assert np.array_equal(rates[0::3], np.full(100, rates[0]))


def test_unique_rows_by_hand() -> None:
    """Rows (1, 5), (2, 5), (1, 5), (nan, 5): three distinct plus the NaN row on its own."""
    first, inverse = unique_rows(np.array([1.0, 2.0, 1.0, np.nan]), np.full(4, 5.0))
    assert sorted(first.tolist()) == [0, 1, 3]
    assert inverse[0] == inverse[2] and len({*inverse[[0, 1, 3]].tolist()}) == 3


def test_irr_is_null_when_never_paid_back() -> None:
    assert math.isnan(float(irr_pct(2000, -1, 3, 0)))
    assert host("pricing.charge_per_minute_usd=0")["irr_pct"] is None


def test_host_rent_crossover_by_formula() -> None:
    """own(h) = idle·24·e + D + O + (load − idle)·e·h; rent(h) = g·R·h; equal at
    h* = (idle·24·e + D + O) / (g·R − (load − idle)·e)."""
    s = load(HOST)
    v, h = s.values, report_for(s)["host"]
    e, g, rent = v["host.electricity_usd_per_kwh"], v["host.gpu_count"], v["gpu.rent_usd_per_hour"]
    want = (h["idle_kw"] * 24 * e + h["depreciation_usd_per_day"] + h["other_opex_usd_per_day"]
            ) / (g * rent - (h["load_kw"] - h["idle_kw"]) * e)
    assert math.isclose(h["buy_beats_rent_above_hours_per_day"], want, rel_tol=1e-12)
    assert math.isclose(h["rent_usd_per_day"], g * rent * v["pricing.utilization_hours_per_day"])
    at = host(f"pricing.utilization_hours_per_day={want!r}")
    assert math.isclose(at["cost_usd_per_day"], at["rent_usd_per_day"], rel_tol=1e-9)


def test_rent_crossover_null_when_renting_always_wins() -> None:
    assert host("gpu.rent_usd_per_hour=0.01")["buy_beats_rent_above_hours_per_day"] is None


def test_fleet_rent_crossover_and_api() -> None:
    s = apply_settings(load(FLEET), ["pricing.api_price_per_million_input_tokens_usd=2.5",
                                     "pricing.api_price_per_million_output_tokens_usd=10"])
    f, v = report_for(s)["fleet"], s.values
    assert math.isclose(f["buy_beats_rent_above_utilization"],
                        f["annual_cost_usd"] / (f["gpus"] * v["gpu.rent_usd_per_hour"] * 8760))
    # 1e9 users x 10 queries x 365 x (1000 x $2.5 + 500 x $10) / 1e6 = $27.375B
    assert math.isclose(f["annual_api_usd"], 1e9 * 10 * 365 * (1000 * 2.5 + 500 * 10) / 1e6)
    assert report_for(load(FLEET))["fleet"]["annual_api_usd"] is None


def test_charts_of_owning_renting_and_the_api() -> None:
    s = apply_settings(load(HOST), ["pricing.api_price_per_million_output_tokens_usd=1"])
    c = host_own_rent_api(s.values)
    assert c.x.shape == c.own.shape == c.rent.shape == c.api.shape
    i = int(abs(c.x - 8).argmin())
    h = report_for(s)["host"]
    assert math.isclose(c.own[i], h["cost_usd_per_day"]) and math.isclose(c.rent[i],
                                                                          h["rent_usd_per_day"])
    assert math.isclose(c.api[i], h["api_usd_per_day"])
    f = fleet_own_rent_api(load(FLEET).values)
    assert f.x.shape == f.own.shape == f.rent.shape
    assert math.isclose(f.crossover, report_for(load(FLEET))["fleet"][
        "buy_beats_rent_above_utilization"])


def test_the_own_rent_api_charts_axes_and_lines_by_formula() -> None:
    """Host: hours 0, 0.5, .. 24 (49 points), renting g·R·h a day, the crossover and the
    file's 8 hours marked, $ per day. Fleet: utilisation 1 %..100 % (100 points), owning
    flat at the annual cost, renting GPUs·R·8760·u, the API scaled by u / today's u."""
    s = load(HOST)
    c = host_own_rent_api(s.values)
    assert c.x.tolist() == [k / 2 for k in range(49)]
    g, rent = s.values["host.gpu_count"], s.values["gpu.rent_usd_per_hour"]
    assert np.allclose(c.rent, g * rent * c.x, rtol=1e-12)
    assert (c.current, c.period) == (8.0, "day")
    assert c.crossover == report_for(s)["host"]["buy_beats_rent_above_hours_per_day"]
    fs = apply_settings(load(FLEET), ["pricing.api_price_per_million_output_tokens_usd=10"])
    f, rf = fleet_own_rent_api(fs.values), report_for(fs)["fleet"]
    assert f.x == approx(np.linspace(0.01, 1.0, 100)) and f.period == "year"
    assert np.allclose(f.own, rf["annual_cost_usd"], rtol=1e-12)
    assert np.allclose(f.rent, rf["gpus"] * fs.values["gpu.rent_usd_per_hour"] * 8760 * f.x,
                       rtol=1e-12)
    assert f.current == approx(rf["average_utilization"], rel=1e-12)
    assert np.allclose(f.api, rf["annual_api_usd"] * f.x / f.current, rtol=1e-12)
