"""Survivors of the mutation run in the presets, the numeric helpers and the host's last
figures, by hand: a preset's interconnect and KV heads reach the scenario, ``arr`` gives
floats, ``div`` overflows silently, the host's idle power follows a sweep's shape and its
price per million tokens is exact, and a problem from no file names no file."""

from __future__ import annotations

import warnings

import numpy as np
from pytest import approx

from infracalc_tui.engine.host import host_economics
from infracalc_tui.engine.numeric import arr, div
from infracalc_tui.engine.values import Values
from infracalc_tui.scenario import Scenario

from .helpers import scenario


def test_a_gpu_presets_interconnect_reaches_the_scenario() -> None:
    """h100-pcie's link is PCIe Gen5 x16, 64 GB/s a direction (gpus.toml), not the 450 GB/s
    of the schema's default (NVLink)."""
    assert Scenario("t", "", {"gpu.preset": "h100-pcie"}).values["gpu.interconnect_gb_s"] == 64


def test_a_model_presets_kv_heads_reach_the_scenario() -> None:
    """Qwen2.5 7B has 4 KV heads (models.toml), not the schema's default 8."""
    assert Scenario("t", "", {"model.preset": "qwen2.5-7b"}).values["model.kv_heads"] == 4


def test_arr_gives_floats_whatever_it_is_given() -> None:
    """Integers from a TOML file and an empty optional key both become float64: 8 -> 8.0,
    None -> NaN (an integer array would refuse a NaN written into it)."""
    assert arr(8).dtype == np.float64
    assert arr([1, 2]).dtype == np.float64
    assert np.isnan(arr(None))


def test_a_quotient_beyond_the_float_range_is_nan_silently() -> None:
    """1e308 / 1e-10 overflows: NaN (the report's null), with no RuntimeWarning."""
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(div(1e308, 1e-10))


def test_the_hosts_idle_power_follows_a_sweeps_shape() -> None:
    """Sweeping the GPU count over 1, 2 and 4 gives one idle draw per point, in kW: the
    host's idle_power_w / 1000 at each, as floats."""
    values = dict(scenario().values)
    values["host.gpu_count"] = np.array([1.0, 2.0, 4.0])
    out = host_economics(Values(values), stream_speed=50.0, max_threads=2.0)
    idle = out["host.idle_kw"]
    assert idle.dtype == np.float64
    assert idle.tolist() == [values["host.idle_power_w"] / 1e3] * 3


def test_the_hosts_price_per_million_tokens_is_exact() -> None:
    """$0.03 a minute for a stream of 50 tok/s (3,000 tokens a minute): 0.03 x 1e6 / 3,000
    = $10 per million tokens, to 1e-12 (a million and one would be 1e-6 off)."""
    v = Values(scenario(pricing__charge_per_minute_usd=0.03).values)
    out = host_economics(v, stream_speed=50.0, max_threads=2.0)
    assert float(out["host.price_per_million_tokens_usd"]) == approx(10.0, rel=1e-12)


def test_a_problem_found_outside_a_file_names_no_file() -> None:
    """A scenario checked without a source (the TUI's edits) reports its problems with an
    empty source: 20 windowed layers in a 10-layer model breaks the layers rule."""
    problems = scenario(model__layers=10, model__sliding_window_layers=20).problems()
    assert problems
    assert {p.source for p in problems} == {""}


def _keys(explicit: dict[str, object]) -> list[str]:
    return [p.key for p in Scenario("t", "", explicit).problems("file.toml")]


def test_a_broken_rule_is_blamed_on_the_key_the_user_set() -> None:
    """gpt-oss-120b: 5.1B active of 116.8B, 18 windowed layers of 36. Setting the total to
    1B breaks the first rule, setting 40 windowed layers the second: each names the key
    typed, not its partner from the preset."""
    assert _keys({"model.preset": "gpt-oss-120b", "model.total_params_b": 1.0}) == [
        "model.total_params_b"]
    assert _keys({"model.preset": "gpt-oss-120b", "model.sliding_window_layers": 40}) == [
        "model.sliding_window_layers"]
    assert _keys({"model.preset": "gpt-oss-120b", "model.layers": 10}) == ["model.layers"]


def test_a_broken_rule_no_key_set_explains_is_blamed_on_its_first_key() -> None:
    """Values that break both rules with nothing set by hand (a caller checking resolved
    values): each problem names the rule's first key."""
    from infracalc_tui.scenario.validate import check_cross

    values = {"model.total_params_b": 1.0, "model.active_params_b": 2.0,
              "model.sliding_window_layers": 20, "model.layers": 10}
    assert [p.key for p in check_cross(values, {}, "")] == [
        "model.active_params_b", "model.sliding_window_layers"]


def test_every_engine_profile_has_a_number_for_every_class_a_gpu_can_name() -> None:
    """Each profile key is read by the GPU's bandwidth class, maker or interconnect
    (PROFILE_CLASS): every engine but generic has a finite number for every choice the
    schema allows (no fallback: a missing class would be a KeyError). A single chip's
    all-reduce costs nothing: 0 us at full bandwidth."""
    from infracalc_tui.scenario.catalog import engines
    from infracalc_tui.scenario.model import PROFILE_CLASS

    classes = {"gpu.bandwidth_class": ("hbm", "gddr", "unified", "amd"),
               "gpu.vendor": ("nvidia", "amd", "apple"),
               "gpu.interconnect": ("nvlink", "xgmi", "pcie", "none")}
    for name, profile in engines().items():
        if name == "generic":
            continue
        for key, by in PROFILE_CLASS.items():
            for cls in classes[by]:
                got = profile.number(key.split(".", 1)[1], cls)
                assert np.isfinite(got) and got >= 0, (name, key, cls)
        assert profile.number("allreduce_us", "none") == 0.0
        assert profile.number("allreduce_bw_fraction", "none") == 1.0


