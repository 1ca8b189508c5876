"""Goal seek: the value of one input that makes one report figure reach a target.

A bracketed root find in a handful of vectorised engine calls: one call evaluates a grid of
the input over its allowed range (linear and logarithmic points, so a range of 1 to 1e12 is
searched at every scale), the sign changes of figure − target bracket the roots, and each
further call evaluates 16 points inside the bracket, shrinking it 17-fold, until it is
tight; a secant step inside the last bracket gives the value. The engine is never called
once per point. Undefined figures (NaN, the report's null) never bracket a root.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import evaluate
from .numeric import Array

GRID = 129
INNER = 16
MAX_CALLS = 14
#: |achieved − target| within this (relative; 1e-9 absolute at 0) counts as reached
TOLERANCE = 1e-11


class NoSolution(ValueError):
    """No value of the input in its range makes the figure reach the target."""


@dataclass(frozen=True)
class Solution:
    vary: str
    value: float
    target: str
    target_value: float
    achieved: float
    iterations: int  # vectorised engine calls
    #: the figure jumps over the target (a step: GPUs, replicas, whole threads): ``value`` is
    #: the last input before the jump, these the first one after it and its figure
    next_value: float | None = None
    next_achieved: float | None = None


def _figure(inputs: Mapping[str, Any], vary: str, target: str, x: Array) -> Array:
    values = dict(inputs)
    values[vary] = x
    with np.errstate(all="ignore"):
        out = evaluate(values)
    if target not in out:
        raise KeyError(target)
    y = np.asarray(out[target], dtype=float)
    return np.broadcast_to(y, x.shape).astype(float)


def grid(lo: float, hi: float, integer: bool = False, n: int = GRID) -> Array:
    """Points over [lo, hi]: evenly spaced, plus log-spaced where the range spans decades."""
    pts = [np.linspace(lo, hi, n)]
    if hi > 0:
        bottom = lo if lo > 0 else hi * 1e-9
        if hi / bottom > 100:
            pts.append(np.geomspace(bottom, hi, n))
    x = np.concatenate(pts)
    if integer:
        x = np.round(x)
    return np.unique(np.clip(x, lo, hi))


def _brackets(f: Array) -> Array:
    """Indices i with a sign change (or a zero) between f[i] and f[i+1], both defined."""
    ok = np.isfinite(f[:-1]) & np.isfinite(f[1:])
    return np.flatnonzero(ok & (np.sign(f[:-1]) * np.sign(f[1:]) <= 0))


def _describe(target: str, vary: str, y: Array, lo: float, hi: float, goal: float) -> str:
    finite = y[np.isfinite(y)]
    where = f"for {vary} in [{lo:.6g}, {hi:.6g}]"
    if not finite.size:
        return f"{target} is null (undefined) {where}; it cannot reach {goal:.6g}"
    text = f"{target} stays between {finite.min():.6g} and {finite.max():.6g} {where}"
    if finite.size < y.size:
        text += " (null at some values)"
    return f"{text}; it never reaches {goal:.6g}"


def solve(inputs: Mapping[str, Any], target: str, goal: float, vary: str, lo: float,
          hi: float, *, integer: bool = False, current: float | None = None) -> Solution:
    """The value of ``vary`` in [lo, hi] at which figure ``target`` equals ``goal``.

    ``inputs`` are the scenario's resolved inputs (derived keys None, so they follow the
    varied key as ``--set`` would). With several roots, the one nearest ``current``.
    NoSolution (with a sentence saying what the figure does over the range) when none."""
    x = grid(lo, hi, integer)
    y = _figure(inputs, vary, target, x)
    calls = 1
    f = y - goal
    found = _brackets(f)
    if not found.size:
        raise NoSolution(_describe(target, vary, y, lo, hi, goal))
    here = (lo + hi) / 2.0 if current is None else current
    i = found[np.argmin(np.abs(0.5 * (x[found] + x[found + 1]) - here))]
    a, b, fa, fb = x[i], x[i + 1], f[i], f[i + 1]
    while calls < MAX_CALLS and fa != 0 and fb != 0 and not _tight(a, b, integer):
        inner = np.linspace(a, b, INNER + 2)[1:-1]
        if integer:
            inner = np.unique(np.round(inner))
            inner = inner[(inner > a) & (inner < b)]
        else:  # the secant point too: a smooth figure is met there at once
            inner = np.sort(np.append(inner, _secant(a, b, fa, fb)))
        xs = np.concatenate(([a], inner, [b]))
        fs = np.concatenate(([fa], _figure(inputs, vary, target, inner) - goal, [fb]))
        calls += 1
        hit = np.flatnonzero(_reached(fs + goal, goal))
        if hit.size:
            k = hit[np.argmin(np.abs(fs[hit]))]
            return Solution(vary, float(xs[k]), target, goal, float(fs[k] + goal), calls)
        j = _brackets(fs)
        if not j.size:  # NaN appeared inside: keep the bracket found so far
            break
        k = j[0]
        a, b, fa, fb = xs[k], xs[k + 1], fs[k], fs[k + 1]
    if fa == 0 or fb == 0:
        value = a if fa == 0 else b
    elif integer:
        value = a
    else:
        value = _secant(a, b, fa, fb)
    achieved = float(_figure(inputs, vary, target, np.array([value]))[0])
    calls += 1
    if _reached(np.array(achieved), goal):
        return Solution(vary, float(value), target, goal, achieved, calls)
    # a step over the target: the last value before it, and the first after it
    return Solution(vary, float(a), target, goal, float(fa + goal), calls, float(b),
                    float(fb + goal))


def _secant(a: float, b: float, fa: float, fb: float) -> float:
    return float(np.clip(a - fa * (b - a) / (fb - fa), min(a, b), max(a, b)))


def _tight(a: float, b: float, integer: bool) -> bool:
    if integer:
        return b - a <= 1
    return b - a <= 1e-13 * max(abs(a), abs(b), 1e-300)


def _reached(achieved: Array, goal: float) -> Array:
    """Where the figure equals the goal to the solver's tolerance."""
    a = np.asarray(achieved, dtype=float)
    with np.errstate(invalid="ignore"):
        return np.isfinite(a) & (np.abs(a - goal) <= max(TOLERANCE * abs(goal), 1e-9))
