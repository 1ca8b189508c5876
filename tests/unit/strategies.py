"""Hypothesis strategies for valid scenarios, drawn from the schema's own ranges."""

from typing import Any

from hypothesis import strategies as st

from infracalc_tui.scenario import BY_PATH, FIELDS, Field, Scenario
from infracalc_tui.scenario.catalog import gpus, models

#: Choices the engine branches on, drawn together in about half the scenarios so that every
#: engine profile, cache, mode and power model is met often (not just when the optional key
#: happens to be drawn and its value happens to matter).
BRANCHES = ("serving.engine", "serving.kv_cache", "serving.throughput",
            "serving.tensor_parallel_rule", "host.multi_gpu", "host.power_model")


def value_strategy(f: Field) -> st.SearchStrategy[Any]:
    if f.kind == "choice":
        return st.sampled_from(f.choices)
    if f.kind == "preset":
        keys = list(models() if f.section == "model" else gpus())
        return st.sampled_from(["", *keys])
    if f.kind == "str":
        return st.text(max_size=20)
    assert f.lo is not None and f.hi is not None
    if f.kind == "int":
        return st.integers(int(f.lo), int(f.hi))
    return st.floats(f.lo, f.hi, allow_nan=False, allow_infinity=False,
                     exclude_min=f.lo_open)




@st.composite
def scenarios(draw: st.DrawFn, fields: tuple[Field, ...] = FIELDS) -> Scenario:
    explicit = draw(st.fixed_dictionaries(
        {}, optional={f.path: value_strategy(f) for f in fields}))
    if fields is FIELDS and draw(st.booleans()):
        explicit.update({k: draw(st.sampled_from(BY_PATH[k].choices)) for k in BRANCHES})
    s = Scenario("hypothesis", "", explicit)
    v = s.values
    if fields is FIELDS and draw(st.booleans()) and not v["model.kv_values_per_token"]:
        # sliding windows, often shorter than the tokens a stream holds (gpt-oss: 128)
        s = s.without("model.kv_bytes_per_token")
        s = s.with_value("model.sliding_window_layers",
                         draw(st.integers(1, v["model.layers"])))
        s = s.with_value("model.sliding_window_tokens", draw(st.integers(1, 8192)))
        v = s.values
    if v["model.active_params_b"] > v["model.total_params_b"]:
        s = s.with_value("model.active_params_b", v["model.total_params_b"])
    if v["model.sliding_window_layers"] > v["model.layers"]:
        s = s.with_value("model.sliding_window_layers", v["model.layers"])
    assert not s.problems()
    return s
