"""The speed per stream under load (``throughput.served_tokens_per_s_per_stream``): what a
serving benchmark's 1000/TPOT measures while the other streams' prompts run between decode
steps. By hand on the ROUND scenario (tests/unit/helpers.py): batch 77 on one GPU, a
35.7696 ms memory time and a 3.08 ms compute time per step, no fixed costs (generic engine),
prefill 25,000 tok/s, 1,000 input and 500 output tokens per query.
"""

from __future__ import annotations

from hypothesis import given
from pytest import approx

from infracalc_tui.calc import report_for
from infracalc_tui.engine.calibrate import _knobs_for, calibrate
from infracalc_tui.engine.explain import evaluate_formula, explain
from infracalc_tui.scenario.presets import presets

from .helpers import report, scenario
from .strategies import scenarios
from .test_kill_formulas import expr, ns

SERVED = "throughput.served_tokens_per_s_per_stream"


def test_the_round_scenario_by_hand() -> None:
    """k = (77 - 1) / 500 = 0.152 prompts a step, each 1,000 / 25,000 s = 40 ms of prefill:
    0.848 of the steps take max(35.7696, 3.08) ms, 0.152 take max(35.7696, 3.08 + 40) =
    43.08 ms, so a step averages 30.3326 + 6.5482 = 36.8808 ms: 27.114 tok/s, against
    1000 / 35.7696 = 27.957 tok/s between steps."""
    t = report()["throughput"]
    assert (t["batch"], t["tensor_parallel"]) == (77, 1)
    assert t["step_time_memory_ms"] == approx(35.7696)
    assert t["step_time_compute_ms"] == approx(3.08)
    assert t["prefill_tokens_per_s_per_gpu"] == approx(25_000)
    assert t["served_tokens_per_s_per_stream"] == approx(
        1000 / (0.848 * 35.7696 + 0.152 * 43.08))
    assert t["served_tokens_per_s_per_stream"] == approx(27.114, abs=1e-3)
    assert t["decode_tokens_per_s_per_stream"] == approx(1000 / 35.7696)


def test_the_formula_reads_as_the_rule() -> None:
    k = "(max(batch - 1, 0) / output_tokens_per_query)"
    prompt = (f"1000 * max(1, {k}) * input_tokens_per_query / (throughput_tensor_parallel * "
              "throughput_prefill_tokens_per_s_per_gpu)")
    assert expr(SERVED) == (
        f"1000 / ((1 - min(1, {k})) * max(throughput_step_time_memory_ms, "
        f"throughput_step_time_compute_ms) + min(1, {k}) * max(throughput_step_time_memory_ms, "
        f"throughput_step_time_compute_ms + {prompt}) + throughput_step_time_overhead_ms)")
    assert evaluate_formula(expr(SERVED), ns()) == approx(27.114, abs=1e-3)


def test_more_prompts_than_steps_load_every_step() -> None:
    """50 output tokens: k = 76 / 50 = 1.52 prompts a step, every step: max(35.7696, 3.08 +
    1.52 x 40) = 63.88 ms, 15.654 tok/s; a fixed cost of 2 ms adds to every step."""
    assert evaluate_formula(expr(SERVED), ns(output_tokens_per_query=50)) == approx(
        1000 / 63.88)
    assert evaluate_formula(expr(SERVED), ns(output_tokens_per_query=50,
                                            throughput_step_time_overhead_ms=2)) == approx(
        1000 / 65.88)


def test_the_engine_loads_every_step_when_prompts_outnumber_them() -> None:
    """The same in the engine, with 50 output tokens: every step carries k = (B - 1) / 50
    prompts of 1,000 tokens at the prefill rate."""
    t = report(fleet__output_tokens_per_query=50)["throughput"]
    k = (t["batch"] - 1) / 50
    assert k > 1
    prompts_ms = 1000 * k * 1000 / t["prefill_tokens_per_s_per_gpu"]
    assert t["served_tokens_per_s_per_stream"] == approx(1000 / max(
        t["step_time_memory_ms"], t["step_time_compute_ms"] + prompts_ms))


