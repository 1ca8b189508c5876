"""The formula of every explained figure, with the source of each term.

Each formula is a Python expression over the short names of the scenario's inputs and the
report's figures (``explain.namespace``), or a function of the scenario returning one when
the engine's arithmetic branches (a dense or mixture-of-experts model, a paged or reserved
KV cache, estimated or manual throughput, one GPU or several). The tests evaluate every
expression over random scenarios and compare it with the engine's figure. A figure that a
search finds (the batch the minimum speed allows, the replica width with the fewest GPUs)
is stated as its rule, with checks that the value meets it (``Formula.rule``/``checks``).

Function names an expression may use are ``explain._FUNCS``: ``ceil`` and ``floor`` forgive
float noise as the engine does (``numeric.safe_floor``, ``ceil_multiple``), ``ceil_pow2(x)``
is the smallest power of two >= max(1, x).
"""

from __future__ import annotations

from collections.abc import Callable

from .formula_parts import (
    _FIT_TP,
    CAP,
    SERVED,
    SERVED_MANUAL,
    SRC_ATTENTION,
    SRC_CRF,
    SRC_EFFICIENCY,
    SRC_ENGINE,
    SRC_FLEET,
    SRC_FLOPS,
    SRC_HOST,
    SRC_KV,
    SRC_MOE,
    SRC_OVERHEAD,
    SRC_PAGED,
    SRC_POWER,
    SRC_ROOFLINE,
    SRC_SERVED,
    SRC_TP,
    SRC_WEIGHTS,
    SRC_WINDOW,
    Check,
    Formula,
    Namespace,
    _beyond,
    _dense,
    _host_tp,
    _manual,
    _over_note,
    _pos,
    _replica,
    _roofline_only,
    _speed_checks,
    _speed_limit,
    _speed_note,
    _speed_rule,
    _stream_kv,
    _t_cmp,
    _t_mem,
    _t_over,
    _tp_expr,
    _tp_rule,
    _windowed,
)
from .formulas_analysis import ANALYSIS_FORMULAS

# -- throughput -------------------------------------------------------------------------


def _weights(ns: Namespace) -> str:
    if _dense(ns):
        bits = "weight_bits" if ns["shared_weight_bits"] == ns["weight_bits"] else \
            "shared_weight_bits"
        return f"total_params_b * {bits} / 8"
    if ns["shared_params_b"] == 0:
        return "total_params_b * weight_bits / 8"
    return ("shared_params_b * shared_weight_bits / 8 + (total_params_b - shared_params_b) * "
            "weight_bits / 8")


def _kv(ns: Namespace) -> str:
    if _pos(ns, "model_kv_bytes_per_token"):
        return "model_kv_bytes_per_token"
    if _pos(ns, "kv_values_per_token"):
        return "kv_values_per_token * kv_bits / 8"
    return "2 * layers * kv_heads * head_dim * kv_bits / 8"


def _kv_note(ns: Namespace) -> str:
    if _pos(ns, "model_kv_bytes_per_token"):
        return "set in model.kv_bytes_per_token (the cache taken as flat: no windows)"
    if _pos(ns, "kv_values_per_token"):
        return "MLA: one compressed vector per layer, no factor 2 (flat: no windows)"
    note = "per token over all layers; it does not depend on the context"
    if _windowed(ns):
        note += "; sliding-window layers limit the tokens held (kv_bytes_per_stream)"
    return note


def _kv_tokens(ns: Namespace) -> str:
    if ns["kv_cache_in_use"] == "paged":
        return ("ceil((input_tokens_per_query + output_tokens_per_query) / kv_block_tokens) * "
                "kv_block_tokens")
    return "max(context_tokens, input_tokens_per_query + output_tokens_per_query)"


def _kv_tokens_held(ns: Namespace) -> str:
    """kv_tokens_per_stream, or its formula where the report rounds a fractional count."""
    query = ns["input_tokens_per_query"] + ns["output_tokens_per_query"]
    if ns["kv_cache_in_use"] == "paged" or max(ns["context_tokens"], query) == \
            ns["kv_tokens_per_stream"]:
        return "kv_tokens_per_stream"
    return f"({_kv_tokens(ns)})"


