"""The scenario and first report prepared by a forked child: the same scenario as loading
it here, the same numbers, plain data, the file's problems as the command reports them, and
a quiet fallback to doing the work in the app when fork fails or the child does."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from infracalc_tui import calc, prefetch
from infracalc_tui.calc import report_for
from infracalc_tui.scenario import ScenarioError, io, load
from infracalc_tui.scenario.presets import presets

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")


@pytest.mark.parametrize("preset", ["gpt4o-1b-users", "llama70b-own-hardware"])
def test_the_child_sends_the_scenario_and_the_engines_report(preset: str) -> None:
    path = presets()[preset].path
    child = prefetch.start(path)
    assert child is not None
    scenario = child.scenario()
    here = load(path)
    assert scenario == here and scenario.values == here.values
    assert "values" in vars(scenario)  # resolved by the child: no catalog needed here
    report = child.result()
    assert report == report_for(here)
    assert b"numpy" not in pickle.dumps(report)  # the app reads it before importing numpy
    assert child.result() is report and child.scenario() is scenario  # read once, reaped


def test_a_files_problems_come_back_as_the_loader_gives_them(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[fleet]\nusers = -5\n[gpu]\npreset = "nope"\n')
    with pytest.raises(ScenarioError) as here:
        load(bad)
    child = prefetch.start(bad)
    assert child is not None
    with pytest.raises(ScenarioError) as there:
        child.scenario()
    assert [str(p) for p in there.value.problems] == [str(p) for p in here.value.problems]
    assert len(there.value.problems) == 2
    assert child.result() is None
    missing = prefetch.start(tmp_path / "missing.toml")
    assert missing is not None
    with pytest.raises(ScenarioError, match="no such file"):
        missing.scenario()


def test_no_fork_means_no_prefetch(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", fail)
    assert prefetch.start(presets()["gpt4o-1b-users"].path) is None


def test_a_child_failing_to_load_gives_none(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(path: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(io, "load", broken)  # the child inherits the patch
    monkeypatch.setattr("infracalc_tui.scenario.load", broken)
    child = prefetch.start(presets()["gpt4o-1b-users"].path)
    assert child is not None and child.scenario() is None and child.result() is None


def test_a_child_failing_to_compute_gives_the_scenario_and_no_report(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(scenario: object) -> dict:
        raise RuntimeError("engine down")

    monkeypatch.setattr(calc, "report_for", broken)
    child = prefetch.start(presets()["gpt4o-1b-users"].path)
    assert child is not None and child.scenario() is not None and child.result() is None


def test_a_slow_child_is_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(scenario: object) -> dict:
        # the behaviour under test, not a wait: the child hangs far longer than the parent
        # will wait (0.3 s), so only killing it can end the test in time
        time.sleep(30)
        return {}

    monkeypatch.setattr(calc, "report_for", slow)
    child = prefetch.start(presets()["gpt4o-1b-users"].path)
    assert child is not None and child.scenario() is not None
    start = time.monotonic()
    assert child.result(timeout=0.3) is None
    assert time.monotonic() - start < 5  # killed and reaped, not waited for
    with pytest.raises(ChildProcessError):
        os.waitpid(child._pid, os.WNOHANG)
