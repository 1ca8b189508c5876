"""Explanations: each one shows and reproduces its figure, for every kind of scenario."""

import math
import re

import pytest
from hypothesis import given

from infracalc_tui.calc import apply_settings, explain_for, report_for
from infracalc_tui.engine.explain import (
    FORMULAS,
    Explanation,
    check_holds,
    evaluate_formula,
    explain,
    explainable,
    namespace,
)
from infracalc_tui.scenario import Scenario, load

from .strategies import scenarios

RTX = "scenarios/rtx4090-llama8b.toml"
GPT4O = "scenarios/gpt4o-1b-users.toml"
DEEPSEEK = "scenarios/deepseek-v3-h200-fleet.toml"
GPT_OSS = "scenarios/gpt-oss-120b-h100-host.toml"
MEMORY_CASE = ["host.gpu_count=3", "model.context_tokens=100", "model.kv_bytes_per_token=1000"]


def explained(file: str, key: str, *settings: str) -> tuple[Explanation, float]:
    """The explanation of ``key`` and its formula's value, which must be the figure."""
    s = apply_settings(load(file), settings)
    r = report_for(s)
    e = explain_for(s, key, r)
    got = evaluate_formula(FORMULAS[key].expression(namespace(s.values, r)),
                           namespace(s.values, r))
    section, name = key.split(".", 1)
    want = r[section][name]
    assert e.value == want
    if isinstance(want, str | bool):
        assert got == want
    else:
        assert math.isclose(got, want, rel_tol=1e-9), (key, got, want)
    return e, got


def test_public_names() -> None:
    from infracalc_tui.engine import explain as module

    for name in ("explain", "explainable", "FORMULAS", "evaluate_formula", "namespace",
                 "Explanation"):
        assert hasattr(module, name)
    assert explainable() == list(FORMULAS)


def test_memory_limit_shows_its_own_figure() -> None:
    """The engine floors with a relative slack of 1e-9 (487,399.99999 is 487,400), and so
    does the explanation: it shows and computes the figure's own value."""
    e, got = explained(RTX, "host.max_threads_memory", *MEMORY_CASE)
    assert got == e.value
    assert e.substituted.endswith(f"= {e.value}")
    # the same case on a 24 GB card: (64.8 - 16.06) GB / 100,000 bytes, a hair below 487,400
    e, got = explained(RTX, "host.max_threads_memory", *MEMORY_CASE, "gpu.memory_gb=24")
    assert e.value == got == 487_400
    assert e.substituted.endswith("= 487400")
    quotient = e.substituted.split("floor(")[1]
    assert quotient.startswith("(64.8 - 16.06) · 1e9 / 100000")


def test_batch_memory_limit_floors_like_the_engine() -> None:
    e, got = explained(RTX, "throughput.batch_memory_limit", *MEMORY_CASE, "gpu.memory_gb=24",
                       "serving.tensor_parallel=3")
    assert e.value == got
    assert "kv_bytes_per_stream" in e.formula


NEW_FIGURES = (
    "throughput.kv_tokens_per_stream", "throughput.kv_bytes_per_stream",
    "throughput.kv_read_bytes_per_stream", "throughput.step_time_overhead_ms",
    "throughput.smallest_fit_tensor_parallel", "throughput.gpu_power_w",
    "throughput.energy_per_output_token_j", "throughput.batch_speed_limit",
    "fleet.power_load_factor", "fleet.annual_colo_usd", "host.kv_bytes_per_thread",
    "host.step_time_overhead_ms", "host.gpu_power_w", "host.billed_threads",
    "host.max_threads_speed",
)


def test_new_figures_are_explained() -> None:
    assert not [k for k in NEW_FIGURES if k not in FORMULAS]
    s = load(GPT4O)
    r = report_for(s)
    for key in NEW_FIGURES:
        e = explain(key, s.values, r)
        assert e.label and e.source and "=" in e.substituted, key


@given(scenarios())
def test_every_explanation_renders(s: Scenario) -> None:
    r = report_for(s)
    ns = namespace(s.values, r)
    for key, formula in FORMULAS.items():
        e = explain(key, s.values, r)
        section, name = key.split(".", 1)
        assert e.value == r[section][name]
        assert e.substituted.startswith("= ") and e.source, key
        if formula.rule_text(ns) is None:
            # every name in the expression is an input, a figure or a function
            names = set(re.findall(r"(?<![\d.])[A-Za-z_][A-Za-z0-9_]*", formula.expression(ns)))
            unknown = names - set(ns) - {"ceil", "floor", "max", "min", "log2", "ceil_pow2",
                                         "if", "else", "memory", "compute", "manual"}
            assert not unknown, (key, unknown)


