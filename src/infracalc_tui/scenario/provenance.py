"""Where each resolved value came from: the scenario, a preset, the engine profile, a rule.

``Scenario.values`` layers the schema's defaults, the model and GPU presets, the user's
explicit keys, the engine profile (``model.apply_engine``) and the derived keys
(``engine.derive``). An explanation that ends at an input must say which layer gave it,
or a number a preset filled in looks like one the user chose. This module replays the
layering per key, reading the same catalogs, rather than recording it while resolving, so
``resolve`` stays as simple as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from ..engine.derive import FP4_MAX_BITS, FP8_MAX_BITS
from . import catalog
from .model import PROFILE_CLASS, PROFILE_KEYS, Scenario
from .schema import BY_PATH

Kind = Literal["file", "preset", "default", "derived", "engine profile", "fitted"]

#: Keys ``apply_engine`` adds that the schema does not declare: (label, help).
ENGINE_KEYS: dict[str, tuple[str, str]] = {
    "serving.engine_in_use": ("Engine in use", "The serving engine the figures model: "
                              "serving.engine, or for \"auto\" the GPU preset's usual one."),
    "serving.engine_reason": ("Why this engine", "Why the engine in use was chosen."),
    "gpu.bandwidth_class": ("Bandwidth class", "Which of the engine's bandwidth fractions "
                            "the GPU gets: its memory type, or \"amd\" for any AMD GPU."),
    "serving.kv_cache_in_use": ("KV cache in use", "\"paged\" or \"reserved\": "
                                "serving.kv_cache, or for \"auto\" the engine's."),
    "serving.kv_paged": ("Paged KV cache", "1 when the KV cache in use is paged, else 0."),
    "serving.kv_block_tokens": ("KV block size", "Tokens per block of a paged cache "
                                "(1 for a reserved cache)."),
    "serving.native_fp8": ("Engine runs FP8", "Whether the engine computes 8-bit weights at "
                           "the GPU's FP8 rate."),
    "serving.native_fp4": ("Engine runs FP4", "Whether the engine computes 4-bit weights at "
                           "the GPU's FP4 rate."),
    "serving.int8_matmul": ("Engine runs INT8", "Whether the engine multiplies quantised "
                            "weights with integer dot products, at the GPU's INT8 rate."),
    "serving.int8_sm_cap": ("Engine's INT8 ops per SM", "The most INT8 ops per SM per "
                            "clock the engine's kernels reach (0: no cap)."),
    "serving.fp4_scale": ("FP4 efficiency scale", "Share of the FP4 peak the engine's kernels "
                          "reach end to end, relative to FP8 (fitted)."),
    "serving.beyond_roofline": ("Beyond the roofline", "1: attention FLOPs and all-reduce "
                                "bytes count; 0 for the generic engine (plain roofline)."),
    "gpu.power_k_mem": ("Power weight of memory time", "The power model's weight of the "
                        "memory-bound share of a step (fitted to the ledger's energy points)."),
    "gpu.power_k_cmp": ("Power weight of compute time", "The power model's weight of the "
                        "compute-bound share of a step (fitted to the ledger's energy points)."),
}

_FIT_FILE = "engine_fit.toml"


@dataclass(frozen=True, slots=True)
class Source:
    """Where one value came from; ``derived_from``: the keys a derived value follows."""

    kind: Kind
    detail: str = ""
    derived_from: tuple[str, ...] = ()

    def text(self) -> str:
        """"file", "preset rtx-4090 (NVIDIA ...)", "derived from model.total_params_b" ..."""
        if self.kind == "preset":
            return f"preset {self.detail}"
        if self.kind == "derived":
            head = "derived from " + ", ".join(self.derived_from)
            return f"{head} ({self.detail})" if self.detail else head
        if self.kind == "engine profile":
            return f"engine profile {self.detail}"
        return f"{self.kind} ({self.detail})" if self.detail else self.kind


def label_help(key: str) -> tuple[str, str, str, str]:
    """(label, unit, help, allowed values) of an input key, schema or engine-filled."""
    f = BY_PATH.get(key)
    if f is not None:
        return f.label, f.unit, f.help, f.allowed()
    label, help_text = ENGINE_KEYS.get(key, (key.split(".", 1)[-1], ""))
    return label, "", help_text, "set by the engine profile, not in the scenario"


def source_of(scenario: Scenario, key: str) -> Source:
    """Which layer of ``Scenario.values`` gave ``key`` its value (KeyError if none has it)."""
    values, explicit = scenario.values, scenario.explicit
    if key not in values:
        raise KeyError(f"{key!r} is not a scenario input")
    if key in explicit:
        return Source("file", "set in the scenario")
    if key in ENGINE_KEYS:
        return _engine_key_source(scenario, key)
    if scenario.inputs.get(key) is None and values[key] is not None:
        return _derived(scenario, key)
    preset = _preset_source(scenario, key)
    if preset is not None:
        return preset
    if key in PROFILE_KEYS:
        return _profile_source(scenario, key)
    return Source("default")


def _preset_source(scenario: Scenario, key: str) -> Source | None:
    """The preset that filled ``key``: the GPU's wins over the model's (``resolve``)."""
    gpu = catalog.gpus().get(scenario.explicit.get("gpu.preset") or "")
    if gpu is not None and key in gpu.scenario_values():
        return Source("preset", f"{gpu.key} ({gpu.name})")
    model = catalog.models().get(scenario.explicit.get("model.preset") or "")
    if model is not None and key in model.scenario_values():
        return Source("preset", f"{model.key} ({model.name})")
    return None


def _profile_source(scenario: Scenario, key: str) -> Source:
    """An efficiency key the user left empty: the engine profile's number."""
    values = scenario.values
    engine = values["serving.engine_in_use"]
    if engine == "generic":
        if key == "serving.prefill_mfu":
            return Source("derived", "generic engine: prefill_mfu = mfu", ("serving.mfu",))
        if key in ("serving.mbu", "serving.mfu"):
            gpu = catalog.gpus().get(scenario.explicit.get("gpu.preset") or "")
            if gpu is not None:
                return Source("preset", f"{gpu.key} ({gpu.name}: the generic roofline's "
                              "efficiency)")
            return Source("default", "the generic roofline's efficiency without a GPU preset")
        return Source("engine profile", "generic (the plain roofline: none)")
    cls = values[PROFILE_CLASS[key]]
    what = {"gpu.bandwidth_class": "memory", "gpu.vendor": "kernels",
            "gpu.interconnect": "interconnect"}[PROFILE_CLASS[key]]
    fitted = catalog.engines()[engine].fit.get(key.split(".", 1)[1])
    if isinstance(fitted, dict) and cls not in fitted:
        return Source("engine profile", f"{engine} (fitted default: no {cls} {what} figure, "
                      f"{_FIT_FILE})")
    by = f" for {cls} {what}" if isinstance(fitted, dict) else ""
    return Source("engine profile", f"{engine} (fitted{by}, {_FIT_FILE})")


