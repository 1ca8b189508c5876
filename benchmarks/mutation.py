"""Mutation testing of ``engine/`` and ``scenario/``: would the unit tests notice a wrong line?

Coverage says a line ran; a mutant (``+`` made ``-``, ``<`` made ``<=``, a constant changed) that
the tests still pass says nobody checks what the line computes. mutmut 3 makes the mutants and
runs, for each, only the unit tests that reached its function, those that killed its
neighbours first, with ``-x``:
``tests/unit`` less ``SLOW`` (one fuzz test is 147 s of the ~170 s suite), with
hypothesis's shrinking off (a kill needs a failure, not the smallest one) and a fixed seed.

How: the repository is copied into a scratch directory (the work tree is never touched), a
``[tool.mutmut]`` section is added to the copy's pyproject.toml unless it has one, and
``mutmut run`` runs there at nice 19; the survivors go to ``docs/mutation.md``.

Time: hours. There are ~8,600 mutants; one in a core function (replica, throughput, fleet,
host) is reached by ~45 s of tests, all of which a survivor runs, so the core files go at ~12
mutants a minute with two children on the 2-core machine. Slow: not in CI. A re-run with the
same ``--workdir`` tests only the mutants not checked yet and those of changed functions;
``--sample 0.1`` tests a tenth of each file's unchecked ones, from which the report estimates
the rate of every file. Needs ``pip install 'mutmut>=3.8,<4'``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from pathlib import Path

PACKAGES = ("src/infracalc_tui/engine", "src/infracalc_tui/scenario")
CONFIG = """
[tool.mutmut]
source_paths = ["src"]
only_mutate = ["src/infracalc_tui/engine/*", "src/infracalc_tui/scenario/*"]
also_copy = ["scenarios", "themes", "README.md", ".ci", "docs", "benchmarks"]
pytest_add_cli_args_test_selection = {tests}
pytest_add_cli_args = ["-p", "no:cacheprovider", "-p", "mutation_plugin", "--hypothesis-seed=0"]
use_git_change_detection = false
timeout_multiplier = 4.0
timeout_constant = 10.0
process_isolation = "forkserver"
"""
# forkserver: in the default "fork" mode the stats run happens in mutmut's own process, and the
# child processes that test_prefetch.py leaves behind later trip its os.wait() (KeyError: pid).
# A failing property is all a kill needs: shrinking it (minutes, at worst) would only time out.
#: module -> its memo dicts and @cache functions: each test starts with them empty, or a test
#: that finds a scenario memoised by an earlier one is not counted as reaching (and so never
#: runs for) the functions that computed it; a name that no longer exists fails loudly
CACHES = {"infracalc_tui.engine.evaluate": ["_throughput_cache"],
          "infracalc_tui.engine.host": ["_capacity_cache"],
          "infracalc_tui.engine.investment": ["_IRR"],
          "infracalc_tui.engine.report": ["_best"],
          "infracalc_tui.scenario.catalog": ["gpus", "models", "engines", "_fit"],
          "infracalc_tui.scenario.presets": ["presets"]}
PLUGIN = """import importlib
import json
import os
from collections import Counter
from pathlib import Path
import pytest
from hypothesis import Phase, settings
KILLS = "mutation-kills.txt"  # mutant name and the test that killed it, a line each
def _mutant():
    name = os.environ.get("MUTANT_UNDER_TEST", "")
    return name if "__mutmut_" in name else ""  # not the stats, clean or forced-fail runs
def _read(name):  # mutmut runs the tests in mutants/ (older versions: in the copy's root)
    for path in (Path(name), Path("mutants") / name):
        if path.exists():
            return path.read_text()
    return ""
CACHES = %r
@pytest.fixture(autouse=True)
def _empty_caches():
    for module, names in CACHES.items():
        for name in names:
            cache = getattr(importlib.import_module(module), name)
            (cache.cache_clear if callable(cache) else cache.clear)()
    yield
@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    quick = [p for p in settings.default.phases if p not in (Phase.shrink, Phase.explain)]
    settings.register_profile("mutation", parent=settings.default, phases=quick)
    settings.load_profile("mutation")
