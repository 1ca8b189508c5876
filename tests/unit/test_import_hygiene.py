"""The engine and scenario packages stay headless: no textual, rich or plotext."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["infracalc_tui.engine", "infracalc_tui.scenario",
                                    "infracalc_tui.calc", "infracalc_tui.engine.series",
                                    "infracalc_tui.drilldown",
                                    "infracalc_tui.scenario.provenance"])
def test_core_imports_no_terminal_libraries(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(' '.join(m for m in ('textual', 'rich', 'plotext') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_the_first_screen_needs_no_numpy() -> None:
    """The app's screen, figures table and CLI import without numpy: a forked child loads
    it and computes the first report while the app starts (see prefetch.py)."""
    code = ("import sys, infracalc_tui.cli, infracalc_tui.tui.app, infracalc_tui.prefetch, "
            "infracalc_tui.tui.screens.explain; "
            "print('numpy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