@given(scenarios())
def test_searched_figures_meet_their_rule(s: Scenario) -> None:
    """The batch (and the host's threads) the minimum speed allows: the largest whose speed
    is still >= the minimum, the next one too slow. Checks the engine's search as well."""
    r = report_for(s)
    ns = namespace(s.values, r)
    for key, formula in FORMULAS.items():
        for check in formula.check_list(ns):
            assert check_holds(check, ns, rel=1e-9), (key, check)
        if formula.check_list(ns):
            assert ", since " in explain(key, s.values, r).substituted


def _by_width(reason: str) -> dict[int, int]:
    listed = reason.split("GPUs by width: ", 1)[1].rstrip(")")
    return {int(w): int(n.replace(",", "")) for w, n in
            (item.split(": ") for item in listed.split("; "))}


@given(scenarios())
def test_fewest_gpus_reason_names_the_minimum(s: Scenario) -> None:
    v = s.values
    if v["serving.tensor_parallel"] > 0 or v["serving.tensor_parallel_rule"] != "fewest_gpus":
        return
    r = report_for(s)
    t, gpus = r["throughput"], r["fleet"]["gpus"]
    if gpus is None or "GPUs by width: " not in t["tensor_parallel_reason"] or \
            t["tensor_parallel_reason"].endswith("width: )"):
        return
    widths = _by_width(t["tensor_parallel_reason"])
    best = min(widths.values())
    assert math.isclose(gpus, best, rel_tol=1e-12)
    assert t["tensor_parallel"] == min(w for w, n in widths.items()
                                       if math.isclose(n, best, rel_tol=1e-12))
    assert "fewest GPUs" in explain("throughput.tensor_parallel", v, r).formula


def test_step_time_reads_well() -> None:
    e, _ = explained(GPT4O, "throughput.step_time_ms")
    assert e.formula == ("step_time_ms = max(throughput_step_time_memory_ms, "
                         "throughput_step_time_compute_ms) + throughput_step_time_overhead_ms")
    assert re.fullmatch(r"= max\([\d.]+, [\d.]+\) \+ [\d.]+ = [\d.]+", e.substituted)
    over, _ = explained(GPT4O, "throughput.step_time_overhead_ms")
    assert "allreduce_us" in over.formula and "interconnect_gb_s" in over.formula
    cmp, _ = explained(GPT4O, "throughput.step_time_compute_ms")
    assert "4 · attention_heads · head_dim · layers · avg_tokens_per_stream" in cmp.formula


def test_generic_engine_is_the_plain_roofline() -> None:
    cmp, _ = explained(GPT4O, "throughput.step_time_compute_ms", "serving.engine=generic")
    assert "attention_heads" not in cmp.formula
    over, _ = explained(GPT4O, "throughput.step_time_overhead_ms", "serving.engine=generic")
    assert "interconnect_gb_s" not in over.formula
    prefill, _ = explained(GPT4O, "throughput.prefill_tokens_per_s_per_gpu",
                           "serving.engine=generic")
    assert prefill.formula.endswith("/ (2 · active_params_b · 1e9)")


@pytest.mark.parametrize("engine", ["vllm", "sglang", "tensorrt-llm", "mlx", "llama.cpp"])
def test_each_engine_profile(engine: str) -> None:
    for key in ("throughput.kv_tokens_per_stream", "throughput.step_time_ms",
                "throughput.step_time_overhead_ms", "throughput.batch_memory_limit",
                "throughput.gpu_power_w", "fleet.avg_facility_power_mw"):
        e, _ = explained(GPT4O, key, f"serving.engine={engine}")
    paged = engine != "llama.cpp"
    e, _ = explained(GPT4O, "throughput.kv_tokens_per_stream", f"serving.engine={engine}")
    assert ("kv_block_tokens" in e.formula) == paged
    assert ("context_tokens" in e.formula) == (not paged)


