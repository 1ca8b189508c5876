"""Sensitivity: which inputs move a figure most (the data of a tornado chart).

Each input is swung down and up, by a fraction of its value (clamped to its allowed range)
or over a range the caller gives, with every other input at the scenario's value; all 2N
points go through the engine in one vectorised call (each input an array of 2N values that
differs from the scenario only in its own two slots).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import evaluate
from .numeric import Array, to_python


@dataclass(frozen=True)
class Swing:
    """One input: its low and high values and the figure at each (None: undefined)."""

    key: str
    low_input: float
    high_input: float
    low: float | None
    high: float | None
    swing: float | None  # |high − low|, None when either is undefined


@dataclass(frozen=True)
class Swingable:
    """An input that may be swung: its value and the range it is allowed."""

    key: str
    value: float
    lo: float | None
    hi: float | None
    integer: bool = False


def swing_points(inp: Swingable, delta: float, given: tuple[float, float] | None = None
                 ) -> tuple[float, float]:
    """(low, high) input values: ``given``, or value × (1 ∓ delta) clamped to the range."""
    if given is not None:
        lo, hi = given
    else:
        lo, hi = sorted((inp.value * (1.0 - delta), inp.value * (1.0 + delta)))
    lo = max(lo, inp.lo) if inp.lo is not None else lo
    hi = min(hi, inp.hi) if inp.hi is not None else hi
    if inp.integer:
        lo, hi = float(np.ceil(lo - 1e-9)), float(np.floor(hi + 1e-9))
    return lo, hi


def sensitivity(inputs: Mapping[str, Any], metric: str, swingable: Sequence[Swingable],
                delta: float = 0.2, ranges: Mapping[str, tuple[float, float]] | None = None
                ) -> tuple[float | None, list[Swing]]:
    """(the figure at the scenario, every input's swing, largest first; inputs that do not
    move it, and those whose swing is undefined, last)."""
    ranges = ranges or {}
    points = [(s, *swing_points(s, delta, ranges.get(s.key))) for s in swingable]
    points = [(s, lo, hi) for s, lo, hi in points if hi > lo]
    n = len(points)
    values = dict(inputs)
    for j, (s, lo, hi) in enumerate(points):
        column = np.full(2 * n + 1, s.value, dtype=float)
        column[2 * j], column[2 * j + 1] = lo, hi
        values[s.key] = column
    with np.errstate(all="ignore"):
        out = evaluate(values)
    y: Array = np.broadcast_to(np.asarray(out[metric], dtype=float), (2 * n + 1,))
    base = to_python(y[-1])  # the last point is the scenario itself
    swings = []
    for j, (s, lo, hi) in enumerate(points):
        low, high = to_python(y[2 * j]), to_python(y[2 * j + 1])
        width = abs(high - low) if low is not None and high is not None else None
        swings.append(Swing(s.key, lo, hi, low, high, width))
    swings.sort(key=lambda w: (w.swing is None, -(w.swing or 0.0)))
    return base, swings
