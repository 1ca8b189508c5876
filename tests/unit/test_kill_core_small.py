"""Small engine survivors by hand: the capital recovery factor at its straight-line
threshold r·n = 1e-9 (on it, and where r·n and r/n fall on either side), the memo's
eviction at SIZE entries, and a sliding window of a single token.

Written to kill the survivors docs/mutation.md listed for finance.capital_recovery_factor,
memo.memoised and throughput.window_layers: each test pins the exact number a caller sees.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pytest import approx

from infracalc_tui.engine import memo
from infracalc_tui.engine.finance import capital_recovery_factor
from infracalc_tui.engine.host import host_capacity
from infracalc_tui.engine.values import Values

from .helpers import scenario

# -- the capital recovery factor -------------------------------------------------------------


def test_crf_exactly_at_the_threshold_is_the_annuity() -> None:
    """r = 1e-9 over 1 year: r·n = 1e-9 is on the threshold, which takes the annuity
    r(1+r)^1 / ((1+r)^1 - 1) = 1 + r = 1.000000001, not straight-line 1/1 = 1."""
    assert float(capital_recovery_factor(1e-9, 1.0)) == approx(1.000000001, rel=1e-12, abs=0)


def test_crf_switches_on_rate_times_years_not_rate_over_years() -> None:
    """r = 4e-8 over 50 years: r·n = 2e-6 >= 1e-9 (annuity) though r/n = 8e-10 < 1e-9.
    The annuity r/(1 - (1+r)^-n) = 1/n + (n+1)r/(2n) + (n²-1)r²/(12n) + ...
    = 0.02 + 51 x 4e-8 / 100 + 2,499 x 1.6e-15 / 600 = 0.02 + 2.04e-8 + 6.664e-15,
    not the straight-line 1/50 = 0.02 (a relative 1e-6 apart)."""
    crf = float(capital_recovery_factor(4e-8, 50.0))
    assert crf == approx(0.02 + 2.04e-8 + 6.664e-15, rel=1e-12, abs=0)


# -- the memo --------------------------------------------------------------------------------


def test_the_memo_holds_at_most_size_entries() -> None:
    """SIZE + 1 distinct keys: the cache keeps SIZE (64) of them, the oldest (key 0) evicted,
    so asking for key 0 again computes it again (SIZE + 2 computations in all)."""
    cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    calls: list[int] = []

    def compute() -> dict[str, Any]:
        calls.append(1)
        return {"x": np.array(1.0)}

    for i in range(memo.SIZE + 1):
        memo.memoised(cache, (i,), compute)
    assert len(cache) == 64
    assert (0,) not in cache and (1,) in cache and (64,) in cache
    memo.memoised(cache, (0,), compute)
    assert len(calls) == 66 and len(cache) == 64


# -- sliding windows -------------------------------------------------------------------------


def test_a_window_of_one_token_holds_one_token_per_windowed_layer() -> None:
    """ROUND (KV 2 x 40 x 8 x 128 x 2 = 163,840 B/token, context 4,096) with 20 of its 40
    layers windowed to 1 token: (20 x 4,096 + 20 x 1) / 40 = 2,048.5 token-layers per layer,
    x 163,840 = 335,626,240 bytes a thread (not the full 4,096 x 163,840 = 671,088,640)."""
    v = Values(scenario(model__sliding_window_tokens=1, model__sliding_window_layers=20).values)
    assert float(host_capacity(v)["host.kv_bytes_per_thread"]) == 335_626_240.0


def test_a_scalar_scenarios_replicas_are_memoised_read_only() -> None:
    """A scalar scenario's replica candidates are looked up, not recomputed, on a second
    call: both calls share the same read-only arrays (no caller may change a cached one)."""
    from infracalc_tui.engine.evaluate import throughput

    v = Values(scenario(fleet__users=123_457).values)
    first, second = throughput(v), throughput(v)
    batch = first["throughput.batch"]
    assert batch is second["throughput.batch"]
    assert not batch.flags.writeable
