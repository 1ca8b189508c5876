"""The analysis commands: solve (goal seek), sensitivity, uncertainty, compare; and the
report as a markdown table.

Kept out of ``cli`` so that it stays small: ``cli`` registers these parsers and handlers
with a few lines (``add_parsers``, ``HANDLERS``). Like the other commands, a user's mistake
exits 2 with one clear line; the engine is called vectorised, never once per point.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import formatting as fmt
from .cli import UsageError, _json, _load, numeric_field

if TYPE_CHECKING:
    import argparse

    from .scenario import Field, Scenario

COMMANDS = ("solve", "sensitivity", "uncertainty", "compare")
FORMATS = ("table", "json")


def add_parsers(sub: Callable[[str, str], argparse.ArgumentParser], sets: dict[str, Any]
                ) -> None:
    """Add the analysis subcommands with ``sub(name, help)`` (the parser factory of cli)."""
    p = sub("solve", "Goal seek: the value of one input, within its allowed range, that "
            "makes one report figure reach a target.")
    p.add_argument("file")
    p.add_argument("--target", required=True, metavar="SECTION.KEY=VALUE",
                   help="the report figure and the value it must reach, e.g. "
                   "host.break_even_days=365")
    p.add_argument("--vary", required=True, metavar="SECTION.KEY",
                   help="the numeric input to solve for, e.g. pricing.utilization_hours_per_day")
    p.add_argument("--range", metavar="LO:HI", help="search only here (default: the input's "
                   "allowed range)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--set", **sets)

    p = sub("sensitivity", "Swing each numeric input down and up and rank them by how much "
            "they move one figure (a tornado chart's data).")
    p.add_argument("file")
    p.add_argument("--metric", required=True, metavar="SECTION.KEY", help="the report figure")
    p.add_argument("--delta", type=float, default=0.2, help="swing as a fraction of each "
                   "input's value, clamped to its allowed range (default 0.2)")
    p.add_argument("--range", action="append", default=[], metavar="SECTION.KEY=LO:HI",
                   help="swing this input over LO..HI instead (repeatable)")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--set", **sets)

    p = sub("uncertainty", "Monte Carlo over the scenario's [uncertainty] ranges: P10, P50, "
            "P90 and mean of the headline figures.")
    p.add_argument("file")
    p.add_argument("--samples", type=int, default=10_000, help="default 10,000")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--metric", action="append", default=[], metavar="SECTION.KEY",
                   help="a figure to summarise (repeatable); default: the headline figures")
    p.add_argument("--format", choices=FORMATS, default="table")
    p.add_argument("--set", **sets)

    p = sub("compare", "The inputs that differ between two scenarios and every figure's "
            "change.")
    p.add_argument("a", metavar="A.toml")
    p.add_argument("b", metavar="B.toml")
    p.add_argument("--format", choices=FORMATS, default="table")


# -- helpers ---------------------------------------------------------------------------------

def _numeric_output(path: str, flag: str) -> None:
    from .engine import OUTPUTS

    o = OUTPUTS.get(path)
    if o is None or o.unit in ("text", "bool"):
        known = ", ".join(k for k, v in OUTPUTS.items() if v.unit not in ("text", "bool"))
        raise UsageError(f"{flag}: {path!r} is not a numeric report figure; figures: {known}")


def _number(text: str, what: str) -> float:
    from .scenario.numbers import parse_number

    try:
        return parse_number(text.strip())
    except ValueError as exc:
        raise UsageError(f"{what}: {exc}") from None


def _range(f: Field, text: str, flag: str) -> tuple[float, float]:
    """LO:HI, both within the field's allowed range, LO < HI."""
    lo_text, sep, hi_text = text.partition(":")
    if not sep:
        raise UsageError(f"{flag} {f.path}: expected LO:HI")
    lo, hi = _number(lo_text, f"{flag} {f.path}"), _number(hi_text, f"{flag} {f.path}")
    if not lo < hi:
        raise UsageError(f"{flag} {f.path}: LO must be below HI ({lo:g}:{hi:g})")
    if (f.lo is not None and lo < f.lo) or (f.hi is not None and hi > f.hi):
        raise UsageError(f"{flag} {f.path}: {lo:g}:{hi:g} is outside its allowed range: "
                         f"{f.allowed()}")
    return lo, hi


def _allowed_range(f: Field) -> tuple[float, float]:
    import math

    lo = 0.0 if f.lo is None else float(f.lo)
    if f.lo_open:
        lo = math.nextafter(lo, math.inf) if f.kind == "float" else lo + 1
    return lo, float(f.hi if f.hi is not None else 1e12)


def _show(x: float | None, unit: str = "") -> str:
    if x is None:
        return fmt.NONE
    return fmt.value(x, unit) if unit not in ("", "count") else f"{x:.6g}"


def _unit(path: str) -> str:
    from .engine import OUTPUTS

    o = OUTPUTS.get(path)
    return o.unit if o else ""


