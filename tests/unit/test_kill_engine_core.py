"""The engine's core by hand where the mutation run left survivors: the 16-bit rate of an
engine without FP4 kernels, the host's shared capacity and price per token, the replica's
batch limits in manual mode, its decode and prefill rates, the widths of a sweep, the fleet's
idle GPU-seconds and the float rounding the batch search corrects.

ROUND scenario (tests/unit/helpers.py): a dense 10B BF16 model (20 GB of weights, KV
2 x 40 x 8 x 128 x 2 = 163,840 B/token) on an 80 GB GPU (72 GB usable), 2 TB/s and
1,000 TFLOPS at mbu = mfu = 0.5, on the generic engine (no fixed costs, no attention FLOPs,
a full reserved context of 4,096 tokens per stream); 1e7 queries a day of 1,000 + 500 tokens,
planned at 1.5 / 0.75 x 1.2 = 2.4 x the average.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from pytest import approx

from infracalc_tui.engine.evaluate import evaluate
from infracalc_tui.engine.host import host_capacity, host_economics
from infracalc_tui.engine.throughput import Step, largest_batch_at_speed
from infracalc_tui.engine.values import Values

from .helpers import report, scenario

KV = 163_840.0  # bytes per token of the ROUND model
STREAM = 4096 * KV  # a reserved context per stream


def test_an_engine_without_fp4_kernels_runs_4_bit_weights_at_16_bits() -> None:
    """MLX dequantises to 16 bits (engines.toml native_fp4 = false): 4.25-bit weights on a
    GPU with 400 FP4 TFLOPS still run at its 100 BF16 TFLOPS, not 400 x fp4_scale."""
    s = scenario(serving__engine="mlx", gpu__tflops=None, gpu__tflops_bf16=100.0,
                 gpu__tflops_fp4=400.0, model__weight_bits=4.25)
    assert s.values["gpu.tflops"] == 100.0


def test_a_scalar_hosts_capacity_is_shared_and_read_only() -> None:
    """host_capacity memoises a scalar scenario; a memoised result is shared between callers
    (memo.py), so nobody may write into its arrays (here the speed's thread limit)."""
    limit = host_capacity(Values(scenario().values))["host.max_threads_speed"]
    assert isinstance(limit, np.ndarray)
    with pytest.raises(ValueError, match="read-only"):
        limit[...] = 0.0


def test_host_price_per_million_tokens() -> None:
    """$0.03 a minute for a stream of 50 tok/s (3,000 tokens a minute): 0.03 x 1e6 / 3,000
    = $10 per million tokens."""
    v = Values(scenario(pricing__charge_per_minute_usd=0.03).values)
    out = host_economics(v, stream_speed=50.0, max_threads=2.0)
    assert float(out["host.price_per_million_tokens_usd"]) == approx(10.0)


def test_a_manual_speed_limits_the_batch_at_a_minimum_below_one() -> None:
    """Manual 3,000 tok/s per GPU on one GPU shared by streams that need 1 tok/s each:
    3,000 streams, not unlimited."""
    t = report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
               serving__min_tokens_per_s_per_stream=1)["throughput"]
    assert t["batch_speed_limit"] == 3000


def test_a_manual_speed_limit_stops_at_the_batch_cap() -> None:
    """3,000 tok/s over a minimum of 1e-6 tok/s is 3e9 streams: capped at BATCH_CAP, 1e9."""
    t = report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
               serving__min_tokens_per_s_per_stream=1e-6)["throughput"]
    assert t["batch_speed_limit"] == 1_000_000_000


def test_decode_rate_per_gpu_divides_by_the_width() -> None:
    """TP 2: memory 2 x 72 GB - 20 GB holds floor(124e9 / (4096 x 163,840)) = 184 streams
    (speed allows 878); a step reads 20e9 + 184 x 1,250 x 163,840 bytes at 2 x 2 TB/s x 0.5
    = 2e12 B/s (compute 184 x 2e10 / 1e15 = 3.7 ms is shorter): 184 tokens per step over
    2 GPUs."""
    t = report(serving__tensor_parallel=2)["throughput"]
    assert t["batch"] == 184
    step = (20e9 + 184 * 1250 * KV) / 2e12
    assert t["decode_tokens_per_s_per_gpu"] == approx(184 / (step * 2))  # 3,189.84


def test_prefill_rate_per_gpu_exactly() -> None:
    """1,000 TFLOPS x 0.5 over 2 x 10e9 FLOPs per prompt token (no attention FLOPs on the
    generic engine) = 25,000 tok/s, exactly: 5e14 / 2e10."""
    assert report()["throughput"]["prefill_tokens_per_s_per_gpu"] == 25_000.0


def test_a_set_batch_cap_is_reported() -> None:
    assert report(serving__max_batch=100)["throughput"]["batch_cap"] == 100


