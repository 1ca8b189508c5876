"""Roofline estimate of LLM decode and prefill, with the costs the roofline leaves out.

A decode step reads the weights the batch touches plus each stream's KV cache, and does
2 FLOPs per active parameter per token plus the attention over the tokens held; it takes
the longer of the two (Williams et al., Roofline, 2009; kipply, Transformer Inference
Arithmetic, 2022), plus what no roofline sees: a fixed cost per step and per layer
(kernel launches, sampling, scheduling) and two tensor-parallel all-reduces per layer.
The batch is the largest that fits in memory and still gives every stream the minimum
speed. Every function broadcasts over numpy arrays, so a whole grid is one call.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .numeric import FLOOR_SLACK, Array, arr, div, safe_floor

#: Largest batch (or thread count) the engine searches; keeps the search bounded.
BATCH_CAP = 1_000_000_000.0


def weights_bytes(total_params_b: ArrayLike, weight_bits: ArrayLike,
                  shared_params_b: ArrayLike, shared_bits: ArrayLike) -> tuple[Array, Array]:
    """(bytes read every step, bytes of routed experts): S·shared_bits/8, (N−S)·bits/8
    (derive.py fills shared_bits with weight_bits where the file leaves it empty)."""
    n, s = arr(total_params_b) * 1e9, np.minimum(arr(shared_params_b), arr(total_params_b)) * 1e9
    return s * arr(shared_bits) / 8.0, (n - s) * arr(weight_bits) / 8.0


def kv_bytes_per_token(layers: ArrayLike, kv_heads: ArrayLike, head_dim: ArrayLike,
                       kv_bits: ArrayLike, kv_values_per_token: ArrayLike = 0.0,
                       kv_bytes_override: ArrayLike = 0.0) -> Array:
    """KV-cache bytes of one token over all layers, GQA aware: 2·layers·kv_heads·head_dim·
    kv_bits/8. ``kv_values_per_token`` (MLA: one compressed vector per layer, no factor 2)
    and ``kv_bytes_override`` replace the formula when positive. It does not depend on the
    context: sliding windows limit how many tokens a layer holds (``stream_kv_bytes``)."""
    standard = 2.0 * arr(layers) * arr(kv_heads) * arr(head_dim) * arr(kv_bits) / 8.0
    values = arr(kv_values_per_token)
    formula = np.where(values > 0, values * arr(kv_bits) / 8.0, standard)
    override = arr(kv_bytes_override)
    return np.where(override > 0, override, formula)


def window_layers(layers: ArrayLike, sliding_window_layers: ArrayLike,
                  sliding_window_tokens: ArrayLike, flat: ArrayLike) -> Array:
    """Layers that hold at most their window (0 when there is no window, or when the cache
    is given flat: an MLA vector count or an override in bytes)."""
    swl = np.minimum(arr(sliding_window_layers), arr(layers))
    return np.where((arr(sliding_window_tokens) > 0) & ~np.asarray(flat, dtype=bool), swl, 0.0)


def held_token_layers(tokens: ArrayLike, layers: ArrayLike, win_layers: ArrayLike,
                      window: ArrayLike) -> Array:
    """Token-layers a stream of ``tokens`` holds: full layers hold all, windowed layers at
    most ``window`` (min(tokens, window), not tokens·window/context)."""
    n, w = arr(tokens), arr(window)
    return (arr(layers) - arr(win_layers)) * n + arr(win_layers) * np.minimum(n, w)


def stream_kv_bytes(tokens: ArrayLike, kv_per_token: ArrayLike, layers: ArrayLike,
                    win_layers: ArrayLike, window: ArrayLike) -> Array:
    """KV bytes of one stream holding ``tokens``: kv per token x held token-layers / layers."""
    return arr(kv_per_token) * div(held_token_layers(tokens, layers, win_layers, window),
                                   arr(layers))


def mean_attended(prompt: ArrayLike, layers: ArrayLike, win_layers: ArrayLike,
                  window: ArrayLike) -> Array:
    """Token-layers one prompt token attends to on average in prefill (causal): a full
    layer L/2; a windowed one min(p, w) averaged over p < L, i.e. L/2 when L <= w, else
    w − w²/(2L)."""
    n, w = arr(prompt), arr(window)
    # where n <= w the first branch is taken, so the second's 0/0 (n = 0) is never used
    windowed = np.where(n <= w, n / 2.0, w - div(w * w, 2.0 * n))
    return (arr(layers) - arr(win_layers)) * n / 2.0 + arr(win_layers) * windowed


@dataclass(frozen=True)
class Step:
    """One replica's decode step, as functions of the batch B (every field an array).

    t(B) = max(t_mem, t_cmp) + fixed + per_stream·B with
    t_mem = (w_shared + w_routed·(1 − (1 − routed_fraction)^B) + B·kv_read) / bandwidth,
    t_cmp = B·flops_per_token / flops.
    """

    w_shared: Array  # bytes read every step
    w_routed: Array  # bytes of routed experts (a batch touches 1 − (1 − f)^B of them)
    routed_fraction: Array
    kv_read: Array  # KV bytes read per stream per step
    bandwidth: Array  # achieved bytes/s of the replica: TP·BW·mbu
    flops_per_token: Array  # 2·A + attention
    flops: Array  # achieved FLOP/s of the replica: TP·F·mfu
    fixed: Array  # s per step: overhead + layers·per-layer + all-reduce latencies
    per_stream: Array  # s per step per stream: all-reduce bytes

    def times(self, batch: ArrayLike) -> tuple[Array, Array, Array]:
        """(memory time, compute time, overhead time) of one step for ``batch``."""
        b = arr(batch)
        touched = 1.0 - np.power(1.0 - self.routed_fraction, b)
        t_mem = (self.w_shared + self.w_routed * touched + b * self.kv_read) / self.bandwidth
        t_cmp = b * self.flops_per_token / self.flops
        return t_mem, t_cmp, self.fixed + b * self.per_stream

    def total(self, batch: ArrayLike) -> Array:
        t_mem, t_cmp, t_over = self.times(batch)
        return np.maximum(t_mem, t_cmp) + t_over


def largest_batch_at_speed(min_speed: ArrayLike, step: Step) -> Array:
    """Largest integer B in [1, BATCH_CAP] whose per-stream speed 1/t(B) >= min_speed; 0 if
    none.

    Without routed experts t(B) is piecewise linear in B, so B is a closed form (checked one
    step either way against rounding). With them the weights read grow with B: the closed
    forms with all of them and with none bracket B, and a vectorised bisection closes the
    bracket only where it is open. min_speed <= 0 means no limit (the answer is BATCH_CAP).
    """
    smin = arr(min_speed)
    fields = (step.w_shared, step.w_routed, step.routed_fraction, step.kv_read,
              step.bandwidth, step.flops_per_token, step.flops, step.fixed, step.per_stream)
    shape = np.broadcast_shapes(smin.shape, *(f.shape for f in fields))
    hi = np.full(shape, BATCH_CAP)
    # 1/0 and 1/(a denormal speed) are inf: no limit, as is a speed <= 0
    with np.errstate(divide="ignore", over="ignore"):
        t_max = np.broadcast_to(np.where(smin > 0, 1.0 / smin, np.inf), shape)
    budget = t_max - step.fixed  # time left for the roofline and per-stream costs
    per_token_mem = step.kv_read + step.per_stream * step.bandwidth
    per_token_cmp = step.flops_per_token / step.flops + step.per_stream

    def closed(weights_read: Array) -> Array:
        """Largest B with max((w + B·kv)/bw, B·c/F) + fixed + B·per_stream <= t_max."""
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            room = budget * step.bandwidth - weights_read
            mem = np.where(per_token_mem > 0, room / per_token_mem,
                           np.where(room >= 0, np.inf, -1.0))
            cmp = np.where(per_token_cmp > 0, budget / per_token_cmp,
                           np.where(budget >= 0, np.inf, -1.0))
            b = np.floor(np.minimum(mem, cmp))
        b = np.where(np.isnan(b), 0.0, b)
        return np.clip(b, 0.0, hi)

    routed = np.broadcast_to((step.routed_fraction < 1.0) & (step.w_routed > 0), shape)
    lo = closed(np.broadcast_to(step.w_shared + step.w_routed, shape))  # all read: lower bound
    top = np.where(routed, np.minimum(closed(np.broadcast_to(step.w_shared + 0.0 * step.w_routed,
                                                             shape)) + 1.0, hi), lo)
    # rounding in the closed forms: step down while infeasible, up while the next one fits
    lo = np.where((lo >= 1.0) & (step.total(np.maximum(lo, 1.0)) > t_max), lo - 1.0, lo)
    nxt = np.minimum(lo + 1.0, hi)
    lo = np.where((nxt > lo) & (step.total(nxt) <= t_max), nxt, lo)
    hi = np.maximum(np.where(routed, top, lo), lo)
    for _ in range(64):
        active = lo < hi
        if not active.any():
            break
        mid = np.floor((lo + hi + 1.0) / 2.0)
        ok = step.total(mid) <= t_max
        lo = np.where(active & ok, mid, lo)
        hi = np.where(active & ~ok, mid - 1.0, hi)
    return lo


def streams_in_memory(free_bytes: ArrayLike, bytes_per_stream: ArrayLike) -> Array:
    """How many streams of ``bytes_per_stream`` fit in ``free_bytes`` (0 if none; capped)."""
    per_stream = arr(bytes_per_stream)
    free = arr(free_bytes)
    n = safe_floor(div(free, per_stream))
    n = np.where(per_stream > 0, n, np.where(free >= 0, BATCH_CAP, 0.0))
    n = np.where(np.isfinite(n), n, 0.0)
    return np.clip(n, 0.0, BATCH_CAP)


def smallest_fit_tensor_parallel(weights: ArrayLike, stream_bytes: ArrayLike,
                                 usable_memory_per_gpu: ArrayLike) -> Array:
    """Smallest power of two TP with W + one stream's KV <= TP·M (engine-spec's rule), with
    the float slack ``streams_in_memory`` forgives: a width it gives one stream is a fit."""
    need = div(arr(weights) + arr(stream_bytes) * (1.0 - FLOOR_SLACK), usable_memory_per_gpu)
    need = np.where(np.isfinite(need), need, 1.0)
    fit = 2.0 ** np.ceil(np.log2(np.maximum(need, 1.0)) - 1e-12)
    # W + S rounds away the slack when S is ~1e-7 of W: the width must hold a stream by
    # streams_in_memory's own count (TP·M − W), or the next power of two does
    free = fit * arr(usable_memory_per_gpu) - arr(weights)
    return np.where(streams_in_memory(free, stream_bytes) >= 1, fit, 2.0 * fit)