def test_paged_cache_rounds_up_to_blocks() -> None:
    _, got = explained(GPT4O, "throughput.kv_tokens_per_stream", "serving.engine=vllm",
                       "fleet.input_tokens_per_query=1001")
    assert got == 1504  # 1,501 tokens in blocks of 16
    _, got = explained(GPT4O, "throughput.kv_tokens_per_stream", "serving.kv_cache=reserved")
    assert got == 8192


def test_mla_cache_is_flat() -> None:
    kv, _ = explained(DEEPSEEK, "throughput.kv_bytes_per_token")
    assert kv.formula.endswith("= kv_values_per_token · kv_bits / 8")
    stream, _ = explained(DEEPSEEK, "throughput.kv_bytes_per_stream")
    assert "min(" not in stream.formula
    mem, _ = explained(DEEPSEEK, "throughput.step_time_memory_ms")
    assert "^ batch" in mem.formula and "shared_params_b" in mem.formula  # routed experts


def test_sliding_windows_hold_at_most_the_window() -> None:
    read, _ = explained(GPT_OSS, "throughput.kv_read_bytes_per_stream")
    assert "min(avg_tokens_per_stream, sliding_window_tokens)" in read.formula
    thread, _ = explained(GPT_OSS, "host.kv_bytes_per_thread")
    assert "min(context_tokens, sliding_window_tokens)" in thread.formula
    cmp, _ = explained(GPT_OSS, "throughput.step_time_compute_ms")
    assert "sliding_window_layers" in cmp.formula
    prefill, _ = explained(GPT_OSS, "throughput.prefill_tokens_per_s_per_gpu")
    assert "sliding_window_tokens ^ 2" in prefill.formula  # prompt longer than the window
    prefill, _ = explained(GPT_OSS, "throughput.prefill_tokens_per_s_per_gpu",
                           "fleet.input_tokens_per_query=100")
    assert "sliding_window_tokens ^ 2" not in prefill.formula
    flat, _ = explained(GPT_OSS, "throughput.kv_read_bytes_per_stream",
                        "model.kv_bytes_per_token=1000")
    assert "min(" not in flat.formula


def test_manual_throughput() -> None:
    speed, got = explained(GPT4O, "throughput.batch_speed_limit", "serving.throughput=manual")
    assert got == 3000 * 8 // 20 and "floor(" in speed.formula
    stream, _ = explained(GPT4O, "throughput.decode_tokens_per_s_per_stream",
                          "serving.throughput=manual")
    assert "serving_decode_tokens_per_s_per_gpu" in stream.formula
    power, _ = explained(GPT4O, "fleet.avg_facility_power_mw", "serving.throughput=manual")
    assert power.formula.endswith("facility_power_mw · 0.7")
    power, _ = explained(GPT4O, "fleet.avg_facility_power_mw", "serving.throughput=manual",
                         "facility.power_load_factor=0.5")
    assert power.formula.endswith("facility_power_mw · facility_power_load_factor")
    _, got = explained(GPT4O, "host.max_threads_speed", "serving.throughput=manual")
    assert got == 3000 * 8 // 20  # 8 GPUs in tensor parallel
    _, got = explained(GPT4O, "host.max_threads_speed", "serving.throughput=manual",
                          "host.multi_gpu=layer_split")
    assert got == 3000 // 20


def test_modelled_power() -> None:
    power, _ = explained(GPT4O, "fleet.avg_facility_power_mw")
    assert "energy_per_output_token_j" in power.formula and "idle_w" in power.formula
    explained(GPT4O, "fleet.power_load_factor")
    explained(GPT4O, "throughput.energy_per_output_token_j")
    gpu, _ = explained(GPT4O, "throughput.gpu_power_w", "gpu.idle_w=900")  # idle above TDP
    assert gpu.value == 700
    load, _ = explained(GPT4O, "host.load_kw", "host.power_model=modelled")
    assert "host_gpu_power_w" in load.formula
    for mode in ("layer_split", "tensor_parallel"):
        explained(GPT4O, "host.gpu_power_w", f"host.multi_gpu={mode}")


def test_colocation_and_opex() -> None:
    _, got = explained(GPT4O, "fleet.annual_colo_usd", "facility.colo_usd_per_kw_month=150")
    assert got > 0
    explained(GPT4O, "fleet.annual_opex_usd", "facility.colo_usd_per_kw_month=150")


