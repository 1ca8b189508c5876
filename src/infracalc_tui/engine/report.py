"""The report contract: every figure as plain JSON values, plus warnings in words.

``build_report`` evaluates scalar scenario values once and shapes the result
as ``engine-spec.md`` "Report" describes: NaN and infinity become ``null``
(with a warning saying why), counts become integers, flags booleans.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .evaluate import Values, evaluate, throughput, throughput_key
from .numeric import to_python
from .outputs import OUTPUTS

SECTIONS = ("throughput", "fleet", "host")
_INTERNAL = {"throughput.memory_bound", "throughput.estimated_decode_tokens_per_s_per_gpu"}


def build_report(values: Mapping[str, Any], *, name: str = "", schema_version: int = 1,
                 max_context_tokens: int | None = None) -> dict[str, Any]:
    """The report of one scenario (scalar values)."""
    raw = evaluate(values)
    report: dict[str, Any] = {"schema_version": schema_version, "name": name, "warnings": []}
    for section in SECTIONS:
        report[section] = {}
    for path, value in raw.items():
        if path in _INTERNAL:
            continue
        section, key = path.split(".", 1)
        report[section][key] = _plain(path, value)
    manual = values["serving.throughput"] == "manual"
    memory_bound = bool(np.asarray(raw["throughput.memory_bound"]))
    report["throughput"]["bound"] = "manual" if manual else (
        "memory" if memory_bound else "compute")
    report["warnings"] = warnings(values, report, max_context_tokens)
    hint = _tensor_parallel_hint(values, report)
    if hint:
        report["warnings"].append(hint)
    return report


_hints: dict[tuple[Any, ...], str | None] = {}


def _tensor_parallel_hint(values: Mapping[str, Any], r: Mapping[str, Any]) -> str | None:
    """Automatic TP holds one stream; a wider replica often serves far more per GPU.
    It reads only throughput's inputs: memoised like throughput (a sweep of three
    replica widths on every keystroke would cost more than the whole report)."""
    if values["serving.tensor_parallel"] != 0 or values["serving.throughput"] == "manual":
        return None
    key = throughput_key(values)
    if key is None:
        return _wider_replica_hint(values, r)
    if key not in _hints:
        if len(_hints) >= 64:
            _hints.pop(next(iter(_hints)))
        _hints[key] = _wider_replica_hint(values, r)
    return _hints[key]


def _wider_replica_hint(values: Mapping[str, Any], r: Mapping[str, Any]) -> str | None:
    tp = r["throughput"]["tensor_parallel"]
    wider = tp * np.array([2.0, 4.0, 8.0])
    per_gpu = throughput(Values({**values, "serving.tensor_parallel": wider}))[
        "throughput.decode_tokens_per_s_per_gpu"]
    best = int(np.argmax(per_gpu))
    now = r["throughput"]["decode_tokens_per_s_per_gpu"]
    if now and per_gpu[best] > 1.5 * now:
        return (f"Fleet: automatic tensor parallelism uses {tp} GPU(s) per replica, which "
                f"leaves little memory for the batch; {int(wider[best])} GPUs per replica would "
                f"serve {per_gpu[best] / now:.1f}x the tokens/s per GPU (set "
                f"serving.tensor_parallel = {int(wider[best])}).")
    return None


def _plain(path: str, value: Any) -> Any:
    a = np.asarray(value)
    if a.dtype == bool:
        return bool(a)
    number = to_python(a)
    out = OUTPUTS.get(path)
    if number is not None and out is not None and out.integer:
        return round(number)
    return number


def warnings(values: Mapping[str, Any], r: Mapping[str, Any],
             max_context_tokens: int | None = None) -> list[str]:
    """Plain-word warnings for what makes a figure doubtful, null or a loss."""
    t, f, h = r["throughput"], r["fleet"], r["host"]
    out: list[str] = []
    ctx = values["model.context_tokens"]
    if max_context_tokens and ctx > max_context_tokens:
        out.append(f"Model: context of {ctx:,} tokens is longer than the model's maximum "
                   f"of {max_context_tokens:,}.")
    smin = values["serving.min_tokens_per_s_per_stream"]
    if t["batch_memory_limit"] < 1:
        out.append(f"Fleet: the weights ({t['weights_gb']:.1f} GB) and one full-context stream "
                   f"do not fit in {t['tensor_parallel']} GPU(s) of "
                   f"{t['usable_memory_per_gpu_gb']:.1f} GB usable; batch forced to 1 "
                   "(raise serving.tensor_parallel or set it to 0 for automatic).")
    if smin > 0 and t["batch_speed_limit"] < 1 and values["serving.throughput"] != "manual":
        out.append(f"Fleet: even a single stream gets only "
                   f"{t['decode_tokens_per_s_per_stream']:.1f} tok/s, below the minimum of "
                   f"{smin:g} tok/s; batch forced to 1.")
    if f["annual_profit_usd"] is not None and f["annual_profit_usd"] < 0:
        out.append(f"Fleet: at ${values['fleet.price_per_million_tokens_usd']:g} per 1M tokens "
                   f"revenue does not cover the cost of ${f['cost_per_million_tokens_usd']:.3g} "
                   "per 1M tokens.")
    threads = values["pricing.concurrent_threads"]
    if not h["fits_in_memory"]:
        if t["weights_gb"] > h["memory_available_gb"]:
            out.append(f"Host: does not fit in memory: the weights alone need "
                       f"{t['weights_gb']:.1f} GB, the host has "
                       f"{h['memory_available_gb']:.1f} GB usable.")
        else:
            out.append(f"Host: does not fit in memory: {threads} thread(s) need "
                       f"{h['memory_required_gb']:.1f} GB, the host has "
                       f"{h['memory_available_gb']:.1f} GB usable (at most "
                       f"{h['max_threads_memory']} thread(s) fit).")
    if smin > 0 and h["decode_tokens_per_s_per_stream"] is not None and \
            h["decode_tokens_per_s_per_stream"] < smin:
        out.append(f"Host: too slow per stream: {threads} thread(s) get "
                   f"{h['decode_tokens_per_s_per_stream']:.1f} tok/s each, below the minimum of "
                   f"{smin:g} tok/s.")
    hours = values["pricing.utilization_hours_per_day"]
    if hours == 0:
        out.append("Host: 0 hours of use per day: no revenue, and no price per minute can "
                   "cover the costs.")
    elif h["break_even_days"] is None:
        out.append(f"Host: never breaks even: revenue of ${h['revenue_usd_per_day']:.2f}/day "
                   f"does not cover electricity and running costs of "
                   f"${h['electricity_usd_per_day'] + h['other_opex_usd_per_day']:.2f}/day.")
    elif h["break_even_days"] > values["host.lifespan_years"] * 365:
        out.append(f"Host: pays back after {h['break_even_days']:,.0f} days, later than the "
                   f"hardware's lifespan of {values['host.lifespan_years'] * 365:,.0f} days.")
    if h["roi_pct"] is None:
        out.append("Host: hardware cost is 0, so ROI is undefined.")
    return out
