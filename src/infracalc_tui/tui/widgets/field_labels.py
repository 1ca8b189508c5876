"""What the inputs pane calls each field, in the ~25 columns a label has beside its input.

The schema's label and unit are written for the help line and the README, where there is
room ("Bandwidth utilisation (MBU)", fraction). Cut to fit, they read "Bandwidth
utilisation (…": a label here says the same in fewer words, and the help line under the
pane still shows the full label, unit, meaning and allowed range of the field in use.
"""

from __future__ import annotations

from ...scenario.schema import Field

WIDTH = 25  # columns a label has in the pane (47 wide) beside a 16-column input

SHORT: dict[str, str] = {
    "model.preset": "Model",
    "gpu.preset": "GPU",
    "model.total_params_b": "Total params (billion)",
    "model.active_params_b": "Active params (billion)",
    "model.context_tokens": "Context/stream (tokens)",
    "model.kv_bytes_per_token": "KV bytes/token, override",
    "model.kv_values_per_token": "KV values/token, override",
    "model.shared_params_b": "Shared params (billion)",
    "model.shared_weight_bits": "Shared weights (bits)",
    "gpu.tflops": "TFLOPS in use (dense)",
    "gpu.tflops_bf16": "TFLOPS, 16-bit (dense)",
    "gpu.tflops_fp8": "TFLOPS, FP8 (dense)",
    "gpu.tflops_fp4": "TFLOPS, FP4 (dense)",
    "gpu.memory_share": "GPU share of memory",
    "gpu.interconnect_gb_s": "Interconnect (GB/s)",
    "serving.decode_tokens_per_s_per_gpu": "Manual decode tok/s/GPU",
    "serving.prefill_tokens_per_s_per_gpu": "Manual prefill tok/s/GPU",
    "serving.mbu": "Bandwidth use (MBU)",
    "serving.mfu": "FLOPS use (MFU)",
    "serving.prefill_mfu": "Prefill FLOPS use (MFU)",
    "serving.tensor_parallel_rule": "Automatic replica width",
    "serving.allreduce_bw_fraction": "All-reduce bandwidth use",
    "serving.min_tokens_per_s_per_stream": "Min speed/stream (tok/s)",
    "fleet.queries_per_user_per_day": "Queries per user per day",
    "fleet.input_tokens_per_query": "Input tokens per query",
    "fleet.output_tokens_per_query": "Output tokens per query",
    "fleet.target_utilization": "Peak utilisation target",
    "fleet.server_cost_usd": "Server, no GPUs ($)",
    "fleet.server_power_w": "Server, no GPUs (W)",
    "facility.power_load_factor": "Power load factor",
    "facility.discount_rate": "Discount rate (/yr)",
    "facility.opex_pct_of_capex_per_year": "Other opex/yr (of capex)",
    "facility.colo_usd_per_kw_month": "Colocation ($/kW-month)",
    "host.system_power_w": "System power, load (W)",
    "host.other_opex_usd_per_month": "Other costs ($/month)",
    "host.discount_rate": "Discount rate (/yr)",
    "pricing.utilization_hours_per_day": "Hours of use (h/day)",
    "pricing.concurrent_threads": "Concurrent threads",
    "pricing.api_price_per_million_input_tokens_usd": "API input ($/1M tok)",
    "pricing.api_price_per_million_output_tokens_usd": "API output ($/1M tok)",
}


def pane_label(f: Field) -> str:
    """The field's label in the pane: its short form, or its label and unit when they fit."""
    if f.path in SHORT:
        return SHORT[f.path]
    unit = f" ({f.unit})" if f.unit and f.unit not in ("x",) else ""
    return f"{f.label}{unit}"