def test_host_bills_only_what_it_serves() -> None:
    _, got = explained(RTX, "host.billed_threads", "pricing.concurrent_threads=500")
    assert got < 500
    for key in ("host.revenue_usd_per_day", "host.min_price_per_minute_usd",
                "host.tokens_per_day", "host.cost_per_million_tokens_usd"):
        e, _ = explained(RTX, key, "pricing.concurrent_threads=500")
        assert "billed_threads" in e.formula or "tokens_per_day" in e.formula, key


@pytest.mark.parametrize("mode", ["layer_split", "tensor_parallel"])
def test_host_modes(mode: str) -> None:
    mem, _ = explained(GPT4O, "host.step_time_memory_ms", f"host.multi_gpu={mode}")
    assert ("gpu_count ·" in mem.formula) == (mode == "tensor_parallel")
    over, _ = explained(GPT4O, "host.step_time_overhead_ms", f"host.multi_gpu={mode}")
    assert ("allreduce_us" in over.formula) == (mode == "tensor_parallel")
    explained(GPT4O, "host.decode_tokens_per_s_per_stream", f"host.multi_gpu={mode}")
    explained(GPT4O, "host.max_threads_speed", f"host.multi_gpu={mode}")


def test_tensor_parallel_is_explained_by_its_rule() -> None:
    e, _ = explained(GPT4O, "throughput.tensor_parallel")
    assert e.formula == "throughput_tensor_parallel = serving_tensor_parallel"
    e, _ = explained(GPT4O, "throughput.tensor_parallel", "serving.tensor_parallel=0")
    assert "fewest GPUs" in e.formula and e.note.startswith("automatic, fewest_gpus")
    e, _ = explained(GPT4O, "throughput.tensor_parallel", "serving.tensor_parallel=0",
                     "serving.tensor_parallel_rule=smallest_fit")
    assert "ceil_pow2(" in e.formula and e.note.startswith("automatic, smallest_fit")
    fit, _ = explained(GPT4O, "throughput.smallest_fit_tensor_parallel")
    assert fit.value == 4


def test_speed_limit_shows_both_sides_of_the_minimum() -> None:
    e, _ = explained(GPT4O, "throughput.batch_speed_limit")
    b = e.value
    assert f"step_time_ms({b}) = " in e.substituted and f"step_time_ms({b + 1}) = " in \
        e.substituted
    assert ">= 20" in e.substituted and "< 20" in e.substituted
    e, _ = explained(GPT4O, "throughput.batch_speed_limit",
                     "serving.min_tokens_per_s_per_stream=0")
    assert e.value == 1e9


@pytest.mark.parametrize("link", [5e-324, 2.2250738585072014e-308, 1e-7])
def test_a_link_under_1_mb_s_counts_as_1_mb_s(link: float) -> None:
    s = Scenario("slow link", "", {"gpu.interconnect_gb_s": link, "serving.tensor_parallel": 4})
    r = report_for(s)
    e = explain("throughput.step_time_overhead_ms", s.values, r)
    assert "max(interconnect_gb_s · 1e9, 1e6)" in e.formula and "1 MB/s" in e.note
    ns = namespace(s.values, r)
    got = evaluate_formula(FORMULAS["throughput.step_time_overhead_ms"].expression(ns), ns)
    assert math.isclose(got, r["throughput"]["step_time_overhead_ms"], rel_tol=1e-9)


def test_manual_speed_over_a_tiny_minimum_is_no_limit() -> None:
    s = Scenario("tiny minimum", "", {"serving.throughput": "manual", "gpu.memory_gb": 0.125,
                                      "serving.min_tokens_per_s_per_stream": 2.85e-302})
    r = report_for(s)
    assert r["throughput"]["tensor_parallel"] == 2048
    assert r["throughput"]["batch_speed_limit"] == 1e9


def test_an_explanation_as_text() -> None:
    from infracalc_tui.engine.explain import Explanation

    e = Explanation("fleet.servers", "Servers", 512, "servers",
                    "servers = ceil(gpus / gpus_per_server)", "= ceil(4,096 / 8) = 512",
                    "engine-spec 'Fleet'")
    assert e.text() == ("Servers (fleet.servers)\n  servers = ceil(gpus / gpus_per_server)\n"
                        "  = ceil(4,096 / 8) = 512\n  source: engine-spec 'Fleet'")
    noted = Explanation("k", "L", 1, "", "f", "= 1", "s", note="why")
    assert noted.text() == "L (k)\n  f\n  = 1\n  note: why\n  source: s"
