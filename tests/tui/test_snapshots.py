"""Snapshots of each tab at 120x40 and 80x24 (deterministic: fixed theme, tmp config)."""

import html
import re
from pathlib import Path

import pytest

APP = Path(__file__).parent / "snapshot_app.py"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
def test_tabs(snap_compare, size: tuple[int, int], key: str) -> None:
    async def ready(pilot) -> None:  # fields and charts arrive just after the first paint
        await pilot.app.until_ready(pilot)

    assert snap_compare(str(APP), press=[key], terminal_size=size, run_before=ready)


def _svg_lines(svg: Path) -> list[str]:
    """The text of each <text> element of a snapshot, as the terminal showed it."""
    return [html.unescape(t).replace("\xa0", " ")
            for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.read_text("utf-8"))]


SNAPSHOTS = sorted((Path(__file__).parent / "__snapshots__").rglob("*.svg"))


@pytest.mark.parametrize("svg", SNAPSHOTS, ids=[s.stem for s in SNAPSHOTS])
def test_no_snapshot_shows_a_cut_label(svg: Path) -> None:
    """A reviewed picture has nothing cut: no ellipsis (Textual's mark for cut text), and
    every pane label or preset name that starts on screen is there whole."""
    from infracalc_tui.scenario.catalog import gpus, models, short_name
    from infracalc_tui.scenario.schema import FIELDS
    from infracalc_tui.tui.widgets.field_labels import pane_label

    text = _svg_lines(svg)
    assert not [t for t in text if "…" in t], svg.name
    names = [pane_label(f) for f in FIELDS] + [short_name(g.name) for g in gpus().values()] \
        + [m.name for m in models().values()]
    for name in names:
        for t in text:
            shown = t.strip()
            if len(shown) >= 8 and name.startswith(shown) and shown != name:
                pytest.fail(f"{svg.name}: {shown!r} is {name!r} cut")
