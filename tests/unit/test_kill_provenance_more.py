"""Where a value came from (scenario.provenance), the branches test_kill_provenance.py leaves
open: the bandwidth class, llama.cpp's INT8 rate capped per SM (and not capped when the SM
does exactly the cap), and a fitted number without classes.

Each expected Source is the branch's rule written out by hand."""

from __future__ import annotations

import dataclasses

import pytest

from infracalc_tui.scenario import Scenario, load
from infracalc_tui.scenario import catalog as cat
from infracalc_tui.scenario.provenance import Source, source_of

RTX = "scenarios/rtx4090-llama8b.toml"  # llama.cpp on an RTX 4090 (GDDR memory)


def bare(**keys: object) -> Scenario:
    """A scenario of only ``keys`` ("gpu__preset" for "gpu.preset")."""
    return Scenario("x", "", {k.replace("__", "."): v for k, v in keys.items()})


def test_the_bandwidth_class_follows_the_memory_type_and_the_vendor() -> None:
    """gpu.bandwidth_class ("gddr" on the 4090) is a rule of the memory type and the maker,
    not the engine profile's."""
    s = load(RTX)
    assert s.values["gpu.bandwidth_class"] == "gddr"
    want = Source("derived", "the memory type; \"amd\" for an AMD GPU (ROCm's kernels)",
                  ("gpu.memory_type", "gpu.vendor"))
    assert source_of(s, "gpu.bandwidth_class") == want
    assert want.text() == ("derived from gpu.memory_type, gpu.vendor (the memory type; "
                           "\"amd\" for an AMD GPU (ROCm's kernels))")


def test_llama_cpp_on_an_h100_reaches_a_quarter_of_its_int8_rate() -> None:
    """H100 SXM: 8192 INT8 ops per SM per clock, llama.cpp's kernels reach 2048, so 4-bit
    weights run at 1979 x 2048/8192 = 494.75 TOPS, and the source names all four keys."""
    s = bare(gpu__preset="h100-sxm", serving__engine="llama.cpp", model__weight_bits=4.0)
    assert s.values["gpu.tflops"] == pytest.approx(494.75)
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "INT8 rate x 2048/8192 for 4-bit weights (the engine's kernels reach no "
        "more INT8 ops per SM per clock)",
        ("model.weight_bits", "gpu.tops_int8", "gpu.int8_ops_per_sm_clock",
         "serving.int8_sm_cap"))


def test_an_sm_at_exactly_the_cap_gets_the_full_int8_rate() -> None:
    """RTX 4090: 2048 INT8 ops per SM per clock, equal to llama.cpp's cap (not above it), so
    4-bit weights take the whole INT8 rate, 660.6, with no scaling in the source."""
    s = bare(gpu__preset="rtx-4090", serving__engine="llama.cpp", model__weight_bits=4.0)
    assert s.values["gpu.tflops"] == pytest.approx(660.6)
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "INT8 rate for 4-bit weights (the engine multiplies quantised weights "
        "with integer dot products)",
        ("model.weight_bits", "gpu.tops_int8", "serving.int8_matmul"))


def test_a_fitted_number_without_classes_names_no_class(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    """llama.cpp's mbu made one number (0.6) instead of a table by memory type: the source
    says only "fitted", with no "for gddr memory"."""
    engines = dict(cat.engines())
    old = engines["llama.cpp"]
    engines["llama.cpp"] = dataclasses.replace(old, fit={**old.fit, "mbu": 0.6})
    monkeypatch.setattr(cat, "engines", lambda: engines)
    s = load(RTX)
    assert s.values["serving.mbu"] == 0.6
    assert source_of(s, "serving.mbu") == Source(
        "engine profile", "llama.cpp (fitted, engine_fit.toml)")
