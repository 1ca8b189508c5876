"""The compositor patch (repaint only widgets under a dirty region) writes exactly the bytes
Textual would, while rendering far fewer widgets."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from typing import Any

from textual._compositor import Compositor
from textual.geometry import Region

from infracalc_tui.tui import partial_updates
from infracalc_tui.tui.widgets.inputs import field_id

from .conftest import make_app


def _frame(compositor: Compositor, regions: list[Region], console: Any,
           get_renders: Callable[..., Iterator[Any]]) -> tuple[str, int]:
    """The bytes of a partial update of ``regions`` and how many widgets rendered for it."""
    rendered = 0

    def counting(self: Compositor, crop: Region | None = None) -> Iterator[Any]:
        nonlocal rendered
        for item in get_renders(self, crop):
            rendered += 1
            yield item

    saved = Compositor._get_renders
    Compositor._get_renders = counting  # type: ignore[method-assign]
    try:
        compositor._dirty_regions.clear()
        compositor._dirty_regions.update(regions)
        update = compositor.render_partial_update()
        assert update is not None
        return update.render_segments(console), rendered
    finally:
        Compositor._get_renders = saved  # type: ignore[method-assign]


async def test_same_bytes_as_textual_for_any_dirty_regions() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.action_show_tab("host")
        await pilot.pause()
        screen = app.screen
        compositor = screen._compositor
        shown = [region.intersection(clip)
                 for region, clip in compositor.visible_widgets.values()]
        shown = [r for r in shown if r.area]
        rng = random.Random(7)
        for _ in range(80):
            regions = [rng.choice(shown) for _ in range(rng.randint(1, 4))]
            if rng.random() < 0.5:  # and rectangles that cut across widgets
                x, y = rng.randrange(120), rng.randrange(40)
                regions.append(Region(x, y, rng.randint(1, 120 - x), rng.randint(1, 40 - y)))
            ours, _ = _frame(compositor, regions, app.console, partial_updates._renders)
            theirs, _ = _frame(compositor, regions, app.console,
                               partial_updates.TEXTUAL_GET_RENDERS)
            assert ours == theirs, regions

        # a keystroke's frame: the field on the left, the figures and a chart on the right
        field = app.query_one(f"#{field_id('pricing.charge_per_minute_usd')}")
        figures, chart = app.query_one("#host-figures"), app.query_one("#host-projection")
        keystroke = [w.region.intersection(screen.find_widget(w).clip)
                     for w in (field, figures, chart)]
        ours, ours_n = _frame(compositor, keystroke, app.console, partial_updates._renders)
        theirs, theirs_n = _frame(compositor, keystroke, app.console,
                                  partial_updates.TEXTUAL_GET_RENDERS)
        assert ours == theirs
        assert ours_n * 3 < theirs_n, (ours_n, theirs_n)
