"""Where each input came from, and the terms of each formula: the drill-down's facts."""

from __future__ import annotations

import pytest
from hypothesis import given

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.drilldown import explain_text, node, terms_for
from infracalc_tui.engine.explain import FORMULAS
from infracalc_tui.engine.explain_terms import term_keys
from infracalc_tui.engine.outputs import OUTPUTS
from infracalc_tui.scenario import BY_PATH, Scenario, load
from infracalc_tui.scenario import catalog as cat
from infracalc_tui.scenario.model import PROFILE_KEYS
from infracalc_tui.scenario.presets import presets
from infracalc_tui.scenario.provenance import Source, source_of

from .strategies import scenarios

RTX = "scenarios/rtx4090-llama8b.toml"
GPU = "preset rtx-4090 (NVIDIA GeForce RTX 4090 24GB)"
MODEL = "preset llama-3.1-8b (Llama 3.1 8B)"
FILE = "file (set in the scenario)"

#: scenarios/rtx4090-llama8b.toml: presets llama-3.1-8b and rtx-4090, engine llama.cpp.
RTX_SOURCES = {
    "pricing.charge_per_minute_usd": FILE,
    "host.gpu_count": FILE,
    "model.context_tokens": FILE,
    "serving.engine": FILE,
    "gpu.preset": FILE,
    "gpu.bandwidth_tb_s": GPU,
    "gpu.memory_gb": GPU,
    "gpu.tdp_w": GPU,
    "gpu.tflops_fp4": GPU,  # the preset says: none
    "gpu.memory_type": GPU,
    "model.total_params_b": MODEL,
    "model.layers": MODEL,
    "model.weight_bits": MODEL,
    "model.kv_bits": "default",
    "serving.memory_utilization": "default",
    "serving.min_tokens_per_s_per_stream": "default",
    "host.other_opex_usd_per_month": "default",
    "fleet.users": "default",
    "model.active_params_b": "derived from model.total_params_b (dense: the total)",
    "model.shared_params_b": "derived from model.active_params_b, model.total_params_b "
                             "(dense: the total)",
    "model.shared_weight_bits": "derived from model.weight_bits (the weights' precision)",
    # llama.cpp does not run FP8 natively: the 16-bit rate although the 4090 has FP8
    "gpu.tflops": "derived from model.weight_bits, gpu.tflops_bf16 (16-bit rate for 16-bit "
                  "weights)",
    "serving.mbu": "engine profile llama.cpp (fitted for gddr memory, engine_fit.toml)",
    "serving.allreduce_us": "engine profile llama.cpp (fitted for pcie interconnect, "
                            "engine_fit.toml)",
    "serving.step_overhead_ms": "engine profile llama.cpp (fitted for nvidia kernels, "
                                "engine_fit.toml)",
    "serving.kv_cache_in_use": "engine profile llama.cpp",
    "serving.engine_in_use": "derived from serving.engine (set in serving.engine)",
    "gpu.power_k_mem": "fitted (the GPU power model, engine_fit.toml [power])",
}


@pytest.mark.parametrize(("key", "want"), RTX_SOURCES.items())
def test_rtx4090_sources(key: str, want: str) -> None:
    assert source_of(load(RTX), key).text() == want


def test_what_you_set_beats_the_preset_and_the_rule() -> None:
    s = apply_settings(load(RTX), ["gpu.memory_gb=20", "model.active_params_b=4",
                                   "serving.mbu=0.5"])
    for key in ("gpu.memory_gb", "model.active_params_b", "serving.mbu"):
        assert source_of(s, key).kind == "file"
    assert source_of(s.without("gpu.memory_gb"), "gpu.memory_gb").text() == GPU


def test_generic_engine_takes_its_efficiency_from_the_gpu_preset() -> None:
    s = apply_settings(load(RTX), ["serving.engine=generic"])
    assert source_of(s, "serving.mbu").text().startswith("preset rtx-4090")
    assert source_of(s, "serving.prefill_mfu").derived_from == ("serving.mfu",)
    no_gpu = Scenario("no gpu", "", {"serving.engine": "generic"})
    assert source_of(no_gpu, "serving.mbu").kind == "default"


