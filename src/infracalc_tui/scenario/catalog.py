"""GPU and model catalogs shipped as package data (TOML)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache

from ..resources import data_file


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
    mbu: float
    mfu: float
    sources: dict[str, str] = field(default_factory=dict)

    def tflops_for(self, weight_bits: float) -> float:
        """Dense TFLOPS at the precision in use: FP8 for 8-bit weights when the GPU has it."""
        if self.tflops_fp8 and weight_bits == 8:
            return self.tflops_fp8
        return self.tflops_bf16

    def scenario_values(self, weight_bits: float) -> dict[str, float | None]:
        """What this preset puts into a scenario, by dotted key."""
        return {
            "gpu.memory_gb": self.memory_gb,
            "gpu.bandwidth_tb_s": self.bandwidth_tb_s,
            "gpu.tflops": self.tflops_for(weight_bits),
            "gpu.tdp_w": self.tdp_w,
            "gpu.price_usd": self.price_usd,
            "gpu.rent_usd_per_hour": self.rent_usd_per_hour,
            "serving.mbu": self.mbu,
            "serving.mfu": self.mfu,
        }


@dataclass(frozen=True, slots=True)
class ModelSpec:
    key: str
    name: str
    total_params_b: float
    active_params_b: float
    layers: int
    kv_heads: int
    head_dim: int
    weight_bits: float
    max_context_tokens: int
    source: str
    kv_values_per_token: float | None = None
    sliding_window_layers: int = 0
    sliding_window_tokens: int = 0

    def scenario_values(self) -> dict[str, float | None]:
        return {
            "model.total_params_b": self.total_params_b,
            "model.active_params_b": self.active_params_b,
            "model.layers": self.layers,
            "model.kv_heads": self.kv_heads,
            "model.head_dim": self.head_dim,
            "model.weight_bits": self.weight_bits,
            "model.kv_values_per_token": self.kv_values_per_token,
            "model.sliding_window_layers": self.sliding_window_layers,
            "model.sliding_window_tokens": self.sliding_window_tokens,
        }


@cache
def gpus() -> dict[str, GpuSpec]:
    raw = tomllib.loads(data_file("gpus.toml").read_text(encoding="utf-8"))
    return {
        key: GpuSpec(
            key=key, name=t["name"], memory_gb=t["memory_gb"],
            bandwidth_tb_s=t["bandwidth_tb_s"], tflops_bf16=t["tflops_bf16"],
            tflops_fp8=t.get("tflops_fp8"), tdp_w=t["tdp_w"], price_usd=t["price_usd"],
            rent_usd_per_hour=t.get("rent_usd_per_hour"), mbu=t["mbu"], mfu=t["mfu"],
            sources=dict(t.get("sources", {})),
        )
        for key, t in raw.items()
    }


@cache
def models() -> dict[str, ModelSpec]:
    raw = tomllib.loads(data_file("models.toml").read_text(encoding="utf-8"))
    return {
        key: ModelSpec(
            key=key, name=t["name"], total_params_b=t["total_params_b"],
            active_params_b=t.get("active_params_b", t["total_params_b"]), layers=t["layers"],
            kv_heads=t["kv_heads"], head_dim=t["head_dim"], weight_bits=t["weight_bits"],
            max_context_tokens=t["max_context_tokens"], source=t["source"],
            kv_values_per_token=t.get("kv_values_per_token"),
            sliding_window_layers=t.get("sliding_window_layers", 0),
            sliding_window_tokens=t.get("sliding_window_tokens", 0),
        )
        for key, t in raw.items()
    }
