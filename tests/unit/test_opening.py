"""The tab (and the CLI table) follows the file: what a scenario is about decides where it
opens, unless it says so with ``focus``."""

from __future__ import annotations

from pathlib import Path

import pytest

from infracalc_tui.cli import main
from infracalc_tui.scenario import Scenario, parse


@pytest.mark.parametrize(("text", "tab"), [
    ('[host]\ngpu_count = 2\n[pricing]\ncharge_per_minute_usd = 0.03\n', "host"),
    ('[pricing]\nutilization_hours_per_day = 4\n', "host"),
    ('[fleet]\nusers = 2e9\n', "fleet"),
    ('[fleet]\nusers = 2e9\n[host]\ngpu_count = 2\n', "fleet"),  # both: the fleet question
    ('[model]\npreset = "llama-3.1-8b"\n', "fleet"),  # neither: the default tab
    ('focus = "host"\n[fleet]\nusers = 2e9\n', "host"),  # focus wins
])
def test_the_file_decides_where_it_opens(text: str, tab: str) -> None:
    assert parse(text, "t.toml").opens_on == tab


def test_an_empty_scenario_opens_on_fleet() -> None:
    assert Scenario().opens_on == "fleet"


def test_the_report_table_leads_with_the_same_section(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "box.toml"
    path.write_text('[host]\ngpu_count = 1\n[pricing]\ncharge_per_minute_usd = 0.02\n')
    assert main(["report", str(path)]) == 0
    out = capsys.readouterr().out
    sections = [line for line in out.splitlines() if line in ("Fleet", "Host", "Throughput")]
    assert sections == ["Host", "Throughput", "Fleet"]
    path.write_text('[fleet]\nusers = 1e6\n')
    assert main(["report", str(path)]) == 0
    sections = [line for line in capsys.readouterr().out.splitlines()
                if line in ("Fleet", "Host", "Throughput")]
    assert sections == ["Fleet", "Throughput", "Host"]
