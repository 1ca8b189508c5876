"""``infracalc mcp``: the scriptable commands as tools of an MCP server on stdin/stdout.

An AI assistant (Claude Desktop, an IDE) starts ``infracalc mcp`` and calls report, explain,
sweep, presets and validate. Each takes a scenario (a file path, a preset key, or the TOML
text itself) and ``--set``-style overrides, and answers with the JSON the command line
prints: the same functions build it. A user's mistake comes back as a tool error whose text
is the command line's one-line message(s). A new tool is one function under ``@tool``.

The ``mcp`` package is an optional extra (``pip install 'infracalc-tui[mcp]'``): it is
imported only when the server starts.
"""

from __future__ import annotations

import dataclasses
import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

    from .scenario import Scenario

TOOLS: dict[str, Callable[..., Any]] = {}
SCENARIO_HELP = ("a scenario file's path, a preset key (see presets), or the scenario's TOML "
                 "text; empty: the default preset")


def tool(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Offer ``fn`` as a tool named after it; its docstring is what the assistant reads."""
    TOOLS[fn.__name__] = fn
    return fn


# -- the tools --------------------------------------------------------------------------------
# The parameter "set" mirrors the command line's --set (a list of "section.key=value").

@tool
def report(scenario: str = "", set: list[str] | None = None) -> dict[str, Any]:
    """Every figure of the report for a scenario: throughput, fleet (GPUs, MW, $ per 1M
    tokens) and host (profit per day, break-even, memory fit), and its warnings. The JSON of
    `infracalc report FILE --format json`. `set` overrides keys, e.g. ["fleet.users=2B"]."""
    from .calc import report_for

    return report_for(load_scenario(scenario, set))


@tool
def explain(scenario: str = "", key: str = "", set: list[str] | None = None
            ) -> dict[str, Any]:
    """How one report figure (key, e.g. "fleet.gpus") was computed: its formula, the
    scenario's numbers substituted into it, and the source. Without a key: the list of
    figures that can be explained."""
    from . import cli
    from .engine import explainable

    loaded = load_scenario(scenario, set)
    if not key:
        return {"figures": list(explainable())}
    found = cli.explanation(loaded, key)
    return {**dataclasses.asdict(found), "text": found.text()}


@tool
def sweep(vary: list[str], scenario: str = "", metric: list[str] | None = None,
          set: list[str] | None = None) -> dict[str, Any]:
    """A 1-D or 2-D grid of a scenario, computed in one vectorised call: `vary` holds one or
    two "section.key=START:STOP:STEPS" (add ":log" for a log scale), `metric` the figures
    wanted (default: the headline ones). The JSON of `infracalc sweep --format json`."""
    from . import cli

    return cli.sweep_json(load_scenario(scenario, set), vary, metric or [])


@tool
def solve(target: str, vary: str, scenario: str = "", range: str = "",
          set: list[str] | None = None) -> dict[str, Any]:
    """Goal seek: the value of one input (`vary`, e.g. "pricing.utilization_hours_per_day")
    within its allowed range (or `range` "LO:HI") that makes a report figure reach a target
    (`target` "host.break_even_days=365"). The JSON of `infracalc solve --format json`."""
    from .cli_analysis import solve_json

    return solve_json(load_scenario(scenario, set), target, vary, range or None)


@tool
def presets() -> dict[str, Any]:
    """The GPU, model and scenario presets (what `infracalc presets` lists): their keys go
    in gpu.preset and model.preset, or as a tool's scenario."""
    from .scenario.catalog import gpus, models
    from .scenario.presets import presets as scenarios

    def plain(spec: Any) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(spec).items()
                if isinstance(v, str | int | float | bool | None)}

    return {"gpus": [plain(g) for g in gpus().values()],
            "models": [plain(m) for m in models().values()],
            "scenarios": [{"key": p.key, "name": p.scenario.name, "path": str(p.path)}
                          for p in scenarios().values()]}


@tool
def validate(scenarios: list[str]) -> dict[str, Any]:
    """Check scenarios (paths or TOML texts): for each, whether it is valid and every
    problem found, one line each as `infracalc validate` prints them."""
    from .scenario import ScenarioError

    results = []
    for given in scenarios:
        try:
            load_scenario(given, None)
            results.append({"scenario": _shown(given), "ok": True, "problems": []})
        except ScenarioError as exc:
            results.append({"scenario": _shown(given), "ok": False,
                            "problems": [str(p) for p in exc.problems]})
    return {"valid": all(r["ok"] for r in results), "results": results}


# -- scenarios --------------------------------------------------------------------------------

def load_scenario(scenario: str | None, settings: list[str] | None) -> Scenario:
    """A path (or preset key) loads that file; text with a line break or an "=" that names
    no file is the TOML itself; nothing is the default preset. Then the overrides."""
    from .calc import apply_settings
    from .scenario import load, parse
    from .scenario.presets import default_path, presets

    text = (scenario or "").strip()
    if not text:
        loaded = load(default_path())
    elif text in presets():
        loaded = load(presets()[text].path)
    elif "\n" in text or ("=" in text and not Path(text).exists()):
        loaded = parse(scenario or "", "<scenario>")
    else:
        loaded = load(Path(text).expanduser())
    return apply_settings(loaded, list(settings or []))


def _shown(given: str) -> str:
    """How a scenario is named in results: a path as given, TOML text as "<scenario>"."""
    return "<scenario>" if "\n" in given or "=" in given else given


# -- the server -------------------------------------------------------------------------------

def add_parser(sub: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """The ``mcp`` subcommand, made with cli's parser factory ``sub(name, help)``."""
    sub("mcp", "Run an MCP server on stdin/stdout, so AI assistants can call report, "
        "explain, sweep, solve, presets and validate (needs the 'mcp' extra).")


def main(ns: argparse.Namespace | None = None) -> int:
    from .cli import UsageError

    try:
        server = build_server()
    except ImportError as exc:
        raise UsageError(f"the MCP server needs the 'mcp' package ({exc}); install it with "
                         "pip install 'infracalc-tui[mcp]'") from None
    server.run("stdio")
    return 0


def build_server() -> Any:
    """A FastMCP server offering every function in TOOLS."""
    from mcp.server.fastmcp import FastMCP

    from . import __version__

    server = FastMCP("infracalc", log_level="WARNING", instructions=(
        f"infracalc {__version__}: the economics of serving large language models. Every "
        f"tool's scenario is {SCENARIO_HELP}; `set` overrides its keys."))
    for name, fn in TOOLS.items():
        server.add_tool(_as_tool(fn), name=name, description=inspect.cleandoc(fn.__doc__ or ""),
                        structured_output=False)
    return server


def _as_tool(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` answering as MCP expects: its JSON as the text (exactly what the command line
    prints) and as structured content; a user's mistake as a tool error with the command
    line's message lines; a bug as one line too (the server keeps running)."""
    from mcp.types import CallToolResult, TextContent

    from .cli import UsageError, _json, error_lines
    from .scenario import ScenarioError

    @functools.wraps(fn)
    def run(**kwargs: Any) -> CallToolResult:
        try:
            result = fn(**kwargs)
        except (UsageError, ScenarioError) as exc:
            return _error(error_lines(exc))
        except Exception as exc:
            return _error([f"internal error ({type(exc).__name__}: {exc}); please report it"])
        return CallToolResult(content=[TextContent(type="text", text=_json(result))],
                              structuredContent=result)

    def _error(lines: list[str]) -> CallToolResult:
        return CallToolResult(content=[TextContent(type="text", text="\n".join(lines))],
                              isError=True)

    return run
