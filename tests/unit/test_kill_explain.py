"""engine.explain by hand where the mutation run (docs/mutation.md) found no test looking:
the text of an explanation, the short names of dotted keys with two dots, the preset names
left out, formulas kept from Python's builtins, the slack of a check, the error naming what
can be explained, and how a searched figure's checks and the numbers in a formula are shown
(enough digits that the two sides differ, null, true, 1e6, 1e20, 1.5e-5); also the
engine package's error for a missing name, the output catalog's builder, the floor's slack
below 1, and the report's memo of the automatic width (its key and its 64 entries).

The scenario is helpers.ROUND: 10B parameters at 16 bits are 10e9 x 16 / 8 bytes = 20 GB of
weights, the figure the made-up searched formulas below explain.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
import pytest

from infracalc_tui import engine
from infracalc_tui.engine import report as report_module
from infracalc_tui.engine.explain import (
    FORMULAS,
    Check,
    Explanation,
    Formula,
    _all_paths,
    check_holds,
    evaluate_formula,
    explain,
    namespace,
    short_names,
)
from infracalc_tui.engine.explain_terms import term_keys
from infracalc_tui.engine.numeric import safe_floor_scalar
from infracalc_tui.engine.outputs import OUTPUTS, _o
from infracalc_tui.engine.report import _best_width, _best_width_for, build_report

from .helpers import scenario

ROUND = scenario()
VALUES = ROUND.values
REPORT = build_report(VALUES, name=ROUND.name)
WEIGHTS = "throughput.weights_gb"


def shown(*checks: Check) -> str:
    """The second line of weights_gb's explanation (20 GB) were it a searched figure
    resting on ``checks``."""
    with pytest.MonkeyPatch.context() as m:
        m.setitem(FORMULAS, WEIGHTS, Formula("weights_gb", "src", rule=lambda ns: "a rule",
                                             checks=lambda ns: list(checks)))
        return explain(WEIGHTS, VALUES, REPORT).substituted


# -- Explanation.text -------------------------------------------------------------------


def test_text_lays_out_label_formula_numbers_note_and_source() -> None:
    e = Explanation(key="fleet.servers", label="Servers", value=10, unit="servers",
                    formula="servers = ceil(gpus / gpus_per_server)", substituted="= 10",
                    source="spec", note="whole servers")
    assert e.text() == ("Servers (fleet.servers)\n  servers = ceil(gpus / gpus_per_server)\n"
                        "  = 10\n  note: whole servers\n  source: spec")
    bare = Explanation("fleet.servers", "Servers", 10, "servers", "f", "= 10", "spec")
    assert bare.text() == "Servers (fleet.servers)\n  f\n  = 10\n  source: spec"


# -- short names and the namespace ------------------------------------------------------


def test_short_names_keep_everything_after_the_first_dot() -> None:
    """a.b.c and y.b.c share "b.c", so both go by their long names; z.q is alone."""
    got = short_names(["a.b.c", "y.b.c", "z.q"])
    assert got == {"a.b.c": "a_b_c", "y.b.c": "y_b_c", "z.q": "q"}


def test_the_preset_names_are_no_terms() -> None:
    """model.preset and gpu.preset name where the inputs came from; no formula uses them."""
    assert {"model.preset", "gpu.preset"} <= set(VALUES)
    ns = namespace(VALUES, REPORT)
    assert not {"preset", "model_preset", "gpu_preset"} & set(ns)
    paths = _all_paths(VALUES, REPORT)
    assert "model.preset" not in paths and "gpu.preset" not in paths
    assert "model.total_params_b" in paths and "fleet.gpus" in paths


# -- evaluating formulas ----------------------------------------------------------------


def test_a_formula_reaches_no_builtin() -> None:
    """Only ceil, floor, max, min, log2 and ceil_pow2: abs and __import__ are not there."""
    with pytest.raises(NameError, match="abs"):
        evaluate_formula("abs(-1)", {})
    with pytest.raises(NameError, match="__import__"):
        evaluate_formula("__import__('os')", {})
    assert evaluate_formula("max(a, 2) + min(a, 2)", {"a": 5}) == 7


def test_a_broken_formula_names_itself_as_a_formula() -> None:
    with pytest.raises(SyntaxError) as e:
        evaluate_formula("1 +", {})
    assert e.value.filename == "<formula>"


def test_floor_and_ceil_pow2_of_infinity() -> None:
    """floor(inf) stays inf (min(1e9, inf) is then the cap); ceil_pow2(inf) is 1 GPU."""
    assert evaluate_formula("floor(x)", {"x": math.inf}) == math.inf
    assert evaluate_formula("ceil_pow2(x)", {"x": math.inf}) == 1.0
    assert evaluate_formula("floor(x)", {"x": 2.5}) == 2


# -- check_holds ------------------------------------------------------------------------


def test_a_check_holds_exactly_without_slack() -> None:
    """1 >= 1.5 fails with no slack (rel=1 would forgive it); 1 >= 1 holds; 1 < 1 fails."""
    assert not check_holds(Check("c", "a", ">=", "b"), {"a": 1, "b": 1.5})
    assert check_holds(Check("c", "a", ">=", "b"), {"a": 1, "b": 1})
    assert not check_holds(Check("c", "a", "<", "b"), {"a": 1, "b": 1})


def test_the_slack_is_relative_to_the_larger_side() -> None:
    """rel 0.1 of max(9.5, 10) = 1: 9.5 >= 10 - 1 holds, 10.5 < 10 + 1 holds, but
    8.5 >= 9 and 11.5 < 11 do not."""
    ns = {"lo": 9.5, "hi": 10.5, "ten": 10, "very_lo": 8.5, "very_hi": 11.5}
    assert check_holds(Check("c", "lo", ">=", "ten"), ns, rel=0.1)
    assert check_holds(Check("c", "hi", "<", "ten"), ns, rel=0.1)
    assert not check_holds(Check("c", "very_lo", ">=", "ten"), ns, rel=0.1)
    assert not check_holds(Check("c", "very_hi", "<", "ten"), ns, rel=0.1)


# -- explain ----------------------------------------------------------------------------


def test_an_unknown_key_is_named_with_what_can_be_explained() -> None:
    with pytest.raises(KeyError) as e:
        explain("fleet.nope", VALUES, REPORT)
    message = e.value.args[0]
    assert message.startswith("no explanation for 'fleet.nope'; explainable: "
                              "throughput.weights_gb, throughput.kv_bytes_per_token, ")
    assert "fleet.gpus" in message


def test_an_explanation_carries_its_key_label_and_unit() -> None:
    """fleet.gpus: "GPUs", measured in GPUs (outputs.OUTPUTS)."""
    e = explain("fleet.gpus", VALUES, REPORT)
    assert (e.key, e.label, e.unit) == ("fleet.gpus", "GPUs", "GPUs")


def test_a_figure_missing_from_the_catalog_goes_by_its_name(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shipped figure is in OUTPUTS; one that is not shows its bare name, no unit."""
    monkeypatch.delitem(OUTPUTS, "fleet.gpus")
    e = explain("fleet.gpus", VALUES, REPORT)
    assert (e.label, e.unit) == ("gpus", "")


