"""GPU board power between idle and TDP, by how busy a step keeps the GPU.

Board power does not scale with useful work: a memory-bound step at batch 1 keeps the
memory system busy and the tensor cores mostly idle, so a GPU draws well under its TDP, and
the energy per token falls steeply as the batch grows (ML.ENERGY leaderboard v3, 2026;
InferenceX). The model: P = idle + (TDP − idle)·min(1, (k_mem·t_mem + k_cmp·t_cmp)/t_step),
where t_step includes the fixed per-step costs (time the GPU mostly waits). k_mem and k_cmp
are fitted to the ledger's energy points (``benchmarks/fit_profiles.py``).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .numeric import Array, arr, div


def activity(t_mem: ArrayLike, t_cmp: ArrayLike, t_step: ArrayLike, k_mem: ArrayLike,
             k_cmp: ArrayLike) -> Array:
    """How busy a step keeps the GPU, 0..1."""
    a = div(arr(k_mem) * arr(t_mem) + arr(k_cmp) * arr(t_cmp), t_step)
    return np.clip(np.where(np.isfinite(a), a, 0.0), 0.0, 1.0)


def board_power(idle_w: ArrayLike, tdp_w: ArrayLike, t_mem: ArrayLike, t_cmp: ArrayLike,
                t_step: ArrayLike, k_mem: ArrayLike, k_cmp: ArrayLike) -> Array:
    """Modelled board power of one GPU (W); never below idle nor above TDP."""
    idle = np.minimum(arr(idle_w), arr(tdp_w))
    return idle + (arr(tdp_w) - idle) * activity(t_mem, t_cmp, t_step, k_mem, k_cmp)
