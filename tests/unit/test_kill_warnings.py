"""Warnings at their thresholds, fed straight to engine.warnings with one figure of a real
report changed: the words a user sees and where each stops. Written to kill the survivors
docs/mutation.md lists for warnings and host_warnings."""

from __future__ import annotations

import copy
from typing import Any

from infracalc_tui.engine.warnings import warnings

from .helpers import report, scenario


def _said(values_over: dict[str, Any], max_context_tokens: int | None = None,
          **figures: Any) -> list[str]:
    """The warnings of the ROUND scenario with some values and report figures set
    ("fleet__annual_profit_usd=..." sets r["fleet"]["annual_profit_usd"])."""
    values = {**scenario().values, **values_over}
    r = copy.deepcopy(report())
    for name, value in figures.items():
        section, key = name.split("__")
        r[section][key] = value
    return warnings(values, r, max_context_tokens)


def test_a_query_longer_than_the_context_says_how_the_cache_holds_it() -> None:
    """1,000 + 500 tokens in a 1,024-token context: a reserved cache is sized for the query,
    a paged one holds it (but the model must accept it)."""
    short = {"model.context_tokens": 1024, "fleet.input_tokens_per_query": 1000,
             "fleet.output_tokens_per_query": 500}
    reserved = _said({**short, "serving.kv_cache_in_use": "reserved"})
    paged = _said({**short, "serving.kv_cache_in_use": "paged"})
    head = ("Fleet: a query holds 1,500 tokens (input + output), more than "
            "model.context_tokens (1,024); ")
    assert head + "memory is sized for the query." in reserved
    assert head + "a paged cache holds it, but the model must accept it." in paged


def test_a_minimum_speed_under_one_token_still_counts() -> None:
    """A minimum of 0.5 tok/s that not even one stream reaches: the warning (any minimum
    above 0 counts, not only one above 1 tok/s)."""
    said = _said({"serving.min_tokens_per_s_per_stream": 0.5},
                 throughput__batch_speed_limit=0, throughput__decode_tokens_per_s_per_stream=0.4)
    assert "Fleet: even a single stream gets only 0.4 tok/s, below the minimum of 0.5 tok/s; " \
           "batch forced to 1." in said


def test_a_fleet_loss_warns_and_half_a_dollar_of_profit_does_not() -> None:
    loss = "Fleet: at $"
    assert any(w.startswith(loss) for w in _said({}, fleet__annual_profit_usd=-0.5))
    assert not any(w.startswith(loss) for w in _said({}, fleet__annual_profit_usd=0.5))


def test_paying_back_exactly_at_the_end_of_the_lifespan_is_not_late() -> None:
    """Lifespan 3 years = 1,095 days: paying back on day 1,095 is in time, day 1,096 is
    later than the lifespan (a 366-day year would still call 1,096 in time)."""
    late = "Host: pays back after"
    years = {"host.lifespan_years": 3}
    assert not any(w.startswith(late) for w in _said(years, host__break_even_days=1095.0))
    assert "Host: pays back after 1,096 days, later than the hardware's lifespan of 1,095 " \
           "days." in _said(years, host__break_even_days=1096.0)


def test_a_speed_under_load_below_the_minimum_is_said() -> None:
    """ROUND at a batch of 77: 28.0 tok/s between steps, and under load (k = 76/500 prompts
    a step) 1000 / (0.848 x 35.7696 + 0.152 x 43.08 ms) = 27.114 tok/s. A minimum of
    27.115 tok/s still allows the batch (it bounds the decode step) but not the speed under
    load; 27.114 allows both."""
    said = report(serving__max_batch=77, serving__min_tokens_per_s_per_stream=27.115)
    assert said["throughput"]["batch"] == 77
    assert "Fleet: under load a stream gets 27.1 tok/s, below the 27.115 tok/s minimum, " \
           "which bounds only the decode step (28.0 tok/s); a lower serving.max_batch keeps " \
           "it." in said["warnings"]
    quiet = report(serving__max_batch=77, serving__min_tokens_per_s_per_stream=27.114)
    assert quiet["throughput"]["batch"] == 77
    assert not [w for w in quiet["warnings"] if "under load" in w]


def test_no_speed_under_load_warning_without_a_minimum_or_a_batch() -> None:
    """No minimum (0) asks for no speed; a batch the minimum forced to 1 has its own warning."""
    assert not [w for w in _said({"serving.min_tokens_per_s_per_stream": 0.0},
                                 throughput__served_tokens_per_s_per_stream=0.5)
                if "under load" in w]
    forced = _said({"serving.min_tokens_per_s_per_stream": 100.0},
                   throughput__batch_speed_limit=0,
                   throughput__served_tokens_per_s_per_stream=0.5)
    assert not [w for w in forced if "under load" in w]
    assert [w for w in forced if "even a single stream" in w]
    assert [w for w in _said({"serving.min_tokens_per_s_per_stream": 100.0},
                             throughput__batch_speed_limit=1,
                             throughput__served_tokens_per_s_per_stream=0.5)
            if "under load" in w]


def test_the_speed_under_load_warning_at_its_threshold() -> None:
    """A minimum below 1 tok/s is still a minimum (0.4 under load against 0.5 warns), and a
    speed exactly at the minimum meets it (10 against 10 is quiet)."""
    def said(smin: float, served: float) -> bool:
        return any("under load" in w for w in _said(
            {"serving.min_tokens_per_s_per_stream": smin}, throughput__batch_speed_limit=77,
            throughput__served_tokens_per_s_per_stream=served))
    assert said(0.5, 0.4)
    assert not said(10.0, 10.0)
    assert said(10.0, 9.99)
