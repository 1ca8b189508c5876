"""What each output is called and measured in (for tables, headlines and explanations)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Output:
    path: str
    label: str
    unit: str  # a unit token the formatters understand: usd, mw, gb, tok/s, ...
    integer: bool = False


def _o(path: str, label: str, unit: str = "", integer: bool = False) -> Output:
    return Output(path, label, unit, integer)


OUTPUTS: dict[str, Output] = {o.path: o for o in (
    _o("throughput.weights_gb", "Weights", "GB"),
    _o("throughput.kv_bytes_per_token", "KV cache per token", "bytes"),
    _o("throughput.tensor_parallel", "GPUs per replica", "GPUs", True),
    _o("throughput.batch", "Batch per replica", "streams", True),
    _o("throughput.decode_tokens_per_s_per_stream", "Speed per stream", "tok/s"),
    _o("throughput.decode_tokens_per_s_per_gpu", "Decode per GPU", "tok/s"),
    _o("throughput.prefill_tokens_per_s_per_gpu", "Prefill per GPU", "tok/s"),
    _o("throughput.bound", "Bound by", "text"),
    _o("throughput.usable_memory_per_gpu_gb", "Usable memory per GPU", "GB"),
    _o("throughput.avg_tokens_per_stream", "Average tokens held per stream", "tokens"),
    _o("throughput.batch_memory_limit", "Batch allowed by memory", "streams", True),
    _o("throughput.batch_speed_limit", "Batch allowed by speed", "streams", True),
    _o("throughput.batch_cap", "Batch cap", "streams", True),
    _o("throughput.step_time_memory_ms", "Decode step, memory time", "ms"),
    _o("throughput.step_time_compute_ms", "Decode step, compute time", "ms"),
    _o("throughput.step_time_overhead_ms", "Decode step, fixed costs", "ms"),
    _o("throughput.step_time_ms", "Decode step", "ms"),
    _o("throughput.gpu_power_w", "GPU power at this batch", "W"),
    _o("throughput.energy_per_output_token_j", "GPU energy per token", "J"),
    _o("throughput.kv_tokens_per_stream", "KV tokens held per stream", "tokens", True),
    _o("throughput.kv_bytes_per_stream", "KV cache per stream", "bytes"),
    _o("throughput.kv_read_bytes_per_stream", "KV read per stream per step", "bytes"),
    _o("throughput.smallest_fit_tensor_parallel", "Smallest replica that fits", "GPUs", True),
    _o("throughput.engine", "Serving engine", "text"),
    _o("throughput.engine_reason", "Why this engine", "text"),
    _o("throughput.tensor_parallel_reason", "Why this replica width", "text"),
    _o("throughput.grounding", "How these figures are grounded", "text"),
    _o("throughput.grounding_summary", "Speeds grounded in", "text"),
    _o("fleet.queries_per_day", "Queries per day", "count"),
    _o("fleet.gpu_seconds_per_query", "GPU-seconds per query", "s"),
    _o("fleet.avg_busy_gpus", "Busy GPUs on average", "GPUs"),
    _o("fleet.gpus", "GPUs", "GPUs", True),
    _o("fleet.servers", "Servers", "servers", True),
    _o("fleet.it_power_mw", "IT power (nameplate)", "MW"),
    _o("fleet.facility_power_mw", "Facility power", "MW"),
    _o("fleet.avg_facility_power_mw", "Average facility power", "MW"),
    _o("fleet.energy_gwh_per_year", "Energy per year", "GWh/yr"),
    _o("fleet.energy_per_query_wh", "Energy per query", "Wh"),
    _o("fleet.capex_usd", "Capex", "usd"),
    _o("fleet.annual_capex_usd", "Capital cost per year", "usd/yr"),
    _o("fleet.annual_opex_usd", "Opex per year", "usd/yr"),
    _o("fleet.annual_cost_usd", "Total cost per year", "usd/yr"),
    _o("fleet.cost_per_million_tokens_usd", "Cost per 1M tokens", "usd"),
    _o("fleet.cost_per_user_per_month_usd", "Cost per user-month", "usd"),
    _o("fleet.cost_per_query_usd", "Cost per query", "usd"),
    _o("fleet.annual_revenue_usd", "Revenue per year", "usd/yr"),
    _o("fleet.annual_profit_usd", "Profit per year", "usd/yr"),
    _o("fleet.replicas", "Model replicas", "replicas", True),
    _o("fleet.planned_gpus", "GPUs before rounding to replicas", "GPUs"),
    _o("fleet.tokens_per_year", "Tokens per year", "tokens"),
    _o("fleet.capital_recovery_factor", "Capital recovery factor", "/yr"),
    _o("fleet.annual_gpu_capex_usd", "GPU capex per year", "usd/yr"),
    _o("fleet.annual_server_capex_usd", "Server capex per year", "usd/yr"),
    _o("fleet.annual_energy_cost_usd", "Energy cost per year", "usd/yr"),
    _o("fleet.annual_colo_usd", "Colocation per year", "usd/yr"),
    _o("fleet.power_load_factor", "Average / nameplate power", "fraction"),
    _o("fleet.annual_other_opex_usd", "Other opex per year", "usd/yr"),
    _o("fleet.annual_rent_usd", "Renting the GPUs instead, per year", "usd/yr"),
    _o("host.hardware_cost_usd", "Hardware cost", "usd"),
    _o("host.memory_required_gb", "Memory required", "GB"),
    _o("host.memory_available_gb", "Memory available", "GB"),
    _o("host.fits_in_memory", "Fits in memory", "bool"),
    _o("host.max_threads", "Max concurrent threads", "streams", True),
    _o("host.decode_tokens_per_s_per_stream", "Speed per stream", "tok/s"),
    _o("host.revenue_usd_per_day", "Revenue per day", "usd/day"),
    _o("host.electricity_usd_per_day", "Electricity per day", "usd/day"),
    _o("host.depreciation_usd_per_day", "Depreciation per day", "usd/day"),
    _o("host.other_opex_usd_per_day", "Other costs per day", "usd/day"),
    _o("host.profit_usd_per_day", "Profit per day", "usd/day"),
    _o("host.profit_usd_per_month", "Profit per month", "usd/mo"),
    _o("host.break_even_days", "Break-even", "days"),
    _o("host.roi_pct", "ROI over lifespan", "%"),
    _o("host.min_price_per_minute_usd", "Minimum price per minute", "usd/min"),
    _o("host.load_kw", "Power under load", "kW"),
    _o("host.idle_kw", "Power when idle", "kW"),
    _o("host.cost_usd_per_day", "Cost per day", "usd/day"),
    _o("host.margin_usd_per_day", "Cash margin per day", "usd/day"),
    _o("host.max_threads_memory", "Threads allowed by memory", "streams", True),
    _o("host.max_threads_speed", "Threads allowed by speed", "streams", True),
    _o("host.tokens_per_day", "Tokens per day", "tokens"),
    _o("host.cost_per_million_tokens_usd", "Cost per 1M output tokens", "usd"),
    _o("host.price_per_million_tokens_usd", "Your price per 1M output tokens", "usd"),
    _o("host.step_time_memory_ms", "Decode step, memory time", "ms"),
    _o("host.step_time_compute_ms", "Decode step, compute time", "ms"),
    _o("host.step_time_overhead_ms", "Decode step, fixed costs", "ms"),
    _o("host.gpu_power_w", "GPU power at these threads", "W"),
    _o("host.kv_bytes_per_thread", "KV cache per thread", "bytes"),
    _o("host.billed_threads", "Threads billed", "streams", True),
)}
