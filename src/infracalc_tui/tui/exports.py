"""What the Download commands deliver: the scenario (TOML), the report (markdown), the
dashboard as an SVG screenshot and the charts on screen as plain text.

Delivered with Textual's ``deliver_text``: in a terminal the file lands in the downloads
folder (``INFRACALC_DOWNLOADS_DIR`` overrides it); in a browser (``infracalc serve``) the
browser downloads it, since the files of a served session live on the server.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..scenario import Scenario, dumps
from .services.documents import slug


def downloads_dir() -> Path | None:
    """Where a delivered file goes in a terminal; None: Textual's default (Downloads)."""
    folder = os.environ.get("INFRACALC_DOWNLOADS_DIR")
    return Path(folder) if folder else None


def scenario_toml(scenario: Scenario) -> tuple[str, str]:
    return dumps(scenario), f"{slug(scenario.name)}.toml"


def report_markdown(scenario: Scenario, report: dict[str, Any]) -> tuple[str, str]:
    from ..report_text import markdown_report

    return markdown_report(report, scenario.opens_on), f"{slug(scenario.name)}-report.md"


def chart_text(chart: Any) -> str:
    """One chart as the characters it shows (plotext charts, bars and heatmaps alike)."""
    draw = getattr(chart, "_draw_strips", None)
    if draw is not None:
        return "\n".join("".join(seg.text for seg in strip) for strip in draw()).rstrip()
    return str(chart.render()).rstrip()


def charts_text(scenario: Scenario, charts: Iterable[Any]) -> tuple[str, str]:
    blocks = [f"{getattr(c, 'title', 'chart')}\n\n{chart_text(c)}" for c in charts]
    return "\n\n\n".join(blocks) + "\n", f"{slug(scenario.name)}-charts.txt"


def deliver(app: Any, text: str, filename: str) -> None:
    """Hand ``text`` to the user as ``filename`` (download, or the downloads folder)."""
    app.deliver_text(io.StringIO(text), save_directory=downloads_dir(),
                     save_filename=filename, name=filename)
