"""Checking one value against its field, and the rules that span several keys."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from . import catalog
from .errors import Problem, show_value
from .schema import Field


def check_value(f: Field, value: Any, source: str = "", line: int | None = None
                ) -> tuple[Any, Problem | None]:
    """The value converted to its field's type, or a Problem that says what is allowed."""

    def bad(msg: str) -> tuple[Any, Problem]:
        return None, Problem(source, f.path, f"{show_value(value)}: {msg}", line)

    if f.kind in ("choice", "preset", "str"):
        if not isinstance(value, str):
            return bad(f"expected {f.allowed()}")
        if f.kind == "choice" and value not in f.choices:
            return bad(f"must be {f.allowed()}")
        if f.kind == "preset" and value:
            known = catalog.models() if f.section == "model" else catalog.gpus()
            if value not in known:
                return bad(f"unknown {f.section} preset; known: {', '.join(known)}")
        return value, None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return bad(f"expected {f.allowed()}")
    if isinstance(value, float) and not math.isfinite(value):
        return bad(f"must be a finite number: {f.allowed()}")
    if f.kind == "int" and isinstance(value, float) and not value.is_integer():
        return bad(f"must be {f.allowed()}")
    num = float(value)
    lo_ok = f.lo is None or (num > f.lo if f.lo_open else num >= f.lo)
    hi_ok = f.hi is None or num <= f.hi
    if not (lo_ok and hi_ok):
        return bad(f"out of range: must be {f.allowed()}")
    return (int(num) if f.kind == "int" else num), None


def check_cross(values: Mapping[str, Any], explicit: Mapping[str, Any], source: str
                ) -> list[Problem]:
    """Rules between keys, blamed on the key the user set (or the first one)."""
    problems: list[Problem] = []

    def blame(*keys: str) -> str:
        return next((k for k in keys if k in explicit), keys[0])

    total, active = values["model.total_params_b"], values["model.active_params_b"]
    if active is not None and active > total:
        problems.append(Problem(source, blame("model.active_params_b", "model.total_params_b"),
                                f"active parameters ({active:g}B) cannot exceed total "
                                f"parameters ({total:g}B)"))
    if values["model.sliding_window_layers"] > values["model.layers"]:
        problems.append(Problem(source, blame("model.sliding_window_layers", "model.layers"),
                                f"sliding-window layers ({values['model.sliding_window_layers']})"
                                f" cannot exceed layers ({values['model.layers']})"))
    return problems
