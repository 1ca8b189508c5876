"""The batch limits at their edges, by hand: how many streams fit in memory (zero-byte
streams, no room, a non-finite count) and the largest batch at a speed when a step has no
per-stream memory or compute cost, or no speed limit at all. Each case must also be silent:
a RuntimeWarning from numpy is noise on a user's terminal (run under warnings-as-errors)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from pytest import approx

from infracalc_tui.engine.throughput import (
    BATCH_CAP,
    Step,
    largest_batch_at_speed,
    streams_in_memory,
)


def _silently(fn: Callable[..., Any], *args: Any) -> np.ndarray:
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        out = np.asarray(fn(*args))
    assert out.dtype == np.float64  # numbers, not objects
    return out


@pytest.mark.parametrize(("free", "per_stream", "streams"), [
    (10.0, 0.5, 20.0),  # floor(10 / 0.5): a stream smaller than a byte still counts
    (5.0, 1.0, 5.0),
    (0.0, 1.0, 0.0),  # no room, no stream
    (10.0, 0.0, BATCH_CAP),  # streams of no bytes: as many as the search allows
    (0.5, 0.0, BATCH_CAP),  # ... in any room at all,
    (0.0, 0.0, BATCH_CAP),  # even none,
    (-1.0, 0.0, 0.0),  # but not in memory the weights already overfill
    (np.inf, 1.0, 0.0),  # a count that is not finite is none
    (np.nan, 1.0, 0.0),
])
def test_streams_in_memory_by_hand(free: float, per_stream: float, streams: float) -> None:
    got = _silently(streams_in_memory, free, per_stream)
    assert got.dtype == np.float64
    assert float(got) == streams


def _step(w: float, kv_read: float, flops_per_token: float, fixed: float = 0.0,
          bandwidth: float = 1.0) -> Step:
    """w bytes read every step and kv_read per stream at 1 B/s; flops_per_token at 1 FLOP/s;
    no per-stream costs: t(B) = max(w + B·kv_read, B·flops_per_token) + fixed seconds."""
    return Step(*(np.asarray(x, dtype=float) for x in (
        w, 0.0, 1.0, kv_read, bandwidth, flops_per_token, 1.0, fixed, 0.0)))


def test_without_a_minimum_speed_the_batch_is_the_search_cap() -> None:
    """A minimum of 0 (1/0) or a denormal one (1/5e-324 overflows) sets no limit."""
    got = _silently(largest_batch_at_speed, np.array([0.0, 5e-324, -1.0]), _step(1.0, 1.0, 1.0))
    assert got.tolist() == [BATCH_CAP] * 3


def test_a_step_without_kv_reads_is_bound_by_its_compute() -> None:
    """t(B) = max(1, B) s. At 1 tok/s (t <= 1 s): B = 1, where the memory room is exactly
    0 = 1·1 − 1 (0/0 in the closed form); at 0.5 tok/s (t <= 2 s): B = 2, where the room is
    1 B over no bytes per stream (1/0)."""
    got = _silently(largest_batch_at_speed, np.array([1.0, 0.5]), _step(1.0, 0.0, 1.0))
    assert got.tolist() == [1.0, 2.0]


def test_a_step_without_flops_is_bound_by_its_memory() -> None:
    """t(B) = 1 + B s: at 0.5 tok/s (t <= 2 s) one stream; the compute side divides the 2 s
    budget by no time per stream (2/0)."""
    got = _silently(largest_batch_at_speed, 0.5, _step(1.0, 1.0, 0.0))
    assert float(got) == 1.0


def test_a_tiny_minimum_speed_overflows_silently_to_no_limit() -> None:
    """At 1e-300 tok/s a step may take 1e300 s: 1e300 s x 1e13 B/s overflows to inf bytes of
    room, so every batch up to the cap fits."""
    got = _silently(largest_batch_at_speed, 1e-300, _step(1.0, 1.0, 1.0, bandwidth=1e13))
    assert float(got) == BATCH_CAP


def test_weights_that_fill_the_step_exactly_leave_the_batch_to_compute() -> None:
    """t(B) = max(1, B/4) s with no KV reads: at 1 tok/s the weights take the whole second
    (no memory room, none needed per stream) and compute allows B/4 <= 1, so B = 4."""
    got = _silently(largest_batch_at_speed, 1.0, _step(1.0, 0.0, 0.25))
    assert float(got) == 4.0


def test_a_step_of_fixed_cost_only_serves_every_batch_at_its_speed() -> None:
    """No reads, no FLOPs, 1 s of fixed cost: t(B) = 1 s for every B, which meets 1 tok/s
    exactly (no time left, and none needed per stream), so the batch is the search's cap."""
    got = _silently(largest_batch_at_speed, 1.0, _step(0.0, 0.0, 0.0, fixed=1.0))
    assert float(got) == BATCH_CAP


