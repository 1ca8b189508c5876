"""Typed access to resolved scenario values inside the engine."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .numeric import Array, arr


class Values:
    """Scenario values by dotted key; numbers come back as float arrays (None as 0)."""

    def __init__(self, p: Mapping[str, Any]) -> None:
        self.raw = p

    @property
    def _p(self) -> Mapping[str, Any]:
        return self.raw

    def __call__(self, key: str) -> Array:
        value = self.raw[key]
        return arr(0.0 if value is None else value)

    def text(self, key: str) -> str:
        return str(self.raw[key])

    def is_set(self, key: str) -> bool:
        """Whether the key has a value (an optional key left empty is None)."""
        return self.raw.get(key) is not None
