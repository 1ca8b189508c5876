"""Roofline estimate of LLM decode and prefill throughput.

Decode reads every weight the batch touches plus each stream's KV cache once
per step, and does 2 FLOPs per active parameter per token; the step takes the
longer of the two (Williams et al., Roofline, 2009; kipply, Transformer
Inference Arithmetic, 2022). The batch is the largest that fits in memory and
still gives every stream the minimum speed. All functions broadcast over numpy
arrays so a whole grid is one call.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .numeric import Array, arr, div

#: Largest batch (or thread count) the engine searches; keeps the search bounded.
BATCH_CAP = 1_000_000_000.0


def weights_bytes(total_params_b: ArrayLike, weight_bits: ArrayLike) -> Array:
    """W = N·weight_bits/8."""
    return arr(total_params_b) * 1e9 * arr(weight_bits) / 8.0


def kv_bytes_per_token(
    layers: ArrayLike,
    kv_heads: ArrayLike,
    head_dim: ArrayLike,
    kv_bits: ArrayLike,
    context_tokens: ArrayLike = 1.0,
    sliding_window_layers: ArrayLike = 0.0,
    sliding_window_tokens: ArrayLike = 0.0,
    kv_values_per_token: ArrayLike = 0.0,
    kv_bytes_override: ArrayLike = 0.0,
) -> Array:
    """KV-cache bytes per token held, GQA aware.

    Standard: 2·layers·kv_heads·head_dim·kv_bits/8. Sliding-window layers (window > 0) hold at
    most their window, so over a full context they cost window/context of a full
    layer. ``kv_values_per_token`` (MLA: one compressed vector per layer, no
    factor 2) and ``kv_bytes_override`` replace the formula when positive.
    """
    layers, swl = arr(layers), np.minimum(arr(sliding_window_layers), arr(layers))
    window = arr(sliding_window_tokens)
    window_share = np.where(window > 0, np.minimum(1.0, div(window, arr(context_tokens))), 1.0)
    window_share = np.where(np.isfinite(window_share), window_share, 1.0)
    effective_layers = layers - swl + swl * window_share
    standard = 2.0 * effective_layers * arr(kv_heads) * arr(head_dim) * arr(kv_bits) / 8.0
    values = arr(kv_values_per_token)
    formula = np.where(values > 0, values * arr(kv_bits) / 8.0, standard)
    override = arr(kv_bytes_override)
    return np.where(override > 0, override, formula)


def auto_tensor_parallel(weights: ArrayLike, kv: ArrayLike, context_tokens: ArrayLike,
                         usable_memory_per_gpu: ArrayLike) -> Array:
    """Smallest power of two TP with W/TP + context·kv/TP <= M (one full stream fits)."""
    need = div(arr(weights) + arr(context_tokens) * arr(kv), usable_memory_per_gpu)
    need = np.where(np.isfinite(need), need, 1.0)
    return 2.0 ** np.ceil(np.log2(np.maximum(need, 1.0)) - 1e-12)


def step_times(batch: ArrayLike, weights: ArrayLike, active_fraction: ArrayLike, kv: ArrayLike,
               avg_tokens: ArrayLike, eff_bandwidth: ArrayLike, eff_flops: ArrayLike,
               active_params: ArrayLike) -> tuple[Array, Array]:
    """Memory time and compute time of one decode step for a batch.

    eff_bandwidth = TP·BW·mbu bytes/s and eff_flops = TP·F·mfu FLOP/s. MoE: a batch
    of B tokens touches W·(1−(1−A/N)^B) of the weights (dense: all of them).
    """
    b = arr(batch)
    w_read = arr(weights) * (1.0 - np.power(1.0 - arr(active_fraction), b))
    t_mem = (w_read + b * arr(avg_tokens) * arr(kv)) / arr(eff_bandwidth)
    t_cmp = 2.0 * arr(active_params) * b / arr(eff_flops)
    return t_mem, t_cmp


def largest_batch_at_speed(min_speed: ArrayLike, upper: ArrayLike, **step_kw: ArrayLike) -> Array:
    """Largest integer B in [1, upper] whose per-stream speed 1/t(B) >= min_speed; 0 if none.

    Dense models: t(B) = max((W + B·L·kv)/BW, 2AB/F) is linear in B, so B is a closed
    form (checked one step either way against rounding). MoE: the weights read grow with B;
    the closed forms with all of W and with none of it bracket B, and a vectorised bisection
    closes the bracket (a few steps) only where it is open.
    min_speed <= 0 means no limit (the answer is ``upper``).
    """
    smin = arr(min_speed)
    shape = np.broadcast_shapes(smin.shape, arr(upper).shape,
                                *(arr(v).shape for v in step_kw.values()))
    hi = np.clip(np.floor(np.broadcast_to(arr(upper), shape)), 1.0, BATCH_CAP)
    with np.errstate(divide="ignore", over="ignore"):  # a denormal speed: no limit (inf)
        t_max = np.broadcast_to(np.where(smin > 0, 1.0 / np.where(smin > 0, smin, 1.0),
                                         np.inf), shape)

    def t(batch: Array) -> Array:
        return np.maximum(*step_times(batch, **step_kw))

    w = arr(step_kw["weights"])
    per_token = arr(step_kw["avg_tokens"]) * arr(step_kw["kv"])
    bw, flops = arr(step_kw["eff_bandwidth"]), arr(step_kw["eff_flops"])
    per_batch_cmp = 2.0 * arr(step_kw["active_params"])

    def closed(weights_read: Array) -> Array:
        """Largest B with max((w + B·per_token)/bw, B·per_batch_cmp/flops) <= t_max."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            mem = np.where(per_token > 0, (t_max * bw - weights_read) / per_token,
                           np.where(weights_read <= t_max * bw, np.inf, -1.0))
            cmp = np.where(per_batch_cmp > 0, t_max * flops / per_batch_cmp, np.inf)
            b = np.floor(np.minimum(mem, cmp))
        b = np.where(np.isnan(b), 0.0, b)
        return np.clip(b, 0.0, hi)

    dense = np.broadcast_to(arr(step_kw["active_fraction"]) >= 1.0, shape)
    lo = closed(np.broadcast_to(w, shape))  # feasible when all weights are read: a lower bound
    top = np.where(dense, lo, np.minimum(closed(np.zeros(shape)) + 1.0, hi))  # upper bound
    # rounding in the closed forms: step down while infeasible, up while the next one fits
    lo = np.where((lo >= 1.0) & (t(np.maximum(lo, 1.0)) > t_max), lo - 1.0, lo)
    nxt = np.minimum(lo + 1.0, hi)
    lo = np.where((nxt > lo) & (t(nxt) <= t_max), nxt, lo)
    hi = np.maximum(np.where(dense, lo, top), lo)
    for _ in range(64):
        active = lo < hi
        if not active.any():
            break
        mid = np.floor((lo + hi + 1.0) / 2.0)
        ok = t(mid) <= t_max
        lo = np.where(active & ok, mid, lo)
        hi = np.where(active & ~ok, mid - 1.0, hi)
    return lo


def streams_in_memory(free_bytes: ArrayLike, context_tokens: ArrayLike, kv: ArrayLike) -> Array:
    """How many full-context streams fit in ``free_bytes`` (0 if none; capped at BATCH_CAP)."""
    per_stream = arr(context_tokens) * arr(kv)
    free = arr(free_bytes)
    n = np.floor(div(free, per_stream))
    n = np.where(per_stream > 0, n, np.where(free >= 0, BATCH_CAP, 0.0))
    n = np.where(np.isfinite(n), n, 0.0)
    return np.clip(n, 0.0, BATCH_CAP)
