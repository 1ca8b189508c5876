"""engine.sensitivity and engine.numeric by hand where the mutation run (docs/mutation.md)
found no test looking: a whole-number input swung to fractions, the silence of the
floating-point errors, the undefined swings ranked last, and distinct rows repeated after
the first.

The seed host (llama70b-own-hardware) bills 2 threads at $0.02/min: at h hours a day the
margin is 0.02 x 60 x h x 2 - (1.1 h + 0.1 (24 - h)) x 0.15 = 2.25 h - 0.36 dollars, and
the profit that less 5200 / 1095 of hardware; break-even = 5200 / margin days.
"""

from __future__ import annotations

import warnings

import numpy as np
from pytest import approx

from infracalc_tui.engine.numeric import unique_rows
from infracalc_tui.engine.sensitivity import Swingable, sensitivity
from infracalc_tui.scenario.presets import presets

HOST = presets()["llama70b-own-hardware"].scenario
FLEET = presets()["gpt4o-1b-users"].scenario


def margin(h: float, price: float = 0.02) -> float:
    return price * 60 * h * 2 - (1.1 * h + 0.1 * (24 - h)) * 0.15


def test_a_whole_number_value_swings_to_fractions() -> None:
    """8 hours (an int) x (1 -/+ 0.2) = 6.4 and 9.6 hours: profit moves 2.25 x 3.2 = $7.20."""
    hours = Swingable("pricing.utilization_hours_per_day", 8, 0.0, 24.0)
    base, (s,) = sensitivity(HOST.inputs, "host.profit_usd_per_day", [hours])
    assert base == approx(margin(8) - 5200 / 1095)  # 12.891
    assert (s.low_input, s.high_input) == approx((6.4, 9.6))
    assert s.low == approx(margin(6.4) - 5200 / 1095)
    assert s.high == approx(margin(9.6) - 5200 / 1095)
    assert s.swing == approx(2.25 * 3.2)


def test_an_input_swung_to_zero_raises_no_floating_point_warning() -> None:
    """Users swung over 0..2e9: the fleet's per-user figures divide by zero at 0 users,
    silently; queries a day are 10 per user: none, then 2e10."""
    users = Swingable("fleet.users", 1e9, 0.0, None)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _base, (s,) = sensitivity(FLEET.inputs, "fleet.queries_per_day", [users],
                                  ranges={"fleet.users": (0.0, 2e9)})
    assert (s.low_input, s.high_input) == (0.0, 2e9)
    assert (s.low, s.high) == (0.0, 2e10)


def test_an_undefined_swing_is_ranked_last() -> None:
    """Break-even over the price 0.001..0.03 $/min: at $0.001 the margin is 0.96 - 1.56 < 0,
    no break-even, so no swing; hours 6.4..9.6 have one: 5200/14.04 - 5200/21.24 days."""
    price = Swingable("pricing.charge_per_minute_usd", 0.02, 0.0, None)
    hours = Swingable("pricing.utilization_hours_per_day", 8.0, 0.0, 24.0)
    base, swings = sensitivity(HOST.inputs, "host.break_even_days", [price, hours],
                               ranges={"pricing.charge_per_minute_usd": (0.001, 0.03)})
    assert base == approx(5200 / 17.64)
    assert [s.key for s in swings] == ["pricing.utilization_hours_per_day",
                                       "pricing.charge_per_minute_usd"]
    assert margin(6.4) == approx(14.04) and margin(9.6) == approx(21.24)
    assert swings[0].swing == approx(5200 / 14.04 - 5200 / 21.24)
    assert swings[1].low is None and swings[1].swing is None
    assert swings[1].high == approx(5200 / margin(8, 0.03))  # 5200 / 27.24


def test_unique_rows_with_a_second_repeated_value() -> None:
    """1, 2, 1, 2: two distinct rows, first seen at 0 and 1; rows 2 and 3 repeat them."""
    first, inverse = unique_rows(np.array([1.0, 2.0, 1.0, 2.0]))
    assert sorted(first.tolist()) == [0, 1]
    assert inverse.tolist() == [0, 1, 0, 1]
