"""The goal seek's search itself (engine.solve): its grid, its brackets, which root it takes
and how many engine calls it makes, on figures written out here (the engine's place is
taken by a function of x, so each answer is hand arithmetic)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from infracalc_tui.engine import solve as s


def test_grid_is_linear_where_the_range_spans_two_decades_or_less() -> None:
    assert s.grid(1, 50, n=3).tolist() == [1, 25.5, 50]
    assert s.grid(1, 100, n=3).tolist() == [1, 50.5, 100]  # exactly 100x: still linear
    assert s.grid(-10, -1, n=3).tolist() == [-10, -5.5, -1]  # nothing above 0
    assert s.grid(-1, 0, n=3).tolist() == [-1, -0.5, 0]


def test_grid_adds_log_points_over_more_decades() -> None:
    """geomspace(a, b, 3) = a, sqrt(a·b), b; from 1e-9·hi when the range starts at 0."""
    assert s.grid(1, 400, n=3).tolist() == pytest.approx([1, 20, 200.5, 400])
    assert s.grid(0.5, 1000, n=3).tolist() == pytest.approx(
        [0.5, math.sqrt(500), 500.25, 1000])
    assert s.grid(0, 1, n=3).tolist() == pytest.approx([0, 1e-9, math.sqrt(1e-9), 0.5, 1])
    assert s.grid(-5, 5, n=3).tolist() == pytest.approx(
        [-5, 0, 5e-9, math.sqrt(5e-9 * 5), 5])


def test_an_integer_grid_is_whole_numbers_within_the_range() -> None:
    assert s.grid(0, 4, integer=True, n=3).tolist() == [0, 2, 4]
    assert s.grid(1, 1000, integer=True, n=3).tolist() == [1, 32, 500, 1000]  # √1000=31.6


def test_brackets_are_sign_changes_and_zeros_between_defined_points() -> None:
    assert s._brackets(np.array([-1.0, 1.0, np.nan, 2.0, -2.0])).tolist() == [0, 3]
    assert s._brackets(np.array([1.0, 0.0, -1.0])).tolist() == [0, 1]
    assert s._brackets(np.array([1.0, 2.0, 3.0])).tolist() == []


def test_what_the_figure_does_when_no_value_reaches_the_target() -> None:
    y = np.array([1.0, np.nan, 3.0])
    assert s._describe("host.x", "pricing.y", y, 0, 2, 5) == (
        "host.x stays between 1 and 3 for pricing.y in [0, 2] (null at some values); "
        "it never reaches 5")
    assert s._describe("host.x", "pricing.y", y[[0, 2]], 0, 2, 5) == (
        "host.x stays between 1 and 3 for pricing.y in [0, 2]; it never reaches 5")
    assert s._describe("host.x", "pricing.y", np.array([np.nan]), 0, 2, 5) == (
        "host.x is null (undefined) for pricing.y in [0, 2]; it cannot reach 5")


@pytest.fixture
def figure(monkeypatch: pytest.MonkeyPatch):
    """solve() on a figure f(x) given by the test, counting its (vectorised) calls."""
    calls: list[int] = []

    def use(f):
        def fake(inputs, vary, target, x):
            calls.append(np.size(x))
            return np.asarray(f(np.asarray(x, dtype=float)), dtype=float)
        monkeypatch.setattr(s, "_figure", fake)
        return calls
    return use


def test_a_straight_line_is_solved_in_two_calls(figure) -> None:
    """y = 3x − 6 on [0, 10]: 2 is not on the grid (step 10/128), the secant in the first
    bracket is exact, so: one grid call and one inside the bracket."""
    calls = figure(lambda x: 3 * x - 6)
    got = s.solve({}, "t", 0.0, "v", 0.0, 10.0)
    assert got.value == pytest.approx(2.0, abs=1e-12) and got.achieved == pytest.approx(0)
    assert got.iterations == 2 and len(calls) == 2


def test_of_two_roots_the_one_nearest_the_current_value(figure) -> None:
    """y = (x − 2)(x − 8) on [0, 12]: roots 2 and 8; without a current value, the one
    nearest the middle (6)."""
    figure(lambda x: (x - 2) * (x - 8))
    assert s.solve({}, "t", 0.0, "v", 0, 12).value == pytest.approx(8)
    assert s.solve({}, "t", 0.0, "v", 0, 12, current=1.0).value == pytest.approx(2)
    assert s.solve({}, "t", 0.0, "v", 0, 12, current=7.5).value == pytest.approx(8)


def test_a_step_over_the_target_gives_both_sides(figure) -> None:
    """y = floor(x) never equals 2.5: the last whole x before the jump is 2, then 3."""
    figure(np.floor)
    got = s.solve({}, "t", 2.5, "v", 0, 10, integer=True)
    assert (got.value, got.achieved, got.next_value, got.next_achieved) == (2, 2, 3, 3)


def test_no_root_raises_with_the_range(figure) -> None:
    figure(lambda x: x * 0 + 1.0)
    with pytest.raises(s.NoSolution, match=r"stays between 1 and 1 for v in \[0, 10\]"):
        s.solve({}, "t", 5.0, "v", 0, 10)
