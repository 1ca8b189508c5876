"""Pieces of the explanations' formulas: sources, what the scenario is (dense or MoE, paged
or reserved, manual or estimated, one GPU or several) and the terms of the decode step,
written once so that every figure's formula uses the same words (``formulas.FORMULAS``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Namespace = Mapping[str, Any]
Text = str | Callable[[Namespace], str]

#: Largest batch or thread count the engine searches (``throughput.BATCH_CAP``).
CAP = "1e9"
#: Slowest interconnect the engine plans with, bytes/s (``replica.decode_step``): 1e6.
MIN_LINK = 1e6

SRC_ROOFLINE = ("Roofline model (Williams et al., CACM 2009) applied to decode as in kipply, "
                "'Transformer Inference Arithmetic' (2022); engine-spec 'Throughput'")
SRC_FLOPS = "~2 FLOPs per active parameter per token (EleutherAI, 'Transformer Math 101')"
SRC_ATTENTION = ("causal attention: 4 x attention_heads x head_dim FLOPs per attended "
                 "token-layer (QK^T and AV, 2 FLOPs per multiply-add; Kaplan et al. 2020, "
                 "kipply 2022); left out by the generic engine (the spec's plain roofline)")
SRC_KV = ("KV cache = 2 (K and V) x layers x KV heads x head_dim x bytes per value, GQA aware "
          "(kipply 2022); MLA caches kv_values_per_token values (DeepSeek-V3 config.json); "
          "engine-spec 'Throughput'")
SRC_WINDOW = ("sliding-window layers hold at most sliding_window_tokens (min(tokens, window)"
              " per windowed layer; gpt-oss config.json and model card, alternating windows)")
SRC_PAGED = ("paged KV cache: a stream holds the blocks its tokens fill (vLLM PagedAttention, "
             "Kwon et al., SOSP 2023); a reserved cache sets aside a full context per slot "
             "(llama.cpp server --parallel); block size per engine in engines.toml")
SRC_WEIGHTS = ("weights W = N x weight_bits / 8 (engine-spec 'Throughput'); parameters read "
               "every step (attention, embeddings, shared experts) at shared_weight_bits, "
               "the routed experts at weight_bits (model config and card, models.toml)")
SRC_MOE = ("a batch of B tokens routed independently touches 1 - (1 - f)^B of the routed "
           "experts, f = (active - shared) / (total - shared); the shared parameters every "
           "step (engine-spec 'Throughput'; models.toml)")
SRC_EFFICIENCY = ("mbu, mfu, prefill_mfu: the engine profile fitted to the validation ledger "
                  "(benchmarks/fit_profiles.py -> engine_fit.toml), unless set")
SRC_OVERHEAD = ("fixed costs per step and per layer and the all-reduce latency: the engine "
                "profile fitted to the validation ledger (benchmarks/fit_profiles.py -> "
                "engine_fit.toml); two all-reduces per layer in tensor parallelism (Megatron-"
                "LM, Shoeybi et al. 2019), each log2(TP) latency steps (recursive doubling; "
                "Thakur, Rabenseifner & Gropp 2005) moving 2(TP-1)/TP x hidden_size x 2 bytes "
                "(BF16) per token, as a ring does (Patarasuk & Yuan 2009)")
SRC_POWER = ("GPU power model P = idle + (TDP - idle) x min(1, (k_mem t_mem + k_cmp t_cmp) / "
             "t_step), k_mem and k_cmp fitted to the ledger's energy points "
             "(benchmarks/fit_profiles.py); board power far below TDP at small batches "
             "(ML.ENERGY leaderboard)")
SRC_TP = ("engine-spec 'Throughput': the smallest power of two holding the weights and one "
          "stream; fewest_gpus: the power of two that serves the fleet with the fewest GPUs "
          "(engine/fleet.py choose_replica)")
SRC_FLEET = "engine-spec 'Fleet' (seed: GPT-4o infrastructure calculator)"
SRC_SERVED = ("continuous batching with chunked prefill (Agrawal et al., 'Sarathi-Serve', OSDI "
              "2024; vLLM's scheduler): decode steps also run the prompts of the queries the "
              "other streams start")
#: the other streams' new queries per decode step, k, and one step's prompts in ms
_K = "(max(batch - 1, 0) / output_tokens_per_query)"
_PROMPT_MS = (f"1000 * max(1, {_K}) * input_tokens_per_query / (throughput_tensor_parallel * "
              "throughput_prefill_tokens_per_s_per_gpu)")
SERVED = (f"1000 / ((1 - min(1, {_K})) * max(throughput_step_time_memory_ms, "
          f"throughput_step_time_compute_ms) + min(1, {_K}) * max("
          f"throughput_step_time_memory_ms, throughput_step_time_compute_ms + {_PROMPT_MS}) + "
          "throughput_step_time_overhead_ms)")
SERVED_MANUAL = (f"1000 / (1000 / throughput_decode_tokens_per_s_per_stream + min(1, {_K}) * "
                 f"{_PROMPT_MS})")
SRC_CRF = "Capital recovery factor r(1+r)^n/((1+r)^n-1), any engineering economics text"
SRC_HOST = "engine-spec 'Host' (seed: Infra-Calc)"
SRC_ENGINE = ("serving.engine, or for \"auto\" the GPU preset's usual engine "
              "(scenario/model.py engine_in_use); profiles in engines.toml and engine_fit.toml")


@dataclass(frozen=True, slots=True)
class Check:
    """One fact a searched figure rests on: ``lhs op rhs`` (expressions), shown as
    ``label = <lhs> op <rhs>``."""

    label: str
    lhs: str
    op: str  # ">=" or "<"
    rhs: str


@dataclass(frozen=True, slots=True)
class Formula:
    expr: Text
    source: str
    note: Text = ""
    #: for a figure a search finds: the rule in words (None: the expression is the rule)
    rule: Callable[[Namespace], str | None] | None = None
    #: the facts showing the figure meets its rule
    checks: Callable[[Namespace], list[Check]] | None = None

    def expression(self, ns: Namespace) -> str:
        return self.expr(ns) if callable(self.expr) else self.expr

    def note_text(self, ns: Namespace) -> str:
        return self.note(ns) if callable(self.note) else self.note

    def rule_text(self, ns: Namespace) -> str | None:
        return self.rule(ns) if self.rule else None

    def check_list(self, ns: Namespace) -> list[Check]:
        return self.checks(ns) if self.checks else []


# -- what the scenario is ---------------------------------------------------------------


def _manual(ns: Namespace) -> bool:
    return ns["throughput"] == "manual"


def _pos(ns: Namespace, name: str) -> bool:
    return (ns[name] or 0) > 0


def _flat_kv(ns: Namespace) -> bool:
    """The cache is given as one number per token (override or MLA values): no windows."""
    return _pos(ns, "model_kv_bytes_per_token") or _pos(ns, "kv_values_per_token")


def _windowed(ns: Namespace) -> bool:
    return (ns["sliding_window_tokens"] > 0 and ns["sliding_window_layers"] > 0
            and not _flat_kv(ns))


def _dense(ns: Namespace) -> bool:
    """Every weight is read every step (no routed experts)."""
    return ns["shared_params_b"] >= ns["total_params_b"]


def _host_tp(ns: Namespace) -> bool:
    return ns["multi_gpu"] == "tensor_parallel"


def _roofline_only(ns: Namespace) -> bool:
    return ns["beyond_roofline"] == 0


def _beyond(ns: Namespace) -> str:
    return "" if ns["beyond_roofline"] == 1 else "beyond_roofline * "


# -- pieces of the decode step ------------------------------------------------------------


def _held(ns: Namespace, tokens: str) -> str:
    """Token-layers a stream of ``tokens`` holds (windowed layers: at most the window)."""
    if _windowed(ns):
        return (f"(layers - sliding_window_layers) * {tokens} + sliding_window_layers * "
                f"min({tokens}, sliding_window_tokens)")
    return f"layers * {tokens}"


def _stream_kv(ns: Namespace, tokens: str) -> str:
    """KV bytes of one stream holding ``tokens``: kv per token x held token-layers / layers."""
    if _windowed(ns):
        return f"throughput_kv_bytes_per_token * ({_held(ns, tokens)}) / layers"
    return f"throughput_kv_bytes_per_token * {tokens}"


@dataclass(frozen=True, slots=True)
class _Replica:
    """Names the throughput replica and the host use for the same decode-step formula."""

    gpus: str  # prefix multiplying one GPU's bandwidth and FLOPS ("" for one GPU's)
    comm: str | None  # GPUs that all-reduce each layer, None when none do
    tokens: str  # tokens one stream holds on average while decoding
    kv_read: str  # KV bytes read per stream per step


def _replica(ns: Namespace, host: bool) -> _Replica:
    if not host:
        tp = "throughput_tensor_parallel"
        return _Replica(f"{tp} * ", tp if ns[tp] > 1 else None,
                        "avg_tokens_per_stream", "kv_read_bytes_per_stream")
    tp = _host_tp(ns)
    return _Replica("gpu_count * " if tp else "",
                    "gpu_count" if tp and ns["gpu_count"] > 1 else None, "context_tokens / 2",
                    _stream_kv(ns, "context_tokens / 2"))


def _weights_read(ns: Namespace, batch: str) -> str:
    """Weight bytes one step of ``batch`` streams reads."""
    if _dense(ns):
        return "weights_gb * 1e9"
    touched = f"(1 - (1 - max(0, active_params_b - shared_params_b) / (total_params_b - " \
              f"shared_params_b)) ** {batch})"
    if ns["shared_params_b"] == 0:
        return f"weights_gb * 1e9 * (1 - (1 - active_params_b / total_params_b) ** {batch})"
    return (f"shared_params_b * 1e9 * shared_weight_bits / 8 + (total_params_b - "
            f"shared_params_b) * 1e9 * weight_bits / 8 * {touched}")


def _t_mem(ns: Namespace, r: _Replica, batch: str) -> str:
    return (f"({_weights_read(ns, batch)} + {batch} * {r.kv_read}) / ({r.gpus}bandwidth_tb_s"
            " * 1e12 * mbu) * 1e3")


def _flops_per_token(ns: Namespace, tokens: str) -> str:
    """FLOPs of one decoded token beyond the plain roofline (``_t_cmp`` has the roofline's)."""
    held = f"({_held(ns, tokens)})" if _windowed(ns) else _held(ns, tokens)
    return f"2 * active_params_b * 1e9 + 4 * attention_heads * head_dim * {_beyond(ns)}{held}"


def _t_cmp(ns: Namespace, r: _Replica, batch: str) -> str:
    if _roofline_only(ns):
        return f"2 * active_params_b * 1e9 * {batch} / ({r.gpus}tflops * 1e12 * mfu) * 1e3"
    return (f"{batch} * ({_flops_per_token(ns, r.tokens)}) / ({r.gpus}tflops * 1e12 * mfu) "
            "* 1e3")


def _t_over(ns: Namespace, r: _Replica, batch: str) -> str:
    parts = ["step_overhead_ms", "layers * layer_overhead_us / 1000"]
    if r.comm:
        parts.append(f"2 * layers * log2({r.comm}) * allreduce_us / 1000")
        if ns["interconnect_gb_s"] > 0 and not _roofline_only(ns):
            link = "(interconnect_gb_s * 1e9)" if ns["interconnect_gb_s"] * 1e9 >= MIN_LINK \
                else "max(interconnect_gb_s * 1e9, 1e6)"
            parts.append(f"{batch} * 2 * layers * 2 * ({r.comm} - 1) / {r.comm} * hidden_size "
                         f"* 2 / ({link} * allreduce_bw_fraction) * {_beyond(ns)}1e3")
    return " + ".join(parts)


def _t_step(ns: Namespace, r: _Replica, batch: str) -> str:
    return (f"max({_t_mem(ns, r, batch)}, {_t_cmp(ns, r, batch)}) + "
            f"{_t_over(ns, r, batch)}")


def _over_note(ns: Namespace, host: bool) -> str:
    r = _replica(ns, host)
    if _roofline_only(ns):
        why = "generic engine: the spec's plain roofline, no fixed costs unless set"
    else:
        why = f"{ns['engine_in_use']} profile: a fixed cost per step and per layer"
    if not r.comm:
        split = host and not _host_tp(ns) and ns["gpu_count"] > 1
        return why + ("; layer_split: no all-reduce" if split else "; one GPU: no all-reduce")
    if ns["interconnect_gb_s"] > 0 and not _roofline_only(ns):
        why += "; two all-reduces per layer: a latency each, and the bytes of every token"
        if ns["interconnect_gb_s"] * 1e9 < MIN_LINK:
            why += " (a link under 1 MB/s is taken as 1 MB/s)"
        return why
    return why + "; two all-reduces per layer, latency only" + \
        ("" if _roofline_only(ns) else " (interconnect_gb_s is 0)")


# -- searched figures ---------------------------------------------------------------------


def _speed_rule(batch: str, host: bool) -> Callable[[Namespace], str | None]:
    figure = "host step time" if host else "step_time_ms"
    parts = "host.step_time_*_ms" if host else "throughput.step_time_*_ms"

    def rule(ns: Namespace) -> str | None:
        if _manual(ns) or ns["min_tokens_per_s_per_stream"] <= 0:
            return None
        return (f"the largest {batch} <= {CAP} with 1000 / step_time_ms({batch}) >= "
                f"min_tokens_per_s_per_stream (0 when even 1 is too slow), step_time_ms({batch})"
                f" being the {figure} with {batch} streams (max(memory, compute) + overhead, "
                f"{parts})")
    return rule


def _speed_checks(name: str, host: bool) -> Callable[[Namespace], list[Check]]:
    def checks(ns: Namespace) -> list[Check]:
        if _manual(ns) or ns["min_tokens_per_s_per_stream"] <= 0:
            return []
        r = _replica(ns, host)
        found = int(ns[name])

        def at(b: int, op: str) -> Check:
            return Check(f"1000 / step_time_ms({b})", f"1000 / ({_t_step(ns, r, str(b))})", op,
                         "min_tokens_per_s_per_stream")

        out = [at(found, ">=")] if found >= 1 else []
        if found < 1e9:
            out.append(at(found + 1, "<"))
        return out
    return checks


def _speed_limit(name: str, aggregate: Callable[[Namespace], str]) -> Text:
    def expr(ns: Namespace) -> str:
        if ns["min_tokens_per_s_per_stream"] <= 0:
            return CAP
        if _manual(ns):
            return f"min({CAP}, max(0, floor({aggregate(ns)} / min_tokens_per_s_per_stream)))"
        return name  # found by a search: the rule and its checks explain it
    return expr


def _speed_note(ns: Namespace) -> str:
    if ns["min_tokens_per_s_per_stream"] <= 0:
        return "min_tokens_per_s_per_stream is 0: no speed limit"
    if _manual(ns):
        return "manual throughput: the aggregate speed shared by the streams"
    return ("the step time grows with the batch, so the speed falls: found in closed form "
            "(dense) or by bisection (routed experts)")


def _tp_expr(ns: Namespace) -> str:
    if ns["serving_tensor_parallel"] > 0:
        return "serving_tensor_parallel"
    if ns["tensor_parallel_rule"] == "smallest_fit":
        return _FIT_TP
    return "throughput_tensor_parallel"


def _tp_rule(ns: Namespace) -> str | None:
    if ns["serving_tensor_parallel"] > 0 or ns["tensor_parallel_rule"] == "smallest_fit":
        return None
    return ("the power of two w from smallest_fit_tensor_parallel up to gpus_per_server (or "
            "the smallest fit itself, if larger) whose fleet needs the fewest GPUs, "
            "max(ceil(planned_gpus(w) / w) * w, w); ties go to the smaller w")


_FIT_TP = ("ceil_pow2((weights_gb * 1e9 + kv_bytes_per_stream) / (usable_memory_per_gpu_gb * "
           "1e9))")
