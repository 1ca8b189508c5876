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