@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    try:
        took = json.loads(_read("mutmut-stats.json"))["duration_by_test"]
    except (ValueError, KeyError):
        took = {}
    func = _mutant().partition("__mutmut_")[0]
    module = func.rpartition(".")[0]
    same_function, same_module = Counter(), Counter()
    for line in _read(KILLS).splitlines():
        mutant, _, test = line.partition(" ")
        killed_in = mutant.partition("__mutmut_")[0]
        same_function[test] += bool(func) and killed_in == func
        same_module[test] += bool(module) and killed_in.rpartition(".")[0] == module
    items.sort(key=lambda item: (-same_function[item.nodeid], -same_module[item.nodeid],
                                 took.get(item.nodeid, float("inf"))))
def pytest_runtest_logreport(report):
    if report.failed and (mutant := _mutant()):
        with open(KILLS, "a") as out:
            out.write(f"{mutant} {report.nodeid}\\n")
"""
# mutmut hands each mutant its tests in no set order and stops at the first failure (-x):
# the tests that killed a mutant of the same function go first, then those that killed one
# of the same module (mutation-kills.txt, written as the run goes), then the fastest, so a
# mutant that a 1 ms test kills need not wait for a 9 s one first.
# Not per mutant: the hostile-file fuzz test (147 s of the suite's ~170 s), the profile refit
# (14 s), the tests that only start a python to check its imports or entry points (~20 s
# under mutmut), the MCP server's (a subprocess that mutmut's stats mode kills; its tools
# print the CLI's JSON, tested here in-process), the module-size rule (mutmut's copies
# are many times longer) and this script's own tests (they read the source, mutated there).
FUZZ, CLI = "tests/unit/test_fuzz_files.py::test_", "tests/unit/test_cli.py::test_"
SLOW = ["--ignore=tests/unit/test_import_hygiene.py",
        "--ignore=tests/unit/test_module_sizes.py",  # a mutated module is mutmut's, not ours
        "--ignore=tests/unit/test_mutation_script.py",  # this script's tests read the source
        "--ignore=tests/unit/test_mcp.py",  # a server subprocess: dies under mutmut's stats
        "--deselect=tests/unit/test_ledger.py::test_shipped_profiles_are_what_the_script_fits",
        f"--deselect={FUZZ}hostile_files_never_crash_the_cli",
        f"--deselect={FUZZ}the_real_command_prints_no_traceback",
        f"--deselect={CLI}console_script_and_module_entry_points"]
SKIP = shutil.ignore_patterns(".git", "mutants", "__pycache__", ".hypothesis", ".*_cache", ".venv")
KILLED = {"killed", "timeout", "segfault", "caught by type check"}  # a test (or the clock) noticed
UNSEEN = {"not checked", "skipped", "check was interrupted by user"}  # left out of the rate
IMPORT_TIME = "survived at import"  # survivors in functions that run at import
#: survivors no test can kill, each with why (mutant name = reason); the report marks them
EQUIVALENTS = Path(__file__).with_name("mutation_equivalents.toml")


def equivalents() -> dict[str, dict[str, str]]:
    """Mutant name -> {mutated: text its ``+`` line has, why}. A mutant whose diff no longer
    has that text (the function changed, so the numbers moved) is a survivor again."""
    return tomllib.loads(EQUIVALENTS.read_text("utf-8")) if EQUIVALENTS.exists() else {}


def sample(work: Path, fraction: float, seed: int = 0) -> list[str]:
    """A random share of each file's mutants not checked yet (at least 5 a file): a partial
    run that still says something of every file (the report estimates each file's rate)."""
    rng, names = random.Random(seed), []
    for package in PACKAGES:
        for meta in sorted((work / "mutants" / package).rglob("*.py.meta")):
            left = sorted(k for k, v in json.loads(meta.read_text())["exit_code_by_key"].items()
                          if v is None)
            names += rng.sample(left, min(len(left), max(5, round(fraction * len(left)))))
    return names


def prepare(repo: Path, work: Path, everything: bool) -> None:
    """Copy ``repo`` into ``work`` (keeping mtimes, so mutmut reuses old verdicts) and configure."""
    shutil.copytree(repo, work, ignore=SKIP, dirs_exist_ok=True)
    (work / "mutants" / "src").mkdir(parents=True, exist_ok=True)  # on PYTHONPATH: must exist
    # mutmut refreshes only the Python files it mutates: a reused copy keeps stale data files
    for path in (work / "src").rglob("*"):
        copy = work / "mutants" / "src" / path.relative_to(work / "src")
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts and \
                (not copy.exists() or copy.read_bytes() != path.read_bytes()):
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, copy)
    (work / "mutants" / "src" / "mutation_plugin.py").write_text(PLUGIN % (CACHES,))
    tests = ["tests/unit"] + ([] if everything else SLOW)
    toml = work / "pyproject.toml"
    if "[tool.mutmut]" not in (text := toml.read_text()):  # the repository's own section wins
        toml.write_text(text + CONFIG.format(tests=json.dumps(tests)))


