"""More scenario and warning edges: the wider-replica hint at exactly 1.5x, the key a
sliding-window problem is blamed on, an uncertain key without a value to be the mode, a
mode at exactly ``high``, and a preset set through ``with_value``.

Written to kill survivors of engine/warnings.py, scenario/validate.py,
scenario/uncertain.py and scenario/model.py; the expected values are written out.
"""

from __future__ import annotations

import copy

from infracalc_tui.engine.warnings import warnings
from infracalc_tui.scenario import Scenario

from .helpers import report, scenario


def _hints(fleet_gpus: int, best: tuple[int, float]) -> list[str]:
    """The wider-replica hints for 1 GPU per replica set, with the fleet needing
    ``fleet_gpus`` GPUs and ``best`` = (width, GPUs) the width needing fewest."""
    values = scenario(serving__tensor_parallel=1).values
    r = copy.deepcopy(report(serving__tensor_parallel=1))
    r["fleet"]["gpus"] = fleet_gpus
    return [w for w in warnings(values, r, None, best) if "per replica would need" in w]


def test_exactly_one_and_a_half_times_fewer_gpus_is_no_hint() -> None:
    """48 GPUs x 1.5 = 72: a fleet of 72 is not "more than 1.5x" (no hint); 73 is
    (73 / 48 = 1.52, shown 1.5x)."""
    assert _hints(72, (4, 48.0)) == []
    assert _hints(73, (4, 48.0)) == [
        "Fleet: 1 GPU(s) per replica need 73 GPUs; 4 per replica would need 48 (1.5x fewer; "
        "set serving.tensor_parallel = 0 for the automatic choice)."]


def test_too_many_sliding_window_layers_blame_the_layers_the_user_set() -> None:
    """gpt-oss-20b's preset has 12 sliding-window layers; the user set model.layers = 10 and
    not the sliding-window layers, so the problem is on model.layers."""
    s = Scenario("x", "", {"model.preset": "gpt-oss-20b", "model.layers": 10})
    assert [(p.source, p.key, p.message) for p in s.problems("f.toml")] == [
        ("f.toml", "model.layers", "sliding-window layers (12) cannot exceed layers (10)")]


def test_an_uncertain_key_without_a_value_needs_a_mode() -> None:
    """gpu.tflops_fp4 is unset (None), triangular and without mode: a problem on
    uncertainty.gpu.tflops_fp4 saying how to fix it."""
    s = Scenario("x", "", {}, uncertainty={"gpu.tflops_fp4": {"low": 1, "high": 2}})
    assert s.values["gpu.tflops_fp4"] is None
    assert [(p.key, p.message) for p in s.problems()] == [
        ("uncertainty.gpu.tflops_fp4", "gpu.tflops_fp4 has no value to be the mode: set it, "
         'or give mode = .. or dist = "uniform"')]


def test_the_scenario_value_may_be_the_mode_at_high() -> None:
    """serving.mbu = 0.8 with the range 0.5..0.8: the mode at high is inside (no problem);
    0.81 is outside."""
    table = {"serving.mbu": {"low": 0.5, "high": 0.8}}
    assert Scenario("x", "", {"serving.mbu": 0.8}, uncertainty=table).problems() == []
    assert [p.message for p in Scenario("x", "", {"serving.mbu": 0.81},
                                        uncertainty=table).problems()] == [
        "the scenario's value 0.81 (the mode) is outside low..high (0.5..0.8)"]


def test_setting_a_preset_by_value_drops_the_keys_it_fills() -> None:
    """with_value("gpu.preset", "h100-sxm") on the round scenario (80 GB, 2 TB/s, 500 W set
    by hand) is with_preset: those keys drop back to the H100 SXM's 85.52 GB, 3.35 TB/s and
    700 W; gpu.tflops, which the preset does not fill, stays set. "" removes the preset."""
    s = scenario().with_value("gpu.preset", "h100-sxm")
    assert sorted(k for k in s.explicit if k.startswith("gpu.")) == ["gpu.preset", "gpu.tflops"]
    assert (s.values["gpu.memory_gb"], s.values["gpu.bandwidth_tb_s"], s.values["gpu.tdp_w"]) \
        == (85.52, 3.35, 700)
    assert "gpu.preset" not in s.with_value("gpu.preset", "").explicit
