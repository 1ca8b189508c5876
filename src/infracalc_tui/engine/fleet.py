"""The fleet (engine-spec 'Fleet', seed: GPT-4o infrastructure calculator).

``fleet`` takes the replica candidates, picks the tensor-parallel width (the one set, or
the power of two that serves the demand with the fewest GPUs), and sizes GPUs, servers,
power, energy and money from it. Average power comes from the GPU power model (busy GPUs
at their modelled draw, idle ones at idle) unless a power load factor is set.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .finance import capital_recovery_factor
from .numeric import Array, ceil_multiple, div
from .values import Values

HOURS_PER_YEAR = 8760.0

#: Replica figures reported for the chosen width (the rest are the fleet's own).
_PER_CANDIDATE_SKIP = {"throughput.candidate_valid"}


def candidate_gpus(v: Values, c: Mapping[str, Array]) -> tuple[Array, Array]:
    """(GPUs the fleet needs with each candidate width, GPU-seconds per query)."""
    q = v("fleet.users") * v("fleet.queries_per_user_per_day")
    t_in, t_out = v("fleet.input_tokens_per_query"), v("fleet.output_tokens_per_query")
    gpu_s = t_out[..., None] / c["throughput.decode_tokens_per_s_per_gpu"] + \
        t_in[..., None] / c["throughput.prefill_tokens_per_s_per_gpu"]
    planned = q[..., None] * gpu_s / 86400.0 * (v("fleet.peak_to_average") /
                                               v("fleet.target_utilization") *
                                               (1.0 + v("fleet.redundancy")))[..., None]
    tp = c["throughput.tensor_parallel"]
    return np.maximum(ceil_multiple(planned, tp), tp), gpu_s


def choose_replica(v: Values, c: Mapping[str, Array]) -> tuple[dict[str, Array], Array]:
    """The chosen candidate's replica figures, and the GPUs of every candidate."""
    gpus, _ = candidate_gpus(v, c)
    shape = np.broadcast_shapes(np.shape(c["throughput.candidate_valid"]), gpus.shape)
    gpus = np.broadcast_to(gpus, shape)  # a sweep of gpus_per_server changes only validity
    valid = np.broadcast_to(c["throughput.candidate_valid"], shape)
    ranked = np.where(valid, gpus, np.inf)
    if v.text("serving.tensor_parallel_rule") == "smallest_fit":
        idx = np.full((*gpus.shape[:-1], 1), gpus.shape[-1] - 1)
    else:
        idx = np.argmin(ranked, axis=-1)[..., None]
    chosen = {}
    for key, a in c.items():
        if key in _PER_CANDIDATE_SKIP:
            continue
        a = np.asarray(a)
        if a.ndim == 1:  # one replica scenario (maybe a sweep of users): index directly
            chosen[key] = a[idx[..., 0]] if a.shape[0] > 1 else a[0]
            continue
        full = np.broadcast_to(a, np.broadcast_shapes(a.shape, gpus.shape))
        pick = np.broadcast_to(idx, (*full.shape[:-1], 1))
        chosen[key] = np.take_along_axis(full, pick, axis=-1)[..., 0]
    return chosen, ranked


def served_speed(v: Values, t: Mapping[str, Array], t_in: Array, t_out: Array) -> Array:
    """What a serving benchmark's 1000/TPOT sees under continuous batching: while a stream
    decodes its T_out tokens the other B-1 streams each start a query, k = (B-1)/T_out
    prompts a step. Each prompt runs whole inside one decode step (the engines' default
    token budgets hold a prompt of a few thousand tokens), so a share min(k, 1) of the steps
    carry max(1, k) prompts: those take max(memory, compute + prompts) (the prompt shares the
    step's weight read), the others max(memory, compute). Manual throughput has no roofline
    to share: its step and the prompts add up."""
    tp = t["throughput.tensor_parallel"]
    k = np.maximum(t["throughput.batch"] - 1.0, 0.0) / t_out
    prompt_ms = 1e3 * div(np.maximum(k, 1.0) * t_in,
                          tp * t["throughput.prefill_tokens_per_s_per_gpu"])
    share = np.minimum(k, 1.0)
    if v.text("serving.throughput") == "manual":
        step_ms = div(1e3, t["throughput.decode_tokens_per_s_per_stream"]) + share * prompt_ms
    else:
        mem, cmp = t["throughput.step_time_memory_ms"], t["throughput.step_time_compute_ms"]
        step_ms = (1.0 - share) * np.maximum(mem, cmp) + share * np.maximum(
            mem, cmp + prompt_ms) + t["throughput.step_time_overhead_ms"]
    return div(1e3, step_ms)


def fleet(v: Values, c: Mapping[str, Array]) -> dict[str, Array]:
    """Every throughput.* figure of the chosen replica and every fleet.* figure."""
    t, ranked = choose_replica(v, c)
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
    modelled = not v.is_set("facility.power_load_factor") and \
        v.text("serving.throughput") != "manual"
    if modelled:
        # busy GPU-seconds at the modelled energy per token; the rest of the day idle
        gpu_j_day = q * t_out * t["throughput.energy_per_output_token_j"] + \
            np.maximum(gpus * 86400.0 - q * gpu_s, 0.0) * v("gpu.idle_w")
        avg_it_w = gpu_j_day / 86400.0 + servers * v("fleet.server_power_w")
        avg_w = avg_it_w * v("facility.pue")
    else:
        factor = v("facility.power_load_factor") if v.is_set("facility.power_load_factor") \
            else 0.7
        avg_w = facility_w * factor
    energy_kwh = avg_w * HOURS_PER_YEAR / 1e3
    gpu_capex, server_capex = gpus * v("gpu.price_usd"), servers * v("fleet.server_cost_usd")
    capex = gpu_capex + server_capex
    crf = capital_recovery_factor(v("facility.discount_rate"), v("facility.lifespan_years"))
    annual_capex = capex * crf
    energy_cost = energy_kwh * v("facility.electricity_usd_per_kwh")
    other_opex = capex * v("facility.opex_pct_of_capex_per_year")
    colo = it_w / 1e3 * v("facility.colo_usd_per_kw_month") * 12.0
    annual_opex = energy_cost + other_opex + colo
    annual_cost = annual_capex + annual_opex
    tokens_year = q * 365.0 * (t_in + t_out)
    price = v("fleet.price_per_million_tokens_usd")
    revenue = np.where(price > 0, tokens_year / 1e6 * price, np.nan)
    rent = v("gpu.rent_usd_per_hour")
    out = dict(t)
    out["throughput.served_tokens_per_s_per_stream"] = served_speed(v, t, t_in, t_out)
    out.update({
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
        # extras: breakdown, replicas, power, renting instead of owning
        "fleet.replicas": gpus / tp,
        "fleet.planned_gpus": planned,
        "fleet.tokens_per_year": tokens_year,
        "fleet.power_load_factor": div(avg_w, facility_w),
        "fleet.capital_recovery_factor": crf,
        "fleet.annual_gpu_capex_usd": gpu_capex * crf,
        "fleet.annual_server_capex_usd": server_capex * crf,
        "fleet.annual_energy_cost_usd": energy_cost,
        "fleet.annual_other_opex_usd": other_opex,
        "fleet.annual_colo_usd": colo,
        "fleet.annual_rent_usd": np.where(rent > 0, gpus * rent * HOURS_PER_YEAR, np.nan),
        "fleet.gpus_by_candidate": ranked,
    })
    return out
