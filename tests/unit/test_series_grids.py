"""The heatmaps' axes and frontier by their stated rules (engine.series): hours 1 to 24,
thread rows up to max(8, twice the threads, the hardware's limit up to 256), prices up to
twice the current one, and the break-even threads at each hour by the formula."""

from __future__ import annotations

import math

import numpy as np
from pytest import approx

from infracalc_tui.calc import report_for
from infracalc_tui.engine.series import profit_grid_price_hours, profit_grid_threads_hours
from infracalc_tui.scenario.presets import presets


def host(preset: str = "llama70b-own-hardware", **values: float):
    s = presets()[preset].scenario
    for key, value in values.items():
        s = s.with_value(key.replace("__", "."), value)
    assert not s.problems(), s.problems()
    return s


def test_hours_run_from_1_to_24_and_the_current_cell_is_the_scenarios() -> None:
    s = host()
    g = profit_grid_threads_hours(s.values)
    assert g.x.tolist() == list(range(1, 25))
    assert g.current == (2.0, 8.0)  # 2 threads, 8 hours a day in the file
    assert profit_grid_price_hours(s.values).x.tolist() == list(range(1, 25))


def test_thread_rows_follow_the_rule() -> None:
    """top = max(8, 2 x threads, min(limit, 256)); rows 1..top."""
    cases = [
        (host(), 2, 8),  # limit 2, 2 threads: 8 rows
        (host("gpt-oss-120b-h100-host"), 19, 19),  # limit 19 beats 2 x 8
        (host("gpt-oss-120b-h100-host", pricing__concurrent_threads=12), 19, 24),  # 2 x 12
        (host("rtx4090-llama8b", host__gpu_count=8, model__context_tokens=512,
              serving__min_tokens_per_s_per_stream=0.1), 2524, 256),  # capped at 256
    ]
    for s, limit, top in cases:
        assert report_for(s)["host"]["max_threads"] == limit
        g = profit_grid_threads_hours(s.values)
        assert g.y.tolist() == list(range(1, top + 1)), (limit, top)
        assert g.y_limit == limit


def test_break_even_threads_by_the_formula() -> None:
    """Threads needed at h hours = cost per day(h) / (price x 60 x h), none (NaN) where more
    than the hardware's 2: at 8 h, $6.3089/day / ($0.02 x 60 x 8) = 0.657 threads."""
    s = host()
    g = profit_grid_threads_hours(s.values)
    cost_8h = report_for(s)["host"]["cost_usd_per_day"]
    assert cost_8h == approx(6.30886, rel=1e-5)
    assert g.boundary[7] == approx(cost_8h / (0.02 * 60 * 8), rel=1e-12)
    cost_1h = report_for(s.with_value("pricing.utilization_hours_per_day", 1))["host"][
        "cost_usd_per_day"]
    assert cost_1h / (0.02 * 60 * 1) > 2 and math.isnan(g.boundary[0])


def test_price_rows_run_up_to_twice_the_price_or_a_cent() -> None:
    """20 prices from top/20 to top, top = max(2 x price, $0.01/min)."""
    g = profit_grid_price_hours(host().values)  # $0.02/min
    assert g.y == approx(np.linspace(0.002, 0.04, 20))
    cheap = profit_grid_price_hours(host(pricing__charge_per_minute_usd=0.004).values)
    assert cheap.y == approx(np.linspace(0.0005, 0.01, 20))
    assert cheap.current == (0.004, 8.0)