def _kv_tokens_note(ns: Namespace) -> str:
    if ns["kv_cache_in_use"] == "paged":
        return (f"{ns['engine_in_use']}: a paged cache holds the query's tokens (input and all "
                f"output) in blocks of {ns['kv_block_tokens']:g}")
    return ("a reserved cache sets aside a full context per stream (or the query, when it "
            "is longer)")


def _window_note(ns: Namespace) -> str:
    return "windowed layers hold min(tokens, sliding_window_tokens)" if _windowed(ns) else ""


def _prefill(ns: Namespace) -> str:
    if _manual(ns) and _pos(ns, "serving_prefill_tokens_per_s_per_gpu"):
        return "serving_prefill_tokens_per_s_per_gpu"
    if _roofline_only(ns):
        return "tflops * 1e12 * prefill_mfu / (2 * active_params_b * 1e9)"
    n = "input_tokens_per_query"
    if not _windowed(ns):
        attended = f"layers * {n} / 2"
    elif ns[n] <= ns["sliding_window_tokens"]:
        attended = (f"(layers - sliding_window_layers) * {n} / 2 + sliding_window_layers * "
                    f"{n} / 2")
    else:
        attended = (f"(layers - sliding_window_layers) * {n} / 2 + sliding_window_layers * "
                    f"(sliding_window_tokens - sliding_window_tokens ** 2 / (2 * {n}))")
    return (f"tflops * 1e12 * prefill_mfu / (2 * active_params_b * 1e9 + 4 * attention_heads * "
            f"head_dim * {_beyond(ns)}({attended}))")


def _prefill_note(ns: Namespace) -> str:
    if _manual(ns) and _pos(ns, "serving_prefill_tokens_per_s_per_gpu"):
        return "manual throughput"
    if _roofline_only(ns):
        return "generic engine: weights only, no attention FLOPs"
    return ("a prompt token attends on average to half the prompt per full layer (causal); "
            "a windowed layer to min(position, window) averaged over the prompt")


def _board_power(t_mem: str, t_cmp: str, t_step: str) -> Callable[[Namespace], str]:
    def expr(ns: Namespace) -> str:
        idle = "idle_w" if ns["idle_w"] <= ns["tdp_w"] else "min(idle_w, tdp_w)"
        step = t_step if t_step.isidentifier() else f"({t_step})"
        return (f"{idle} + (tdp_w - {idle}) * min(1, (power_k_mem * {t_mem} + power_k_cmp * "
                f"{t_cmp}) / {step})")
    return expr


_THROUGHPUT_POWER = _board_power("throughput_step_time_memory_ms",
                                 "throughput_step_time_compute_ms", "step_time_ms")
_HOST_POWER = _board_power("host_step_time_memory_ms", "host_step_time_compute_ms",
                           "max(host_step_time_memory_ms, host_step_time_compute_ms) + "
                           "host_step_time_overhead_ms")


def _energy(ns: Namespace) -> str:
    idle = "idle_w" if ns["idle_w"] <= ns["tdp_w"] else "min(idle_w, tdp_w)"
    return ("throughput_gpu_power_w * throughput_tensor_parallel * (step_time_ms / 1000) / batch"
            " +"
            f" ({idle} + (tdp_w - {idle}) * min(1, power_k_cmp)) * input_tokens_per_query / "
            "throughput_prefill_tokens_per_s_per_gpu / output_tokens_per_query")


def _energy_note(ns: Namespace) -> str:
    note = ("a token's share of a decode step on TP GPUs, plus its query's prefill (at the "
            "power of a compute-bound GPU) spread over the output tokens")
    if _manual(ns):
        note += ("; manual throughput: the decode term uses the estimated step time and "
                 "power, not the manual speed")
    return note


# -- fleet ------------------------------------------------------------------------------


def _modelled_fleet_power(ns: Namespace) -> bool:
    return ns["facility_power_load_factor"] is None and not _manual(ns)