def _engine_key_source(scenario: Scenario, key: str) -> Source:
    values = scenario.values
    engine = values["serving.engine_in_use"]
    if key in ("serving.engine_in_use", "serving.engine_reason"):
        froms = ("serving.engine",) if values["serving.engine"] != "auto" else \
            ("serving.engine", "gpu.preset", "gpu.memory_type")
        return Source("derived", values["serving.engine_reason"], froms)
    if key == "serving.kv_cache_in_use" and values["serving.kv_cache"] != "auto":
        return Source("derived", "set in serving.kv_cache", ("serving.kv_cache",))
    if key == "serving.kv_paged":
        return Source("derived", "1 when paged", ("serving.kv_cache_in_use",))
    if key == "gpu.bandwidth_class":
        return Source("derived", "the memory type; \"amd\" for an AMD GPU (ROCm's kernels)",
                      ("gpu.memory_type", "gpu.vendor"))
    if key.startswith("gpu.power_k_"):
        return Source("fitted", f"the GPU power model, {_FIT_FILE} [power]")
    if key == "serving.kv_block_tokens" and values["serving.kv_cache_in_use"] != "paged":
        return Source("derived", "a reserved cache has no blocks: 1",
                      ("serving.kv_cache_in_use",))
    return Source("engine profile", "generic (the plain roofline)" if engine == "generic"
                  else engine)


def _derived(scenario: Scenario, key: str) -> Source:
    """A derived key left to its rule (``engine.derive``): the rule and what it follows."""
    v = scenario.values
    if key == "model.active_params_b":
        return Source("derived", "dense: the total", ("model.total_params_b",))
    if key == "model.shared_params_b":
        why = "dense: the total" if v["model.active_params_b"] >= v["model.total_params_b"] \
            else "mixture of experts without the figure: 0"
        return Source("derived", why, ("model.active_params_b", "model.total_params_b"))
    if key == "model.shared_weight_bits":
        return Source("derived", "the weights' precision", ("model.weight_bits",))
    # what is left is gpu.tflops: derive() fills no other key
    bits = v["model.weight_bits"]
    if v["gpu.tops_int8"] is not None and v["serving.int8_matmul"] and bits < 16:
        per_sm, cap = v["gpu.int8_ops_per_sm_clock"], v["serving.int8_sm_cap"]
        if per_sm is not None and cap and per_sm > cap:
            return Source("derived", f"INT8 rate x {cap:g}/{per_sm:g} for {bits:g}-bit "
                          "weights (the engine's kernels reach no more INT8 ops per SM "
                          "per clock)", ("model.weight_bits", "gpu.tops_int8",
                                         "gpu.int8_ops_per_sm_clock", "serving.int8_sm_cap"))
        return Source("derived", f"INT8 rate for {bits:g}-bit weights (the engine multiplies "
                      "quantised weights with integer dot products)",
                      ("model.weight_bits", "gpu.tops_int8", "serving.int8_matmul"))
    if v["gpu.tflops_fp4"] is not None and v["serving.native_fp4"] and bits <= FP4_MAX_BITS:
        return Source("derived", f"FP4 rate x the engine's fp4_scale for {bits:g}-bit "
                      "weights", ("model.weight_bits", "gpu.tflops_fp4",
                                  "serving.fp4_scale"))
    if v["gpu.tflops_fp8"] is not None and v["serving.native_fp8"] and \
            FP4_MAX_BITS < bits <= FP8_MAX_BITS:
        return Source("derived", f"FP8 rate for {bits:g}-bit weights",
                      ("model.weight_bits", "gpu.tflops_fp8"))
    why = " (no FP4 here: weight-only kernels widen them to 16 bits)" \
        if bits <= FP4_MAX_BITS else ""
    return Source("derived", f"16-bit rate for {bits:g}-bit weights{why}",
                  ("model.weight_bits", "gpu.tflops_bf16"))
