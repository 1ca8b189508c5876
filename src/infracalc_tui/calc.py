"""Scenario + engine in one call: what the CLI and the TUI both ask for.

Kept headless: it glues the scenario package (files, presets, catalogs) to the
engine (numbers) and adds nothing of its own but the catalog facts the report
quotes in warnings.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .scenario import Scenario, ScenarioError, field
from .scenario.catalog import engines, models
from .scenario.errors import Problem
from .scenario.model import PROFILE_KEYS
from .scenario.numbers import parse_number
from .scenario.validate import check_value

if TYPE_CHECKING:
    from .engine.explain import Explanation


def report_for(scenario: Scenario) -> dict[str, Any]:
    from .engine.report import build_report  # numpy: loaded with the first report

    values = scenario.values
    preset = models().get(values.get("model.preset") or "")
    return build_report(values, name=scenario.name,
                        max_context_tokens=preset.max_context_tokens if preset else None,
                        grounding=grounding(scenario), focus=scenario.focus)


def grounding(scenario: Scenario) -> tuple[str, str]:
    """How the throughput and energy figures are grounded: a sentence (``throughput.
    grounding``) and a few words for the dashboard (``grounding_summary``): the user's
    measurement, the engine profile's measurements on this GPU class, or none."""
    values, explicit = scenario.values, scenario.explicit
    if values["serving.throughput"] == "manual":
        return "your figures: serving.throughput is manual", "your figures (manual)"
    if values.get("serving.measured"):
        return (f"your measurement: {values['serving.measured']} (infracalc calibrate)",
                "your measurement")
    mine = [k for k in PROFILE_KEYS if k in explicit]
    engine, cls = values["serving.engine_in_use"], values["gpu.bandwidth_class"]
    if engine == "generic":
        base = "generic roofline: the spec's formulas, not fitted to measurements"
        short = "roofline only (not fitted)"
    else:
        n, loo = engines()[engine].grounding(cls)
        name = engines()[engine].name
        if n and loo is not None:
            base = (f"engine profile ({n} measurements of {name} on {cls.upper()} GPUs, "
                    f"leave-one-GPU-out median error {loo:.0f}%)")
            short = f"{n} measurements, ~{loo:.0f}% error"
        else:
            base = f"extrapolated: no measurement for {name} on {cls.upper()} GPUs"
            short = "extrapolated (no measurement)"
    if mine:
        return base + f"; your settings: {', '.join(mine)}", short + " + your settings"
    return base, short


def gpu_config_values(scenario: Scenario, gpu_key: str) -> dict[str, Any]:
    """The numbers that change when ``scenario`` runs on GPU preset ``gpu_key``: the GPU's
    datasheet and its engine profile's efficiencies (for Compare, one vectorised call)."""
    values = scenario.with_preset("gpu", gpu_key).values
    return {k: x for k, x in values.items() if k.startswith(("gpu.", "serving."))
            and isinstance(x, int | float) and not isinstance(x, bool)}


def explain_for(scenario: Scenario, key: str, report: dict[str, Any] | None = None
                ) -> Explanation:
    from .engine.explain import Explanation, explain  # only when someone asks

    report = report or report_for(scenario)
    if key in _WORDS:  # figures in words: why they are what they are, and where from
        from .engine.outputs import OUTPUTS

        value = report["throughput"][key.split(".", 1)[1]]
        why, source = _WORDS[key](scenario, report)
        return Explanation(key=key, label=OUTPUTS[key].label, value=value, unit="text",
                           formula=f"{key.split('.', 1)[1]} = {value}", substituted=why,
                           source=source)
    return explain(key, scenario.values, report)


def _engine_words(scenario: Scenario, report: dict[str, Any]) -> tuple[str, str]:
    engine = report["throughput"]["engine"]
    source = ("the spec's plain roofline (engine-spec 'Throughput')" if engine == "generic"
              else engines()[engine].source)
    return f"because: {report['throughput']['engine_reason']}", source


def _grounding_words(scenario: Scenario, report: dict[str, Any]) -> tuple[str, str]:
    return (report["throughput"]["grounding"],
            "validation ledger scenario/data/measurements.toml, fitted by "
            "benchmarks/fit_profiles.py; every point and its error: docs/validation.md")


_WORDS = {"throughput.engine": _engine_words, "throughput.grounding_summary": _grounding_words,
          "throughput.grounding": _grounding_words,
          "throughput.tensor_parallel_reason": lambda s, r: (
              r["throughput"]["tensor_parallel_reason"], "engine-spec 'Throughput'")}


def parse_field_text(path: str, text: str, source: str = "") -> Any:
    """A value typed by a person for ``path`` ("1B", "$0.02", "layer_split"), converted and
    range-checked; ScenarioError naming the key and the allowed values when it is not valid."""
    try:
        f = field(path)
    except KeyError as exc:
        raise ScenarioError([Problem(source, path, str(exc.args[0]))]) from None
    raw: Any = text.strip()
    if f.numeric:
        if raw == "" and f.optional:
            return None
        try:
            raw = parse_number(raw)
        except ValueError as exc:
            raise ScenarioError([Problem(source, path, f"{exc}; allowed: {f.allowed()}")]
                                ) from None
    value, problem = check_value(f, raw, source)
    if problem:
        raise ScenarioError([problem])
    return value


def apply_settings(scenario: Scenario, settings: Iterable[str], source: str = "--set"
                   ) -> Scenario:
    """Apply ``section.key=value`` overrides; ScenarioError lists every bad one."""
    problems: list[Problem] = []
    for item in settings:
        path, sep, text = item.partition("=")
        if not sep:
            problems.append(Problem(source, item, "expected section.key=value"))
            continue
        try:
            value = parse_field_text(path.strip(), text, source)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        scenario = scenario.without(path.strip()) if value is None else \
            scenario.with_value(path.strip(), value)
    if not problems:
        problems = scenario.problems(source)
    if problems:
        raise ScenarioError(problems)
    return scenario