def test_a_formula_that_is_one_input_shows_its_value_once() -> None:
    """Manual throughput: decode per GPU is serving.decode_tokens_per_s_per_gpu, 500."""
    s = scenario(serving__throughput="manual", serving__decode_tokens_per_s_per_gpu=500,
                 serving__prefill_tokens_per_s_per_gpu=5000)
    e = explain("throughput.decode_tokens_per_s_per_gpu", s.values,
                build_report(s.values, name=s.name))
    assert e.substituted == "= 500"


def test_a_searched_figure_without_checks_shows_only_its_value() -> None:
    """fewest_gpus tries widths 1, 2, 4, 8: 76, 56, 48, 48 GPUs; the tie goes to 4."""
    s = scenario(serving__tensor_parallel_rule="fewest_gpus")
    e = explain("throughput.tensor_parallel", s.values, build_report(s.values, name=s.name))
    assert e.formula.startswith("throughput_tensor_parallel = the power of two w from ")
    assert e.substituted == "= 4"


def test_a_literal_in_a_formula_is_shown_as_written() -> None:
    """The real formula of the bound: 'memory' if ... else 'compute' (memory-bound here)."""
    e = explain("throughput.bound", VALUES, REPORT)
    assert e.substituted.startswith("= 'memory' if ")
    assert e.substituted.endswith(" else 'compute' = memory")


