"""engine.formula_parts by hand: the explanation of the step's fixed costs (generic or
profiled engine, one GPU, layer split or all-reduces, a link under 1 MB/s), the rule and
checks of the searched speed limits, the link and beyond_roofline terms of the overhead,
sliding windows and the tensor-parallel rule. Written to kill the survivors docs/mutation.md
lists for these functions: each test pins the exact text or number a user sees.

The namespace is the ROUND scenario's (tests/unit/helpers.py: a dense 10B model, 40 layers,
20 GB of weights, 163,840 KV bytes per token, 2 TB/s at mbu 0.5 = 1e12 bytes/s, 1,000 TFLOPS
at mfu 0.5, the generic engine with no fixed costs, a 2-GPU layer-split host), with the
keys a case needs set on top.
"""

from __future__ import annotations

from typing import Any

from pytest import approx

from infracalc_tui.engine.explain import FORMULAS, evaluate_formula, namespace
from infracalc_tui.engine.formula_parts import (
    Check,
    _speed_checks,
    _speed_limit,
    _speed_rule,
)
from infracalc_tui.engine.formulas import _board_power, _times_gpus

from .helpers import report, scenario

BASE = namespace(scenario().values, report())
OVER, HOST_OVER = "throughput.step_time_overhead_ms", "host.step_time_overhead_ms"
SPEED, THREADS = "throughput.batch_speed_limit", "host.max_threads_speed"
GENERIC = "generic engine: the spec's plain roofline, no fixed costs unless set"
VLLM = "vllm profile: a fixed cost per step and per layer"
PROFILED = {"beyond_roofline": 1.0, "engine_in_use": "vllm"}
BYTES = "; two all-reduces per layer: a latency each, and the bytes of every token"
SLOW_LINK = " (a link under 1 MB/s is taken as 1 MB/s)"


def ns(**over: Any) -> dict[str, Any]:
    return {**BASE, **over}


# The parts FORMULAS gets from factories at import (the searched speed limits, the board
# power), made again here: so a test reaches the factory's own lines, which mutation testing
# can only change in calls made after import. test_the_factories_are_what_formulas_uses ties
# them to FORMULAS.
FACTORY_EXPR = {
    SPEED: lambda: _speed_limit(
        "batch_speed_limit",
        lambda ns: "serving_decode_tokens_per_s_per_gpu * throughput_tensor_parallel"),
    THREADS: lambda: _speed_limit(
        "max_threads_speed", lambda ns: f"serving_decode_tokens_per_s_per_gpu{_times_gpus(ns)}"),
    "throughput.gpu_power_w": lambda: _board_power(
        "throughput_step_time_memory_ms", "throughput_step_time_compute_ms", "step_time_ms"),
}
FACTORY_RULE = {SPEED: lambda: _speed_rule("B", False), THREADS: lambda: _speed_rule("c", True)}
FACTORY_CHECKS = {SPEED: lambda: _speed_checks("batch_speed_limit", False),
                  THREADS: lambda: _speed_checks("max_threads_speed", True)}


def note(key: str, **over: Any) -> str:
    return FORMULAS[key].note_text(ns(**over))


def expr(key: str, **over: Any) -> str:
    if key in FACTORY_EXPR:
        return FACTORY_EXPR[key]()(ns(**over))
    return FORMULAS[key].expression(ns(**over))


def checks(key: str, **over: Any) -> list[Check]:
    if key in FACTORY_CHECKS:
        return FACTORY_CHECKS[key]()(ns(**over))
    return FORMULAS[key].check_list(ns(**over))


def test_the_factories_are_what_formulas_uses() -> None:
    """The parts made again above give what FORMULAS gives, for each case the tests use."""
    for over in ({}, {"min_tokens_per_s_per_stream": 0}, {"throughput": "manual"},
                 {"multi_gpu": "tensor_parallel", "throughput": "manual"}, {"idle_w": 600}):
        v = ns(**over)
        for key, make in FACTORY_EXPR.items():
            assert make()(v) == FORMULAS[key].expression(v), (key, over)
        for key, make in FACTORY_RULE.items():
            assert make()(v) == FORMULAS[key].rule_text(v), (key, over)
        for key, make in FACTORY_CHECKS.items():
            assert make()(v) == FORMULAS[key].check_list(v), (key, over)


# -- the note on the step's fixed costs ---------------------------------------------------


