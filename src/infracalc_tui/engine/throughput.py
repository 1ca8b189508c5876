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

    t(B) grows with B, so a vectorised bisection finds it for every grid point at once.
    min_speed <= 0 means no limit (the answer is ``upper``).
    """
    smin = arr(min_speed)
    hi = np.floor(np.broadcast_to(arr(upper), np.broadcast_shapes(
        smin.shape, arr(upper).shape, *(arr(v).shape for v in step_kw.values()))).copy())
    hi = np.clip(hi, 1.0, BATCH_CAP)
    t_max = np.where(smin > 0, div(1.0, np.where(smin > 0, smin, 1.0)), np.inf)
    lo = np.zeros_like(hi)
    for _ in range(64):
        active = lo < hi
        if not active.any():
            break
        mid = np.floor((lo + hi + 1.0) / 2.0)
        t_mem, t_cmp = step_times(mid, **step_kw)
        ok = np.maximum(t_mem, t_cmp) <= t_max
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
