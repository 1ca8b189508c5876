"""A keystroke's figures come first and its charts just after (screens/pacing.py): the
figures are painted before the charts are even built, the charts follow within a few
frames, and they always end on the last value typed."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input

from infracalc_tui.tui.widgets.inputs import field_id

from ..conftest import pilot_wait_until
from .conftest import make_app

PRICE = "pricing.charge_per_minute_usd"
MONTH = 365 / 12  # days in the projection's month


def spy(log: list[str], obj: Any, name: str, label: str) -> None:
    original = getattr(obj, name)

    def wrapped(*args: Any, **kw: Any) -> Any:
        log.append(label)
        return original(*args, **kw)

    setattr(obj, name, wrapped)


async def settle(pilot: Any, price: float) -> None:
    main = pilot.app.main
    await pilot_wait_until(
        pilot, lambda: main.scenario.values[PRICE] == price and main._charts_due is None,
        5.0, f"the figures and charts of {price}")


async def test_the_figures_are_painted_before_the_charts_are_built() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.main.results_tab("host").figures
        chart = app.query_one("#host-projection")
        log: list[str] = []
        spy(log, table, "render_line", "figures painted")
        spy(log, chart, "show_data", "chart built")
        app.query_one(f"#{field_id(PRICE)}", Input).value = "0.04"
        await settle(pilot, 0.04)
        assert table.get_cell("host.revenue_usd_per_day") == "$38.40/day"  # 0.04·60·16
        assert "chart built" in log and "figures painted" in log
        assert log.index("figures painted") < log.index("chart built"), log
        # the projection's cumulative revenue after one month: $38.40/day x 365/12 days
        assert float(chart.data.revenue[1]) == 38.40 * MONTH


async def test_typing_fast_ends_on_the_charts_of_the_last_value() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        field = app.query_one(f"#{field_id(PRICE)}", Input)
        for text in ("0.03", "0.035", "0.05"):
            field.value = text
            await pilot.pause(0)
        await settle(pilot, 0.05)
        chart = app.query_one("#host-projection")
        assert float(chart.data.revenue[1]) == 48.0 * MONTH  # $0.05/min x 60 x 16 h


async def test_a_tab_opened_before_its_charts_came_catches_up() -> None:
    """A change on Host, then Fleet at once: Host's charts were not drawn for it; back on
    Host they show it."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(f"#{field_id(PRICE)}", Input).value = "0.04"
        await pilot_wait_until(pilot, lambda: app.main.scenario.values[PRICE] == 0.04, 5.0,
                               "the edit")
        app.main.action_show_tab("fleet")
        await pilot.pause()
        app.main.action_show_tab("host")
        await settle(pilot, 0.04)
        assert float(app.query_one("#host-projection").data.revenue[1]) == 38.40 * MONTH