def test_a_sweep_of_model_sizes_picks_each_smallest_fit() -> None:
    """10B at BF16 (20 GB) fits one 72 GB GPU; 200B (400 GB + one 0.67 GB stream) needs
    401 / 72 = 5.6, so 8 GPUs."""
    out = evaluate({**scenario().inputs, "model.total_params_b": np.array([10.0, 200.0])})
    assert np.asarray(out["throughput.tensor_parallel"]).tolist() == [1.0, 8.0]


def test_a_swept_width_of_one_is_kept() -> None:
    """A 50B model (100 GB) needs 2 GPUs to fit, but a sweep that sets 1 GPU per replica keeps
    1 there: only 0 means automatic."""
    out = evaluate({**scenario(model__total_params_b=50).inputs,
                    "serving.tensor_parallel": np.array([1.0, 2.0])})
    assert np.asarray(out["throughput.tensor_parallel"]).tolist() == [1.0, 2.0]


def test_a_sweep_of_gpus_per_server_changes_the_width() -> None:
    """A 35B BF16 model (70 GB), fewest GPUs, 1 or 2 GPUs a server. One GPU holds
    floor(2e9 / (4096 x 163,840)) = 2 streams, a step reading 70e9 + 2 x 1,250 x 163,840 bytes
    at 1e12 B/s; two hold floor(74e9 / ...) = 110, reading 70e9 + 110 x 1,250 x 163,840 at
    2e12 B/s (both memory-bound, speed no limit). Prefill 5e14 / 7e10 tok/s per GPU; GPUs =
    1e7 x (500 / decode + 1,000 / prefill) / 86,400 x 2.4, in whole replicas."""
    out = evaluate({**scenario(model__total_params_b=35,
                               serving__tensor_parallel_rule="fewest_gpus").inputs,
                    "fleet.gpus_per_server": np.array([1.0, 2.0])})
    prefill = 5e14 / 7e10
    decode1 = 2 / ((70e9 + 2 * 1250 * KV) / 1e12)
    decode2 = 110 / (2 * (70e9 + 110 * 1250 * KV) / 2e12)
    gpus1 = math.ceil(1e7 * (500 / decode1 + 1000 / prefill) / 86400 * 2.4)
    gpus2 = 2 * math.ceil(1e7 * (500 / decode2 + 1000 / prefill) / 86400 * 2.4 / 2)
    assert (gpus1, gpus2) == (4929, 156)
    assert np.asarray(out["throughput.tensor_parallel"]).tolist() == [1.0, 2.0]
    assert np.asarray(out["fleet.gpus"]).tolist() == [gpus1, gpus2]


def test_a_fleet_busy_all_day_draws_no_idle_power() -> None:
    """Modelled power (no load factor), one stream per 1-GPU replica, no prompt: a step is
    2e10 FLOPs / (1 TFLOPS x 0.5) = 0.04 s (memory: 0.02 s), so 500 tokens take 20 GPU-s;
    86,400 queries a day planned at 1 x (1 + 0) keep exactly 20 GPUs busy all day, with no
    idle second. Idle = TDP = 500 W: 20 J a token; 86,400 x 500 x 20 J a day is 10 kW,
    + 3 servers x 3 kW = 19 kW, x PUE 1.25 = 23.75 kW."""
    f = report(facility__power_load_factor=None, gpu__idle_w=500, gpu__tflops=1,
               serving__tensor_parallel=1, serving__max_batch=1,
               fleet__input_tokens_per_query=0, fleet__users=8640, fleet__peak_to_average=1,
               fleet__target_utilization=1, fleet__redundancy=0)["fleet"]
    assert f["gpus"] == 20
    assert f["avg_facility_power_mw"] == approx((86400 * 500 * 20 / 86400 + 3 * 3000)
                                                * 1.25 / 1e6, rel=1e-9)


def _dense(weights: float, kv_read: float, bandwidth: float) -> Step:
    """A memory-bound step without fixed costs: (weights + B x kv_read) / bandwidth."""
    return Step(*(np.asarray(x, dtype=float) for x in (
        0.0, weights, 1.0, kv_read, bandwidth, 1.0, 1e30, 0.0, 0.0)))


def test_the_batch_search_steps_down_to_zero_when_one_stream_is_too_slow() -> None:
    """One stream's step reads 3 + 7 bytes at 13 B/s: 10/13 s, which in doubles is a hair
    over 1 / 1.3 s (the closed form rounds to 1), so no batch reaches 1.3 tok/s."""
    assert (3.0 + 7.0) / 13.0 > 1.0 / 1.3
    assert float(largest_batch_at_speed(1.3, _dense(3.0, 7.0, 13.0))) == 0.0


def test_the_batch_search_steps_down_past_a_rounded_closed_form() -> None:
    """7 B/s over 7/41 bytes per stream: the closed form gives 7 / (7/41) = 41.0, but 41
    streams read 41 x (7/41) = 7.000000000000001 bytes, over one second: 40 get 1 tok/s."""
    assert 41 * (7 / 41) > 7.0
    assert float(largest_batch_at_speed(1.0, _dense(0.0, 7 / 41, 7.0))) == 40.0
