"""The validation ledger, the fitted profiles and the grounding they give (issue 11).

The shipped ``engine_fit.toml`` must be exactly what ``benchmarks/fit_profiles.py`` fits
from the ledger in the repo (no hand edits); the ledger must cover what it claims; and
every figure must say how it is grounded.
"""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path

import pytest

from infracalc_tui.calc import apply_settings, report_for
from infracalc_tui.resources import data_file
from infracalc_tui.scenario.catalog import ENGINES, engines, fit_metadata, gpus
from infracalc_tui.scenario.presets import presets

ROOT = Path(__file__).resolve().parents[2]


def _ledger() -> list[dict]:
    return tomllib.loads(data_file("measurements.toml").read_text("utf-8"))["measurement"]


def _fit_module():
    spec = importlib.util.spec_from_file_location("fit_profiles",
                                                  ROOT / "benchmarks" / "fit_profiles.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fit_profiles"] = module  # dataclasses look their module up
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_the_ledger_covers_engines_gpus_models_regimes_and_energy() -> None:
    rows = _ledger()
    assert len(rows) >= 40
    assert len({m["engine"] for m in rows}) >= 4
    assert {m["engine"] for m in rows} <= set(ENGINES)
    assert len({m["gpu"] for m in rows}) >= 10
    assert {m["gpu"] for m in rows} <= set(gpus())
    assert any("active_params_b" in m["model"] for m in rows)  # MoE
    assert any("active_params_b" not in m["model"] for m in rows)  # dense
    batches = {m["batch"] for m in rows}
    assert 1 in batches and 0 in batches and any(1 < b <= 64 for b in batches)
    assert sum(m["metric"] == "energy_per_output_token_j" for m in rows) >= 3
    for m in rows:  # every point keeps where it came from
        for key in ("source", "url", "date", "engine_version", "metric", "value"):
            assert m[key] not in ("", None), (m["id"], key)
    assert len({m["id"] for m in rows}) == len(rows)


@pytest.mark.slow
def test_shipped_profiles_are_what_the_script_fits() -> None:
    """Re-runs the fit with leave-one-GPU-out (~70 s): a hand edit of engine_fit.toml, or a
    change of the engine or the ledger without a refit, fails here."""
    fit, report = _fit_module().run()
    shipped = tomllib.loads(data_file("engine_fit.toml").read_text("utf-8"))
    assert shipped == fit
    assert (ROOT / "docs" / "validation.md").read_text("utf-8") == report


def test_leave_one_gpu_out_error_is_what_the_ledger_says() -> None:
    """The honest error for unseen hardware, as fitted today. Issue 11's target is a median
    of 10% and no point beyond 30%; these bounds pin today's figures so they can only
    improve, not drift (the shipped numbers: docs/validation.md)."""
    about = fit_metadata()
    assert about["measurements"] == len(_ledger())
    assert about["loo_median_error_pct"] <= 11.8
    assert about["loo_worst_error_pct"] <= 95.5


@pytest.mark.parametrize("name", sorted(presets()))
def test_every_shipped_scenario_names_its_engine(name: str) -> None:
    s = presets()[name].scenario
    assert "serving.engine" in s.explicit
    assert report_for(s)["throughput"]["engine"] == s.explicit["serving.engine"]


def test_grounding_says_where_a_figure_comes_from() -> None:
    base = presets()["rtx4090-llama8b"].scenario
    n, loo = engines()["llama.cpp"].grounding("gddr")
    assert report_for(base)["throughput"]["grounding"] == (
        f"engine profile ({n} measurements of llama.cpp on GDDR GPUs, leave-one-GPU-out "
        f"median error {loo:.0f}%)")
    mine = apply_settings(base, ["serving.measured=host.decode_tokens_per_s_per_stream=19.1"])
    assert report_for(mine)["throughput"]["grounding"].startswith("your measurement: host.")
    generic = apply_settings(base, ["serving.engine=generic"])
    assert report_for(generic)["throughput"]["grounding"].startswith("generic roofline")
    none = apply_settings(base, ["gpu.preset=h100-sxm", "serving.engine=mlx"])
    assert report_for(none)["throughput"]["grounding"] == \
        "extrapolated: no measurement for MLX (mlx-lm) on HBM GPUs"
    # an AMD GPU is grounded in the AMD points only, as its bandwidth fraction is
    amd = apply_settings(base, ["gpu.preset=mi300x", "serving.engine=vllm"])
    n, loo = engines()["vllm"].grounding("amd")
    assert n > 0 and report_for(amd)["throughput"]["grounding"] == (
        f"engine profile ({n} measurements of vLLM on AMD GPUs, leave-one-GPU-out median "
        f"error {loo:.0f}%)")


def test_automatic_engine_comes_from_the_gpu_and_says_so() -> None:
    s = apply_settings(presets()["rtx4090-llama8b"].scenario, ["serving.engine=auto"])
    t = report_for(s)["throughput"]
    assert t["engine"] == gpus()["rtx-4090"].engine == "llama.cpp"
    assert t["engine_reason"].startswith("automatic")
