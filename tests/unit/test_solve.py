"""Goal seek (``infracalc solve``): hand-checked answers, vectorised calls, clear failures."""

import json
import math
from pathlib import Path

import pytest

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.cli import main
from infracalc_tui.engine.solve import NoSolution, solve
from infracalc_tui.scenario import load

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")
FLEET = str(ROOT / "scenarios" / "gpt4o-1b-users.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_break_even_price_is_the_minimum_viable_price(capsys) -> None:
    code, out, _ = run(capsys, "solve", HOST, "--target", "host.profit_usd_per_day=0",
                       "--vary", "pricing.charge_per_minute_usd", "--format", "json")
    assert code == 0
    got = json.loads(out)
    assert set(got) >= {"vary", "value", "target", "target_value", "achieved", "iterations"}
    want = report_for(load(HOST))["host"]["min_price_per_minute_usd"]
    assert math.isclose(got["value"], want, rel_tol=1e-12)
    assert abs(got["achieved"]) < 1e-9
    assert got["iterations"] <= 4  # a grid call and a refinement: never a call per point


def test_hours_per_day_for_a_one_year_payback() -> None:
    """break_even = H / margin(h), margin(h) = p·60·c·h − (load·h + idle·(24 − h))·e − O;
    solved for break_even = 365: h = (H/365 + idle·e·24 + O) / (p·60·c − (load − idle)·e)."""
    s = load(HOST)
    v, r = s.values, report_for(s)["host"]
    p, c = v["pricing.charge_per_minute_usd"], r["billed_threads"]
    e, o = v["host.electricity_usd_per_kwh"], r["other_opex_usd_per_day"]
    want = (r["hardware_cost_usd"] / 365 + r["idle_kw"] * e * 24 + o) / (
        p * 60 * c - (r["load_kw"] - r["idle_kw"]) * e)
    got = solve(s.inputs, "host.break_even_days", 365, "pricing.utilization_hours_per_day",
                0, 24, current=v["pricing.utilization_hours_per_day"])
    assert math.isclose(got.value, want, rel_tol=1e-9)
    assert math.isclose(got.achieved, 365, rel_tol=1e-7)


def test_price_per_million_tokens_for_a_50_percent_margin() -> None:
    """margin = (P − C)/P = 0.5  =>  P = 2·C, C the cost per 1M tokens (price moves no cost)."""
    s = load(FLEET)
    cost = report_for(s)["fleet"]["cost_per_million_tokens_usd"]
    got = solve(s.inputs, "fleet.profit_margin_pct", 50, "fleet.price_per_million_tokens_usd",
                0, 1e6)
    assert math.isclose(got.value, 2 * cost, rel_tol=1e-9)


def test_most_users_a_budget_serves() -> None:
    """The cost steps up a replica at a time: the answer is the last user count within the
    budget; one more step of users and it is over."""
    s = load(FLEET)
    budget = 1e9
    got = solve(s.inputs, "fleet.annual_cost_usd", budget, "fleet.users", 1, 1e12)
    assert got.next_value is not None and got.next_value > got.value
    assert got.achieved <= budget < got.next_achieved
    at = report_for(apply_settings(s, [f"fleet.users={got.value!r}"]))["fleet"]
    assert at["annual_cost_usd"] <= budget


def test_no_value_in_the_range_names_the_range(capsys) -> None:
    code, _, err = run(capsys, "solve", HOST, "--target", "host.break_even_days=1",
                       "--vary", "pricing.utilization_hours_per_day")
    assert code == 2
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "host.break_even_days stays between" in line
    assert "pricing.utilization_hours_per_day in [0, 24]" in line


def test_engine_reports_no_solution() -> None:
    s = load(HOST)
    with pytest.raises(NoSolution, match="stays between"):
        solve(s.inputs, "host.hardware_cost_usd", -1, "pricing.utilization_hours_per_day", 0, 24)


@pytest.mark.parametrize("args", [
    ["--target", "host.nope=1", "--vary", "pricing.utilization_hours_per_day"],
    ["--target", "host.profit_usd_per_day", "--vary", "pricing.utilization_hours_per_day"],
    ["--target", "host.profit_usd_per_day=0", "--vary", "host.multi_gpu"],
    ["--target", "host.profit_usd_per_day=0", "--vary", "pricing.nope"],
    ["--target", "host.profit_usd_per_day=0", "--vary", "pricing.utilization_hours_per_day",
     "--range", "0:99"],
])
def test_usage_errors_are_one_line(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, "solve", HOST, *args)
    assert code == 2 and not out
    assert err.count("\n") == 1 and err.startswith("infracalc: ")


def test_whole_number_inputs_give_whole_numbers(capsys) -> None:
    code, out, _ = run(capsys, "solve", HOST, "--target", "host.profit_usd_per_day=0",
                       "--vary", "pricing.concurrent_threads", "--format", "json")
    if code == 0:
        assert isinstance(json.loads(out)["value"], int)
