"""Every figure the README quotes comes from the engine: they move together or this fails."""

from __future__ import annotations

from pathlib import Path

from infracalc_tui.calc import report_for
from infracalc_tui.scenario.presets import presets

README = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_fleet_question_figures() -> None:
    f = report_for(presets()["gpt4o-1b-users"].scenario)
    gpus = f["fleet"]["gpus"]
    assert f["throughput"]["engine"] == "vllm"
    assert f"GPUs ({gpus / 1e3:.0f}k H100s on vLLM)" in _flat(README)
    assert f"facility MW ({f['fleet']['facility_power_mw']:.0f} MW)" in _flat(README)
    assert f"$/1M tokens (${f['fleet']['cost_per_million_tokens_usd']:.2f})" in _flat(README)


def test_the_host_question_figures() -> None:
    h = report_for(presets()["llama70b-own-hardware"].scenario)["host"]
    assert f"profit/day (${h['profit_usd_per_day']:.2f})" in _flat(README)
    assert f"break-even ({h['break_even_days']:.0f} days)" in _flat(README)
    assert f"= 5200 / (19.2 - 1.56 - 0) = {h['break_even_days']:.1f}" in README


def test_the_validation_figures() -> None:
    from infracalc_tui.scenario.catalog import fit_metadata

    about = fit_metadata()
    text = _flat(README)
    assert f"ledger of {about['measurements']} published measurements" in text
    assert f"**{about['loo_median_error_pct']}% leave-one-GPU-out**" in text
    assert f"worst {about['loo_worst_error_pct']:.0f}%" in text


BOX = "scenarios/llama70b-own-hardware.toml"


def _json(capsys, *args: str) -> dict:  # type: ignore[no-untyped-def]
    import json

    from infracalc_tui.cli import main

    assert main([*args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_the_analysis_figures(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The worked examples of "The command line": solve, sensitivity, uncertainty, rent,
    NPV and compare, each as the README quotes it."""
    text = _flat(README)
    hours = _json(capsys, "solve", BOX, "--target", "host.break_even_days=365", "--vary",
                  "pricing.utilization_hours_per_day")
    assert f"gives {hours['value']:.2f} h/day" in text
    price = _json(capsys, "solve", BOX, "--target", "host.profit_usd_per_day=0", "--vary",
                  "pricing.charge_per_minute_usd")
    h = report_for(presets()["llama70b-own-hardware"].scenario)["host"]
    assert f"${price['value']:.7f}/min: the report's minimum viable price" in text
    assert abs(price["value"] - h["min_price_per_minute_usd"]) < 1e-9
    swings = _json(capsys, "sensitivity", BOX, "--metric", "host.profit_usd_per_day")["inputs"]
    top = {s["key"]: s["swing"] for s in swings}
    assert f"GPU memory first (${top['gpu.memory_gb']:.2f}/day" in text
    assert f"then the price (${top['pricing.charge_per_minute_usd']:.2f}/day)" in text
    plan = tmp_path / "plan.toml"
    plan.write_text(Path(BOX).read_text() + '\n[uncertainty]\n'
                    '"pricing.utilization_hours_per_day" = { low = 4, high = 12 }\n'
                    '"pricing.charge_per_minute_usd" = { low = 0.015, high = 0.025, '
                    'dist = "uniform" }\n')
    mc = _json(capsys, "uncertainty", str(plan), "--samples", "10000", "--seed", "1")["metrics"]
    p = mc["host.profit_usd_per_day"]
    assert f"${p['p10']:.2f} / ${p['p50']:.2f} / ${p['p90']:.2f} a day" in text
    b = mc["host.break_even_days"]
    assert f"break-even {b['p10']:.0f} / {b['p50']:.0f} / {b['p90']:.0f} days" in text
    assert f"({h['buy_beats_rent_above_hours_per_day']:.2f} h for the box)" in text
    assert f"(${h['npv_usd']:,.2f} for the box)" in text
    assert abs(h["npv_usd"] - h["profit_usd_per_day"] * 365 * 3) < 1e-6
    other = tmp_path / "b.toml"
    other.write_text(Path(BOX).read_text().replace("utilization_hours_per_day = 8",
                                                  "utilization_hours_per_day = 12"))
    diff = _json(capsys, "compare", BOX, str(other))
    assert "profit +69.8%, break-even 295 → 195 days" in text
    profit = next(o for o in diff["outputs"] if o["key"] == "host.profit_usd_per_day")
    assert round(profit["change_pct"], 1) == 69.8
