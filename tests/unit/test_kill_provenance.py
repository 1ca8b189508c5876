"""Where a value came from (scenario.provenance), branch by branch: the sources the shipped
scenarios never reach (a key set to "auto", a chosen KV cache, 4.5- and 8-bit weights, a
mixture of experts without its shared figure, a fitted table without the GPU's class).

Written to kill the mutants docs/mutation.md lists as surviving in provenance.py; each
expected Source is the rule of the branch, written out."""

from __future__ import annotations

import dataclasses

import pytest

from infracalc_tui.scenario import Scenario, load
from infracalc_tui.scenario import catalog as cat
from infracalc_tui.scenario.provenance import Source, label_help, source_of

RTX = "scenarios/rtx4090-llama8b.toml"  # llama.cpp (a reserved KV cache) on an RTX 4090
RTX_NAME = "NVIDIA GeForce RTX 4090 24GB"


def bare(**keys: object) -> Scenario:
    """A scenario of only ``keys`` ("gpu__preset" for "gpu.preset")."""
    return Scenario("x", "", {k.replace("__", "."): v for k, v in keys.items()})


def test_a_derived_source_without_a_rule_is_just_its_origins() -> None:
    assert Source("derived", "", ("model.a", "model.b")).text() == \
        "derived from model.a, model.b"
    assert Source("derived", "why", ("model.a",)).text() == "derived from model.a (why)"


def test_a_key_without_a_section_keeps_its_whole_name() -> None:
    assert label_help("nodot") == ("nodot", "", "", "set by the engine profile, not in the "
                                   "scenario")


def test_not_an_input_names_the_key() -> None:
    with pytest.raises(KeyError, match=r"'host.max_threads' is not a scenario input"):
        source_of(load(RTX), "host.max_threads")


# -- the engine keys (_engine_key_source) --------------------------------------------------

def test_the_reason_for_the_engine_follows_the_engine_key() -> None:
    """serving.engine = "llama.cpp" in the file: the reason is "set in serving.engine"."""
    assert source_of(load(RTX), "serving.engine_reason") == Source(
        "derived", "set in serving.engine", ("serving.engine",))


def test_an_automatic_engine_follows_the_gpu_preset_and_its_memory() -> None:
    """serving.engine left "auto": the GPU preset's usual engine, so three keys decide it."""
    want = Source("derived", f"automatic: the usual engine on the {RTX_NAME}",
                  ("serving.engine", "gpu.preset", "gpu.memory_type"))
    s = bare(gpu__preset="rtx-4090")
    assert source_of(s, "serving.engine_in_use") == want
    assert source_of(s, "serving.engine_reason") == want


def test_a_kv_cache_chosen_in_the_file() -> None:
    """kv_cache = "paged" over llama.cpp's reserved cache: the cache in use is the one set,
    kv_paged (1) follows it, the block size stays the engine's."""
    s = load(RTX).with_value("serving.kv_cache", "paged")
    assert (s.values["serving.kv_cache_in_use"], s.values["serving.kv_paged"]) == ("paged", 1)
    assert source_of(s, "serving.kv_cache_in_use") == Source(
        "derived", "set in serving.kv_cache", ("serving.kv_cache",))
    assert source_of(s, "serving.kv_paged") == Source(
        "derived", "1 when paged", ("serving.kv_cache_in_use",))
    assert source_of(s, "serving.kv_block_tokens") == Source("engine profile", "llama.cpp")


def test_a_reserved_cache_has_one_token_blocks() -> None:
    """llama.cpp's own cache is reserved: kv_block_tokens = 1 by rule, not by the profile;
    kv_paged = 0 by the same rule as 1."""
    s = load(RTX)
    assert (s.values["serving.kv_cache_in_use"], s.values["serving.kv_block_tokens"]) == \
        ("reserved", 1)
    assert source_of(s, "serving.kv_block_tokens") == Source(
        "derived", "a reserved cache has no blocks: 1", ("serving.kv_cache_in_use",))
    assert source_of(s, "serving.kv_paged") == Source(
        "derived", "1 when paged", ("serving.kv_cache_in_use",))
    assert source_of(s, "serving.kv_cache_in_use") == Source("engine profile", "llama.cpp")


def test_a_paged_engine_gives_its_block_size() -> None:
    s = bare(gpu__preset="h100-sxm", serving__engine="vllm")
    assert s.values["serving.kv_cache_in_use"] == "paged"
    assert source_of(s, "serving.kv_block_tokens") == Source("engine profile", "vllm")


