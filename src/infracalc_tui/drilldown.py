"""Explanations all the way down: a figure's terms, each explained in turn, down to inputs.

A formula names other figures and inputs; a reader who doubts one of them should be able
to ask about it too, and at the bottom learn whether an input is theirs, a preset's, a
default or derived. ``node`` gives one level (the figure's explanation or the input's
facts, and its terms); the TUI (``tui.screens.explain``) and ``explain_text`` (the CLI)
both render it. Headless, like ``calc``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from . import formatting
from .calc import _WORDS, explain_for, report_for
from .engine.explain import FORMULAS, Explanation, _all_paths, short_names
from .engine.explain_terms import term_keys
from .engine.outputs import OUTPUTS
from .scenario import BY_PATH, Scenario
from .scenario.model import PROFILE_KEYS
from .scenario.provenance import Source, label_help, source_of

Report = dict[str, Any]

#: The terms of the figures given in words (they have no formula to read them from).
_WORD_TERMS: dict[str, tuple[str, ...]] = {
    "throughput.engine": ("serving.engine", "gpu.preset", "gpu.memory_type",
                          "serving.engine_in_use"),
    "throughput.grounding": ("serving.throughput", "serving.measured", "serving.engine_in_use",
                             "gpu.memory_type", "gpu.vendor", *PROFILE_KEYS),
    "throughput.grounding_summary": ("serving.throughput", "serving.measured",
                                     "serving.engine_in_use", "gpu.memory_type", "gpu.vendor",
                                     *PROFILE_KEYS),
    "throughput.tensor_parallel_reason": ("throughput.tensor_parallel",
                                          "serving.tensor_parallel",
                                          "serving.tensor_parallel_rule"),
}


@dataclass(frozen=True, slots=True)
class Term:
    """One term of a formula: a report figure (``output``) or a scenario value (``input``)."""

    key: str
    name: str  # as the formula writes it (``explain.short_names``)
    label: str
    value: Any
    unit: str
    shown: str  # the value with its unit, as people read it
    kind: Literal["output", "input"]
    explainable: bool  # has a level of its own: a formula, words, or a derivation
    source: Source | None = None  # inputs only
    help: str = ""
    allowed: str = ""

    def status(self) -> str:
        if self.source is not None:
            return f"source: {self.source.text()}"
        return "explained by its formula" if self.explainable else "a figure in words"


@dataclass(frozen=True, slots=True)
class Node:
    """One level of the drill-down: an output's explanation, or an input's facts."""

    key: str
    label: str
    term: Term
    explanation: Explanation | None  # None for an input and a figure without a formula
    terms: tuple[Term, ...]
    links: tuple[tuple[str, str], ...] = ()  # (what, URL): the measurements behind a figure


def is_output(key: str) -> bool:
    return key in OUTPUTS


def explainable(key: str) -> bool:
    """Whether ``key`` is a report figure with a formula (or one given in words)."""
    return key in FORMULAS or key in _WORDS


def term(scenario: Scenario, key: str, report: Report) -> Term:
    """The term ``key`` (an output or input key) with its value and, for an input, source."""
    names = short_names(_all_paths(scenario.values, report))
    name = names.get(key, key)
    if is_output(key):
        out = OUTPUTS[key]
        section, figure = key.split(".", 1)
        value = report[section][figure]
        return Term(key, name, out.label, value, out.unit,
                    formatting.value(value, out.unit, out.integer), "output", explainable(key))
    value = scenario.values[key]
    label, unit, help_text, allowed = label_help(key)
    source = source_of(scenario, key)
    f = BY_PATH.get(key)
    return Term(key, name, label, value, unit, _shown_input(value, unit, bool(f and f.kind ==
                "int")), "input", bool(source.derived_from), source, help_text, allowed)


def _shown_input(value: Any, unit: str, integer: bool) -> str:
    if value is None:
        return "empty"
    if value == "" and isinstance(value, str):
        return '""'
    if unit.startswith("$"):  # the formatter's unit tokens: usd, usd/min ...
        unit = "usd" + unit[1:]
    return formatting.value(value, unit, integer)


def terms_for(scenario: Scenario, key: str, report: Report | None = None) -> list[Term]:
    """The terms of ``key``: its formula's inputs and figures, in order of first use; for a
    derived input, what it is derived from ([] for any other input)."""
    report = report or report_for(scenario)
    if key in _WORD_TERMS:
        keys: list[str] = [k for k in _WORD_TERMS[key] if k != key]
    elif is_output(key):
        keys = term_keys(key, scenario.values, report)
    else:
        keys = list(source_of(scenario, key).derived_from)
    return [term(scenario, k, report) for k in keys]


def node(scenario: Scenario, key: str, report: Report | None = None) -> Node:
    """One level of the drill-down for ``key`` (an output or an input key)."""
    report = report or report_for(scenario)
    if not is_output(key) and key not in scenario.values:
        raise KeyError(f"{key!r} is neither a report figure nor a scenario input")
    t = term(scenario, key, report)
    e = explain_for(scenario, key, report) if is_output(key) and explainable(key) else None
    links = measurement_links(scenario) if key in _GROUNDING else ()
    return Node(key, t.label, t, e, tuple(terms_for(scenario, key, report)), links)


_GROUNDING = ("throughput.grounding", "throughput.grounding_summary")


def measurement_links(scenario: Scenario) -> tuple[tuple[str, str], ...]:
    """The ledger's published measurements behind the engine profile in use (its engine on
    this GPU class: memory type, or any AMD GPU), each with its source's URL: the grounding a
    person can check."""
    import tomllib

    from .resources import data_file
    from .scenario.catalog import gpus
    from .scenario.model import bandwidth_class

    values = scenario.values
    engine, cls = values["serving.engine_in_use"], values["gpu.bandwidth_class"]
    ledger = tomllib.loads(data_file("measurements.toml").read_text(encoding="utf-8"))
    out = []
    for m in ledger.get("measurement", []):
        gpu = gpus().get(m.get("gpu", ""))
        if m.get("engine") == engine and gpu is not None and m.get("url") and \
                bandwidth_class(gpu.vendor, gpu.memory_type) == cls:
            what = f"{m['id']}: {m['model']['name']} on {m['gpus']}x {gpu.name}, " \
                   f"{m['metric']} = {m['value']:g}"
            out.append((what, m["url"]))
    return tuple(out)


def node_lines(n: Node) -> list[str]:
    """The body of a level, as text: the formula, numbers, note and source of an output, or
    the value, allowed values, help and source of an input."""
    if n.explanation is not None:
        e = n.explanation
        lines = [e.formula, e.substituted]
        if e.note:
            lines.append(f"note: {e.note}")
        return [*lines, f"source: {e.source}"]
    t = n.term
    if t.kind == "output":
        return [f"{t.name} = {t.shown}", "a figure in words from the engine (no formula)"]
    lines = [f"{t.name} = {t.shown}"]
    if t.allowed:
        lines.append(f"allowed: {t.allowed}")
    if t.help:
        lines.append(t.help)
    return [*lines, f"value from: {t.source.text() if t.source else '?'}"]


def term_line(t: Term) -> str:
    return f"{t.name} = {t.shown}  ({t.label}, {t.key}); {t.status()}"


def explain_text(scenario: Scenario, key: str, report: Report | None = None, depth: int = 1
                 ) -> str:
    """``key`` explained for a terminal: its formula (or input facts), then its terms, each
    input with its source. ``depth`` > 1 goes on to explain the explainable terms too, each
    once, headed by the path to it ("Profit per day › Revenue per day")."""
    report = report or report_for(scenario)
    blocks: list[str] = []
    seen: set[str] = set()

    def visit(k: str, trail: tuple[str, ...], level: int) -> None:
        seen.add(k)
        n = node(scenario, k, report)
        trail = (*trail, n.label)
        head = " › ".join(trail) if len(trail) > 1 else n.label
        lines = [f"{head} ({k})", *(f"  {line}" for line in node_lines(n))]
        if n.terms:
            lines.append("  terms:")
            lines += [f"    {term_line(t)}" for t in n.terms]
        blocks.append("\n".join(lines))
        if level < depth:
            for t in n.terms:
                if t.explainable and t.key not in seen:
                    visit(t.key, trail, level + 1)

    visit(key, (), 1)
    return "\n\n".join(blocks)
