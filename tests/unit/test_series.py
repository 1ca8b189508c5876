"""Chart series and grids: shapes, hand values, and agreement with the scalar engine."""

import numpy as np
from pytest import approx

from infracalc_tui.calc import gpu_config_values, report_for
from infracalc_tui.engine.series import (
    compare_hosts,
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

HOST = presets()["llama70b-own-hardware"].scenario
FLEET = presets()["gpt4o-1b-users"].scenario


def test_projection_by_hand() -> None:
    p = profit_projection(HOST.values, cycles=2)
    margin = 19.2 - 1.56  # revenue - electricity per day
    assert len(p.months) == 2 * 36 + 1
    assert p.profit[0] == -5200
    assert p.profit[12] == approx(12 * 365 / 12 * margin - 5200)
    # second purchase at month 36
    assert p.cost[36] == approx(2 * 5200 + 1.56 * 36 * 365 / 12)
    assert p.replacement_months == [36.0]
    # 5200 / 17.64 = 294.8 days = 9.69 months -> month 10
    assert p.break_even_month == 10


def test_breakdowns_sum_to_one() -> None:
    for b in (host_cost_breakdown(HOST.values), fleet_cost_breakdown(FLEET.values)):
        assert b.shares.sum() == approx(1)
    fleet = report_for(FLEET)["fleet"]
    assert fleet_cost_breakdown(FLEET.values).amounts.sum() == approx(fleet["annual_cost_usd"])


def test_price_frontier_by_hand() -> None:
    f = price_frontier(HOST.values)
    assert list(f.hours) == list(range(1, 25))
    dep = 5200 / (3 * 365)
    for h, price in zip(f.hours, f.min_price, strict=True):
        elec = (1.1 * h + 0.1 * (24 - h)) * 0.15
        assert price == approx((elec + dep) / (60 * h * 2))


def test_profit_grids_match_scalar_engine() -> None:
    g = profit_grid_threads_hours(HOST.values)
    assert g.z.shape == (len(g.y), len(g.x))
    for i in (0, 3, len(g.y) - 1):
        for j in (0, 7, 23):
            s = HOST.with_value("pricing.concurrent_threads", int(g.y[i])).with_value(
                "pricing.utilization_hours_per_day", float(g.x[j]))
            assert g.z[i, j] == approx(report_for(s)["host"]["profit_usd_per_day"])
    # the seed host serves at most 2 threads: the best cell is the best one it can serve
    assert g.y_limit == report_for(HOST)["host"]["max_threads"] == 2
    i, j = g.best
    assert g.y[i] <= 2 and g.z[i, j] == g.z[g.y <= 2].max() == g.z.max()
    # a thread the hardware cannot serve earns nothing: rows above 2 earn what 2 threads do
    assert np.array_equal(g.z[g.y > 2], np.broadcast_to(g.z[g.y == 2], g.z[g.y > 2].shape))
    # the boundary is where profit crosses zero
    for j, need in enumerate(g.boundary):
        above = g.y >= need - 1e-9
        assert np.all(g.z[above, j] >= -1e-9) and np.all(g.z[~above, j] < 1e-9)

    p = profit_grid_price_hours(HOST.values)
    assert np.allclose(p.boundary, price_frontier(HOST.values).min_price)


def test_fleet_sweeps() -> None:
    s = fleet_users_sweep(FLEET.values, np.array([1e6, 1e9]))
    one = report_for(FLEET)["fleet"]
    assert s.gpus[1] == one["gpus"]
    assert s.facility_mw[1] == approx(one["facility_power_mw"])
    _u, cost = fleet_cost_vs_utilization(FLEET.values, np.array([0.7, 0.35]))
    assert cost[0] == approx(one["cost_per_million_tokens_usd"])
    assert cost[1] > cost[0]


def test_compare_hosts_matches_scalar() -> None:
    configs = [(k, gpu_config_values(HOST, k), n)
               for k, n in (("rtx-4090", 2), ("rtx-3090", 2), ("h100-pcie", 1))]
    c = compare_hosts(HOST.values, configs)
    for idx, (key, _, n) in enumerate(configs):
        s = HOST.with_preset("gpu", key).with_value("host.gpu_count", n)
        h = report_for(s)["host"]
        assert c.profit_per_day[idx] == approx(h["profit_usd_per_day"])
        assert c.max_threads[idx] == h["max_threads"]
        assert c.tokens_per_s_per_stream[idx] == approx(h["decode_tokens_per_s_per_stream"])
        assert bool(c.fits_in_memory[idx]) == h["fits_in_memory"]


def test_compare_hosts_by_hand() -> None:
    """Hardware = GPUs x price + CPU $500 + RAM $300 + other $800; break-even = hardware /
    margin per day (null when the margin is not above 0); one RTX 4090 cannot hold the 70B
    model: no threads, no fit."""
    s = presets()["llama70b-own-hardware"].scenario
    configs = [("2x 4090", gpu_config_values(s, "rtx-4090"), 2),
               ("1x H100", gpu_config_values(s, "h100-pcie"), 1),
               ("1x 4090", gpu_config_values(s, "rtx-4090"), 1)]
    c = compare_hosts(s.values, configs)
    assert c.gpus == ["2x 4090", "1x H100", "1x 4090"]
    assert c.counts.tolist() == [2, 1, 1]
    assert c.hardware_cost.tolist() == [2 * 1800 + 1600, 25_000 + 1600, 1800 + 1600]
    margin = report_for(s)["host"]["margin_usd_per_day"]  # the file's own host: 2x 4090
    assert c.break_even_days[0] == approx(5200 / margin, rel=1e-12)
    assert c.profit_per_day[0] == approx(report_for(s)["host"]["profit_usd_per_day"])
    h100 = report_for(s.with_preset("gpu", "h100-pcie").with_value("host.gpu_count", 1))["host"]
    assert c.break_even_days[1] == approx(26_600 / h100["margin_usd_per_day"], rel=1e-12)
    assert c.fits_in_memory.tolist() == [True, True, False]
    assert c.max_threads[2] == 0 and np.isnan(c.break_even_days[2])
