"""TUI test setup: user folders in tmp, fixed theme, no cursor blink."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

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


class ReadyApp(InfracalcApp):
    """The app whose run_test starts once every field and chart is mounted (in use they
    arrive just after the first paint; a test should not race them)."""

    @asynccontextmanager
    async def run_test(self, *args: Any, **kw: Any) -> AsyncIterator[Any]:
        async with super().run_test(*args, **kw) as pilot:
            await self.until_ready(pilot)
            yield pilot


def make_app(preset: str = "llama70b-own-hardware", path: Path | None = None,
             config: Config | None = None) -> InfracalcApp:
    return ReadyApp(presets()[preset].scenario, path, config or Config(), None)
