"""The infracalc command line: report, sweep, explain, validate, presets, errors."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from infracalc_tui.cli import main
from infracalc_tui.scenario.presets import presets

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")
FLEET = str(ROOT / "scenarios" / "gpt4o-1b-users.toml")

SPEC_KEYS = {
    "throughput": {"weights_gb", "kv_bytes_per_token", "tensor_parallel", "batch",
                   "decode_tokens_per_s_per_stream", "decode_tokens_per_s_per_gpu",
                   "prefill_tokens_per_s_per_gpu", "bound"},
    "fleet": {"queries_per_day", "gpu_seconds_per_query", "avg_busy_gpus", "gpus", "servers",
              "it_power_mw", "facility_power_mw", "avg_facility_power_mw",
              "energy_gwh_per_year", "energy_per_query_wh", "capex_usd", "annual_capex_usd",
              "annual_opex_usd", "annual_cost_usd", "cost_per_million_tokens_usd",
              "cost_per_user_per_month_usd", "cost_per_query_usd", "annual_revenue_usd",
              "annual_profit_usd"},
    "host": {"hardware_cost_usd", "memory_required_gb", "memory_available_gb", "fits_in_memory",
             "max_threads", "decode_tokens_per_s_per_stream", "revenue_usd_per_day",
             "electricity_usd_per_day", "depreciation_usd_per_day", "other_opex_usd_per_day",
             "profit_usd_per_day", "profit_usd_per_month", "break_even_days", "roi_pct",
             "min_price_per_minute_usd"},
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("key", list(presets()))
def test_report_json_for_every_preset(capsys: pytest.CaptureFixture[str], key: str) -> None:
    code, out, _ = run(capsys, "report", str(presets()[key].path), "--format", "json")
    assert code == 0
    r = json.loads(out, parse_constant=lambda c: pytest.fail(f"non-strict JSON token {c}"))
    assert r["schema_version"] == 1 and r["name"] == presets()[key].scenario.name
    assert isinstance(r["warnings"], list)
    for section, keys in SPEC_KEYS.items():
        assert keys <= set(r[section]), keys - set(r[section])


def test_report_table_and_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", HOST)
    assert code == 0
    assert "Profit per day" in out and "$12.89/day" in out and "295 days" in out
    code, out, _ = run(capsys, "report", HOST, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["key", "value", "unit"]
    assert ["host.revenue_usd_per_day", "19.2", "usd/day"] in rows


def test_report_with_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", HOST, "--format", "json",
                       "--set", "pricing.charge_per_minute_usd=$0.04",
                       "--set", "pricing.concurrent_threads=1")
    assert code == 0
    assert json.loads(out)["host"]["revenue_usd_per_day"] == pytest.approx(0.04 * 60 * 8 * 1)


@pytest.mark.parametrize(("args", "message"), [
    (["report", HOST, "--set", "fleet.users=-1"], "--set: fleet.users: -1.0: out of range: "
                                                  "must be a number from 1 to 1e12"),
    (["report", HOST, "--set", "fleet.userz=1"], "unknown key 'fleet.userz'"),
    (["report", HOST, "--set", "fleet.users"], "expected section.key=value"),
    (["report", HOST, "--set", "fleet.users=lots"], "'lots' is not a number"),
    (["report", "nope.toml"], "nope.toml: no such file"),
    (["report", HOST, "--format", "xml"], "invalid choice"),
    (["frobnicate"], "no such file"),
    (["sweep", HOST, "--vary", "fleet.users=1:10"], "expected SECTION.KEY=START:STOP:STEPS"),
    (["sweep", HOST, "--vary", "host.multi_gpu=1:2:3"], "only numeric keys can be varied"),
    (["sweep", HOST, "--vary", "fleet.users=0:10:3"], "fleet.users: 0.0: out of range"),
    (["sweep", HOST, "--vary", "fleet.users=1:10:3", "--metric", "fleet.nope"],
     "unknown metric 'fleet.nope'"),
    (["sweep", HOST, "--vary", "a.b=1:2:2", "--vary", "c.d=1:2:2", "--vary", "e.f=1:2:2"],
     "at most twice"),
    (["explain", HOST, "fleet.nope"], "no explanation for 'fleet.nope'"),
])
def test_user_errors_exit_2_with_one_clear_line(capsys: pytest.CaptureFixture[str],
                                                args: list[str], message: str) -> None:
    code, _out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_sweep_1d_csv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sweep", HOST, "--vary", "pricing.charge_per_minute_usd=0.01:0.03:3",
                       "--metric", "host.profit_usd_per_day", "--metric", "host.break_even_days")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [float(r["pricing.charge_per_minute_usd"]) for r in rows] == pytest.approx(
        [0.01, 0.02, 0.03])
    dep = 5200 / (3 * 365)
    for r in rows:
        p = float(r["pricing.charge_per_minute_usd"])
        assert float(r["host.profit_usd_per_day"]) == pytest.approx(p * 960 - 1.56 - dep)


def test_sweep_2d_json_log(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "sweep", FLEET, "--vary", "fleet.users=1e6:1e9:4:log",
                       "--vary", "fleet.queries_per_user_per_day=5:20:2", "--metric",
                       "fleet.gpus", "--metric", "throughput.bound", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["shape"] == [4, 2] and len(data["rows"]) == 8
    assert data["vary"][0]["values"] == pytest.approx([1e6, 1e7, 1e8, 1e9])
    gpus = {(r["fleet.users"], r["fleet.queries_per_user_per_day"]): r["fleet.gpus"]
            for r in data["rows"]}
    assert gpus[(1e9, 20)] >= gpus[(1e9, 5)] >= gpus[(1e6, 5)]
    assert all(r["throughput.bound"] in ("memory", "compute") for r in data["rows"])


def test_sweep_equals_report_at_each_point(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "sweep", HOST, "--vary", "pricing.concurrent_threads=1:3:3",
                    "--metric", "host.decode_tokens_per_s_per_stream", "--format", "json")
    for row in json.loads(out)["rows"]:
        _, one, _ = run(capsys, "report", HOST, "--format", "json", "--set",
                        f"pricing.concurrent_threads={row['pricing.concurrent_threads']}")
        assert json.loads(one)["host"]["decode_tokens_per_s_per_stream"] == pytest.approx(
            row["host.decode_tokens_per_s_per_stream"])


def test_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "explain", HOST, "host.break_even_days")
    assert code == 0
    assert "break_even_days = hardware_cost_usd / (revenue_usd_per_day" in out
    assert "= 5200 / (19.2 - 1.56 - 0) = 294.8" in out
    assert "source:" in out
    code, out, _ = run(capsys, "explain", HOST)
    assert "fleet.gpus" in out and "host.roi_pct" in out


def test_validate(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[pricing]\nconcurrent_threads = 0\n")
    code, out, err = run(capsys, "validate", HOST, str(bad))
    assert code == 2
    assert f"{HOST}: ok" in out
    assert f"{bad}:2: pricing.concurrent_threads: 0: out of range" in err
    assert run(capsys, "validate", HOST, FLEET)[0] == 0


def test_presets_lists_everything(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "presets")
    assert code == 0
    for key in ("h100-sxm", "rtx-4090", "m3-ultra", "llama-3.1-70b", "gpt-4o-estimate",
                "gpt4o-1b-users", "llama70b-own-hardware"):
        assert key in out


def test_console_script_and_module_entry_points() -> None:
    # the script installed with this Python (the README's .venv/bin/infracalc), not
    # whichever one PATH finds first
    script = Path(sys.executable).with_name("infracalc")
    for cmd in ([str(script)], [sys.executable, "-m", "infracalc_tui"]):
        out = subprocess.run([*cmd, "--version"], capture_output=True, text=True, check=True)
        assert out.stdout.startswith("infracalc ")
        assert "serve" in out.stdout and "mcp" in out.stdout  # the issue: --version lists them
        helped = subprocess.run([*cmd, "sweep", "--help"], capture_output=True, text=True)
        assert helped.returncode == 0 and "--vary" in helped.stdout
    listed = subprocess.run([str(script), "--help"], capture_output=True, text=True).stdout
    assert "serve" in listed and "mcp" in listed


def test_opening_the_app_builds_no_parser(monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    """No command opens the app: the parser's conclusion is reached without building it
    (its ~5 ms count against the cold start); anything else still goes through it."""
    from infracalc_tui import cli

    opened: list[str | None] = []
    monkeypatch.setattr(cli, "_cmd_tui", lambda file: opened.append(file) or 0)
    cli._parsers.cache_clear()
    assert main([]) == 0 and main(["mine.toml"]) == 0
    assert opened == [None, "mine.toml"]
    assert cli._parsers.cache_info().misses == 0
    assert main(["mine.toml", "extra"]) == 2  # the parser speaks for anything else
    assert "unrecognized arguments: extra" in capsys.readouterr().err
    assert main(["--", "-odd-name.toml"]) == 0 and opened[-1] == "-odd-name.toml"
