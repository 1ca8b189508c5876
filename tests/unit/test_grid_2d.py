"""A 2-D sweep (the CLI's two --vary keys, the TUI's heatmaps) equals the scalar report at
every point: GPU memory (a replica input: the width and the batch follow it) against users
(a fleet input), under both automatic width rules, for the figures the replica choice picks
along the candidate axis. The 1-D version is a property in test_properties.py."""

from __future__ import annotations

import numpy as np
import pytest

from infracalc_tui.engine.evaluate import evaluate

from .helpers import scenario

MEMORY = [48.0, 80.0, 141.0]  # GB: the ROUND model fits 1 GPU in each, with different batches
USERS = [1e5, 1e6, 1e7, 3e7]
KEYS = ("fleet.gpus", "fleet.servers", "throughput.tensor_parallel", "throughput.batch",
        "throughput.decode_tokens_per_s_per_gpu", "fleet.facility_power_mw")


@pytest.mark.parametrize("rule", ["smallest_fit", "fewest_gpus"])
def test_a_2d_sweep_equals_the_scalar_report_at_every_point(rule: str) -> None:
    values = scenario(serving__tensor_parallel_rule=rule, model__total_params_b=35).values
    grid = evaluate({**values, "gpu.memory_gb": np.array(MEMORY)[:, None],
                     "fleet.users": np.array(USERS)[None, :]})
    widths = set()
    for i, memory in enumerate(MEMORY):
        for j, users in enumerate(USERS):
            one = evaluate({**values, "gpu.memory_gb": memory, "fleet.users": users})
            widths.add(float(one["throughput.tensor_parallel"]))
            for key in KEYS:
                g = np.broadcast_to(grid[key], (len(MEMORY), len(USERS)))[i, j]
                assert g == pytest.approx(float(one[key]), rel=1e-12), (key, memory, users)
    if rule == "smallest_fit":  # 70 GB of weights: 2 GPUs of 48 GB, 1 of 80 or 141
        assert widths == {1.0, 2.0}


def test_gpus_that_fill_their_servers_need_no_extra_server() -> None:
    """ROUND for 200,000 users: 16 GPUs on 8-GPU servers fill exactly 16 / 8 = 2 servers."""
    f = evaluate({**scenario().values, "fleet.users": 200_000.0})
    assert float(f["fleet.gpus"]) == 16
    assert float(f["fleet.servers"]) == 2
