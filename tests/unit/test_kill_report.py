"""engine.report.build_report's defaults, as a caller without the app's extras sees them:
no name, "not stated" grounding, and exactly the report's sections (no stray key); and the
smallest KV override. Written to kill the survivors docs/mutation.md lists for them."""

from __future__ import annotations

from infracalc_tui.engine.report import SECTIONS, build_report

from .helpers import report, scenario


def test_a_bare_report_has_no_name_and_says_its_grounding_is_not_stated() -> None:
    r = build_report(scenario().values)
    assert r["name"] == ""
    assert r["schema_version"] == 1
    assert r["throughput"]["grounding"] == "not stated"
    assert r["throughput"]["grounding_summary"] == "not stated"
    assert set(r) == {"schema_version", "name", "warnings", *SECTIONS}
    assert isinstance(r["warnings"], list)


def test_the_grounding_given_is_the_grounding_shown() -> None:
    r = build_report(scenario().values, grounding=("engine profile (3 points)", "3 points"))
    assert (r["throughput"]["grounding"], r["throughput"]["grounding_summary"]) == (
        "engine profile (3 points)", "3 points")


def test_a_one_byte_kv_override_is_taken() -> None:
    """model.kv_bytes_per_token = 1 (the smallest allowed) replaces the formula's 163,840."""
    assert report()["throughput"]["kv_bytes_per_token"] == 163_840
    assert report(model__kv_bytes_per_token=1)["throughput"]["kv_bytes_per_token"] == 1
