"""engine.formulas and engine.formulas_analysis by hand: the notes beside the figures (KV
cache, prefill, energy, fleet power), the branches of the weights, KV-tokens, board-power,
load-factor and capital-recovery formulas, and the host's NPV and IRR. Written to kill the
survivors docs/mutation.md lists for these functions: each test pins the exact text or
number a user sees. The namespace is ROUND's, as in test_kill_formulas.
"""

from __future__ import annotations

from pytest import approx

from infracalc_tui.engine.explain import FORMULAS, evaluate_formula

from .test_kill_formulas import PROFILED, expr, note, ns

KV_TOKEN, KV_STREAM = "throughput.kv_bytes_per_token", "throughput.kv_bytes_per_stream"
PREFILL, AVG = "throughput.prefill_tokens_per_s_per_gpu", "fleet.avg_facility_power_mw"
FACTOR = "fleet.power_load_factor"

# -- model in memory ----------------------------------------------------------------------


def test_dense_weights_at_one_width() -> None:
    """Every weight at weight_bits: 10 x 16 / 8 = 20 GB."""
    e = expr("throughput.weights_gb")
    assert e == "total_params_b * weight_bits / 8"
    assert evaluate_formula(e, ns()) == 20


def test_routed_experts_with_one_billion_shared_weights() -> None:
    """1B shared at 16 bits, the other 99B at 4: 1 x 16 / 8 + 99 x 4 / 8 = 2 + 49.5 GB."""
    over = {"total_params_b": 100, "shared_params_b": 1, "weight_bits": 4}
    e = expr("throughput.weights_gb", **over)
    assert e == ("shared_params_b * shared_weight_bits / 8 + (total_params_b - shared_params_b)"
                 " * weight_bits / 8")
    assert evaluate_formula(e, ns(**over)) == 51.5


def test_the_kv_cache_notes() -> None:
    assert note(KV_TOKEN, model_kv_bytes_per_token=1000) == \
        "set in model.kv_bytes_per_token (the cache taken as flat: no windows)"
    assert note(KV_TOKEN, kv_values_per_token=576) == \
        "MLA: one compressed vector per layer, no factor 2 (flat: no windows)"
    plain = "per token over all layers; it does not depend on the context"
    assert note(KV_TOKEN) == plain
    assert note(KV_TOKEN, sliding_window_tokens=128, sliding_window_layers=20) == \
        plain + "; sliding-window layers limit the tokens held (kv_bytes_per_stream)"


def test_the_kv_tokens_notes() -> None:
    assert note("throughput.kv_tokens_per_stream", kv_cache_in_use="paged",
                engine_in_use="vllm", kv_block_tokens=16) == \
        "vllm: a paged cache holds the query's tokens (input and all output) in blocks of 16"
    assert note("throughput.kv_tokens_per_stream") == (
        "a reserved cache sets aside a full context per stream (or the query, when it is "
        "longer)")


def test_the_kv_bytes_of_a_stream_name_its_tokens() -> None:
    """A reserved stream holds max(4,096 context, 1,000 + 500 query) = 4,096 tokens: the
    figure's own name; with a context of 1,000 the query's 1,500, still the figure. When the
    figure (rounded, here 4,000) is not that max, the formula is written out; a paged cache
    always names the figure."""
    per = "throughput_kv_bytes_per_token * "
    assert expr(KV_STREAM) == per + "kv_tokens_per_stream"
    assert expr(KV_STREAM, context_tokens=1000, kv_tokens_per_stream=1500) == \
        per + "kv_tokens_per_stream"
    assert expr(KV_STREAM, kv_tokens_per_stream=4000) == \
        per + "(max(context_tokens, input_tokens_per_query + output_tokens_per_query))"
    assert expr(KV_STREAM, kv_cache_in_use="paged", kv_tokens_per_stream=4000) == \
        per + "kv_tokens_per_stream"


# -- prefill ------------------------------------------------------------------------------


def test_a_prompt_as_long_as_the_window() -> None:
    """1,000 prompt tokens in a 1,000-token window: the windowed layers attend to half the
    prompt, like the full ones (the window never cuts)."""
    over = {**PROFILED, "sliding_window_tokens": 1000, "sliding_window_layers": 20}
    assert expr(PREFILL, **over) == (
        "tflops * 1e12 * prefill_mfu / (2 * active_params_b * 1e9 + 4 * attention_heads * "
        "head_dim * ((layers - sliding_window_layers) * input_tokens_per_query / 2 + "
        "sliding_window_layers * input_tokens_per_query / 2))")


