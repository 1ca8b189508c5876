"""The whole model in one vectorised pass: scenario values in, every figure out.

``evaluate`` takes resolved scenario values keyed by their dotted names (any of them may
be a numpy array; they broadcast together), derives the keys that follow others (the same
rules as a resolved scenario, so a sweep moves them as ``--set`` would) and returns every
output keyed by its dotted report name, plus the intermediates the explanations quote.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from .alternatives import fleet_alternatives, host_alternatives
from .derive import derive
from .fleet import fleet
from .host import host_capacity, host_economics
from .investment import host_investment
from .memo import memoised, scalar_key
from .numeric import Array
from .replica import replica_candidates
from .values import Values

__all__ = ["Values", "evaluate", "fleet", "host_capacity", "host_economics", "throughput"]


def evaluate(p: Mapping[str, Any]) -> dict[str, Array]:
    """Every figure of the report for the values in ``p`` (see module docstring)."""
    v = Values(derive(p, np.where))
    out: dict[str, Array] = {}
    out.update(fleet(v, throughput(v)))
    out.update(fleet_alternatives(v, out))
    out.update(_host(v))
    out.update(host_alternatives(v, out))
    out.update(host_investment(v, out))
    return out


# replicas read only these: a change elsewhere (prices, hours, users) reuses their result
_THROUGHPUT_PREFIXES = ("model.", "gpu.", "serving.")
_THROUGHPUT_EXTRA = ("fleet.input_tokens_per_query", "fleet.output_tokens_per_query",
                     "fleet.gpus_per_server")
_throughput_cache: dict[tuple[Any, ...], dict[str, Array]] = {}


def throughput_key(p: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """Everything the replicas read, as a dict key; None when one of them is an array (a
    sweep over their own inputs is computed, not looked up)."""
    return scalar_key(p, _THROUGHPUT_PREFIXES, _THROUGHPUT_EXTRA)


def throughput(v: Values) -> dict[str, Array]:
    """The replica candidates (``replica.replica_candidates``) of resolved values (their
    derived keys filled in, as ``Scenario.values`` and ``evaluate`` give them), memoised for
    scalar scenarios (the TUI's case: a chart sweep or a price edit asks again for the same
    model, GPU and serving). ``fleet`` picks the width from them."""
    return memoised(_throughput_cache, throughput_key(v.raw), lambda: replica_candidates(v))


def _host(v: Values) -> dict[str, Array]:
    out = host_capacity(v)
    out.update(host_economics(v, out["host.decode_tokens_per_s_per_stream"],
                              out["host.max_threads"], out["host.gpu_power_w"]))
    return out
