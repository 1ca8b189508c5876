"""Valid edge values give defined results (a number, null or a warning) in the engine, the
JSON report and the TUI: never NaN, Infinity or a ZeroDivisionError."""

import contextlib
import io
import json
import math
import re
from pathlib import Path

import pytest

from infracalc_tui import cli
from infracalc_tui.calc import report_for
from infracalc_tui.scenario import save
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.widgets.figures import FiguresTable

from .conftest import make_app

EDGES = {
    "no hours of use": {"pricing.utilization_hours_per_day": 0},
    "24 hours": {"pricing.utilization_hours_per_day": 24},
    "one user": {"fleet.users": 1},
    "1e11 users": {"fleet.users": 1e11},
    "free": {"pricing.charge_per_minute_usd": 0},
    "one thread": {"pricing.concurrent_threads": 1},
    "tiny price": {"pricing.charge_per_minute_usd": 1e-9},
    "huge price": {"pricing.charge_per_minute_usd": 10_000},
    "fits nowhere": {"model.preset": "", "model.total_params_b": 5000,
                     "model.active_params_b": 5000, "host.gpu_count": 1},
}
NAN = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


def scenario(preset: str, edge: dict):
    s = presets()[preset].scenario
    for key, value in edge.items():
        s = s.with_preset("model", value) if key == "model.preset" else s.with_value(key, value)
    assert not s.problems(), s.problems()
    return s


def finite(obj) -> None:
    if isinstance(obj, float):
        assert math.isfinite(obj)
    elif isinstance(obj, dict):
        for v in obj.values():
            finite(v)
    elif isinstance(obj, list):
        for v in obj:
            finite(v)


@pytest.mark.parametrize("name", EDGES)
@pytest.mark.parametrize("preset", ["llama70b-own-hardware", "gpt4o-1b-users"])
def test_edge_values_are_defined_in_the_engine_and_the_json(tmp_path: Path, preset: str,
                                                           name: str) -> None:
    s = scenario(preset, EDGES[name])
    finite(report_for(s))  # the engine
    path = tmp_path / "edge.toml"
    save(s, path)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli.main(["report", str(path), "--format", "json"]) == 0
    finite(json.loads(out.getvalue(), parse_constant=lambda c: pytest.fail(c)))  # the JSON


@pytest.mark.parametrize("preset", ["llama70b-own-hardware", "gpt4o-1b-users"])
async def test_edge_values_show_no_nan_in_the_app(preset: str) -> None:
    """One app per preset, each edge opened in turn (as File > Open would load it)."""
    app = make_app(preset)
    async with app.run_test(size=(120, 40)) as pilot:
        for name, edge in EDGES.items():
            app.main.load_scenario(scenario(preset, edge), None)
            for tab in ("f3", "f4"):
                await pilot.press(tab)
                await pilot.pause()
                table = app.query_one(f"#{'fleet' if tab == 'f3' else 'host'}-figures",
                                      FiguresTable)
                shown = " ".join(table.get_cell(p) for p in table.paths)
                assert app.main.scenario.values == scenario(preset, edge).values, name
                assert not NAN.search(shown), (name, shown)
