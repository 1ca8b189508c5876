"""An [uncertainty] table on the dashboard: P10/P50/P90 beside the figures and the bands on
the charts arrive from a worker, after the keystroke's frame, and only for the scenario
they were computed for."""

from __future__ import annotations

from pathlib import Path

from infracalc_tui.engine.uncertainty import percentiles
from infracalc_tui.scenario import load
from infracalc_tui.tui.uncertainty_view import SAMPLES, SEED

from ..conftest import pilot_wait_until
from .conftest import ReadyApp

BOX = Path(__file__).resolve().parents[2] / "scenarios" / "llama70b-own-hardware.toml"
RANGES = ('\n[uncertainty]\n"pricing.utilization_hours_per_day" = { low = 4, high = 12 }\n'
          '"pricing.charge_per_minute_usd" = { low = 0.015, high = 0.025, dist = "uniform" }\n')


async def test_ranges_and_bands_follow_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(BOX.read_text() + RANGES)
    scenario = load(path)
    app = ReadyApp(scenario, path)
    async with app.run_test(size=(120, 40)) as pilot:
        ranges = app.query_one("#host-ranges")
        await pilot_wait_until(pilot, lambda: ranges.display, 20.0, "the host's ranges")
        expected = percentiles(scenario.inputs, scenario.uncertainty_spec(), SAMPLES, SEED,
                               ("host.profit_usd_per_day",))["host.profit_usd_per_day"]
        text = str(ranges.render())
        assert text.startswith("P10 / P50 / P90\nof 2,000 runs\n")
        lines = text.split("\n")
        values = lines[lines.index("Profit/day:") + 1].split(" ")
        assert len(values) == 3 and values[0].startswith(f"${expected['p10']:.3g}"[:4])
        chart = app.query_one("#host-projection")
        assert chart.bands is not None
        # an edit: the old bands stay until the new ones come, for the new scenario
        app.main.scenario = app.main.scenario.with_value("pricing.charge_per_minute_usd", 0.03)
        app.main.changed()
        first = app.main.uncertainty.shown
        await pilot_wait_until(pilot, lambda: app.main.uncertainty.shown is not first
                               and app.main.uncertainty.shown.scenario is app.main.scenario,
                               20.0, "the ranges of the edited scenario")


async def test_a_scenario_without_ranges_shows_none() -> None:
    app = ReadyApp(load(BOX), BOX)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not app.query_one("#host-ranges").display
        assert app.query_one("#host-projection").bands is None
