"""The ``infracalc`` command: the TUI, and scriptable report/sweep/explain/validate/presets;
``serve`` (the app in a browser, serve.py) and ``mcp`` (an MCP server, mcp_server.py).

User errors exit with code 2 and one clear line each on stderr, never a traceback. Opening
the app (no command) is the common case and a race against a cold start: it builds no
argument parser and imports nothing that only the commands use.
"""

from __future__ import annotations

import functools
import importlib
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from . import formatting as fmt
from .scenario.errors import ScenarioError as _ScenarioErrors

if TYPE_CHECKING:
    import argparse

    import numpy as np

    from .engine.explain import Explanation

COMMANDS = ("report", "sweep", "explain", "calibrate", "validate", "presets", "serve", "mcp")
MODULES = {"serve": "serve", "mcp": "mcp_server"}  # commands whose code is their own module
ANALYSIS_COMMANDS = ("solve", "sensitivity", "uncertainty", "compare")  # cli_analysis.py
COMMANDS += ANALYSIS_COMMANDS
MAX_STEPS = 1000
MAX_POINTS = 1_000_000


class UsageError(Exception):
    """A mistake in how the command was called."""


@functools.cache  # building them costs ~5 ms (gettext lookups); parsers are reusable
def _parsers() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            raise UsageError(f"{message} (see `{self.prog} --help`)")

    top = _Parser(
        prog="infracalc",
        description="The economics of serving large language models: fleets (GPUs, MW, $ per "
        "1M tokens) and single hosts (profit at a price per minute). With no command, opens "
        "the terminal app on FILE or the default preset scenario.",
        epilog="commands: " + ", ".join(COMMANDS) + " (each has --help)")
    top.add_argument("file", nargs="?", help="scenario file to open (default: the shipped "
                     "'GPT-4o for 1B users' preset)")
    top.add_argument("--version", action="version",
                     version=f"infracalc {__version__} (commands: {', '.join(COMMANDS)})")
    subs: dict[str, argparse.ArgumentParser] = {}

    def sub(name: str, help: str) -> argparse.ArgumentParser:
        p = _Parser(prog=f"infracalc {name}", description=help)
        subs[name] = p
        return p

    sets = dict(action="append", default=[], metavar="SECTION.KEY=VALUE",
                help="override a scenario key (repeatable); numbers may be written 1e9, 1B, "
                "2.5k, $0.02")
    p = sub("report", "Print every figure of the report for a scenario.")
    p.add_argument("file")
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("--set", **sets)

    p = sub("sweep", "Evaluate a 1-D or 2-D grid of a scenario in one vectorised call.")
    p.add_argument("file")
    p.add_argument("--vary", action="append", required=True, metavar="SECTION.KEY=START:STOP:"
                   "STEPS[:log]", help="a key to vary (once for 1-D, twice for 2-D)")
    p.add_argument("--metric", action="append", default=[], metavar="SECTION.KEY",
                   help="a figure to output (repeatable); default: headline figures")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--set", **sets)

    p = sub("explain", "Show how a figure was computed: formula, numbers, source.")
    p.add_argument("file")
    p.add_argument("key", nargs="?", help="report figure, e.g. fleet.gpus (omit to list them)")
    p.add_argument("--depth", type=int, default=1, metavar="N",
                   help="also explain the terms, N levels down (default 1: the figure and "
                   "its terms, each input with where its value came from)")
    p.add_argument("--set", **sets)

    p = sub("calibrate", "Fit the efficiency knobs (serving.mbu, mfu, prefill_mfu, "
            "step_overhead_ms) so the scenario reproduces your own measurement.")
    p.add_argument("file")
    p.add_argument("--measured", action="append", required=True, metavar="SECTION.KEY=VALUE",
                   help="a figure you measured on this configuration (repeatable): "
                   "throughput.decode_tokens_per_s_per_stream, throughput.decode_tokens_per_s_"
                   "per_gpu, throughput.step_time_ms, host.decode_tokens_per_s_per_stream, "
                   "throughput.prefill_tokens_per_s_per_gpu")
    p.add_argument("--write", action="store_true",
                   help="save the fitted keys into FILE (atomically; only those keys change)")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--set", **sets)

    p = sub("validate", "Check scenario files; exit 0 when all are valid, 2 otherwise.")
    p.add_argument("files", nargs="+")

    sub("presets", "List the GPU, model and scenario presets.")

    for module in MODULES.values():  # each adds its parser here and runs it with main(ns)
        importlib.import_module(f".{module}", __package__).add_parser(sub)
    from . import cli_analysis

    cli_analysis.add_parsers(sub, sets)
    return top, subs


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        return _dispatch(args)
    except (UsageError, _ScenarioErrors) as exc:
        for line in error_lines(exc):
            print(f"infracalc: {line}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one clear line rather than a traceback (tests expect none)
        print(f"infracalc: internal error ({type(exc).__name__}: {exc}); please report it "
              "with the command you ran", file=sys.stderr)
        return 70


def error_lines(exc: UsageError | _ScenarioErrors) -> list[str]:
    """A user's mistake as the one-line messages it is reported with (here and over MCP)."""
    return [str(exc)] if isinstance(exc, UsageError) else [str(p) for p in exc.problems]


def _dispatch(args: list[str]) -> int:
    if len(args) <= 1 and not (args and (args[0].startswith("-") or args[0] in COMMANDS)):
        return _cmd_tui(args[0] if args else None)  # what the parser would conclude
    top, subs = _parsers()
    if args and args[0] in subs:
        ns = subs[args[0]].parse_args(args[1:])
        if args[0] in MODULES:
            return importlib.import_module(f".{MODULES[args[0]]}", __package__).main(ns)
        if args[0] in ANALYSIS_COMMANDS:
            from .cli_analysis import HANDLERS

            return HANDLERS[args[0]](ns)
        return globals()[f"_cmd_{args[0]}"](ns)
    ns = top.parse_args(args)
    return _cmd_tui(ns.file)


# -- commands -------------------------------------------------------------------------------

def _cmd_tui(file: str | None) -> int:
    import gc

    # Until the first frame, nearly every object made lives as long as the app: the garbage
    # collector would only rescan them, again and again (~30 ms of a cold start). The app
    # starts it again once its first frame is out (screens.paint.first_frame_out).
    gc.disable()
    from . import prefetch
    from .scenario.presets import default_path

    path = Path(file) if file else default_path()
    child = prefetch.start(path)  # loads the file and computes its report, on the other core
    from .tui.app import run  # meanwhile: Textual

    # a file's problems exit 2, one line each, before the screen opens
    scenario = child.scenario() if child else None
    if scenario is None:  # no fork, or the child failed: the same work, here
        from .scenario import load

        scenario, child = load(path), None
    return run(scenario, path if file else None, child)


def _cmd_report(ns: argparse.Namespace) -> int:
    from .calc import report_for

    scenario = _load(ns.file, ns.set)
    report = report_for(scenario)
    if ns.format == "json":
        print(_json(report))
    elif ns.format == "markdown":
        from .report_text import markdown_report

        print(markdown_report(report, scenario.opens_on))
    elif ns.format == "csv":
        import csv

        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["key", "value", "unit"])
        from .engine import OUTPUTS
        for section in ("throughput", "fleet", "host"):
            for key, val in report[section].items():
                o = OUTPUTS.get(f"{section}.{key}")
                w.writerow([f"{section}.{key}", "" if val is None else val, o.unit if o else ""])
        for warning in report["warnings"]:
            w.writerow(["warning", warning, ""])
        sys.stdout.write(out.getvalue())
    else:
        from .report_text import table

        print(table(report, scenario.opens_on))
    return 0