def test_the_generic_engines_own_keys_are_the_plain_roofline() -> None:
    s = load(RTX).with_value("serving.engine", "generic")
    assert source_of(s, "serving.native_fp8") == Source(
        "engine profile", "generic (the plain roofline)")
    assert source_of(s, "serving.beyond_roofline").text() == \
        "engine profile generic (the plain roofline)"


# -- the efficiency keys of the generic engine (_profile_source) ----------------------------

def test_under_the_generic_engine_mfu_is_the_gpu_presets_too() -> None:
    """mbu and mfu both come from the GPU preset's generic-roofline figures (0.4 for mfu)."""
    s = load(RTX).with_value("serving.engine", "generic")
    assert s.values["serving.mfu"] == 0.4
    assert source_of(s, "serving.mfu") == Source(
        "preset", f"rtx-4090 ({RTX_NAME}: the generic roofline's efficiency)")
    assert source_of(bare(serving__engine="generic"), "serving.mfu") == Source(
        "default", "the generic roofline's efficiency without a GPU preset")


def test_a_fitted_table_without_the_gpus_memory_class(monkeypatch: pytest.MonkeyPatch
                                                      ) -> None:
    """llama.cpp's fitted mbu made to have no "gddr" figure (the 4090's memory): the value is
    the table's "default", and the source says the class is missing."""
    engines = dict(cat.engines())
    old = engines["llama.cpp"]
    fit = {**old.fit, "mbu": {"hbm": 0.5, "default": 0.625}}
    engines["llama.cpp"] = dataclasses.replace(old, fit=fit)
    monkeypatch.setattr(cat, "engines", lambda: engines)
    s = load(RTX)
    assert s.values["serving.mbu"] == 0.625
    assert source_of(s, "serving.mbu") == Source(
        "engine profile", "llama.cpp (fitted default: no gddr memory figure, "
        "engine_fit.toml)")
    assert source_of(s, "serving.mbu").text() == (
        "engine profile llama.cpp (fitted default: no gddr memory figure, engine_fit.toml)")


# -- the derived keys (_derived) ------------------------------------------------------------

def test_a_mixture_of_experts_without_its_shared_figure_reads_none_shared() -> None:
    """10B of 100B active and no shared_params_b: every weight routed, shared = 0."""
    s = bare(model__total_params_b=100.0, model__active_params_b=10.0)
    assert s.values["model.shared_params_b"] == 0
    assert source_of(s, "model.shared_params_b") == Source(
        "derived", "mixture of experts without the figure: 0",
        ("model.active_params_b", "model.total_params_b"))


def test_weights_at_exactly_4_5_bits_run_at_the_fp4_rate() -> None:
    """B200 under vLLM (native FP4), 4.5-bit weights (FP4_MAX_BITS, included): 9000 TFLOPS
    FP4 x the fitted fp4_scale (engine_fit.toml, ~0.55)."""
    s = bare(gpu__preset="b200", model__weight_bits=4.5)
    assert s.values["serving.engine_in_use"] == "vllm"
    assert s.values["gpu.tflops"] == pytest.approx(9000 * cat.engines()["vllm"].fit["fp4_scale"])
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "FP4 rate x the engine's fp4_scale for 4.5-bit weights",
        ("model.weight_bits", "gpu.tflops_fp4", "serving.fp4_scale"))


def test_weights_at_exactly_8_bits_run_at_the_fp8_rate() -> None:
    """H100 SXM (FP8 1979, no FP4) under vLLM, 8-bit weights (FP8_MAX_BITS, included)."""
    s = bare(gpu__preset="h100-sxm", model__weight_bits=8.0)
    assert s.values["gpu.tflops"] == 1979
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "FP8 rate for 8-bit weights", ("model.weight_bits", "gpu.tflops_fp8"))


def test_8_bit_weights_on_a_gpu_without_fp8_run_at_the_16_bit_rate() -> None:
    """A100: no FP8 figure, so 8-bit weights take the BF16 rate, 312."""
    s = bare(gpu__preset="a100-sxm-80gb", model__weight_bits=8.0)
    assert s.values["gpu.tflops"] == 312
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "16-bit rate for 8-bit weights", ("model.weight_bits", "gpu.tflops_bf16"))
