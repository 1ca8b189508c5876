"""The engine-profile rules by hand: which fraction a GPU gets (memory type for bandwidth,
maker for FLOPS), which TFLOPS the weights' precision runs at, and the fixed and
all-reduce terms of a decode step, written out with round numbers."""

from __future__ import annotations

import pytest
from pytest import approx

from infracalc_tui.scenario import Scenario
from infracalc_tui.scenario.catalog import engines

from .helpers import report


def _values(**explicit: object) -> dict:
    return Scenario("t", "", {k.replace("__", "."): v for k, v in explicit.items()}).values


@pytest.mark.parametrize(("preset", "memory", "maker", "bandwidth"), [
    ("rx-7900-xtx", "gddr", "amd", "amd"), ("m3-max", "unified", "apple", "unified"),
    ("dgx-spark", "unified", "nvidia", "unified"), ("h100-sxm", "hbm", "nvidia", "hbm"),
    ("mi300x", "hbm", "amd", "amd")])
def test_bandwidth_follows_the_memory_and_flops_the_maker(preset: str, memory: str,
                                                          maker: str, bandwidth: str) -> None:
    """Bandwidth fractions by memory type, except that every AMD GPU has its own (ROCm's
    kernels); FLOPS fractions and the fixed costs by maker."""
    v = _values(gpu__preset=preset, serving__engine="llama.cpp")
    assert (v["gpu.memory_type"], v["gpu.vendor"]) == (memory, maker)
    assert v["gpu.bandwidth_class"] == bandwidth
    fit = engines()["llama.cpp"].fit
    assert v["serving.mbu"] == fit["mbu"][bandwidth]
    assert v["serving.mfu"] == fit["mfu"][maker]
    assert v["serving.prefill_mfu"] == fit["prefill_mfu"][maker]
    assert v["serving.step_overhead_ms"] == fit["step_overhead_ms"][maker]
    assert v["serving.layer_overhead_us"] == fit["layer_overhead_us"][maker]


def test_a_custom_gpu_names_its_maker() -> None:
    v = _values(gpu__vendor="amd", gpu__memory_type="hbm", serving__engine="vllm")
    assert v["serving.mfu"] == engines()["vllm"].fit["mfu"]["amd"]


RATES = {"gpu__tflops_bf16": 100.0, "gpu__tflops_fp8": 200.0, "gpu__tflops_fp4": 400.0}


@pytest.mark.parametrize(("bits", "fp4", "engine", "want"), [
    (16, True, "vllm", 100.0),  # 16-bit weights: the 16-bit rate
    (8, True, "vllm", 200.0),  # 8-bit weights on FP8 units
    (8, True, "llama.cpp", 100.0),  # llama.cpp multiplies at 16 bits
    (4.25, False, "vllm", 100.0),  # no FP4 units: W4A16 kernels, not the FP8 rate
    (4.5, True, "generic", 400.0),  # FP4 units, the generic engine's fp4_scale is 1
])
def test_the_weights_precision_picks_the_rate(bits: float, fp4: bool, engine: str,
                                              want: float) -> None:
    rates = dict(RATES) if fp4 else {k: v for k, v in RATES.items() if "fp4" not in k}
    v = _values(model__weight_bits=bits, serving__engine=engine, **rates)
    assert v["gpu.tflops"] == approx(want)


@pytest.mark.parametrize(("bits", "int8", "engine", "want"), [
    (4.5, 300.0, "llama.cpp", 300.0),  # Q4_0 in llama.cpp's MMQ: the INT8 rate
    (8.5, 300.0, "llama.cpp", 300.0),  # Q8_0 too
    (16, 300.0, "llama.cpp", 100.0),  # F16 weights: cuBLAS at 16 bits
    (4.5, None, "llama.cpp", 100.0),  # no INT8 units (Apple): the 16-bit rate
    (8, 300.0, "vllm", 200.0),  # vLLM takes FP8, not INT8
])
def test_llama_cpp_multiplies_quantised_weights_on_int8_units(
        bits: float, int8: float | None, engine: str, want: float) -> None:
    rates = {k: v for k, v in RATES.items() if "fp4" not in k}
    if int8 is not None:
        rates["gpu__tops_int8"] = int8
    v = _values(model__weight_bits=bits, serving__engine=engine, **rates)
    assert v["gpu.tflops"] == approx(want)


