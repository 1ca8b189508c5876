"""engine.replica's decode step and model memory by hand where the mutation run left
survivors: the all-reduce bytes over the link (100 GB/s is 1e11 B/s, to 1 part in 1e12), no
link at all (interconnect_gb_s = 0: no per-stream bytes), the flat KV overrides of 1 (one byte
or one value a token is still an override, so no sliding windows), and a routed-expert share
below one billion parameters. ROUND scenario: tests/unit/helpers.py (a 10B BF16 model of 40
layers, KV 2 x 40 x 8 x 128 x 2 B = 163,840 B a token, 2 TB/s x 0.5 = 1e12 B/s)."""

from __future__ import annotations

from typing import Any

from pytest import approx

from .helpers import report

#: vLLM (its per-stream all-reduce bytes count) with its fixed costs zeroed and the full link
#: used, so the overhead is the all-reduce bytes alone
BYTES_ONLY: dict[str, Any] = {
    "serving__engine": "vllm", "serving__step_overhead_ms": 0, "serving__layer_overhead_us": 0,
    "serving__allreduce_us": 0, "serving__allreduce_bw_fraction": 1,
    "serving__tensor_parallel": 2, "serving__max_batch": 10, "model__hidden_size": 5000,
}


def test_allreduce_bytes_over_a_100_gb_s_link() -> None:
    """TP 2: 2 all-reduces x 40 layers, ring 2 x (2 - 1) / 2 = 1, 5,000 x 2 B of activations:
    800,000 B a stream a step over 100 x 1e9 = 1e11 B/s is 8e-6 s; x batch 10 = 0.08 ms."""
    t = report(gpu__interconnect_gb_s=100, **BYTES_ONLY)["throughput"]
    assert t["tensor_parallel"] == 2 and t["batch"] == 10
    assert t["step_time_overhead_ms"] == approx(0.08, rel=1e-12)


def test_no_link_moves_no_bytes() -> None:
    """interconnect_gb_s = 0 is no link: the all-reduces cost nothing per stream (not 800,000 B
    over a 1 MB/s floor, nor over 1 B/s, nor 1 s each), so the overhead is 0 ms."""
    t = report(gpu__interconnect_gb_s=0, **BYTES_ONLY)["throughput"]
    assert t["tensor_parallel"] == 2 and t["batch"] == 10
    assert t["step_time_overhead_ms"] == 0.0


def test_kv_bytes_override_of_one_is_flat() -> None:
    """kv_bytes_per_token = 1 overrides the formula and takes the cache as flat: the 20
    sliding-window layers of 100 tokens do not apply, so a stream's 4,096 reserved tokens hold
    1 x 4,096 = 4,096 B (windowed: (20 x 4,096 + 20 x 100) / 40 = 2,098 B)."""
    t = report(model__kv_bytes_per_token=1, model__sliding_window_layers=20,
               model__sliding_window_tokens=100)["throughput"]
    assert t["kv_bytes_per_token"] == 1.0
    assert t["kv_bytes_per_stream"] == 4096.0


def test_kv_values_override_of_one_is_flat() -> None:
    """kv_values_per_token = 1 at 16 bits is 2 B a token, flat: 2 x 4,096 = 8,192 B a stream
    (windowed it would be 2 x 2,098 = 4,196 B)."""
    t = report(model__kv_values_per_token=1, model__sliding_window_layers=20,
               model__sliding_window_tokens=100)["throughput"]
    assert t["kv_bytes_per_token"] == 2.0
    assert t["kv_bytes_per_stream"] == 8192.0


def test_routed_share_below_one_billion() -> None:
    """Total 10B, shared 9B, active 9.5B: a token reads (9.5 - 9) / (10 - 9) = 0.5 of the
    routed experts. Batch 1: (9e9 x 2 B + 1e9 x 2 B x 0.5 + 1,250 tokens x 163,840 B) / 1e12 B/s
    = (18e9 + 1e9 + 0.2048e9) / 1e12 s = 19.2048 ms (all of them: 20.2048 ms)."""
    t = report(model__active_params_b=9.5, model__shared_params_b=9,
               serving__max_batch=1)["throughput"]
    assert t["batch"] == 1
    assert t["step_time_memory_ms"] == approx(19.2048, rel=1e-12)
