"""More warnings and report figures at their edges: a threshold met exactly, the full words
of a warning, the report's fallbacks for values without the app's extras, and the replica
width's reason. Written to kill survivors of engine/warnings.py and engine/report.py.

Numbers are the ROUND scenario's (tests/unit/helpers.py): a 10B model in 16 bits (20 GB of
weights) on 80 GB GPUs of which 72 GB are usable, 4,096 x 163,840 B = 671,088,640 B of KV
cache per stream; fewest_gpus tries widths 1, 2, 4, 8 and needs 76, 56, 48, 48 GPUs.
"""

from __future__ import annotations

from infracalc_tui.engine.report import build_report

from .helpers import report, scenario
from .test_kill_warnings import _said

HINT = "per replica would need"


def test_a_context_equal_to_the_model_maximum_is_not_longer() -> None:
    """Context 4,096 against a maximum of 4,096: no warning; against 4,095: the warning."""
    assert not any(w.startswith("Model:") for w in _said({}, 4096))
    assert "Model: context of 4,096 tokens is longer than the model's maximum of 4,095." in \
        _said({}, 4095)


def test_a_query_that_fills_the_context_exactly_is_not_longer() -> None:
    """1,000 + 500 tokens in a 1,500-token context: the query fits, no warning."""
    assert not any(w.startswith("Fleet: a query holds")
                   for w in _said({"model.context_tokens": 1500}))


def test_the_weights_not_fitting_one_replica_says_how_to_fix_it() -> None:
    """No stream fits (batch memory limit 0): the whole sentence, with the hint in lower
    case as the key names are written."""
    assert _said({}, throughput__batch_memory_limit=0)[0] == (
        "Fleet: the weights (20.0 GB) and one stream's KV cache do not fit in 1 GPU(s) of "
        "72.0 GB usable; batch forced to 1 (raise serving.tensor_parallel or set it to 0 for "
        "automatic).")


def test_a_fleet_that_breaks_exactly_even_is_not_a_loss() -> None:
    """An annual profit of exactly $0: revenue covers the cost, no loss warning."""
    assert not any(w.startswith("Fleet: at $") for w in _said({}, fleet__annual_profit_usd=0))


def test_weights_that_exactly_fill_the_host_blame_the_threads() -> None:
    """72B in 16 bits = 144 GB of weights on 2 GPUs x 72 GB = 144 GB: the weights alone fit
    (exactly), the 2 threads' KV cache (2 x 0.671 GB) does not: 145.3 GB needed."""
    said = report(model__total_params_b=72)["warnings"]
    assert said[0] == ("Host: does not fit in memory: 2 thread(s) need 145.3 GB, the host "
                       "has 144.0 GB usable (at most 0 thread(s) fit).")
    assert not any("the weights alone" in w for w in said)


def test_a_host_minimum_under_one_token_still_counts() -> None:
    """A minimum of 0.5 tok/s and 0.4 tok/s per thread: too slow (a minimum above 0 counts,
    not only one above 1 tok/s)."""
    said = _said({"serving.min_tokens_per_s_per_stream": 0.5},
                 host__decode_tokens_per_s_per_stream=0.4)
    assert "Host: too slow per stream: 2 thread(s) get 0.4 tok/s each, below the minimum of " \
           "0.5 tok/s." in said


def test_a_host_thread_exactly_at_the_minimum_is_not_too_slow() -> None:
    """10 tok/s per thread against a minimum of 10 tok/s: fast enough."""
    said = _said({}, host__decode_tokens_per_s_per_stream=10.0)
    assert not any(w.startswith("Host: too slow") for w in said)


def test_never_breaking_even_adds_up_the_running_costs() -> None:
    """Revenue $1/day against $2 of electricity + $0.50 of other costs = $2.50/day."""
    said = _said({}, host__break_even_days=None, host__revenue_usd_per_day=1.0,
                 host__electricity_usd_per_day=2.0, host__other_opex_usd_per_day=0.5)
    assert "Host: never breaks even: revenue of $1.00/day does not cover electricity and " \
           "running costs of $2.50/day." in said


