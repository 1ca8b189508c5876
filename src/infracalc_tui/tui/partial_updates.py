"""Repaint only the widgets under what changed.

For a partial update Textual re-renders every widget whose *clip* (its scroll container's
visible area) touches the bounding box of the frame's dirty regions. A keystroke in one
field therefore re-renders all ~60 rows of the inputs pane, and when the figures and charts
on the right change in the same frame, the box covers the screen: ~12 ms of a 30 ms change
at 120x40. The frame writes only the dirty spans, so a widget whose visible part touches no
dirty region never contributes a cell: skipping it writes the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region
from textual.strip import Strip

from . import private_api

_installed = False
TEXTUAL_GET_RENDERS = Compositor._get_renders  # kept for the test that compares the two


def _renders(self: Compositor, crop: Region | None = None
             ) -> Iterator[tuple[Region, Region, list[Strip]]]:
    """``Compositor._get_renders``, keeping only widgets whose visible part is dirty."""
    _rich_traceback_guard = True  # as in Textual: an error here is the widget's, not ours
    dirty = getattr(self, "_infracalc_dirty", ()) or ((crop,) if crop else ())
    for widget, (region, clip) in self.visible_widgets.items():
        shown = region.intersection(clip)
        if not shown.area or (dirty and not any(shown.overlaps(d) for d in dirty)):
            continue
        if clip.contains_region(region):
            lines = widget.render_lines(Region(0, 0, region.width, region.height))
        else:
            lines = widget.render_lines(
                Region(shown.x - region.x, shown.y - region.y, shown.width, shown.height))
        yield region, clip, lines


def install() -> None:
    """Patch the compositor (idempotent), on the Textual release it was reviewed for only."""
    global _installed
    if _installed or not private_api.supported():
        return
    _installed = True
    render_partial_update = Compositor.render_partial_update
    private_api.keep_original("textual._compositor:Compositor.render_partial_update",
                              render_partial_update)
    private_api.keep_original("textual._compositor:Compositor._get_renders",
                              TEXTUAL_GET_RENDERS)

    def partial_update(self: Compositor) -> Any:
        self._infracalc_dirty = tuple(self._dirty_regions)
        try:
            return render_partial_update(self)
        finally:
            self._infracalc_dirty = ()

    Compositor.render_partial_update = partial_update  # type: ignore[method-assign]
    Compositor._get_renders = _renders  # type: ignore[method-assign]