def test_a_prompt_that_fits_in_the_memory_time_costs_nothing() -> None:
    """Prefill 100,000 tok/s: a prompt is 10 ms, and 3.08 + 10 < 35.7696 ms: the weight read
    hides it, so the speed is the decode speed."""
    assert evaluate_formula(expr(SERVED), ns(throughput_prefill_tokens_per_s_per_gpu=1e5)) == \
        approx(1000 / 35.7696)


def test_one_stream_sees_no_other_prompts() -> None:
    """Batch 1: k = 0, TPOT is the decode step (its own prompt is its first token)."""
    t = report(serving__max_batch=1)["throughput"]
    assert t["batch"] == 1
    assert t["served_tokens_per_s_per_stream"] == approx(t["decode_tokens_per_s_per_stream"])


def test_manual_throughput_adds_the_prompts_to_its_step() -> None:
    """3,000 tok/s a GPU shared by the batch, prefill 25,000: 1000 / (1000 / speed +
    min(1, k) x 1000 x max(1, k) x 1,000 / 25,000)."""
    r = report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
               serving__prefill_tokens_per_s_per_gpu=25_000)["throughput"]
    b, speed = r["batch"], r["decode_tokens_per_s_per_stream"]
    assert speed == approx(3000 * r["tensor_parallel"] / b)
    k = (b - 1) / 500
    assert r["served_tokens_per_s_per_stream"] == approx(
        1000 / (1000 / speed + min(1, k) * 1000 * max(1, k) * 1000 / 25_000))
    e = explain(SERVED, scenario(serving__throughput="manual",
                                 serving__decode_tokens_per_s_per_gpu=3000,
                                 serving__prefill_tokens_per_s_per_gpu=25_000).values,
                report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
                       serving__prefill_tokens_per_s_per_gpu=25_000))
    assert e.formula.startswith(
        "served_tokens_per_s_per_stream = 1000 / (1000 / throughput_decode_tokens_per_s_per_"
        "stream + min(1, ")
    assert e.note == "manual throughput: the step and the prompts add up"


@given(scenarios())
def test_load_never_speeds_a_stream_up(s) -> None:
    t = report_for(s)["throughput"]
    assert 0 < t["served_tokens_per_s_per_stream"] <= \
        t["decode_tokens_per_s_per_stream"] * (1 + 1e-9)


def test_a_served_measurement_calibrates() -> None:
    """A serving benchmark's 20 tok/s pins the profile's knobs to reproduce it."""
    c = calibrate(scenario().values, {SERVED: 20.0})
    assert c.knobs  # a knob moved
    assert abs(c.residual_pct[SERVED]) < 0.1


def test_the_prompts_rate_is_a_knob_of_the_speed_under_load() -> None:
    """GPT-4o for 1B users keeps 20 tok/s between steps (its minimum sets the batch), so a
    measured 9 tok/s under load is the prompts' doing: the prefill FLOPS fraction moves, and
    the speed is reproduced."""
    s = presets()["gpt4o-1b-users"].scenario
    assert _knobs_for(SERVED, s.values)[1] == "serving.prefill_mfu"
    c = calibrate(s.values, {SERVED: 9.0})
    assert "serving.prefill_mfu" in c.knobs
    assert abs(c.residual_pct[SERVED]) < 0.01


def test_a_speed_under_load_below_both_fractions_moves_the_step_overhead() -> None:
    """0.7 tok/s under load is slower than the ROUND scenario at 1% of its bandwidth and 1%
    of its prefill FLOPS: both fractions stop at their floor of 0.01, and the fixed cost per
    step (the third knob) makes up the rest."""
    c = calibrate(scenario().values, {SERVED: 0.7})
    assert c.knobs["serving.mbu"] == approx(0.01, rel=1e-4)
    assert c.knobs["serving.prefill_mfu"] == approx(0.01, rel=1e-4)
    assert 0 < c.knobs["serving.step_overhead_ms"] < 1000
    assert abs(c.residual_pct[SERVED]) < 0.01
