"""The headless calculation engine: numpy only, vectorised, no terminal code.

Import hygiene is tested: importing this package must not import textual or rich.
"""

from .evaluate import evaluate
from .explain import Explanation, explain, explainable
from .outputs import OUTPUTS, Output
from .report import build_report

__all__ = ["OUTPUTS", "Explanation", "Output", "build_report", "evaluate", "explain",
           "explainable"]
