"""engine.series' profit projection at its defaults and at a break-even on day one, and
the host charts under the modelled GPU power: the companion of test_kill_schema_catalog.

Written to kill the mutants docs/mutation.md lists as surviving in series.py. The seed host
(llama70b-own-hardware, as in test_kill_series): 2 threads at $0.02/min for 8 h/day, 1.1 kW
busy and 0.1 kW idle at $0.15/kWh, hardware over 3 years (36 months), no other running
costs: revenue 0.02 x 60 x 8 x 2 = $19.20 a day, electricity (8.8 + 1.6) x 0.15 = $1.56."""

from __future__ import annotations

from pytest import approx

from infracalc_tui.engine import build_report
from infracalc_tui.engine.series import host_cost_breakdown, profit_projection
from infracalc_tui.scenario.presets import presets

HOST = presets()["llama70b-own-hardware"].scenario
MONTH = 365.0 / 12.0  # days


def test_the_projection_covers_three_lifespans_by_default() -> None:
    """3 cycles of 36 months: months 0..108, hardware bought again at 36 and 72."""
    p = profit_projection(HOST.values)
    assert p.replacement_months == [36.0, 72.0]
    assert p.months.tolist() == [float(m) for m in range(109)]


def test_free_hardware_breaks_even_at_month_zero() -> None:
    """No hardware cost: profit is exactly 0 at month 0 (nothing earned, nothing spent),
    which counts as breaking even; a month later it is (19.20 - 1.56) x 30.42 = $536.55."""
    free = HOST.with_value("gpu.price_usd", 0).with_value("host.cpu_usd", 0) \
        .with_value("host.ram_usd", 0).with_value("host.other_usd", 0)
    p = profit_projection(free.values, cycles=1)
    assert p.profit[0] == 0.0
    assert p.break_even_month == 0
    assert p.revenue[1] == approx(19.2 * MONTH)
    assert p.profit[1] == approx((19.2 - 1.56) * MONTH)


def test_the_host_charts_use_the_modelled_gpu_power() -> None:
    """host.power_model = "modelled": the breakdown's electricity is the report's, from the
    modelled GPU power, not the one at the GPU's TDP."""
    s = HOST.with_value("host.power_model", "modelled")
    report = build_report(s.values, name=s.name)
    modelled = report["host"]["electricity_usd_per_day"]
    at_tdp = build_report(HOST.values, name=HOST.name)["host"]["electricity_usd_per_day"]
    assert modelled != approx(at_tdp)
    assert host_cost_breakdown(s.values).amounts[0] == approx(modelled)
