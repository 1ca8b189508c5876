"""The scenario package's edges: the ``[uncertainty]`` checks at their boundaries and the
entries the engine gets from them (scenario.uncertain), the length at which a bad value is
cut short (errors.show_value), the floats saved as integers (io.dumps).

Written to kill the mutants docs/mutation.md lists as surviving in uncertain.py, errors.py
and io.py; the expected values are the rules the modules state, written out."""

from __future__ import annotations

from infracalc_tui.scenario import Scenario, dumps
from infracalc_tui.scenario.errors import show_value
from infracalc_tui.scenario.uncertain import parse_uncertainty


def test_without_a_source_the_problem_has_none() -> None:
    """A table typed in the TUI has no file: the Problem's source is "" and no line."""
    _, problems = parse_uncertainty([1])
    assert [(p.source, p.key, p.line) for p in problems] == [("", "uncertainty", None)]


def test_low_must_be_strictly_below_high() -> None:
    out, problems = parse_uncertainty({"serving.mbu": {"low": 0.5, "high": 0.5}}, "f.toml", 2)
    assert out == {}
    assert [(p.key, p.message) for p in problems] == [
        ("uncertainty.serving.mbu", "low (0.5) must be below high (0.5)")]


def test_a_mode_at_either_end_is_allowed() -> None:
    """mode from low to high, both ends included."""
    table = {"serving.mbu": {"low": 0.5, "high": 0.8, "mode": 0.5},
             "serving.mfu": {"low": 0.3, "high": 0.6, "mode": 0.6}}
    out, problems = parse_uncertainty(table, "f.toml", 2)
    assert problems == []
    assert out == table


def test_the_engine_gets_every_field_with_the_defaults_filled_in() -> None:
    """Without mode, the scenario's value (0.7, host.gpu_count's 2; none for an unset
    optional key); without dist, triangular; integer for a whole-number key; all floats."""
    s = Scenario("x", "", {"serving.mbu": 0.7, "host.gpu_count": 2}, uncertainty={
        "serving.mbu": {"low": 0.5, "high": 0.8},
        "host.gpu_count": {"low": 1, "high": 4, "dist": "uniform"},
        "gpu.tflops_fp4": {"low": 1, "high": 2, "dist": "uniform"},
        "fleet.users": {"low": 1, "high": 3, "mode": 2}})
    assert s.values["gpu.tflops_fp4"] is None
    assert s.uncertainty_spec() == {
        "serving.mbu": {"low": 0.5, "high": 0.8, "mode": 0.7, "dist": "triangular",
                        "integer": False},
        "host.gpu_count": {"low": 1.0, "high": 4.0, "mode": 2.0, "dist": "uniform",
                           "integer": True},
        "gpu.tflops_fp4": {"low": 1.0, "high": 2.0, "mode": None, "dist": "uniform",
                           "integer": False},
        "fleet.users": {"low": 1.0, "high": 3.0, "mode": 2.0, "dist": "triangular",
                        "integer": False}}
    assert isinstance(s.uncertainty_spec()["host.gpu_count"]["mode"], float)


def test_a_bad_value_is_cut_at_60_characters() -> None:
    """Up to 60 characters whole; longer: the first 57 and "..." (60 in all)."""
    sixty = "a" * 58  # its repr has the two quotes: 60
    assert show_value(sixty) == repr(sixty)
    assert show_value("a" * 59) == "'" + "a" * 56 + "..."
    assert len(show_value("a" * 59)) == 60


def test_whole_floats_below_1e15_are_saved_as_integers() -> None:
    """999999999999999.0 is written 999999999999999; from 1e15 on a float stays a float."""
    text = dumps(Scenario("n", "", {"fleet.users": 1e15,
                                    "fleet.queries_per_user_per_day": 999999999999999.0}))
    assert "\nusers = 1000000000000000.0\n" in text
    assert "\nqueries_per_user_per_day = 999999999999999\n" in text