def test_values_without_the_engine_in_use_name_the_engine_set() -> None:
    """A caller of build_report whose values lack serving.engine_in_use / engine_reason (not
    resolved by the scenario package): the engine is serving.engine, the reason empty."""
    values = {k: v for k, v in scenario().values.items()
              if k not in ("serving.engine_in_use", "serving.engine_reason")}
    t = build_report(values)["throughput"]
    assert (t["engine"], t["engine_reason"]) == ("generic", "")


def test_a_width_that_is_set_is_named_in_its_reason() -> None:
    """serving.tensor_parallel = 1 is set too (not automatic), and the reason quotes the
    width: 1, then 2."""
    assert report(serving__tensor_parallel=1)["throughput"]["tensor_parallel_reason"] == \
        "set in serving.tensor_parallel (1 GPUs per replica)"
    assert report(serving__tensor_parallel=2)["throughput"]["tensor_parallel_reason"] == \
        "set in serving.tensor_parallel (2 GPUs per replica)"


def test_the_fewest_gpus_reason_lists_every_width_tried() -> None:
    """Widths 1, 2, 4, 8 (up to the 8 GPUs of a server): 76, 56, 48, 48 GPUs, all listed."""
    assert report(serving__tensor_parallel_rule="fewest_gpus")["throughput"][
        "tensor_parallel_reason"] == (
        "automatic, fewest_gpus: 4 GPU(s) per replica serve the fleet with the fewest GPUs "
        "(GPUs by width: 1: 76; 2: 56; 4: 48; 8: 48)")


def test_the_smallest_fit_forgives_what_the_batch_forgives() -> None:
    """4 GPUs x 72 GB = 288e9 B. Weights of 2 x 143.6644556802e9 B plus one stream's
    671,088,640 B are 288e9 + 0.4 B: within the 1e-9 float slack the batch forgives, so 4
    GPUs hold one stream (40,096 GPUs) and are the smallest fit, listed beside 8 (288).
    2 x 143.6644557e9 B makes it 288e9 + 40 B: no stream fits 4 GPUs, the fit is 8 and 8
    is the only width listed."""
    r = report(serving__tensor_parallel_rule="fewest_gpus", model__total_params_b=143.6644556802)
    assert r["throughput"]["smallest_fit_tensor_parallel"] == 4
    assert r["throughput"]["tensor_parallel_reason"] == (
        "automatic, fewest_gpus: 8 GPU(s) per replica serve the fleet with the fewest GPUs "
        "(GPUs by width: 4: 40,096; 8: 288)")
    r = report(serving__tensor_parallel_rule="fewest_gpus", model__total_params_b=143.6644557)
    assert r["throughput"]["smallest_fit_tensor_parallel"] == 8
    assert r["throughput"]["tensor_parallel_reason"] == (
        "automatic, fewest_gpus: 8 GPU(s) per replica serve the fleet with the fewest GPUs "
        "(GPUs by width: 8: 288)")


def test_an_automatic_width_gets_no_wider_replica_hint() -> None:
    """serving.tensor_parallel = 0 with smallest_fit: 1 GPU per replica, 76 GPUs, though
    width 4 would need 48; the width is automatic, so no hint to set it to 0."""
    assert not any(HINT in w for w in report()["warnings"])


def test_the_wider_replica_hint_stays_off_the_host_focus() -> None:
    """1 GPU per replica set, fewest_gpus: 76 GPUs where 4 per replica need 48 (76 / 48 =
    1.6x fewer, past the 1.5x threshold): the hint, unless the scenario is about the host."""
    values = scenario(serving__tensor_parallel=1,
                      serving__tensor_parallel_rule="fewest_gpus").values
    assert build_report(values)["warnings"][0] == (
        "Fleet: 1 GPU(s) per replica need 76 GPUs; 4 per replica would need 48 (1.6x fewer; "
        "set serving.tensor_parallel = 0 for the automatic choice).")
    assert not any(HINT in w for w in build_report(values, focus="host")["warnings"])


def test_the_wider_replica_hint_names_the_width_that_needs_fewest() -> None:
    """1 GPU per replica set under the default smallest_fit rule: the automatic choice would
    be 1 again (the smallest fit), but the hint names the width with the fewest GPUs, 4."""
    assert report(serving__tensor_parallel=1)["warnings"][0] == (
        "Fleet: 1 GPU(s) per replica need 76 GPUs; 4 per replica would need 48 (1.6x fewer; "
        "set serving.tensor_parallel = 0 for the automatic choice).")
