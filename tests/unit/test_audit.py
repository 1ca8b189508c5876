"""The independent audit's reproductions (issue 15), each with its arithmetic written out.

Each test failed on the code before the fix; the numbers are worked by hand from the
catalog's datasheet figures, never read back from the engine.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from pytest import approx

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.cli import main
from infracalc_tui.engine.evaluate import evaluate
from infracalc_tui.engine.outputs import OUTPUTS
from infracalc_tui.scenario import BY_PATH, FIELDS, Scenario, parse
from infracalc_tui.scenario.catalog import engines, gpus
from infracalc_tui.scenario.presets import presets

from .strategies import scenarios, value_strategy


def scn(name: str, *settings: str) -> Scenario:
    return apply_settings(presets()[name].scenario, list(settings))


def rep(name: str, *settings: str) -> dict:
    return report_for(scn(name, *settings))


# -- defects ---------------------------------------------------------------------------------

def test_1_a_dense_preset_stays_dense_when_its_size_changes() -> None:
    r = rep("rtx4090-llama8b", "model.total_params_b=10", "pricing.concurrent_threads=1",
            "serving.engine=generic")
    # active follows total: W = 10e9 x 2 B; one thread reads W + 4,096 tokens x 131,072 B
    step = (20e9 + 4096 * 131072) / (1.008e12 * 0.75)  # 27.17 ms
    assert r["host"]["decode_tokens_per_s_per_stream"] == approx(1 / step)  # 36.8 tok/s
    assert 1 / step == approx(36.8, abs=0.05)
    # prefill F·mfu/(2A) = 165e12 x 0.4 / (2 x 10e9) = 3,300 tok/s
    assert r["throughput"]["prefill_tokens_per_s_per_gpu"] == approx(3300)
    assert scn("rtx4090-llama8b", "model.total_params_b=10").values[
        "model.active_params_b"] == 10


def _sweep(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    assert main(["sweep", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)["rows"]


def test_2_a_sweep_point_equals_report_at_that_point(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _sweep(capsys, "scenarios/gpt4o-1b-users.toml", "--vary", "model.weight_bits=8:16:2",
                  "--metric", "throughput.prefill_tokens_per_s_per_gpu", "--metric", "fleet.gpus")
    for row in rows:
        r = rep("gpt4o-1b-users", f"model.weight_bits={row['model.weight_bits']}")
        assert row["throughput.prefill_tokens_per_s_per_gpu"] == \
            r["throughput"]["prefill_tokens_per_s_per_gpu"]
        assert row["fleet.gpus"] == r["fleet"]["gpus"]
    # 16-bit weights run at the BF16 rate, half the FP8 one
    assert rows[1]["throughput.prefill_tokens_per_s_per_gpu"] == approx(
        rows[0]["throughput.prefill_tokens_per_s_per_gpu"] * 989 / 1979)


def test_2_b_no_preset_sweep_keeps_active_with_total(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _sweep(capsys, "scenarios/gpt4o-1b-users.toml", "--set", "model.preset=",
                  "--vary", "model.total_params_b=8:70.6:2", "--metric", "throughput.step_time_ms")
    for row in rows:
        assert 0 < row["throughput.step_time_ms"] < 1e4
        total = row["model.total_params_b"]
        r = rep("gpt4o-1b-users", "model.preset=", f"model.total_params_b={total}")
        assert row["throughput.step_time_ms"] == r["throughput"]["step_time_ms"]


def test_3_sliding_window_layers_hold_min_of_tokens_and_window(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = _sweep(capsys, "scenarios/gpt4o-1b-users.toml", "--set", "serving.engine=generic",
                  "--set", "model.sliding_window_layers=80", "--set",
                  "model.sliding_window_tokens=4096", "--set", "serving.max_batch=64",
                  "--vary", "model.context_tokens=4096:32768:4:log", "--metric",
                  "throughput.step_time_memory_ms", "--metric", "throughput.kv_bytes_per_token")
    # 64 streams hold 1,000 + 500/2 = 1,250 tokens each, inside the 4,096 window: all of
    # 2 x 96 x 8 x 128 x 2 = 393,216 B per token; W = 200e9 B; 8 x 3.35 TB/s x 0.7
    t_mem = (200e9 + 64 * 1250 * 393216) / (8 * 3.35e12 * 0.7) * 1e3  # 12.34 ms
    for row in rows:
        assert row["throughput.step_time_memory_ms"] == approx(t_mem)
        assert row["throughput.kv_bytes_per_token"] == 393216


def test_4_a_query_longer_than_the_context_is_sized_for() -> None:
    r = rep("gpt4o-1b-users", "fleet.input_tokens_per_query=12000", "serving.engine=generic")
    t = r["throughput"]
    # reserved cache: each stream holds max(8,192, 12,500) tokens x 393,216 B = 4.915 GB
    assert t["kv_bytes_per_stream"] == 12500 * 393216
    free = 8 * gpus()["h100-sxm"].memory_gb * 1e9 * 0.9 - 200e9
    assert t["batch"] * 12500 * 393216 <= free
    assert t["batch"] == int(free // (12500 * 393216))  # 84, not 116
    assert any("12,500 tokens" in w and "context_tokens (8,192)" in w for w in r["warnings"])


def test_5_manual_throughput_sets_threads_and_batch() -> None:
    r = rep("llama70b-own-hardware", "serving.throughput=manual",
            "serving.decode_tokens_per_s_per_gpu=30", "model.context_tokens=512")
    assert r["host"]["max_threads"] == 3  # floor(30 / 10): each thread at least 10 tok/s
    slow = rep("gpt4o-1b-users", "serving.throughput=manual",
               "serving.decode_tokens_per_s_per_gpu=2")
    # 2 tok/s x 8 GPUs = 16 tok/s for one stream, below the 20 tok/s minimum
    assert slow["throughput"]["batch"] == 1
    assert any("manual speed" in w and "16.0 tok/s" in w for w in slow["warnings"])


def test_6_revenue_bills_only_the_threads_the_host_serves() -> None:
    r = rep("llama70b-own-hardware", "pricing.concurrent_threads=1000")
    h = r["host"]
    assert h["max_threads"] == 2 and h["billed_threads"] == 2
    assert h["revenue_usd_per_day"] == approx(0.02 * 60 * 8 * 2)  # $19.20, not $9,600
    assert any("1,000 threads" in w and "at most 2" in w for w in r["warnings"])


def test_7_automatic_tensor_parallelism_needs_the_fewest_gpus(
        capsys: pytest.CaptureFixture[str]) -> None:
    rows = _sweep(capsys, "scenarios/llama70b-own-hardware.toml", "--vary",
                  "gpu.memory_gb=20:24:2", "--metric", "fleet.gpus")
    gpus_by_memory = [row["fleet.gpus"] for row in rows]
    assert gpus_by_memory == sorted(gpus_by_memory, reverse=True)  # more memory, never more
    # the rule: the automatic width is the power of two (up to a server) with fewest GPUs
    base = Scenario("defaults", "", {"serving.engine": "generic"})
    by_width = {tp: report_for(base.with_value("serving.tensor_parallel", tp))["fleet"]["gpus"]
                for tp in (2, 4, 8)}
    auto = report_for(base)
    assert auto["fleet"]["gpus"] == min(by_width.values()) < by_width[2] / 10
    assert "fewest" in auto["throughput"]["tensor_parallel_reason"]
    old = report_for(base.with_value("serving.tensor_parallel_rule", "smallest_fit"))
    assert old["throughput"]["tensor_parallel"] == 2 and old["fleet"]["gpus"] == by_width[2]


def test_8_catalog_capacities_and_precisions() -> None:
    g = gpus()
    assert g["h100-sxm"].memory_gb == 85.52  # 81,559 MiB
    assert g["h200"].memory_gb == 150.75  # 143,771 MiB
    assert g["a100-sxm-80gb"].memory_gb == 85.9  # 81,920 MiB
    assert presets()["llama70b-own-hardware"].scenario.values["model.weight_bits"] == 4.82
    # gpt-oss-120b: 2.12B BF16 attention and embeddings + 114.71B MXFP4 experts = 65.2 GB
    w = rep("gpt-oss-120b-h100-host")["throughput"]["weights_gb"]
    assert w == approx(2.12 * 2 + (116.8 - 2.12) * 4.25 / 8)
    for spec in g.values():
        for key in ("mbu", "mfu"):
            assert "calibration: MLPerf" not in spec.sources.get(key, ""), (spec.key, key)


def test_10_small_ones() -> None:
    labels = [o.label for o in OUTPUTS.values() if o.path.startswith("fleet.")]
    assert len(labels) == len(set(labels))  # "Energy per year" once (GWh), its cost apart
    assert rep("gpt4o-1b-users")["throughput"]["batch_cap"] is None  # no cap: no figure
    for name in ("rtx4090-llama8b", "llama13b-budget-host", "gpt-oss-120b-h100-host"):
        assert not any("per replica" in w for w in rep(name)["warnings"]), name


# -- effects ---------------------------------------------------------------------------------

def test_paged_kv_holds_the_query_not_the_context() -> None:
    reserved = rep("gpt4o-1b-users", "serving.engine=generic")["throughput"]
    paged = rep("gpt4o-1b-users", "serving.engine=generic", "serving.kv_cache=paged")
    t = paged["throughput"]
    # generic has no block size: 1,500 tokens per stream instead of 8,192
    free = 8 * 85.52e9 * 0.9 - 200e9
    assert reserved["batch_memory_limit"] == int(free // (8192 * 393216))
    assert t["batch_memory_limit"] == int(free // (1500 * 393216))
    vllm = rep("gpt4o-1b-users")["throughput"]
    assert vllm["kv_tokens_per_stream"] == 1504  # vLLM blocks of 16: ceil(1,500/16) x 16


def test_prefill_attention_is_quadratic_in_the_prompt() -> None:
    r = rep("llama70b-own-hardware", "serving.engine=vllm", "fleet.input_tokens_per_query=100000",
            "model.context_tokens=131072")
    # per prompt token 2A + 4 x heads x head_dim x layers x L/2 = 141.2e9 + 131.1e9 FLOPs
    flops = 2 * 70.6e9 + 4 * 64 * 128 * 80 * 100000 / 2
    f = r["throughput"]
    tflops = 330  # 4.82-bit weights; vLLM runs them at the RTX 4090's FP8 rate
    mfu = scn("llama70b-own-hardware", "serving.engine=vllm").values["serving.prefill_mfu"]
    assert f["prefill_tokens_per_s_per_gpu"] == approx(tflops * 1e12 * mfu / flops)
    assert flops / (2 * 70.6e9) == approx(1.93, abs=0.01)  # nearly double


def test_moe_reads_shared_weights_every_step_and_routed_ones_as_touched() -> None:
    s = scn("gpt-oss-120b-h100-host", "serving.engine=generic", "pricing.concurrent_threads=1")
    h = report_for(s)["host"]
    # S = 2.12B at BF16; routed (116.8 - 2.12)B at 4.25 bits, fraction (5.1 - 2.12)/114.68
    shared, routed = 2.12e9 * 2, 114.68e9 * 4.25 / 8
    f = (5.1 - 2.12) / (116.8 - 2.12)
    kv = 73728 / 36 * (18 * 8192 + 18 * 128)  # one thread holds 16,384/2 tokens
    t_mem = (shared + routed * f + kv) / (2.0e12 * 0.7) * 1e3
    assert h["step_time_memory_ms"] == approx(t_mem)


def test_precision_follows_the_weights_and_the_engine() -> None:
    def tflops(*settings: str) -> float:
        return scn("gpt4o-1b-users", *settings).values["gpu.tflops"]

    # FP4 in vLLM: the B200's 9,000 dense FP4 TFLOPS, times the share of the FP4 peak kernels
    # reach end to end (fitted: engine_fit.toml fp4_scale)
    scale = engines()["vllm"].fit["fp4_scale"]
    assert 0.3 < scale < 1
    assert tflops("gpu.preset=b200", "model.weight_bits=4.25") == approx(9000 * scale)
    assert tflops("gpu.preset=b200", "model.weight_bits=4.82") == 4500  # FP8, not only at 8
    # llama.cpp multiplies quantised weights on the INT8 units, at a GeForce SM's 2,048 ops
    # per SM and clock: the B200's 4,500 dense TOPS x 2,048 / 16,384 = 562.5
    assert tflops("gpu.preset=b200", "model.weight_bits=4.25", "serving.engine=llama.cpp") == 562.5
    assert tflops("gpu.preset=b200", "model.weight_bits=16", "serving.engine=llama.cpp") == 2250
    assert tflops("gpu.preset=b200", "model.weight_bits=16") == 2250
    assert tflops("gpu.preset=a100-sxm-80gb", "model.weight_bits=8") == 312  # no FP8 on Ampere


def test_apple_unified_memory_keeps_a_share_for_the_system() -> None:
    s = scn("llama70b-own-hardware", "gpu.preset=m3-ultra", "host.gpu_count=1")
    assert report_for(s)["host"]["memory_available_gb"] == approx(549.76 * 0.75 * 0.9)


def test_colocation_is_paid_per_kw_of_it() -> None:
    r = rep("gpt4o-1b-users", "facility.colo_usd_per_kw_month=150")["fleet"]
    assert r["annual_colo_usd"] == approx(r["it_power_mw"] * 1e3 * 150 * 12)
    base = rep("gpt4o-1b-users")["fleet"]
    assert r["annual_opex_usd"] == approx(base["annual_opex_usd"] + r["annual_colo_usd"])


def test_energy_per_token_falls_with_batch() -> None:
    e = [rep("gpt4o-1b-users", f"serving.max_batch={b}")["throughput"][
        "energy_per_output_token_j"] for b in (1, 8, 64)]
    assert e[0] > e[1] > e[2] > 0
    p = rep("gpt4o-1b-users", "serving.max_batch=1")["throughput"]["gpu_power_w"]
    assert gpus()["h100-sxm"].idle_w < p < 700


def test_a_file_with_a_load_factor_keeps_the_nameplate_formula() -> None:
    text = presets()["gpt4o-1b-users"].path.read_text() + "\n"
    s = parse(text.replace("[facility]", "[facility]\npower_load_factor = 0.7"))
    f = report_for(s)["fleet"]
    assert f["avg_facility_power_mw"] == approx(f["facility_power_mw"] * 0.7)


def test_sweep_is_vectorised_over_derived_keys() -> None:
    inputs = presets()["rtx4090-llama8b"].scenario.inputs
    out = evaluate({**inputs, "model.total_params_b": np.array([8.03, 10.0])})
    assert np.allclose(out["throughput.weights_gb"], [16.06, 20.0])


NUMERIC = sorted(f.path for f in FIELDS if f.numeric)


@settings(max_examples=60)
@given(scenarios(), st.sampled_from(NUMERIC), st.data())
def test_a_sweep_point_equals_the_report_at_that_point(s, key, data) -> None:
    """Any numeric key, any points: the vectorised sweep (from the scenario's inputs, as the
    CLI's sweep does) gives at each point what the report gives with that key set."""
    points = data.draw(st.lists(value_strategy(BY_PATH[key]), min_size=1, max_size=4))
    ok = [p for p in points if not s.with_value(key, p).problems()]
    assume(ok)
    grid = evaluate({**s.inputs, key: np.array(ok, dtype=float)})
    for i, point in enumerate(ok):
        one = report_for(s.with_value(key, point))
        for section in ("throughput", "fleet", "host"):
            for name, value in one[section].items():
                path = f"{section}.{name}"
                if path not in grid or isinstance(value, str):
                    continue
                g = np.broadcast_to(grid[path], (len(ok),))[i]
                want = np.nan if value is None else float(value)
                got = float(g)
                if OUTPUTS.get(path) is not None and OUTPUTS[path].integer and np.isfinite(got):
                    got = float(round(got))
                assert np.allclose(got, want, rtol=0, atol=0, equal_nan=True) or (
                    value is None and not np.isfinite(got)), (key, point, path, got, want)
