"""The goal seek's search (engine.solve), on the paths test_solve_search.py leaves out: a
root on a grid point, whole-number brackets wider than one, NaN inside the bracket, a step
that never gets tight, the tolerance's edge, how tight a step is located.

Written to kill the mutants docs/mutation.md lists as surviving in solve.py. As in
test_solve_search.py the engine's place is taken by a function of x, so each answer is hand
arithmetic; the stand-in also refuses to be asked at anything but numbers, or more often
than four searches of MAX_CALLS + 1 calls could ask, so a search that runs away fails at
once instead of hanging."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from infracalc_tui.engine import solve as s
from infracalc_tui.scenario import load

HOST = "scenarios/llama70b-own-hardware.toml"


@pytest.fixture
def figure(monkeypatch: pytest.MonkeyPatch):
    """solve() on a figure f(x) given by the test; returns the size of each call's x."""
    calls: list[int] = []

    def use(f):
        def fake(inputs, vary, target, x):
            x = np.asarray(x)
            assert x.dtype.kind == "f", f"asked at {x!r}"
            calls.append(x.size)
            assert len(calls) <= 4 * (s.MAX_CALLS + 1), "the search runs away"
            return np.asarray(f(x.astype(float)), dtype=float)
        monkeypatch.setattr(s, "_figure", fake)
        return calls
    return use


def test_log_points_start_just_past_two_decades() -> None:
    """100.5/1 > 100: log points too; geomspace(1, 100.5, 3) = 1, √100.5, 100.5."""
    assert s.grid(1, 100.5, n=3).tolist() == pytest.approx(
        [1, math.sqrt(100.5), 50.75, 100.5])


def test_a_whole_number_grid_keeps_its_ends_within_the_range() -> None:
    """linspace(0.4, 2.6, 3) = 0.4, 1.5, 2.6, rounded 0, 2, 3, then clipped to the range:
    0.4, 2, 2.6."""
    assert s.grid(0.4, 2.6, integer=True, n=3).tolist() == [0.4, 2, 2.6]


def test_a_refinement_call_is_16_inner_points_and_the_secant(figure) -> None:
    """y = 3x on [0, 10], goal 6: the second call is INNER = 16 evenly spaced points inside
    the bracket plus the secant point (exact for a line, so it ends there)."""
    calls = figure(lambda x: 3 * x)
    got = s.solve({}, "t", 6.0, "v", 0.0, 10.0)
    assert calls[1:] == [16 + 1]
    assert (got.vary, got.target, got.target_value, got.iterations) == ("v", "t", 6.0, 2)
    assert got.value == pytest.approx(2.0, abs=1e-12) and got.achieved == pytest.approx(6.0)
    assert (got.next_value, got.next_achieved) == (None, None)


def test_with_no_current_value_the_root_nearest_the_middle(figure) -> None:
    """y = (x − 2)(x − 5) on [0, 6]: the middle is 3, nearer 2 (by 1) than 5 (by 2)."""
    figure(lambda x: (x - 2) * (x - 5))
    assert s.solve({}, "t", 0.0, "v", 0.0, 6.0).value == pytest.approx(2.0)


def test_a_root_in_the_first_or_the_last_grid_interval(figure) -> None:
    """On [1, 11] the grid steps by 10/128 = 0.078125 (11/1 < 100: no log points).
    y = (x − 1.05)(x − 6) with current 1: the root 1.05 in the first interval;
    y = x − 10.99: its one root in the last interval [10.921875, 11]."""
    figure(lambda x: (x - 1.05) * (x - 6))
    assert s.solve({}, "t", 0.0, "v", 1.0, 11.0, current=1.0).value == pytest.approx(1.05)
    figure(lambda x: x - 10.99)
    assert s.solve({}, "t", 0.0, "v", 1.0, 11.0).value == pytest.approx(10.99)


def test_a_root_on_a_grid_point_is_taken_as_it_is(figure) -> None:
    """y = x − 2 on the whole numbers 0..4: 2 is a grid point. The middle (2) is as near
    [1, 2] as [2, 3], so the first, where the root is the right end; with current 2.6 the
    bracket [2, 3], where it is the left end. One grid call and one to check it: 2 calls."""
    calls = figure(lambda x: x - 2)
    want = s.Solution("v", 2.0, "t", 0.0, 0.0, 2)
    assert s.solve({}, "t", 0.0, "v", 0, 4, integer=True) == want
    assert s.solve({}, "t", 0.0, "v", 0, 4, integer=True, current=2.6) == want
    assert calls[1::2] == [1, 1]  # the check: one value
    # the same on a real line: [1, 3] steps by 1/64, so 2 is a grid point too
    figure(lambda x: x - 2)
    assert s.solve({}, "t", 0.0, "v", 1.0, 3.0) == want
    assert s.solve({}, "t", 0.0, "v", 1.0, 3.0, current=2.01) == want


