"""Figures for people: units, k/M/B, dollars. Used by the CLI table and the TUI.

The engine never formats; everything a person reads goes through here, which
is also the last line of defence against NaN/inf reaching the screen.
"""

from __future__ import annotations

import math
import re
from typing import Any

_SCALES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
_COUNT_UNITS = {"GPUs", "servers", "streams", "count", "tokens", "replicas"}
NONE = "—"


def compact(x: float, digits: int = 3) -> str:
    """1234567 -> '1.23M'; 0.0123 -> '0.0123'; keeps `digits` significant figures."""
    if not math.isfinite(x):
        return NONE
    ax = abs(x)
    for scale, suffix in _SCALES:
        if ax >= scale * 0.9995:
            return f"{_sig(x / scale, digits)}{suffix}"
    return _sig(x, digits)


def _sig(x: float, digits: int) -> str:
    if x == 0:
        return "0"
    ax = abs(x)
    if ax >= 100:
        return f"{x:,.0f}"
    decimals = max(0, digits - 1 - math.floor(math.log10(ax)))
    return f"{x:.{min(decimals, 8)}f}"


def usd(x: float) -> str:
    if not math.isfinite(x):
        return NONE
    sign = "-" if x < 0 else ""
    ax = abs(x)
    if ax >= 1e3:
        return f"{sign}${compact(ax)}"
    if ax >= 1:
        return f"{sign}${ax:,.2f}"
    return f"{sign}${_sig(ax, 3)}"


def value(x: Any, unit: str = "", integer: bool = False) -> str:
    """One figure with its unit, as the table and the TUI show it."""
    if x is None:
        return NONE
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, str):
        return x
    x = float(x)
    if not math.isfinite(x):
        return NONE
    if unit.startswith("usd"):
        suffix = unit[3:]
        return usd(x) + suffix
    if unit == "bytes":
        return f"{compact(x)} B"
    if unit == "%":
        return f"{x:,.0f}%" if abs(x) >= 10 else f"{x:.1f}%"
    if integer or unit in _COUNT_UNITS:
        text = f"{x:,.0f}" if abs(x) < 1e5 else compact(x)
        return f"{text} {unit}".rstrip() if unit not in ("count", "") else text
    text = compact(x)
    return f"{text} {unit}".rstrip() if unit else text


def plain_number(x: float) -> str:
    """A number as a person would type it back into a field (no units, no rounding loss)."""
    if not math.isfinite(x):
        return ""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):_}" if abs(x) >= 10_000 else str(int(x))
    return f"{x:.6g}"


def short(x: float, digits: int = 3) -> str:
    """Like ``compact`` without trailing zeros, for axis ticks: 1e6 -> '1M', 1500 -> '1.5k',
    0.0100 -> '0.01' (a tick is a round value; '1.00M' reads as a measurement)."""
    text = compact(x, digits)
    m = re.fullmatch(r"(-?[\d,]+)\.(\d*?)0+([A-Za-z]?)", text)
    if m:
        whole, frac, suffix = m.groups()
        text = f"{whole}.{frac}{suffix}" if frac else f"{whole}{suffix}"
    return text


def short_usd(x: float) -> str:
    """Dollars for axis ticks and chart notes: '$1.2k', '-$5M', '$0.02'."""
    if not math.isfinite(x):
        return NONE
    return f"{'-' if x < 0 else ''}${short(abs(x))}"