_FACILITY_W = "(gpus * tdp_w + servers * server_power_w) * pue"
_MODELLED_W = ("((queries_per_day * output_tokens_per_query * energy_per_output_token_j + "
               "max(0, gpus * 86400 - queries_per_day * gpu_seconds_per_query) * idle_w) / "
               "86400 + servers * server_power_w) * pue")


def _avg_power(ns: Namespace) -> str:
    if _modelled_fleet_power(ns):
        return f"{_MODELLED_W} / 1e6"
    if ns["facility_power_load_factor"] is None:
        return "facility_power_mw * 0.7"
    return "facility_power_mw * facility_power_load_factor"


def _load_factor(ns: Namespace) -> str:
    if not _modelled_fleet_power(ns):
        factor = "0.7" if ns["facility_power_load_factor"] is None else \
            "facility_power_load_factor"
        if ns["facility_power_mw"] < 1e-290:  # the engine's ratio, in watts
            return f"{_FACILITY_W} * {factor} / ({_FACILITY_W})"
        return factor
    if ns["facility_power_mw"] < 1e-290:  # in MW it underflows: the ratio in watts
        return f"{_MODELLED_W} / ({_FACILITY_W})"
    return "avg_facility_power_mw / facility_power_mw"


def _avg_power_note(ns: Namespace) -> str:
    if _modelled_fleet_power(ns):
        return ("modelled: a day's busy GPU-seconds at the energy per output token (decode and "
                "prefill), the GPUs' remaining seconds at idle_w, servers at server_power_w")
    if ns["facility_power_load_factor"] is None:
        return "manual throughput has no step times to model power from: load factor 0.7"
    return "facility.power_load_factor set"


def _straight_line(ns: Namespace) -> bool:
    """Rates this small change the annuity by < 1e-9: show the straight-line formula."""
    return not ns["facility_discount_rate"] * ns["facility_lifespan_years"] >= 1e-9


def _crf(ns: Namespace) -> str:
    if _straight_line(ns):
        return "1 / facility_lifespan_years"
    return ("facility_discount_rate * (1 + facility_discount_rate) ** facility_lifespan_years"
            " / ((1 + facility_discount_rate) ** facility_lifespan_years - 1)")


def _annual_capex(ns: Namespace) -> str:
    if _straight_line(ns):
        return "capex_usd / facility_lifespan_years"
    return f"capex_usd * {_crf(ns)}"


# -- host -------------------------------------------------------------------------------


def _times_gpus(ns: Namespace) -> str:
    return " * gpu_count" if _host_tp(ns) else ""


def _host_speed(ns: Namespace) -> str:
    if _manual(ns):
        return f"serving_decode_tokens_per_s_per_gpu{_times_gpus(ns)} / concurrent_threads"
    return ("1000 / (max(host_step_time_memory_ms, host_step_time_compute_ms) + "
            "host_step_time_overhead_ms)")


def _host_gpu_power(ns: Namespace) -> str:
    one = _HOST_POWER(ns)
    if _host_tp(ns):
        return one
    return f"min(tdp_w, idle_w + ({one} - idle_w) / gpu_count)"


def _load_kw(ns: Namespace) -> str:
    if ns["power_model"] == "modelled" and ns["host_gpu_power_w"] is not None:
        return "(gpu_count * host_gpu_power_w + system_power_w) / 1000"
    return "(gpu_count * tdp_w + system_power_w) / 1000"


_SPLIT_NOTE = "layer_split: GPUs take turns, so one GPU's bandwidth; tensor_parallel: they add"
_COSTS = "(electricity_usd_per_day + depreciation_usd_per_day + other_opex_usd_per_day)"

