"""Axis ticks and label placement for the charts: round values, real units, no collisions.

Why: an axis that reads 0.0438 or "log10 users" makes the reader do arithmetic. Ticks here
land on round values (0.01, 6h, $20k, 1M) and are labelled in the unit shown; labels laid out
in a text row never overlap and are never cut at the edge. Pure maths: no Textual import,
so it is cheap to test.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ... import formatting as fmt

_MANTISSAS = (1.0, 2.0, 2.5, 5.0)
HOUR_STEPS = (1.0, 2.0, 3.0, 4.0, 6.0, 12.0, 24.0)
MONTH_STEPS = (1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0, 120.0, 240.0, 600.0)


def _finite(*xs: float) -> bool:
    return all(isinstance(x, int | float) and math.isfinite(x) for x in xs)


def _multiples(lo: float, hi: float, step: float) -> list[float]:
    """Multiples of step in [lo, hi], rounded so 3 * 0.01 prints as 0.03."""
    first, last = math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9)
    digits = max(0, 1 - math.floor(math.log10(step))) + 1
    return [round(k * step, digits) + 0.0 for k in range(first, last + 1)]


def _count(lo: float, hi: float, step: float) -> int:
    return math.floor(hi / step + 1e-9) - math.ceil(lo / step - 1e-9) + 1


def nice_ticks(lo: float, hi: float, max_ticks: int = 5, integer: bool = False
               ) -> list[float]:
    """Round values (1, 2, 2.5 or 5 x 10^k apart) in [lo, hi], at most max_ticks of them.

    >>> nice_ticks(0, 0.0438)
    [0.0, 0.01, 0.02, 0.03, 0.04]

    ``integer``: whole steps only, for counts (threads) where 2.5 means nothing.
    """
    if not _finite(lo, hi) or hi < lo:
        return []
    if hi == lo:
        return [lo + 0.0]
    max_ticks = max(2, max_ticks)
    k = math.floor(math.log10((hi - lo) / max_ticks)) - 1
    for _ in range(40):
        for m in _MANTISSAS:
            step = m * 10.0 ** k
            if integer and (step < 1 or not step.is_integer()):
                continue
            if _count(lo, hi, step) <= max_ticks:
                return _multiples(lo, hi, step)
        k += 1
    return [lo, hi]  # pragma: no cover - the loop always finds a step


def step_ticks(lo: float, hi: float, max_ticks: int, steps: Sequence[float]) -> list[float]:
    """Multiples of the smallest step in ``steps`` giving at most max_ticks ticks in
    [lo, hi] (hours: 6h 12h 18h; months: a year apart): round for that unit, not for 10."""
    if not _finite(lo, hi) or hi < lo:
        return []
    for step in steps:
        if _count(lo, hi, step) <= max(2, max_ticks):
            return _multiples(lo, hi, step)
    return nice_ticks(lo, hi, max_ticks)


def hour_ticks(lo: float, hi: float, max_ticks: int = 5) -> list[float]:
    """Hours of the day on 1, 2, 3, 4, 6, 12 or 24 hour steps: 0..24 -> 0 6 12 18 24."""
    return step_ticks(lo, hi, max_ticks, HOUR_STEPS)


def month_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Months on steps that are whole years when they can be: 0 12 24 36."""
    return step_ticks(lo, hi, max_ticks, MONTH_STEPS)


def log_ticks(lo: float, hi: float, max_ticks: int = 6) -> list[float]:
    """Powers of ten in [lo, hi] (values, not exponents), every n-th decade when there are
    more than max_ticks; round linear ticks when the range holds fewer than two powers."""
    if not _finite(lo, hi) or lo <= 0 or hi < lo:
        return []
    first, last = math.ceil(math.log10(lo) - 1e-9), math.floor(math.log10(hi) + 1e-9)
    if last - first + 1 < 2:
        return [t for t in nice_ticks(lo, hi, max_ticks) if t > 0]
    every = math.ceil((last - first + 1) / max(1, max_ticks))
    return [float(10.0 ** k) for k in range(first, last + 1) if (last - k) % every == 0]


def labels(ticks: Sequence[float], unit: str = "", log: bool = False) -> list[str]:
    """Tick labels in the axis' unit: "$" leads ($1.2k, -$5k), any other unit follows (6h,
    40%, 10 MW). Labels of a linear axis share their decimals; a log axis' each take the
    fewest (0.1, 1, 10k). NaN/inf get an empty label."""
    finite = [t for t in ticks if _finite(t)]
    big = log or (bool(finite) and max(abs(t) for t in finite) >= 1000)
    decimals = 0 if big else next(
        (d for d in range(7) if all(abs(round(t, d) - t) <= 1e-9 * max(1.0, abs(t))
                                    for t in finite)), 6)
    if unit == "$" and 0 < decimals < 2:
        decimals = 2  # $0.40, not $0.4
    out = []
    for t in ticks:
        if not _finite(t):
            out.append("")
            continue
        a = abs(t)
        if a == 0:
            text = "0"
        elif big:
            text = fmt.short(a)
        else:
            text = f"{a:.{decimals}f}"
        sign = "-" if t < 0 and text != "0" else ""
        if unit == "$":
            out.append(f"{sign}${text}")
        else:
            out.append(f"{sign}{text}{unit}")
    return out


Option = tuple[int, str]  # (first column, text)


def place(width: int, items: Sequence[Sequence[Option]], gap: int = 1,
          taken: list[tuple[int, int]] | None = None) -> tuple[str, list[bool]]:
    """Lay labels along one text row of ``width`` columns. Each item lists where it may go
    ((start, text) options, preferred first); it takes the first option that fits inside the
    row and keeps ``gap`` columns from every label already placed, or is left out whole:
    a label is never cut or overlapped. Items earlier in the list win."""
    row = [" "] * max(0, width)
    taken = [] if taken is None else taken
    placed = []
    for options in items:
        ok = False
        for start, text in options:
            end = start + len(text)
            if start < 0 or end > width or not text:
                continue
            if any(start < b + gap and a < end + gap for a, b in taken):
                continue
            row[start:end] = text
            taken.append((start, end))
            ok = True
            break
        placed.append(ok)
    return "".join(row), placed


def centred(col: int, text: str, width: int) -> list[Option]:
    """Options for a tick label: centred on its column, else pushed inside the row."""
    start = col - (len(text) - 1) // 2
    return [(start, text), (max(0, min(start, width - len(text))), text)] if text else []


def flagged(col: int, text: str, arrow: str = "↓") -> list[Option]:
    """Options for a marker label pointing at its column: "↓ label" starting there, else
    "label ↓" ending there."""
    return [(col, f"{arrow} {text}"), (col - len(text) - 1, f"{text} {arrow}")]


def fit(width: int, *options: str) -> str:
    """The first (longest) of the options that fits in width, else the last."""
    return next((o for o in options if len(o) <= width), options[-1] if options else "")


def wrap_entries(entries: Sequence[str], width: int, sep: str = "  ") -> list[str]:
    """Legend entries joined into as few rows of ``width`` as fit, never splitting one."""
    rows: list[str] = []
    for entry in entries:
        if rows and len(rows[-1]) + len(sep) + len(entry) <= width:
            rows[-1] += sep + entry
        else:
            rows.append(entry)
    return rows


def nearest(values: Sequence[float], x: float) -> int:
    """Index of the value nearest x (values sorted ascending or descending), -1 if none."""
    best, at = math.inf, -1
    for i, v in enumerate(values):
        if _finite(v) and abs(v - x) < best:
            best, at = abs(v - x), i
    return at
