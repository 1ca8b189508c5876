"""Sensitivity (``infracalc sensitivity``): analytic swings, ranking, ranges, one call."""

import json
import math
from pathlib import Path

import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.cli import main
from infracalc_tui.cli_analysis import swingable_inputs
from infracalc_tui.engine import sensitivity as sens
from infracalc_tui.scenario import load

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def by_key(rows: list[dict]) -> dict[str, dict]:
    return {r["key"]: r for r in rows}


def test_profit_to_price_matches_the_analytic_swing(capsys) -> None:
    """profit = p·60·h·c − costs, so p·(1 ± 0.2) moves it by 0.4·p·60·h·c."""
    code, out, _ = run(capsys, "sensitivity", HOST, "--metric", "host.profit_usd_per_day",
                       "--format", "json")
    assert code == 0
    got = json.loads(out)
    s = load(HOST)
    v, h = s.values, report_for(s)["host"]
    p, hours, c = (v["pricing.charge_per_minute_usd"], v["pricing.utilization_hours_per_day"],
                   h["billed_threads"])
    assert math.isclose(got["base"], h["profit_usd_per_day"], rel_tol=1e-12)
    row = by_key(got["inputs"])["pricing.charge_per_minute_usd"]
    assert math.isclose(row["low_input"], p * 0.8) and math.isclose(row["high_input"], p * 1.2)
    assert math.isclose(row["swing"], 0.4 * p * 60 * hours * c, rel_tol=1e-9)
    assert math.isclose(row["high"] - row["low"], row["swing"], rel_tol=1e-9)
    swings = [r["swing"] for r in got["inputs"] if r["swing"] is not None]
    assert swings == sorted(swings, reverse=True)


def test_swings_are_clamped_to_the_allowed_range(capsys) -> None:
    """Hours 8 x 1.2 = 9.6 is allowed; with --delta 1 the top is 16, and 24 caps --range."""
    code, out, _ = run(capsys, "sensitivity", HOST, "--metric", "host.profit_usd_per_day",
                       "--delta", "1", "--range", "host.lifespan_years=1:5", "--format", "json")
    assert code == 0
    rows = by_key(json.loads(out)["inputs"])
    assert rows["pricing.utilization_hours_per_day"]["low_input"] == 0
    assert rows["pricing.utilization_hours_per_day"]["high_input"] == 16
    assert rows["serving.memory_utilization"]["high_input"] == 1  # 0.9 x 2 clamped to 1
    assert (rows["host.lifespan_years"]["low_input"], rows["host.lifespan_years"][
        "high_input"]) == (1, 5)


def test_one_vectorised_engine_call(monkeypatch) -> None:
    calls = []
    real = sens.evaluate
    monkeypatch.setattr(sens, "evaluate", lambda p: calls.append(1) or real(p))
    s = load(HOST)
    base, swings = sens.sensitivity(s.inputs, "host.profit_usd_per_day", swingable_inputs(s))
    assert len(calls) == 1 and base is not None and len(swings) > 20


@pytest.mark.parametrize("args", [
    ["--metric", "host.nope"], ["--metric", "throughput.bound"],
    ["--metric", "host.profit_usd_per_day", "--delta", "0"],
    ["--metric", "host.profit_usd_per_day", "--range", "host.lifespan_years=5:1"],
    ["--metric", "host.profit_usd_per_day", "--range", "host.lifespan_years=0:99"],
])
def test_usage_errors(capsys, args: list[str]) -> None:
    code, out, err = run(capsys, "sensitivity", HOST, *args)
    assert code == 2 and not out and err.count("\n") == 1


def test_table(capsys) -> None:
    code, out, _ = run(capsys, "sensitivity", HOST, "--metric", "host.break_even_days")
    assert code == 0 and "pricing.charge_per_minute_usd" in out


def test_swing_points_by_hand() -> None:
    """value x (1 -/+ delta), clamped to the allowed range; whole numbers inward for an
    integer key; a given range wins but is clamped too."""
    from infracalc_tui.engine.sensitivity import Swingable, swing_points

    assert swing_points(Swingable("k", 10.0, None, None), 0.2) == (8.0, 12.0)
    assert swing_points(Swingable("k", -10.0, None, None), 0.2) == (-12.0, -8.0)  # sorted
    assert swing_points(Swingable("k", 10.0, 9.0, 11.0), 0.2) == (9.0, 11.0)  # clamped
    assert swing_points(Swingable("k", 10.0, 9.0, None), 0.2) == (9.0, 12.0)
    assert swing_points(Swingable("k", 10.0, None, 11.0), 0.2) == (8.0, 11.0)
    # 7 x 0.8 = 5.6 -> 6 and 7 x 1.2 = 8.4 -> 8: whole threads inside the swing
    assert swing_points(Swingable("k", 7.0, 1.0, None, integer=True), 0.2) == (6.0, 8.0)
    # 5 x 0.8 = 4 exactly (up to rounding) stays 4; 5 x 1.2 = 6 stays 6
    assert swing_points(Swingable("k", 5.0, 1.0, None, integer=True), 0.2) == (4.0, 6.0)
    assert swing_points(Swingable("k", 10.0, 9.0, None), 0.2, (1.0, 20.0)) == (9.0, 20.0)


def test_an_input_that_cannot_move_is_left_out_and_the_default_delta_is_20_percent() -> None:
    """profit = threads x price x 60 x hours − costs: only the price moves here, and the
    default swing is ±20 %; a key pinned at its bound (low == high) is not swung."""
    from infracalc_tui.engine.sensitivity import Swingable, sensitivity

    s = load(HOST)
    price = s.values["pricing.charge_per_minute_usd"]
    base, swings = sensitivity(s.inputs, "host.revenue_usd_per_day", [
        Swingable("pricing.charge_per_minute_usd", price, 0.0, None),
        Swingable("host.gpu_count", 1.0, 1.0, 1.0, integer=True)])
    assert [w.key for w in swings] == ["pricing.charge_per_minute_usd"]
    w = swings[0]
    assert (w.low_input, w.high_input) == (price * 0.8, price * 1.2)
    assert w.swing == pytest.approx(base * 0.4, rel=1e-12)  # revenue is linear in the price
