"""GPU, model and serving-engine catalogs shipped as package data (TOML).

Plain data, read once: the GPU datasheets (``gpus.toml``), the models' published configs
(``models.toml``), what each serving engine does (``engines.toml``, written by hand) and the
efficiency numbers fitted to the validation ledger (``engine_fit.toml``, written by
``benchmarks/fit_profiles.py`` from ``measurements.toml``: never edited by hand).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ..resources import data_file

#: Serving engines with a profile; "generic" is the spec's plain roofline.
ENGINES = ("llama.cpp", "vllm", "sglang", "tensorrt-llm", "mlx")


@dataclass(frozen=True, slots=True)
class GpuSpec:
    key: str
    name: str
    memory_gb: float
    bandwidth_tb_s: float
    tflops_bf16: float
    tflops_fp8: float | None
    tdp_w: float
    price_usd: float
    rent_usd_per_hour: float | None
    mbu: float  # the generic roofline's defaults for this GPU
    mfu: float
    memory_type: str = "hbm"
    vendor: str = "nvidia"
    memory_share: float = 1.0
    tflops_fp4: float | None = None
    tops_int8: float | None = None
    int8_ops_per_sm_clock: float | None = None  # per SM (NVIDIA), architecture whitepaper
    interconnect: str = "pcie"
    interconnect_gb_s: float = 32.0
    idle_w: float = 0.0
    engine: str = "vllm"
    sources: dict[str, str] = field(default_factory=dict)

    def scenario_values(self, weight_bits: float | None = None) -> dict[str, Any]:
        """What this preset puts into a scenario, by dotted key (``weight_bits`` is unused:
        the TFLOPS in use are derived from the weights' precision by the engine)."""
        return {
            "gpu.memory_gb": self.memory_gb,
            "gpu.bandwidth_tb_s": self.bandwidth_tb_s,
            "gpu.tflops_bf16": self.tflops_bf16,
            "gpu.tflops_fp8": self.tflops_fp8,
            "gpu.tflops_fp4": self.tflops_fp4,
            "gpu.tops_int8": self.tops_int8,
            "gpu.int8_ops_per_sm_clock": self.int8_ops_per_sm_clock,
            "gpu.tdp_w": self.tdp_w,
            "gpu.idle_w": self.idle_w,
            "gpu.price_usd": self.price_usd,
            "gpu.rent_usd_per_hour": self.rent_usd_per_hour,
            "gpu.memory_type": self.memory_type,
            "gpu.vendor": self.vendor,
            "gpu.memory_share": self.memory_share,
            "gpu.interconnect": self.interconnect,
            "gpu.interconnect_gb_s": self.interconnect_gb_s,
        }


@dataclass(frozen=True, slots=True)
class ModelSpec:
    key: str
    name: str
    total_params_b: float
    active_params_b: float | None  # None: dense (follows the total)
    layers: int
    kv_heads: int
    head_dim: int
    weight_bits: float
    max_context_tokens: int
    source: str
    kv_values_per_token: float | None = None
    sliding_window_layers: int = 0
    sliding_window_tokens: int = 0
    attention_heads: int = 64
    hidden_size: int = 8192
    shared_params_b: float | None = None
    shared_weight_bits: float | None = None

    def scenario_values(self) -> dict[str, Any]:
        return {
            "model.total_params_b": self.total_params_b,
            "model.active_params_b": self.active_params_b,
            "model.layers": self.layers,
            "model.kv_heads": self.kv_heads,
            "model.head_dim": self.head_dim,
            "model.attention_heads": self.attention_heads,
            "model.hidden_size": self.hidden_size,
            "model.weight_bits": self.weight_bits,
            "model.kv_values_per_token": self.kv_values_per_token,
            "model.sliding_window_layers": self.sliding_window_layers,
            "model.sliding_window_tokens": self.sliding_window_tokens,
            "model.shared_params_b": self.shared_params_b,
            "model.shared_weight_bits": self.shared_weight_bits,
        }


@dataclass(frozen=True, slots=True)
class EngineProfile:
    """What one serving engine does (hand-written) and how efficiently (fitted)."""

    key: str
    name: str
    kv_cache: str  # "paged" or "reserved"
    kv_block_tokens: int
    native_fp8: bool
    native_fp4: bool
    int8_matmul: bool  # quantised weights multiplied with integer dot products (INT8 rate)
    int8_sm_cap: float  # the most INT8 ops per SM per clock its kernels reach (0: no cap)
    source: str
    fit: dict[str, Any] = field(default_factory=dict)

    def number(self, name: str, cls: str) -> float:
        """A fitted number by class (bandwidth class, maker or interconnect): the fit writes
        one for every class a scenario can name; a table may also give a "default" for the
        classes it lacks (provenance then says so)."""
        value = self.fit[name]
        if isinstance(value, dict):  # by class
            return float(value[cls] if cls in value else value["default"])
        return float(value)  # one number for every class

    def grounding(self, gpu_class: str) -> tuple[int, float | None]:
        """(measurements on this GPU class, their leave-one-GPU-out median error %)."""
        g = self.fit.get("grounding", {}).get(gpu_class, {})
        return int(g.get("n", 0)), g.get("loo_median_pct")


def short_name(name: str) -> str:
    """A preset's name where a narrow field or a table row shows it: the maker and the
    details in brackets go ('NVIDIA GeForce RTX 4090 24GB' -> 'RTX 4090 24GB', 'Apple M3
    Ultra 512GB (Mac Studio)' -> 'M3 Ultra 512GB'); the full name stays in the catalog."""
    for maker in ("NVIDIA GeForce ", "NVIDIA ", "AMD Instinct ", "AMD Radeon ", "Apple "):
        if name.startswith(maker):
            name = name[len(maker):]
            break
    return re.sub(r"\s*\([^)]*\)", "", name).strip() or name


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads(data_file(name).read_text(encoding="utf-8"))


@cache
def gpus() -> dict[str, GpuSpec]:
    out: dict[str, GpuSpec] = {}
    for key, t in _load("gpus.toml").items():
        out[key] = GpuSpec(
            key=key, name=t["name"], memory_gb=t["memory_gb"],
            bandwidth_tb_s=t["bandwidth_tb_s"], tflops_bf16=t["tflops_bf16"],
            tflops_fp8=t.get("tflops_fp8"), tdp_w=t["tdp_w"], price_usd=t["price_usd"],
            rent_usd_per_hour=t.get("rent_usd_per_hour"), mbu=t["mbu"], mfu=t["mfu"],
            memory_type=t.get("memory_type", "hbm"), vendor=t["vendor"],
            memory_share=t.get("gpu_memory_share", 1.0), tflops_fp4=t.get("tflops_fp4"),
            tops_int8=t.get("tops_int8"), int8_ops_per_sm_clock=t.get("int8_ops_per_sm_clock"),
            interconnect=t.get("interconnect", "pcie"),
            interconnect_gb_s=t.get("interconnect_gb_s", 32.0), idle_w=t.get("idle_w", 0.0),
            engine=t.get("engine", "vllm"), sources=dict(t.get("sources", {})),
        )
    return out


@cache
def models() -> dict[str, ModelSpec]:
    out: dict[str, ModelSpec] = {}
    for key, t in _load("models.toml").items():
        out[key] = ModelSpec(
            key=key, name=t["name"], total_params_b=t["total_params_b"],
            active_params_b=t.get("active_params_b"), layers=t["layers"],
            kv_heads=t["kv_heads"], head_dim=t["head_dim"], weight_bits=t["weight_bits"],
            max_context_tokens=t["max_context_tokens"], source=t["source"],
            kv_values_per_token=t.get("kv_values_per_token"),
            sliding_window_layers=t.get("sliding_window_layers", 0),
            sliding_window_tokens=t.get("sliding_window_tokens", 0),
            attention_heads=t.get("attention_heads", 64),
            hidden_size=t.get("hidden_size", 8192),
            shared_params_b=t.get("shared_params_b"),
            shared_weight_bits=t.get("shared_weight_bits"),
        )
    return out


@cache
def engines() -> dict[str, EngineProfile]:
    """Every engine with a profile; the fitted numbers come from ``engine_fit.toml``."""
    fitted = _fit()
    out: dict[str, EngineProfile] = {}
    for key, t in _load("engines.toml").items():
        out[key] = EngineProfile(key=key, name=t["name"], kv_cache=t["kv_cache"],
                                 kv_block_tokens=t["kv_block_tokens"],
                                 native_fp8=t["native_fp8"], native_fp4=t["native_fp4"],
                                 int8_matmul=t["int8_matmul"],
                                 int8_sm_cap=t.get("int8_ops_per_sm_clock_max", 0),
                                 source=t["source"],
                                 fit=dict(fitted.get(key, {})))
    return out


def fit_metadata() -> dict[str, Any]:
    """How the fitted numbers were made (script, data, date, headline errors)."""
    return dict(_fit().get("about", {}))


def power_fit() -> dict[str, float]:
    """The GPU power model's fitted weights of memory and compute time (``engine.power``)."""
    return {k: float(x) for k, x in _fit()["power"].items() if k in ("k_mem", "k_cmp")}


@cache
def _fit() -> dict[str, Any]:
    return _load("engine_fit.toml")
