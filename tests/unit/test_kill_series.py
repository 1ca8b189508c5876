"""engine.series by hand where the mutation run (docs/mutation.md) found no test looking:
explicit axes passed in, the default axes, the labels and periods, the best cell when rows
cannot be served, and compare_hosts' merging of each configuration's keys.

The seed host (llama70b-own-hardware): 2 threads billed at $0.02/min, 8 h/day, at most 2
threads; 1.1 kW busy and 0.1 kW idle at $0.15/kWh; $5,200 of hardware over 3 years, no
other running costs. So, at h hours and c threads billed:
revenue = 0.02 x 60 x h x c, electricity = (1.1 h + 0.1 (24 - h)) x 0.15, depreciation =
5200 / 1095 a day.
"""

from __future__ import annotations

import numpy as np
from pytest import approx

from infracalc_tui.engine.series import (
    compare_hosts,
    fleet_cost_breakdown,
    fleet_cost_vs_utilization,
    fleet_users_sweep,
    host_cost_breakdown,
    price_frontier,
    profit_grid_price_hours,
    profit_grid_threads_hours,
)
from infracalc_tui.scenario.presets import presets

HOST = presets()["llama70b-own-hardware"].scenario
FLEET = presets()["gpt4o-1b-users"].scenario
DEP = 5200 / 1095  # depreciation per day


def elec(h: float) -> float:
    return (1.1 * h + 0.1 * (24 - h)) * 0.15


def profit(price: float, h: float, billed: float) -> float:
    return price * 60 * h * billed - elec(h) - DEP


def test_host_cost_breakdown_is_per_day_by_hand() -> None:
    b = host_cost_breakdown(HOST.values)
    assert b.period == "day"
    assert b.labels == ["Electricity", "Hardware (depreciation)", "Other running costs"]
    assert b.amounts.tolist() == approx([elec(8), DEP, 0.0])  # 1.56, 4.749, 0


def test_fleet_cost_breakdown_labels_and_period() -> None:
    b = fleet_cost_breakdown(FLEET.values)
    assert b.labels == ["GPU capex", "Server capex", "Energy", "Colocation", "Other opex"]
    assert b.period == "year"


def test_price_frontier_at_hours_given_as_whole_numbers() -> None:
    """The hours given are used (as floats), and the scenario's own point is 8 h, $0.02."""
    f = price_frontier(HOST.values, hours=[2, 12])
    assert f.hours.dtype == np.float64 and f.hours.tolist() == [2.0, 12.0]
    for h, price in zip((2, 12), f.min_price, strict=True):
        assert price == approx((elec(h) + DEP) / (60 * h * 2))
    assert (f.current_hours, f.current_price) == (8.0, 0.02)


def test_grid_labels() -> None:
    g = profit_grid_threads_hours(HOST.values)
    assert (g.x_label, g.y_label) == ("hours/day", "threads")
    p = profit_grid_price_hours(HOST.values)
    assert (p.x_label, p.y_label) == ("hours/day", "$/min")


def test_threads_grid_at_given_threads_and_hours() -> None:
    g = profit_grid_threads_hours(HOST.values, threads=[1, 2], hours=[4, 8])
    assert g.x.dtype == np.float64 and g.x.tolist() == [4.0, 8.0]
    assert g.y.dtype == np.float64 and g.y.tolist() == [1.0, 2.0]
    assert g.z[0, 0] == approx(profit(0.02, 4, 1))  # 4.8 - 0.96 - 4.749 = -0.909
    assert g.z[1, 1] == approx(profit(0.02, 8, 2))  # 19.2 - 1.56 - 4.749 = 12.891


def test_best_cell_leaves_out_rows_the_hardware_cannot_serve() -> None:
    """Rows 1 and 3 threads, limit 2: row 3 bills 2 threads and earns more (at 24 h,
    57.6 - 3.96 - 4.749 = 48.89 against 28.8 - 3.96 - 4.749 = 20.09), but only row 1 can be
    served, so the best cell is row 1 at 24 h."""
    g = profit_grid_threads_hours(HOST.values, threads=[1.0, 3.0])
    assert g.z[1, 23] == approx(profit(0.02, 24, 2))
    assert g.z[0, 23] == approx(profit(0.02, 24, 1))
    assert g.best == (0, 23)


def test_best_cell_when_no_row_can_be_served_is_the_most_profitable_one() -> None:
    """Rows 3 and 4 threads, limit 2: none can be served; both bill 2 threads, the best hour
    is 24 (each hour adds 1.2 x 2 - 0.15 = $2.25), the first row of the tie wins."""
    g = profit_grid_threads_hours(HOST.values, threads=[3.0, 4.0])
    assert g.z[:, 23].tolist() == approx([profit(0.02, 24, 2)] * 2)
    assert g.best == (0, 23)


