"""One machine you own and rent out by the minute (engine-spec 'Host', seed: Infra-Calc).

``host_capacity`` answers what the hardware can serve (memory fit, thread limits, speed per
stream, power at its threads); ``host_economics`` the money, billing only the threads the
hardware can serve, and needs no batch search, so whole price x hours x threads grids are
cheap.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .memo import memoised, scalar_key
from .numeric import Array, arr, div, safe_floor
from .power import board_power
from .replica import decode_step, model_memory, usable_memory_per_gpu
from .throughput import BATCH_CAP, largest_batch_at_speed, stream_kv_bytes, streams_in_memory
from .values import Values

DAYS_PER_MONTH = 365.0 / 12.0


#: host_capacity reads only these: a price or hours change (every host chart) reuses it
_CAPACITY_PREFIXES = ("model.", "gpu.", "serving.")
_CAPACITY_EXTRA = ("host.gpu_count", "host.multi_gpu", "pricing.concurrent_threads")
_capacity_cache: dict[tuple[Any, ...], dict[str, Array]] = {}


def host_capacity(v: Values) -> dict[str, Array]:
    """Memory fit, thread limits and per-stream speed of the host; memoised for scalar
    scenarios (the charts of the Host tab all ask for the same one)."""
    key = scalar_key(v.raw, _CAPACITY_PREFIXES, _CAPACITY_EXTRA)
    return memoised(_capacity_cache, key, lambda: _host_capacity(v))


def _host_capacity(v: Values) -> dict[str, Array]:
    m = model_memory(v)
    g = v("host.gpu_count")
    c = v("pricing.concurrent_threads")
    ctx = v("model.context_tokens")
    tensor_parallel = v.text("host.multi_gpu") == "tensor_parallel"
    speed_gpus = g if tensor_parallel else np.ones_like(g)
    step = decode_step(v, m, speed_gpus, ctx / 2.0)  # layer split: one GPU at a time
    t_mem, t_cmp, t_over = step.times(c)
    manual = v.text("serving.throughput") == "manual"
    smin = v("serving.min_tokens_per_s_per_stream")
    if manual:
        aggregate = v("serving.decode_tokens_per_s_per_gpu") * speed_gpus
        stream = aggregate / c
        threads_speed = np.where(smin > 0, safe_floor(div(aggregate, smin)), BATCH_CAP)
        # a positive speed over a positive minimum is NaN only where it overflowed: no limit
        threads_speed = np.clip(np.where(np.isfinite(threads_speed), threads_speed, BATCH_CAP),
                                0.0, BATCH_CAP)
    else:
        stream = 1.0 / (np.maximum(t_mem, t_cmp) + t_over)
        threads_speed = largest_batch_at_speed(smin, step)
    available = g * usable_memory_per_gpu(v)
    per_thread = stream_kv_bytes(ctx, m["kv"], m["layers"], m["win_layers"], m["window"])
    required = m["weights"] + c * per_thread
    threads_mem = streams_in_memory(available - m["weights"], per_thread)
    power = board_power(v("gpu.idle_w"), v("gpu.tdp_w"), t_mem, t_cmp,
                        np.maximum(t_mem, t_cmp) + t_over, v("gpu.power_k_mem"),
                        v("gpu.power_k_cmp"))
    # layer split: the GPUs take turns, each busy 1/g of a step
    gpu_w = np.where(tensor_parallel, power, v("gpu.idle_w") + (power - v("gpu.idle_w")) / g)
    return {
        "host.memory_required_gb": required / 1e9,
        "host.memory_available_gb": available / 1e9,
        "host.fits_in_memory": required <= available,
        "host.max_threads": np.minimum(threads_mem, threads_speed),
        "host.decode_tokens_per_s_per_stream": stream,
        "host.max_threads_memory": threads_mem,
        "host.max_threads_speed": threads_speed,
        "host.kv_bytes_per_thread": per_thread,
        "host.step_time_memory_ms": t_mem * 1e3,
        "host.step_time_compute_ms": t_cmp * 1e3,
        "host.step_time_overhead_ms": t_over * 1e3,
        "host.gpu_power_w": np.minimum(gpu_w, v("gpu.tdp_w")),
    }


def host_economics(v: Values, stream_speed: ArrayLike = np.nan,
                   max_threads: ArrayLike = np.inf, gpu_power_w: ArrayLike = np.nan
                   ) -> dict[str, Array]:
    """Money of the host. Revenue bills min(threads, max_threads): a thread the hardware
    cannot serve earns nothing. ``gpu_power_w`` is used with host.power_model "modelled"."""
    g = v("host.gpu_count")
    h, c, p = (v("pricing.utilization_hours_per_day"), v("pricing.concurrent_threads"),
               v("pricing.charge_per_minute_usd"))
    billed = np.minimum(c, arr(max_threads))
    hardware = g * v("gpu.price_usd") + v("host.cpu_usd") + v("host.ram_usd") + v("host.other_usd")
    gpu_w = arr(gpu_power_w) if v.text("host.power_model") == "modelled" else v("gpu.tdp_w")
    gpu_w = np.where(np.isfinite(gpu_w), gpu_w, v("gpu.tdp_w"))
    load_kw = (g * gpu_w + v("host.system_power_w")) / 1e3
    idle_kw = v("host.idle_power_w") / 1e3
    electricity = (load_kw * h + idle_kw * (24.0 - h)) * v("host.electricity_usd_per_kwh")
    depreciation = hardware / (v("host.lifespan_years") * 365.0)
    other = v("host.other_opex_usd_per_month") * 12.0 / 365.0
    revenue = p * 60.0 * h * billed
    profit = revenue - electricity - depreciation - other
    margin = revenue - electricity - other
    cost_day = electricity + depreciation + other
    stream = arr(stream_speed)
    tokens_day = stream * billed * 3600.0 * h
    return {
        "host.hardware_cost_usd": hardware,
        "host.billed_threads": billed,
        "host.revenue_usd_per_day": revenue,
        "host.electricity_usd_per_day": electricity,
        "host.depreciation_usd_per_day": depreciation,
        "host.other_opex_usd_per_day": other,
        "host.profit_usd_per_day": profit,
        "host.profit_usd_per_month": profit * DAYS_PER_MONTH,
        "host.break_even_days": np.where(margin > 0, div(hardware, margin), np.nan),
        "host.roi_pct": div(profit * 365.0 * v("host.lifespan_years"), hardware) * 100.0,
        "host.min_price_per_minute_usd": div(cost_day, 60.0 * h * billed),
        "host.load_kw": load_kw,
        "host.idle_kw": idle_kw * np.ones_like(load_kw),
        "host.cost_usd_per_day": cost_day,
        "host.margin_usd_per_day": margin,
        "host.tokens_per_day": tokens_day,
        "host.cost_per_million_tokens_usd": div(cost_day, tokens_day / 1e6),
        "host.price_per_million_tokens_usd": div(p * 1e6, stream * 60.0),
    }