# -- solve -----------------------------------------------------------------------------------

def solve_json(scenario: Scenario, target_spec: str, vary: str, range_text: str | None = None
               ) -> dict[str, Any]:
    """The goal seek ``infracalc solve`` and the MCP tool answer: {"vary", "value", "target",
    "target_value", "achieved", "iterations"[, "next_value", "next_achieved"]}."""
    from .engine.solve import NoSolution, solve

    target, sep, goal_text = target_spec.partition("=")
    target = target.strip()
    if not sep:
        raise UsageError(f"--target {target_spec!r}: expected SECTION.KEY=VALUE")
    _numeric_output(target, "--target")
    goal = _number(goal_text, f"--target {target}")
    f = numeric_field(vary.strip(), "--vary")
    lo, hi = _range(f, range_text, "--range") if range_text else _allowed_range(f)
    current = scenario.values.get(f.path)
    try:
        result = solve(scenario.inputs, target, goal, f.path, lo, hi,
                       integer=f.kind == "int", current=current)
    except NoSolution as exc:
        raise UsageError(str(exc)) from None
    value: float | int = int(result.value) if f.kind == "int" else result.value
    problems = scenario.with_value(f.path, value).problems("--vary")
    if problems:
        raise UsageError(f"{f.path} = {value:g} reaches the target but breaks a rule: "
                         f"{problems[0].message}")
    out: dict[str, Any] = {"vary": f.path, "value": value, "target": target,
                           "target_value": goal, "achieved": result.achieved,
                           "iterations": result.iterations}
    if result.next_value is not None:
        out["next_value"] = int(result.next_value) if f.kind == "int" else result.next_value
        out["next_achieved"] = result.next_achieved
    return out


def _cmd_solve(ns: argparse.Namespace) -> int:
    scenario = _load(ns.file, ns.set)
    out = solve_json(scenario, ns.target, ns.vary, ns.range)
    target, goal, value = out["target"], out["target_value"], out["value"]
    f = numeric_field(out["vary"], "--vary")
    current = scenario.values.get(f.path)
    if ns.format == "json":
        print(_json(out))
        return 0
    unit = _unit(target)
    print(f"{f.path} = {value:.6g}   ({f.unit or 'no unit'}; was {_show(current)})")
    print(f"  {target} = {_show(out['achieved'], unit)} ({out['achieved']:.10g}; target "
          f"{goal:.10g})")
    if "next_value" in out:
        print(f"  it jumps over the target there: at {f.path} = {out['next_value']:.10g} it "
              f"is {out['next_achieved']:.10g}")
    print(f"  {out['iterations']} vectorised engine calls")
    return 0


# -- sensitivity -----------------------------------------------------------------------------

def swingable_inputs(scenario: Scenario) -> list[Any]:
    """Every numeric input that has a value (derived keys left to follow their sources)."""
    from .engine.sensitivity import Swingable
    from .scenario import FIELDS

    out = []
    for f in FIELDS:
        value = scenario.inputs.get(f.path)
        if f.numeric and isinstance(value, int | float) and not isinstance(value, bool):
            out.append(Swingable(f.path, float(value), f.lo, f.hi, f.kind == "int"))
    return out


def _cmd_sensitivity(ns: argparse.Namespace) -> int:
    from .engine.sensitivity import sensitivity

    scenario = _load(ns.file, ns.set)
    _numeric_output(ns.metric, "--metric")
    if not 0 < ns.delta <= 1:
        raise UsageError(f"--delta {ns.delta:g}: must be above 0 and at most 1")
    ranges: dict[str, tuple[float, float]] = {}
    for item in ns.range:
        key, sep, text = item.partition("=")
        if not sep:
            raise UsageError(f"--range {item!r}: expected SECTION.KEY=LO:HI")
        f = numeric_field(key.strip(), "--range")
        ranges[f.path] = _range(f, text, "--range")
    inputs = swingable_inputs(scenario)
    have = {s.key for s in inputs}
    missing = [k for k in ranges if k not in have]
    if missing:
        from .engine.sensitivity import Swingable
        from .scenario import field

        for k in missing:  # an optional key not set: swing it over the range given
            f = field(k)
            inputs.append(Swingable(k, sum(ranges[k]) / 2, f.lo, f.hi, f.kind == "int"))
    base, swings = sensitivity(scenario.inputs, ns.metric, inputs, ns.delta, ranges)
    rows = [{"key": s.key, "low_input": s.low_input, "high_input": s.high_input,
             "low": s.low, "high": s.high, "swing": s.swing} for s in swings]
    if ns.format == "json":
        print(_json({"metric": ns.metric, "base": base, "delta": ns.delta, "inputs": rows}))
        return 0
    unit = _unit(ns.metric)
    print(f"{ns.metric} = {_show(base, unit)} at the scenario; each input swung "
          f"{'over its --range' if ranges else ''}{' or ' if ranges else ''}by ±{ns.delta:g}")
    print(f"  {'input':46} {'low → high input':>24} {'figure low':>13} {'figure high':>13} "
          f"{'swing':>12}")
    for s in swings:
        if s.swing == 0:
            continue
        span = f"{s.low_input:.4g} → {s.high_input:.4g}"
        print(f"  {s.key:46} {span:>24} {_show(s.low, unit):>13} {_show(s.high, unit):>13} "
              f"{_show(s.swing, unit):>12}")
    still = sum(1 for s in swings if s.swing == 0)
    if still:
        print(f"  ({still} more inputs do not move it)")
    return 0


