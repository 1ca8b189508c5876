"""Invariants over the whole valid input space (hypothesis)."""

import json
import math

import numpy as np
from hypothesis import assume, given
from hypothesis import strategies as st

from infracalc_tui.calc import report_for
from infracalc_tui.engine.evaluate import Values, evaluate, host_economics
from infracalc_tui.engine.explain import FORMULAS, evaluate_formula, namespace
from infracalc_tui.engine.series import profit_projection
from infracalc_tui.scenario import dumps, parse

from .strategies import scenarios

ROUNDED = {"throughput.tensor_parallel", "throughput.batch_memory_limit", "fleet.gpus",
           "fleet.servers", "host.max_threads_memory",
           # a reserved cache holds max(context, input + output), fractional when the query
           # is; the report shows it as a whole number of tokens
           "throughput.kv_tokens_per_stream"}


def _numbers(obj):
    if isinstance(obj, dict):
        for v in obj.values():
            yield from _numbers(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _numbers(v)
    elif isinstance(obj, float | int) and not isinstance(obj, bool):
        yield obj


@given(scenarios())
def test_report_never_has_nan_or_infinity(s) -> None:
    r = report_for(s)
    assert all(math.isfinite(x) for x in _numbers(r))
    json.dumps(r, allow_nan=False)  # strict JSON


@given(scenarios())
def test_every_explanation_reproduces_its_figure(s) -> None:
    r = report_for(s)
    ns = namespace(s.values, r)
    for key, formula in FORMULAS.items():
        section, name = key.split(".", 1)
        want = r[section][name]
        if want is None:
            continue
        got = evaluate_formula(formula.expression(ns), ns)
        if isinstance(want, bool | str):
            assert got == want, key
        elif key in ROUNDED:
            assert abs(got - want) <= max(1, 1e-9 * abs(want)), key
        else:
            assert math.isclose(got, want, rel_tol=1e-6, abs_tol=1e-9), (key, got, want)


@given(scenarios(), st.lists(st.floats(1, 1e12), min_size=2, max_size=8))
def test_gpus_never_fall_when_users_rise(s, users) -> None:
    values = dict(s.values)
    values["fleet.users"] = np.sort(np.array(users))
    out = evaluate(values)
    gpus = np.broadcast_to(out["fleet.gpus"], values["fleet.users"].shape)
    assert np.all(np.diff(gpus) >= 0)
    mw = np.broadcast_to(out["fleet.facility_power_mw"], gpus.shape)
    assert np.all(np.diff(mw) >= 0)


@given(scenarios(), st.lists(st.floats(0, 10_000), min_size=2, max_size=8, unique=True))
def test_profit_rises_with_price(s, prices) -> None:
    values = dict(s.values)
    p = np.sort(np.array(prices))
    values["pricing.charge_per_minute_usd"] = p
    profit = np.broadcast_to(host_economics(Values(values))["host.profit_usd_per_day"], p.shape)
    assert np.all(np.diff(profit) >= 0)
    if values["pricing.utilization_hours_per_day"] > 0:
        # strictly, wherever the price step is not lost in float rounding
        visible = np.diff(p) * 60 * values["pricing.utilization_hours_per_day"] > \
            1e-9 * np.maximum(1.0, np.abs(profit[1:]))
        assert np.all(np.diff(profit)[visible] > 0)
    else:
        assert np.all(np.diff(profit) == 0)


@given(scenarios())
def test_break_even_agrees_with_projection(s) -> None:
    r = report_for(s)["host"]
    p = profit_projection(s.values, cycles=2)
    days = r["break_even_days"]
    life_months = s.values["host.lifespan_years"] * 12
    if days is None:
        # never: cumulative profit only falls or stays flat between purchases
        assume(p.profit.size > 1)
        first = p.profit[: int(life_months) + 1]
        assert np.all(np.diff(first) <= 1e-9 * max(1.0, abs(first).max()))
        return
    month = days / (365 / 12)
    assume(abs(month - round(month)) > 1e-6)  # exact boundaries depend on float rounding
    if math.ceil(month) < life_months:
        assert p.break_even_month == math.ceil(month)


@given(scenarios(), st.sampled_from(["fleet.users", "pricing.concurrent_threads",
                                     "pricing.utilization_hours_per_day", "gpu.bandwidth_tb_s",
                                     "serving.min_tokens_per_s_per_stream",
                                     "model.total_params_b"]),
       st.data())
def test_grid_equals_scalar_at_each_point(s, key, data) -> None:
    from infracalc_tui.scenario import BY_PATH

    from .strategies import value_strategy

    points = data.draw(st.lists(value_strategy(BY_PATH[key]), min_size=1, max_size=5))
    if key == "model.total_params_b":
        points = [max(p, s.values["model.active_params_b"]) for p in points]
    grid = evaluate({**s.values, key: np.array(points, dtype=float)})
    for i, point in enumerate(points):
        one = evaluate({**s.values, key: point})
        for name, value in one.items():
            if name == "fleet.gpus_by_candidate":  # has a trailing axis of replica widths
                continue
            g = np.broadcast_to(grid[name], (len(points),))[i]
            assert np.allclose(g, value, rtol=1e-12, equal_nan=True), (key, name)


@given(scenarios())
def test_batch_respects_memory_and_speed(s) -> None:
    r = report_for(s)
    t = r["throughput"]
    assert t["batch"] >= 1
    if t["batch"] > 1:
        assert t["batch"] <= t["batch_memory_limit"]
        smin = s.values["serving.min_tokens_per_s_per_stream"]
        if s.values["serving.throughput"] == "estimate":
            assert t["decode_tokens_per_s_per_stream"] >= smin * (1 - 1e-9)


@given(scenarios())
def test_save_load_round_trip(s) -> None:
    again = parse(dumps(s), "roundtrip.toml")
    assert again.values == s.values
    assert again.explicit == s.explicit
