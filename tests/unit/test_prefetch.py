"""The first report computed by a forked child: the same numbers, plain data, and a quiet
fallback to computing it in the app when fork fails or the child does."""

from __future__ import annotations

import os
import pickle

import pytest

from infracalc_tui import calc, prefetch
from infracalc_tui.calc import report_for
from infracalc_tui.scenario.presets import presets

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")


@pytest.mark.parametrize("preset", ["gpt4o-1b-users", "llama70b-own-hardware"])
def test_the_child_sends_the_engines_report_as_plain_data(preset: str) -> None:
    scenario = presets()[preset].scenario
    first = prefetch.start(scenario)
    assert first is not None
    report = first.result()
    assert report == report_for(scenario)
    assert b"numpy" not in pickle.dumps(report)  # the app reads it before importing numpy
    assert first.result() is report  # collected once; the child has been reaped


def test_no_fork_means_no_prefetch(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", fail)
    assert prefetch.start(presets()["gpt4o-1b-users"].scenario) is None


def test_a_failing_child_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(scenario: object) -> dict:
        raise RuntimeError("engine down")

    monkeypatch.setattr(calc, "report_for", broken)  # the child inherits the patch
    first = prefetch.start(presets()["gpt4o-1b-users"].scenario)
    assert first is not None and first.result() is None