FORMULAS: dict[str, Formula] = {
    # -- model in memory
    "throughput.weights_gb": Formula(_weights, SRC_WEIGHTS,
                                     "billions of parameters x bits / 8 = GB"),
    "throughput.kv_bytes_per_token": Formula(_kv, SRC_KV, _kv_note),
    "throughput.usable_memory_per_gpu_gb": Formula(
        "memory_gb * memory_share * memory_utilization",
        "engine-spec 'Throughput': M; memory_share: the GPU's part of unified memory"),
    "throughput.avg_tokens_per_stream": Formula(
        "input_tokens_per_query + output_tokens_per_query / 2",
        "engine-spec 'Throughput': a stream holds its prompt and, on average, half its output"),
    "throughput.kv_tokens_per_stream": Formula(_kv_tokens, SRC_PAGED, _kv_tokens_note),
    "throughput.kv_bytes_per_stream": Formula(
        lambda ns: _stream_kv(ns, _kv_tokens_held(ns)), f"{SRC_KV}; {SRC_WINDOW}",
        _window_note),
    "throughput.kv_read_bytes_per_stream": Formula(
        lambda ns: _stream_kv(ns, "avg_tokens_per_stream"), f"{SRC_KV}; {SRC_WINDOW}",
        lambda ns: "each step reads the KV cache of the tokens a stream holds on average" +
        (f"; {_window_note(ns)}" if _windowed(ns) else "")),
    # -- replica width and batch
    "throughput.smallest_fit_tensor_parallel": Formula(
        _FIT_TP, SRC_TP, "the smallest power of two whose memory holds the weights and one "
        "stream's KV cache (kv_bytes_per_stream)"),
    "throughput.tensor_parallel": Formula(_tp_expr, SRC_TP,
                                          lambda ns: ns["tensor_parallel_reason"], rule=_tp_rule),
    "throughput.batch_memory_limit": Formula(
        f"min({CAP}, max(0, floor((throughput_tensor_parallel * usable_memory_per_gpu_gb * 1e9 -"
        " weights_gb * 1e9) / kv_bytes_per_stream)))",
        "engine-spec 'Throughput': B x kv_bytes_per_stream <= TP x M - W"),
    "throughput.batch_speed_limit": Formula(
        _speed_limit("batch_speed_limit",
                     lambda ns: "serving_decode_tokens_per_s_per_gpu * throughput_tensor_parallel"),
        SRC_ROOFLINE, _speed_note, rule=_speed_rule("B", False),
        checks=_speed_checks("batch_speed_limit", False)),
    "throughput.batch_cap": Formula("max_batch", "serving.max_batch", "null when 0 (no cap)"),
    "throughput.batch": Formula(
        lambda ns: ("max(1, min(batch_memory_limit, batch_speed_limit, batch_cap))"
                    if ns["max_batch"] > 0 else
                    "max(1, min(batch_memory_limit, batch_speed_limit))"),
        "engine-spec 'Throughput': the largest batch that fits and keeps every stream fast "
        "enough", "at least 1: a replica always serves one stream"),
    # -- decode step
    "throughput.step_time_memory_ms": Formula(
        lambda ns: _t_mem(ns, _replica(ns, False), "batch"), f"{SRC_ROOFLINE}; {SRC_MOE}",
        lambda ns: "dense: all weights every step" if _dense(ns) else
        "the shared parameters every step; of the routed experts, the share the batch touches"),
    "throughput.step_time_compute_ms": Formula(
        lambda ns: _t_cmp(ns, _replica(ns, False), "batch"), f"{SRC_FLOPS}; {SRC_ATTENTION}",
        lambda ns: "generic engine: the plain roofline, no attention FLOPs"
        if _roofline_only(ns) else "attention over the tokens a stream holds on average"),
    "throughput.step_time_overhead_ms": Formula(
        lambda ns: _t_over(ns, _replica(ns, False), "batch"), SRC_OVERHEAD,
        lambda ns: _over_note(ns, False)),
    "throughput.step_time_ms": Formula(
        "max(throughput_step_time_memory_ms, throughput_step_time_compute_ms) + "
        "throughput_step_time_overhead_ms", f"{SRC_ROOFLINE}; {SRC_OVERHEAD}",
        "the longer of reading memory and computing, plus the time outside the roofline"),
    "throughput.bound": Formula(
        lambda ns: ("'manual'" if _manual(ns) else
                    "'memory' if throughput_step_time_memory_ms >= throughput_step_time_compute_ms "
                    "else 'compute'"), SRC_ROOFLINE),
    "throughput.decode_tokens_per_s_per_stream": Formula(
        lambda ns: ("serving_decode_tokens_per_s_per_gpu * throughput_tensor_parallel / batch"
                    if _manual(ns) else "1000 / step_time_ms"), SRC_ROOFLINE,
        lambda ns: "manual throughput: the replica's speed shared by its streams"
        if _manual(ns) else ""),
    "throughput.served_tokens_per_s_per_stream": Formula(
        lambda ns: SERVED_MANUAL if _manual(ns) else SERVED, SRC_SERVED,
        lambda ns: "manual throughput: the step and the prompts add up" if _manual(ns) else
        "while a stream decodes its output_tokens_per_query tokens, the other batch - 1 "
        "streams each start a query: k a step. A prompt runs whole inside one step, sharing "
        "its weight read; min(1, k) of the steps carry max(1, k) prompts (what 1000/TPOT "
        "measures; a stream's own prompt is its time to first token)"),
    "throughput.decode_tokens_per_s_per_gpu": Formula(
        lambda ns: ("serving_decode_tokens_per_s_per_gpu" if _manual(ns) else
                    "batch / (step_time_ms / 1000 * throughput_tensor_parallel)"), SRC_ROOFLINE),
    "throughput.prefill_tokens_per_s_per_gpu": Formula(
        _prefill, f"{SRC_FLOPS}; {SRC_ATTENTION}; {SRC_EFFICIENCY}", _prefill_note),
    "throughput.gpu_power_w": Formula(_THROUGHPUT_POWER, SRC_POWER,
                                      "idle capped at TDP; the fixed costs count as waiting"),
    "throughput.energy_per_output_token_j": Formula(_energy, SRC_POWER, _energy_note),
    "throughput.engine": Formula("engine_in_use", SRC_ENGINE,
                                 lambda ns: ns["serving_engine_reason"]),
    # -- fleet
    "fleet.queries_per_day": Formula("users * queries_per_user_per_day", SRC_FLEET),
    "fleet.gpu_seconds_per_query": Formula(
        "output_tokens_per_query / throughput_decode_tokens_per_s_per_gpu + "
        "input_tokens_per_query / throughput_prefill_tokens_per_s_per_gpu", SRC_FLEET),
    "fleet.avg_busy_gpus": Formula("queries_per_day * gpu_seconds_per_query / 86400", SRC_FLEET),
    "fleet.planned_gpus": Formula(
        "avg_busy_gpus * peak_to_average / target_utilization * (1 + redundancy)", SRC_FLEET),
    "fleet.gpus": Formula(
        "max(ceil(planned_gpus / throughput_tensor_parallel) * throughput_tensor_parallel, "
        "throughput_tensor_parallel)",
        SRC_FLEET, "rounded up to whole replicas of throughput_tensor_parallel GPUs"),
    "fleet.replicas": Formula("gpus / throughput_tensor_parallel", SRC_FLEET),
    "fleet.servers": Formula("ceil(gpus / gpus_per_server)", SRC_FLEET),
    "fleet.it_power_mw": Formula("(gpus * tdp_w + servers * server_power_w) / 1e6", SRC_FLEET,
                                 "nameplate: every GPU at its board power"),
    "fleet.facility_power_mw": Formula("it_power_mw * pue", SRC_FLEET),
    "fleet.avg_facility_power_mw": Formula(_avg_power, f"{SRC_FLEET}; {SRC_POWER}",
                                           _avg_power_note),
    "fleet.power_load_factor": Formula(_load_factor, f"{SRC_FLEET}; {SRC_POWER}",
                                       _avg_power_note),
    "fleet.energy_gwh_per_year": Formula("avg_facility_power_mw * 8760 / 1e3", SRC_FLEET),
    "fleet.energy_per_query_wh": Formula("avg_facility_power_mw * 1e6 * 24 / queries_per_day",
                                         SRC_FLEET, "fleet average, idle headroom included"),
    "fleet.capex_usd": Formula("gpus * price_usd + servers * server_cost_usd", SRC_FLEET),
    "fleet.capital_recovery_factor": Formula(_crf, SRC_CRF),
    "fleet.annual_capex_usd": Formula(_annual_capex, SRC_CRF,
                                      "straight-line when discount_rate is 0"),
    "fleet.annual_gpu_capex_usd": Formula("gpus * price_usd * capital_recovery_factor", SRC_CRF),
    "fleet.annual_server_capex_usd": Formula("servers * server_cost_usd * capital_recovery_factor",
                                             SRC_CRF),
    "fleet.annual_energy_cost_usd": Formula(
        "energy_gwh_per_year * 1e6 * facility_electricity_usd_per_kwh", SRC_FLEET),
    "fleet.annual_other_opex_usd": Formula("capex_usd * opex_pct_of_capex_per_year", SRC_FLEET),
    "fleet.annual_colo_usd": Formula(
        "it_power_mw * 1e3 * colo_usd_per_kw_month * 12",
        "colocation priced per kW of IT nameplate per month (facility.colo_usd_per_kw_month)"),
    "fleet.annual_opex_usd": Formula(
        "energy_gwh_per_year * 1e6 * facility_electricity_usd_per_kwh + capex_usd * "
        "opex_pct_of_capex_per_year + it_power_mw * 1e3 * colo_usd_per_kw_month * 12", SRC_FLEET,
        "energy, other opex and colocation"),
    "fleet.annual_cost_usd": Formula("annual_capex_usd + annual_opex_usd", SRC_FLEET),
    "fleet.tokens_per_year": Formula(
        "queries_per_day * 365 * (input_tokens_per_query + output_tokens_per_query)", SRC_FLEET),
    "fleet.cost_per_million_tokens_usd": Formula(
        "annual_cost_usd / (tokens_per_year / 1e6)", SRC_FLEET, "input and output tokens together"),
    "fleet.cost_per_user_per_month_usd": Formula("annual_cost_usd / 12 / users", SRC_FLEET),
    "fleet.cost_per_query_usd": Formula("annual_cost_usd / (queries_per_day * 365)", SRC_FLEET),
    "fleet.annual_revenue_usd": Formula(
        "tokens_per_year / 1e6 * fleet_price_per_million_tokens_usd", SRC_FLEET,
        "null when no price is set"),
    "fleet.annual_profit_usd": Formula("annual_revenue_usd - annual_cost_usd", SRC_FLEET),
    "fleet.annual_rent_usd": Formula("gpus * rent_usd_per_hour * 8760",
                                     "renting the same GPUs around the clock",
                                     "null when gpu.rent_usd_per_hour is not set"),
    # -- host: capacity
    "host.hardware_cost_usd": Formula("gpu_count * price_usd + cpu_usd + ram_usd + other_usd",
                                      SRC_HOST),
    "host.kv_bytes_per_thread": Formula(
        lambda ns: _stream_kv(ns, "context_tokens"), f"{SRC_HOST}; {SRC_KV}; {SRC_WINDOW}",
        lambda ns: "every thread reserves a full context of KV cache" +
        (f"; {_window_note(ns)}" if _windowed(ns) else "")),
    "host.memory_required_gb": Formula(
        "weights_gb + concurrent_threads * kv_bytes_per_thread / 1e9", SRC_HOST),
    "host.memory_available_gb": Formula("gpu_count * memory_gb * memory_share * "
                                        "memory_utilization", SRC_HOST),
    "host.fits_in_memory": Formula("memory_required_gb <= memory_available_gb", SRC_HOST),
    "host.max_threads_memory": Formula(
        f"min({CAP}, max(0, floor((memory_available_gb - weights_gb) * 1e9 / "
        "kv_bytes_per_thread)))", SRC_HOST),
    "host.max_threads_speed": Formula(
        _speed_limit("max_threads_speed",
                     lambda ns: f"serving_decode_tokens_per_s_per_gpu{_times_gpus(ns)}"),
        f"{SRC_HOST}; {SRC_ROOFLINE}", _speed_note,
        rule=_speed_rule("c", True),
        checks=_speed_checks("max_threads_speed", True)),
    "host.max_threads": Formula("max(0, min(max_threads_memory, max_threads_speed))", SRC_HOST),
    "host.step_time_memory_ms": Formula(
        lambda ns: _t_mem(ns, _replica(ns, True), "concurrent_threads"),
        f"{SRC_ROOFLINE}; {SRC_MOE}", f"{_SPLIT_NOTE}; a thread holds half its context"),
    "host.step_time_compute_ms": Formula(
        lambda ns: _t_cmp(ns, _replica(ns, True), "concurrent_threads"),
        f"{SRC_FLOPS}; {SRC_ATTENTION}", _SPLIT_NOTE),
    "host.step_time_overhead_ms": Formula(
        lambda ns: _t_over(ns, _replica(ns, True), "concurrent_threads"), SRC_OVERHEAD,
        lambda ns: _over_note(ns, True)),
    "host.decode_tokens_per_s_per_stream": Formula(_host_speed, SRC_ROOFLINE),
    "host.gpu_power_w": Formula(
        _host_gpu_power, SRC_POWER,
        lambda ns: "tensor_parallel: every GPU busy every step" if _host_tp(ns) else
        "layer_split: each GPU busy 1/gpu_count of a step, idle the rest"),
    # -- host: money
    "host.billed_threads": Formula("min(concurrent_threads, max_threads)", SRC_HOST,
                                   "a thread the hardware cannot serve earns nothing"),
    "host.revenue_usd_per_day": Formula(
        "charge_per_minute_usd * 60 * utilization_hours_per_day * billed_threads", SRC_HOST),
    "host.load_kw": Formula(_load_kw, SRC_HOST,
                            lambda ns: "host.power_model modelled: the GPUs at their modelled "
                            "draw" if ns["power_model"] == "modelled" else
                            "GPUs at their board power while in use"),
    "host.idle_kw": Formula("idle_power_w / 1000", SRC_HOST),
    "host.electricity_usd_per_day": Formula(
        "(load_kw * utilization_hours_per_day + idle_kw * (24 - utilization_hours_per_day)) * "
        "host_electricity_usd_per_kwh", SRC_HOST),
    "host.depreciation_usd_per_day": Formula("hardware_cost_usd / (host_lifespan_years * 365)",
                                             SRC_HOST, "straight-line"),
    "host.other_opex_usd_per_day": Formula("other_opex_usd_per_month * 12 / 365", SRC_HOST),
    "host.cost_usd_per_day": Formula(_COSTS[1:-1], SRC_HOST),
    "host.margin_usd_per_day": Formula(
        "revenue_usd_per_day - electricity_usd_per_day - other_opex_usd_per_day", SRC_HOST,
        "cash margin: before depreciation"),
    "host.profit_usd_per_day": Formula(
        "revenue_usd_per_day - electricity_usd_per_day - depreciation_usd_per_day - "
        "other_opex_usd_per_day", SRC_HOST),
    "host.profit_usd_per_month": Formula("profit_usd_per_day * 365 / 12", SRC_HOST),
    "host.break_even_days": Formula(
        "hardware_cost_usd / (revenue_usd_per_day - electricity_usd_per_day - "
        "other_opex_usd_per_day)", SRC_HOST,
        "null (never) when revenue does not cover electricity and running costs"),
    "host.roi_pct": Formula("profit_usd_per_day * 365 * host_lifespan_years / hardware_cost_usd"
                            " * 100", SRC_HOST),
    "host.min_price_per_minute_usd": Formula(
        f"{_COSTS} / (60 * utilization_hours_per_day * billed_threads)", SRC_HOST,
        "the price at which profit per day is exactly 0; null with 0 hours or no thread served"),
    "host.tokens_per_day": Formula(
        "host_decode_tokens_per_s_per_stream * billed_threads * 3600 * utilization_hours_per_day",
        SRC_HOST, "output tokens of the billed threads"),
    "host.cost_per_million_tokens_usd": Formula(
        f"{_COSTS} / (tokens_per_day / 1e6)", SRC_HOST, "output tokens only"),
    "host.price_per_million_tokens_usd": Formula(
        "charge_per_minute_usd * 1e6 / (host_decode_tokens_per_s_per_stream * 60)", SRC_HOST,
        "what a minute of one stream earns, per 1M tokens it generates"),
}
FORMULAS.update(ANALYSIS_FORMULAS)

__all__ = ["FORMULAS", "Check", "Formula", "Namespace"]
