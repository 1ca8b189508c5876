"""Calibrate from a measurement, in the app: pick the figure, type the value, enter."""

from __future__ import annotations

from pytest import approx

from infracalc_tui.tui.screens.calibrate import CalibrateScreen

from .conftest import make_app
from .test_app import cell


async def test_calibrating_to_a_measured_speed_pins_the_figure() -> None:
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.report["host"]["decode_tokens_per_s_per_stream"]
        app.action_calibrate()
        await pilot.pause()
        assert isinstance(app.screen, CalibrateScreen)
        await pilot.press("enter")  # the first figure: host speed per stream
        await pilot.press(*"19.1", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, CalibrateScreen)
        assert app.report["host"]["decode_tokens_per_s_per_stream"] == approx(19.1, rel=2e-3)
        assert before != approx(19.1, rel=0.05)
        assert app.scenario.explicit["serving.measured"] == \
            "host.decode_tokens_per_s_per_stream=19.1"
        assert "*" in app.title  # an unsaved change, not a silent rewrite of the file
        app.action_show_tab("host")
        await pilot.pause()
        assert cell(app, "#host-figures", "throughput.grounding_summary") == "your measurement"
        assert app.report["throughput"]["grounding"].startswith(
            "your measurement: host.decode_tokens_per_s_per_stream=19.1")


async def test_a_value_that_is_not_a_number_keeps_the_dialog_open() -> None:
    app = make_app("rtx4090-llama8b")
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_calibrate()
        await pilot.pause()
        await pilot.press("enter", *"fast", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CalibrateScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert "serving.measured" not in app.scenario.explicit
