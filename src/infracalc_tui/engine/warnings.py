"""Plain-word warnings for what makes a figure doubtful, null, capped or a loss.

Each warning names the section it is about ("Fleet:", "Host:", "Model:") and the numbers
behind it; the tests make each one appear, and check it stays away just past its threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: Explicit tensor parallelism is flagged when another width needs this many times fewer GPUs.
WIDER_REPLICA_RATIO = 1.5


def warnings(values: Mapping[str, Any], r: Mapping[str, Any],
             max_context_tokens: int | None = None,
             best_width: tuple[int, float] | None = None) -> list[str]:
    t, f, h = r["throughput"], r["fleet"], r["host"]
    out: list[str] = []
    manual = values["serving.throughput"] == "manual"
    ctx = values["model.context_tokens"]
    if max_context_tokens and ctx > max_context_tokens:
        out.append(f"Model: context of {ctx:,} tokens is longer than the model's maximum "
                   f"of {max_context_tokens:,}.")
    query = values["fleet.input_tokens_per_query"] + values["fleet.output_tokens_per_query"]
    if query > ctx:
        held = "memory is sized for the query" if values["serving.kv_cache_in_use"] == \
            "reserved" else "a paged cache holds it, but the model must accept it"
        out.append(f"Fleet: a query holds {query:,.0f} tokens (input + output), more than "
                   f"model.context_tokens ({ctx:,}); {held}.")
    smin = values["serving.min_tokens_per_s_per_stream"]
    if t["batch_memory_limit"] < 1:
        out.append(f"Fleet: the weights ({t['weights_gb']:.1f} GB) and one stream's KV cache "
                   f"do not fit in {t['tensor_parallel']} GPU(s) of "
                   f"{t['usable_memory_per_gpu_gb']:.1f} GB usable; batch forced to 1 "
                   "(raise serving.tensor_parallel or set it to 0 for automatic).")
    if smin > 0 and t["batch_speed_limit"] < 1:
        if manual:
            out.append(f"Fleet: the manual speed of {t['decode_tokens_per_s_per_gpu']:g} tok/s "
                       f"per GPU x {t['tensor_parallel']} GPU(s) gives a single stream "
                       f"{t['decode_tokens_per_s_per_stream']:.1f} tok/s, below the minimum "
                       f"of {smin:g} tok/s; batch forced to 1.")
        else:
            out.append(f"Fleet: even a single stream gets only "
                       f"{t['decode_tokens_per_s_per_stream']:.1f} tok/s, below the minimum of "
                       f"{smin:g} tok/s; batch forced to 1.")
    served = t["served_tokens_per_s_per_stream"]
    if smin > 0 and t["batch_speed_limit"] >= 1 and served is not None and served < smin:
        out.append(f"Fleet: under load a stream gets {served:.1f} tok/s, below the {smin:g} "
                   "tok/s minimum, which bounds only the decode step "
                   f"({t['decode_tokens_per_s_per_stream']:.1f} tok/s); a lower "
                   "serving.max_batch keeps it.")
    if best_width is not None and f["gpus"]:
        width, gpus = best_width
        if gpus * WIDER_REPLICA_RATIO < f["gpus"]:
            out.append(f"Fleet: {t['tensor_parallel']} GPU(s) per replica need {f['gpus']:,} "
                       f"GPUs; {width} per replica would need {gpus:,.0f} "
                       f"({f['gpus'] / gpus:.1f}x fewer; set serving.tensor_parallel = 0 for "
                       "the automatic choice).")
    if f["annual_profit_usd"] is not None and f["annual_profit_usd"] < 0:
        out.append(f"Fleet: at ${values['fleet.price_per_million_tokens_usd']:g} per 1M tokens "
                   f"revenue does not cover the cost of ${f['cost_per_million_tokens_usd']:.3g} "
                   "per 1M tokens.")
    out += host_warnings(values, t, h)
    return out


def host_warnings(values: Mapping[str, Any], t: Mapping[str, Any], h: Mapping[str, Any]
                  ) -> list[str]:
    out: list[str] = []
    threads = values["pricing.concurrent_threads"]
    smin = values["serving.min_tokens_per_s_per_stream"]
    if not h["fits_in_memory"]:
        if t["weights_gb"] > h["memory_available_gb"]:
            out.append(f"Host: does not fit in memory: the weights alone need "
                       f"{t['weights_gb']:.1f} GB, the host has "
                       f"{h['memory_available_gb']:.1f} GB usable.")
        else:
            out.append(f"Host: does not fit in memory: {threads:,} thread(s) need "
                       f"{h['memory_required_gb']:.1f} GB, the host has "
                       f"{h['memory_available_gb']:.1f} GB usable (at most "
                       f"{h['max_threads_memory']:,} thread(s) fit).")
    if threads > h["max_threads"]:
        out.append(f"Host: {threads:,} threads asked for, but the hardware serves at most "
                   f"{h['max_threads']:,} (memory and minimum speed): revenue bills "
                   f"{h['billed_threads']:,.0f}.")
    if smin > 0 and h["decode_tokens_per_s_per_stream"] is not None and \
            h["decode_tokens_per_s_per_stream"] < smin:
        out.append(f"Host: too slow per stream: {threads:,} thread(s) get "
                   f"{h['decode_tokens_per_s_per_stream']:.1f} tok/s each, below the minimum of "
                   f"{smin:g} tok/s.")
    hours = values["pricing.utilization_hours_per_day"]
    if hours == 0:
        out.append("Host: 0 hours of use per day: no revenue, and no price per minute can "
                   "cover the costs.")
    elif h["billed_threads"] == 0:
        out.append("Host: the hardware cannot serve a single thread: no revenue.")
    elif h["break_even_days"] is None:
        out.append(f"Host: never breaks even: revenue of ${h['revenue_usd_per_day']:.2f}/day "
                   f"does not cover electricity and running costs of "
                   f"${h['electricity_usd_per_day'] + h['other_opex_usd_per_day']:.2f}/day.")
    elif h["break_even_days"] > values["host.lifespan_years"] * 365:
        out.append(f"Host: pays back after {h['break_even_days']:,.0f} days, later than the "
                   f"hardware's lifespan of {values['host.lifespan_years'] * 365:,.0f} days.")
    if h["roi_pct"] is None:
        out.append("Host: hardware cost is 0, so ROI is undefined.")
    return out
