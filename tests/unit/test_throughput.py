"""Roofline throughput against hand-computed values."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pytest import approx

from infracalc_tui.engine.throughput import (
    Step,
    kv_bytes_per_token,
    largest_batch_at_speed,
    smallest_fit_tensor_parallel,
    stream_kv_bytes,
)

from .helpers import report


def step(weights: float, active_fraction: float, kv: float, avg_tokens: float,
         eff_bandwidth: float, eff_flops: float, active_params: float, fixed: float = 0.0,
         per_stream: float = 0.0, shared: float = 0.0) -> Step:
    """A decode step in the spec's terms: all weights routed with fraction A/N (dense: 1)."""
    return Step(*(np.asarray(x, dtype=float) for x in (
        shared, weights, active_fraction, avg_tokens * kv, eff_bandwidth, 2.0 * active_params,
        eff_flops, fixed, per_stream)))


def step_times(batch, **kw):
    t_mem, t_cmp, _ = step(**kw).times(batch)
    return t_mem, t_cmp


def test_kv_bytes_standard_gqa() -> None:
    # Llama 3 70B: 2 x 80 layers x 8 KV heads x 128 x 2 bytes = 327,680 B/token
    assert float(kv_bytes_per_token(80, 8, 128, 16)) == 327_680


def test_kv_bytes_mla_has_no_factor_two() -> None:
    # DeepSeek-V3: 61 layers x 576 values x 2 bytes = 70,272 B/token
    assert float(kv_bytes_per_token(61, 128, 128, 16, kv_values_per_token=61 * 576)) == 70_272


def test_kv_bytes_sliding_window() -> None:
    # gpt-oss-120b: 36 layers, 18 of them windowed to 128 tokens. Per token over all layers
    # 2 x 36 x 8 x 64 x 2 = 73,728 B, whatever the context. A stream holding 8,192 tokens:
    # 18 full layers x 8,192 + 18 windowed layers x min(8,192, 128) token-layers, at
    # 73,728 / 36 = 2,048 B per token-layer = 2,048 x (147,456 + 2,304) = 306,708,480 B
    assert float(kv_bytes_per_token(36, 8, 64, 16)) == 73_728
    assert float(stream_kv_bytes(8192, 73_728, 36, 18, 128)) == 2048 * (18 * 8192 + 18 * 128)
    # a stream inside the window holds every token in every layer: 100 x 73,728
    assert float(stream_kv_bytes(100, 73_728, 36, 18, 128)) == 100 * 73_728


def test_kv_override_wins() -> None:
    assert float(kv_bytes_per_token(80, 8, 128, 16, kv_values_per_token=5,
                                     kv_bytes_override=1234)) == 1234


def test_smallest_fit_tensor_parallel_is_smallest_power_of_two() -> None:
    # (140 GB + 2 GB) / 72 GB = 1.97 -> 2; (150 + 2) / 72 = 2.1 -> 4
    assert float(smallest_fit_tensor_parallel(140e9, 2e9, 72e9)) == 2
    assert float(smallest_fit_tensor_parallel(150e9, 2e9, 72e9)) == 4
    assert float(smallest_fit_tensor_parallel(1e9, 1, 72e9)) == 1


def test_moe_reads_more_experts_as_batch_grows() -> None:
    # N = 40B, A = 10B -> a batch of B touches W x (1 - 0.75^B)
    w = 80e9
    kw = dict(weights=w, active_fraction=0.25, kv=0, avg_tokens=0, eff_bandwidth=1e12,
              eff_flops=1e15, active_params=10e9)
    t1, _ = step_times(1, **kw)
    t2, _ = step_times(2, **kw)
    assert float(t1) == approx(w * 0.25 / 1e12)
    assert float(t2) == approx(w * (1 - 0.75**2) / 1e12)


