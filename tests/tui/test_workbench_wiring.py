"""The workbench from the dashboard: `s` on a figure solves for it, `t` shows what moves it,
the palette compares with another file; an applied answer is an unsaved edit."""

from __future__ import annotations

from infracalc_tui.tui.screens.diff import DiffScreen
from infracalc_tui.tui.screens.sensitivity import TornadoScreen
from infracalc_tui.tui.screens.solve import SolveScreen
from infracalc_tui.tui.widgets.figures import FiguresTable

from ..conftest import pilot_wait_until
from .conftest import make_app


async def test_s_and_t_on_a_figure_open_its_solve_and_its_tornado() -> None:
    app = make_app("llama70b-own-hardware")
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one("#host-figures", FiguresTable)
        table.focus()
        table.cursor_row = table.paths.index("host.break_even_days")
        await pilot.press("s")
        await pilot_wait_until(pilot, lambda: isinstance(app.screen, SolveScreen), 5.0,
                               "the solve dialog")
        assert app.screen.target == "host.break_even_days"
        app.screen.dismiss(("pricing.utilization_hours_per_day", 6.5))
        await pilot_wait_until(
            pilot, lambda: app.main.scenario.values["pricing.utilization_hours_per_day"] == 6.5,
            5.0, "the answer applied")
        assert app.main.dirty and app.title.endswith("*")
        await pilot.press("t")
        await pilot_wait_until(pilot, lambda: isinstance(app.screen, TornadoScreen), 5.0,
                               "the tornado")
        assert app.screen.metric == "host.break_even_days"


async def test_the_palette_compares_with_another_scenario() -> None:
    app = make_app("llama70b-own-hardware")
    async with app.run_test(size=(120, 40)) as pilot:
        await app.main.run_action("compare_file")
        await pilot.pause()
        picker = app.screen
        entries = picker.entries  # type: ignore[attr-defined]
        other = next(p for label, p in entries if "rtx4090" in str(p))
        picker.dismiss(other)
        await pilot_wait_until(pilot, lambda: isinstance(app.screen, DiffScreen), 5.0,
                               "the differences")
