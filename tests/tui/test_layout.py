"""What a new user sees on the first screen: nothing cut at 100x30 and wider, the tab the
file is about, and the main chart wide enough to read (issue: "a dashboard that reads at a
glance")."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Label, Select

from infracalc_tui.scenario import load
from infracalc_tui.scenario.presets import presets
from infracalc_tui.scenario.schema import FIELDS
from infracalc_tui.tui.widgets.field_labels import WIDTH, pane_label

from .conftest import ReadyApp, make_app

HOST_ONLY = """\
name = "My 4090 box"
[model]
preset = "llama-3.1-8b"
[gpu]
preset = "rtx-4090"
[host]
gpu_count = 1
[pricing]
charge_per_minute_usd = 0.02
"""


def test_every_pane_label_fits_its_column() -> None:
    too_long = {f.path: pane_label(f) for f in FIELDS if len(pane_label(f)) > WIDTH}
    assert not too_long


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
@pytest.mark.parametrize("preset", sorted(presets()))
async def test_nothing_on_the_first_screen_is_cut(preset: str, size: tuple[int, int]) -> None:
    app = make_app(preset)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for label in app.query(".field-label").results(Label):
            text = str(label.render())
            assert label.content_region.width >= len(text), (preset, size, text)
        for select in app.query(Select):
            if select.region.width:  # mounted and on screen
                shown = select.query_one("SelectCurrent")
                current = str(shown.query_one("Static").render())
                assert select.region.width - 3 >= len(current), (preset, current)
        # every footer key fits the width (Textual's footer drops what does not fit)
        keys = list(app.screen.query("FooterKey"))
        assert keys and all(0 < k.region.right <= size[0] for k in keys), \
            [(k.description, k.region) for k in keys]
        # Textual marks text it had to cut with an ellipsis; the tables and charts too
        assert "…" not in app.export_screenshot(), (preset, size)


async def test_a_host_only_file_opens_on_host(tmp_path: Path) -> None:
    path = tmp_path / "box.toml"
    path.write_text(HOST_ONLY)
    scenario = load(path)
    assert scenario.focus == "" and scenario.opens_on == "host"
    app = ReadyApp(scenario, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.main.active_tab() == "host"
        assert app.focused is app.query_one("#host-figures")


def test_every_headline_label_fits_the_figures_table() -> None:
    from infracalc_tui.tui.widgets.figures import (
        FLEET_HEADLINES,
        HOST_HEADLINES,
        LABEL_WIDTH,
        figure_label,
    )

    assert not [p for p in FLEET_HEADLINES + HOST_HEADLINES
                if len(figure_label(p)) > LABEL_WIDTH]


async def test_the_footer_fits_80_columns() -> None:
    """At 80x24 too, every footer key is whole (none cut at the edge, as "^q Qui" was)."""
    app = make_app("llama70b-own-hardware")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        keys = list(app.screen.query("FooterKey"))
        assert keys and all(0 < k.region.right <= 80 for k in keys), \
            [(k.description, k.region) for k in keys]
        assert "Quit" in [k.description for k in keys]
