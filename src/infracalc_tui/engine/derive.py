"""Keys derived from other keys, computed the same way for one scenario and for a sweep.

A derived key (active parameters, TFLOPS in use, parameters read every step, their
precision) follows the keys it derives from unless the user set it. The rules run on plain
numbers when a scenario is resolved (no numpy on the app's first screen) and again inside
the engine on numpy arrays, so a sweep over ``model.total_params_b`` or
``model.weight_bits`` moves what derives from them exactly as ``--set`` would.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Where = Callable[[Any, Any, Any], Any]

#: Weights at or below these bits run at the GPU's FP4 / FP8 rate where it has one.
FP4_MAX_BITS = 4.5
FP8_MAX_BITS = 8.0


def _where_scalar(cond: Any, a: Any, b: Any) -> Any:
    return a if cond else b


def derive(values: Mapping[str, Any], where: Where = _where_scalar) -> dict[str, Any]:
    """``values`` with every derived key that is None (not set) filled in."""
    out = dict(values)
    total = out["model.total_params_b"]
    if out["model.active_params_b"] is None:
        out["model.active_params_b"] = total
    active = out["model.active_params_b"]
    if out["model.shared_params_b"] is None:
        # dense: every weight is read every step; a MoE without the figure: all routed
        out["model.shared_params_b"] = where(active >= total, total, 0.0 * total)
    if out["model.shared_weight_bits"] is None:
        out["model.shared_weight_bits"] = out["model.weight_bits"]
    if out["gpu.tflops"] is None:
        out["gpu.tflops"] = tflops_in_use(out, where)
    return out


def tflops_in_use(values: Mapping[str, Any], where: Where = _where_scalar) -> Any:
    """INT8 rate for quantised weights in an engine that multiplies them with integer dot
    products (llama.cpp), scaled down where an SM does more INT8 ops per clock than the
    engine's kernels reach (``serving.int8_sm_cap``: llama.cpp on A100 and Hopper); FP4 rate
    for weights <= 4.5 bits, FP8 for 4.5 < bits <= 8 (where the GPU computes them natively
    and the engine uses them), else the 16-bit rate: 4-bit weights without FP4 units run in
    weight-only kernels (W4A16: Marlin, Triton matmul_ogs) that widen them to 16 bits in the
    kernel, so no FP8 rate for them."""
    bits = values["model.weight_bits"]
    rate = values["gpu.tflops_bf16"]
    fp8, fp4 = values["gpu.tflops_fp8"], values["gpu.tflops_fp4"]
    if fp8 is not None and values.get("serving.native_fp8", True):
        rate = where((bits <= FP8_MAX_BITS) & (bits > FP4_MAX_BITS), fp8, rate)
    if fp4 is not None and values.get("serving.native_fp4", True):
        # end to end, kernels reach a smaller share of the FP4 peak than of the FP8 one
        # (block scales, BF16/FP8 attention): the engine profile's fitted fp4_scale
        rate = where(bits <= FP4_MAX_BITS, fp4 * values.get("serving.fp4_scale", 1.0), rate)
    int8 = values.get("gpu.tops_int8")
    if int8 is not None and values.get("serving.int8_matmul", False):
        # llama.cpp's MMQ kernels: quantised weights times 8-bit activations on INT8 units,
        # at no more per SM and clock than the engine's kernels reach
        per_sm, cap = values.get("gpu.int8_ops_per_sm_clock"), values.get("serving.int8_sm_cap", 0)
        if per_sm is not None and cap:
            int8 = int8 * where(per_sm > cap, cap / per_sm, 1.0)
        rate = where(bits < 16, int8, rate)
    return rate
