"""One results tab (Fleet or Host): headline figures and warnings on top, then its charts.

On a small screen the figures and each chart take turns (F8 / F9); on a large one the
figures stay and the charts page. The tab keeps which view it shows; the screen only says
when the screen became small or large.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from .deck import ChartDeck
from .figures import FiguresTable, Warnings


def results_parts(tab: str, headlines: tuple[str, ...],
                  charts: Callable[[], list[Widget]]) -> ComposeResult:
    """A tab's children, composed with the screen (``with ResultsTab(...):``), so they all
    exist from the screen's first moment, even when the app quits in it."""
    ranges = Static("", id=f"{tab}-ranges", classes="ranges")  # P10/P50/P90, when uncertain
    ranges.display = False
    yield Horizontal(FiguresTable(headlines, id=f"{tab}-figures"),
                     Vertical(Warnings(id=f"{tab}-warnings", classes="warnings"), ranges,
                              classes="side"), classes="top")
    yield Static("", id=f"{tab}-hint", classes="view-hint")
    yield ChartDeck(charts, id=f"{tab}-deck")


class ResultsTab(Vertical):
    def __init__(self, prefixes: tuple[str, ...], id: str) -> None:
        """``prefixes`` are the warning groups this tab shows (e.g. "Host", "Model")."""
        super().__init__(id=id)
        self._prefixes = prefixes
        self.view = 0  # 0: figures (with the charts beside them when there is room); k: page
        self.compact = False

    @property
    def figures(self) -> FiguresTable:
        return self.query_one(FiguresTable)

    @property
    def deck(self) -> ChartDeck:
        return self.query_one(ChartDeck)

    def show(self, report: dict[str, Any]) -> None:
        self.figures.show(report)
        self.query_one(Warnings).show(report["warnings"], self._prefixes)

    def set_compact(self, compact: bool) -> None:
        if compact != self.compact:
            self.compact = compact
            self.deck.set_compact(compact)
            self.view = 0
            self.apply_view()

    def step(self, step: int) -> bool:
        """The next (or previous) view; False when everything already is on screen."""
        views = self.deck.pages + (1 if self.compact else 0)
        if views <= 1:
            return False
        self.view = (self.view + step) % views
        self.apply_view()
        return True

    def apply_view(self) -> None:
        """Compact screens show the figures (view 0) or one chart page; wide ones both."""
        deck = self.deck
        top, hint = self.query_one(".top"), self.query_one(f"#{self.id}-hint", Static)
        if self.compact:
            top.display, deck.display, hint.display = self.view == 0, self.view != 0, \
                self.view == 0
            deck.set_page(max(0, self.view - 1))
            # fits the 53 columns the results have at 100 columns
            hint.update(f"F8 charts ({len(deck.charts)}) · Enter explains · F2 inputs")
        else:
            top.display = deck.display = True
            hint.display = False
            deck.set_page(self.view)

    @on(ChartDeck.ChartsMounted)
    def _charts_mounted(self) -> None:
        self.apply_view()  # its hint counts the charts
