"""Axis ticks land on round values and read in real units (widgets/ticks.py)."""

from __future__ import annotations

import math

import pytest

from infracalc_tui import formatting as fmt
from infracalc_tui.tui.widgets import ticks as tk


def test_nice_ticks_land_on_round_values() -> None:
    assert tk.nice_ticks(0, 0.0438) == [0, 0.01, 0.02, 0.03, 0.04]
    assert tk.labels(tk.nice_ticks(0, 0.0438)) == ["0", "0.01", "0.02", "0.03", "0.04"]
    assert tk.nice_ticks(-5200, 63100, 5) == [0, 20000, 40000, 60000]
    assert tk.nice_ticks(20, 100, 5) == [20, 40, 60, 80, 100]
    assert tk.nice_ticks(20, 100, 4) == [25, 50, 75, 100]
    assert tk.nice_ticks(1, 8, 4, integer=True) == [2, 4, 6, 8]
    assert tk.nice_ticks(1, 8, 3, integer=True) == [5]  # no 2.5 threads
    assert tk.nice_ticks(3, 3) == [3]


@pytest.mark.parametrize("lo, hi", [(math.nan, 1), (0, math.inf), (2, 1)])
def test_no_ticks_from_nonsense(lo: float, hi: float) -> None:
    assert tk.nice_ticks(lo, hi) == []
    assert tk.log_ticks(lo, hi) == []
    assert tk.hour_ticks(lo, hi) == []


def test_log_ticks_are_labelled_with_their_values() -> None:
    users = tk.log_ticks(1e5, 1e9)
    assert tk.labels(users, log=True) == ["100k", "1M", "10M", "100M", "1B"]
    # too many decades for the room: every other one, keeping the largest
    assert tk.labels(tk.log_ticks(1e5, 1e11, 4), log=True) == ["100k", "10M", "1B", "100B"]
    gpus = tk.log_ticks(500, 2e5)
    assert tk.labels(gpus, log=True) == ["1k", "10k", "100k"]
    assert tk.labels(tk.log_ticks(0.05, 500), " MW", log=True) == [
        "0.1 MW", "1 MW", "10 MW", "100 MW"]
    assert tk.log_ticks(3, 7) == [3, 4, 5, 6, 7]  # under two decades: round linear values


def test_hours_and_months() -> None:
    assert tk.labels(tk.hour_ticks(0, 24), "h") == ["0h", "6h", "12h", "18h", "24h"]
    assert tk.hour_ticks(1, 24) == [6, 12, 18, 24]
    assert tk.hour_ticks(0, 24, 3) == [0, 12, 24]
    assert tk.month_ticks(0, 108, 4) == [0, 36, 72, 108]
    assert tk.month_ticks(0, 108, 10) == [0, 12, 24, 36, 48, 60, 72, 84, 96, 108]


def test_money_and_percent_labels() -> None:
    assert tk.labels([0, 20000, 40000, 60000], "$") == ["$0", "$20k", "$40k", "$60k"]
    assert tk.labels([-5000, 0, 1200, 3.5e6], "$") == ["-$5k", "$0", "$1.2k", "$3.5M"]
    assert tk.labels([0.2, 0.4, 0.6], "$") == ["$0.20", "$0.40", "$0.60"]
    assert tk.labels([25, 50, 75, 100], "%") == ["25%", "50%", "75%", "100%"]
    assert tk.labels([1, math.nan, math.inf]) == ["1", "", ""]


def test_short_figures() -> None:
    assert [fmt.short(x) for x in (1e5, 1e6, 1.5e3, 2.5e6, 0.01, 0.0438, 1e9, 12.0, -1500)] \
        == ["100k", "1M", "1.5k", "2.5M", "0.01", "0.0438", "1B", "12", "-1.5k"]
    assert fmt.short_usd(1200) == "$1.2k" and fmt.short_usd(-3.5e6) == "-$3.5M"
    assert fmt.short_usd(math.nan) == fmt.NONE
    assert fmt.compact(1e6) == "1.00M"  # the existing format is unchanged


def test_place_never_overlaps_or_cuts() -> None:
    row, placed = tk.place(30, [tk.flagged(5, "break-even month 10"),
                                tk.flagged(12, "replaced month 36"),
                                tk.flagged(25, "replaced month 72")])
    assert row == "     ↓ break-even month 10    " and placed == [True, False, False]
    # at the right edge the label points back at its column instead of running off
    row, placed = tk.place(30, [tk.flagged(27, "break-even month 10")])
    assert row.rstrip() == " " * 7 + "break-even month 10 ↓" and placed == [True]
    row, placed = tk.place(10, [tk.flagged(2, "break-even month 10")])
    assert row == " " * 10 and placed == [False]  # left out whole rather than cut
    row, _ = tk.place(12, [tk.centred(0, "100k", 12), tk.centred(11, "1B", 12)])
    assert row == "100k      1B"


def test_wrap_entries_and_fit() -> None:
    assert tk.wrap_entries(["aa x", "bb y", "cc z"], 10) == ["aa x  bb y", "cc z"]
    assert tk.fit(10, "a long title", "short") == "short"
    assert tk.nearest([1.0, 2.0, 4.0], 3.1) == 2 and tk.nearest([], 1.0) == -1