def test_one_gpu_generic_engine_note() -> None:
    """TP 1 (2 GPUs on the host do not matter to the throughput replica): no all-reduce."""
    assert note(OVER) == GENERIC + "; one GPU: no all-reduce"


def test_layer_split_host_note() -> None:
    """Layer split on 2 GPUs: they take turns, nothing to all-reduce; the throughput replica's
    own TP (2 here) must not leak into the host's note."""
    assert note(HOST_OVER) == GENERIC + "; layer_split: no all-reduce"
    assert note(HOST_OVER, throughput_tensor_parallel=2) == \
        GENERIC + "; layer_split: no all-reduce"


def test_a_host_on_one_gpu_has_no_split() -> None:
    """Layer split or tensor parallel on one GPU: one GPU, no all-reduce."""
    assert note(HOST_OVER, gpu_count=1) == GENERIC + "; one GPU: no all-reduce"
    assert note(HOST_OVER, gpu_count=1, multi_gpu="tensor_parallel") == \
        GENERIC + "; one GPU: no all-reduce"


def test_all_reduce_notes_with_a_profiled_engine() -> None:
    """TP 2 at 450 GB/s: latency and bytes; at 0 GB/s: latency only, saying why."""
    assert note(OVER, throughput_tensor_parallel=2, **PROFILED) == VLLM + BYTES
    assert note(OVER, throughput_tensor_parallel=2, interconnect_gb_s=0, **PROFILED) == \
        VLLM + "; two all-reduces per layer, latency only (interconnect_gb_s is 0)"


def test_all_reduce_note_with_the_generic_engine() -> None:
    """The plain roofline counts no bytes on the link even at 450 GB/s, and does not blame
    the interconnect for it."""
    assert note(OVER, throughput_tensor_parallel=2) == \
        GENERIC + "; two all-reduces per layer, latency only"


def test_a_link_under_1_mb_s_is_named_in_the_note() -> None:
    """0.001 GB/s is exactly 1e6 bytes/s: not under; 0.0009999999995 GB/s is 999,999.9995
    bytes/s: under (x 1.000000001e9 it would be 1,000,000.0005)."""
    tp2 = {"throughput_tensor_parallel": 2, **PROFILED}
    assert note(OVER, interconnect_gb_s=0.001, **tp2) == VLLM + BYTES
    assert note(OVER, interconnect_gb_s=0.0009999999995, **tp2) == VLLM + BYTES + SLOW_LINK
    assert note(OVER, interconnect_gb_s=1e-4, **tp2) == VLLM + BYTES + SLOW_LINK


# -- the overhead's link and beyond_roofline terms ----------------------------------------


def link_term(**over: Any) -> str:
    return expr(OVER, throughput_tensor_parallel=2, **{**PROFILED, **over})


def test_the_link_term_of_the_overhead() -> None:
    """The batch's all-reduce bytes over the link: 77 x 2 x 40 x 2 x (2 - 1) / 2 x 8192 x 2
    bytes / (450e9 B/s x 1.0) x 1e3 = 100,925,440 / 450e9 x 1e3 = 0.22428 ms."""
    e = link_term()
    assert e == ("step_overhead_ms + layers * layer_overhead_us / 1000 + 2 * layers * "
                 "log2(throughput_tensor_parallel) * allreduce_us / 1000 + batch * 2 * layers "
                 "* 2 * (throughput_tensor_parallel "
                 "- 1) / throughput_tensor_parallel * hidden_size * 2 / ((interconnect_gb_s * "
                 "1e9) * allreduce_bw_fraction) * 1e3")
    assert evaluate_formula(e, ns(throughput_tensor_parallel=2, **PROFILED)) == \
        approx(100_925_440 / 450e9 * 1e3)


def test_a_link_under_1_mb_s_is_raised_to_it_in_the_overhead() -> None:
    """Exactly 1e6 bytes/s is kept as it is; 999,999.9995 bytes/s is raised to 1e6."""
    plain, floor = "((interconnect_gb_s * 1e9) *", "(max(interconnect_gb_s * 1e9, 1e6) *"
    assert plain in link_term(interconnect_gb_s=0.001)
    assert floor in link_term(interconnect_gb_s=0.0009999999995)
    assert floor not in link_term()