def test_a_literal_that_is_also_a_name_is_not_substituted(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """'batch' is a figure's short name too, but in quotes it is a word. The batch is 77:
    (72 - 20) GB free / (2 x 40 layers x 8 heads x 128 x 2 bytes x 4096 tokens) = 77.5."""
    monkeypatch.setitem(FORMULAS, "throughput.bound",
                        Formula("'memory' if batch > 0 else 'batch'", "src"))
    e = explain("throughput.bound", VALUES, REPORT)
    assert e.substituted == "= 'memory' if 77 > 0 else 'batch' = memory"


# -- the numbers an explanation shows ---------------------------------------------------


def test_null_and_true_are_written_as_in_json() -> None:
    """No rental price: owning beats renting above annual cost / null = null; 21.34 GB
    needed <= 144 GB there: true."""
    e = explain("fleet.buy_beats_rent_above_utilization", VALUES, REPORT)
    assert e.substituted.endswith(" / null = null")
    e = explain("host.fits_in_memory", VALUES, REPORT)
    assert e.substituted.endswith(" = true")


def test_large_and_small_numbers_in_short_exponent_form() -> None:
    """1e6 is no longer written out; 1e+20 is 1e20 and 1.5e-05 is 1.5e-5."""
    assert shown(Check("e", "1e6", "<", "1e20"), Check("f", "1.5e-5", "<", "1")) == \
        "= 20, since e = 1e6 < 1e20; f = 1.5e-5 < 1"


def test_a_check_shows_the_first_digits_where_its_sides_differ() -> None:
    """0.949991 and 0.950012 are both 0.95 to 4 digits, differ at 5; 1.23456 and 2.34567
    differ at 4; 1.234561 and 1.234569 agree to 5 digits (1.2346), differ at 6."""
    assert shown(Check("b", "0.949991", ">=", "0.950012"),
                 Check("c", "1.23456", "<", "2.34567")) == \
        "= 20, since b = 0.94999 >= 0.95001; c = 1.235 < 2.346"
    assert shown(Check("a", "1.234561", ">=", "1.234569")) == \
        "= 20, since a = 1.23456 >= 1.23457"


def test_a_check_with_a_null_figure_is_left_out() -> None:
    """batch_cap is null here: null x 2 cannot be shown, so there is nothing after the
    value."""
    assert shown(Check("n", "batch_cap * 2", ">=", "1")) == "= 20"


def test_equal_sides_stop_at_15_digits() -> None:
    """1/3 >= 1/3: never different, shown to 15 significant digits."""
    assert shown(Check("d", "1/3", ">=", "1/3")) == \
        "= 20, since d = 0.333333333333333 >= 0.333333333333333"


# -- the terms of a figure (explain_terms) ----------------------------------------------


@pytest.fixture
def servers_rule(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """fleet.servers as a searched figure whose rule names gpus inside a call and batch
    before a possessive quote."""
    monkeypatch.setitem(FORMULAS, "fleet.servers", Formula(
        "servers", "src", rule=lambda ns: "ceil(gpus / 8), then batch's share of 'x'"))
    yield


def test_terms_next_to_a_call_or_a_quote_are_found(servers_rule: None) -> None:
    assert term_keys("fleet.servers", VALUES, REPORT) == ["fleet.gpus", "throughput.batch"]


# -- the engine package, the output catalog, the floor ----------------------------------


def test_a_missing_engine_name_is_named() -> None:
    with pytest.raises(AttributeError) as e:
        _ = engine.no_such_name  # type: ignore[attr-defined]
    assert str(e.value) == "module 'infracalc_tui.engine' has no attribute 'no_such_name'"


def test_an_output_is_a_plain_number_without_a_unit_unless_told() -> None:
    o = _o("fleet.x", "X")
    assert (o.path, o.label, o.unit, o.integer) == ("fleet.x", "X", "", False)
    o = _o("fleet.y", "Y", "GPUs", True)
    assert (o.path, o.label, o.unit, o.integer) == ("fleet.y", "Y", "GPUs", True)


def test_the_floor_slack_below_one_is_1e9_absolute() -> None:
    """1 - 1.5e-9 + 1e-9 x max(1, 0.99..) = 0.9999999995: floors to 0, not 1."""
    assert safe_floor_scalar(1 - 1.5e-9) == 0
    assert safe_floor_scalar(1 - 0.5e-9) == 1


# -- the report's memo of the automatic width -------------------------------------------


@pytest.fixture
def evaluations(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Each fleet evaluation _best_width_for asks for; widths 1 and 2 (the fit) need 3 and 2
    GPUs."""
    calls: list[dict[str, object]] = []

    def fake(values: dict[str, object]) -> dict[str, object]:
        calls.append(values)
        return {"fleet.gpus_by_candidate": np.array([3.0, 2.0]), "throughput.tensor_parallel": 2,
                "throughput.smallest_fit_tensor_parallel": 2}

    monkeypatch.setattr(report_module, "evaluate", fake)
    monkeypatch.setattr(report_module, "_best", {})
    return calls


def test_a_host_or_price_key_does_not_cost_a_second_evaluation(
        evaluations: list[dict[str, object]]) -> None:
    base = {"fleet.users": 1, "host.gpu_count": 1, "pricing.charge_per_minute_usd": 0.02}
    assert _best_width_for(base) == (2, 2.0)
    _best_width_for({**base, "host.gpu_count": 2})
    _best_width_for({**base, "pricing.charge_per_minute_usd": 0.03})
    assert len(evaluations) == 1
    assert evaluations[0]["serving.tensor_parallel"] == 0
    _best_width_for({**base, "fleet.users": 2})
    assert len(evaluations) == 2


def test_the_memo_keeps_the_64_latest(evaluations: list[dict[str, object]]) -> None:
    """The 65th scenario drops the first: asking for it again evaluates it again."""
    for users in range(65):
        _best_width_for({"fleet.users": users})
    assert len(report_module._best) == 64
    _best_width_for({"fleet.users": 1})
    assert len(evaluations) == 65
    _best_width_for({"fleet.users": 0})
    assert len(evaluations) == 66


def test_a_best_width_needs_two_candidates_and_a_finite_one() -> None:
    """One width tried: no hint. The candidates are 1, 2, 4, ... and last the smallest fit
    (here 8): 3 and 2 GPUs at widths 1 and 8 give (8, 2); 2, 5, 3 at 1, 2 and 8 give (1, 2);
    4, 1, 6 give (2, 1), whatever width the rule chose (4)."""
    def raw(*gpus: float) -> dict[str, object]:
        return {"fleet.gpus_by_candidate": np.array(gpus), "throughput.tensor_parallel": 4,
                "throughput.smallest_fit_tensor_parallel": 8}

    assert _best_width(raw(5.0)) is None
    assert _best_width(raw(3.0, 2.0)) == (8, 2.0)
    assert _best_width(raw(2.0, 5.0, 3.0)) == (1, 2.0)
    assert _best_width(raw(4.0, 1.0, 6.0)) == (2, 1.0)
    assert _best_width(raw(np.inf, np.inf)) is None
