"""Small scenario builders for the unit tests."""

from typing import Any

from infracalc_tui.engine import build_report
from infracalc_tui.scenario import Scenario

# A dense 10B model on a made-up GPU with round numbers, so the arithmetic in the
# tests can be written out by hand.
ROUND: dict[str, Any] = {
    "model.total_params_b": 10, "model.layers": 40, "model.kv_heads": 8, "model.head_dim": 128,
    "model.weight_bits": 16, "model.kv_bits": 16, "model.context_tokens": 4096,
    "gpu.memory_gb": 80, "gpu.bandwidth_tb_s": 2, "gpu.tflops": 1000, "gpu.tdp_w": 500,
    "gpu.price_usd": 20_000, "serving.mbu": 0.5, "serving.mfu": 0.5,
    "serving.memory_utilization": 0.9, "serving.min_tokens_per_s_per_stream": 10,
    "fleet.users": 1_000_000, "fleet.queries_per_user_per_day": 10,
    "fleet.input_tokens_per_query": 1000, "fleet.output_tokens_per_query": 500,
    "fleet.peak_to_average": 1.5, "fleet.target_utilization": 0.75, "fleet.redundancy": 0.2,
    "fleet.gpus_per_server": 8, "fleet.server_cost_usd": 100_000, "fleet.server_power_w": 3000,
    "facility.pue": 1.25, "facility.electricity_usd_per_kwh": 0.1,
    "facility.power_load_factor": 0.8, "facility.lifespan_years": 4,
    # the spec's plain roofline, with its rule for automatic tensor parallelism
    "serving.engine": "generic", "serving.tensor_parallel_rule": "smallest_fit",
}


def scenario(**overrides: Any) -> Scenario:
    explicit = dict(ROUND)
    explicit.update({k.replace("__", "."): v for k, v in overrides.items()})
    return Scenario("test", "", explicit)


def report(**overrides: Any) -> dict[str, Any]:
    s = scenario(**overrides)
    return build_report(s.values, name=s.name)
