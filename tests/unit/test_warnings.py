"""Every warning the report can give: a case that makes it appear, with the words a user
sees, and one just past its threshold where it does not (issue 16). Thresholds are worked
out by hand in each case's comment."""

from __future__ import annotations

import pytest

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.scenario.presets import presets

from .helpers import report as round_report

HOST, FLEET = "llama70b-own-hardware", "gpt4o-1b-users"


def warnings_of(name: str, *settings: str) -> list[str]:
    return report_for(apply_settings(presets()[name].scenario, list(settings)))["warnings"]


CASES = [
    # name, settings that warn, settings just past the threshold, words the user sees
    pytest.param(HOST, ["model.context_tokens=131073"], ["model.context_tokens=131072"],
                 "Model: context of 131,073 tokens is longer than the model's maximum of "
                 "131,072.", id="context-longer-than-the-model"),
    # 7,693 + 500 = 8,193 tokens > 8,192; 7,692 + 500 = 8,192 fits
    pytest.param(FLEET, ["fleet.input_tokens_per_query=7693"],
                 ["fleet.input_tokens_per_query=7692"],
                 "Fleet: a query holds 8,193 tokens (input + output), more than "
                 "model.context_tokens (8,192); a paged cache holds it", id="query-longer"),
    # manual: 2.4 tok/s x 8 GPUs = 19.2 < 20 tok/s; 2.5 x 8 = 20 is enough
    pytest.param(FLEET, ["serving.throughput=manual", "serving.decode_tokens_per_s_per_gpu=2.4"],
                 ["serving.throughput=manual", "serving.decode_tokens_per_s_per_gpu=2.5"],
                 "Fleet: the manual speed of 2.4 tok/s per GPU x 8 GPU(s) gives a single stream "
                 "19.2 tok/s, below the minimum of 20 tok/s; batch forced to 1.",
                 id="manual-too-slow"),
    # 3 threads need 42.54 + 3 x 1.342 = 46.57 GB > 46.37 GB; 2 need 45.2 GB
    pytest.param(HOST, ["pricing.concurrent_threads=3"], ["pricing.concurrent_threads=2"],
                 "Host: does not fit in memory: 3 thread(s) need 46.6 GB, the host has 46.4 GB "
                 "usable (at most 2 thread(s) fit).", id="threads-do-not-fit"),
    pytest.param(HOST, ["pricing.concurrent_threads=3"], ["pricing.concurrent_threads=2"],
                 "Host: 3 threads asked for, but the hardware serves at most 2 (memory and "
                 "minimum speed): revenue bills 2.", id="threads-above-capacity"),
    # 16-bit weights: 141.2 GB > 46.4 GB; 4.82 bits: 42.5 GB fit
    pytest.param(HOST, ["model.weight_bits=16"], ["model.weight_bits=4.82"],
                 "Host: does not fit in memory: the weights alone need 141.2 GB, the host has "
                 "46.4 GB usable.", id="weights-do-not-fit"),
    pytest.param(HOST, ["model.weight_bits=16"], ["model.weight_bits=4.82"],
                 "Host: the hardware cannot serve a single thread: no revenue.",
                 id="no-thread-at-all"),
    pytest.param(HOST, ["pricing.utilization_hours_per_day=0"],
                 ["pricing.utilization_hours_per_day=0.01"],
                 "Host: 0 hours of use per day: no revenue, and no price per minute can cover "
                 "the costs.", id="zero-hours"),
    # revenue p x 60 x 8 x 2 against electricity $1.56/day: p = 1.56/960 = $0.001625/min
    pytest.param(HOST, ["pricing.charge_per_minute_usd=0.001625"],
                 ["pricing.charge_per_minute_usd=0.00163"],
                 "Host: never breaks even: revenue of $1.56/day does not cover electricity and "
                 "running costs of $1.56/day.", id="never-breaks-even"),
    pytest.param(HOST, ["gpu.price_usd=0", "host.cpu_usd=0", "host.ram_usd=0",
                        "host.other_usd=0"],
                 ["gpu.price_usd=0", "host.cpu_usd=0", "host.ram_usd=0", "host.other_usd=1"],
                 "Host: hardware cost is 0, so ROI is undefined.", id="roi-undefined"),
]


@pytest.mark.parametrize(("name", "warn", "past", "words"), CASES)
def test_warning_appears_and_stays_away_past_its_threshold(name: str, warn: list[str],
                                                           past: list[str], words: str) -> None:
    assert any(w.startswith(words) for w in warnings_of(name, *warn)), warnings_of(name, *warn)
    head = words.split(":")[0] + ":" + words.split(":")[1][:20]
    assert not any(w.startswith(head) for w in warnings_of(name, *past)), \
        warnings_of(name, *past)


def test_fleet_loss_at_a_price_just_under_the_cost() -> None:
    cost = report_for(presets()[FLEET].scenario)["fleet"]["cost_per_million_tokens_usd"]
    price = cost * 0.999
    loss = warnings_of(FLEET, f"fleet.price_per_million_tokens_usd={price}")
    assert f"Fleet: at ${price:g} per 1M tokens revenue does not cover the cost of " \
           f"${cost:.3g} per 1M tokens." in loss, loss
    above = warnings_of(FLEET, f"fleet.price_per_million_tokens_usd={cost * 1.001}")
    assert not any("does not cover the cost" in w for w in above)


def test_weights_and_one_stream_must_fit_the_replica() -> None:
    # 72 GB usable; one stream reserves 4,096 x 163,840 B = 0.671 GB: N x 2 GB <= 71.33 GB
    words = "Fleet: the weights (71.4 GB) and one stream's KV cache do not fit in 1 GPU(s)"
    assert any(w.startswith(words)
               for w in round_report(serving__tensor_parallel=1, model__total_params_b=35.7)[
                   "warnings"])
    assert not any("do not fit in 1 GPU" in w for w in round_report(
        serving__tensor_parallel=1, model__total_params_b=35.6)["warnings"])


def test_a_single_stream_too_slow_for_the_minimum() -> None:
    # one stream reads 20e9 + 1,250 x 163,840 B at bw x 1e12 x 0.5: 10 tok/s needs bw >= 0.404
    slow = round_report(gpu__bandwidth_tb_s=0.4040)["warnings"]
    assert any(w.startswith("Fleet: even a single stream gets only 10.0 tok/s, below the "
                            "minimum of 10 tok/s; batch forced to 1.") for w in slow), slow
    assert not any("even a single stream" in w
                   for w in round_report(gpu__bandwidth_tb_s=0.4042)["warnings"])
