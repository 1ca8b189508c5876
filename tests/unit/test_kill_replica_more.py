"""engine.replica and engine.host by hand where the mutation run left survivors: exact
figures (a constant off by one part in 1e12 must show), the manual mode's user figures below
1, a batch cap of 1, the memory/compute tie, and the smallest fit when float rounding leaves a
width a hair short of one stream. ROUND scenario: tests/unit/helpers.py (a 10B BF16 model,
20 GB of weights, on an 80 GB GPU with 72 GB usable, 2 TB/s and 1,000 TFLOPS at 0.5)."""

from __future__ import annotations

from pytest import approx

from .helpers import report


def test_round_figures_are_exact() -> None:
    """1,000e12 FLOP/s x 0.5 / (2 x 10e9 FLOP a token) = 25,000 tok/s of prefill (the generic
    engine counts no attention FLOPs); 20e9 B = 20 GB of weights; 80e9 x 0.9 = 72 GB usable.
    Every operand is a whole number of bytes or FLOPs, so the figures are exact."""
    t = report(serving__prefill_mfu=0.5)["throughput"]
    assert t["prefill_tokens_per_s_per_gpu"] == 25_000.0
    assert t["weights_gb"] == 20.0
    assert t["usable_memory_per_gpu_gb"] == 72.0


def test_manual_figures_below_one_are_the_users() -> None:
    """A manual prefill of 0.5 tok/s per GPU is 0.5, not the estimate; a batch cap of 1 is a
    cap of 1 (0 means none), and the batch is 1."""
    t = report(serving__throughput="manual", serving__prefill_tokens_per_s_per_gpu=0.5)
    assert t["throughput"]["prefill_tokens_per_s_per_gpu"] == 0.5
    t = report(serving__max_batch=1)["throughput"]
    assert t["batch_cap"] == 1
    assert t["batch"] == 1


def test_a_tie_between_memory_and_compute_is_memory_bound() -> None:
    """Batch 1: (20e9 B of weights + 1,250 tokens x 163,840 B) / (2.02048e12 B/s x 0.5) =
    20.2048e9 / 1.01024e12 = 20 ms, and 2 x 10e9 FLOP / (2e12 FLOP/s x 0.5) = 20 ms: a tie,
    which the spec's rule (t_mem >= t_cmp) calls memory-bound."""
    t = report(serving__max_batch=1, gpu__bandwidth_tb_s=2.02048, gpu__tflops=2)["throughput"]
    assert t["step_time_memory_ms"] == t["step_time_compute_ms"] == approx(20.0)
    assert t["bound"] == "memory"


def test_manual_host_speed_is_shared_by_its_threads() -> None:
    """4 GPUs in tensor parallelism at 3,000 tok/s each serve 12,000 tok/s: 399 threads get
    12,000 / 399 = 30.08 tok/s each, and a minimum of 0.5 tok/s allows 12,000 / 0.5 = 24,000
    threads (a minimum below 1 is still a minimum)."""
    h = report(host__gpu_count=4, host__multi_gpu="tensor_parallel", serving__throughput="manual",
               serving__decode_tokens_per_s_per_gpu=3000, pricing__concurrent_threads=399,
               serving__min_tokens_per_s_per_stream=0.5)["host"]
    assert h["decode_tokens_per_s_per_stream"] == approx(12_000 / 399)
    assert h["max_threads_speed"] == 24_000


def test_the_smallest_fit_holds_a_stream_when_rounding_says_otherwise() -> None:
    """Weights of 71.99999948800003e9 x 2 B = 143,999,998,976.00006 B and a stream of 32 tokens
    x 32 B = 1,024 B: two 72 GB GPUs leave 1,023.99994 B, not one stream, though W + S rounds
    to exactly 2 x 72e9 (S is 7e-9 of W, below the float slack of the sum). The smallest fit
    is then 4 GPUs, which hold floor((288e9 − W) / 1,024) = 140,625,001 streams, and the
    fleet does not say that the weights and one stream do not fit its replica."""
    r = report(model__total_params_b=71.99999948800003, model__layers=1, model__kv_heads=1,
               model__head_dim=8, model__context_tokens=32, fleet__input_tokens_per_query=16,
               fleet__output_tokens_per_query=16, fleet__gpus_per_server=1,
               serving__tensor_parallel_rule="fewest_gpus")
    t = r["throughput"]
    assert t["smallest_fit_tensor_parallel"] == 4
    assert t["tensor_parallel"] == 4
    assert t["batch_memory_limit"] == 140_625_001
    assert not [w for w in r["warnings"] if w.startswith("Fleet") and "do not fit" in w]


def test_the_smallest_fit_reason_names_its_width() -> None:
    """20 GB of weights + a 4,096-token stream (671 MB) fit one 72 GB GPU; 140 GB + 671 MB
    need 140.67 / 72 = 1.95, so 2 GPUs."""
    reason = "automatic, smallest_fit: {} GPU(s) per replica hold the weights and one stream"
    assert report()["throughput"]["tensor_parallel_reason"] == reason.format(1)
    assert report(model__total_params_b=70)["throughput"]["tensor_parallel_reason"] == \
        reason.format(2)


def test_manual_host_threads_allowed_by_speed_are_capped() -> None:
    """12,000 tok/s over a minimum of 1e-6 tok/s is 1.2e10 threads, capped at 1e9; over
    1e-305 it overflows (1.2e309), which is no limit either: the cap of 1e9."""
    for smin in (1e-6, 1e-305):
        h = report(host__gpu_count=4, host__multi_gpu="tensor_parallel",
                   serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
                   serving__min_tokens_per_s_per_stream=smin)["host"]
        assert h["max_threads_speed"] == 1_000_000_000


def test_the_smallest_fit_of_a_long_context() -> None:
    """A reserved context of 1.5M tokens x 163,840 B = 245.76 GB a stream, + 20 GB of weights:
    265.76 / 72 = 3.69 GPUs, so 4."""
    t = report(model__context_tokens=1_500_000)["throughput"]
    assert t["smallest_fit_tensor_parallel"] == 4


def test_a_manual_host_too_slow_for_one_thread_allows_none() -> None:
    """One GPU at 3,000 tok/s against a minimum of 5,000 tok/s: floor(0.6) = 0 threads."""
    h = report(host__gpu_count=1, serving__throughput="manual",
               serving__decode_tokens_per_s_per_gpu=3000,
               serving__min_tokens_per_s_per_stream=5000)["host"]
    assert h["max_threads_speed"] == 0


def test_host_memory_by_hand_and_an_exact_fit() -> None:
    """Two threads of a 4,096-token context (2 x 671,088,640 B) and 20e9 B of weights need
    21.34217728 GB, exactly. With 35.32891136B parameters (70,657,822,720 B) the same two
    threads need 72e9 B, all of one GPU's usable 72 GB: that still fits."""
    assert report()["host"]["memory_required_gb"] == 21.34217728
    h = report(host__gpu_count=1, model__total_params_b=35.32891136)["host"]
    assert h["memory_required_gb"] == h["memory_available_gb"] == 72.0
    assert h["fits_in_memory"] is True
