"""How each figure was computed: the formula, the scenario's numbers in it, the source.

Every formula (``formulas.FORMULAS``) is a Python expression over named inputs and outputs,
so ``explain`` can show it, substitute the scenario's numbers into it, and the tests can
evaluate it and check that it gives the engine's own figure: an explanation cannot silently
disagree with the number it explains. A figure a search finds is shown as its rule and the
checks that its value meets it (each check is an expression the tests evaluate too).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .formula_parts import Check, Formula, Namespace
from .formulas import FORMULAS
from .numeric import safe_floor_scalar
from .outputs import OUTPUTS

__all__ = ["FORMULAS", "Check", "Explanation", "Formula", "Namespace", "check_holds",
           "evaluate_formula", "explain", "explainable", "namespace", "short_names"]


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


#: Slack of the engine's ceilings (``numeric.ceil_multiple``, servers, paged blocks).
CEIL_SLACK = 1e-9


def _ceil(x: float) -> int:
    """ceil(x), forgiving float noise of 1e-9 above a whole number, as the engine does."""
    return math.ceil(x - CEIL_SLACK)


def _ceil_pow2(x: float) -> float:
    """The smallest power of two >= max(1, x) (``throughput.smallest_fit_tensor_parallel``)."""
    if not math.isfinite(x):
        return 1.0
    return 2.0 ** math.ceil(math.log2(max(x, 1.0)) - 1e-12)


def _floor(x: float) -> float:
    """``numeric.safe_floor_scalar``; infinity stays infinite (min(1e9, inf) is the cap)."""
    return x if not math.isfinite(x) else safe_floor_scalar(x)


_FUNCS: dict[str, Any] = {"ceil": _ceil, "floor": _floor, "max": max, "min": min,
                          "log2": math.log2, "ceil_pow2": _ceil_pow2}
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def evaluate_formula(expr: str, ns: Namespace) -> Any:
    """The value of a formula over the namespace (used by tests and the substitution)."""
    code = compile(expr, "<formula>", "eval")
    return eval(code, {"__builtins__": {}}, {**_FUNCS, **ns})


def check_holds(check: Check, ns: Namespace, rel: float = 0.0) -> bool:
    """Whether ``check`` holds, with ``rel`` relative slack for float noise."""
    lhs, rhs = evaluate_formula(check.lhs, ns), evaluate_formula(check.rhs, ns)
    slack = rel * max(abs(lhs), abs(rhs))
    return lhs >= rhs - slack if check.op == ">=" else lhs < rhs + slack


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
    label, unit = (out.label, out.unit) if out else (name, "")
    short = short_names(list(_all_paths(values, report)))[key]
    rule = f.rule_text(ns)
    if rule is not None:
        formula = f"{short} = {_display(rule)}"
        checks = [text for c in f.check_list(ns) if (text := _show_check(c, ns))]
        substituted = f"= {_num(value)}" + (f", since {'; '.join(checks)}" if checks else "")
    else:
        formula = f"{short} = {_display(expr)}"
        numbers = _substitute(expr, ns)
        substituted = f"= {_num(value)}" if numbers == _num(value) else \
            f"= {numbers} = {_num(value)}"
    return Explanation(key=key, label=label, value=value, unit=unit, formula=formula,
                       substituted=substituted, source=f.source, note=f.note_text(ns))


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


def _show_check(c: Check, ns: Namespace) -> str:
    """``label = lhs op rhs`` with enough digits that the two sides visibly differ ("" when
    a figure it needs is null)."""
    try:
        lhs, rhs = evaluate_formula(c.lhs, ns), evaluate_formula(c.rhs, ns)
    except (TypeError, ArithmeticError):
        return ""
    digits = 4
    while digits < 15 and _num(lhs, digits) == _num(rhs, digits):
        digits += 1
    return f"{c.label} = {_num(lhs, digits)} {c.op} {_num(rhs, digits)}"


def _num(x: Any, digits: int = 4) -> str:
    if x is None:
        return "null"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, str):
        return x
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer() and abs(x) < 1e6):
        return str(int(x))
    text = f"{x:.{digits}g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")
