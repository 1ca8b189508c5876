"""benchmarks/mutation.py tells apart the functions a module calls while it is imported
(mutmut cannot switch their mutants on, so the report sets them apart) from those only
called later: a call inside a lambda or a def is a later one."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "benchmarks" / "mutation.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["mutation"] = module
    spec.loader.exec_module(module)
    return module


def test_only_top_level_calls_run_at_import() -> None:
    tree = ast.parse(
        "TABLE = {'a': build(1), 'b': lambda ns: note(ns, False)}\n"
        "X = [wrap(y) for y in range(3)]\n"
        "def f():\n    return inner()\n"
        "if flag():\n    def g():\n        return deep()\n")
    assert _script().at_import(tree) == {"build", "wrap", "range", "flag"}


def test_every_engine_cache_is_emptied_before_each_mutation_test() -> None:
    """Each memo dict (the first argument of memo.memoised) and each @cache function of the
    packages is in the script's CACHES, so no test under mutation finds a scenario an earlier
    test computed; and the plugin the script writes compiles."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "src" / "infracalc_tui").glob("[es]*/*.py"):
        module = ".".join(path.relative_to(ROOT / "src").with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(
                    node.func, "id", "")) == "memoised" and isinstance(node.args[0], ast.Name):
                found.setdefault(module, set()).add(node.args[0].id)
            if isinstance(node, ast.FunctionDef) and any(
                    getattr(d, "id", "") == "cache" for d in node.decorator_list):
                found.setdefault(module, set()).add(node.name)
    script = _script()
    report_best = {"infracalc_tui.engine.report": {"_best"}}  # a dict it fills by hand
    assert {m: set(n) for m, n in script.CACHES.items()} == {**found, **report_best}
    compile(script.PLUGIN % (script.CACHES,), "mutation_plugin.py", "exec")