def test_a_batch_of_routed_experts_is_found_past_the_all_read_bound() -> None:
    """100 B of routed experts, each token reading 1% of them, plus 1 B of KV per stream at
    1 B/s: t(B) = 100·(1 − 0.99^B) + B s. At 0.02 tok/s (t <= 50 s) reading every expert
    fits no stream (100 s), yet t(26) = 23.00 + 26 = 49.00 s and t(27) = 23.77 + 27 =
    50.77 s: the search must bisect past the all-read bound to 26."""
    assert 100 * (1 - 0.99 ** 26) + 26 <= 50 < 100 * (1 - 0.99 ** 27) + 27
    moe = Step(*(np.asarray(x, dtype=float) for x in (
        0.0, 100.0, 0.01, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0)))
    assert float(_silently(largest_batch_at_speed, 0.02, moe)) == 26.0


def test_a_closed_form_rounded_down_is_stepped_up_to_a_batch_at_exactly_the_speed() -> None:
    """0.1 B of KV per stream at 4.3 B/s: 43 streams read 4.3 B in exactly 1 s, which meets
    1 tok/s, but 4.3 / 0.1 in doubles is 42.99999999999999, so the closed form says 42 and
    the search must step up to 43 (44 streams take 1.023 s)."""
    assert 4.3 / 0.1 < 43 and 43 * 0.1 / 4.3 == 1.0
    got = _silently(largest_batch_at_speed, 1.0, _step(0.0, 0.1, 0.0, bandwidth=4.3))
    assert float(got) == 43.0


def test_one_byte_of_routed_experts_still_opens_the_bracket() -> None:
    """1 B of routed experts (0.1% a token) and 0.1 B of KV per stream at 1 B/s: t(B) =
    (1 − 0.999^B) + 0.1·B s. At 1/5.06 tok/s (t <= 5.06 s) reading every expert allows
    floor(4.06 / 0.1) = 40, without them floor(5.06 / 0.1) = 50, and t(50) = 0.0488 + 5.0 =
    5.049 s fits while t(51) = 5.150 s does not: 50, the top of the bracket."""
    assert 1 - 0.999 ** 50 + 5.0 <= 5.06 < 1 - 0.999 ** 51 + 5.1
    moe = Step(*(np.asarray(x, dtype=float) for x in (
        0.0, 1.0, 0.001, 0.1, 1.0, 0.0, 1.0, 0.0, 0.0)))
    assert float(_silently(largest_batch_at_speed, 1 / 5.06, moe)) == 50.0


def test_a_dense_and_a_routed_step_are_searched_in_one_call() -> None:
    """100 B of weights and 1 B of KV per stream at 1 B/s, at 1/150 tok/s (t <= 150 s):
    dense, t(B) = 100 + B, so 50 streams; routed at 1% a token, t(B) = 100·(1 − 0.99^B) + B,
    t(90) = 149.53 s and t(91) = 150.93 s, so 90. One vectorised call gives both, as floats."""
    assert 100 * (1 - 0.99 ** 90) + 90 <= 150 < 100 * (1 - 0.99 ** 91) + 91
    both = Step(*(np.asarray(x, dtype=float) for x in (
        0.0, 100.0, [1.0, 0.01], 1.0, 1.0, 0.0, 1.0, 0.0, 0.0)))
    assert _silently(largest_batch_at_speed, 1 / 150, both).tolist() == [50.0, 90.0]


def test_a_batch_the_bisection_finds_at_exactly_the_speed_counts() -> None:
    """100 B of routed experts at 1% a token and 1 B of KV per stream at 1 B/s: t(5) =
    100·(1 − 0.99^5) + 5 = 9.90099501 s. With the minimum speed 1/t(5), 5 streams meet it
    exactly (<=, not <), and 5 lies past the all-read bound (none fit), so the bisection's
    own test decides it."""
    moe = Step(*(np.asarray(x, dtype=float) for x in (
        0.0, 100.0, 0.01, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0)))
    t5 = float(moe.total(5.0))
    assert t5 == approx(9.90099501, rel=1e-12)
    assert 1.0 / (1.0 / t5) == t5  # the speed's step time is t(5) to the last bit
    assert float(_silently(largest_batch_at_speed, 1.0 / t5, moe)) == 5.0
