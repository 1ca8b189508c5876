"""Pin the model to a measurement of your own: back-solve the efficiency knobs.

A measured decode speed sets the achieved bandwidth fraction (``serving.mbu``) where the
step is memory-bound, the FLOPS fraction (``serving.mfu``) where it is compute-bound, and,
when even full bandwidth is too slow for it, lowers the fixed cost per step
(``serving.step_overhead_ms``); a measured prefill rate sets ``serving.prefill_mfu``. Each
knob is solved by one vectorised evaluation over a grid of its values (then a finer grid
around the best), so a calibration costs a few engine calls, not a loop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import evaluate

#: What each measurable figure calibrates, in the order they are solved.
DECODE = ("throughput.decode_tokens_per_s_per_stream", "throughput.decode_tokens_per_s_per_gpu",
          "throughput.step_time_ms", "host.decode_tokens_per_s_per_stream",
          "throughput.served_tokens_per_s_per_stream")  # a serving benchmark's 1000/TPOT
PREFILL = ("throughput.prefill_tokens_per_s_per_gpu",)
MEASURABLE = DECODE + PREFILL
_RANGES = {"serving.mbu": (0.01, 1.0), "serving.mfu": (0.01, 1.0),
           "serving.prefill_mfu": (0.01, 1.0), "serving.step_overhead_ms": (0.0, 1000.0)}


@dataclass(frozen=True)
class Calibration:
    knobs: dict[str, float]  # the fitted values, by scenario key
    predicted: dict[str, float]  # each measured figure as the calibrated scenario gives it
    residual_pct: dict[str, float]  # predicted / measured − 1, in %


def calibrate(values: Mapping[str, Any], measured: Mapping[str, float]) -> Calibration:
    """Knob values that reproduce ``measured`` (figure key -> value) for ``values``."""
    current = dict(values)
    knobs: dict[str, float] = {}
    for key, target in measured.items():
        for knob in _knobs_for(key, current):
            best = _solve(current, knob, key, target)
            current[knob] = best
            knobs[knob] = best
            if abs(_figure(evaluate(current), key) / target - 1.0) < 1e-3:
                break
    out = evaluate(current)
    predicted = {k: _figure(out, k) for k in measured}
    return Calibration(knobs, predicted,
                       {k: (predicted[k] / v - 1.0) * 100.0 for k, v in measured.items()})


def _knobs_for(key: str, values: Mapping[str, Any]) -> tuple[str, ...]:
    if key in PREFILL:
        return ("serving.prefill_mfu",)
    out = evaluate(values)
    prefix = "host" if key.startswith("host.") else "throughput"
    memory_bound = float(np.asarray(out[f"{prefix}.step_time_memory_ms"])) >= \
        float(np.asarray(out[f"{prefix}.step_time_compute_ms"]))
    first = "serving.mbu" if memory_bound else "serving.mfu"
    if key == "throughput.served_tokens_per_s_per_stream":  # the others' prompts slow it too
        return (first, "serving.prefill_mfu", "serving.step_overhead_ms")
    return (first, "serving.step_overhead_ms")


def _figure(out: Mapping[str, Any], key: str) -> float:
    return float(np.asarray(out[key]))


def _solve(values: Mapping[str, Any], knob: str, key: str, target: float) -> float:
    """The knob value whose figure is closest to ``target`` (log error), grid then refine."""
    lo, hi = _RANGES[knob]
    grid = np.linspace(lo, hi, 201)
    for _ in range(3):
        figure = np.asarray(evaluate({**values, knob: grid})[key], dtype=float)
        err = np.abs(np.log(np.maximum(np.broadcast_to(figure, grid.shape), 1e-300) / target))
        i = int(np.nanargmin(err))
        step = grid[1] - grid[0]
        grid = np.linspace(max(lo, grid[i] - step), min(hi, grid[i] + step), 201)
    return float(grid[100])  # the middle of the last window: the best point, refined
