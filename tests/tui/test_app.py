"""Pilot tests: every binding and flow of the app, against the engine's own figures."""

import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from infracalc_tui import prefetch
from infracalc_tui.calc import report_for
from infracalc_tui.config import Config
from infracalc_tui.scenario import load
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.screens.dialogs import (
    ConfirmScreen,
    HelpScreen,
    OpenScreen,
    SaveAsScreen,
)
from infracalc_tui.tui.screens.explain import ExplainScreen
from infracalc_tui.tui.widgets.figures import FiguresTable, figure_text
from infracalc_tui.tui.widgets.inputs import field_id
from infracalc_tui.tui.widgets.table import LineTable
from infracalc_tui.tui.widgets.tabs import TabbedPanes

from ..conftest import pilot_wait_until
from .conftest import ReadyApp, make_app


def cell(app, table_id: str, path: str) -> str:
    return str(app.query_one(table_id, FiguresTable).get_cell(path, "value"))


async def type_into(pilot, path: str, text: str) -> None:
    app = pilot.app
    app.main.focus_field(path)
    await pilot.pause()
    field = app.query_one(f"#{field_id(path)}", Input)
    field.value = ""
    await pilot.press(*text)
    await pilot.pause()


async def test_opens_on_the_scenarios_tab_with_engine_figures() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.query_one("#tabs", TabbedPanes).active == "host"
        assert cell(app, "#host-figures", "host.profit_usd_per_day") == "$12.89/day"
        assert cell(app, "#host-figures", "host.break_even_days") == "295 days"
        assert "70B model at $0.02/min" in app.title and "*" not in app.title
        # the file's own weight_bits survives opening (presets are not re-applied)
        assert app.main.scenario.values["model.weight_bits"] == 4.82


async def test_edit_a_value_and_see_the_engines_figure() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "pricing.charge_per_minute_usd", "$0.04")
        assert app.main.scenario.values["pricing.charge_per_minute_usd"] == 0.04
        expected = report_for(presets()["llama70b-own-hardware"].scenario.with_value(
            "pricing.charge_per_minute_usd", 0.04))["host"]["revenue_usd_per_day"]
        assert expected == pytest.approx(38.4)
        assert cell(app, "#host-figures", "host.revenue_usd_per_day") == "$38.40/day"
        assert app.title.endswith("*")


async def test_people_numbers_and_nudges() -> None:
    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "fleet.users", "2B")
        assert app.main.scenario.values["fleet.users"] == 2e9
        await pilot.press("up")  # +1e8
        await pilot.pause()
        assert app.main.scenario.values["fleet.users"] == pytest.approx(2.1e9)
        await pilot.press("shift+down")  # -10 steps of 1e8
        await pilot.pause()
        assert app.main.scenario.values["fleet.users"] == pytest.approx(1.1e9)


async def test_invalid_value_is_marked_and_results_stay() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        before = cell(app, "#host-figures", "host.profit_usd_per_day")
        await type_into(pilot, "pricing.concurrent_threads", "0")
        field = app.query_one(f"#{field_id('pricing.concurrent_threads')}", Input)
        assert field.has_class("-bad-value")
        assert "from 1 to" in app.main.errors["pricing.concurrent_threads"]
        assert cell(app, "#host-figures", "host.profit_usd_per_day") == before
        await type_into(pilot, "pricing.concurrent_threads", "abc")
        assert "not a number" in app.main.errors["pricing.concurrent_threads"]
        await type_into(pilot, "pricing.concurrent_threads", "3")
        assert not field.has_class("-bad-value")
        assert app.main.scenario.values["pricing.concurrent_threads"] == 3