def test_only_a_triangular_entry_without_a_mode_takes_the_value_as_its_mode() -> None:
    """The scenario's value (5) outside low..high (6..7) is a problem only where it would be
    the mode: not for a uniform entry, not where a mode is given; and a skipped entry does
    not end the check of the ones after it."""
    from infracalc_tui.scenario.uncertain import check_modes

    values = {"a.uniform": 5.0, "a.moded": 5.0, "a.bad": 5.0}
    uncertainty = {"a.uniform": {"dist": "uniform", "low": 6.0, "high": 7.0},
                   "a.moded": {"low": 6.0, "high": 7.0, "mode": 6.5},
                   "a.bad": {"dist": "triangular", "low": 6.0, "high": 7.0}}
    problems = check_modes(values, uncertainty, "f.toml")
    assert [(p.source, p.key) for p in problems] == [("f.toml", "uncertainty.a.bad")]
    assert "value 5 (the mode) is outside low..high (6..7)" in problems[0].message


def test_a_mode_on_the_bounds_is_within_and_a_missing_value_is_named() -> None:
    """low <= value <= high includes both ends; an entry for a key with no value names the
    file it came from."""
    from infracalc_tui.scenario.uncertain import check_modes

    on_bounds = {"a.low": {"low": 5.0, "high": 7.0}, "a.high": {"low": 3.0, "high": 5.0}}
    assert check_modes({"a.low": 5.0, "a.high": 5.0}, on_bounds, "f.toml") == []
    missing = check_modes({"a.none": None}, {"a.none": {"low": 1.0, "high": 2.0}}, "f.toml")
    assert [(p.source, p.key) for p in missing] == [("f.toml", "uncertainty.a.none")]
    assert "a.none has no value to be the mode" in missing[0].message


def test_the_tflops_in_use_without_an_engines_keys_are_the_generic_rooflines() -> None:
    """A mapping built outside a scenario (no serving.* keys from an engine profile) gets
    the generic engine's rules: FP8 and FP4 computed natively at their full peak, no INT8
    matmul. GPU: 100 BF16, 200 FP8, 400 FP4, 300 INT8 TOPS."""
    from infracalc_tui.engine.derive import tflops_in_use

    gpu = {"gpu.tflops_bf16": 100.0, "gpu.tflops_fp8": 200.0, "gpu.tflops_fp4": 400.0,
           "gpu.tops_int8": 300.0, "gpu.int8_ops_per_sm_clock": 1024.0}
    assert [tflops_in_use({**gpu, "model.weight_bits": b}) for b in (4.0, 8.0, 16.0)] == [
        400.0, 200.0, 100.0]
    # an engine that multiplies with INT8 but states no cap: the full 300 TOPS
    assert tflops_in_use({**gpu, "model.weight_bits": 4.0, "serving.int8_matmul": True}) == 300.0


def test_the_automatic_engine_without_a_gpu_preset_follows_the_memory_type() -> None:
    """No GPU preset to name its usual engine: vLLM on HBM, llama.cpp otherwise, each with
    the reason the report prints."""
    def pick(memory: str) -> tuple[str, str]:
        v = Scenario("t", "", {"serving.engine": "auto", "gpu.memory_type": memory}).values
        return v["serving.engine_in_use"], v["serving.engine_reason"]

    assert pick("hbm") == ("vllm", "automatic: vLLM on a datacenter (HBM) GPU")
    assert pick("gddr") == (
        "llama.cpp", "automatic: llama.cpp on a GPU with graphics or unified memory")


def test_the_generic_engine_reserves_the_cache_and_uses_the_whole_link() -> None:
    """The spec's roofline: a full reserved context per stream (kv_cache auto -> reserved,
    not paged) and the interconnect at its full bandwidth, with no latency."""
    v = Scenario("t", "", {"serving.engine": "generic", "serving.tensor_parallel": 2}).values
    assert (v["serving.kv_cache_in_use"], v["serving.kv_paged"]) == ("reserved", 0.0)
    assert (v["serving.allreduce_us"], v["serving.allreduce_bw_fraction"]) == (0.0, 1.0)
    assert (Scenario("t", "", {"model.preset": "qwen2.5-7b", "gpu.preset": "h100-pcie"})
            .values["gpu.preset"]) == "h100-pcie"


def test_the_generic_engine_pages_by_the_token_and_runs_fp8_natively() -> None:
    """A generic engine told to page its cache pages it token by token (blocks of 1), and
    8-bit weights on an H100 run at its 1,979 FP8 TFLOPS, not the 989 of BF16."""
    paged = Scenario("t", "", {"serving.engine": "generic", "serving.kv_cache": "paged"}).values
    assert (paged["serving.kv_cache_in_use"], paged["serving.kv_block_tokens"]) == ("paged", 1)
    fp8 = Scenario("t", "", {"serving.engine": "generic", "gpu.preset": "h100-sxm",
                             "model.weight_bits": 8}).values
    assert fp8["gpu.tflops"] == 1979
