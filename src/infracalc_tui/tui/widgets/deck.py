"""A deck of charts: shows as many as fit at a readable size, and pages through the rest.

Why: five plotext charts squeezed into a 24-row terminal are five empty frames. The deck
measures itself and lays out only what is legible, one page at a time (F8 / F9); charts off
the page are neither computed nor rendered, which also keeps every change cheap. The first
chart is the tab's main one: it always gets a row of its own across the whole deck.
"""

from __future__ import annotations

import math
import pickle
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from textual.app import ComposeResult
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static


class SeriesView(Protocol):
    """A widget that shows one engine series: ``source(values)`` makes it, ``show`` draws it."""

    source: Callable[[Mapping[str, Any]], Any]
    title: str

    def show_data(self, data: Any) -> None: ...


class ChartDeck(Vertical):
    class ChartsMounted(Message):
        """The charts are in (just after the first paint): counts of them are now true."""

        def __init__(self, deck: ChartDeck) -> None:
            super().__init__()
            self.deck = deck

    MIN_WIDTH = 36  # columns a plotext chart needs to have readable ticks
    MIN_HEIGHT = 11  # rows: title, a plot of six or more rows, the x axis and its label

    def __init__(self, build: Callable[[], list[Widget]], id: str | None = None) -> None:
        """``build`` makes the charts; it runs after the first paint (plotext and the chart
        series are imported then, not at start-up)."""
        super().__init__(id=id, classes="deck")
        self._build = build
        self.charts: list[Widget] = []
        self.page = 0
        self._starts: list[int] = [0]  # the first chart of each page
        self.compact = False
        self._grid_shape: tuple[int, int] = (0, 0)
        self._values: Mapping[str, Any] | None = None
        self._stale: set[int] = set()
        self._prints: dict[int, bytes] = {}  # what each chart last drew

    def compose(self) -> ComposeResult:
        yield Static("", classes="deck-caption")
        yield Grid(classes="deck-grid")

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_charts)

    async def _mount_charts(self) -> None:
        if not self.is_attached:  # the app quit in its first moments
            return
        self.charts = self._build()
        self._stale = set(range(len(self.charts)))
        await self.query_one(".deck-grid", Grid).mount_all(self.charts)
        self._grid_shape = (0, 0)
        self.relayout()
        self.post_message(self.ChartsMounted(self))

    @property
    def pages(self) -> int:
        return len(self._starts)

    @property
    def per_page(self) -> int:
        """How many charts the current page shows."""
        return len(self.visible_indices())

    def visible_indices(self) -> range:
        page = max(0, min(self.page, len(self._starts) - 1))
        start = self._starts[page]
        stop = self._starts[page + 1] if page + 1 < len(self._starts) else len(self.charts)
        return range(start, stop)

    def on_resize(self) -> None:
        self.relayout()

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.relayout()

    def set_page(self, page: int) -> None:
        self.page = max(0, min(page, self.pages - 1))
        self._show_page()

    def relayout(self) -> None:
        """Choose a grid that keeps every chart at least MIN_WIDTH x MIN_HEIGHT, the first
        (the main chart) across the whole width of its row."""
        n = len(self.charts)
        if self.compact:
            cols = rows = 1
        else:
            width, height = self.size.width, max(1, self.size.height - 1)
            cols = max(1, min(max(1, n - 1), width // self.MIN_WIDTH))
            rows = max(1, min(math.ceil((n - 1) / cols) + 1 if n > 1 else 1,
                              height // self.MIN_HEIGHT))
        # page 0: the main chart on a row of its own, then full rows of the others
        starts, at = [0], min(n, 1 + (rows - 1) * cols)
        while at < n:
            starts.append(at)
            at += cols * rows
        self._starts = starts
        if (cols, rows) != self._grid_shape:
            self._grid_shape = (cols, rows)
            grid = self.query_one(".deck-grid", Grid)
            grid.styles.grid_size_columns = cols
            grid.styles.grid_size_rows = rows
        if self.charts:
            self.charts[0].styles.column_span = cols
        self.page = min(self.page, self.pages - 1)
        self._show_page()

    def _show_page(self) -> None:
        if not self.charts:
            return
        visible = self.visible_indices()
        for i, chart in enumerate(self.charts):
            chart.display = i in visible
        first, last = visible.start + 1, visible.stop
        shown = f"Chart {first}" if first == last else f"Charts {first}-{last}"
        more = " · F8 next, F9 back" if self.pages > 1 or self.compact else ""
        names = ", ".join(getattr(self.charts[i], "title", "") for i in visible)
        self.query_one(".deck-caption", Static).update(
            f"{shown} of {len(self.charts)}: {names}{more}")
        self._fill()

    def update_values(self, values: Mapping[str, Any]) -> None:
        """New scenario values: recompute the charts on this page, mark the rest stale."""
        self._values = values
        self._stale = set(range(len(self.charts)))
        self._fill()

    def _fill(self) -> None:
        if self._values is None or not self.display:
            return
        for i in self.visible_indices():
            if i in self._stale:
                self._stale.discard(i)
                chart: Any = self.charts[i]
                data = chart.source(self._values)
                print_ = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
                if print_ != self._prints.get(i):  # same series: nothing to redraw
                    self._prints[i] = print_
                    chart.show_data(data)
                    if hasattr(chart, "predraw"):  # a plotext chart: built now, not in a frame
                        chart.predraw()