def test_a_moe_preset_gives_active_parameters() -> None:
    s = load("scenarios/gpt-oss-120b-h100-host.toml")
    assert source_of(s, "model.active_params_b").text() == "preset gpt-oss-120b (gpt-oss 120B)"
    # MXFP4 weights on an H100 (FP8 units, no FP4): weight-only W4A16 kernels, 16-bit rate
    tflops = source_of(s, "gpu.tflops")
    assert tflops.derived_from == ("model.weight_bits", "gpu.tflops_bf16")
    assert "no FP4 here: weight-only kernels widen them to 16 bits" in tflops.text()


def test_not_an_input() -> None:
    with pytest.raises(KeyError):
        source_of(load(RTX), "host.max_threads")


def _consistent(s: Scenario, key: str, src: Source) -> None:
    """Each kind of source agrees with the layer it names."""
    v = s.values[key]
    if src.kind == "file":
        assert key in s.explicit and s.explicit[key] == v, key
    elif src.kind == "default":
        assert key not in s.explicit, key
        if src.detail:  # the generic roofline's 0.7 / 0.4 without a GPU preset
            assert key in ("serving.mbu", "serving.mfu"), key
        else:
            assert v == BY_PATH[key].default, key
    elif src.kind == "engine profile" and key in PROFILE_KEYS and "fitted" in src.detail:
        engine = cat.engines()[s.values["serving.engine_in_use"]]
        # the all-reduce by interconnect, bandwidth by memory (AMD apart), the rest by maker
        cls = s.values[{"serving.allreduce_us": "gpu.interconnect",
                        "serving.allreduce_bw_fraction": "gpu.interconnect",
                        "serving.mbu": "gpu.bandwidth_class"}.get(key, "gpu.vendor")]
        assert v == engine.number(key.split(".", 1)[1], cls), key
    elif src.kind == "preset":
        preset = src.detail.split(" ", 1)[0]
        spec = cat.gpus().get(preset) or cat.models()[preset]
        if key in spec.scenario_values():
            assert spec.scenario_values()[key] == v, key
        else:
            assert key in ("serving.mbu", "serving.mfu"), key
    elif src.kind == "derived":
        assert src.derived_from and all(k in s.values for k in src.derived_from), key
    assert src.text()


@pytest.mark.parametrize("preset", list(presets()))
def test_every_value_of_every_shipped_scenario_has_a_source(preset: str) -> None:
    s = presets()[preset].scenario
    for key in s.values:
        _consistent(s, key, source_of(s, key))


@given(scenarios())
def test_every_value_has_a_consistent_source(s: Scenario) -> None:
    for key in s.values:
        _consistent(s, key, source_of(s, key))


def test_profit_terms() -> None:
    s = load(RTX)
    terms = terms_for(s, "host.profit_usd_per_day")
    assert [(t.key, t.name, t.kind, t.explainable) for t in terms] == [
        ("host.revenue_usd_per_day", "revenue_usd_per_day", "output", True),
        ("host.electricity_usd_per_day", "electricity_usd_per_day", "output", True),
        ("host.depreciation_usd_per_day", "depreciation_usd_per_day", "output", True),
        ("host.other_opex_usd_per_day", "other_opex_usd_per_day", "output", True)]
    assert terms[0].shown == "$28.80/day" and terms[0].source is None
    revenue = {t.key: t for t in terms_for(s, "host.revenue_usd_per_day")}
    price = revenue["pricing.charge_per_minute_usd"]
    assert (price.kind, price.value, price.unit, price.source) == \
        ("input", 0.01, "$/min", Source("file", "set in the scenario"))
    assert price.help == BY_PATH["pricing.charge_per_minute_usd"].help
    assert price.allowed == "a number from 0 to 10000"


def test_a_searched_figure_has_the_terms_of_its_checks() -> None:
    s = load(RTX)
    keys = term_keys("host.max_threads_speed", s.values, report_for(s))
    assert "host.max_threads_speed" not in keys
    assert {"gpu.bandwidth_tb_s", "serving.mbu", "throughput.weights_gb",
            "serving.min_tokens_per_s_per_stream"} <= set(keys)
    assert "throughput.step_time_ms" not in keys  # "step_time_ms(c)" in the rule's words


@pytest.mark.parametrize("preset", list(presets()))
def test_every_term_is_a_figure_or_an_input(preset: str) -> None:
    s = presets()[preset].scenario
    r = report_for(s)
    for key in FORMULAS:
        keys = term_keys(key, s.values, r)
        assert key not in keys and len(set(keys)) == len(keys)
        assert all(k in OUTPUTS or k in s.values for k in keys), key
        if not key.startswith("throughput.batch_cap"):
            assert keys, key  # every formula rests on something


