"""The test helpers of tests/conftest.py: a missing tool fails under CI and skips elsewhere;
a wait that runs out fails saying what it waited for."""

from __future__ import annotations

import time

import pytest

from ..conftest import pilot_wait_until, require_tool, wait_until
from .conftest import make_app

MISSING = "infracalc-no-such-tool"


def test_a_missing_tool_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{MISSING} is not installed.*CI is set"):
        require_tool(MISSING)


@pytest.mark.parametrize("ci", [None, ""])
def test_a_missing_tool_skips_elsewhere(monkeypatch: pytest.MonkeyPatch, ci: str | None
                                        ) -> None:
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)  # set but empty: not CI
    with pytest.raises(pytest.skip.Exception, match=f"{MISSING} is not installed"):
        require_tool(MISSING)


def test_a_present_tool_gives_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "1")
    assert require_tool("sh").endswith("sh")


def test_wait_until_returns_the_value_once_it_holds() -> None:
    start = time.monotonic()
    assert wait_until(lambda: time.monotonic() - start > 0.1 and "done", 5.0, "time") == "done"


def test_wait_until_fails_saying_what_it_waited_for() -> None:
    with pytest.raises(pytest.fail.Exception,
                       match=r"timed out after 0\.2s waiting for the moon \(it was: new\)"):
        wait_until(lambda: False, 0.2, lambda: "the moon (it was: new)")


async def test_pilot_wait_until_lets_the_app_run_and_fails_loudly() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        fired: list[bool] = []
        app.set_timer(0.05, lambda: fired.append(True))  # runs only while the app runs
        assert await pilot_wait_until(pilot, lambda: fired, 30.0, "the timer") == [True]
        with pytest.raises(pytest.fail.Exception,
                           match=r"timed out after 0\.1s waiting for a timer never set"):
            await pilot_wait_until(pilot, lambda: False, 0.1, "a timer never set")