def _cmd_sweep(ns: argparse.Namespace) -> int:
    result = sweep_json(_load(ns.file, ns.set), ns.vary, ns.metric)
    if ns.format == "json":
        print(_json(result))
    else:
        import csv

        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(list(result["rows"][0]))
        for row in result["rows"]:
            w.writerow(["" if v is None else v for v in row.values()])
        sys.stdout.write(out.getvalue())
    return 0


def sweep_json(scenario: Any, vary: list[str], metric: list[str]) -> dict[str, Any]:
    """The grid ``sweep --format json`` prints (the MCP server's ``sweep`` too)."""
    import itertools

    import numpy as np

    from .engine.evaluate import evaluate
    from .engine.report import INTERNAL
    from .scenario import field
    from .scenario.errors import Problem, ScenarioError

    if len(vary) > 2:
        raise UsageError("--vary may be given at most twice (a 1-D or 2-D grid)")
    axes: list[tuple[str, np.ndarray]] = []
    for spec in vary:
        path, values = _parse_vary(spec)
        if any(path == p for p, _ in axes):
            raise UsageError(f"--vary {path} is given twice")
        axes.append((path, values))
    # the rules between keys are monotone in each key: the corners of the grid decide
    problems: list[Problem] = []
    for corner in itertools.product(*[(a.min(), a.max()) for _, a in axes]):
        probe = scenario
        for (path, _), v in zip(axes, corner, strict=True):
            probe = probe.with_value(path, int(v) if field(path).kind == "int" else float(v))
        problems += [Problem("--vary", p.key, p.message) for p in probe.problems()
                     if p not in problems]
    if problems:
        raise ScenarioError(problems)
    # the inputs, not the resolved values: what derives from a varied key follows it
    values = dict(scenario.inputs)
    shape = tuple(len(a) for _, a in axes)
    for i, (path, a) in enumerate(axes):
        values[path] = a.reshape([-1 if j == i else 1 for j in range(len(axes))])
    raw = evaluate(values)
    available = [*sorted(k for k in raw if k not in INTERNAL), "throughput.bound"]
    metrics = metric or list(_DEFAULT_METRICS)
    for m in metrics:
        if m not in available:
            raise UsageError(f"unknown metric {m!r}; metrics: {', '.join(available)}")
    columns: dict[str, np.ndarray] = {}
    grids = np.meshgrid(*[a for _, a in axes], indexing="ij")
    for (path, _), g in zip(axes, grids, strict=True):
        columns[path] = g.ravel()
    for m in metrics:
        if m == "throughput.bound":
            bound = np.broadcast_to(raw["throughput.memory_bound"], shape)
            label = "manual" if scenario.values["serving.throughput"] == "manual" else None
            columns[m] = np.array([label or ("memory" if b else "compute")
                                   for b in bound.ravel()], dtype=object)
        else:
            columns[m] = np.broadcast_to(np.asarray(raw[m]), shape).ravel()
    rows = [{k: _cell(col[i]) for k, col in columns.items()} for i in range(int(np.prod(shape)))]
    return {"name": scenario.name, "vary": [{"key": p, "values": [_cell(x) for x in a]}
                                            for p, a in axes],
            "metrics": metrics, "shape": list(shape), "rows": rows}


