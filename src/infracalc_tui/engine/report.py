"""The report contract: every figure as plain JSON values, plus warnings in words.

``build_report`` evaluates scalar scenario values once and shapes the result
as ``engine-spec.md`` "Report" describes: NaN and infinity become ``null``
(with a warning saying why), counts become integers, flags booleans; it names the serving
engine used, why the replica has the width it has, and how the figures are grounded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .evaluate import evaluate
from .numeric import to_python
from .outputs import OUTPUTS
from .warnings import warnings

SECTIONS = ("throughput", "fleet", "host")
#: engine figures the report leaves out (per-candidate arrays, intermediates): nor does sweep
INTERNAL = {"throughput.memory_bound", "throughput.estimated_decode_tokens_per_s_per_gpu",
            "fleet.gpus_by_candidate", "throughput.prefill_flops_per_token"}


def build_report(values: Mapping[str, Any], *, name: str = "", schema_version: int = 1,
                 max_context_tokens: int | None = None, grounding: tuple[str, str] = ("", ""),
                 focus: str = "") -> dict[str, Any]:
    """The report of one scenario (scalar values)."""
    raw = evaluate(values)
    report: dict[str, Any] = {"schema_version": schema_version, "name": name, "warnings": []}
    for section in SECTIONS:
        report[section] = {}
    for path, value in raw.items():
        if path in INTERNAL:
            continue
        section, key = path.split(".", 1)
        report[section][key] = _plain(path, value)
    t = report["throughput"]
    manual = values["serving.throughput"] == "manual"
    memory_bound = bool(np.asarray(raw["throughput.memory_bound"]))
    t["bound"] = "manual" if manual else ("memory" if memory_bound else "compute")
    t["engine"] = values.get("serving.engine_in_use", values["serving.engine"])
    t["engine_reason"] = values.get("serving.engine_reason", "")
    t["tensor_parallel_reason"] = tensor_parallel_reason(values, raw, t["tensor_parallel"])
    t["grounding"] = grounding[0] or "not stated"
    t["grounding_summary"] = grounding[1] or "not stated"
    best = None
    if values["serving.tensor_parallel"] > 0 and not manual and focus != "host":
        best = _best_width_for(values)
    report["warnings"] = warnings(values, report, max_context_tokens, best)
    return report


_best: dict[tuple[Any, ...], tuple[int, float] | None] = {}


def _best_width_for(values: Mapping[str, Any]) -> tuple[int, float] | None:
    """The automatic width for a scenario whose width is set (for the hint); memoised, as a
    keystroke on a price or a host key must not pay for a second fleet evaluation."""
    key = tuple(sorted((k, v) for k, v in values.items() if not k.startswith(("host.",
                                                                            "pricing."))))
    if key not in _best:
        if len(_best) >= 64:
            _best.pop(next(iter(_best)))
        _best[key] = _best_width(evaluate({**values, "serving.tensor_parallel": 0}))
    return _best[key]


def _best_width(raw: Mapping[str, Any]) -> tuple[int, float] | None:
    """(width, GPUs) of the candidate that needs the fewest GPUs, when several were tried."""
    ranked = np.asarray(raw["fleet.gpus_by_candidate"])
    if ranked.shape[-1] < 2 or not np.isfinite(ranked).any():
        return None
    i = int(np.argmin(ranked))  # candidates: 1, 2, 4, ... then the smallest fit
    width = 2 ** i if i < ranked.shape[-1] - 1 else \
        int(np.asarray(raw["throughput.smallest_fit_tensor_parallel"]))
    return width, float(ranked[i])


def tensor_parallel_reason(values: Mapping[str, Any], raw: Mapping[str, Any], tp: int) -> str:
    """Why the replica has ``tp`` GPUs, with the GPUs each width would need."""
    if values["serving.tensor_parallel"] > 0:
        return f"set in serving.tensor_parallel ({tp} GPUs per replica)"
    ranked = np.asarray(raw["fleet.gpus_by_candidate"])
    fit = int(np.asarray(raw["throughput.smallest_fit_tensor_parallel"]))
    if values["serving.tensor_parallel_rule"] == "smallest_fit":
        return f"automatic, smallest_fit: {fit} GPU(s) per replica hold the weights and one stream"
    # the last candidate is the fit again; a width below the fit holds no stream (inf)
    tried = [f"{2 ** i}: {ranked[i]:,.0f}" for i in range(ranked.shape[-1] - 1)
             if np.isfinite(ranked[i])]
    return (f"automatic, fewest_gpus: {tp} GPU(s) per replica serve the fleet with the fewest "
            f"GPUs (GPUs by width: {'; '.join(tried)})")


def _plain(path: str, value: Any) -> Any:
    a = np.asarray(value)
    if a.dtype == bool:
        return bool(a)
    number = to_python(a)
    out = OUTPUTS.get(path)
    if number is not None and out is not None and out.integer:
        return round(number)
    return number
