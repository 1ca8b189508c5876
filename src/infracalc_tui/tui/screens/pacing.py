"""A keystroke's figures first, its charts a moment later: the main screen's pacing.

A plotext chart costs 10-13 ms to build, more than the rest of a change (engine, figures,
frame) together, so a change's figures are painted in their own frame and the charts are
built just after it, between frames, for the next frame to copy. A mixin of ``MainScreen``
(before ``PromptScreen`` in its bases, whose ``paint_waits`` it overrides).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class ChartsAfterFigures:
    """Mixed into ``MainScreen``: it uses the screen's tabs, Compare view and app."""

    _charts_due: tuple[str, Any, int] | None = None  # tab, values, frames waited
    app: Any
    compare: Any
    unpaced: bool
    _stale: set[str]
    _dirty_widgets: Any  # Textual's Screen (fingerprinted in private_api)
    active_tab: Callable[[], str]  # MainScreen's
    results_tab: Callable[[str], Any]

    def charts_after_figures(self, tab: str, values: Any) -> None:
        """The tab's figures were just updated: draw its charts for ``values`` once they
        are painted (a later call before then only brings newer values)."""
        if self._charts_due is None:
            self._charts_due = (tab, values, 0)
            self.app.call_after_refresh(self._draw_charts)
        else:
            self._charts_due = (tab, values, self._charts_due[2])

    def _figures_of(self, tab: str) -> Any:
        return self.compare.table if tab == "compare" else self.results_tab(tab).figures

    def paint_waits(self) -> bool:
        """The figures of the change just made have not reached this screen yet: the field's
        own repaint waits for them (one frame for both, ~3 ms sooner)."""
        if self._charts_due is None:
            return False
        figures = self._figures_of(self._charts_due[0])
        return bool(figures.unpainted and figures not in self._dirty_widgets)

    def _draw_charts(self) -> None:
        if self._charts_due is None or not self.is_attached:  # type: ignore[attr-defined]
            return
        tab, values, waited = self._charts_due
        if tab == self.active_tab() and self._figures_of(tab).unpainted and waited < 3:
            self._charts_due = (tab, values, waited + 1)  # that frame came before the figures
            self.app.call_after_refresh(self._draw_charts)
            return
        self._charts_due = None
        if tab != self.active_tab():
            self._stale.add(tab)  # another tab opened meanwhile: this one catches up later
        elif tab == "compare":
            self.compare.show_chart()
        else:
            self.results_tab(tab).deck.update_values(values)
        self.unpaced = True  # the figures' frame was a moment ago: the charts follow at once
