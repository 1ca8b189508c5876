"""The rest of the engine's survivors, by hand: the IRR (a partial month, rows told apart by
their lifespan, silence where it is undefined, the scalar memo), the memo itself, board power
and the searched speed limits at their edges (parts FORMULAS makes at import, made again here
so a test reaches the factory's lines, as in test_kill_formulas.py), a None value, the
calibration's tie between memory and compute and the digits of its grid search, the capital
recovery factor at a rate of 0, safe_floor above 1 and the host's rent crossover below 1 h.

Written to kill the survivors docs/mutation.md lists for these functions: each test pins the
exact number, text or warning a caller sees.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pytest import approx

from infracalc_tui.engine import investment, memo
from infracalc_tui.engine.alternatives import host_alternatives
from infracalc_tui.engine.calibrate import calibrate
from infracalc_tui.engine.explain import FORMULAS, namespace
from infracalc_tui.engine.finance import capital_recovery_factor
from infracalc_tui.engine.formula_parts import _speed_checks, _speed_limit, _speed_rule
from infracalc_tui.engine.formulas import _board_power
from infracalc_tui.engine.investment import irr_pct
from infracalc_tui.engine.numeric import safe_floor
from infracalc_tui.engine.values import Values

from .helpers import report, scenario

BASE = namespace(scenario().values, report())  # ROUND: B = 390 at 10 tokens/s, idle 70 W
SPEED = "host.decode_tokens_per_s_per_stream"
HOST_STEP = "max(host_step_time_memory_ms, host_step_time_compute_ms) + host_step_time_overhead_ms"


def ns(**over: Any) -> dict[str, Any]:
    return {**BASE, **over}


@pytest.fixture
def loud() -> Any:
    """numpy's default error handling, every warning an error: a stray 0/0 fails the test."""
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# -- the IRR -------------------------------------------------------------------------------


def test_irr_with_a_partial_month() -> None:
    """1/16 year = 0.75 month, no whole month: NPV = -250 + 12 x 365/12 x 0.75 x e^(-0.75 y)
    = 0 at e^(0.75 y) = 273.75 / 250 = 1.095, so the annual rate e^(12 y) - 1 = 1.095^16 - 1."""
    assert float(irr_pct(250.0, 12.0, 0.0625, 0.0)) == approx((1.095 ** 16 - 1) * 100)


def test_irr_rows_differing_only_in_lifespan() -> None:
    """No margin, resale 200 %: -h + 2h e^(-12 n y) = 0, rate 2^(1/n) - 1: 100 % over one
    year, sqrt(2) - 1 = 41.42 % over two. 300 rows (past DEDUPE_ABOVE): two distinct ones."""
    years = np.tile([1.0, 2.0], 150)
    rates = irr_pct(np.full(300, 1000.0), np.zeros(300), years, np.full(300, 200.0))
    assert rates[0::2] == approx(np.full(150, 100.0))
    assert rates[1::2] == approx(np.full(150, (2 ** 0.5 - 1) * 100))


def test_irr_of_nothing_is_null_and_silent(loud: Any) -> None:
    """No outlay, no margin, no resale: the NPV is 0 at every rate, so NaN, and the 0/0 of
    the last false-position step raises no RuntimeWarning."""
    assert np.isnan(irr_pct(0.0, 0.0, 3.0, 0.0))