@pytest.mark.parametrize(("preset", "engine", "want"), [
    ("h100-sxm", "llama.cpp", 494.75),  # 1,979 x 2,048 / 8,192 (Hopper SM)
    ("a100-sxm-80gb", "llama.cpp", 312.0),  # 624 x 2,048 / 4,096 (A100 SM)
    ("rtx-4090", "llama.cpp", 660.6),  # a GeForce SM does 2,048: nothing to cap
    ("h100-sxm", "generic", 989.0),  # no cap and no INT8 path: 16 bits for 4.5-bit weights
])
def test_llama_cpp_reaches_a_geforce_sms_int8_rate_per_sm_and_clock(
        preset: str, engine: str, want: float) -> None:
    """1,979 TOPS x 2,048 / 8,192 = 494.75 TOPS for Q4_0 on an H100; 624 x 1/2 = 312 on an
    A100; the RTX 4090's 660.6 stays."""
    v = _values(gpu__preset=preset, model__weight_bits=4.5, serving__engine=engine)
    assert v["gpu.tflops"] == approx(want)


def test_a_custom_gpu_without_the_sm_figure_keeps_its_int8_rate() -> None:
    v = _values(model__weight_bits=4.5, serving__engine="llama.cpp", gpu__tops_int8=300.0)
    assert v["gpu.int8_ops_per_sm_clock"] is None
    assert v["gpu.tflops"] == approx(300.0)
    capped = _values(model__weight_bits=4.5, serving__engine="llama.cpp", gpu__tops_int8=300.0,
                     gpu__int8_ops_per_sm_clock=3072)
    assert capped["gpu.tflops"] == approx(200.0)  # 300 x 2,048 / 3,072


def test_fp4_rate_times_the_engines_scale() -> None:
    v = _values(model__weight_bits=4.5, serving__engine="vllm", **RATES)
    assert v["gpu.tflops"] == approx(400.0 * engines()["vllm"].fit["fp4_scale"])


def test_fixed_and_all_reduce_terms_of_a_step_by_hand() -> None:
    """TP 4 over a 450 GB/s link at half its bandwidth, batch capped at 100, 40 layers,
    hidden 4096: overhead = 1.0 + 40 x 10 / 1000 + 2 x 40 x log2(4) x 20 / 1000
    + 100 x 2 x 40 x 2 x (4 − 1) / 4 x 4096 x 2 / (450e9 x 0.5) x 1e3
    = 1.0 + 0.4 + 3.2 + 100 x 983,040 / 225e9 x 1e3 = 5.03691 ms (an all-reduce over 4 GPUs
    takes log2(4) = 2 latency steps); the whole link (fraction 1) halves the bandwidth
    term: 4.6 + 0.21845."""
    def step(fraction: float) -> dict:
        return report(serving__engine="vllm", serving__tensor_parallel=4, serving__max_batch=100,
                      serving__min_tokens_per_s_per_stream=0, model__hidden_size=4096,
                      gpu__interconnect="nvlink", gpu__interconnect_gb_s=450,
                      serving__step_overhead_ms=1.0, serving__layer_overhead_us=10,
                      serving__allreduce_us=20,
                      serving__allreduce_bw_fraction=fraction)["throughput"]

    half = step(0.5)
    assert half["batch"] == 100
    assert half["step_time_overhead_ms"] == approx(4.6 + 100 * 983_040 / 225e9 * 1e3)
    assert half["step_time_overhead_ms"] == approx(5.03691, abs=1e-5)
    assert step(1.0)["step_time_overhead_ms"] == approx(4.81845, abs=1e-5)
