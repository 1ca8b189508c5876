"""The analysis workbench in the TUI: solve, tornado and diff dialogs, the own/rent/API and
fleet cost charts, and uncertainty bands. Each dialog runs in a small app of its own (not
the main screen's wiring), driven by keys as a person would."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pytest import approx
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, OptionList

from infracalc_tui import formatting as fmt
from infracalc_tui.engine import series
from infracalc_tui.engine.alternatives import fleet_own_rent_api, host_own_rent_api
from infracalc_tui.engine.uncertainty import Bands, fleet_cost_bands
from infracalc_tui.scenario.io import load
from infracalc_tui.tui.screens.diff import DiffScreen, change_cell, input_cell, pct_cell
from infracalc_tui.tui.screens.sensitivity import TornadoScreen
from infracalc_tui.tui.screens.solve import SolveScreen, goal_seek
from infracalc_tui.tui.widgets import chart_sets
from infracalc_tui.tui.widgets.analysis_charts import (
    FleetCostChart,
    OwnRentApiChart,
    crossover_label,
    cumulative_fleet_cost,
)
from infracalc_tui.tui.widgets.charts import BAND, BAND_LABEL, ProjectionChart
from infracalc_tui.tui.widgets.tornado import Tornado, TornadoRow, bar, tornado_lines

from ..conftest import pilot_wait_until

BOX = Path(__file__).parents[2] / "scenarios" / "llama70b-own-hardware.toml"
FLEET = Path(__file__).parents[2] / "scenarios" / "gpt4o-1b-users.toml"


def box() -> Any:
    return load(BOX)


class Host(App[None]):
    """An empty app that opens one dialog and keeps what it was dismissed with."""

    def __init__(self, dialog: Screen[Any]) -> None:
        super().__init__()
        self.dialog = dialog
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, callback=self.results.append)


async def opened(pilot: Any, dialog: Screen[Any]) -> None:
    await pilot_wait_until(pilot, lambda: pilot.app.screen is dialog, what="the dialog")


# -- solve ----------------------------------------------------------------------------------

async def test_solve_finds_the_hours_for_a_one_year_break_even_and_applies_them() -> None:
    dialog = SolveScreen(box(), "host.break_even_days")
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, dialog)
        figure = dialog.query_one("#solve-figure", OptionList)
        vary = dialog.query_one("#solve-vary", OptionList)
        assert figure.highlighted_option.id == "host.break_even_days"
        assert vary.highlighted_option.id == "pricing.utilization_hours_per_day"
        await pilot.press("enter")  # the figure: on to its target value
        assert app.focused is dialog.query_one("#solve-goal")
        await pilot.press(*"365", "enter")  # the target: on to the input to vary
        assert app.focused is vary
        await pilot.press("enter")  # solve
        await pilot_wait_until(pilot, lambda: dialog.sought is not None, what="the answer")
        assert dialog.result_text == ("pricing.utilization_hours_per_day = 6.49 h/day gives "
                                      "host.break_even_days = 365 days")
        assert app.focused is dialog.query_one("#solve-apply", Button)
        await pilot.press("enter")  # apply
        await pilot_wait_until(pilot, lambda: app.results, what="the dialog to close")
    [(key, value)] = app.results
    assert key == "pricing.utilization_hours_per_day" and value == approx(6.4918, abs=1e-4)


async def test_an_unreachable_target_says_why_and_returns_nothing() -> None:
    dialog = SolveScreen(box(), "host.break_even_days")
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, dialog)
        await pilot.press("enter", "1", "enter", "enter")
        await pilot_wait_until(pilot, lambda: "never reaches 1" in dialog.result_text,
                               what=lambda: f"the error, got {dialog.result_text!r}")
        assert dialog.result_text.startswith("host.break_even_days stays between")
        assert dialog.sought is None and dialog.query_one("#solve-apply", Button).disabled
        assert app.screen is dialog  # still open: the person can change the question
        await pilot.press("escape")
        await pilot_wait_until(pilot, lambda: app.results, what="the dialog to close")
    assert app.results == [None]


async def test_a_target_that_is_not_a_number_keeps_the_cursor_in_the_value() -> None:
    dialog = SolveScreen(box(), "host.break_even_days")
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, dialog)
        await pilot.press("enter", *"soon", "enter")
        await pilot.pause()
        assert "not a number" in dialog.result_text
        assert app.focused is dialog.query_one("#solve-goal")


def test_goal_seek_matches_the_cli_and_understands_typed_numbers() -> None:
    found = goal_seek(box(), "host.break_even_days", 365, "pricing.utilization_hours_per_day")
    assert found.value == approx(6.491811, rel=1e-6)
    step = goal_seek(box(), "host.profit_usd_per_day", 8, "pricing.concurrent_threads")
    assert step.value == 1 and isinstance(step.value, int)  # whole threads: the step's foot
    assert step.text == ("pricing.concurrent_threads = 1 streams gives host.profit_usd_per_day"
                         " = $3.29/day; it jumps over the target there (at 2 streams it is "
                         "$12.89/day)")
    with pytest.raises(ValueError, match="never reaches"):
        goal_seek(box(), "host.break_even_days", 1, "pricing.utilization_hours_per_day")


# -- tornado --------------------------------------------------------------------------------

async def test_tornado_lists_the_price_per_minute_and_orders_rows_by_swing() -> None:
    dialog = TornadoScreen(box(), "host.profit_usd_per_day")
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, dialog)
        tornado = dialog.query_one(Tornado)
        await pilot_wait_until(pilot, lambda: tornado.size.width > 0 and tornado.lines(),
                               what="the tornado")
        rows = tornado.rows
        swings = [r.swing for r in rows]
        assert swings == sorted(swings, reverse=True) and len(rows) >= 10
        price = next(r for r in rows if r.key == "pricing.charge_per_minute_usd")
        assert fmt.value(price.swing, "usd/day") == "$7.68/day"
        lines = tornado.lines()
        line = next(x for x in lines if x.startswith("Price per minute ($/min)"))
        assert "$7.68/day" in line and "$9.05/day" in line and "$16.73/day" in line, lines
        order = [next(i for i, x in enumerate(lines) if r.label in x) for r in rows]
        assert order == sorted(order)  # drawn in the same order, largest swing first
        assert all(len(x) <= tornado.size.width for x in lines)
        await pilot.press("escape")
        await pilot_wait_until(pilot, lambda: app.results, what="the dialog to close")


ROWS = [TornadoRow("a", "Total params (billion)", 12.89, -6.31, 19.2),
        TornadoRow("b", "Price per minute ($/min)", 9.05, 16.73, 7.68),
        TornadoRow("c", "GPU price ($)", 13.55, 12.23, 1.32)]


@pytest.mark.parametrize("width", [40, 50, 60, 74, 90, 110])
def test_tornado_fits_each_width_with_whole_labels_and_both_figures(width: int) -> None:
    lines = tornado_lines("Profit per day: $12.89/day at the scenario; each input ±20%",
                          12.89, ROWS, "usd/day", width, note="(34 more inputs do not move it)")
    assert all(len(x) <= width for x in lines), lines
    text = "\n".join(lines)
    for r in ROWS:
        assert any(x.startswith(r.label) for x in lines), (r.label, text)  # never cut
        for figure in (r.low, r.high, r.swing):
            assert fmt.value(figure, "usd/day") in text
    assert "▒ input −20%" in text and "█ input +20%" in text


def test_a_bar_runs_from_the_base_to_each_figure_on_one_scale() -> None:
    row = TornadoRow("b", "price", 9.0, 17.0, 8.0)
    drawn = bar(row, 13.0, 9.0, 17.0, 9)
    assert drawn == "▒▒▒▒│████"
    tiny = bar(TornadoRow("t", "tiny", 13.0, 13.01, 0.01), 13.0, 9.0, 17.0, 9)
    assert tiny == "    │█   "  # too small for a column, still seen
    assert bar(row, 13.0, 9.0, 17.0, 9, ("$9", "$17")) == " $9 ▒▒▒▒│████ $17"


# -- diff -----------------------------------------------------------------------------------

async def test_diff_shows_the_changed_input_and_profit_per_day_up_70_percent() -> None:
    a = box()
    b = a.with_value("pricing.utilization_hours_per_day", 12)
    dialog = DiffScreen(a, b, "12 hours a day")
    app = Host(dialog)
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot, dialog)
        await pilot.pause()
        lines = dialog.text_lines()
        hours = next(x for x in lines if "Hours of use (h/day)" in x)
        assert "8 h/day" in hours and "12 h/day" in hours
        profit = next(x for x in lines if x.strip().startswith("Profit per day "))
        assert "+69.8%" in profit and "+$9.00" in profit, lines
        assert "$12.89/day" in profit and "$21.89/day" in profit
        body = dialog.query_one("#diff-body")
        assert body.max_scroll_y > 0  # more rows than 24 lines hold: it scrolls
        assert all(len(x) <= body.size.width for x in lines)
        before = body.scroll_y
        await pilot.press("pagedown")
        await pilot_wait_until(pilot, lambda: body.scroll_y > before, what="a scroll")
        await pilot.press("escape")
        await pilot_wait_until(pilot, lambda: app.results, what="the dialog to close")


def test_diff_cells() -> None:
    assert input_cell(8.0, "h/day") == "8 h/day" and input_cell(None, "") == fmt.NONE
    assert input_cell("llama-3.1-70b", "") == "llama-3.1-70b"
    assert change_cell(9.0, "usd/day") == "+$9.00" and change_cell(-99.6, "days") == "-99.6"
    assert change_cell(None, "") == "" and pct_cell(69.815) == "+69.8%" and pct_cell(None) == ""


# -- charts ---------------------------------------------------------------------------------

class One(App[None]):
    CSS = "#chart { width: 1fr; height: 1fr; }"

    def __init__(self, chart: Widget) -> None:
        super().__init__()
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield self.chart


async def drawn(chart: Any, data: Any, size: tuple[int, int], bands: Any = "none"
                ) -> list[str]:
    app = One(chart)
    async with app.run_test(size=size) as pilot:
        chart.show_data(data)
        if bands != "none":
            chart.show_bands(bands)
        await pilot.pause()
        assert chart.size == size
        return ["".join(s.text for s in strip) for strip in chart._draw_strips()]


def frame(lines: list[str]) -> tuple[int, int]:
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return top, bottom


async def test_own_rent_api_marks_the_crossover_in_full_at_60x18() -> None:
    data = host_own_rent_api(box().values)
    lines = await drawn(OwnRentApiChart(lambda v: None, id="chart"), data, (60, 18))
    screen = "\n".join(lines)
    top, bottom = frame(lines)
    assert "owning beats renting above 4.1 h/day" in "\n".join(lines[bottom + 1:]), screen
    assert "⠤⠤ own" in "\n".join(lines[:top]) and "▄▄ rent" in "\n".join(lines[:top])
    ticks = lines[bottom + 1]
    for hour in ("0h", "6h", "12h", "18h", "24h"):
        assert hour in ticks.split(), screen
    assert "$0" in screen and "$10" in screen and "nan" not in screen.lower()


async def test_own_rent_api_with_an_api_price_draws_three_lines() -> None:
    values = box().with_value("pricing.api_price_per_million_output_tokens_usd", 5).values
    data = host_own_rent_api(values)
    lines = await drawn(OwnRentApiChart(lambda v: None, id="chart"), data, (80, 20))
    top, bottom = frame(lines)
    legend = "\n".join(lines[:top])
    assert "⠤⠤ own" in legend and "▄▄ rent" in legend and "•• API" in legend
    assert "•" in "\n".join(lines[top + 1:bottom])


async def test_own_rent_api_for_the_fleet_reads_utilisation_in_percent() -> None:
    data = fleet_own_rent_api(load(FLEET).values)
    lines = await drawn(OwnRentApiChart(lambda v: None, id="chart"), data, (80, 18))
    screen = "\n".join(lines)
    _, bottom = frame(lines)
    assert "0%" in lines[bottom + 1] and "100%" in lines[bottom + 1], screen
    assert f"above {data.crossover * 100:.0f}%" in screen


async def test_own_rent_api_without_prices_says_what_to_set() -> None:
    values = box().with_value("gpu.rent_usd_per_hour", 0).values
    data = host_own_rent_api(values)
    assert not np.isfinite(data.rent).any() and not np.isfinite(data.api).any()
    lines = await drawn(OwnRentApiChart(lambda v: None, id="chart"), data, (60, 18))
    text = " ".join(x.strip() for x in lines)
    assert "no GPU rental price (gpu.rent_usd_per_hour) and no API price" in text, lines
    assert "┌" not in text


def test_crossover_labels_in_real_units() -> None:
    assert crossover_label(4.087, "day") == "owning beats renting above 4.1 h/day"
    assert crossover_label(0.657, "year") == "owning beats renting above 66% utilisation"


def fake_bands(x: Any, line: Any, spread: float) -> Bands:
    line = np.asarray(line, dtype=float)
    return Bands(np.asarray(x, dtype=float), line - spread, line, line + spread, "usd")


async def test_projection_bands_add_the_p10_p90_legend_and_none_changes_nothing() -> None:
    data = series.profit_projection(box().values)
    plain = await drawn(ProjectionChart(lambda v: None, id="chart"), data, (60, 18))
    bands = fake_bands(data.months, data.profit, 3000.0)
    banded = await drawn(ProjectionChart(lambda v: None, id="chart"), data, (60, 18), bands)
    top, bottom = frame(banded)
    assert f"{BAND * 2} {BAND_LABEL}" in "\n".join(banded[:top]), "\n".join(banded)
    assert BAND in "\n".join(banded[top + 1:bottom])
    assert BAND_LABEL not in "\n".join(plain)
    removed = await drawn(ProjectionChart(lambda v: None, id="chart"), data, (60, 18), None)
    assert removed == plain


async def test_showing_bands_redraws_only_that_chart() -> None:
    chart = ProjectionChart(lambda v: None, id="chart")
    app = One(chart)
    async with app.run_test(size=(60, 18)) as pilot:
        data = series.profit_projection(box().values)
        chart.show_data(data)
        await pilot.pause()
        calls = []
        original = chart.source
        chart.source = lambda v: calls.append(v) or original(v)
        chart.show_bands(fake_bands(data.months, data.profit, 3000.0))
        await pilot_wait_until(pilot, lambda: chart._strips is not None and any(
            BAND_LABEL in s.text for s in chart._strips), what="the bands drawn")
        assert chart.data is data and not calls  # the line was not recomputed


async def test_fleet_cost_line_and_its_band() -> None:
    scenario = load(FLEET)
    data = chart_sets.fleet_cost_line(scenario.values)
    spec = {"fleet.users": {"low": 5e8, "high": 2e9, "mode": 1e9}}
    bands = fleet_cost_bands(scenario.inputs, spec, samples=200)
    assert np.array_equal(bands.x, data.years)  # the same quarters as the band
    lines = await drawn(FleetCostChart(lambda v: None, id="chart"), data, (60, 18), bands)
    top, bottom = frame(lines)
    assert "⠤⠤ cost" in lines[top - 1] and f"{BAND * 2} {BAND_LABEL}" in lines[top - 1]
    assert "0y" in lines[bottom + 1] and "$10B" in "\n".join(lines), "\n".join(lines)
    plain = await drawn(FleetCostChart(lambda v: None, id="chart"), data, (60, 18))
    assert BAND_LABEL not in "\n".join(plain)


def test_cumulative_fleet_cost_is_capex_then_opex_per_year() -> None:
    line = cumulative_fleet_cost(100.0, 10.0, 2.0)
    assert list(line.years) == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0]
    assert line.cost[0] == 100.0 and line.cost[-1] == 120.0


def test_the_tabs_end_with_own_rent_api_and_the_fleet_shows_its_cost() -> None:
    host, fleet = chart_sets.host_charts(), chart_sets.fleet_charts()
    assert isinstance(host[-1], OwnRentApiChart) and isinstance(fleet[-1], OwnRentApiChart)
    assert isinstance(fleet[1], FleetCostChart) and isinstance(host[0], ProjectionChart)
    assert host[-1].source(box().values).period == "day"
    assert fleet[-1].source(load(FLEET).values).period == "year"
    assert len({c.id for c in host + fleet}) == len(host) + len(fleet)
    assert math.isfinite(float(fleet[1].source(load(FLEET).values).cost[-1]))


@pytest.mark.parametrize("size", [(60, 18), (36, 11)])
@pytest.mark.parametrize("edge", ["no hours of use", "24 hours", "one user", "1e11 users",
                                  "free", "fits nowhere"])
async def test_the_new_charts_stay_defined_at_edge_values(edge: str, size: tuple[int, int]
                                                          ) -> None:
    from .test_edge_values import EDGES, NAN, scenario

    for preset, make, cls in (
            ("llama70b-own-hardware", host_own_rent_api, OwnRentApiChart),
            ("gpt4o-1b-users", fleet_own_rent_api, OwnRentApiChart),
            ("gpt4o-1b-users", chart_sets.fleet_cost_line, FleetCostChart)):
        values = scenario(preset, EDGES[edge]).values
        lines = await drawn(cls(lambda v: None, id="chart"), make(values), size)
        screen = "\n".join(lines)
        assert lines and "unavailable" not in screen and not NAN.search(screen), screen
        assert all(len(x) <= size[0] for x in lines), screen
