"""No lost work: the recovery file, the restore offer, saving over a changed file, failed saves."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from infracalc_tui import recovery
from infracalc_tui.scenario import load, save
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.screens.dialogs import ChoiceScreen, ConfirmScreen
from infracalc_tui.tui.services import recovery_service as app_module
from infracalc_tui.tui.widgets.inputs import field_id

from ..conftest import pilot_wait_until
from .conftest import make_app

PRICE = "pricing.charge_per_minute_usd"
SEED = presets()["llama70b-own-hardware"].scenario


@pytest.fixture(autouse=True)
def quick_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "RECOVERY_DELAY_S", 0.05)


async def set_price(pilot, text: str) -> None:
    """Type a valid price and wait until the app took it and its recovery write has run."""
    app = pilot.app
    app.main.focus_field(PRICE)
    await pilot.pause()
    app.query_one(f"#{field_id(PRICE)}", Input).value = text
    # the edit schedules the write (RECOVERY_DELAY_S later); the timer clears itself when done
    await pilot_wait_until(
        pilot, lambda: app.main.scenario.values[PRICE] == float(text)
        and app.main.recovery.timer is None,
        10.0, f"the price {text} to be taken and its recovery file written")


def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "plan.toml"
    save(SEED, path)
    return path


async def test_a_change_reaches_the_recovery_file_and_saving_removes_it(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    app = make_app(path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await set_price(pilot, "0.05")
        own = recovery.own_file()
        assert own.exists()
        rec = recovery.read(own)
        assert rec.scenario.values[PRICE] == 0.05 and rec.origin == path.absolute()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not own.exists() and load(path).values[PRICE] == 0.05


async def test_quitting_keeps_the_file_until_the_user_says_to_drop_it(tmp_path: Path) -> None:
    app = make_app(path=scenario_file(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await set_price(pilot, "0.05")
        own = recovery.own_file()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        await pilot.pause()
        assert own.exists()
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")  # quit without saving: the user drops the changes
        await pilot.pause()
    assert not own.exists()


async def test_the_next_start_offers_the_work_of_a_process_that_is_gone(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    dead = 2**22 + 12345  # above Linux's pid_max: no such process
    left = recovery.write(SEED.with_value(PRICE, 0.07), path, pid=dead)

    # Later: nothing happens to it
    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and "0.02/min" in app.screen.question
        await pilot.press("l")
        await pilot.pause()
        assert left.exists() and app.main.scenario.values[PRICE] == 0.02

    # Restore: the values come back as unsaved changes to the file they came from
    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert app.main.scenario.values[PRICE] == 0.07 and app.main.path == path.absolute()
        assert app.main.dirty and app.title.endswith("*")
        assert not left.exists() and recovery.own_file().exists()  # now ours
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert load(path).values[PRICE] == 0.07

    # Discard: only when the user says so
    left = recovery.write(SEED.with_value(PRICE, 0.09), None, pid=dead)
    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert not left.exists() and app.main.scenario.values[PRICE] == 0.02


async def test_a_damaged_recovery_file_is_reported_and_left_alone(user_dirs: Path) -> None:
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True)
    bad = folder / "4206969.toml"
    bad.write_bytes(b"\xff\xfe not toml [")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen)
        assert any("cannot be read" in n.message for n in app._notifications)
    assert bad.exists()


async def test_saving_over_a_file_changed_on_disk_asks_first(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    app = make_app(path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await set_price(pilot, "0.05")
        theirs = SEED.with_value(PRICE, 0.11)
        save(theirs, path)  # another editor saves meanwhile
        os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and "changed on disk" in app.screen.question
        await pilot.press("c")  # cancel: their file stays, our changes stay
        await pilot.pause()
        assert load(path).values[PRICE] == 0.11 and app.main.dirty
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("o")  # overwrite
        await pilot.pause()
        assert load(path).values[PRICE] == 0.05 and not app.main.dirty


async def test_save_as_onto_another_existing_file_asks_first(tmp_path: Path) -> None:
    other = tmp_path / "other.toml"
    save(SEED.with_value(PRICE, 0.33), other)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.documents.save_to(other)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert load(other).values[PRICE] == 0.33


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    PermissionError(errno.EACCES, "Permission denied"),
])
async def test_a_failing_save_keeps_the_app_state_and_the_old_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError) -> None:
    path = scenario_file(tmp_path)
    before = path.read_bytes()
    app = make_app(path=path)
    async with app.run_test(size=(120, 40)) as pilot:
        await set_price(pilot, "0.05")

        def boom(*args: object, **kw: object) -> None:
            raise error

        monkeypatch.setattr("infracalc_tui.atomicio.os.replace", boom)
        await pilot.press("ctrl+s")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any(error.strerror in m and "Nothing was lost" in m for m in messages)
        assert app.main.dirty and app.main.scenario.values[PRICE] == 0.05
        assert app.query_one(f"#{field_id(PRICE)}", Input).value == "0.05"
    assert path.read_bytes() == before
    assert not list(tmp_path.glob(".plan.toml.*"))  # no temp file left behind


async def test_a_save_into_a_folder_that_cannot_exist_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.documents.save_to(blocker / "sub" / "plan.toml")
        await pilot.pause()
        assert any("Could not save" in n.message for n in app._notifications)
        assert app.main.path is None
