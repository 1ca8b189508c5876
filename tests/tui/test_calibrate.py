"""Calibrate from a measurement, in the app: pick the figure, type the value, enter."""

from __future__ import annotations

import inspect

from pytest import approx

from infracalc_tui.tui.screens.calibrate import CalibrateScreen

from .conftest import make_app
from .test_app import cell


async def test_calibrating_to_a_measured_speed_pins_the_figure() -> None:
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.main.report["host"]["decode_tokens_per_s_per_stream"]
        app.main.action_calibrate()
        await pilot.pause()
        assert isinstance(app.screen, CalibrateScreen)
        await pilot.press("enter")  # the first figure: host speed per stream
        await pilot.press(*"19.1", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, CalibrateScreen)
        assert app.main.report["host"]["decode_tokens_per_s_per_stream"] == approx(19.1, rel=2e-3)
        assert before != approx(19.1, rel=0.05)
        assert app.main.scenario.explicit["serving.measured"] == \
            "host.decode_tokens_per_s_per_stream=19.1"
        assert "*" in app.title  # an unsaved change, not a silent rewrite of the file
        app.main.action_show_tab("host")
        await pilot.pause()
        assert cell(app, "#host-figures", "throughput.grounding_summary") == "your measurement"
        assert app.main.report["throughput"]["grounding"].startswith(
            "your measurement: host.decode_tokens_per_s_per_stream=19.1")


async def test_a_value_that_is_not_a_number_keeps_the_dialog_open() -> None:
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(80, 24)) as pilot:
        app.main.action_calibrate()
        await pilot.pause()
        await pilot.press("enter", *"fast", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CalibrateScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "serving.measured" not in app.main.scenario.explicit


async def test_every_headline_row_explains_itself() -> None:
    """Enter on a figure in words (engine, grounding) or a new one opens its explanation."""
    from infracalc_tui.tui.screens.explain import ExplainScreen
    from infracalc_tui.tui.widgets.figures import FiguresTable

    app = make_app("gpt4o-1b-users")
    async with app.run_test(size=(120, 40)) as pilot:
        for tab in ("fleet", "host"):
            app.main.action_show_tab(tab)
            await pilot.pause()
            table = app.query_one(f"#{tab}-figures", FiguresTable)
            for path in ("throughput.engine", "throughput.grounding_summary",
                         "throughput.energy_per_output_token_j"):
                if path not in table.paths:
                    continue
                table.cursor_row = table.paths.index(path)
                table.action_explain()
                await pilot.pause()
                assert isinstance(app.screen, ExplainScreen), path
                assert app.screen.explanation.key == path
                await pilot.press("escape")
                await pilot.pause()


def test_the_private_textual_api_the_guards_override_is_still_there() -> None:
    """Fails loudly when a Textual upgrade moves what textual_fixes overrides."""
    from infracalc_tui.tui.textual_fixes import check_private_api

    check_private_api()


async def test_a_key_after_the_screens_are_gone_is_dropped() -> None:
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(80, 24)):
        stack = app.screen_stack
    from textual import events

    assert not app.screen_stack or stack  # closed: its screens are gone
    key = events.Key("a", "a")
    for _cls, method in app._get_dispatch_methods("on_key", key):  # as Textual dispatches
        result = method(key)  # QuietClose stops the walk before App._on_key asks for one
        if inspect.isawaitable(result):
            await result
    assert key._no_default_action


async def test_a_key_is_handled_once() -> None:
    """The guard must not run the App's key handling a second time (F6 twice = off)."""
    app = make_app("llama70b-own-hardware")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert app.main.animation.running
        await pilot.press("f6")
        await pilot.pause()
        assert not app.main.animation.running
