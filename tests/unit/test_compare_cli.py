"""``infracalc compare A B`` and ``infracalc report --format markdown``."""

import json
import math
from pathlib import Path

import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.cli import main
from infracalc_tui.scenario import load

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def cheaper(tmp_path: Path) -> str:
    text = Path(HOST).read_text()
    assert "utilization_hours_per_day = 8\n" in text
    path = tmp_path / "b.toml"
    path.write_text(text.replace("utilization_hours_per_day = 8\n",
                                 "utilization_hours_per_day = 12\n"))
    return str(path)


def test_compare_lists_inputs_and_changes(capsys, cheaper: str) -> None:
    code, out, _ = run(capsys, "compare", HOST, cheaper, "--format", "json")
    assert code == 0
    got = json.loads(out)
    assert [r["key"] for r in got["inputs"]] == ["pricing.utilization_hours_per_day"]
    a, b = report_for(load(HOST))["host"], report_for(load(cheaper))["host"]
    rows = {r["key"]: r for r in got["outputs"]}
    row = rows["host.revenue_usd_per_day"]
    assert row["a"] == a["revenue_usd_per_day"] and row["b"] == b["revenue_usd_per_day"]
    assert math.isclose(row["change"], b["revenue_usd_per_day"] - a["revenue_usd_per_day"])
    # revenue is linear in hours: 8 -> 12 is +50 %
    assert math.isclose(row["change_pct"], 50.0)
    assert rows["host.hardware_cost_usd"]["change"] == 0
    assert rows["throughput.bound"]["change"] is None  # text
    zero = [r for r in got["outputs"] if r["a"] == 0]
    assert all(r["change_pct"] is None for r in zero)


def test_compare_table(capsys, cheaper: str) -> None:
    code, out, _ = run(capsys, "compare", HOST, cheaper)
    assert code == 0 and "pricing.utilization_hours_per_day" in out and "+50.0%" in out


def test_compare_missing_file(capsys) -> None:
    code, out, err = run(capsys, "compare", HOST, "/nope.toml")
    assert code == 2 and not out and "no such file" in err


def test_markdown_report(capsys) -> None:
    code, out, _ = run(capsys, "report", HOST, "--format", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("# ")
    assert "| figure | value | key |" in lines and "|---|---:|---|" in lines
    assert any("`host.npv_usd`" in line for line in lines)
    table = [line for line in lines if line.startswith("| ") and "`" in line]
    assert all(line.count(" | ") == 2 for line in table)  # three cells, pipes escaped
