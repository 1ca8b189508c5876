"""One test per mutation the audit found surviving (issue 16), each from hand arithmetic or
a rule stated by hand, never by comparing the code with itself."""

from __future__ import annotations

import pytest
from pytest import approx

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.engine.finance import capital_recovery_factor
from infracalc_tui.engine.series import host_cost_breakdown
from infracalc_tui.engine.throughput import smallest_fit_tensor_parallel
from infracalc_tui.scenario import Scenario, ScenarioError, parse
from infracalc_tui.scenario.presets import presets

from .helpers import report


def host(*settings: str) -> dict:
    return report_for(apply_settings(presets()["llama70b-own-hardware"].scenario,
                                     list(settings)))


def test_generic_roofline_defaults_to_mbu_0_7_and_mfu_0_4() -> None:
    v = Scenario("x", "", {"serving.engine": "generic"}).values  # no GPU preset
    assert (v["serving.mbu"], v["serving.mfu"], v["serving.prefill_mfu"]) == (0.7, 0.4, 0.4)


def test_pays_back_after_the_lifespan_warning_and_its_threshold() -> None:
    # $0.005/min: revenue 0.005 x 60 x 8 x 2 = $4.80; margin 4.80 - 1.56 = 3.24; 5200/3.24
    w = host("pricing.charge_per_minute_usd=0.005")["warnings"]
    assert w == ["Host: pays back after 1,605 days, later than the hardware's lifespan of "
                 "1,095 days."]
    # $0.0066/min: 5200 / (6.336 - 1.56) = 1,089 days, inside 3 x 365 = 1,095: no warning
    assert host("pricing.charge_per_minute_usd=0.0066")["warnings"] == []
    assert host("pricing.charge_per_minute_usd=0.0065")["warnings"]  # 1,111 days


def test_too_slow_per_stream_warns_just_below_the_minimum() -> None:
    # two threads read W + 2 x 2,048 x 327,680 B per step at 1.008 TB/s x 0.75
    speed = 1 / ((70.6e9 * 4.82 / 8 + 2 * 2048 * 327680) / (1.008e12 * 0.75))  # 17.2 tok/s
    below = host("serving.engine=generic", f"serving.min_tokens_per_s_per_stream={speed * 1.01}")
    assert any(w.startswith("Host: too slow per stream: 2 thread(s) get 17.2 tok/s each")
               for w in below["warnings"])
    above = host("serving.engine=generic", f"serving.min_tokens_per_s_per_stream={speed * 0.99}")
    assert not any("too slow" in w for w in above["warnings"])


def test_sliding_window_layers_cannot_exceed_layers() -> None:
    text = "schema_version = 1\n[model]\nlayers = 10\nsliding_window_layers = 20\n"
    with pytest.raises(ScenarioError, match=r"sliding-window layers \(20\) cannot exceed "
                                            r"layers \(10\)"):
        s = parse(text, "plan.toml")
        if s.problems():
            raise ScenarioError(s.problems())


def test_wider_replica_hint_at_one_and_a_half_times() -> None:
    # the rule: explicit width needing > 1.5 x the GPUs of the best width gets the hint
    by_width = {tp: report(serving__tensor_parallel=tp)["fleet"]["gpus"] for tp in (1, 2, 4, 8)}
    best = min(by_width.values())
    for tp, gpus in by_width.items():
        hinted = any("per replica would need" in w
                     for w in report(serving__tensor_parallel=tp)["warnings"])
        assert hinted == (gpus > 1.5 * best), (tp, gpus, best)
    assert any(g > 1.5 * best for g in by_width.values())  # the case is exercised


def test_host_speed_limit_at_the_minimum_speed() -> None:
    # M3 Ultra, 70.6B at 4 bits, generic: compute 2 x 70.6e9 x c / (28.4e12 x 0.5) = 9.94 ms x c
    # is longer than memory (35.3 GB / (0.819e12 x 0.6) = 72 ms + KV), so 10 tok/s allows
    # floor(0.1 x 28.4e12 x 0.5 / (2 x 70.6e9)) = 10 threads
    h = host("gpu.preset=m3-ultra", "host.gpu_count=1", "serving.engine=generic",
             "model.weight_bits=4", "model.context_tokens=512")["host"]
    assert h["max_threads_speed"] == int(0.1 * 28.4e12 * 0.5 / (2 * 70.6e9)) == 10


def test_host_cost_breakdown_in_label_order() -> None:
    b = host_cost_breakdown(presets()["llama70b-own-hardware"].scenario.values)
    assert b.labels == ["Electricity", "Hardware (depreciation)", "Other running costs"]
    assert list(b.amounts) == approx([1.56, 5200 / 1095, 0])


def test_smallest_fit_counts_one_streams_cache() -> None:
    # 70 GB of weights fit one 72 GB GPU, but not with a 5 GB stream: 75 / 72 -> 2 GPUs
    assert float(smallest_fit_tensor_parallel(70e9, 5e9, 72e9)) == 2
    assert float(smallest_fit_tensor_parallel(70e9, 1e9, 72e9)) == 1


def test_manual_speed_per_stream_shares_the_replicas_gpus() -> None:
    # TP 4: memory allows floor((4 x 72e9 - 20e9) / (4,096 x 163,840)) = 399 streams;
    # 3,000 tok/s per GPU x 4 GPUs / 399 = 30.08 tok/s each
    t = report(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=3000,
               serving__tensor_parallel=4)["throughput"]
    assert t["batch"] == 399
    assert t["decode_tokens_per_s_per_stream"] == approx(3000 * 4 / 399)


def test_capital_recovery_factor_at_a_tiny_rate() -> None:
    # r(1+r)^n / ((1+r)^n - 1) at r = 1e-4, n = 4 = 0.25006250 (straight line would be 0.25)
    assert float(capital_recovery_factor(1e-4, 4)) == approx(0.25006250, abs=5e-9)
    assert float(capital_recovery_factor(0, 4)) == 0.25
