"""NO_COLOR at 80x24: every chart still tells its series apart, by symbol alone.

Textual reads NO_COLOR when the app is made and filters every line it draws to grey. The
charts colour their markers by character class (charts.py), so without colour the
characters themselves must differ: checked here on the lines each chart widget renders
(after Textual's filters, as they go to the terminal), one chart per page as 80x24 shows
them (F8).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from rich.color import Color
from textual.geometry import Region
from textual.strip import Strip

from infracalc_tui.tui.widgets.charts import Chart
from infracalc_tui.tui.widgets.deck import ChartDeck
from infracalc_tui.tui.widgets.textcharts import Bars, Heatmap

from ..conftest import pilot_wait_until
from .conftest import make_app

SIZE = (80, 24)
BRAILLE = "braille"  # plotext's line marker: any of U+2800..U+28FF, shown as one class
BLOCKS = "blocks"  # plotext's "hd" line marker: quadrant blocks, shown as one class
QUADRANTS = "▖▗▘▙▚▛▜▝▞▟▀▄▌▐█"
# each plotext chart's labelled series, as its legend names them
LABELS: dict[str, tuple[str, ...]] = {
    "fleet-users": ("GPUs (left)", "MW (right)", "you are here"),
    "host-projection": ("revenue", "cost", "profit"),
    "host-frontier": ("break-even price", "you"),
    "host-own-rent-api": ("own", "rent", "you"),
    "fleet-own-rent-api": ("own", "rent", "you"),
    "fleet-cost": ("cost",),
}
# charts without a legend: the markers of their series (the curve, the scenario's point)
UNLABELLED: dict[str, tuple[str, ...]] = {"fleet-utilization": (BRAILLE, "●")}


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def rendered(widget: Any) -> list[Strip]:
    """The widget's lines as Textual sends them to the terminal (NO_COLOR filter applied)."""
    return widget.render_lines(Region(0, 0, *widget.size))


def lines_of(widget: Any) -> list[str]:
    return [strip.text for strip in rendered(widget)]


def hues(strips: list[Strip]) -> set[str]:
    """Every colour in the lines that is not a grey (none, with NO_COLOR)."""
    out = set()
    for strip in strips:
        for segment in strip:
            style = segment.style
            for colour in (style.color, style.bgcolor) if style else ():
                if isinstance(colour, Color) and colour.triplet is not None:
                    r, g, b = colour.triplet
                    if not r == g == b:
                        out.add(colour.triplet.hex)
    return out


async def every_chart(pilot: Any, tab: str) -> AsyncIterator[Any]:
    """Each chart of ``tab`` in turn, on its own page (80x24 shows one at a time), drawn."""
    app = pilot.app
    await pilot.press({"fleet": "f3", "host": "f4"}[tab])
    deck = app.query_one(f"#{tab}-deck", ChartDeck)
    assert deck.compact and deck.charts
    for chart in deck.charts:
        await pilot.press("f8")  # the figures first, then one chart per press
        await pilot_wait_until(
            pilot, lambda c=chart: c.display and any(line.strip() for line in lines_of(c)),
            30.0, f"chart {chart.id} to be shown and drawn at {SIZE}")
        yield chart
    await pilot.press("f8")  # back to the figures


def canvas(lines: list[str]) -> list[str]:
    """The inside of a plotext chart's frame (no ticks, title or axis labels)."""
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    left, right = lines[top].index("┌"), lines[top].index("┐")
    return [line[left + 1:right] for line in lines[top + 1:bottom]]


def drawn_with(marker: str, text: str) -> bool:
    """The marker is drawn in ``text`` (an ASCII marker: not as a letter of a word)."""
    if marker == BRAILLE:
        return re.search(r"[\u2800-\u28ff]", text) is not None
    if marker == BLOCKS:
        return re.search(f"[{QUADRANTS}]", text) is not None
    if marker.isascii():
        return re.search(rf"(?<![A-Za-z0-9]){re.escape(marker)}+(?![A-Za-z0-9])",
                         text) is not None
    return marker in text


def expected_labels(chart: Any) -> tuple[str, ...]:
    return LABELS[chart.id]


def check_plotext_chart(chart: Chart) -> None:
    strips = rendered(chart)
    lines = [s.text for s in strips]
    screen = "\n".join(lines)
    assert not hues(strips), (chart.id, hues(strips))
    inside = canvas(lines)
    if chart.id in UNLABELLED:
        markers = list(UNLABELLED[chart.id])
    else:
        markers = []
        for label in expected_labels(chart):
            # plotext's legend: the series' marker twice, then its label
            found = re.search(rf"(\S)\1 {re.escape(label)}(?=\s|│|$)", screen)
            assert found, f"{chart.id}: no legend entry for {label!r}:\n{screen}"
            mark = found.group(1)
            markers.append(BRAILLE if "\u2800" <= mark <= "\u28ff" else
                           BLOCKS if mark in QUADRANTS else mark)
            inside = [line.replace(found.group(0), " " * len(found.group(0)))
                      for line in inside]
    assert len(set(markers)) == len(markers), \
        f"{chart.id}: series share a marker ({markers}); without colour they look alike"
    body = "\n".join(inside)
    for marker in markers:
        assert drawn_with(marker, body), \
            f"{chart.id}: marker {marker!r} is not drawn in the plot:\n{screen}"