def test_round_scenario_throughput() -> None:
    t = report()["throughput"]
    w = 10e9 * 16 / 8  # 20 GB of weights
    kv = 2 * 40 * 8 * 128 * 2  # 163,840 B/token
    assert t["weights_gb"] == approx(20)
    assert t["kv_bytes_per_token"] == kv
    assert t["tensor_parallel"] == 1  # (20e9 + 4096 x 163840) / 72e9 = 0.29
    # memory: floor((72e9 - 20e9) / (4096 x 163840)) = floor(77.49) = 77
    assert t["batch_memory_limit"] == 77
    # t(B) = (20e9 + B x 1250 x 163840) / (2e12 x 0.5) > compute 2 x 10e9 x B / 5e14;
    # speed >= 10 tok/s -> 0.02 + B x 2.048e-4 <= 0.1 -> B <= 390.6
    assert t["batch_speed_limit"] == 390
    assert t["batch"] == 77
    step = (w + 77 * 1250 * kv) / (2e12 * 0.5)
    assert t["step_time_ms"] == approx(step * 1e3)
    assert t["decode_tokens_per_s_per_stream"] == approx(1 / step)
    assert t["decode_tokens_per_s_per_gpu"] == approx(77 / step)
    assert t["prefill_tokens_per_s_per_gpu"] == approx(1000e12 * 0.5 / (2 * 10e9))
    assert t["bound"] == "memory"


def test_compute_bound_when_flops_are_scarce() -> None:
    # 1 TFLOPS at mfu 0.5: compute 2 x 10e9 x B / 5e11 = 0.04 B s, far above memory time
    t = report(gpu__tflops=1, serving__min_tokens_per_s_per_stream=0)["throughput"]
    assert t["bound"] == "compute"
    assert t["step_time_compute_ms"] == approx(2 * 10e9 * t["batch"] / 5e11 * 1e3)


def test_batch_cap_and_forced_single_stream() -> None:
    assert report(serving__max_batch=5)["throughput"]["batch"] == 5
    # 1 GB/s bandwidth: one stream takes 20 s per token -> below 10 tok/s, batch forced to 1
    r = report(gpu__bandwidth_tb_s=0.001)
    assert r["throughput"]["batch"] == 1
    assert r["throughput"]["batch_speed_limit"] == 0
    assert any("even a single stream" in w for w in r["warnings"])


def test_model_that_does_not_fit_forces_batch_one_with_warning() -> None:
    r = report(serving__tensor_parallel=1, model__total_params_b=100)  # 200 GB > 72 GB
    assert r["throughput"]["batch"] == 1
    assert r["throughput"]["batch_memory_limit"] == 0
    assert any("do not fit" in w for w in r["warnings"])


def test_manual_throughput_overrides_estimate() -> None:
    t = report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
               serving__prefill_tokens_per_s_per_gpu=20000)["throughput"]
    assert t["decode_tokens_per_s_per_gpu"] == 3000
    assert t["prefill_tokens_per_s_per_gpu"] == 20000
    assert t["decode_tokens_per_s_per_stream"] == approx(3000 * 1 / 77)
    assert t["bound"] == "manual"


def test_largest_batch_bisection_matches_linear_scan() -> None:
    kw = dict(weights=20e9, active_fraction=1.0, kv=163840.0, avg_tokens=1250.0,
              eff_bandwidth=1e12, eff_flops=5e14, active_params=10e9)
    speeds = np.array([0.0, 1.0, 10.0, 30.0, 49.0, 50.0, 1000.0])
    got = largest_batch_at_speed(speeds, step(**kw))
    assert got[0] == 1e9  # no minimum speed: the search's cap
    for s, b in zip(speeds, got, strict=True):  # the speed falls with B: compare up to 2000
        ok = [B for B in range(1, 2001)
              if s <= 0 or 1 / max(*step_times(B, **kw)) >= s]
        assert min(b, 2000) == (max(ok) if ok else 0)


