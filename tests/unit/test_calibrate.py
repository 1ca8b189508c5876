"""Calibration from a measurement (engine.calibrate), against the roofline written out here.

The scenario: one RTX 4090 running Llama 3 8B at BF16 under the ``generic`` engine (no
per-step costs) with one thread, so a step is memory-bound and its time is
t_mem = bytes / (BW · mbu): a measured speed S pins mbu = S · t_mem(mbu0) · mbu0.
"""

from __future__ import annotations

import math

import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.engine.calibrate import calibrate
from infracalc_tui.scenario.presets import presets

SPEED = "host.decode_tokens_per_s_per_stream"
PREFILL = "throughput.prefill_tokens_per_s_per_gpu"


def scenario():
    return presets()["rtx4090-llama8b"].scenario.with_value("serving.engine", "generic") \
        .with_value("pricing.concurrent_threads", 1)


def test_a_measured_speed_sets_the_bandwidth_fraction_by_the_roofline() -> None:
    s = scenario()
    host = report_for(s)["host"]
    mbu0, t_mem = s.values["serving.mbu"], host["step_time_memory_ms"] / 1e3
    assert host["step_time_memory_ms"] > host["step_time_compute_ms"]  # memory-bound
    assert host["step_time_overhead_ms"] == 0  # generic: no per-step costs
    for measured in (50.0, 30.0):
        c = calibrate(s.values, {SPEED: measured})
        assert list(c.knobs) == ["serving.mbu"]
        assert c.knobs["serving.mbu"] == pytest.approx(measured * t_mem * mbu0, rel=1e-4)
        assert c.predicted[SPEED] == pytest.approx(measured, rel=1e-4)
        assert abs(c.residual_pct[SPEED]) < 0.01


def test_a_speed_beyond_full_bandwidth_says_how_far_it_is() -> None:
    """At mbu = 1 the step takes t_mem · mbu0: 100 tok/s is out of reach, and the residual
    is what the fastest scenario gives over what was measured, minus 1."""
    s = scenario()
    fastest = 1.0 / (report_for(s)["host"]["step_time_memory_ms"] / 1e3
                     * s.values["serving.mbu"])
    assert fastest < 100
    c = calibrate(s.values, {SPEED: 100.0})
    assert c.knobs["serving.mbu"] == pytest.approx(1.0, abs=1e-6)
    assert c.knobs["serving.step_overhead_ms"] == pytest.approx(0.0, abs=1e-3)
    assert c.predicted[SPEED] == pytest.approx(fastest, rel=1e-4)
    assert c.residual_pct[SPEED] == pytest.approx((fastest / 100 - 1) * 100, rel=1e-3)


def test_a_measured_prefill_sets_the_prefill_flops_fraction() -> None:
    """prefill per GPU = TFLOPS · 1e12 · prefill_mfu / FLOPs per token: at the scenario's
    own prefill_mfu it gives P0, so P is reached at prefill_mfu0 · P / P0."""
    s = scenario()
    p0 = report_for(s)["throughput"]["prefill_tokens_per_s_per_gpu"]
    c = calibrate(s.values, {PREFILL: 3000.0})
    want = s.values["serving.prefill_mfu"] * 3000.0 / p0
    assert c.knobs == {"serving.prefill_mfu": pytest.approx(want, rel=1e-4)}
    assert c.predicted[PREFILL] == pytest.approx(3000.0, rel=1e-4)


def test_a_compute_bound_step_calibrates_the_flops_fraction() -> None:
    """A tiny bandwidth cost makes the step compute-bound: there mfu is the knob, and
    t_cmp = B · FLOPs / (TP · F · mfu) scales as 1/mfu."""
    s = scenario().with_value("pricing.concurrent_threads", 1).with_value(
        "gpu.bandwidth_tb_s", 100.0)
    host = report_for(s)["host"]
    assert host["step_time_compute_ms"] > host["step_time_memory_ms"]
    mfu0, t_cmp = s.values["serving.mfu"], host["step_time_compute_ms"] / 1e3
    measured = 0.5 / t_cmp  # half the modelled speed
    c = calibrate(s.values, {SPEED: measured})
    assert list(c.knobs) == ["serving.mfu"]
    assert c.knobs["serving.mfu"] == pytest.approx(measured * t_cmp * mfu0, rel=1e-4)
    assert math.isclose(c.knobs["serving.mfu"], mfu0 / 2, rel_tol=1e-4)