def run_mutmut(work: Path, max_children: int, only: list[str]) -> int:
    env = dict(os.environ, PYTHONPATH=str(work / "mutants" / "src"))  # for subprocess tests too
    cli = "import sys; from mutmut.__main__ import cli; sys.argv[0] = 'mutmut'; cli()"
    cmd = [sys.executable, "-c", cli, "run", "--max-children", str(max_children), *only]
    return subprocess.run(cmd, cwd=work, env=env).returncode


def function_node(tree: ast.Module, key: str) -> ast.AST | None:
    """The def that mutant ``pkg.mod.x_f__mutmut_3`` or ``pkg.mod.xǁCǁm__mutmut_3`` came from."""
    name = key.rpartition(".")[2].partition("__mutmut_")[0]
    cls, func = (name.split("ǁ")[1:3] if name.startswith("xǁ") else (None, name[2:]))
    body = tree.body
    if cls is not None:
        body = next((n.body for n in body if isinstance(n, ast.ClassDef) and n.name == cls), [])
    defs = (ast.FunctionDef, ast.AsyncFunctionDef)
    return next((n for n in body if isinstance(n, defs) and n.name == func), None)


def at_import(tree: ast.Module) -> set[str]:
    """Functions the module calls while it is imported: mutmut cannot switch their mutants on.
    A call inside a lambda or a nested def runs later, when a test calls it, so it is not one
    (``FORMULAS = {..: lambda ns: _over_note(ns, False)}`` calls ``_over_note`` only then)."""
    skip = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)
    later = (ast.Lambda, ast.FunctionDef, ast.AsyncFunctionDef)
    out: set[str] = set()
    todo: list[ast.AST] = [s for s in tree.body if not isinstance(s, skip)]
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            out.add(node.func.id)
        todo.extend(c for c in ast.iter_child_nodes(node) if not isinstance(c, later))
    return out


def called_at_import(work: Path) -> dict[str, set[str]]:
    """File (relative to ``work``) -> its functions that some module of the packages calls
    while it is imported: the module's own top-level calls, and calls of names it imports
    from a sibling module (``FORMULAS = {..: _speed_checks(..)}`` in formulas.py runs
    formula_parts' factory at import; only the closure it returns runs in a test)."""
    out: dict[str, set[str]] = {}
    for package in PACKAGES:
        for path in sorted((work / package).rglob("*.py")):
            tree = ast.parse(path.read_text())
            calls = at_import(tree)
            origin = {}
            for node in tree.body:
                if isinstance(node, ast.ImportFrom) and node.level and node.module:
                    base = path.parent
                    for _ in range(node.level - 1):
                        base = base.parent
                    target = base.joinpath(*node.module.split(".")).with_suffix(".py")
                    for alias in node.names:
                        origin[alias.asname or alias.name] = (target, alias.name)
            for name in calls:
                target, real = origin.get(name, (path, name))
                key = str(target.relative_to(work)) if target.is_relative_to(work) else ""
                out.setdefault(key, set()).add(real)
    return out


def locate(lines: list[str], node: ast.AST | None, diff: str) -> tuple[int, list[str]]:
    """File line of the first changed line, and the -/+ lines of a function-relative diff."""
    changed, first, at = [], 0, 0
    for line in diff.splitlines()[2:]:
        if line.startswith("@@"):
            at = int(line.split()[1].split(",")[0][1:])
        elif line[:1] in "-+":
            changed.append(line)
            if line[0] == "-" and not first:
                first = at
            at += line[0] == "-"
        else:
            at += 1
    if node is None:
        return 0, changed
    decorators = getattr(node, "decorator_list", [])
    start = min([node.lineno, *(d.lineno for d in decorators)])
    want = next((c[1:].strip() for c in changed if c[0] == "-"), None)
    guess = start + max(first, 1) - 1
    if want is not None and lines[guess - 1].strip() != want:
        hits = [i for i in range(start, node.end_lineno + 1) if lines[i - 1].strip() == want]
        guess = min(hits, key=lambda i: abs(i - guess), default=guess)
    return guess, changed