def test_a_scalar_irr_is_computed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same scalar host asked twice: irr_pct runs once (the second is a memo hit)."""
    calls: list[int] = []

    def counted(*args: Any) -> Any:
        calls.append(1)
        return irr_pct(*args)

    monkeypatch.setattr(investment, "_IRR", {})
    monkeypatch.setattr(investment, "irr_pct", counted)
    for _ in range(2):
        assert float(investment._irr_memoised(1000.0, 0.0, 1.0, 200.0)) == approx(100.0)
    assert len(calls) == 1


# -- the memo ------------------------------------------------------------------------------


def test_a_memo_hit_is_stored_and_read_only() -> None:
    """Computed once for a key, then looked up; its arrays refuse writes (shared)."""
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    calls: list[int] = []

    def compute() -> dict[str, Any]:
        calls.append(1)
        return {"x": np.array([1.0, 2.0])}

    first = memo.memoised(cache, ("k",), compute)
    again = memo.memoised(cache, ("k",), compute)
    assert len(calls) == 1 and again["x"].tolist() == [1.0, 2.0]
    assert cache[("k",)]["x"] is first["x"]
    with pytest.raises(ValueError, match="read-only"):
        first["x"][0] = 5.0


# -- board power and the searched speed limits (factories made again) ----------------------

def throughput_power() -> Callable[[dict[str, Any]], str]:
    return _board_power("throughput_step_time_memory_ms", "throughput_step_time_compute_ms",
                        "step_time_ms")


def host_power() -> Callable[[dict[str, Any]], str]:
    return _board_power("host_step_time_memory_ms", "host_step_time_compute_ms", HOST_STEP)


DRAW = "(power_k_mem * {p}_step_time_memory_ms + power_k_cmp * {p}_step_time_compute_ms)"


def test_the_power_factories_are_what_formulas_uses() -> None:
    """A tensor-parallel host's power is the board's (a layer split averages it over turns)."""
    tp = ns(multi_gpu="tensor_parallel")
    assert host_power()(tp) == FORMULAS["host.gpu_power_w"].expression(tp)
    for v in (BASE, ns(idle_w=500)):
        assert throughput_power()(v) == FORMULAS["throughput.gpu_power_w"].expression(v)


def test_board_power_at_idle_equal_to_tdp() -> None:
    """idle_w = tdp_w = 500: no cap is needed, idle_w is written as it is."""
    assert throughput_power()(ns(idle_w=500)) == (
        f"idle_w + (tdp_w - idle_w) * min(1, {DRAW.format(p='throughput')} / step_time_ms)")


def test_the_host_board_power_brackets_its_step() -> None:
    """The host's step is a sum: divided by, it needs its brackets."""
    assert host_power()(ns(multi_gpu="tensor_parallel")) == (
        f"idle_w + (tdp_w - idle_w) * min(1, {DRAW.format(p='host')} / ({HOST_STEP}))")


def batch_checks(**over: Any) -> list[tuple[str, str]]:
    return [(c.label, c.op) for c in _speed_checks("batch_speed_limit", False)(ns(**over))]


def test_a_minimum_of_one_token_per_second_is_searched() -> None:
    """min_tokens_per_s_per_stream = 1 (> 0): the limit is the search's, with its rule and
    its two checks (B = 390 fast enough, 391 not)."""
    assert _speed_limit("batch_speed_limit", lambda ns: "x")(ns(min_tokens_per_s_per_stream=1)) \
        == "batch_speed_limit"
    assert _speed_rule("B", False)(ns(min_tokens_per_s_per_stream=1)) == (
        "the largest B <= 1e9 with 1000 / step_time_ms(B) >= min_tokens_per_s_per_stream (0 "
        "when even 1 is too slow), step_time_ms(B) being the step_time_ms with B streams "
        "(max(memory, compute) + overhead, throughput.step_time_*_ms)")
    assert batch_checks(min_tokens_per_s_per_stream=1) == [
        ("1000 / step_time_ms(390)", ">="), ("1000 / step_time_ms(391)", "<")]


def test_speed_checks_at_0_1_and_the_cap() -> None:
    """0 found: only "1 is too slow"; 1: 1 fast enough, 2 not; the cap 1e9: only that it is
    fast enough, nothing above it being searched."""
    assert batch_checks(batch_speed_limit=0) == [("1000 / step_time_ms(1)", "<")]
    assert batch_checks(batch_speed_limit=1) == [
        ("1000 / step_time_ms(1)", ">="), ("1000 / step_time_ms(2)", "<")]
    assert batch_checks(batch_speed_limit=1e9) == [("1000 / step_time_ms(1000000000)", ">=")]


# -- values --------------------------------------------------------------------------------


def test_an_empty_value_reads_as_zero() -> None:
    assert float(Values({"gpu.rent_usd_per_hour": None})("gpu.rent_usd_per_hour")) == 0.0


# -- calibration ---------------------------------------------------------------------------


def one_thread(**over: Any) -> dict[str, Any]:
    """One thread reading 2e10 bytes of weights + 1,000 tokens x 5e6 bytes = 2.5e10 bytes at
    2 TB/s: 25 ms / mbu x 0.5, i.e. 80 x mbu tokens/s."""
    return scenario(model__context_tokens=2000, model__kv_bytes_per_token=5e6,
                    pricing__concurrent_threads=1, **over).values


