"""One model replica: its memory, decode step, batch, speed, prefill and power.

``replica_candidates`` evaluates a replica for every tensor-parallel width worth trying
(powers of two up to one server or the smallest fit, at most 1024, and then the smallest
fit) along a trailing axis, so the fleet can pick the width that serves it with the fewest
GPUs (``fleet.choose_replica``); a width set in ``serving.tensor_parallel`` is the only
candidate. Formulas: engine-spec 'Throughput', plus the per-step costs and the power
model of README.md 'The model'.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .numeric import Array, arr, div, safe_floor
from .power import board_power
from .throughput import (
    BATCH_CAP,
    Step,
    held_token_layers,
    kv_bytes_per_token,
    largest_batch_at_speed,
    mean_attended,
    smallest_fit_tensor_parallel,
    stream_kv_bytes,
    streams_in_memory,
    weights_bytes,
    window_layers,
)
from .values import Values

#: Widths the automatic rule may try: 1, 2, 4, ... 1024 (cut at the widest valid), then the fit.
POWERS_OF_TWO = 2.0 ** np.arange(11)


def model_memory(v: Values) -> dict[str, Array]:
    """Weights (shared and routed) and the KV cache's shape, from the model keys."""
    w_shared, w_routed = weights_bytes(v("model.total_params_b"), v("model.weight_bits"),
                                       v("model.shared_params_b"), v("model.shared_weight_bits"))
    layers = v("model.layers")
    flat = (v("model.kv_bytes_per_token") > 0) | (v("model.kv_values_per_token") > 0)
    n, s, a = (v("model.total_params_b"), v("model.shared_params_b"),
               v("model.active_params_b"))
    return {
        "w_shared": w_shared, "w_routed": w_routed, "weights": w_shared + w_routed,
        # the share of the routed experts a token reads (0 for a dense model)
        "routed_fraction": np.where(n > s, div(np.maximum(a - s, 0.0), n - s), 0.0),
        "kv": kv_bytes_per_token(layers, v("model.kv_heads"), v("model.head_dim"),
                                 v("model.kv_bits"), v("model.kv_values_per_token"),
                                 v("model.kv_bytes_per_token")),
        "layers": layers,
        "win_layers": window_layers(layers, v("model.sliding_window_layers"),
                                    v("model.sliding_window_tokens"), flat),
        "window": v("model.sliding_window_tokens"),
        "attn_width": v("model.attention_heads") * v("model.head_dim")
        * v("serving.beyond_roofline"),
    }


def decode_step(v: Values, m: dict[str, Array], gpus: Array, held: Array) -> Step:
    """The decode step of ``gpus`` GPUs in tensor parallelism whose streams hold ``held``
    tokens: each adds bandwidth and FLOPS, and more than one all-reduce twice per layer (the
    host's layer split passes 1: one GPU works at a time)."""
    a = v("model.active_params_b") * 1e9
    attended = held_token_layers(held, m["layers"], m["win_layers"], m["window"])
    # a link slower than 1 MB/s is no link to plan with; below it, bytes/link overflows
    link = np.where(v("gpu.interconnect_gb_s") > 0,
                    np.maximum(v("gpu.interconnect_gb_s") * 1e9, 1e6), 0.0)
    link = link * v("serving.allreduce_bw_fraction")  # what an all-reduce achieves of it
    many = gpus > 1
    ring = np.where(many, 2.0 * (gpus - 1.0) / np.maximum(gpus, 1.0), 0.0)
    allreduces = 2.0 * m["layers"] * many
    per_stream_bytes = ring * v("model.hidden_size") * 2.0  # BF16 activations per token
    # an all-reduce of a step's few activations is latency-bound: log2(n) exchange steps
    # (recursive doubling; Rabenseifner's reduce-scatter + all-gather moves the bytes above)
    hops = np.log2(np.maximum(gpus, 1.0))
    fixed = (v("serving.step_overhead_ms") * 1e-3 + m["layers"] * v("serving.layer_overhead_us")
             * 1e-6 + allreduces * hops * v("serving.allreduce_us") * 1e-6)
    return Step(
        w_shared=arr(m["w_shared"]), w_routed=arr(m["w_routed"]),
        routed_fraction=arr(m["routed_fraction"]),
        kv_read=stream_kv_bytes(held, m["kv"], m["layers"], m["win_layers"], m["window"]),
        bandwidth=gpus * v("gpu.bandwidth_tb_s") * 1e12 * v("serving.mbu"),
        flops_per_token=2.0 * a + 4.0 * m["attn_width"] * attended,
        flops=gpus * v("gpu.tflops") * 1e12 * v("serving.mfu"),
        fixed=arr(fixed) + 0.0 * gpus,
        per_stream=allreduces * np.where(link > 0, div(per_stream_bytes, link), 0.0)
        * v("serving.beyond_roofline"),
    )


