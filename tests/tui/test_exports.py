"""The Download commands deliver real files: the scenario reloads to the same values, the
report is markdown, the screenshot is SVG, the charts are the text on screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from infracalc_tui.scenario import load
from infracalc_tui.tui import commands

from ..conftest import pilot_wait_until
from .conftest import make_app


@pytest.fixture
def downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "downloads"
    folder.mkdir()
    monkeypatch.setenv("INFRACALC_DOWNLOADS_DIR", str(folder))
    return folder


async def test_each_download_delivers_its_file(downloads: Path) -> None:
    app = make_app("llama70b-own-hardware")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        for what in ("scenario", "report", "screenshot", "charts"):
            app.main.action_download(what)
        # a file is whole once Textual says it was delivered (it writes in a thread)
        await pilot_wait_until(pilot, lambda: sum(
            "Delivered" in n.message for n in app._notifications) == 4, 10.0,
            lambda: f"four deliveries: {list(downloads.iterdir())}")
        assert len(list(downloads.iterdir())) == 4
        slug = "70b-model-at-0-02-min-on-own-hardware"
        toml = downloads / f"{slug}.toml"
        assert load(toml).values == app.main.scenario.values
        md = (downloads / f"{slug}-report.md").read_text()
        assert "| Profit per day | $12.89/day | `host.profit_usd_per_day` |" in md
        assert (downloads / f"{slug}.svg").read_text().lstrip().startswith("<svg")
        charts = (downloads / f"{slug}-charts.txt").read_text()
        assert "break-even month 10" in charts and "$20k" in charts


def test_every_download_is_in_the_palette() -> None:
    titles = [c.label for c in commands.COMMANDS if c.action.startswith("download")]
    assert titles == ["Download the scenario (TOML)", "Download the report (markdown)",
                      "Download a screenshot (SVG)", "Download the charts (text)"]
