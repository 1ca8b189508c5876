"""The headless calculation engine: numpy only, vectorised, no terminal code.

Import hygiene is tested: importing this package must not import textual or rich. Its
names are loaded on first use, so that the catalog of outputs (plain data) can be read
without importing numpy: the app's first screen is drawn before numpy is loaded. The
functions named like their modules, ``evaluate`` and ``explain``, are imported from those
modules (``from .engine.evaluate import evaluate``): a package attribute of that name is
the submodule as soon as anything imports it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .explain import Explanation, explainable
    from .outputs import OUTPUTS, Output
    from .report import build_report

_WHERE = {"Explanation": "explain", "explainable": "explain", "OUTPUTS": "outputs",
          "Output": "outputs", "build_report": "report"}

__all__ = ["OUTPUTS", "Explanation", "Output", "build_report", "explainable"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_WHERE[name]}", __name__), name)
    globals()[name] = value
    return value