def test_a_partial_beyond_roofline_scales_the_terms() -> None:
    """beyond_roofline 0.5 multiplies the link bytes and the attention FLOPs; 1 leaves them."""
    assert link_term(beyond_roofline=0.5).endswith(
        "allreduce_bw_fraction) * beyond_roofline * 1e3")
    assert link_term().endswith("allreduce_bw_fraction) * 1e3")
    compute = expr("throughput.step_time_compute_ms", beyond_roofline=0.5)
    assert "head_dim * beyond_roofline * layers * avg_tokens_per_stream" in compute


def test_the_compute_time_of_a_profiled_engine() -> None:
    """Weights and attention FLOPs, in milliseconds written 1e3 like every other formula."""
    assert expr("throughput.step_time_compute_ms", **PROFILED) == (
        "batch * (2 * active_params_b * 1e9 + 4 * attention_heads * head_dim * layers * "
        "avg_tokens_per_stream) / (throughput_tensor_parallel * tflops * 1e12 * mfu) * 1e3")


# -- the searched speed limits: rule, checks, expression, note ----------------------------

RULE = ("the largest {b} <= 1e9 with 1000 / step_time_ms({b}) >= min_tokens_per_s_per_stream "
        "(0 when even 1 is too slow), step_time_ms({b}) being the {fig} with {b} streams "
        "(max(memory, compute) + overhead, {parts})")


def rule(key: str, **over: Any) -> str | None:
    return FACTORY_RULE[key]()(ns(**over)) if key in FACTORY_RULE else \
        FORMULAS[key].rule_text(ns(**over))


def test_the_speed_rules_in_words() -> None:
    assert rule(SPEED) == RULE.format(b="B", fig="step_time_ms",
                                      parts="throughput.step_time_*_ms")
    assert rule(THREADS) == RULE.format(b="c", fig="host step time", parts="host.step_time_*_ms")


def test_a_speed_rule_only_for_a_searched_limit() -> None:
    """Manual throughput or no minimum speed: no search, no rule; a minimum of 0.5 is one."""
    for key in (SPEED, THREADS):
        assert rule(key, throughput="manual") is None
        assert rule(key, min_tokens_per_s_per_stream=0) is None
        assert rule(key, min_tokens_per_s_per_stream=0.5) is not None


def test_the_batch_speed_checks() -> None:
    """B = 390: (20e9 + 390 x 204.8e6 KV bytes) / 1e12 B/s = 99.872 ms, 10.0128 tokens/s >= 10;
    391: 100.0768 ms, 9.99233 < 10 (compute, 15.6 ms, is shorter; no fixed costs)."""
    at, above = checks(SPEED)
    assert (at.label, at.op, at.rhs) == ("1000 / step_time_ms(390)", ">=",
                                         "min_tokens_per_s_per_stream")
    assert (above.label, above.op, above.rhs) == ("1000 / step_time_ms(391)", "<",
                                                  "min_tokens_per_s_per_stream")
    assert evaluate_formula(at.lhs, BASE) == approx(1000 / 99.872)
    assert evaluate_formula(above.lhs, BASE) == approx(1000 / 100.0768)


def test_the_host_thread_checks() -> None:
    """c = 238 on one GPU's bandwidth (layer split), a thread holding half its 4,096 context:
    (20e9 + 238 x 163,840 x 2,048) / 1e12 = 99.85955 ms, 10.014 >= 10; 239: 100.19509 ms."""
    at, above = checks(THREADS)
    assert (at.label, at.op) == ("1000 / step_time_ms(238)", ">=")
    assert (above.label, above.op) == ("1000 / step_time_ms(239)", "<")
    assert at.rhs == above.rhs == "min_tokens_per_s_per_stream"
    assert evaluate_formula(at.lhs, BASE) == approx(1000 / 99.85954816)
    assert evaluate_formula(above.lhs, BASE) == approx(1000 / 100.19509248)


def test_speed_checks_only_for_a_searched_limit() -> None:
    for key in (SPEED, THREADS):
        assert checks(key, throughput="manual") == []
        assert checks(key, min_tokens_per_s_per_stream=0) == []
        assert len(checks(key, min_tokens_per_s_per_stream=0.5)) == 2


def test_speed_checks_at_the_ends() -> None:
    """0 found: only that 1 is too slow; 1 found: 1 is fast enough, 2 is not; the cap 1e9:
    only that it is fast enough (nothing above it is searched)."""
    (one,) = checks(SPEED, batch_speed_limit=0)
    assert (one.label, one.op) == ("1000 / step_time_ms(1)", "<")
    assert [(c.label, c.op) for c in checks(THREADS, max_threads_speed=1)] == [
        ("1000 / step_time_ms(1)", ">="), ("1000 / step_time_ms(2)", "<")]
    (cap,) = checks(SPEED, batch_speed_limit=1e9)
    assert (cap.label, cap.op) == ("1000 / step_time_ms(1000000000)", ">=")


