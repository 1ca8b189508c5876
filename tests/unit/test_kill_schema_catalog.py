"""The scenario schema and catalogs at their edges: what ``schema._f`` builds when a key
takes the defaults, the unknown-key errors ``schema.field`` raises, ``check_value`` on an
open lower bound and on the wrong type, the catalog readers when a table is missing
(``EngineProfile.grounding``, ``fit_metadata``, ``_load``), and the sources
``provenance`` gives the INT8 rate, 4.5-bit weights on an FP8 GPU and a per-vendor figure.

Written to kill the mutants docs/mutation.md lists as surviving in schema.py, catalog.py,
validate.py and provenance.py; each expected value is the rule the module states, written
out by hand."""

from __future__ import annotations

import pytest

from infracalc_tui.scenario import Scenario, load
from infracalc_tui.scenario import catalog as cat
from infracalc_tui.scenario.provenance import Source, source_of
from infracalc_tui.scenario.schema import Field, _f, field
from infracalc_tui.scenario.validate import check_value

RTX = "scenarios/rtx4090-llama8b.toml"  # llama.cpp on an RTX 4090 (an NVIDIA GPU)


def bare(**keys: object) -> Scenario:
    """A scenario of only ``keys`` ("gpu__preset" for "gpu.preset")."""
    return Scenario("x", "", {k.replace("__", "."): v for k, v in keys.items()})


# -- schema._f: every argument lands in its own Field slot ---------------------------------

def test_a_key_given_only_its_words_is_an_unbounded_required_float() -> None:
    """No kind, range, step or choices: a float, both bounds unknown ("?"), required, the
    lower bound closed; the six words in the order section, key, default, label, unit,
    help."""
    got = _f("fleet", "users", 5.0, "Users", "people", "How many.")
    assert got == Field(section="fleet", key="users", kind="float", default=5.0,
                        label="Users", unit="people", help="How many.", lo=None, hi=None,
                        lo_open=False, choices=(), optional=False, step=None)
    assert got.path == "fleet.users"
    assert got.allowed() == "a number from ? to ?"


def test_every_argument_of_a_key_is_kept() -> None:
    """Distinct values in every slot, so a dropped or swapped argument shows."""
    got = _f("gpu", "k", 3, "Lab", "W", "Help.", 1, 9, kind="int", lo_open=True,
             optional=True, step=2.0, choices=("a", "b"))
    assert (got.section, got.key, got.kind, got.default, got.label, got.unit, got.help) == \
        ("gpu", "k", "int", 3, "Lab", "W", "Help.")
    assert (got.lo, got.hi, got.lo_open, got.choices, got.optional, got.step) == \
        (1, 9, True, ("a", "b"), True, 2.0)
    assert got.allowed() == "a whole number greater than 1 and at most 9"


# -- schema.field: an unknown key names its section's keys, or the sections ----------------

PRICING = ("charge_per_minute_usd, utilization_hours_per_day, concurrent_threads, "
           "api_price_per_million_input_tokens_usd, api_price_per_million_output_tokens_usd")
SECTIONS = "model, gpu, serving, fleet, facility, host, pricing"


def _message(path: str) -> str:
    with pytest.raises(KeyError) as e:
        field(path)
    return str(e.value.args[0])


def test_an_unknown_key_in_a_known_section_lists_that_sections_keys() -> None:
    """The five [pricing] keys, in schema order, comma-separated."""
    assert _message("pricing.nope") == f"unknown key 'pricing.nope'; [pricing] has: {PRICING}"


def test_the_section_is_the_part_before_the_first_dot() -> None:
    """"pricing.nope.x" is still in [pricing] (not a section "pricing.nope")."""
    assert _message("pricing.nope.x") == \
        f"unknown key 'pricing.nope.x'; [pricing] has: {PRICING}"


def test_an_unknown_section_lists_the_sections() -> None:
    assert _message("nope.users") == f"unknown key 'nope.users'; sections are: {SECTIONS}"


# -- validate.check_value ------------------------------------------------------------------

OPEN = Field("fleet", "open", "float", 1.0, "Open", "", "", lo=0.0, hi=2.0, lo_open=True)