def _bisect_reference(min_speed: float, **kw: float) -> float:
    """The plain bisection over [0, 1e9] the closed forms must agree with."""
    lo, hi = 0.0, 1e9
    t_max = 1.0 / min_speed if min_speed > 0 else np.inf
    s = step(**kw)
    while lo < hi:
        mid = np.floor((lo + hi + 1.0) / 2.0)
        if s.total(mid) <= t_max:
            lo = mid
        else:
            hi = mid - 1.0
    return lo


@given(w=st.floats(1e6, 2e12), a=st.floats(0.01, 1.0), kv=st.floats(0.0, 2e6),
       ctx=st.floats(1.0, 2e5), bw=st.floats(1e9, 1e14), fl=st.floats(1e11, 1e17),
       act=st.floats(1e6, 2e12), speed=st.floats(0.0, 1e4),
       dense=st.booleans(), fixed=st.sampled_from([0.0, 1e-4, 3e-3]),
       per_stream=st.sampled_from([0.0, 1e-7, 2e-5]), shared=st.floats(0.0, 1e11))
def test_closed_form_batch_matches_bisection(w, a, kv, ctx, bw, fl, act, speed,
                                             dense, fixed, per_stream, shared) -> None:
    kw = dict(weights=w, active_fraction=1.0 if dense else a, kv=kv, avg_tokens=ctx,
              eff_bandwidth=bw, eff_flops=fl, active_params=act, fixed=fixed,
              per_stream=per_stream, shared=shared)
    got = float(largest_batch_at_speed(speed, step(**kw)))
    assert got == _bisect_reference(speed, **kw)


def test_throughput_cache_key_covers_every_input_it_reads() -> None:
    """The memo is keyed on model.*, gpu.*, serving.* and two fleet keys: throughput must
    read nothing else, or a change there would show a stale figure."""
    import importlib

    from infracalc_tui.scenario.presets import presets

    ev = importlib.import_module("infracalc_tui.engine.evaluate")  # the module, not the function

    read: set[str] = set()

    class Recording(dict):
        def __getitem__(self, key: str):
            read.add(key)
            return super().__getitem__(key)

    rep = importlib.import_module("infracalc_tui.engine.replica")
    rep.replica_candidates(ev.Values(Recording(presets()["gpt4o-1b-users"].scenario.values)))
    outside = {k for k in read if not k.startswith(ev._THROUGHPUT_PREFIXES)}
    assert outside <= set(ev._THROUGHPUT_EXTRA), outside


def test_throughput_cache_returns_fresh_results_for_changed_inputs() -> None:
    from infracalc_tui.calc import report_for
    from infracalc_tui.scenario.presets import presets

    s = presets()["llama70b-own-hardware"].scenario
    first = report_for(s)["host"]["decode_tokens_per_s_per_stream"]
    faster = report_for(s.with_value("gpu.bandwidth_tb_s", 2.016))["host"][
        "decode_tokens_per_s_per_stream"]
    assert faster > first and report_for(s)["host"]["decode_tokens_per_s_per_stream"] == first


def test_host_capacity_cache_key_covers_every_input_it_reads() -> None:
    """Host capacity is memoised on model.*, gpu.*, serving.* and three host/pricing keys:
    it must read nothing else, or a change there would show a stale figure."""
    import importlib

    from infracalc_tui.scenario.presets import presets

    host = importlib.import_module("infracalc_tui.engine.host")
    read: set[str] = set()

    class Recording(dict):
        def __getitem__(self, key: str):
            read.add(key)
            return super().__getitem__(key)

        def get(self, key: str, default=None):
            read.add(key)
            return super().get(key, default)

    from infracalc_tui.engine.values import Values

    host._host_capacity(Values(Recording(presets()["llama70b-own-hardware"].scenario.values)))
    outside = {k for k in read if not k.startswith(host._CAPACITY_PREFIXES)}
    assert outside <= set(host._CAPACITY_EXTRA), outside