def test_the_speed_limit_expressions() -> None:
    """No minimum (0): the cap; 0.5 tokens/s: found by the search; manual: the aggregate
    speed over the minimum, the host's times gpu_count only in tensor parallel."""
    assert expr(SPEED, min_tokens_per_s_per_stream=0) == "1e9"
    assert expr(SPEED, min_tokens_per_s_per_stream=0.5) == "batch_speed_limit"
    assert expr(THREADS) == "max_threads_speed"
    manual = "min(1e9, max(0, floor(serving_decode_tokens_per_s_per_gpu{} / " \
             "min_tokens_per_s_per_stream)))"
    assert expr(SPEED, throughput="manual") == manual.format(" * throughput_tensor_parallel")
    assert expr(THREADS, throughput="manual") == manual.format("")
    assert expr(THREADS, throughput="manual", multi_gpu="tensor_parallel") == \
        manual.format(" * gpu_count")


def test_the_speed_notes() -> None:
    assert note(SPEED, min_tokens_per_s_per_stream=0) == \
        "min_tokens_per_s_per_stream is 0: no speed limit"
    assert note(SPEED, throughput="manual") == \
        "manual throughput: the aggregate speed shared by the streams"
    searched = ("the step time grows with the batch, so the speed falls: found in closed form "
                "(dense) or by bisection (routed experts)")
    assert note(SPEED, min_tokens_per_s_per_stream=0.5) == searched
    assert note(THREADS) == searched


# -- sliding windows, experts, tensor parallelism -----------------------------------------

WINDOW = "windowed layers hold min(tokens, sliding_window_tokens)"
KV_STREAM = "throughput.kv_bytes_per_stream"


def test_a_window_needs_both_a_size_and_layers() -> None:
    """A window of 1 token on 1 layer is a window; 0 tokens or 0 layers is none."""
    assert note(KV_STREAM, sliding_window_tokens=1, sliding_window_layers=1) == WINDOW
    assert note(KV_STREAM, sliding_window_tokens=128, sliding_window_layers=20) == WINDOW
    assert note(KV_STREAM, sliding_window_tokens=0, sliding_window_layers=20) == ""
    assert note(KV_STREAM, sliding_window_tokens=128, sliding_window_layers=0) == ""
    assert note(KV_STREAM) == ""


def test_routed_experts_with_one_billion_shared() -> None:
    """shared_params_b 1 of 100 (10 active): the shared billion read at shared_weight_bits
    every step, the routed 99 at weight_bits as far as the batch touches them."""
    e = expr("throughput.step_time_memory_ms", total_params_b=100, shared_params_b=1)
    assert e.startswith("(shared_params_b * 1e9 * shared_weight_bits / 8 + (total_params_b - "
                        "shared_params_b) * 1e9 * weight_bits / 8 * (1 - (1 - max(0, ")


def test_an_explicit_tensor_parallel_of_1() -> None:
    """serving.tensor_parallel = 1 is a setting, not the automatic rule."""
    assert expr("throughput.tensor_parallel", serving_tensor_parallel=1) == \
        "serving_tensor_parallel"
    assert rule("throughput.tensor_parallel", serving_tensor_parallel=1,
                tensor_parallel_rule="fewest_gpus") is None


def test_the_fewest_gpus_rule_in_words() -> None:
    assert rule("throughput.tensor_parallel", tensor_parallel_rule="fewest_gpus") == (
        "the power of two w from smallest_fit_tensor_parallel up to gpus_per_server (or the "
        "smallest fit itself, if larger) whose fleet needs the fewest GPUs, "
        "max(ceil(planned_gpus(w) / w) * w, w); ties go to the smaller w")


def test_no_link_has_no_bytes_term() -> None:
    """A GPU without an interconnect (0 GB/s) moves no all-reduce bytes over one: the
    overhead keeps the latency terms only (the engine's per-stream term is 0 there)."""
    assert link_term(interconnect_gb_s=0) == (
        "step_overhead_ms + layers * layer_overhead_us / 1000 + 2 * layers * "
        "log2(throughput_tensor_parallel) * allreduce_us / 1000")