def test_break_even_threads_equal_to_the_limit_count() -> None:
    """No electricity, $8,212.50 of hardware over 3 years: $7.50/day. At $0.0625/min and 1 h
    a thread earns $3.75/day, so 7.5 / 3.75 = 2 threads break even: exactly the limit of 2,
    which the hardware serves (only more than 2 is none)."""
    s = (HOST.with_value("host.electricity_usd_per_kwh", 0)
         .with_value("host.other_usd", 8212.5 - 2 * 1800 - 500 - 300)
         .with_value("pricing.charge_per_minute_usd", 0.0625))
    assert not s.problems()
    g = profit_grid_threads_hours(s.values, hours=[1.0])
    assert g.y_limit == 2
    assert g.boundary.tolist() == [2.0]


def test_price_grid_at_given_prices_and_hours() -> None:
    """$1 and $2 a minute at 4 and 8 hours, 2 threads billed."""
    g = profit_grid_price_hours(HOST.values, prices=[1, 2], hours=[4, 8])
    assert g.x.dtype == np.float64 and g.x.tolist() == [4.0, 8.0]
    assert g.y.dtype == np.float64 and g.y.tolist() == [1.0, 2.0]
    assert g.z[0, 1] == approx(profit(1.0, 8, 2))  # 960 - 1.56 - 4.749
    assert g.z[1, 0] == approx(profit(2.0, 4, 2))  # 960 - 0.96 - 4.749
    assert g.z[1, 1] == approx(profit(2.0, 8, 2))  # 1920 - 1.56 - 4.749


def test_compare_hosts_takes_a_missing_key_from_the_scenario() -> None:
    """Hardware = 2 GPUs x price + $1,600: a configuration without a GPU price takes the
    scenario's $1,800; a text key in a configuration is left alone."""
    configs = [("cheap", {"gpu.price_usd": 1000, "gpu.preset": "custom"}, 2),
               ("seed", {"gpu.memory_gb": 25.76}, 2)]
    c = compare_hosts(HOST.values, configs)
    assert c.hardware_cost.tolist() == [2 * 1000 + 1600, 2 * 1800 + 1600]


def test_compare_hosts_counts_a_null_as_zero() -> None:
    c = compare_hosts(HOST.values, [("free GPUs", {"gpu.price_usd": None}, 2)])
    assert c.hardware_cost.tolist() == [1600.0]


def test_compare_hosts_bills_at_most_the_threads_the_hardware_serves() -> None:
    """4 threads asked, 2 served: revenue 0.02 x 60 x 8 x 2 = $19.20."""
    v = HOST.with_value("pricing.concurrent_threads", 4).values
    c = compare_hosts(v, [("seed", {"gpu.price_usd": 1800}, 2)])
    assert c.max_threads.tolist() == [2]
    assert c.profit_per_day[0] == approx(profit(0.02, 8, 2))  # 12.891


def test_compare_hosts_uses_the_modelled_gpu_power() -> None:
    """With the modelled power each GPU draws between its idle 20 W and its 450 W TDP, below
    the TDP at 2 threads: electricity under the TDP's $1.56 (load (2 x 450 + 200) W) and above
    (2 x 20 + 200) W busy: (0.24 x 8 + 0.1 x 16) x 0.15 = $0.528."""
    v = HOST.with_value("host.power_model", "modelled").values
    c = compare_hosts(v, [("seed", {"gpu.price_usd": 1800}, 2)])
    tdp_profit = 19.2 - 1.56 - DEP
    idle_profit = 19.2 - 0.528 - DEP
    assert tdp_profit < c.profit_per_day[0] < idle_profit


def test_fleet_users_sweep_default_axis() -> None:
    """61 users from 1e5 to 1e11, ten a decade; the scenario's own 1e9 users."""
    s = fleet_users_sweep(FLEET.values)
    assert len(s.users) == 61
    assert s.users[0] == approx(1e5) and s.users[10] == approx(1e6)
    assert s.users[-1] == approx(1e11)
    assert s.current_users == 1e9
    assert s.gpus.shape == s.annual_cost.shape == (61,)


def test_fleet_users_sweep_at_given_users() -> None:
    """Whole numbers become floats; a thousand times the users costs more."""
    s = fleet_users_sweep(FLEET.values, [10**6, 10**9])
    assert s.users.dtype == np.float64 and s.users.tolist() == [1e6, 1e9]
    assert 0 < s.annual_cost[0] < s.annual_cost[1]


def test_fleet_cost_vs_utilization_default_axis() -> None:
    """33 points from 0.2 to 1.0, 0.025 apart."""
    u, cost = fleet_cost_vs_utilization(FLEET.values)
    assert len(u) == 33 and cost.shape == (33,)
    assert u[0] == approx(0.2) and u[1] == approx(0.225) and u[-1] == approx(1.0)


def test_fleet_cost_vs_utilization_at_given_points() -> None:
    u, _cost = fleet_cost_vs_utilization(FLEET.values, [1])
    assert u.dtype == np.float64 and u.tolist() == [1.0]
