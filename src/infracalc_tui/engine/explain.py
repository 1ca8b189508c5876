"""How each figure was computed: the formula, the scenario's numbers in it, the source.

Every formula here is a Python expression over named inputs and outputs, so
``explain`` can show it, substitute the scenario's numbers into it, and the
tests can evaluate it and check that it gives the engine's own figure: an
explanation cannot silently disagree with the number it explains.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .outputs import OUTPUTS

Namespace = Mapping[str, Any]

SRC_ROOFLINE = ("Roofline model (Williams et al., CACM 2009) applied to decode as in kipply, "
                "'Transformer Inference Arithmetic' (2022); engine-spec 'Throughput'")
SRC_FLOPS = "~2 FLOPs per active parameter per token (EleutherAI, 'Transformer Math 101')"
SRC_KV = ("KV cache = 2 (K and V) x layers x KV heads x head_dim x bytes per value, GQA aware "
          "(kipply 2022); engine-spec 'Throughput'")
SRC_FLEET = "engine-spec 'Fleet' (seed: GPT-4o infrastructure calculator)"
SRC_CRF = "Capital recovery factor r(1+r)^n/((1+r)^n-1), any engineering economics text"
SRC_HOST = "engine-spec 'Host' (seed: Infra-Calc)"


@dataclass(frozen=True, slots=True)
class Formula:
    expr: str | Callable[[Namespace], str]
    source: str
    note: str = ""

    def expression(self, ns: Namespace) -> str:
        return self.expr(ns) if callable(self.expr) else self.expr


@dataclass(frozen=True, slots=True)
class Explanation:
    key: str
    label: str
    value: Any
    unit: str
    formula: str  # e.g. "servers = ceil(gpus / gpus_per_server)"
    substituted: str  # e.g. "= ceil(4,096 / 8) = 512"
    source: str
    note: str = ""

    def text(self) -> str:
        lines = [f"{self.label} ({self.key})", f"  {self.formula}", f"  {self.substituted}"]
        if self.note:
            lines.append(f"  note: {self.note}")
        lines.append(f"  source: {self.source}")
        return "\n".join(lines)


# Short names used in formulas. A key whose last part is unique among inputs and
# outputs goes by that part; the others by section_key.
def short_names(paths: list[str]) -> dict[str, str]:
    counts: dict[str, int] = {}
    for p in paths:
        counts[p.split(".", 1)[1]] = counts.get(p.split(".", 1)[1], 0) + 1
    return {p: (k if counts[k] == 1 else p.replace(".", "_"))
            for p in paths for k in [p.split(".", 1)[1]]}


def namespace(values: Mapping[str, Any], report: Mapping[str, Any]) -> dict[str, Any]:
    """Short name -> value for every input and every report figure."""
    flat: dict[str, Any] = {k: v for k, v in values.items() if not k.endswith(".preset")}
    for section in ("throughput", "fleet", "host"):
        for key, value in report[section].items():
            flat[f"{section}.{key}"] = value
    names = short_names(list(flat))
    return {names[p]: v for p, v in flat.items()}


def _kv(ns: Namespace) -> str:
    if (ns["model_kv_bytes_per_token"] or 0) > 0:
        return "model_kv_bytes_per_token"
    if (ns["kv_values_per_token"] or 0) > 0:
        return "kv_values_per_token * kv_bits / 8"
    if ns["sliding_window_layers"] > 0 and ns["sliding_window_tokens"] > 0:
        return ("2 * (layers - sliding_window_layers + sliding_window_layers * "
                "min(1, sliding_window_tokens / context_tokens)) * kv_heads * head_dim * "
                "kv_bits / 8")
    return "2 * layers * kv_heads * head_dim * kv_bits / 8"


def _tp(ns: Namespace) -> str:
    if ns["serving_tensor_parallel"] > 0:
        return "serving_tensor_parallel"
    return ("2 ** ceil(log2(max(1, (weights_gb * 1e9 + context_tokens * "
            "throughput_kv_bytes_per_token) / (usable_memory_per_gpu_gb * 1e9))))")


def _manual(ns: Namespace) -> bool:
    return ns["throughput"] == "manual"


def _host_gpus(ns: Namespace) -> str:
    return "gpu_count * " if ns["multi_gpu"] == "tensor_parallel" else ""


def _straight_line(ns: Namespace) -> bool:
    """Rates this small change the annuity by < 1e-9: show the straight-line formula."""
    return not ns["discount_rate"] * ns["facility_lifespan_years"] >= 1e-9


def _annual_capex(ns: Namespace) -> str:
    if _straight_line(ns):
        return "capex_usd / facility_lifespan_years"
    return ("capex_usd * discount_rate * (1 + discount_rate) ** facility_lifespan_years / "
            "((1 + discount_rate) ** facility_lifespan_years - 1)")


FORMULAS: dict[str, Formula] = {
    "throughput.weights_gb": Formula("total_params_b * 1e9 * weight_bits / 8 / 1e9",
                                     "weights W = N x weight_bits / 8; engine-spec 'Throughput'"),
    "throughput.kv_bytes_per_token": Formula(
        _kv, SRC_KV, "MLA caches one compressed vector per layer (no factor 2); "
        "sliding-window layers hold at most their window"),
    "throughput.usable_memory_per_gpu_gb": Formula("memory_gb * memory_utilization",
                                                   "engine-spec 'Throughput': M"),
    "throughput.tensor_parallel": Formula(
        _tp, "engine-spec 'Throughput': smallest power of two holding the weights and one "
        "full-context stream", "0 in serving.tensor_parallel means automatic"),
    "throughput.batch_memory_limit": Formula(
        "min(1e9, max(0, floor((throughput_tensor_parallel * usable_memory_per_gpu_gb * 1e9 - "
        "weights_gb * 1e9) / (context_tokens * throughput_kv_bytes_per_token))))",
        "engine-spec 'Throughput': B x context_tokens x kv <= TP x M - W"),
    "throughput.batch": Formula(
        "max(1, min(batch_memory_limit, batch_speed_limit, batch_cap))",
        "engine-spec 'Throughput': the largest batch that fits and keeps every stream fast "
        "enough", "batch_speed_limit is the largest B with 1/t(B) >= "
        "min_tokens_per_s_per_stream (t grows with B; found by bisection); batch_cap is "
        "max_batch, or 1e9 when 0"),
    "throughput.step_time_memory_ms": Formula(
        "(weights_gb * 1e9 * (1 - (1 - active_params_b / total_params_b) ** batch) + batch * "
        "avg_tokens_per_stream * throughput_kv_bytes_per_token) / (throughput_tensor_parallel * "
        "bandwidth_tb_s * 1e12 * mbu) * 1e3", SRC_ROOFLINE,
        "a batch of MoE tokens touches W x (1 - (1 - A/N)^B) of the weights; dense: all"),
    "throughput.step_time_compute_ms": Formula(
        "2 * active_params_b * 1e9 * batch / (throughput_tensor_parallel * tflops * 1e12 * mfu)"
        " * 1e3", SRC_FLOPS),
    "throughput.step_time_ms": Formula(
        "max(throughput_step_time_memory_ms, throughput_step_time_compute_ms)", SRC_ROOFLINE),
    "throughput.decode_tokens_per_s_per_stream": Formula(
        lambda ns: ("serving_decode_tokens_per_s_per_gpu * throughput_tensor_parallel / batch"
                    if _manual(ns) else "1000 / step_time_ms"), SRC_ROOFLINE),
    "throughput.decode_tokens_per_s_per_gpu": Formula(
        lambda ns: ("serving_decode_tokens_per_s_per_gpu" if _manual(ns) else
                    "batch / (step_time_ms / 1000 * throughput_tensor_parallel)"), SRC_ROOFLINE),
    "throughput.prefill_tokens_per_s_per_gpu": Formula(
        lambda ns: ("serving_prefill_tokens_per_s_per_gpu"
                    if _manual(ns) and (ns["serving_prefill_tokens_per_s_per_gpu"] or 0) > 0
                    else "tflops * 1e12 * mfu / (2 * active_params_b * 1e9)"), SRC_FLOPS),
    "throughput.bound": Formula(
        lambda ns: ("'manual'" if _manual(ns) else
                    "'memory' if throughput_step_time_memory_ms >= throughput_step_time_compute_ms "
                    "else 'compute'"),
        SRC_ROOFLINE),
    "fleet.queries_per_day": Formula("users * queries_per_user_per_day", SRC_FLEET),
    "fleet.gpu_seconds_per_query": Formula(
        "output_tokens_per_query / throughput_decode_tokens_per_s_per_gpu + "
        "input_tokens_per_query / throughput_prefill_tokens_per_s_per_gpu", SRC_FLEET),
    "fleet.avg_busy_gpus": Formula("queries_per_day * gpu_seconds_per_query / 86400", SRC_FLEET),
    "fleet.gpus": Formula(
        "max(ceil(avg_busy_gpus * peak_to_average / target_utilization * (1 + redundancy) / "
        "throughput_tensor_parallel) * throughput_tensor_parallel, throughput_tensor_parallel)",
        SRC_FLEET, "rounded up to whole replicas of throughput_tensor_parallel GPUs"),
    "fleet.servers": Formula("ceil(gpus / gpus_per_server)", SRC_FLEET),
    "fleet.it_power_mw": Formula("(gpus * tdp_w + servers * server_power_w) / 1e6", SRC_FLEET),
    "fleet.facility_power_mw": Formula("it_power_mw * pue", SRC_FLEET),
    "fleet.avg_facility_power_mw": Formula("facility_power_mw * power_load_factor", SRC_FLEET),
    "fleet.energy_gwh_per_year": Formula("avg_facility_power_mw * 8760 / 1e3", SRC_FLEET),
    "fleet.energy_per_query_wh": Formula("avg_facility_power_mw * 1e6 * 24 / queries_per_day",
                                         SRC_FLEET, "fleet average, idle headroom included"),
    "fleet.capex_usd": Formula("gpus * price_usd + servers * server_cost_usd", SRC_FLEET),
    "fleet.capital_recovery_factor": Formula(
        lambda ns: ("1 / facility_lifespan_years" if _straight_line(ns) else
                    "discount_rate * (1 + discount_rate) ** facility_lifespan_years / "
                    "((1 + discount_rate) ** facility_lifespan_years - 1)"), SRC_CRF),
    "fleet.annual_capex_usd": Formula(_annual_capex, SRC_CRF,
                                      "straight-line when discount_rate is 0"),
    "fleet.annual_opex_usd": Formula(
        "energy_gwh_per_year * 1e6 * facility_electricity_usd_per_kwh + capex_usd * "
        "opex_pct_of_capex_per_year", SRC_FLEET),
    "fleet.annual_cost_usd": Formula("annual_capex_usd + annual_opex_usd", SRC_FLEET),
    "fleet.cost_per_million_tokens_usd": Formula(
        "annual_cost_usd / (queries_per_day * 365 * (input_tokens_per_query + "
        "output_tokens_per_query) / 1e6)", SRC_FLEET, "input and output tokens together"),
    "fleet.cost_per_user_per_month_usd": Formula("annual_cost_usd / 12 / users", SRC_FLEET),
    "fleet.cost_per_query_usd": Formula("annual_cost_usd / (queries_per_day * 365)", SRC_FLEET),
    "fleet.annual_revenue_usd": Formula(
        "queries_per_day * 365 * (input_tokens_per_query + output_tokens_per_query) / 1e6 * "
        "fleet_price_per_million_tokens_usd", SRC_FLEET, "null when no price is set"),
    "fleet.annual_profit_usd": Formula("annual_revenue_usd - annual_cost_usd", SRC_FLEET),
    "fleet.annual_rent_usd": Formula("gpus * rent_usd_per_hour * 8760",
                                     "renting the same GPUs around the clock",
                                     "null when gpu.rent_usd_per_hour is not set"),
    "host.hardware_cost_usd": Formula("gpu_count * price_usd + cpu_usd + ram_usd + other_usd",
                                      SRC_HOST),
    "host.memory_required_gb": Formula(
        "weights_gb + concurrent_threads * context_tokens * throughput_kv_bytes_per_token / 1e9",
        SRC_HOST, "every thread reserves a full context of KV cache"),
    "host.memory_available_gb": Formula("gpu_count * memory_gb * memory_utilization", SRC_HOST),
    "host.fits_in_memory": Formula("memory_required_gb <= memory_available_gb", SRC_HOST),
    "host.max_threads_memory": Formula(
        "min(1e9, max(0, floor((memory_available_gb - weights_gb) * 1e9 / (context_tokens * "
        "throughput_kv_bytes_per_token))))", SRC_HOST),
    "host.max_threads": Formula(
        "max(0, min(max_threads_memory, max_threads_speed))", SRC_HOST,
        "max_threads_speed is the largest c whose per-stream speed stays >= "
        "min_tokens_per_s_per_stream (bisection)"),
    "host.step_time_memory_ms": Formula(
        lambda ns: ("(weights_gb * 1e9 * (1 - (1 - active_params_b / total_params_b) ** "
                    "concurrent_threads) + concurrent_threads * context_tokens / 2 * "
                    f"throughput_kv_bytes_per_token) / ({_host_gpus(ns)}bandwidth_tb_s * 1e12 * "
                    "mbu) * 1e3"), SRC_ROOFLINE,
        "layer_split: GPUs take turns, so one GPU's bandwidth; tensor_parallel: they add"),
    "host.step_time_compute_ms": Formula(
        lambda ns: (f"2 * active_params_b * 1e9 * concurrent_threads / ({_host_gpus(ns)}"
                    "tflops * 1e12 * mfu) * 1e3"), SRC_FLOPS),
    "host.decode_tokens_per_s_per_stream": Formula(
        lambda ns: (f"serving_decode_tokens_per_s_per_gpu * {_host_gpus(ns)}1 / "
                    "concurrent_threads" if _manual(ns) else
                    "1000 / max(host_step_time_memory_ms, host_step_time_compute_ms)"),
        SRC_ROOFLINE),
    "host.revenue_usd_per_day": Formula(
        "charge_per_minute_usd * 60 * utilization_hours_per_day * concurrent_threads", SRC_HOST),
    "host.load_kw": Formula("(gpu_count * tdp_w + system_power_w) / 1000", SRC_HOST),
    "host.electricity_usd_per_day": Formula(
        "(load_kw * utilization_hours_per_day + idle_kw * (24 - utilization_hours_per_day)) * "
        "host_electricity_usd_per_kwh", SRC_HOST),
    "host.depreciation_usd_per_day": Formula("hardware_cost_usd / (host_lifespan_years * 365)",
                                             SRC_HOST, "straight-line"),
    "host.other_opex_usd_per_day": Formula("other_opex_usd_per_month * 12 / 365", SRC_HOST),
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
        "(electricity_usd_per_day + depreciation_usd_per_day + other_opex_usd_per_day) / "
        "(60 * utilization_hours_per_day * concurrent_threads)", SRC_HOST,
        "the price at which profit per day is exactly 0; null with 0 hours of use"),
    "host.cost_per_million_tokens_usd": Formula(
        "(electricity_usd_per_day + depreciation_usd_per_day + other_opex_usd_per_day) / "
        "(host_decode_tokens_per_s_per_stream * concurrent_threads * 3600 * "
        "utilization_hours_per_day / 1e6)", SRC_HOST, "output tokens only"),
    "host.price_per_million_tokens_usd": Formula(
        "charge_per_minute_usd * 1e6 / (host_decode_tokens_per_s_per_stream * 60)", SRC_HOST,
        "what a minute of one stream earns, per 1M tokens it generates"),
}

_FUNCS: dict[str, Any] = {"ceil": math.ceil, "floor": math.floor, "max": max, "min": min,
                          "log2": math.log2}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def evaluate_formula(expr: str, ns: Namespace) -> Any:
    """The value of a formula over the namespace (used by tests and the substitution)."""
    code = compile(expr, "<formula>", "eval")
    return eval(code, {"__builtins__": {}}, {**_FUNCS, **ns})


def explainable() -> list[str]:
    return list(FORMULAS)


def explain(key: str, values: Mapping[str, Any], report: Mapping[str, Any]) -> Explanation:
    """The explanation of report figure ``key`` (dotted, e.g. ``fleet.gpus``)."""
    if key not in FORMULAS:
        raise KeyError(f"no explanation for {key!r}; explainable: {', '.join(FORMULAS)}")
    ns = namespace(values, report)
    f = FORMULAS[key]
    expr = f.expression(ns)
    section, name = key.split(".", 1)
    value = report[section][name]
    out = OUTPUTS.get(key)
    short = short_names(list(_all_paths(values, report)))[key]
    shown = _display(expr)
    return Explanation(
        key=key, label=out.label if out else name, value=value, unit=out.unit if out else "",
        formula=f"{short} = {shown}", substituted=f"= {_substitute(expr, ns)} = {_num(value)}",
        source=f.source, note=f.note)


def _all_paths(values: Mapping[str, Any], report: Mapping[str, Any]) -> list[str]:
    paths = [k for k in values if not k.endswith(".preset")]
    for section in ("throughput", "fleet", "host"):
        paths += [f"{section}.{k}" for k in report[section]]
    return paths


def _display(expr: str) -> str:
    return expr.replace("**", "^").replace(" * ", " · ")


def _substitute(expr: str, ns: Namespace) -> str:
    def repl(m: re.Match[str]) -> str:
        name = m.group(0)
        if name in _FUNCS or name not in ns:
            return name
        return _num(ns[name])

    # string literals ('memory') stay as they are
    parts = re.split(r"('[^']*')", expr)
    return _display("".join(p if p.startswith("'") else _IDENT.sub(repl, p) for p in parts))


def _num(x: Any) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, str):
        return x
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e6):
        return str(int(x))
    text = f"{x:.4g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