def test_a_whole_number_step_is_the_last_value_before_it_and_the_first_after(figure) -> None:
    """floor(x) never equals 2.5 on 0..10: the grid has every whole number, [2, 3] is one
    apart (tight), so no refinement: the grid call and the check of 2."""
    calls = figure(np.floor)
    got = s.solve({}, "t", 2.5, "v", 0, 10, integer=True)
    assert got == s.Solution("v", 2.0, "t", 2.5, 2.0, 2, 3.0, 3.0)
    assert len(calls) == 2


def test_a_whole_number_answer_within_a_relative_tolerance(figure) -> None:
    """The tolerance is relative: 1e-11 of a goal of 2e11 is 2. y = 2e11 + 1 below 3 and
    2e11 − 5 from 3 on: [2, 3] brackets the goal, and 2 (1 off) is an answer, not a step."""
    figure(lambda x: np.where(x < 3, 2e11 + 1, 2e11 - 5))
    got = s.solve({}, "t", 2e11, "v", 0, 6, integer=True)
    assert got == s.Solution("v", 2.0, "t", 2e11, 2e11 + 1, 2)


def test_a_whole_number_bracket_two_apart_is_split_at_the_one_between(figure) -> None:
    """On 0..256 the whole-number grid steps by 2 near 100 (256/128; no log point between
    100 and 102): floor(x) against 100.5 brackets [100, 102], one more call asks 101 only
    (the whole numbers strictly inside), then [100, 101] is tight: the check of 100."""
    calls = figure(np.floor)
    got = s.solve({}, "t", 100.5, "v", 0, 256, integer=True)
    assert got == s.Solution("v", 100.0, "t", 100.5, 100.0, 3, 101.0, 101.0)
    assert calls[1:] == [1, 1]


def test_nan_inside_the_bracket_keeps_the_bracket(figure) -> None:
    """y = x − 2, undefined for 1.94 < x < 2.015: the grid bracket [1.9375, 2.015625]
    (steps of 0.078125 from 1) has every inner point undefined, so the search stops with
    it; the secant point (2) is undefined too: a step from −0.0625 to 0.015625."""
    figure(lambda x: np.where((x > 1.94) & (x < 2.015), np.nan, x - 2))
    got = s.solve({}, "t", 0.0, "v", 1.0, 11.0)
    assert got == s.Solution("v", 1.9375, "t", 0.0, -0.0625, 3, 2.015625, 0.015625)


def test_a_curved_figure_on_negative_numbers_is_solved(figure) -> None:
    """x³ = −8 on [−11, −1]: x = −2, reached to the tolerance (1e-9 of the goal's 8·1e-11
    and 1e-9, the larger), not left as a step."""
    figure(lambda x: x ** 3)
    got = s.solve({}, "t", -8.0, "v", -11.0, -1.0)
    assert got.next_value is None
    assert abs(got.achieved + 8) <= 1e-9 and got.value == pytest.approx(-2.0, rel=1e-9)


def test_a_jump_is_located_to_1e_13_relative(figure) -> None:
    """y jumps from −1 to 1 at 1.05e-3, searched on [5e-4, 1.5e-3] (linear steps of
    1e-3/128 = 7.8125e-6). Each call shrinks the bracket at least 17-fold; it is tight at
    width <= 1e-13 · 1.05e-3 ≈ 1e-16, and 7.8125e-6 / 17**9 = 6.6e-17: so at most 9
    refinements, 11 calls with the grid and the check."""
    calls = figure(lambda x: np.where(x >= 1.05e-3, 1.0, -1.0))
    got = s.solve({}, "t", 0.0, "v", 5e-4, 1.5e-3)
    assert got.value < 1.05e-3 <= got.next_value
    assert got.next_value - got.value <= 1e-13 * got.next_value
    assert (got.achieved, got.next_achieved) == (-1.0, 1.0)
    assert got.iterations == len(calls) <= 11


