"""Memoising engine stages on the inputs they read, for scalar scenarios.

The TUI asks again and again for the same replica and the same host capacity (every chart of
a tab, every price or users edit); a sweep over a stage's own inputs has arrays in them and
is computed, not looked up. Results are shared between callers, so they are made read-only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .numeric import Array

SIZE = 64


def scalar_key(raw: Mapping[str, Any], prefixes: tuple[str, ...], extra: tuple[str, ...]
               ) -> tuple[Any, ...] | None:
    """The values of every key under ``prefixes`` and of ``extra``, or None when one of them
    is an array."""
    keys = [k for k in raw if k.startswith(prefixes)] + list(extra)
    if not all(isinstance(raw.get(k), int | float | str | bool | None) for k in keys):
        return None
    return tuple(sorted((k, raw.get(k)) for k in keys))


def memoised(cache: dict[tuple[Any, ...], dict[str, Array]], key: tuple[Any, ...] | None,
             compute: Callable[[], dict[str, Array]]) -> dict[str, Array]:
    """``compute()``, looked up in ``cache`` by ``key`` (computed every time when None)."""
    if key is None:
        return compute()
    hit = cache.get(key)
    if hit is None:
        if len(cache) >= SIZE:
            cache.pop(next(iter(cache)))
        hit = compute()
        for a in hit.values():
            if isinstance(a, np.ndarray):
                a.flags.writeable = False  # shared between callers: nobody may change it
        cache[key] = hit
    return dict(hit)