def usable_memory_per_gpu(v: Values) -> Array:
    return v("gpu.memory_gb") * 1e9 * v("gpu.memory_share") * v("serving.memory_utilization")


def replica_candidates(v: Values) -> dict[str, Any]:
    """Every replica figure for each candidate width, along a trailing axis (of 1 for the
    figures that do not depend on the width), and which candidates are valid."""
    m = model_memory(v)
    usable = usable_memory_per_gpu(v)
    t_in, t_out = v("fleet.input_tokens_per_query"), v("fleet.output_tokens_per_query")
    ctx = v("model.context_tokens")
    query = t_in + t_out
    block = np.maximum(v("serving.kv_block_tokens"), 1.0)
    # memory per stream: paged engines hold the query's tokens (in blocks); reserving ones a
    # full context, or the query when it is longer than the context
    mem_tokens = np.where(v("serving.kv_paged") > 0, np.ceil(query / block - 1e-9) * block,
                          np.maximum(ctx, query))
    stream_mem = stream_kv_bytes(mem_tokens, m["kv"], m["layers"], m["win_layers"], m["window"])
    fit_tp = smallest_fit_tensor_parallel(m["weights"], stream_mem, usable)
    tp_set = v("serving.tensor_parallel")
    # a width above one server (and above the smallest fit) is never valid: the powers of two
    # stop at the widest that is valid anywhere (fewer candidates, the same choice)
    gps = v("fleet.gpus_per_server")
    limit = np.maximum(2.0 ** np.floor(np.log2(np.maximum(gps, 1.0)) + 1e-12), fit_tp)
    powers = POWERS_OF_TWO[: int(np.searchsorted(POWERS_OF_TWO, np.max(limit), side="right"))]
    if tp_set.ndim == 0 and tp_set > 0:
        tp = tp_set[..., None]
    else:
        shape = np.broadcast_shapes(tp_set.shape, fit_tp.shape)
        auto = np.concatenate([np.broadcast_to(powers, (*shape, powers.size)),
                               np.broadcast_to(fit_tp, shape)[..., None]], axis=-1)
        tp = np.where(tp_set[..., None] > 0, tp_set[..., None], auto)

    def e(x: Any) -> Array:  # a scenario value against the candidate axis
        return arr(x)[..., None]

    me = {k: e(x) for k, x in m.items()}
    avg_tokens = t_in + t_out / 2.0
    step = decode_step(_Expanded(v), me, tp, e(avg_tokens))
    b_mem = streams_in_memory(tp * e(usable) - me["weights"], e(stream_mem))
    smin = e(v("serving.min_tokens_per_s_per_stream"))
    manual = v.text("serving.throughput") == "manual"
    d_manual = e(v("serving.decode_tokens_per_s_per_gpu"))
    if manual:  # the user's aggregate speed, shared by the streams
        b_speed = np.where(smin > 0, safe_floor(div(d_manual * tp, smin)), BATCH_CAP)
        # a positive speed over a positive minimum is NaN only where it overflowed: no limit
        b_speed = np.clip(np.where(np.isfinite(b_speed), b_speed, BATCH_CAP), 0.0, BATCH_CAP)
    else:
        b_speed = largest_batch_at_speed(smin, step)
    cap_set = e(v("serving.max_batch"))
    b_cap = np.where(cap_set > 0, cap_set, BATCH_CAP)
    batch = np.maximum(1.0, np.minimum(np.minimum(b_mem, b_speed), b_cap))
    t_mem, t_cmp, t_over = step.times(batch)
    t_step = np.maximum(t_mem, t_cmp) + t_over
    est_decode_gpu = batch / (t_step * tp)
    a = e(v("model.active_params_b")) * 1e9
    prefill_flops = 2.0 * a + 4.0 * me["attn_width"] * mean_attended(
        e(t_in), me["layers"], me["win_layers"], me["window"])
    est_prefill_gpu = e(v("gpu.tflops")) * 1e12 * e(v("serving.prefill_mfu")) / prefill_flops
    if manual:
        decode_gpu = d_manual  # the same at every width (a trailing axis of 1)
        prefill_set = e(v("serving.prefill_tokens_per_s_per_gpu"))
        prefill_gpu = np.where(prefill_set > 0, prefill_set, est_prefill_gpu)
        stream = decode_gpu * tp / batch
    else:
        decode_gpu, prefill_gpu, stream = est_decode_gpu, est_prefill_gpu, 1.0 / t_step
    power = board_power(e(v("gpu.idle_w")), e(v("gpu.tdp_w")), t_mem, t_cmp, t_step,
                        e(v("gpu.power_k_mem")), e(v("gpu.power_k_cmp")))
    prefill_power = board_power(e(v("gpu.idle_w")), e(v("gpu.tdp_w")), 0.0, 1.0, 1.0,
                                e(v("gpu.power_k_mem")), e(v("gpu.power_k_cmp")))
    # GPU-joules per generated token: its share of a decode step on TP GPUs, plus the
    # query's prefill (T_in / prefill per GPU GPU-seconds) spread over its output tokens
    energy = power * tp * t_step / batch + prefill_power * div(e(t_in), prefill_gpu) / e(t_out)
    # the smallest fit (the last candidate) holds a stream by construction, so some width is
    # valid; a set width is the only candidate, whatever its validity
    valid = (b_mem >= 1) & (tp <= e(limit))
    return {
        "throughput.weights_gb": e(m["weights"] / 1e9),
        "throughput.kv_bytes_per_token": e(m["kv"]),
        "throughput.tensor_parallel": tp,
        "throughput.batch": batch,
        "throughput.decode_tokens_per_s_per_stream": stream,
        "throughput.decode_tokens_per_s_per_gpu": decode_gpu,
        "throughput.prefill_tokens_per_s_per_gpu": prefill_gpu,
        "throughput.memory_bound": t_mem >= t_cmp,
        "throughput.gpu_power_w": power,
        "throughput.energy_per_output_token_j": energy,
        "throughput.usable_memory_per_gpu_gb": e(usable / 1e9),
        "throughput.avg_tokens_per_stream": e(avg_tokens),
        "throughput.kv_tokens_per_stream": e(mem_tokens),
        "throughput.kv_bytes_per_stream": e(stream_mem),
        "throughput.kv_read_bytes_per_stream": step.kv_read,
        "throughput.batch_memory_limit": b_mem,
        "throughput.batch_speed_limit": b_speed,
        "throughput.batch_cap": np.where(cap_set > 0, cap_set, np.nan),
        "throughput.step_time_memory_ms": t_mem * 1e3,
        "throughput.step_time_compute_ms": t_cmp * 1e3,
        "throughput.step_time_overhead_ms": t_over * 1e3,
        "throughput.step_time_ms": t_step * 1e3,
        "throughput.estimated_decode_tokens_per_s_per_gpu": est_decode_gpu,
        "throughput.prefill_flops_per_token": prefill_flops,
        "throughput.smallest_fit_tensor_parallel": e(fit_tp),
        "throughput.candidate_valid": valid,
    }


class _Expanded(Values):
    """Values seen against the candidate axis (each one gains a trailing axis)."""

    def __init__(self, v: Values) -> None:
        super().__init__(v.raw)

    def __call__(self, key: str) -> Array:
        return super().__call__(key)[..., None]