def test_a_jump_at_zero_stops_at_the_call_budget(figure) -> None:
    """y jumps from −1 to 1 at 0 (a grid point of [−1, 1]): the bracket [a, 0] shrinks
    towards 0 but is never tight relative to its own size, so the search ends at MAX_CALLS
    (14) calls, and one more checks the secant point: 15."""
    calls = figure(lambda x: np.where(x >= 0, 1.0, -1.0))
    got = s.solve({}, "t", 0.0, "v", -1.0, 1.0)
    assert got.iterations == len(calls) == s.MAX_CALLS + 1 == 15
    assert got.value < 0 and got.next_value == 0
    assert (got.achieved, got.next_achieved) == (-1.0, 1.0)


def test_a_bracket_end_exactly_one_from_the_goal_is_refined(figure) -> None:
    """y = 1 − 8192·(x − 2)² on [1, 3] (steps of 1/64), goal 0: y(2) = 1 exactly and
    y(2 ± 1/64) = −1; roots at 2 ± 1/(64·√2). Each bracket has one end at 1 (not 0): it is
    refined to the root, not left as a step."""
    figure(lambda x: 1 - 8192 * (x - 2) ** 2)
    d = 1 / (64 * math.sqrt(2))
    right = s.solve({}, "t", 0.0, "v", 1.0, 3.0, current=2.1)
    left = s.solve({}, "t", 0.0, "v", 1.0, 3.0, current=1.9)
    assert (right.next_value, left.next_value) == (None, None)
    assert right.value == pytest.approx(2 + d, rel=1e-9)
    assert left.value == pytest.approx(2 - d, rel=1e-9)


def test_of_the_points_within_tolerance_the_nearest_to_the_goal(figure) -> None:
    """y = 1e-12·(x − 2) on [0, 10]: every point of the bracket is within 1e-9 of the goal
    0, but the secant point (exactly 2 for a line) is nearest: that is the answer."""
    figure(lambda x: 1e-12 * (x - 2))
    assert s.solve({}, "t", 0.0, "v", 0.0, 10.0).value == pytest.approx(2.0, abs=1e-9)


def test_exactly_the_tolerance_from_the_goal_counts_as_reached(figure) -> None:
    """y jumps from −1 to 1e-9 at 2.5: 1e-9 from the goal 0 is max(1e-11·0, 1e-9), the
    tolerance itself, so the first point past the jump is an answer, not a step."""
    figure(lambda x: np.where(x >= 2.5, 1e-9, -1.0))
    got = s.solve({}, "t", 0.0, "v", 0.0, 10.0)
    assert got.next_value is None and got.achieved == 1e-9 and got.value >= 2.5


def test_an_infinite_end_brackets_nothing() -> None:
    """Only two defined (finite) neighbours of opposite sign bracket a root."""
    f = np.array([-1.0, np.inf, -np.inf, 1.0])
    assert s._brackets(f).tolist() == []


def test_an_unknown_figure_names_the_key() -> None:
    with pytest.raises(KeyError) as e:
        s.solve(load(HOST).inputs, "host.nonsense", 1.0, "pricing.charge_per_minute_usd",
                0.0, 1.0)
    assert e.value.args == ("host.nonsense",)


def test_the_engine_is_asked_silently_even_where_it_divides_by_zero() -> None:
    """llama70b-own-hardware: hardware = GPUs · $1,800 + CPU 500 + RAM 300 + other 800,
    so $8,800 is 4 GPUs. The grid from 0 GPUs has the engine divide by zero there: the
    figure is undefined, not a warning (here: an error)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = s.solve(load(HOST).inputs, "host.hardware_cost_usd", 8800.0, "host.gpu_count",
                      0, 8, integer=True)
    assert (got.value, got.achieved, got.next_value) == (4.0, 8800.0, None)


def test_a_secant_step_stays_inside_its_bracket() -> None:
    """a = 0, b = 1: f = 1, 2 puts the secant at 0 - 1 x 1 / 1 = -1, clipped to 0; f = -2, -1
    puts it at 0 + 2 x 1 / 1 = 2, clipped to 1."""
    assert s._secant(0.0, 1.0, 1.0, 2.0) == 0.0
    assert s._secant(0.0, 1.0, -2.0, -1.0) == 1.0


def test_a_bracket_of_the_tiniest_numbers_is_tight() -> None:
    """Near 0 the width is measured against 1e-300: [0, 5e-324] is tight (without that floor
    1e-13 x 5e-324 underflows to 0), and a width exactly at the bound counts as tight."""
    assert s._tight(0.0, 5e-324, False)
    assert s._tight(0.0, 1e-13 * 1e-300, False)