def test_the_prefill_notes() -> None:
    """A manual prefill speed is used only with manual throughput."""
    assert note(PREFILL, throughput="manual", serving_prefill_tokens_per_s_per_gpu=5000) == \
        "manual throughput"
    generic = "generic engine: weights only, no attention FLOPs"
    assert note(PREFILL, serving_prefill_tokens_per_s_per_gpu=5000) == generic
    assert note(PREFILL, **PROFILED) == (
        "a prompt token attends on average to half the prompt per full layer (causal); a "
        "windowed layer to min(position, window) averaged over the prompt")


# -- power and energy ---------------------------------------------------------------------

DRAW = "(power_k_mem * {p}_step_time_memory_ms + power_k_cmp * {p}_step_time_compute_ms)"
#: the power model's weights set by hand (the fitted ones move with the ledger)
K = {"power_k_mem": 0.5, "power_k_cmp": 0.9}
P = 70 + 430 * (0.5 * 35.7696 + 0.9 * 3.08) / 35.7696  # 318.32 W, as below


def test_the_board_power_formula() -> None:
    """70 + (500 - 70) x (0.5 x 35.7696 + 0.9 x 3.08) / 35.7696 = 318.33 W."""
    e = expr("throughput.gpu_power_w")
    assert e == f"idle_w + (tdp_w - idle_w) * min(1, {DRAW.format(p='throughput')} / " \
                "step_time_ms)"
    assert evaluate_formula(e, ns(**K)) == approx(70 + 430 * (0.5 * 35.7696 + 0.9 * 3.08) / 35.7696)


def test_idle_above_tdp_is_capped() -> None:
    """idle_w 600 over a 500 W TDP: idle counts as 500 W, so the board draws 500 W; at
    idle_w = TDP no cap is needed."""
    tail = f" * min(1, {DRAW.format(p='throughput')} / step_time_ms)"
    e = expr("throughput.gpu_power_w", idle_w=600)
    assert e == "min(idle_w, tdp_w) + (tdp_w - min(idle_w, tdp_w))" + tail
    assert evaluate_formula(e, ns(idle_w=600)) == 500
    assert expr("throughput.gpu_power_w", idle_w=500) == "idle_w + (tdp_w - idle_w)" + tail


def test_the_host_board_power_puts_its_step_in_brackets() -> None:
    assert expr("host.gpu_power_w", multi_gpu="tensor_parallel") == (
        f"idle_w + (tdp_w - idle_w) * min(1, {DRAW.format(p='host')} / (max("
        "host_step_time_memory_ms, host_step_time_compute_ms) + host_step_time_overhead_ms))")


ENERGY = ("throughput_gpu_power_w * throughput_tensor_parallel * (step_time_ms / 1000) / batch"
          " + ({i} + (tdp_w - {i}) * min(1, power_k_cmp)) * input_tokens_per_query / "
          "throughput_prefill_tokens_per_s_per_gpu / output_tokens_per_query")


def test_the_energy_per_output_token() -> None:
    """318.32 W x 35.7696 ms / 77 + (70 + 430 x 0.9) W x 1,000 / 25,000 s / 500 tokens
    = 0.14787 + 0.03656 = 0.18443 J; idle at or above TDP as for the board power."""
    e = expr("throughput.energy_per_output_token_j")
    assert e == ENERGY.format(i="idle_w")
    assert evaluate_formula(e, ns(**K, throughput_gpu_power_w=P)) == approx(
        P * 0.0357696 / 77 + (70 + 430 * 0.9) * 1000 / 25_000 / 500)
    assert expr("throughput.energy_per_output_token_j", idle_w=500) == ENERGY.format(i="idle_w")
    assert expr("throughput.energy_per_output_token_j", idle_w=600) == \
        ENERGY.format(i="min(idle_w, tdp_w)")


def test_the_energy_notes() -> None:
    share = ("a token's share of a decode step on TP GPUs, plus its query's prefill (at the "
             "power of a compute-bound GPU) spread over the output tokens")
    assert note("throughput.energy_per_output_token_j") == share
    assert note("throughput.energy_per_output_token_j", throughput="manual") == share + (
        "; manual throughput: the decode term uses the estimated step time and power, not the "
        "manual speed")


