"""Each chart alone in an app at a roomy and at the smallest deck size: it reads without
arithmetic (real units, no "log10"), its legend and labels sit outside the plot and are
never cut, and no NaN/inf reaches the screen. Also the deck's layout: the main chart on a
row of its own."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Static

from infracalc_tui.engine import series
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.widgets import charts as c
from infracalc_tui.tui.widgets.deck import ChartDeck

NAN_ON_SCREEN = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)
SIZES = [(60, 18), (36, 11)]


def host() -> dict[str, Any]:
    return presets()["llama70b-own-hardware"].scenario.values


def fleet() -> dict[str, Any]:
    return presets()["gpt4o-1b-users"].scenario.values


def utilisation(values: dict[str, Any]) -> tuple[Any, Any, float]:
    u, cost = series.fleet_cost_vs_utilization(values)
    return u, cost, float(values["fleet.target_utilization"])


PLOTS = {
    "users": (c.FleetUsersChart, lambda: series.fleet_users_sweep(fleet())),
    "utilisation": (c.CostVsUtilizationChart, lambda: utilisation(fleet())),
    "projection": (c.ProjectionChart, lambda: series.profit_projection(host())),
    "frontier": (c.FrontierChart, lambda: series.price_frontier(host())),
}


class One(App[None]):
    """Just the chart, filling the screen."""

    CSS = "#chart { width: 1fr; height: 1fr; }"

    def __init__(self, chart: Widget) -> None:
        super().__init__()
        self.chart = chart

    def compose(self) -> ComposeResult:
        yield self.chart


async def drawn(chart: Any, data: Any, size: tuple[int, int]) -> list[str]:
    app = One(chart)
    async with app.run_test(size=size) as pilot:
        chart.show_data(data)
        await pilot.pause()
        assert chart.size == size
        if isinstance(chart, c.Chart):
            return ["".join(s.text for s in strip) for strip in chart._draw_strips()]
        return str(chart.render()).split("\n")


def frame(lines: list[str]) -> tuple[int, int]:
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return top, bottom


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("name", sorted(PLOTS))
async def test_plot_reads_in_real_units_with_its_legend_outside(
        name: str, size: tuple[int, int]) -> None:
    cls, make = PLOTS[name]
    data = make()
    chart = cls(lambda values: None, id="chart")
    lines = await drawn(chart, data, size)
    screen = "\n".join(lines)
    assert len(lines) == size[1] and "unavailable" not in screen, screen
    assert "log10" not in screen and not NAN_ON_SCREEN.search(screen), screen
    top, bottom = frame(lines)
    assert bottom - top >= 3, f"fewer than two rows of plot:\n{screen}"
    inside = "\n".join(lines[top:bottom + 1])
    for marker, label in chart.legend(data):
        entry = f"{c.GLYPH.get(marker, marker) * 2} {label}"
        outside = "\n".join(lines[:top] + lines[bottom + 1:])
        if size[1] >= 18:  # the smallest size may give up legend rows for the plot
            assert entry in outside, f"{name}: legend {entry!r} missing:\n{screen}"
        assert label not in inside, f"{name}: legend {label!r} drawn on the plot:\n{screen}"
    if name == "users":
        assert re.search(r"\b(100k|1M|10M|100M|1B)\b", lines[bottom + 1]), screen
        assert " MW" in inside  # the right axis, in its own unit
    if name == "projection":
        assert f"break-even month {data.break_even_month}" in screen, screen
        assert "$0" in inside and re.search(r"\$\d+k", inside), screen
    if name == "frontier":
        assert re.search(r"\b0h\b.*\b12h\b.*\b24h\b", lines[bottom + 1]), screen
        assert "$0.02" in inside, screen


async def test_replacement_labels_in_full_when_there_is_room() -> None:
    data = series.profit_projection(host())
    lines = await drawn(c.ProjectionChart(lambda values: None, id="chart"), data, (72, 16))
    screen = "\n".join(lines)
    for m in data.replacement_months:
        assert f"replaced month {m:g}" in screen, screen
    assert "reak-even m" not in screen.replace("break-even m", "")


@pytest.mark.parametrize("width", [36, 40, 60])
async def test_breakdown_labels_are_never_cut(width: int) -> None:
    data = series.host_cost_breakdown(host())
    lines = await drawn(c.Bars(lambda values: None, id="chart"), data, (width, 11))
    words = " ".join(line.split("$")[0] for line in lines[1:])
    for label in data.labels:
        for word in label.split():
            assert word in words.split(), (label, lines)
    assert any("█" in line for line in lines), lines


async def test_compare_labels_fit() -> None:
    bars = c.Bars(id="chart")
    app = One(bars)
    async with app.run_test(size=(40, 8)) as pilot:
        bars.show("Profit per day", ["2x RTX 4090 24GB", "1x NVIDIA H100 80GB"],
                  [12.5, -3.0], "/day")
        await pilot.pause()
        text = str(bars.render())
    assert "2x RTX 4090 24GB" in text and "1x NVIDIA H100" in text, text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("grid", ["threads", "price"])
async def test_heatmap_axes_on_round_values(grid: str, size: tuple[int, int]) -> None:
    make = {"threads": series.profit_grid_threads_hours,
            "price": series.profit_grid_price_hours}[grid]
    chart = c.Heatmap(lambda values: None, id="chart")
    lines = await drawn(chart, make(host()), size)
    screen = "\n".join(lines)
    assert not NAN_ON_SCREEN.search(screen) and len(lines) <= size[1], screen
    w = chart.label_width
    body = lines[chart.body_top:chart.body_top + len(chart.body_rows)]
    labels = [line[:w].strip() for line in body if line[:w].strip()]
    assert labels, screen
    pattern = r"\$0\.\d\d?" if grid == "price" else r"\d+"
    assert all(re.fullmatch(pattern, x) for x in labels), labels  # $0.02, not 0.0438
    axis = lines[chart.body_top + len(chart.body_rows)]
    assert re.search(r"\b12h\b.*\b24h\b", axis), screen


class Panel(Static):
    """A stand-in chart: records what it was given."""

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title
        self.source = lambda values: title
        self.data: Any = None

    def show_data(self, data: Any) -> None:
        self.data = data


class Deck(App[None]):
    CSS = """
    ChartDeck { height: 1fr; }
    .deck-caption { height: 1; }
    .deck-grid { grid-gutter: 0 1; height: 1fr; }
    .deck-grid > * { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield ChartDeck(lambda: [Panel(t) for t in ("main", "b", "c", "d", "e")], id="deck")


async def test_the_main_chart_has_a_row_of_its_own() -> None:
    app = Deck()
    async with app.run_test(size=(72, 17)) as pilot:
        deck = app.query_one(ChartDeck)
        await pilot.pause()
        await pilot.pause()
        assert deck.pages == 3 and list(deck.visible_indices()) == [0]
        assert deck.charts[0].size.width >= 60 and deck.charts[0].size.height >= 11
        caption = str(app.query_one(".deck-caption", Static).render())
        assert caption == "Chart 1 of 5: main · F8 next, F9 back"
        deck.update_values({})
        assert deck.charts[0].data == "main" and deck.charts[1].data is None
        deck.set_page(1)
        await pilot.pause()
        assert list(deck.visible_indices()) == [1, 2] and deck.per_page == 2
        assert all(deck.charts[i].size.width >= 35 and deck.charts[i].display
                   for i in (1, 2))
        assert not deck.charts[0].display and deck.charts[1].data == "b"
        await pilot.resize_terminal(72, 40)  # tall: the main chart, then two rows of two
        await pilot.pause()
        deck.set_page(0)
        await pilot.pause()
        assert deck.pages == 1 and list(deck.visible_indices()) == [0, 1, 2, 3, 4]
        assert deck.charts[0].size.width >= 70
        deck.set_compact(True)
        await pilot.pause()
        assert deck.pages == 5 and deck.per_page == 1


NAN = float("nan")


@pytest.mark.parametrize("name", ["users", "projection", "frontier", "utilisation"])
async def test_nan_never_reaches_a_label(name: str) -> None:
    import numpy as np

    nan3 = np.array([NAN, 1.0, np.inf])
    data = {
        "users": series.FleetSweep(np.array([1e5, 1e6, 1e7]), nan3, nan3, nan3, NAN),
        "projection": series.Projection(np.arange(3.0), nan3, nan3, nan3, None, [NAN]),
        "frontier": series.Frontier(np.arange(1.0, 4.0), np.full(3, NAN), NAN, np.inf),
        "utilisation": (np.array([0.2, 0.6, 1.0]), nan3, NAN),
    }[name]
    chart = PLOTS[name][0](lambda values: None, id="chart")
    lines = await drawn(chart, data, (60, 18))
    screen = "\n".join(lines)
    assert not NAN_ON_SCREEN.search(screen) and "log10" not in screen, screen
    assert "unavailable" not in screen, screen  # drawn, not caught by the guard
