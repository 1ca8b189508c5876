"""The whole model in one vectorised pass: scenario values in, every figure out.

``evaluate`` takes resolved scenario values keyed by their dotted names (any of
them may be a numpy array; they broadcast together) and returns every output
keyed by its dotted report name, plus the intermediates the explanations
quote. Formulas follow ``engine-spec.md`` section by section.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from .finance import capital_recovery_factor
from .numeric import Array, arr, ceil_multiple, div
from .throughput import (
    BATCH_CAP,
    auto_tensor_parallel,
    kv_bytes_per_token,
    largest_batch_at_speed,
    step_times,
    streams_in_memory,
    weights_bytes,
)

HOURS_PER_YEAR = 8760.0
DAYS_PER_MONTH = 365.0 / 12.0


def evaluate(p: Mapping[str, Any]) -> dict[str, Array]:
    """Every figure of the report for the values in ``p`` (see module docstring)."""
    v = Values(p)
    out: dict[str, Array] = {}
    out.update(throughput(v))
    out.update(fleet(v, out))
    out.update(_host(v))
    return out


class Values:
    """Typed access to the scenario values; numbers come back as float arrays."""

    def __init__(self, p: Mapping[str, Any]) -> None:
        self._p = p

    def __call__(self, key: str) -> Array:
        value = self._p[key]
        return arr(0.0 if value is None else value)

    def text(self, key: str) -> str:
        return str(self._p[key])


def _model_bytes(v: Values) -> tuple[Array, Array, Array, Array]:
    n = v("model.total_params_b") * 1e9
    a = v("model.active_params_b") * 1e9
    w = weights_bytes(v("model.total_params_b"), v("model.weight_bits"))
    kv = kv_bytes_per_token(
        v("model.layers"), v("model.kv_heads"), v("model.head_dim"), v("model.kv_bits"),
        v("model.context_tokens"), v("model.sliding_window_layers"),
        v("model.sliding_window_tokens"), v("model.kv_values_per_token"),
        v("model.kv_bytes_per_token"))
    return n, a, w, kv


# throughput reads only these: a change elsewhere (users, prices, hours) reuses its result
_THROUGHPUT_PREFIXES = ("model.", "gpu.", "serving.")
_THROUGHPUT_EXTRA = ("fleet.input_tokens_per_query", "fleet.output_tokens_per_query")
_throughput_cache: dict[tuple[Any, ...], dict[str, Array]] = {}
_CACHE_SIZE = 64


def throughput_key(p: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """Everything throughput reads, as a dict key; None when one of them is an array (a
    sweep over throughput's own inputs is computed, not looked up)."""
    keys = [k for k in p if k.startswith(_THROUGHPUT_PREFIXES)] + list(_THROUGHPUT_EXTRA)
    if not all(isinstance(p.get(k), (int, float, str, type(None))) for k in keys):
        return None
    return tuple(sorted((k, p.get(k)) for k in keys))


def throughput(v: Values) -> dict[str, Array]:
    """Roofline throughput of one replica; memoised for scalar scenarios (the TUI's case:
    a chart sweep or a price edit asks again for the same model, GPU and serving)."""
    key = throughput_key(v._p)
    if key is None:
        return _throughput(v)
    hit = _throughput_cache.get(key)
    if hit is None:
        if len(_throughput_cache) >= _CACHE_SIZE:
            _throughput_cache.pop(next(iter(_throughput_cache)))
        hit = _throughput(v)
        for a in hit.values():
            if isinstance(a, np.ndarray):
                a.flags.writeable = False  # shared between callers: nobody may change it
        _throughput_cache[key] = hit
    return dict(hit)


def _throughput(v: Values) -> dict[str, Array]:
    n, a, w, kv = _model_bytes(v)
    ctx = v("model.context_tokens")
    usable = v("gpu.memory_gb") * 1e9 * v("serving.memory_utilization")
    bw, flops = v("gpu.bandwidth_tb_s") * 1e12, v("gpu.tflops") * 1e12
    mbu, mfu = v("serving.mbu"), v("serving.mfu")
    tp_set = v("serving.tensor_parallel")
    tp = np.where(tp_set > 0, tp_set, auto_tensor_parallel(w, kv, ctx, usable))
    avg_tokens = v("fleet.input_tokens_per_query") + v("fleet.output_tokens_per_query") / 2.0
    step_kw = dict(weights=w, active_fraction=a / n, kv=kv, avg_tokens=avg_tokens,
                   eff_bandwidth=tp * bw * mbu, eff_flops=tp * flops * mfu, active_params=a)

    b_mem = streams_in_memory(tp * usable - w, ctx, kv)
    b_speed = largest_batch_at_speed(v("serving.min_tokens_per_s_per_stream"), BATCH_CAP,
                                     **step_kw)
    b_cap = np.where(v("serving.max_batch") > 0, v("serving.max_batch"), BATCH_CAP)
    batch = np.maximum(1.0, np.minimum(np.minimum(b_mem, b_speed), b_cap))
    t_mem, t_cmp = step_times(batch, **step_kw)
    t_step = np.maximum(t_mem, t_cmp)

    est_decode_gpu = batch / (t_step * tp)
    est_prefill_gpu = flops * mfu / (2.0 * a)
    manual = v.text("serving.throughput") == "manual"
    if manual:
        decode_gpu = v("serving.decode_tokens_per_s_per_gpu") * np.ones_like(est_decode_gpu)
        prefill_set = v("serving.prefill_tokens_per_s_per_gpu")
        prefill_gpu = np.where(prefill_set > 0, prefill_set, est_prefill_gpu)
        stream = decode_gpu * tp / batch
    else:
        decode_gpu, prefill_gpu, stream = est_decode_gpu, est_prefill_gpu, 1.0 / t_step
    return {
        "throughput.weights_gb": w / 1e9,
        "throughput.kv_bytes_per_token": kv,
        "throughput.tensor_parallel": tp,
        "throughput.batch": batch,
        "throughput.decode_tokens_per_s_per_stream": stream,
        "throughput.decode_tokens_per_s_per_gpu": decode_gpu,
        "throughput.prefill_tokens_per_s_per_gpu": prefill_gpu,
        "throughput.memory_bound": t_mem >= t_cmp,
        # intermediates quoted by the explanations and warnings
        "throughput.usable_memory_per_gpu_gb": usable / 1e9,
        "throughput.avg_tokens_per_stream": avg_tokens * np.ones_like(batch),
        "throughput.batch_memory_limit": b_mem,
        "throughput.batch_speed_limit": b_speed,
        "throughput.batch_cap": b_cap,
        "throughput.step_time_memory_ms": t_mem * 1e3,
        "throughput.step_time_compute_ms": t_cmp * 1e3,
        "throughput.step_time_ms": t_step * 1e3,
        "throughput.estimated_decode_tokens_per_s_per_gpu": est_decode_gpu,
    }


def fleet(v: Values, t: Mapping[str, Array]) -> dict[str, Array]:
    users = v("fleet.users")
    q = users * v("fleet.queries_per_user_per_day")
    t_in, t_out = v("fleet.input_tokens_per_query"), v("fleet.output_tokens_per_query")
    tp = t["throughput.tensor_parallel"]
    gpu_s = t_out / t["throughput.decode_tokens_per_s_per_gpu"] + \
        t_in / t["throughput.prefill_tokens_per_s_per_gpu"]
    busy = q * gpu_s / 86400.0
    planned = busy * v("fleet.peak_to_average") / v("fleet.target_utilization") * \
        (1.0 + v("fleet.redundancy"))
    gpus = np.maximum(ceil_multiple(planned, tp), tp)
    servers = np.ceil(gpus / v("fleet.gpus_per_server") - 1e-9)
    it_w = gpus * v("gpu.tdp_w") + servers * v("fleet.server_power_w")
    facility_w = it_w * v("facility.pue")
    avg_w = facility_w * v("facility.power_load_factor")
    energy_kwh = avg_w * HOURS_PER_YEAR / 1e3
    gpu_capex, server_capex = gpus * v("gpu.price_usd"), servers * v("fleet.server_cost_usd")
    capex = gpu_capex + server_capex
    crf = capital_recovery_factor(v("facility.discount_rate"), v("facility.lifespan_years"))
    annual_capex = capex * crf
    energy_cost = energy_kwh * v("facility.electricity_usd_per_kwh")
    other_opex = capex * v("facility.opex_pct_of_capex_per_year")
    annual_opex = energy_cost + other_opex
    annual_cost = annual_capex + annual_opex
    tokens_year = q * 365.0 * (t_in + t_out)
    price = v("fleet.price_per_million_tokens_usd")
    revenue = np.where(price > 0, tokens_year / 1e6 * price, np.nan)
    rent = v("gpu.rent_usd_per_hour")
    return {
        "fleet.queries_per_day": q,
        "fleet.gpu_seconds_per_query": gpu_s,
        "fleet.avg_busy_gpus": busy,
        "fleet.gpus": gpus,
        "fleet.servers": servers,
        "fleet.it_power_mw": it_w / 1e6,
        "fleet.facility_power_mw": facility_w / 1e6,
        "fleet.avg_facility_power_mw": avg_w / 1e6,
        "fleet.energy_gwh_per_year": energy_kwh / 1e6,
        "fleet.energy_per_query_wh": div(avg_w * 24.0, q),
        "fleet.capex_usd": capex,
        "fleet.annual_capex_usd": annual_capex,
        "fleet.annual_opex_usd": annual_opex,
        "fleet.annual_cost_usd": annual_cost,
        "fleet.cost_per_million_tokens_usd": div(annual_cost, tokens_year / 1e6),
        "fleet.cost_per_user_per_month_usd": annual_cost / 12.0 / users,
        "fleet.cost_per_query_usd": div(annual_cost, q * 365.0),
        "fleet.annual_revenue_usd": revenue,
        "fleet.annual_profit_usd": revenue - annual_cost,
        # extras: breakdown, replicas, renting instead of owning
        "fleet.replicas": gpus / tp,
        "fleet.planned_gpus": planned,
        "fleet.tokens_per_year": tokens_year,
        "fleet.capital_recovery_factor": crf,
        "fleet.annual_gpu_capex_usd": gpu_capex * crf,
        "fleet.annual_server_capex_usd": server_capex * crf,
        "fleet.annual_energy_cost_usd": energy_cost,
        "fleet.annual_other_opex_usd": other_opex,
        "fleet.annual_rent_usd": np.where(rent > 0, gpus * rent * HOURS_PER_YEAR, np.nan),
    }


def _host(v: Values) -> dict[str, Array]:
    out = host_capacity(v)
    out.update(host_economics(v, out["host.decode_tokens_per_s_per_stream"]))
    return out


def host_capacity(v: Values) -> dict[str, Array]:
    """Memory fit, thread limits and per-stream speed of the host (engine-spec 'Host')."""
    n, a, w, kv = _model_bytes(v)
    g = v("host.gpu_count")
    c = v("pricing.concurrent_threads")
    ctx = v("model.context_tokens")
    tensor_parallel = v.text("host.multi_gpu") == "tensor_parallel"
    speed_gpus = g if tensor_parallel else np.ones_like(g)
    step_kw = dict(weights=w, active_fraction=a / n, kv=kv, avg_tokens=ctx / 2.0,
                   eff_bandwidth=speed_gpus * v("gpu.bandwidth_tb_s") * 1e12 * v("serving.mbu"),
                   eff_flops=speed_gpus * v("gpu.tflops") * 1e12 * v("serving.mfu"),
                   active_params=a)
    t_mem, t_cmp = step_times(c, **step_kw)
    if v.text("serving.throughput") == "manual":
        stream = v("serving.decode_tokens_per_s_per_gpu") * speed_gpus / c
    else:
        stream = 1.0 / np.maximum(t_mem, t_cmp)
    available = g * v("gpu.memory_gb") * 1e9 * v("serving.memory_utilization")
    required = w + c * ctx * kv
    threads_mem = streams_in_memory(available - w, ctx, kv)
    threads_speed = largest_batch_at_speed(v("serving.min_tokens_per_s_per_stream"),
                                           BATCH_CAP, **step_kw)
    return {
        "host.memory_required_gb": required / 1e9,
        "host.memory_available_gb": available / 1e9,
        "host.fits_in_memory": required <= available,
        "host.max_threads": np.minimum(threads_mem, threads_speed),
        "host.decode_tokens_per_s_per_stream": stream,
        "host.max_threads_memory": threads_mem,
        "host.max_threads_speed": threads_speed,
        "host.step_time_memory_ms": t_mem * 1e3,
        "host.step_time_compute_ms": t_cmp * 1e3,
    }


def host_economics(v: Values, stream_speed: ArrayLike = np.nan) -> dict[str, Array]:
    """Money of the host: needs no batch search, so whole price/hours/threads grids are cheap."""
    g = v("host.gpu_count")
    h, c, p = (v("pricing.utilization_hours_per_day"), v("pricing.concurrent_threads"),
               v("pricing.charge_per_minute_usd"))
    hardware = g * v("gpu.price_usd") + v("host.cpu_usd") + v("host.ram_usd") + v("host.other_usd")
    load_kw = (g * v("gpu.tdp_w") + v("host.system_power_w")) / 1e3
    idle_kw = v("host.idle_power_w") / 1e3
    electricity = (load_kw * h + idle_kw * (24.0 - h)) * v("host.electricity_usd_per_kwh")
    depreciation = hardware / (v("host.lifespan_years") * 365.0)
    other = v("host.other_opex_usd_per_month") * 12.0 / 365.0
    revenue = p * 60.0 * h * c
    profit = revenue - electricity - depreciation - other
    margin = revenue - electricity - other
    cost_day = electricity + depreciation + other
    stream = arr(stream_speed)
    tokens_day = stream * c * 3600.0 * h
    return {
        "host.hardware_cost_usd": hardware,
        "host.revenue_usd_per_day": revenue,
        "host.electricity_usd_per_day": electricity,
        "host.depreciation_usd_per_day": depreciation,
        "host.other_opex_usd_per_day": other,
        "host.profit_usd_per_day": profit,
        "host.profit_usd_per_month": profit * DAYS_PER_MONTH,
        "host.break_even_days": np.where(margin > 0, div(hardware, margin), np.nan),
        "host.roi_pct": div(profit * 365.0 * v("host.lifespan_years"), hardware) * 100.0,
        "host.min_price_per_minute_usd": div(cost_day, 60.0 * h * c),
        "host.load_kw": load_kw,
        "host.idle_kw": idle_kw * np.ones_like(load_kw),
        "host.cost_usd_per_day": cost_day,
        "host.margin_usd_per_day": margin,
        "host.tokens_per_day": tokens_day,
        "host.cost_per_million_tokens_usd": div(cost_day, tokens_day / 1e6),
        "host.price_per_million_tokens_usd": div(p * 1e6, stream * 60.0),
    }