def legend_of(lines: list[str]) -> dict[str, str]:
    """The heatmap's legend (its lines under the hour axis): what each entry means -> its
    symbols."""
    legend = "  ".join(line.strip() for line in lines if line.strip())
    out = {}
    for entry in re.split(r"\s{2,}", legend.strip()):
        symbols, _, meaning = entry.partition(" ")
        out[meaning] = symbols
    return out


def symbols_for(legend: dict[str, str], *meanings: str) -> str:
    missing = [m for m in meanings if m not in legend]
    assert not missing, f"the legend does not explain {missing}: {legend}"
    return "".join(legend[m] for m in meanings)


def check_heatmap(chart: Heatmap) -> None:
    """Every cell's symbol says what the legend says it does: loss, profit, over the
    host's limit (the best cell and the scenario's own are marked on top)."""
    strips = rendered(chart)
    lines = [s.text for s in strips]
    screen = "\n".join(lines)
    assert not hues(strips), (chart.id, hues(strips))
    w, top, shown = chart.label_width, chart.body_top, len(chart.body_rows)
    legend = legend_of(lines[top + shown + 1:])
    for meaning, symbols in legend.items():
        assert symbols and not re.search(r"[^\W_]", symbols) and meaning, \
            f"{chart.id}: legend entry {symbols!r} {meaning!r} is not a symbol and its meaning"
    loss = symbols_for(legend, "loss", "break-even edge")
    profit = symbols_for(legend, "profit")
    marks = symbols_for(legend, "best", "you")
    assert len(set(loss + profit + marks)) == len(loss + profit + marks), legend
    g = chart.grid
    # the rows: a round y label (or none) in the first label_width columns, then one symbol
    # per cell; which grid row and columns they show, the chart says
    rows = [(i, lines[top + k][w + 1:w + 1 + len(chart.body_cols)])
            for k, i in enumerate(chart.body_rows)]
    assert rows and all(len(cells) == len(chart.body_cols) for _, cells in rows), screen
    assert "".join(c for _, c in rows).count("★") == 1, f"{chart.id}: not one best:\n{screen}"
    checked = 0
    for i, cells in rows:
        for symbol, j in zip(cells, chart.body_cols, strict=True):
            if symbol in marks:
                continue
            if g.y[i] > g.y_limit:
                meaning, want = "over max threads", symbols_for(legend, "over max threads")
            elif g.z[i, j] < 0:
                meaning, want = "a loss", loss
            else:
                meaning, want = "a profit", profit
            assert symbol in want, (f"{chart.id}: the cell at {g.y_label}={g.y[i]:g}, "
                                    f"{g.x[j]:g} {g.x_label} is {meaning} but shows "
                                    f"{symbol!r}:\n{screen}")
            checked += 1
    assert checked >= len(rows[0][1]) * len(rows) // 2, f"{chart.id}: few cells checked"


def check_bars(chart: Bars) -> None:
    """One series; its sign is in the glyph, not only in red and green."""
    strips = rendered(chart)
    lines = [s.text for s in strips]
    assert not hues(strips), (chart.id, hues(strips))
    rows = [line for line in lines[1:] if "$" in line]
    assert any(set(line) & set("█▒") for line in rows), "\n".join(lines)
    for line in rows:  # (a bar shorter than a cell is not drawn at all)
        glyphs = set(line) & set("█▒")
        if "-$" in line:
            assert glyphs <= {"▒"}, f"{chart.id}: a loss drawn as a gain: {line!r}"
        else:
            assert glyphs <= {"█"}, f"{chart.id}: a gain drawn as a loss: {line!r}"


@pytest.mark.parametrize("preset", ["llama70b-own-hardware", "gpt4o-1b-users"])
async def test_without_colour_every_chart_tells_its_series_apart(preset: str) -> None:
    app = make_app(preset)
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color  # Textual read NO_COLOR
        seen: dict[str, str] = {}
        for tab in ("fleet", "host"):
            async for chart in every_chart(pilot, tab):
                if isinstance(chart, Chart):
                    assert chart.id in LABELS or chart.id in UNLABELLED, \
                        f"new chart {chart.id}: list its series in LABELS or UNLABELLED"
                    check_plotext_chart(chart)
                elif isinstance(chart, Heatmap):
                    check_heatmap(chart)
                elif isinstance(chart, Bars):
                    check_bars(chart)
                else:
                    pytest.fail(f"chart {chart.id} ({type(chart).__name__}) is not checked")
                seen[chart.id] = type(chart).__name__
        assert set(LABELS) | set(UNLABELLED) <= set(seen), seen
        assert sum(kind == "Heatmap" for kind in seen.values()) == 2, seen

        await pilot.press("f5")  # Compare: its table and bar chart together
        compare = app.query_one("#compare-chart", Bars)
        await pilot_wait_until(pilot, lambda: compare.display and "$" in "".join(
            lines_of(compare)), 30.0, f"the Compare chart to be drawn at {SIZE}")
        check_bars(compare)