def _cmd_explain(ns: argparse.Namespace) -> int:
    from .engine import explainable

    scenario = _load(ns.file, ns.set)
    if not ns.key:
        print("Explainable figures:\n  " + "\n  ".join(explainable()))
        return 0
    from .drilldown import explain_text
    from .drilldown import explainable as drillable

    if ns.key not in scenario.values and not drillable(ns.key):
        explanation(scenario, ns.key)  # a UsageError saying how to list the figures
    print(explain_text(scenario, ns.key, depth=ns.depth))
    return 0


def explanation(scenario: Any, key: str) -> Explanation:
    """How ``key`` was computed; UsageError naming the way to list the keys if it is none."""
    from .calc import explain_for, report_for
    from .engine import explainable

    if key not in explainable():
        raise UsageError(f"no explanation for {key!r}; run `infracalc explain FILE` to list "
                         "the figures")
    return explain_for(scenario, key, report_for(scenario))


def _cmd_calibrate(ns: argparse.Namespace) -> int:
    from .engine.calibrate import MEASURABLE, calibrate
    from .scenario import load, save
    from .scenario.numbers import parse_number

    scenario = _load(ns.file, ns.set)
    measured: dict[str, float] = {}
    for item in ns.measured:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or key not in MEASURABLE:
            raise UsageError(f"--measured {item}: expected KEY=VALUE with KEY one of "
                             f"{', '.join(MEASURABLE)}")
        try:
            value = parse_number(text.strip())
        except ValueError as exc:
            raise UsageError(f"--measured {key}: {exc}") from None
        if not (value > 0 and value < 1e12):
            raise UsageError(f"--measured {key}: {text.strip()}: must be a number above 0")
        measured[key] = value
    result = calibrate(scenario.values, measured)
    note = ", ".join(f"{k}={v:g}" for k, v in measured.items())
    if ns.format == "json":
        print(_json({"measured": measured, "knobs": result.knobs, "predicted": result.predicted,
                     "residual_pct": result.residual_pct, "written": bool(ns.write)}))
    else:
        for k, v in result.knobs.items():
            print(f"{k} = {v:.4g}")
        for k, v in measured.items():
            print(f"{k}: measured {v:g}, calibrated {result.predicted[k]:.4g} "
                  f"(residual {result.residual_pct[k]:+.2f}%)")
    if ns.write:
        out = load(ns.file)  # the file's own keys: --set overrides are not saved
        for k, v in result.knobs.items():
            out = out.with_value(k, round(v, 4))
        save(out.with_value("serving.measured", note), ns.file)
        if ns.format != "json":
            print(f"written to {ns.file}")
    return 0


def _cmd_validate(ns: argparse.Namespace) -> int:
    from .scenario import ScenarioError, load

    status = 0
    for file in ns.files:
        try:
            load(file)
            print(f"{file}: ok")
        except ScenarioError as exc:
            status = 2
            for problem in exc.problems:
                print(problem, file=sys.stderr)
    return status


