"""TUI test setup: user folders in tmp, fixed theme, no cursor blink."""

from pathlib import Path

import pytest

from infracalc_tui.config import Config
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.app import InfracalcApp


@pytest.fixture(autouse=True)
def user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("INFRACALC_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("INFRACALC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INFRACALC_STATE_DIR", str(tmp_path / "state"))
    return tmp_path


def make_app(preset: str = "llama70b-own-hardware", path: Path | None = None) -> InfracalcApp:
    return InfracalcApp(presets()[preset].scenario, path, Config(), None)