def test_a_tie_between_memory_and_compute_fits_the_bandwidth() -> None:
    """At 1.6 TFLOPS x mfu 0.5 the step's 2e10 FLOPs take 25 ms too: a tie counts as
    memory-bound, so half the speed (20 tokens/s) is fitted by mbu alone."""
    values = one_thread(gpu__tflops=1.6)
    c = calibrate(values, {SPEED: 20.0})
    assert list(c.knobs) == ["serving.mbu"]
    assert c.knobs["serving.mbu"] == approx(0.25, rel=1e-5)


def test_the_grid_search_to_its_last_digit() -> None:
    """30 tokens/s is mbu 0.375. Grid 0.01 + k x 0.00495 (k to 200): best k = 74 (73.74),
    0.3763; then 201 points over +-0.00495, step 4.95e-5, from 0.37135: k = 74, 0.375013;
    then step 4.95e-7 from 0.3749635: k = 74, 0.37500013, the centre of the last window.
    30.0000104 tokens/s, 1.3e-7 / 0.375 = 3.4667e-7 high: one knob is enough."""
    c = calibrate(one_thread(), {SPEED: 30.0})
    assert c.knobs == {"serving.mbu": approx(0.37500013, abs=1e-12)}
    assert c.predicted[SPEED] == approx(80 * 0.37500013, rel=1e-12)
    assert c.residual_pct[SPEED] == approx(0.00000013 / 0.375 * 100, rel=1e-6)


# -- finance, floors, the rent crossover ---------------------------------------------------


def test_crf_at_a_rate_of_zero_is_silent(loud: Any) -> None:
    """r = 0 over 4 years: straight-line 1/4, without computing 0 x 1 / expm1(0) = 0/0."""
    assert float(capital_recovery_factor(0.0, 4.0)) == 0.25


def test_safe_floor_slack_grows_with_the_value() -> None:
    """487,399.99999 + 1e-9 x 487,399.99999 = 487,400.0004874: floors to 487,400 (the
    slack is relative above 1); 2.5 still floors to 2."""
    assert float(safe_floor(487_399.99999)) == 487_400.0
    assert float(safe_floor(2.5)) == 2.0


def test_safe_floor_slack_below_one_is_1e9_absolute() -> None:
    """1 - 1.5e-9 + 1e-9 x max(1, 0.99..) = 0.9999999995 floors to 0; 1 - 0.5e-9 to 1."""
    assert safe_floor(np.array([1 - 1.5e-9, 1 - 0.5e-9])).tolist() == [0.0, 1.0]


def test_safe_floor_of_the_float_range_ends_is_silent(loud: Any) -> None:
    """-inf + 1e-9 x inf is inf - inf (invalid) and the largest double plus 1e-9 of itself
    overflows: neither may print a RuntimeWarning, and neither gives a finite count."""
    low, high = safe_floor(np.array([-np.inf, np.finfo(np.float64).max]))
    assert not np.isfinite(low)
    assert high == np.inf


def test_buying_beats_renting_from_half_an_hour() -> None:
    """fixed 0 x 24 x 0.1 + 4.95 + 0 = $4.95/day over 1 x $10/h - (1 - 0) kW x $0.1 = $9.90/h:
    buying wins above 0.5 h a day (a crossover under 1 h is still within the day)."""
    v = Values({"gpu.rent_usd_per_hour": 10.0, "host.gpu_count": 1.0,
                "pricing.utilization_hours_per_day": 8.0, "host.electricity_usd_per_kwh": 0.1,
                "pricing.api_price_per_million_input_tokens_usd": 0.0,
                "pricing.api_price_per_million_output_tokens_usd": 0.0,
                "fleet.input_tokens_per_query": 1000.0, "fleet.output_tokens_per_query": 500.0})
    e = {"host.load_kw": np.array(1.0), "host.idle_kw": np.array(0.0),
         "host.depreciation_usd_per_day": np.array(4.95),
         "host.other_opex_usd_per_day": np.array(0.0), "host.tokens_per_day": np.array(1e6)}
    out = host_alternatives(v, e)
    assert float(out["host.buy_beats_rent_above_hours_per_day"]) == approx(0.5)
    assert float(out["host.rent_usd_per_day"]) == 80.0