def report(repo: Path, work: Path, seconds: float | None) -> str:
    os.chdir(work)  # mutmut reads mutants/ relative to the working directory
    import mutmut
    from mutmut.mutation.diff_apply import get_diff_for_mutant
    from mutmut.stats import status_by_exit_code

    counts: dict[str, Counter[str]] = {p: Counter() for p in PACKAGES}
    estimate: dict[str, list[float]] = {p: [0.0, 0.0] for p in PACKAGES}  # killed, mutants
    same = equivalents()
    sections: list[str] = []
    metas = [(p, m) for p in PACKAGES for m in sorted((work / "mutants" / p).rglob("*.py.meta"))]
    import_time = called_at_import(work)
    for package, meta in metas:
        path = str(meta.relative_to(work / "mutants"))[: -len(".meta")]
        verdicts = json.loads(meta.read_text())["exit_code_by_key"]
        source = (work / path).read_text()
        lines, tree = source.splitlines(), ast.parse(source)
        early = {f"x_{name}" for name in import_time.get(path, set())}
        found, mine = [], Counter()
        for key, code in verdicts.items():
            status = status_by_exit_code[code]
            if status == "survived" and key in same and same[key]["mutated"] in "\n".join(
                    x for x in get_diff_for_mutant(key, path=path).splitlines()
                    if x.startswith("+")):
                status = "equivalent"
            counts[package][status] += 1
            mine[status] += 1
            if status == "survived" and key.rpartition(".")[2].partition("__mutmut_")[0] in early:
                counts[package][IMPORT_TIME] += 1  # untestable: counted apart as well
            if status in UNSEEN or (status in KILLED and status != "timeout"):
                continue  # timeouts are listed: on a busy machine a slow survivor can time out
            diff = get_diff_for_mutant(key, path=path)
            line, changed = locate(lines, function_node(tree, key), diff)
            name = key.rpartition(".")[2]
            if status == "equivalent":
                status += f": {same[key]['why']}"
            elif name.partition("__mutmut_")[0] in early:
                status += ("; the function runs at import (here or from another module), before "
                           "mutmut can switch a mutant on")
            found.append((line, status.startswith(("survived", "no tests")),
                          f"# L{line} {name} ({status})\n" + "\n".join(changed)))
        checked = sum(mine.values()) - sum(mine[s] for s in UNSEEN) - mine["equivalent"]
        if checked:  # this file's rate, over all its mutants that are not equivalent
            killed = sum(mine[s] for s in KILLED)
            estimate[package][0] += killed / checked * (sum(mine.values()) - mine["equivalent"])
            estimate[package][1] += sum(mine.values()) - mine["equivalent"]
        if found:
            found.sort()
            body = "\n".join(text for _, _, text in found)
            n = sum(1 for _, alive, _ in found if alive)
            left = sum(mine[s] for s in UNSEEN)
            head = f"### `{path}`: {n} survivors of {len(verdicts)} mutants" + \
                (f" ({left} not checked yet)" if left else "")
            sections.append(f"{head}\n\n```diff\n{body}\n```\n")
    rows = []
    for package, c in counts.items():
        total, unseen, killed = (sum(c[s] for s in group) for group in (c, UNSEEN, KILLED))
        total -= c[IMPORT_TIME]  # a mark on some survivors, not a verdict of its own
        seen = total - unseen - c["equivalent"]
        rate = f"{100 * killed / seen:.1f}%" if seen > 0 else "n/a"
        testable = seen - c[IMPORT_TIME]
        rate_t = f"{100 * killed / testable:.1f}%" if testable > 0 else "n/a"
        k, n = estimate[package]
        rate_e = f"{100 * k / n:.1f}%" if n else "n/a"
        other = seen - killed - c["survived"] - c["no tests"]
        cells = [c["killed"], c["timeout"], c["survived"], c[IMPORT_TIME], c["equivalent"],
                 c["no tests"], other, unseen, rate, rate_t, rate_e]
        name = package.removeprefix("src/infracalc_tui/")
        rows.append(f"| `{name}/` | {total} | " + " | ".join(map(str, cells)) + " |")
    total = sum(sum(c.values()) - c[IMPORT_TIME] for c in counts.values())
    unchecked = sum(c[s] for c in counts.values() for s in UNSEEN)
    partial = (f"**Partial run: {total - unchecked:,} of {total:,} mutants checked so far**; "
               "`--workdir` on the same scratch copy goes on where it stopped.\n"
               if unchecked else "")
    commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "?"
    took = f", {seconds / 60:.0f} min" if seconds is not None else ""
    return "\n".join([
        "# Mutation testing: `engine/` and `scenario/`\n",
        f"`python3 benchmarks/mutation.py` (mutmut {mutmut.__version__}, commit {commit}{took}): "
        "each mutant against the unit tests that reach its function (`tests/unit` less `SLOW` in "
        "the script: the hostile-file fuzz test, the profile refit, the import-hygiene, "
        "entry-point, MCP-subprocess and module-size tests, and the mutation script's own), "
        "hypothesis shrinking off, seed 0. "
        "A survivor "
        "is a change that no test noticed; an equivalent one is a survivor no test can notice "
        "(it changes nothing a caller can see), each with why in "
        "`benchmarks/mutation_equivalents.toml`. Kill rate = (killed + timeout + crashed) / "
        "(mutants − not checked − skipped − equivalent); *testable* leaves out the survivors in "
        "functions that run at import (factories that build the formula tables: mutmut "
        "switches a mutant on only in calls made after it, so it cannot test those, and each is "
        "listed below). The last column weighs each file's rate by its number of mutants: the "
        "estimate for all of them when some files were checked only in part (`--sample`). "
        "`mutmut show NAME` in the scratch copy (`--workdir`) shows one.\n",
        partial,
        "| package | mutants | killed | timeout | survived | of which at import | equivalent "
        "| no tests | other | not checked | kill rate, checked | kill rate, testable "
        "| kill rate, all (estimate) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: |",
        *rows,
        "\n## Survivors, by file\n",
        "Line in the file, mutant, then the line as written (`-`) and as mutated (`+`). "
        "Timeouts are listed too (they count as killed).\n",
        *sections,
    ])


