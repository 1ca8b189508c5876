"""engine.replica by hand: the paged cache's block rounding and the widths a one-GPU server
allows. Written to kill the survivors docs/mutation.md listed for replica_candidates; each
test pins a figure the report shows. ROUND scenario: tests/unit/helpers.py."""

from __future__ import annotations

import numpy as np

from infracalc_tui.engine.throughput import mean_attended

from .helpers import report


def test_a_token_level_paged_cache_holds_the_query_exactly() -> None:
    """SGLang pages by single tokens (block 1): 1,000 + 501 tokens are held as 1,501, not
    rounded to an even 1,502."""
    t = report(serving__engine="sglang", fleet__output_tokens_per_query=501)["throughput"]
    assert t["engine"] == "sglang"
    assert t["kv_tokens_per_stream"] == 1501


def test_one_gpu_servers_allow_only_one_gpu_replicas() -> None:
    """A 35B BF16 model (70 GB) on an 80 GB GPU fits one GPU with room for 2 streams: 4,929
    GPUs. With two GPUs a server, a 2-GPU replica holds 110 streams and needs 156 GPUs; with
    one a server, the fewest-GPUs rule may not try 2."""
    def fleet(gps: int) -> tuple[int, int, int]:
        r = report(model__total_params_b=35, serving__tensor_parallel_rule="fewest_gpus",
                   fleet__gpus_per_server=gps)
        return r["throughput"]["tensor_parallel"], r["throughput"]["batch"], r["fleet"]["gpus"]

    assert fleet(1) == (1, 2, 4929)
    assert fleet(2) == (2, 110, 156)


def test_an_empty_prompt_attends_to_nothing() -> None:
    """0 prompt tokens with a 128-token window: 0 token-layers, not NaN (the windowed branch
    divides by the prompt, but only a prompt longer than the window takes it)."""
    out = mean_attended(np.array([0.0, 64.0, 256.0]), 40, 20, 128)
    # full layers 20 x n / 2; windowed: n / 2 up to the window, else w - w^2 / (2n)
    assert out.tolist() == [0.0, 20 * 32 + 20 * 32, 20 * 128 + 20 * (128 - 128 * 128 / 512)]
