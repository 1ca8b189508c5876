"""Every scenario key, declared once.

Validation, the CLI's ``--set``, the TUI's input fields and the README's key
table are all generated from :data:`FIELDS`, so a key's type, default, range,
unit and help text cannot drift apart between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SCHEMA_VERSION = 1

Kind = Literal["float", "int", "str", "choice", "preset"]

# Groups in the order the TUI and README show them.
SECTIONS: tuple[str, ...] = ("model", "gpu", "serving", "fleet", "facility", "host", "pricing")


@dataclass(frozen=True, slots=True)
class Field:
    """One scenario key: what it means, its unit, and what values it accepts."""

    section: str
    key: str
    kind: Kind
    default: float | int | str | None
    label: str
    unit: str
    help: str
    lo: float | None = None
    hi: float | None = None
    lo_open: bool = False  # True: the value must be strictly greater than lo
    choices: tuple[str, ...] = ()
    optional: bool = False  # may be absent; None means "derive it" (see help)
    step: float | None = None  # TUI nudge step; None = a tenth of the value's magnitude

    @property
    def path(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def numeric(self) -> bool:
        return self.kind in ("float", "int")

    def allowed(self) -> str:
        """The allowed values in words, for error messages and help."""
        if self.kind == "choice":
            return "one of " + ", ".join(f'"{c}"' for c in self.choices)
        if self.kind == "preset":
            return "a preset name (see `infracalc presets`) or empty"
        if self.kind == "str":
            return "text"
        what = "a whole number" if self.kind == "int" else "a number"
        lo = _fmt_bound(self.lo)
        hi = _fmt_bound(self.hi)
        if self.lo_open:
            return f"{what} greater than {lo} and at most {hi}"
        return f"{what} from {lo} to {hi}"


def _fmt_bound(x: float | None) -> str:
    if x is None:
        return "?"
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-3):
        return f"{x:.0e}".replace("e+0", "e").replace("e+", "e")
    return f"{x:g}"


def _f(section: str, key: str, default, label: str, unit: str, help: str, lo=None, hi=None,
       *, kind: Kind = "float", lo_open: bool = False, optional: bool = False,
       step: float | None = None, choices: tuple[str, ...] = ()) -> Field:
    return Field(section, key, kind, default, label, unit, help, lo, hi, lo_open, choices,
                 optional, step)


FIELDS: tuple[Field, ...] = (
    # -- model ---------------------------------------------------------------------------
    _f("model", "preset", "", "Model preset", "", "Catalog model whose published config fills "
       "the keys below; a key you set yourself wins over the preset.", kind="preset"),
    _f("model", "total_params_b", 70.6, "Total parameters", "billion",
       "All weights, in billions. Sets the memory the weights take.", 0.001, 100_000),
    _f("model", "active_params_b", None, "Active parameters", "billion",
       "Parameters used per token (mixture-of-experts: fewer than total). "
       "Default: the total.", 0.001, 100_000, optional=True),
    _f("model", "layers", 80, "Layers", "", "Transformer layers (num_hidden_layers).",
       1, 1000, kind="int", step=1),
    _f("model", "kv_heads", 8, "KV heads", "", "Key/value heads (num_key_value_heads): "
       "GQA/MQA aware, not the attention heads.", 1, 1024, kind="int", step=1),
    _f("model", "head_dim", 128, "Head dimension", "", "Per-head dimension, read from the "
       "model's config (never derived from hidden size / heads).", 1, 4096, kind="int", step=8),
    _f("model", "weight_bits", 16, "Weight precision", "bits", "Bits per weight: 16 bf16/fp16, "
       "8 fp8/int8, 4.82 ~ Q4_K_M, 4.5 ~ Q4_0, 4.25 MXFP4.", 1, 32, step=1),
    _f("model", "kv_bits", 16, "KV-cache precision", "bits", "Bits per cached key/value.",
       1, 32, step=1),
    _f("model", "context_tokens", 8192, "Context per stream", "tokens",
       "Longest sequence one stream may hold; engines that reserve the cache (llama.cpp) "
       "reserve it for every stream.",
       1, 10_000_000, kind="int"),
    _f("model", "kv_bytes_per_token", None, "KV bytes per token (override)", "bytes",
       "Overrides the KV formula when set (MLA, sliding windows, measured values).",
       1, 1e9, optional=True),
    _f("model", "kv_values_per_token", None, "KV values per token (override)", "values",
       "Cached values per token over all layers, for caches the standard formula misses "
       "(DeepSeek MLA: layers x 576). Multiplied by kv_bits/8.", 1, 1e9, optional=True),
    _f("model", "sliding_window_layers", 0, "Sliding-window layers", "",
       "Layers that keep only the last sliding_window_tokens (gpt-oss: half).",
       0, 1000, kind="int", step=1),
    _f("model", "sliding_window_tokens", 0, "Sliding window", "tokens",
       "Window of the sliding-window layers; 0 = no window.", 0, 10_000_000, kind="int"),
    _f("model", "attention_heads", 64, "Attention heads", "", "Query heads "
       "(num_attention_heads): sets the attention FLOPs, which grow with the tokens held.",
       1, 4096, kind="int", step=8),
    _f("model", "hidden_size", 8192, "Hidden size", "", "Width of the residual stream "
       "(hidden_size): the bytes each tensor-parallel all-reduce moves per token.",
       1, 1_000_000, kind="int", step=256),
    _f("model", "shared_params_b", None, "Parameters read every step", "billion",
       "Attention, embeddings and shared experts, read for every token; only the rest (routed "
       "experts) is read as a batch touches it. Default: the total for a dense model; for a "
       "mixture-of-experts model without this figure, 0.", 0, 100_000, optional=True),
    _f("model", "shared_weight_bits", None, "Precision of shared weights", "bits",
       "Bits per weight of the parameters read every step (gpt-oss: BF16 attention, MXFP4 "
       "experts). Default: weight_bits.", 1, 32, optional=True, step=1),
    # -- gpu -----------------------------------------------------------------------------
    _f("gpu", "preset", "", "GPU preset", "", "Catalog GPU whose datasheet fills the keys below; "
       "a key you set yourself wins over the preset.", kind="preset"),
    _f("gpu", "memory_gb", 80, "GPU memory", "GB", "Memory of one GPU (1 GB = 1e9 bytes).",
       0.1, 100_000, step=8),
    _f("gpu", "bandwidth_tb_s", 3.35, "Memory bandwidth", "TB/s",
       "Peak memory bandwidth of one GPU (1e12 bytes/s).", 0.001, 1000, step=0.1),
    _f("gpu", "tflops", None, "Dense TFLOPS in use", "TFLOPS", "Dense tensor TFLOPS of one GPU "
       "at the precision in use. Default: tops_int8 for quantised weights in an engine that "
       "multiplies them with integer dot products (llama.cpp); tflops_fp4 when the weights "
       "have <= 4.5 bits, tflops_fp8 when 4.5 < bits <= 8 (where the GPU and engine have "
       "them); else tflops_bf16 (4-bit weights without FP4 units run in 16-bit kernels).",
       0.001, 1_000_000, optional=True),
    _f("gpu", "tflops_bf16", 989, "Dense TFLOPS, 16-bit", "TFLOPS",
       "Dense BF16/FP16 tensor TFLOPS of one GPU.", 0.001, 1_000_000),
    _f("gpu", "tflops_fp8", None, "Dense TFLOPS, FP8", "TFLOPS", "Dense FP8 tensor TFLOPS; empty "
       "when the GPU has no native FP8 (then 8-bit weights run at the 16-bit rate).",
       0.001, 1_000_000, optional=True),
    _f("gpu", "tflops_fp4", None, "Dense TFLOPS, FP4", "TFLOPS", "Dense FP4 tensor TFLOPS; empty "
       "when the GPU has no native FP4.", 0.001, 1_000_000, optional=True),
    _f("gpu", "tops_int8", None, "Dense TOPS, INT8", "TOPS", "Dense INT8 tensor TOPS; empty "
       "when the GPU has no INT8 tensor units. An engine that multiplies quantised weights "
       "with integer dot products (llama.cpp) runs at this rate, up to its per-SM cap.",
       0.001, 1_000_000, optional=True),
    _f("gpu", "int8_ops_per_sm_clock", None, "INT8 ops per SM per clock", "",
       "Dense INT8 tensor operations one SM does per clock (NVIDIA): 2048 on GeForce SMs, "
       "4096 on A100, 8192 on Hopper. An engine whose kernels reach fewer per SM (llama.cpp: "
       "2048) runs at tops_int8 x its cap / this; empty: no cap.", 1, 1_000_000,
       optional=True),
    _f("gpu", "memory_type", "hbm", "Memory type", "", "\"hbm\" (datacenter), \"gddr\" "
       "(graphics cards) or \"unified\" (Apple, DGX Spark): engine profiles differ by it.",
       kind="choice", choices=("hbm", "gddr", "unified")),
    _f("gpu", "vendor", "nvidia", "GPU maker", "", "\"nvidia\", \"amd\" or \"apple\": whose "
       "compute kernels (CUDA, ROCm, Metal) the engine runs; engine profiles' FLOPS fractions "
       "differ by it.", kind="choice", choices=("nvidia", "amd", "apple")),
    _f("gpu", "memory_share", 1.0, "GPU share of memory", "fraction", "Fraction of the memory "
       "the GPU may use: unified memory keeps some for the system (macOS: ~0.75 by default, "
       "recommendedMaxWorkingSetSize).", 0.01, 1, step=0.05),
    _f("gpu", "interconnect", "nvlink", "GPU interconnect", "", "Link between the GPUs of a "
       "replica: \"nvlink\", \"xgmi\" (AMD), \"pcie\" or \"none\"; sets the all-reduce cost.",
       kind="choice", choices=("nvlink", "xgmi", "pcie", "none")),
    _f("gpu", "interconnect_gb_s", 450, "Interconnect bandwidth", "GB/s",
       "GPU-to-GPU bandwidth of one GPU, one direction.", 0, 100_000, step=16),
    _f("gpu", "idle_w", 70, "Idle board power", "W", "One GPU's power when idle with a model "
       "loaded.", 0, 100_000, step=5),
    _f("gpu", "tdp_w", 700, "Board power", "W", "One GPU's power at full load.", 0, 100_000,
       step=25),
    _f("gpu", "price_usd", 27_500, "GPU price", "$", "Purchase price of one GPU.", 0, 1e8),
    _f("gpu", "rent_usd_per_hour", None, "Rental price", "$/GPU-h",
       "Optional cloud price of one GPU-hour, to compare owning with renting.",
       0, 10_000, optional=True, step=0.1),
    # -- serving -------------------------------------------------------------------------
    _f("serving", "engine", "auto", "Serving engine", "", "Software that serves the model: "
       "\"llama.cpp\", \"vllm\", \"sglang\", \"tensorrt-llm\", \"mlx\", or \"generic\" (the "
       "plain roofline, no per-step costs). \"auto\": the GPU preset's usual engine (no "
       "preset: vllm on HBM, llama.cpp otherwise).", kind="choice",
       choices=("auto", "llama.cpp", "vllm", "sglang", "tensorrt-llm", "mlx", "generic")),
    _f("serving", "throughput", "estimate", "Throughput source", "",
       "\"estimate\": roofline model from the GPU and model; \"manual\": the figures below.",
       kind="choice", choices=("estimate", "manual")),
    _f("serving", "decode_tokens_per_s_per_gpu", 3000, "Decode tokens/s per GPU (manual)",
       "tok/s", "Manual mode: aggregate output tokens/s of one GPU.", 0.001, 1e9),
    _f("serving", "prefill_tokens_per_s_per_gpu", None, "Prefill tokens/s per GPU (manual)",
       "tok/s", "Manual mode: input tokens/s of one GPU. Default: estimated from compute.",
       0.001, 1e10, optional=True),
    _f("serving", "mbu", None, "Bandwidth utilisation (MBU)", "fraction",
       "Achieved fraction of peak memory bandwidth. Default: the engine profile's for this "
       "memory type (generic: the GPU preset's, else 0.7).",
       0.01, 1, optional=True, step=0.05),
    _f("serving", "mfu", None, "FLOPS utilisation (MFU)", "fraction",
       "Achieved fraction of peak FLOPS in decode. Default: the engine profile's for this GPU "
       "maker (generic: the GPU preset's, else 0.4).",
       0.01, 1, optional=True, step=0.05),
    _f("serving", "prefill_mfu", None, "Prefill FLOPS utilisation", "fraction",
       "Achieved fraction of peak FLOPS in prefill. Default: the engine profile's for this "
       "GPU maker (generic: mfu).", 0.01, 1, optional=True, step=0.05),
    _f("serving", "step_overhead_ms", None, "Fixed cost per step", "ms", "Time each decode step "
       "spends outside the roofline (launches, sampling, scheduling). Default: the engine "
       "profile's (generic: 0).", 0, 1000, optional=True, step=0.1),
    _f("serving", "layer_overhead_us", None, "Fixed cost per layer", "µs", "Further fixed time "
       "per layer per decode step (kernel launches). Default: the engine profile's (generic: "
       "0).", 0, 10_000, optional=True, step=1),
    _f("serving", "allreduce_us", None, "All-reduce latency", "µs", "Latency of one exchange "
       "step of a tensor-parallel all-reduce (two all-reduces per layer per step, log2(GPUs) "
       "steps each). Default: the engine profile's for the interconnect (generic: 0).", 0,
       100_000, optional=True, step=1),
    _f("serving", "allreduce_bw_fraction", None, "All-reduce bandwidth use", "fraction",
       "Achieved fraction of the interconnect's bandwidth in a tensor-parallel all-reduce of "
       "one step's activations. Default: the engine profile's for the interconnect (generic: "
       "1).", 0.01, 1, optional=True, step=0.05),
    _f("serving", "kv_cache", "auto", "KV-cache allocation", "", "\"paged\" (vLLM, SGLang, "
       "TensorRT-LLM: a stream holds the tokens it has, in blocks) or \"reserved\" (llama.cpp: "
       "a full context per stream). \"auto\": the engine's.", kind="choice",
       choices=("auto", "paged", "reserved")),
    _f("serving", "memory_utilization", 0.9, "Usable memory", "fraction",
       "Fraction of GPU memory usable for weights + KV cache.", 0.01, 1, step=0.05),
    _f("serving", "tensor_parallel", 0, "GPUs per replica", "", "GPUs that hold one copy of the "
       "model; 0 = automatic (see tensor_parallel_rule).", 0, 4096, kind="int", step=1),
    _f("serving", "tensor_parallel_rule", "fewest_gpus", "Automatic GPUs per replica", "",
       "\"fewest_gpus\": the power of two, up to gpus_per_server, that serves the fleet with "
       "the fewest GPUs; \"smallest_fit\": the smallest that holds the weights and one stream.",
       kind="choice", choices=("fewest_gpus", "smallest_fit")),
    _f("serving", "min_tokens_per_s_per_stream", 10, "Minimum speed per stream", "tok/s",
       "Output speed each user must see; caps the batch. 0 = no limit.", 0, 1e6, step=1),
    _f("serving", "max_batch", 0, "Batch cap", "streams", "Most streams one replica serves at "
       "once; 0 = no cap beyond memory and speed.", 0, 10_000_000, kind="int", step=1),
    _f("serving", "measured", "", "Calibrated to", "", "The measurement the efficiency keys "
       "were fitted to (written by `infracalc calibrate`); empty when not calibrated.",
       kind="str"),
    # -- fleet ---------------------------------------------------------------------------
    _f("fleet", "users", 1_000_000_000, "Users", "users", "People using the service.",
       1, 1e12),
    _f("fleet", "queries_per_user_per_day", 10, "Queries per user per day", "queries",
       "Average queries one user sends a day.", 0.001, 1e6, step=1),
    _f("fleet", "input_tokens_per_query", 1000, "Input tokens per query", "tokens",
       "Prompt tokens per query, including the conversation so far.", 0, 1e8),
    _f("fleet", "output_tokens_per_query", 500, "Output tokens per query", "tokens",
       "Generated tokens per query.", 1, 1e8),
    _f("fleet", "peak_to_average", 1.5, "Peak / average demand", "x",
       "Peak-hour demand over the daily average.", 1, 100, step=0.1),
    _f("fleet", "target_utilization", 0.7, "Target utilisation at peak", "fraction",
       "Plan GPUs to be at most this busy at peak.", 0.01, 1, step=0.05),
    _f("fleet", "redundancy", 0.1, "Redundancy", "fraction",
       "Extra capacity for failures and maintenance (0.1 = 10%).", 0, 10, step=0.05),
    _f("fleet", "gpus_per_server", 8, "GPUs per server", "", "GPUs in one server.",
       1, 1024, kind="int", step=1),
    _f("fleet", "server_cost_usd", 100_000, "Server cost (without GPUs)", "$",
       "Per server: everything except the GPUs (CPUs, RAM, network, chassis).", 0, 1e9),
    _f("fleet", "server_power_w", 3000, "Server power (without GPUs)", "W",
       "Per server: nameplate power of everything except the GPUs.", 0, 1e7, step=100),
    _f("fleet", "price_per_million_tokens_usd", 0, "Price per 1M tokens", "$",
       "Optional revenue per 1M tokens (input + output); 0 = no revenue figures.", 0, 1e6,
       step=0.5),
    # -- facility ------------------------------------------------------------------------
    _f("facility", "pue", 1.2, "PUE", "x", "Power usage effectiveness: facility power / IT power.",
       1, 5, step=0.05),
    _f("facility", "electricity_usd_per_kwh", 0.08, "Electricity price", "$/kWh",
       "Price the data centre pays per kWh.", 0, 10, step=0.01),
    _f("facility", "power_load_factor", None, "Power load factor", "fraction",
       "Average draw / nameplate power. Default (empty): modelled from the GPUs' power at "
       "their batch and their idle time.", 0.01, 1, optional=True, step=0.05),
    _f("facility", "lifespan_years", 4, "Hardware lifespan", "years",
       "Years over which the capex is recovered.", 0.1, 50, step=0.5),
    _f("facility", "discount_rate", 0.0, "Discount rate", "fraction/yr",
       "Cost of capital; 0 = straight-line depreciation.", 0, 1, step=0.01),
    _f("facility", "opex_pct_of_capex_per_year", 0.0, "Other opex", "fraction of capex/yr",
       "Maintenance, staff, colocation per year as a share of capex (0.05 = 5%).", 0, 10,
       step=0.01),
    _f("facility", "colo_usd_per_kw_month", 0, "Colocation per kW", "$/kW-month",
       "Data-centre space and power capacity per kW of IT nameplate, per month (0 = owned "
       "and paid for in capex).", 0, 10_000, step=10),
    # -- host ----------------------------------------------------------------------------
    _f("host", "gpu_count", 2, "GPUs in the host", "", "GPUs in your machine.", 1, 1024,
       kind="int", step=1),
    _f("host", "multi_gpu", "layer_split", "Multi-GPU mode", "",
       "\"layer_split\" (llama.cpp: GPUs take turns; memory adds, speed does not) or "
       "\"tensor_parallel\" (vLLM: bandwidth and FLOPS add).",
       kind="choice", choices=("layer_split", "tensor_parallel")),
    _f("host", "cpu_usd", 500, "CPU cost", "$", "CPU purchase price.", 0, 1e8, step=50),
    _f("host", "ram_usd", 300, "RAM cost", "$", "System memory purchase price.", 0, 1e8, step=50),
    _f("host", "other_usd", 800, "Other hardware", "$", "Board, PSU, case, storage ...",
       0, 1e8, step=50),
    _f("host", "system_power_w", 200, "System power under load", "W",
       "Everything but the GPUs, under load.", 0, 1e6, step=10),
    _f("host", "idle_power_w", 100, "Idle power", "W",
       "Whole machine when no one is using it.", 0, 1e6, step=10),
    _f("host", "lifespan_years", 3, "Host lifespan", "years",
       "Years until the hardware is replaced.", 0.1, 50, step=0.5),
    _f("host", "electricity_usd_per_kwh", 0.15, "Electricity price", "$/kWh",
       "Price you pay per kWh.", 0, 10, step=0.01),
    _f("host", "other_opex_usd_per_month", 0, "Other running costs", "$/month",
       "Internet, space, support ... per month.", 0, 1e9, step=10),
    _f("host", "power_model", "tdp", "Host GPU power", "", "\"tdp\": GPUs draw their board "
       "power while in use (the seed's arithmetic); \"modelled\": the power model's draw at "
       "the host's threads.", kind="choice", choices=("tdp", "modelled")),
    _f("host", "discount_rate", 0.0, "Discount rate", "fraction/yr",
       "Annual cost of capital for the host's net present value (0.08 = 8%); 0 = money "
       "later is worth as much as money now.", 0, 1, step=0.01),
    _f("host", "resale_pct", 0, "Resale value", "%", "Hardware value left at the end of its "
       "lifespan, in percent of the hardware cost (counted in the NPV and IRR only).",
       0, 100, step=5),
    # -- pricing -------------------------------------------------------------------------
    _f("pricing", "charge_per_minute_usd", 0.02, "Price per minute", "$/min",
       "What you charge one user per minute of use.", 0, 10_000, step=0.005),
    _f("pricing", "utilization_hours_per_day", 8, "Hours of use per day", "h/day",
       "Hours a day the host is busy serving.", 0, 24, step=1),
    _f("pricing", "concurrent_threads", 2, "Concurrent threads", "streams",
       "Streams served at the same time, each billed per minute.", 1, 1_000_000,
       kind="int", step=1),
    _f("pricing", "api_price_per_million_input_tokens_usd", 0, "API price, input", "$/1M tok",
       "What a hosted API charges per 1M input tokens, to compare with owning or renting; "
       "0 = no API comparison.", 0, 1e6, step=0.5),
    _f("pricing", "api_price_per_million_output_tokens_usd", 0, "API price, output",
       "$/1M tok", "What a hosted API charges per 1M output tokens; 0 = no API comparison.",
       0, 1e6, step=0.5),
)

BY_PATH: dict[str, Field] = {f.path: f for f in FIELDS}


def field(path: str) -> Field:
    """The field at a dotted path, or KeyError with the known keys of its section."""
    try:
        return BY_PATH[path]
    except KeyError:
        section = path.split(".", 1)[0]
        known = [f.key for f in FIELDS if f.section == section]
        if known:
            raise KeyError(f"unknown key {path!r}; [{section}] has: {', '.join(known)}") from None
        raise KeyError(f"unknown key {path!r}; sections are: {', '.join(SECTIONS)}") from None


def section_fields(section: str) -> tuple[Field, ...]:
    return tuple(f for f in FIELDS if f.section == section)
