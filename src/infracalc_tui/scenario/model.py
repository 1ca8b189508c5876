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

from ..engine.derive import derive
from . import catalog
from .errors import Problem
from .schema import BY_PATH, FIELDS
from .validate import check_cross

#: The generic roofline's efficiencies when no GPU preset gives them (engine-spec).
DEFAULT_MBU, DEFAULT_MFU = 0.7, 0.4


@dataclass(frozen=True)
class Scenario:
    name: str = "Untitled scenario"
    description: str = ""
    explicit: Mapping[str, Any] = field(default_factory=dict)
    focus: str = ""  # "fleet" or "host": the tab the TUI opens on ("" = fleet)
    #: ranges for Monte Carlo, by dotted key (scenario/uncertain.py): low, high, mode, dist
    uncertainty: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    @cached_property
    def inputs(self) -> dict[str, Any]:
        """Every key, resolved (defaults < presets < engine profile < explicit values), with
        derived keys still None: what a sweep varies, so that they follow (``derive``)."""
        return resolve(self.explicit)

    @cached_property
    def values(self) -> dict[str, Any]:
        """Every key, resolved, derived keys filled in: what the report and the app show."""
        return derive(self.inputs)

    @property
    def opens_on(self) -> str:
        """The section a person opening this file came for: ``focus`` when set; otherwise
        Host for a file that sets host or pricing keys and no fleet keys, else Fleet."""
        if self.focus:
            return self.focus
        sections = {key.split(".")[0] for key in self.explicit}
        return "host" if sections & {"host", "pricing"} and "fleet" not in sections \
            else "fleet"

    def problems(self, source: str = "") -> list[Problem]:
        """Rules between keys that the resolved values break (each value is already valid)."""
        from .uncertain import check_modes

        return check_cross(self.values, self.explicit, source) + \
            check_modes(self.values, self.uncertainty, source)

    def uncertainty_spec(self) -> dict[str, dict[str, Any]]:
        """The ``[uncertainty]`` entries as the engine takes them (modes resolved)."""
        from .uncertain import spec

        return spec(self.values, self.uncertainty)

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
        return (self.name, self.description, self.focus, self.values, self.uncertainty) == \
            (other.name, other.description, other.focus, other.values, other.uncertainty)


def _preset_keys(section: str) -> set[str]:
    if section == "model":
        spec = next(iter(catalog.models().values()))
        return set(spec.scenario_values())
    return set(next(iter(catalog.gpus().values())).scenario_values())


#: Keys an engine profile fills when the user did not set them, and the key whose value picks
#: the profile's number: bandwidth by memory type (AMD's kernels apart), FLOPS fractions and
#: fixed costs by the maker's kernels, the all-reduce by interconnect.
PROFILE_CLASS = {"serving.mbu": "gpu.bandwidth_class", "serving.mfu": "gpu.vendor",
                 "serving.prefill_mfu": "gpu.vendor", "serving.step_overhead_ms": "gpu.vendor",
                 "serving.layer_overhead_us": "gpu.vendor",
                 "serving.allreduce_us": "gpu.interconnect",
                 "serving.allreduce_bw_fraction": "gpu.interconnect"}
PROFILE_KEYS = tuple(PROFILE_CLASS)


def bandwidth_class(vendor: str, memory_type: str) -> str:
    """Which bandwidth fraction a GPU gets: its memory type's, but ROCm's kernels on AMD
    GPUs reach their own share of the memory (the ledger's MI300X/MI325X and RX 7900 XTX
    points), so "amd" for any AMD GPU."""
    return "amd" if vendor == "amd" else memory_type


def resolve(explicit: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {f.path: f.default for f in FIELDS}
    model_key = explicit.get("model.preset")  # None or "" match no preset
    if model_key in catalog.models():
        values.update(catalog.models()[model_key].scenario_values())
    gpu = catalog.gpus().get(explicit.get("gpu.preset"))
    if gpu is not None:
        values.update(gpu.scenario_values())
    values.update(explicit)  # the keys set, the presets' names among them, win
    apply_engine(values, gpu)
    return values


def engine_in_use(values: Mapping[str, Any], gpu: catalog.GpuSpec | None) -> tuple[str, str]:
    """(engine, why): the one named, or for "auto" the GPU preset's usual engine."""
    chosen = values["serving.engine"]
    if chosen != "auto":
        return chosen, "set in serving.engine"
    if gpu is not None:
        return gpu.engine, f"automatic: the usual engine on the {gpu.name}"
    if values["gpu.memory_type"] == "hbm":
        return "vllm", "automatic: vLLM on a datacenter (HBM) GPU"
    return "llama.cpp", "automatic: llama.cpp on a GPU with graphics or unified memory"


def apply_engine(values: dict[str, Any], gpu: catalog.GpuSpec | None) -> None:
    """Fill the efficiency keys the user did not set from the engine's profile."""
    engine, why = engine_in_use(values, gpu)
    values["gpu.bandwidth_class"] = bandwidth_class(values["gpu.vendor"], values["gpu.memory_type"])
    values["serving.engine_in_use"] = engine
    values["serving.engine_reason"] = why
    if engine == "generic":
        profile_values = {
            "serving.mbu": gpu.mbu if gpu else DEFAULT_MBU,
            "serving.mfu": gpu.mfu if gpu else DEFAULT_MFU,
            "serving.step_overhead_ms": 0.0, "serving.layer_overhead_us": 0.0,
            "serving.allreduce_us": 0.0, "serving.allreduce_bw_fraction": 1.0}
        kv_cache, block, fp8, fp4, int8, cap = "reserved", 1, True, True, False, 0.0
    else:
        p = catalog.engines()[engine]
        profile_values = {key: p.number(key.split(".", 1)[1], values[cls])
                          for key, cls in PROFILE_CLASS.items()}
        kv_cache, block, fp8, fp4 = p.kv_cache, p.kv_block_tokens, p.native_fp8, p.native_fp4
        int8, cap = p.int8_matmul, p.int8_sm_cap
    for key, value in profile_values.items():
        if values[key] is None:
            values[key] = value
    if values["serving.prefill_mfu"] is None:
        values["serving.prefill_mfu"] = values["serving.mfu"]
    chosen_kv = values["serving.kv_cache"]
    values["serving.kv_cache_in_use"] = kv_cache if chosen_kv == "auto" else chosen_kv
    paged = values["serving.kv_cache_in_use"] == "paged"
    values["serving.kv_paged"] = 1.0 if paged else 0.0
    values["serving.kv_block_tokens"] = block if paged else 1
    values["serving.native_fp8"] = fp8
    values["serving.native_fp4"] = fp4
    values["serving.int8_matmul"] = int8
    values["serving.int8_sm_cap"] = cap
    values["serving.fp4_scale"] = 1.0 if engine == "generic" else \
        catalog.engines()[engine].fit.get("fp4_scale", 1.0)
    # the generic engine is the spec's plain roofline: no attention FLOPs, no all-reduce bytes
    values["serving.beyond_roofline"] = 0.0 if engine == "generic" else 1.0
    power = catalog.power_fit()
    values["gpu.power_k_mem"] = power["k_mem"]
    values["gpu.power_k_cmp"] = power["k_cmp"]