def main() -> int:
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("repo", nargs="?", type=Path, default=here, help="repo (default: this one)")
    ap.add_argument("--output", type=Path, help="report file (default: REPO/docs/mutation.md)")
    ap.add_argument("--max-children", type=int, default=1, help="mutants tested at once")
    ap.add_argument("--workdir", type=Path, help="scratch copy to make or reuse (then kept)")
    ap.add_argument("--keep", action="store_true", help="keep a temporary scratch copy")
    ap.add_argument("--all-unit-tests", action="store_true", help="do not leave out SLOW tests")
    ap.add_argument("--only", action="append", default=[], metavar="GLOB",
                    help="test only these mutants, e.g. 'infracalc_tui.scenario.*' (repeatable)")
    ap.add_argument("--report-only", action="store_true", help="just report on --workdir")
    ap.add_argument("--sample", type=float, metavar="FRACTION",
                    help="with --workdir: test this share of each file's unchecked mutants")
    args = ap.parse_args()
    if args.report_only and not args.workdir:
        ap.error("--report-only needs --workdir")
    repo = args.repo.resolve()
    out = (args.output or repo / "docs" / "mutation.md").resolve()
    os.nice(19)  # someone else is working on this machine
    work = (args.workdir or Path(tempfile.mkdtemp(prefix="infracalc-mutation-"))).resolve()
    seconds, code = None, 0
    if not args.report_only:
        print(f"scratch copy: {work}", flush=True)
        prepare(repo, work, args.all_unit_tests)
        t0 = time.monotonic()
        only = args.only + (sample(work, args.sample) if args.sample else [])
        code = run_mutmut(work, args.max_children, only)
        seconds = time.monotonic() - t0
    text = report(repo, work, seconds)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    print(text.split("\n## ")[0], f"\nreport: {out}", sep="\n")
    if args.workdir is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