# -- fleet power and capital --------------------------------------------------------------


def test_the_fleet_power_notes() -> None:
    assert note(AVG) == "facility.power_load_factor set"
    assert note(AVG, facility_power_load_factor=None) == (
        "modelled: a day's busy GPU-seconds at the energy per output token (decode and "
        "prefill), the GPUs' remaining seconds at idle_w, servers at server_power_w")
    assert note(AVG, facility_power_load_factor=None, throughput="manual") == \
        "manual throughput has no step times to model power from: load factor 0.7"


def test_the_load_factor_switches_to_watts_only_below_1e_290_mw() -> None:
    """0.085 MW and exactly 1e-290 MW are divided in MW; 1e-300 MW (it would underflow) is
    rewritten in watts."""
    assert expr(FACTOR) == "facility_power_load_factor"
    assert expr(FACTOR, facility_power_mw=1e-290) == "facility_power_load_factor"
    assert expr(FACTOR, facility_power_mw=1e-300) == (
        "(gpus * tdp_w + servers * server_power_w) * pue * facility_power_load_factor / "
        "((gpus * tdp_w + servers * server_power_w) * pue)")
    modelled = {"facility_power_load_factor": None}
    assert expr(FACTOR, **modelled) == "avg_facility_power_mw / facility_power_mw"
    assert expr(FACTOR, facility_power_mw=1e-290, **modelled) == \
        "avg_facility_power_mw / facility_power_mw"
    assert expr(FACTOR, facility_power_mw=1e-300, **modelled).endswith(
        " / ((gpus * tdp_w + servers * server_power_w) * pue)")


def test_capital_recovery_is_straight_line_below_a_rate_years_of_1e_9() -> None:
    """1e-9 x 4 years and 1e-9 x 1 year (exactly 1e-9) take the annuity; 1e-10 x 4 does not."""
    crf = "fleet.capital_recovery_factor"
    annuity = ("facility_discount_rate * (1 + facility_discount_rate) ** facility_lifespan_years"
               " / ((1 + facility_discount_rate) ** facility_lifespan_years - 1)")
    assert expr(crf, facility_discount_rate=1e-9) == annuity
    assert expr(crf, facility_discount_rate=1e-9, facility_lifespan_years=1) == annuity
    assert expr(crf, facility_discount_rate=1e-10) == "1 / facility_lifespan_years"


# -- the host's NPV and IRR ---------------------------------------------------------------

GEOMETRIC = "/ (1 - ((1 + {r}) ** (-1 / 12)))"


def test_the_undiscounted_npv() -> None:
    """-41,600 + 17.52 x 365 / 12 x 36 months = -41,600 + 19,184.40 = -22,415.60 dollars;
    a resale of 10% adds 4,160."""
    e = expr("host.npv_usd")
    assert e == "-hardware_cost_usd + margin_usd_per_day * 365 / 12 * (host_lifespan_years * 12)"
    assert evaluate_formula(e, ns()) == approx(-22_415.6)
    assert expr("host.npv_usd", resale_pct=10) == e + " + resale_pct / 100 * hardware_cost_usd"


def test_a_discount_rate_of_1e_9_is_discounted() -> None:
    assert GEOMETRIC.format(r="host_discount_rate") in expr("host.npv_usd",
                                                            host_discount_rate=1e-9)
    assert GEOMETRIC.format(r="host_discount_rate") in expr("host.npv_usd", host_discount_rate=1)


def test_the_irr_rule_and_check() -> None:
    f = FORMULAS["host.irr_pct"]
    assert f.rule_text(ns()) == "the annual rate r at which npv_usd(r) = 0 (null when none)"
    (c,) = f.check_list(ns())
    assert (c.label, c.op) == ("|NPV at the IRR|", "<")
    assert f.check_list(ns(irr_pct=None)) == []


def test_the_irr_check_sums_whole_months_below_a_rate_of_1e_9() -> None:
    """1e-8 % is a rate of 1e-10: whole months (the geometric sum would cancel); 1.005e-7 % is
    1.005e-9: the geometric sum."""
    f, geometric = FORMULAS["host.irr_pct"], GEOMETRIC.format(r="irr_pct / 100")
    (tiny,) = f.check_list(ns(irr_pct=1e-8))
    assert geometric not in tiny.lhs
    (small,) = f.check_list(ns(irr_pct=1.005e-7))
    assert geometric in small.lhs
