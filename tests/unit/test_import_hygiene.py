"""The engine and scenario packages stay headless: no textual, rich or plotext."""

import subprocess
import sys

import pytest


@pytest.mark.parametrize("module", ["infracalc_tui.engine", "infracalc_tui.scenario",
                                    "infracalc_tui.calc", "infracalc_tui.engine.series"])
def test_core_imports_no_terminal_libraries(module: str) -> None:
    code = (f"import sys, {module}; "
            "print(' '.join(m for m in ('textual', 'rich', 'plotext') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
