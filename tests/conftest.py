"""Shared fixtures and helpers; hypothesis profiles: "ci" (default, fast) and "deep" (local,
thorough).

Helpers for any test (import them with ``from ..conftest import ...``):

- ``require_tool(name)``: a test that needs a program on PATH (tmux, chromium) fails when
  ``CI`` is set and skips, with the reason, elsewhere: CI never passes by skipping.
- ``require_module(name, install)``: the same for a Python package (an optional extra):
  the module, or a failure under ``CI`` and a skip elsewhere.
- ``wait_until(predicate, timeout, what)``: poll a condition instead of sleeping a fixed
  time; ``pilot_wait_until(pilot, predicate, timeout, what)`` is the same inside a Pilot
  test. Both fail loudly, saying what was awaited, when the time runs out.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=60, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

T = TypeVar("T")
What = str | Callable[[], str]  # what was awaited; a callable can describe the state at the end


def in_ci() -> bool:
    """CI is running us (the ``CI`` environment variable is set and not empty)."""
    return bool(os.environ.get("CI"))


def require_tool(name: str) -> str:
    """The path of program ``name``. Missing, the calling test fails when ``CI`` is set (CI
    installs its tools: a skip there would hide that the test never ran) and skips with the
    reason elsewhere. Call it from the test, or from a fixture the test uses."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"{name} is not installed (this test needs it on PATH)"
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip: install {name} "
                    "(.ci/run does)", pytrace=False)
    pytest.skip(reason)


def require_module(name: str, install: str = "pip install -e '.[test]'") -> Any:
    """Module ``name`` imported. Missing, the calling test fails when ``CI`` is set (the
    test extra installs it) and skips with the reason elsewhere."""
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        reason = f"the Python package {name} is not installed ({install})"
    if in_ci():
        pytest.fail(f"{reason}; CI is set, so this is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


def _timed_out(timeout: float, what: What) -> None:
    described = what() if callable(what) else what
    pytest.fail(f"timed out after {timeout:g}s waiting for {described}", pytrace=False)


def wait_until(predicate: Callable[[], T], timeout: float, what: What,
               interval: float = 0.05) -> T:
    """Poll ``predicate`` until it returns something true (which is returned); fail after
    ``timeout`` seconds with a message naming ``what`` was awaited."""
    end = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= end:
            _timed_out(timeout, what)
        time.sleep(interval)  # a polling interval, not a guess at how long something takes


async def pilot_wait_until(pilot: Any, predicate: Callable[[], T], timeout: float = 10.0,
                           what: What = "a condition") -> T:
    """``wait_until`` for a Pilot test: between checks the app runs (``pilot.pause()``
    lets it handle its messages and timers until it is idle)."""
    end = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= end:
            _timed_out(timeout, what)
        await pilot.pause()
