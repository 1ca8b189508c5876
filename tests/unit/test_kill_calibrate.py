"""Calibration (engine.calibrate) where test_calibrate.py does not look: a host that is
memory-bound while the fleet's batch is compute-bound (each figure picks its own knob), and
a measured speed below 1 token/s (the log error has no floor there).

Written to kill the mutants docs/mutation.md lists as surviving in calibrate.py. The
scenario is test_calibrate.py's (RTX 4090, Llama 3 8B BF16, the generic engine: no per-step
costs, one thread), so a memory-bound speed is proportional to mbu and a compute-bound one
to mfu."""

from __future__ import annotations

import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.engine.calibrate import calibrate
from infracalc_tui.scenario.presets import presets

SPEED = "host.decode_tokens_per_s_per_stream"
PER_GPU = "throughput.decode_tokens_per_s_per_gpu"


def scenario(bandwidth_x: float = 1.0):
    s = presets()["rtx4090-llama8b"].scenario.with_value("serving.engine", "generic") \
        .with_value("pricing.concurrent_threads", 1)
    return s.with_value("gpu.bandwidth_tb_s", s.values["gpu.bandwidth_tb_s"] * bandwidth_x)


def test_the_host_and_the_fleet_batch_each_take_their_own_bound() -> None:
    """Twice the bandwidth: one thread is still memory-bound, the batch of 157 is now
    compute-bound. Half the host's speed is half its mbu (0.75 -> 0.375); half the fleet's
    per-GPU rate is half its mfu (0.4 -> 0.2). One knob each: the first already fits."""
    s = scenario(2.0)
    r = report_for(s)
    host, fleet = r["host"], r["throughput"]
    assert host["step_time_memory_ms"] > host["step_time_compute_ms"]
    assert fleet["step_time_compute_ms"] > fleet["step_time_memory_ms"]
    assert (s.values["serving.mbu"], s.values["serving.mfu"]) == (0.75, 0.4)

    c = calibrate(s.values, {SPEED: host["decode_tokens_per_s_per_stream"] / 2})
    assert list(c.knobs) == ["serving.mbu"]
    # grids of 201 over [0.01, 1], then ± one step: steps 0.99/200, /100, /100 again; the
    # answer is the best of the third grid, within half its step (2.475e-7) of the truth
    assert abs(c.knobs["serving.mbu"] - 0.375) <= 0.99 / 200 / 100 / 100 / 2
    c = calibrate(s.values, {PER_GPU: fleet["decode_tokens_per_s_per_gpu"] / 2})
    assert c.knobs == {"serving.mfu": pytest.approx(0.2, rel=1e-5)}
    assert c.predicted[PER_GPU] == pytest.approx(fleet["decode_tokens_per_s_per_gpu"] / 2,
                                                 rel=1e-5)
    assert abs(c.residual_pct[PER_GPU]) < 1e-3


def test_a_speed_below_one_token_per_second() -> None:
    """At 1/50 of the bandwidth a step reads the weights in over a second: S0 < 1 tok/s.
    Memory-bound, so 0.5 tok/s is reached at mbu = 0.75 · 0.5 / S0."""
    s = scenario(1 / 50.4)  # 1.008 TB/s -> 0.02
    s0 = report_for(s)["host"]["decode_tokens_per_s_per_stream"]
    assert 0.5 < s0 < 1
    c = calibrate(s.values, {SPEED: 0.5})
    assert c.knobs == {"serving.mbu": pytest.approx(0.75 * 0.5 / s0, rel=1e-5)}
    assert c.predicted[SPEED] == pytest.approx(0.5, rel=1e-5)
