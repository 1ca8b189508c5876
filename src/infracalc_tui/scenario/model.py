"""The Scenario: what the user chose, and the full set of values it resolves to.

A scenario keeps only what was set explicitly (file keys, edits, ``--set``);
everything else comes from the presets and the schema's defaults, in that
order of precedence. Saving writes the explicit keys, so nothing the user set
is lost and nothing they did not set is frozen in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from . import catalog
from .errors import Problem
from .schema import BY_PATH, FIELDS
from .validate import check_cross

DEFAULT_MBU, DEFAULT_MFU = 0.7, 0.4


@dataclass(frozen=True)
class Scenario:
    name: str = "Untitled scenario"
    description: str = ""
    explicit: Mapping[str, Any] = field(default_factory=dict)
    focus: str = ""  # "fleet" or "host": the tab the TUI opens on ("" = fleet)

    @cached_property
    def values(self) -> dict[str, Any]:
        """Every key, resolved: defaults < presets < explicit values."""
        return resolve(self.explicit)

    def problems(self, source: str = "") -> list[Problem]:
        """Rules between keys that the resolved values break (each value is already valid)."""
        return check_cross(self.values, self.explicit, source)

    def with_value(self, path: str, value: Any) -> Scenario:
        """A copy with ``path`` set explicitly (a valid, converted value)."""
        BY_PATH[path]  # KeyError for an unknown key
        if path.endswith(".preset"):
            return self.with_preset(path.split(".")[0], value)
        return replace(self, explicit={**self.explicit, path: value})

    def without(self, path: str) -> Scenario:
        """A copy where ``path`` falls back to its preset or default."""
        return replace(self, explicit={k: v for k, v in self.explicit.items() if k != path})

    def with_preset(self, section: str, preset: str) -> Scenario:
        """A copy using ``preset`` for ``section``; keys the preset fills drop back to it."""
        filled = _preset_keys(section)
        explicit = {k: v for k, v in self.explicit.items() if k not in filled}
        explicit[f"{section}.preset"] = preset
        if not preset:
            del explicit[f"{section}.preset"]
        return replace(self, explicit=explicit)

    def same_values(self, other: Scenario) -> bool:
        return (self.name, self.description, self.focus, self.values) == \
            (other.name, other.description, other.focus, other.values)


def _preset_keys(section: str) -> set[str]:
    if section == "model":
        spec = next(iter(catalog.models().values()))
        return set(spec.scenario_values())
    spec_g = next(iter(catalog.gpus().values()))
    return set(spec_g.scenario_values(16))


def resolve(explicit: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {f.path: f.default for f in FIELDS}
    model_key = explicit.get("model.preset") or ""
    if model_key in catalog.models():
        values.update(catalog.models()[model_key].scenario_values())
        values["model.preset"] = model_key
    weight_bits = explicit.get("model.weight_bits", values["model.weight_bits"])
    gpu_key = explicit.get("gpu.preset") or ""
    if gpu_key in catalog.gpus():
        values.update(catalog.gpus()[gpu_key].scenario_values(weight_bits))
        values["gpu.preset"] = gpu_key
    values.update(explicit)
    if values["model.active_params_b"] is None:
        values["model.active_params_b"] = values["model.total_params_b"]
    if values["serving.mbu"] is None:
        values["serving.mbu"] = DEFAULT_MBU
    if values["serving.mfu"] is None:
        values["serving.mfu"] = DEFAULT_MFU
    return values