def test_derived_input_has_its_origins_as_terms() -> None:
    n = node(load(RTX), "model.active_params_b")
    assert n.explanation is None and n.term.explainable
    assert [t.key for t in n.terms] == ["model.total_params_b"]
    assert node(load(RTX), "model.total_params_b").terms == ()


def test_words_figures_keep_their_explanation() -> None:
    n = node(load(RTX), "throughput.engine")
    assert n.explanation is not None and n.explanation.substituted.startswith("because")
    assert n.terms[0].key == "serving.engine" and n.terms[0].source.kind == "file"


def test_explain_text_ends_with_terms_and_sources() -> None:
    s = load(RTX)
    text = explain_text(s, "host.load_kw")
    assert text.splitlines()[0] == "Power under load (host.load_kw)"
    assert text.splitlines()[-3:] == [
        "    gpu_count = 1  (GPUs in the host, host.gpu_count); source: file (set in the "
        "scenario)",
        f"    tdp_w = 450 W  (Board power, gpu.tdp_w); source: {GPU}",
        "    system_power_w = 150 W  (System power under load, host.system_power_w); source: "
        "file (set in the scenario)"]
    deep = explain_text(s, "host.profit_usd_per_day", depth=3)
    assert "\nProfit per day › Revenue per day › Threads billed (host.billed_threads)\n" in deep
    assert "Profit per day › Revenue per day › Threads billed › " not in deep
    assert deep.count("(host.revenue_usd_per_day)\n") == 1  # each figure once
    assert explain_text(s, "gpu.tdp_w").endswith(f"value from: {GPU}")


def test_the_cli_explains_down_to_the_inputs_and_their_sources(
        capsys: pytest.CaptureFixture[str]) -> None:
    """`infracalc explain FILE KEY --depth 2`: the figure, its terms, and each term explained
    in turn, every input with where its value came from."""
    from infracalc_tui.cli import main

    assert main(["explain", "scenarios/rtx4090-llama8b.toml", "host.electricity_usd_per_day",
                 "--depth", "2"]) == 0
    out = capsys.readouterr().out
    assert "= (0.6 · 12 + 0.07 · (24 - 12)) · 0.15 = 1.206" in out
    assert "Electricity per day › Power under load (host.load_kw)" in out
    assert "tdp_w = 450 W  (Board power, gpu.tdp_w); source: preset rtx-4090" in out
    assert main(["explain", "scenarios/rtx4090-llama8b.toml", "gpu.tdp_w"]) == 0
    assert "value from: preset rtx-4090" in capsys.readouterr().out
    assert main(["explain", "scenarios/rtx4090-llama8b.toml", "nonsense.key"]) == 2


def test_engine_filled_keys_say_so_and_an_unknown_key_keeps_its_name() -> None:
    from infracalc_tui.scenario.provenance import label_help

    assert label_help("serving.engine_in_use") == (
        "Engine in use", "", "The serving engine the figures model: serving.engine, or for "
        "\"auto\" the GPU preset's usual one.", "set by the engine profile, not in the scenario")
    # not a schema or engine key: the part after the section, no unit and no help
    assert label_help("serving.nothing.here") == (
        "nothing.here", "", "", "set by the engine profile, not in the scenario")


def test_under_the_generic_engine_each_efficiency_says_where_it_comes_from() -> None:
    from infracalc_tui.scenario import Scenario
    from infracalc_tui.scenario.presets import presets
    from infracalc_tui.scenario.provenance import Source, source_of

    s = presets()["rtx4090-llama8b"].scenario.with_value("serving.engine", "generic")
    assert source_of(s, "serving.prefill_mfu") == Source(
        "derived", "generic engine: prefill_mfu = mfu", ("serving.mfu",))
    assert source_of(s, "serving.mbu") == Source(
        "preset", "rtx-4090 (NVIDIA GeForce RTX 4090 24GB: the generic roofline's efficiency)")
    assert source_of(s, "serving.step_overhead_ms") == Source(
        "engine profile", "generic (the plain roofline: none)")
    bare = Scenario("x", "", {"serving.engine": "generic"})
    assert source_of(bare, "serving.mbu") == Source(
        "default", "the generic roofline's efficiency without a GPU preset")
