"""Fleet sizing against hand-computed values (engine-spec 'Fleet')."""

import math

from pytest import approx

from .helpers import report


def _round_fleet(**kw):
    r = report(**kw)
    return r["throughput"], r["fleet"]


def test_fleet_chain_by_hand() -> None:
    t, f = _round_fleet()
    decode, prefill = t["decode_tokens_per_s_per_gpu"], 25_000.0
    q = 1_000_000 * 10  # queries per day
    gpu_s = 500 / decode + 1000 / prefill
    busy = q * gpu_s / 86_400
    gpus = math.ceil(busy * 1.5 / 0.75 * 1.2)  # TP = 1, so any whole number of GPUs
    servers = math.ceil(gpus / 8)
    it_w = gpus * 500 + servers * 3000
    avg_w = it_w * 1.25 * 0.8
    capex = gpus * 20_000 + servers * 100_000
    energy_kwh = avg_w * 8760 / 1000
    annual = capex / 4 + energy_kwh * 0.1
    tokens_m = q * 365 * 1500 / 1e6
    assert f["queries_per_day"] == q
    assert f["gpu_seconds_per_query"] == approx(gpu_s)
    assert f["avg_busy_gpus"] == approx(busy)
    assert f["gpus"] == gpus
    assert f["servers"] == servers
    assert f["it_power_mw"] == approx(it_w / 1e6)
    assert f["facility_power_mw"] == approx(it_w * 1.25 / 1e6)
    assert f["avg_facility_power_mw"] == approx(avg_w / 1e6)
    assert f["energy_gwh_per_year"] == approx(energy_kwh / 1e6)
    assert f["energy_per_query_wh"] == approx(avg_w * 24 / q)
    assert f["capex_usd"] == capex
    assert f["annual_capex_usd"] == approx(capex / 4)
    assert f["annual_opex_usd"] == approx(energy_kwh * 0.1)
    assert f["annual_cost_usd"] == approx(annual)
    assert f["cost_per_million_tokens_usd"] == approx(annual / tokens_m)
    assert f["cost_per_user_per_month_usd"] == approx(annual / 12 / 1_000_000)
    assert f["cost_per_query_usd"] == approx(annual / (q * 365))
    assert f["annual_revenue_usd"] is None and f["annual_profit_usd"] is None


def test_gpus_round_up_to_whole_replicas() -> None:
    t, f = _round_fleet(serving__tensor_parallel=8)
    assert t["tensor_parallel"] == 8
    assert f["gpus"] % 8 == 0
    assert f["gpus"] - 8 < f["planned_gpus"] <= f["gpus"]


def test_one_user_still_needs_one_replica() -> None:
    _, f = _round_fleet(fleet__users=1, serving__tensor_parallel=4)
    assert f["gpus"] == 4 and f["servers"] == 1


def test_discounted_capital_recovery() -> None:
    _, f = _round_fleet(facility__discount_rate=0.1)
    r, n = 0.1, 4
    crf = r * (1 + r) ** n / ((1 + r) ** n - 1)  # 0.315471
    assert crf == approx(0.3154708, rel=1e-6)
    assert f["annual_capex_usd"] == approx(f["capex_usd"] * crf)


def test_opex_share_and_revenue() -> None:
    _, f = _round_fleet(facility__opex_pct_of_capex_per_year=0.05,
                        fleet__price_per_million_tokens_usd=2)
    energy_cost = f["energy_gwh_per_year"] * 1e6 * 0.1
    assert f["annual_opex_usd"] == approx(energy_cost + 0.05 * f["capex_usd"])
    revenue = 1e7 * 365 * 1500 / 1e6 * 2
    assert f["annual_revenue_usd"] == approx(revenue)
    assert f["annual_profit_usd"] == approx(revenue - f["annual_cost_usd"])


def test_breakdown_adds_up_to_annual_cost() -> None:
    _, f = _round_fleet(facility__opex_pct_of_capex_per_year=0.03)
    parts = (f["annual_gpu_capex_usd"] + f["annual_server_capex_usd"] +
             f["annual_energy_cost_usd"] + f["annual_other_opex_usd"])
    assert parts == approx(f["annual_cost_usd"])


def test_renting_instead() -> None:
    _, f = _round_fleet(gpu__rent_usd_per_hour=2)
    assert f["annual_rent_usd"] == approx(f["gpus"] * 2 * 8760)
