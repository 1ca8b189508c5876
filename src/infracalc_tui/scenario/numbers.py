"""Numbers as people type them: ``1e9``, ``1_000_000``, ``1B``, ``2.5k``, ``$0.02``."""

from __future__ import annotations

import math
import re

_SUFFIX = {"k": 1e3, "m": 1e6, "b": 1e9, "g": 1e9, "t": 1e12}
_PATTERN = re.compile(r"^([+-]?)\$?\s*([0-9][0-9_,]*\.?[0-9_]*|\.[0-9_]+)([eE][+-]?[0-9]+)?\s*"
                      r"([kKmMbBgGtT]|%)?$")


def parse_number(text: str) -> float:
    """The value of ``text``, or ValueError saying what was expected.

    Suffixes: k = 1e3, M (or m) = 1e6, B or G = 1e9, T = 1e12; ``%`` divides by 100.
    Underscores, thousands commas and a leading ``$`` are ignored.
    """
    raw = text.strip()
    m = _PATTERN.match(raw)
    if not raw or m is None:
        raise ValueError(f"{text!r} is not a number (try 1e9, 1_000_000, 1B, 2.5k or $0.02)")
    sign, digits, exponent, suffix = m.groups()
    digits = digits.replace("_", "").replace(",", "")
    if digits in ("", "."):
        raise ValueError(f"{text!r} is not a number")
    value = float(digits + (exponent or ""))
    if suffix == "%":
        value /= 100.0
    elif suffix:
        value *= _SUFFIX[suffix.lower()]
    if sign == "-":
        value = -value
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is too large")
    return value