def _cmd_presets(ns: argparse.Namespace) -> int:
    from .scenario.catalog import gpus, models
    from .scenario.presets import presets

    print("GPUs (gpu.preset):")
    print(f"  {'key':14} {'name':40} {'memory':>9} {'type':>7} {'TB/s':>6} {'BF16':>6} "
          f"{'FP8':>6} {'FP4':>6} {'W':>5} {'price':>8}  engine")
    for g in gpus().values():
        fp8 = f"{g.tflops_fp8:g}" if g.tflops_fp8 else "-"
        fp4 = f"{g.tflops_fp4:g}" if g.tflops_fp4 else "-"
        print(f"  {g.key:14} {g.name:40} {g.memory_gb:>7.4g}GB {g.memory_type:>7} "
              f"{g.bandwidth_tb_s:>6g} {g.tflops_bf16:>6g} {fp8:>6} {fp4:>6} {g.tdp_w:>5g} "
              f"{fmt.usd(g.price_usd):>8}  {g.engine}")
    print("\nModels (model.preset):")
    print(f"  {'key':16} {'name':26} {'params':>7} {'active':>7} {'layers':>6} {'kv':>4} "
          f"{'hd':>4} {'bits':>5}")
    for m in models().values():
        print(f"  {m.key:16} {m.name:26} {m.total_params_b:>6g}B "
              f"{m.active_params_b or m.total_params_b:>6g}B "
              f"{m.layers:>6} {m.kv_heads:>4} {m.head_dim:>4} {m.weight_bits:>5g}")
    print("\nScenarios (infracalc FILE):")
    for p in presets().values():
        print(f"  {p.key:26} {p.scenario.name}\n  {'':26} {p.path}")
    return 0


# -- helpers --------------------------------------------------------------------------------

_DEFAULT_METRICS = ("fleet.gpus", "fleet.facility_power_mw", "fleet.annual_cost_usd",
                    "fleet.cost_per_million_tokens_usd", "host.profit_usd_per_day",
                    "host.break_even_days", "host.max_threads")


def _load(file: str, settings: list[str]) -> Any:
    from .calc import apply_settings
    from .scenario import load

    return apply_settings(load(file), settings)


def _parse_vary(spec: str) -> tuple[str, np.ndarray]:
    import numpy as np

    from .scenario.numbers import parse_number
    from .scenario.validate import check_value

    path, sep, rng = spec.partition("=")
    parts = rng.split(":")
    if not sep or len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] != "log"):
        raise UsageError(f"--vary {spec!r}: expected SECTION.KEY=START:STOP:STEPS[:log]")
    f = numeric_field(path, "--vary")
    try:
        start, stop = parse_number(parts[0]), parse_number(parts[1])
        steps = int(parts[2])
    except ValueError as exc:
        raise UsageError(f"--vary {spec!r}: {exc}") from None
    if not 1 <= steps <= MAX_STEPS:
        raise UsageError(f"--vary {path}: STEPS must be a whole number from 1 to {MAX_STEPS}")
    if len(parts) == 4:
        if start <= 0 or stop <= 0:
            raise UsageError(f"--vary {path}: a log sweep needs START and STOP above 0")
        values = np.geomspace(start, stop, steps)
    else:
        values = np.linspace(start, stop, steps)
    if f.kind == "int":
        values = np.unique(np.round(values))
    for v in (values.min(), values.max()):
        _, problem = check_value(f, int(v) if f.kind == "int" else float(v), "--vary")
        if problem:
            raise _ScenarioErrors([problem])
    return path, values


def numeric_field(path: str, flag: str) -> Any:
    """The schema field of a numeric input named on the command line (``--vary``,
    ``--range``); a UsageError naming ``flag`` when it is unknown or not a number."""
    from .scenario import field

    try:
        f = field(path)
    except KeyError as exc:
        raise UsageError(f"{flag}: {exc.args[0]}") from None
    if not f.numeric:
        raise UsageError(f"{flag} {path}: only numeric keys can be varied ({path} is "
                         f"{f.allowed()})")
    return f


def _cell(x: Any) -> Any:
    import numpy as np

    if isinstance(x, str):
        return x
    a = np.asarray(x)
    if a.dtype == bool:
        return bool(a)
    v = float(a)
    if not np.isfinite(v):
        return None
    return int(v) if v.is_integer() and abs(v) < 2**53 else v


def _json(obj: Any) -> str:
    import json

    return json.dumps(obj, indent=2, allow_nan=False, ensure_ascii=False)