# -- uncertainty -----------------------------------------------------------------------------

def _cmd_uncertainty(ns: argparse.Namespace) -> int:
    from .engine.uncertainty import HEADLINE, percentiles

    scenario = _load(ns.file, ns.set)
    if not 1 <= ns.samples <= 1_000_000:
        raise UsageError(f"--samples {ns.samples}: must be from 1 to 1,000,000")
    if not scenario.uncertainty:
        raise UsageError(f"{ns.file}: has no [uncertainty] table; give inputs a range, e.g. "
                         '[uncertainty] "serving.mbu" = { low = 0.5, high = 0.8 }')
    metrics = ns.metric or list(HEADLINE)
    for m in metrics:
        _numeric_output(m, "--metric")
    result = percentiles(scenario.inputs, scenario.uncertainty_spec(), ns.samples, ns.seed,
                         metrics)
    if ns.format == "json":
        print(_json({"samples": ns.samples, "seed": ns.seed,
                     "inputs": scenario.uncertainty_spec(), "metrics": result}))
        return 0
    print(f"{ns.samples:,} samples (seed {ns.seed}) over "
          f"{', '.join(scenario.uncertainty)}")
    print(f"  {'figure':44} {'P10':>12} {'P50':>12} {'P90':>12} {'mean':>12}")
    for m, q in result.items():
        u = _unit(m)
        print(f"  {m:44} " + " ".join(f"{_show(q[k], u):>12}" for k in ("p10", "p50", "p90",
                                                                           "mean")))
    return 0


# -- compare ---------------------------------------------------------------------------------

def compare_reports(a: Scenario, b: Scenario) -> dict[str, Any]:
    """The inputs whose resolved values differ, and every figure of both reports with its
    change (absolute, and percent of A's; percent null when A's is 0 or either is null)."""
    from .calc import report_for
    from .scenario import FIELDS

    inputs = [{"key": f.path, "a": a.values.get(f.path), "b": b.values.get(f.path)}
              for f in FIELDS if a.values.get(f.path) != b.values.get(f.path)]
    ra, rb = report_for(a), report_for(b)  # text keys (engines, modes) may differ: two calls
    outputs = []
    for section in ("throughput", "fleet", "host"):
        for key in dict.fromkeys([*ra[section], *rb[section]]):
            x, y = ra[section].get(key), rb[section].get(key)
            change = pct = None
            if _is_number(x) and _is_number(y):
                change = y - x
                pct = change / abs(x) * 100.0 if x != 0 else None
            outputs.append({"key": f"{section}.{key}", "a": x, "b": y, "change": change,
                            "change_pct": pct})
    return {"a": {"name": a.name}, "b": {"name": b.name}, "inputs": inputs,
            "outputs": outputs}


def _is_number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def _cmd_compare(ns: argparse.Namespace) -> int:
    a, b = _load(ns.a, []), _load(ns.b, [])
    result = compare_reports(a, b)
    result["a"]["file"], result["b"]["file"] = ns.a, ns.b
    if ns.format == "json":
        print(_json(result))
        return 0
    print(f"A: {a.name} ({ns.a})\nB: {b.name} ({ns.b})\n\nInputs that differ")
    for row in result["inputs"] or [{"key": "(none)", "a": "", "b": ""}]:
        print(f"  {row['key']:46} {_cell(row['a']):>16} → {_cell(row['b'])}")
    print("\nFigures")
    for row in result["outputs"]:
        u = _unit(row["key"])
        pct = "" if row["change_pct"] is None else f"{row['change_pct']:+.1f}%"
        if row["a"] == row["b"]:
            continue
        print(f"  {row['key']:46} {fmt.value(row['a'], u):>14} → {fmt.value(row['b'], u):>14}"
              f" {pct:>9}")
    same = sum(1 for row in result["outputs"] if row["a"] == row["b"])
    print(f"  ({same} figures are the same)")
    return 0


def _cell(x: Any) -> str:
    return fmt.NONE if x is None else (f"{x:.6g}" if _is_number(x) else str(x))


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "solve": _cmd_solve, "sensitivity": _cmd_sensitivity, "uncertainty": _cmd_uncertainty,
    "compare": _cmd_compare}

__all__ = ["COMMANDS", "HANDLERS", "add_parsers", "compare_reports",
           "solve_json", "swingable_inputs"]
