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