def test_an_open_lower_bound_rejects_the_bound_itself() -> None:
    """lo_open: "greater than 0", so 0 is out of range and the smallest step above is in."""
    value, problem = check_value(OPEN, 0.0)
    assert value is None and problem is not None
    assert problem.message == "0.0: out of range: must be a number greater than 0 and at most 2"
    assert check_value(OPEN, 1e-9) == (1e-9, None)
    assert check_value(OPEN, 2.0) == (2.0, None)


def test_a_problem_without_a_source_names_none() -> None:
    """Called without a source (the TUI's typed values): the Problem's source is "", and
    the key and line are the field's and None."""
    _, problem = check_value(OPEN, -1.0)
    assert problem is not None
    assert (problem.source, problem.key, problem.line) == ("", "fleet.open", None)


def test_a_number_for_a_choice_says_what_is_expected() -> None:
    """serving.engine takes text: a number is "expected one of ..." the choices."""
    f = field("serving.engine")
    _, problem = check_value(f, 3, "f.toml", 4)
    assert problem is not None
    assert problem.message == "3: expected " + f.allowed()
    assert problem.message.startswith('3: expected one of "auto", ')


def test_an_unknown_preset_lists_the_known_ones_comma_separated() -> None:
    _, problem = check_value(field("model.preset"), "nope")
    assert problem is not None
    assert problem.message == "'nope': unknown model preset; known: " + ", ".join(cat.models())
    assert "llama-3.1-8b, llama-3.1-70b, llama-3.1-405b" in problem.message


# -- catalog: a fit without its optional tables --------------------------------------------

def test_an_engine_fitted_without_grounding_has_no_measurements() -> None:
    """No "grounding" table at all: 0 measurements, no error figure (not a crash)."""
    p = cat.EngineProfile("e", "E", "paged", 16, True, False, False, 0.0, "src", fit={})
    assert p.grounding("hbm") == (0, None)
    p = cat.EngineProfile("e", "E", "paged", 16, True, False, False, 0.0, "src",
                          fit={"grounding": {"hbm": {"n": 3, "loo_median_pct": 7.5}}})
    assert p.grounding("hbm") == (3, 7.5)
    assert p.grounding("gddr") == (0, None)


def test_a_fit_without_its_about_table_has_no_metadata(monkeypatch: pytest.MonkeyPatch
                                                       ) -> None:
    monkeypatch.setattr(cat, "_fit", lambda: {"power": {}})
    assert cat.fit_metadata() == {}


def test_a_catalog_file_is_read_by_its_name() -> None:
    """_load reads the named file afresh (the cached readers keep their first copy)."""
    gpus = cat._load("gpus.toml")
    assert gpus["h100-sxm"]["tops_int8"] == 1979
    assert gpus["h100-sxm"]["int8_ops_per_sm_clock"] == 8192


# -- provenance ----------------------------------------------------------------------------

def test_the_int8_rate_says_why() -> None:
    """llama.cpp multiplies 4.5-bit weights on INT8 units: a custom GPU's 300 TOPS, no SM
    figure so no cap; the source is the INT8 rule and the three keys it follows."""
    s = bare(serving__engine="llama.cpp", model__weight_bits=4.5, gpu__tops_int8=300.0)
    assert s.values["gpu.tflops"] == 300.0
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "INT8 rate for 4.5-bit weights (the engine multiplies quantised weights "
        "with integer dot products)",
        ("model.weight_bits", "gpu.tops_int8", "serving.int8_matmul"))


def test_4_5_bit_weights_on_an_fp8_gpu_without_fp4_are_widened() -> None:
    """H100 SXM under vLLM: FP8 1979 but no FP4 figure. 4.5 bits is FP4_MAX_BITS, so not
    "above FP4" for the FP8 path: the BF16 rate, 989, and the reason says FP4."""
    s = bare(gpu__preset="h100-sxm", model__weight_bits=4.5)
    assert s.values["serving.engine_in_use"] == "vllm"
    assert s.values["gpu.tflops"] == 989
    assert source_of(s, "gpu.tflops") == Source(
        "derived", "16-bit rate for 4.5-bit weights (no FP4 here: weight-only kernels widen "
        "them to 16 bits)", ("model.weight_bits", "gpu.tflops_bf16"))


def test_a_per_vendor_figure_names_the_kernels() -> None:
    """llama.cpp's mfu is fitted per GPU maker; the RTX 4090 is NVIDIA's."""
    assert source_of(load(RTX), "serving.mfu") == Source(
        "engine profile", "llama.cpp (fitted for nvidia kernels, engine_fit.toml)")