async def test_text_being_fixed_survives_edits_elsewhere() -> None:
    """An invalid entry stays as typed (and marked) while other fields change; a preset that
    replaces that value with a valid one clears the mark."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "gpu.memory_gb", "24 GB?")
        mem = app.query_one(f"#{field_id('gpu.memory_gb')}", Input)
        assert mem.has_class("-bad-value")
        await type_into(pilot, "pricing.charge_per_minute_usd", "0.03")
        assert app.main.scenario.values["pricing.charge_per_minute_usd"] == 0.03
        assert mem.value == "24 GB?" and mem.has_class("-bad-value")
        app.query_one(f"#{field_id('gpu.preset')}").value = "h100-pcie"
        await pilot.pause()
        assert mem.value == "85.52" and not mem.has_class("-bad-value")  # 81,559 MiB
        assert "gpu.memory_gb" not in app.main.errors


async def test_preset_picker_fills_fields() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(f"#{field_id('gpu.preset')}").value = "h100-pcie"
        await pilot.pause()
        assert app.main.scenario.values["gpu.memory_gb"] == 85.52  # an "80 GB" H100: 81,559 MiB
        mem = app.query_one(f"#{field_id('gpu.memory_gb')}", Input)
        assert mem.value == "85.52"


async def test_explain_a_headline_figure() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one("#host-figures", FiguresTable)
        table.focus()
        table.move_cursor(row=list(table.paths).index("host.break_even_days"))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)
        assert app.screen.explanation.key == "host.break_even_days"
        assert "5200 / (19.2 - 1.56 - 0)" in app.screen.explanation.substituted
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExplainScreen)


async def test_save_reopen_equal_values(user_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "pricing.utilization_hours_per_day", "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)  # a shipped preset asks for a name
        box = app.screen.query_one(Input)
        box.focus()
        box.value = "my plan"
        await pilot.press("enter")
        await pilot.pause()
        saved = user_dirs / "data" / "scenarios" / "my plan.toml"
        assert saved.exists() and app.main.path == saved and "*" not in app.title
        assert load(saved).values == app.main.scenario.values
        await type_into(pilot, "pricing.utilization_hours_per_day", "12")
        await pilot.press("ctrl+s")  # known path: saves at once
        await pilot.pause()
        assert load(saved).values["pricing.utilization_hours_per_day"] == 12


async def test_failed_save_keeps_state(user_dirs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import infracalc_tui.tui.services.documents as appmod

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(appmod, "save", boom)
    target = user_dirs / "x.toml"
    app = make_app(path=target)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "pricing.utilization_hours_per_day", "10")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.main.dirty
        assert app.main.scenario.values["pricing.utilization_hours_per_day"] == 10
        assert not target.exists()


async def test_open_a_preset_and_new() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        labels = [label for label, _ in app.screen.entries]
        idx = next(i for i, lbl in enumerate(labels) if "GPT-4o" in lbl)
        app.screen.dismiss(app.screen.entries[idx][1])
        await pilot.pause()
        assert app.main.scenario.name == "GPT-4o for 1B users"
        assert app.query_one("#tabs", TabbedPanes).active == "fleet"
        assert app.main.path is None  # shipped presets are never overwritten
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, OpenScreen)
        await pilot.press("escape")


async def test_unsaved_changes_guard_on_quit() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await type_into(pilot, "pricing.concurrent_threads", "1")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
    assert app.return_value == 0


async def test_a_click_on_the_tab_bar_opens_that_tab() -> None:
    from infracalc_tui.tui.widgets.tabs import TabBar

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await app.until_ready(pilot)
        bar = app.query_one(TabBar)
        # " Fleet F3 " covers columns 0-9, a space, then " Host F4 " covers 11-19
        assert [bar.key_at(x) for x in (0, 9, 10, 11, 19, 20, 21)] == \
            ["fleet", "fleet", None, "host", "host", None, "compare"]
        await pilot.click(TabBar, offset=(14, 0))
        await pilot.pause()
        assert app.query_one("#tabs", TabbedPanes).active == "host"
        assert app.query_one("#host").display and not app.query_one("#fleet").display
        assert cell(app, "#host-figures", "host.profit_usd_per_day") == \
            figure_text(app.main.report, "host.profit_usd_per_day")
        await pilot.click(TabBar, offset=(10, 0))  # the gap between labels: nothing changes
        await pilot.pause()
        assert app.query_one("#tabs", TabbedPanes).active == "host"
        app.query_one("#tabs", TabbedPanes).active = "nowhere"  # not a tab: ignored
        assert app.query_one("#tabs", TabbedPanes).active == "host"


async def test_tabs_help_animate_and_compare() -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        assert app.query_one("#tabs", TabbedPanes).active == "fleet"
        await pilot.press("f5")
        await pilot.pause()
        table = app.query_one("#compare-table", LineTable)
        assert table.row_count == len(app.main.compare.configs(app.main.scenario)) == 5
        await pilot.press("f7")
        await pilot.pause()
        app.screen.dismiss(Path("l40s"))
        await pilot.pause()
        assert table.row_count == 6
        assert app.focused is table  # the cursor follows from the figures to the table
        await pilot.press("delete")
        await pilot.pause()
        assert table.row_count == 5
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f6")
        await pilot_wait_until(pilot, lambda: app.main.animation.threads is not None, 10.0,
                               "the first step of the F6 thread animation")
        assert app.main.animation.running
        await pilot.press("f6")  # stop
        await pilot.pause()
        assert app.main.animation.threads is None
        assert not app.main.dirty  # animating never edits the scenario


async def test_theme_switch_is_remembered(user_dirs: Path) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        assert "infracalc-paper" in app.available_themes
        app.theme = "infracalc-paper"
        await pilot.pause()
    text = (user_dirs / "config" / "config.toml").read_text()
    assert 'theme = "infracalc-paper"' in text


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (20, 8)])
async def test_small_terminals(size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        assert app.screen.has_class("narrow")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert app.is_running


async def test_the_small_screen_hint_counts_the_charts() -> None:
    """The hint is written at the first paint, before the charts arrive: it then caught up
    with them only after a resize, and read "F8: charts (0)" meanwhile."""
    app = make_app()  # opens on Host
    async with app.run_test(size=(80, 24)) as pilot:
        await app.until_ready(pilot)
        assert str(app.query_one("#host-hint").render()).startswith("F8 charts (6)")
        assert str(app.query_one("#fleet-hint").render()).startswith("F8 charts (5)")


async def test_charts_page_with_f8_and_stay_legible() -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        deck = app.query_one("#host-deck")
        top = app.query_one("#host .top")
        # small screen: figures first, then one chart per view, back to figures after the last
        assert top.display and not deck.display
        await pilot.press("f8")
        await pilot.pause()
        assert not top.display and deck.display and deck.per_page == 1
        chart = deck.charts[0]
        assert chart.display and chart.size.height >= 12 and chart.size.width >= 70
        assert chart.data is not None  # computed when shown
        assert deck.charts[3].grid is None  # pages not shown are not computed
        for _ in range(len(deck.charts)):
            await pilot.press("f8")
        await pilot.pause()
        assert top.display and not deck.display
        await pilot.press("f9")
        await pilot.pause()
        assert deck.charts[-1].display and deck.charts[-1].data is not None
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        # wide screen: figures and a page of charts together, each at least 36x11, and the
        # main chart (page 0, alone on its row) at least 60 columns wide
        assert top.display and deck.display
        shown = [c for c in deck.charts if c.display]
        assert shown and len(shown) == deck.per_page
        assert all(c.size.width >= 36 and c.size.height >= 11 for c in shown)
        deck.set_page(0)
        await pilot.pause()
        assert deck.charts[0].display and deck.charts[0].size.width >= 60


async def test_f2_puts_the_cursor_in_the_tabs_key_input_and_typing_replaces() -> None:
    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        users = app.query_one(f"#{field_id('fleet.users')}")
        assert app.focused is users
        # scrolled to: the pane shown just now must not stay at its top (the model's keys)
        await pilot_wait_until(pilot, lambda: app.query_one("#inputs-pane").region
                               .contains_region(users.region), 5.0, "the field on screen")
        await pilot.press("2", "B")
        await pilot.pause()
        assert app.main.scenario.values["fleet.users"] == 2e9
        await pilot.press("f2")  # F2 again: still in the inputs (F2 never hides them)
        await pilot.pause()
        assert app.focused is app.query_one(f"#{field_id('fleet.users')}")
        await pilot.press("f14")  # Shift+F2: back to the results, out of the hidden field
        await pilot.pause()
        assert app.focused is app.query_one("#fleet-figures")
        assert cell(app, "#fleet-figures", "fleet.gpus") == \
            f"{report_for(app.main.scenario)['fleet']['gpus'] / 1e3:.0f}k GPUs"
        await pilot.press("f4")  # the Host tab's key input is the price
        await pilot.press("f2")
        await pilot.pause()
        assert app.focused is app.query_one(f"#{field_id('fleet.users')}")  # the last one used


async def test_f2_at_120_columns_goes_to_the_inputs_and_shift_f2_hides_them() -> None:
    """At 120 columns the inputs show beside the results: the first F2 used to hide them."""
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(120, 40)) as pilot:
        inputs = app.query_one("#inputs")
        await pilot.press("f2")
        await pilot.pause()
        price = app.query_one(f"#{field_id('pricing.charge_per_minute_usd')}")
        assert app.focused is price and inputs.display
        await pilot.press("f14")  # Shift+F2 hides them; the cursor goes to the figures
        await pilot.pause()
        assert app.query_one("#inputs").styles.display != "block"
        assert app.focused is app.query_one("#host-figures")
        await pilot.press("f2")  # F2 shows them again, cursor in the field
        await pilot.pause()
        assert app.focused is price and app.query_one("#inputs").styles.display == "block"


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
async def test_the_first_figures_can_come_from_the_prefetching_child() -> None:
    """As `infracalc` starts: the scenario loaded and the report computed by a forked child
    fill the first screen."""
    child = prefetch.start(presets()["gpt4o-1b-users"].path)
    assert child is not None
    scenario = child.scenario()
    assert scenario == presets()["gpt4o-1b-users"].scenario
    app = ReadyApp(scenario, None, Config(), None, first_report=child)
    async with app.run_test(size=(120, 40)):
        assert app.main.report == report_for(scenario)
        assert cell(app, "#fleet-figures", "fleet.gpus") == \
            figure_text(report_for(scenario), "fleet.gpus")


@pytest.mark.parametrize("delay", [None, 0.001, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3])
async def test_quitting_in_the_first_moments_is_quiet(delay: float | None) -> None:
    """Quitting while the fields and charts were still arriving raised MountError (they
    were mounted into a screen already gone), or NoMatches from a Select whose parts were
    removed under it. ``None``: at the first paint, before anything else is mounted."""
    from infracalc_tui.tui.app import InfracalcApp

    class QuitEarly(InfracalcApp):
        def on_mount(self) -> None:  # runs before the app's own on_mount
            if delay is None:
                self.call_after_refresh(self.exit, 0)
            else:
                self.set_timer(delay, lambda: self.exit(0))

    app = QuitEarly(presets()["llama70b-own-hardware"].scenario, None, Config(), None)
    async with app.run_test(size=(120, 40)) as pilot:
        # the app quits by itself (a crash, too, ends its run); leaving this block sooner
        # would shut it down from outside, before its own early quit was tried
        await pilot_wait_until(pilot, lambda: not app.is_running, 10.0,
                               f"the app to quit by itself (exit after {delay} s)")
    assert app.return_value == 0


async def test_the_collector_runs_again_after_the_first_frame(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The command holds the garbage collector off until the first frame; the app must start
    it again (a long session would otherwise keep every reference cycle it ever made)."""
    import gc

    from infracalc_tui.tui.app import InfracalcApp
    from infracalc_tui.tui.screens.main import MainScreen

    seen: list[bool] = []
    mount_inputs = MainScreen._mount_inputs

    def watched(self: MainScreen) -> Any:  # scheduled just after the collector's restart
        seen.append(gc.isenabled())
        return mount_inputs(self)

    monkeypatch.setattr(MainScreen, "_mount_inputs", watched)
    gc.disable()  # as `infracalc` leaves it
    try:
        app = InfracalcApp(presets()["llama70b-own-hardware"].scenario, None, Config(), None)
        async with app.run_test(size=(120, 40)) as pilot:
            await app.until_ready(pilot)
            assert seen == [True] and gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        gc.enable()
