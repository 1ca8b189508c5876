"""Snapshots of each tab at 120x40 and 80x24 (deterministic: fixed theme, tmp config)."""

from pathlib import Path

import pytest

APP = Path(__file__).parent / "snapshot_app.py"


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
@pytest.mark.parametrize("key", ["f3", "f4", "f5"])
def test_tabs(snap_compare, size: tuple[int, int], key: str) -> None:
    async def ready(pilot) -> None:  # fields and charts arrive just after the first paint
        await pilot.app.until_ready(pilot)

    assert snap_compare(str(APP), press=[key], terminal_size=size, run_before=ready)
