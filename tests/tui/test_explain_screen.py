"""The drill-down explanation dialog, driven by keys in an app of its own (not the main app:
the dialog must work wherever it is pushed)."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.widgets import OptionList, Static

from infracalc_tui.scenario import load
from infracalc_tui.scenario.catalog import engines
from infracalc_tui.tui.screens.explain import ExplainScreen

from ..conftest import pilot_wait_until

RTX = "scenarios/rtx4090-llama8b.toml"


class ExplainApp(App[None]):
    """Pushes one ExplainScreen on start and records what it was dismissed with."""

    def __init__(self, path: str, file: str = RTX) -> None:
        super().__init__()
        self.scenario, self.path = load(file), path
        self.closed: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(ExplainScreen(self.scenario, self.path), self.closed.append)


def text(screen: ExplainScreen, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}", Static).content)


async def started(pilot: Any) -> ExplainScreen:
    app = pilot.app
    screen = await pilot_wait_until(pilot, lambda: isinstance(app.screen, ExplainScreen)
                                    and app.screen, 10.0, "the explain dialog")
    await pilot.pause()
    return screen


async def test_drill_down_to_a_preset_input_and_back() -> None:
    app = ExplainApp("host.profit_usd_per_day")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        assert screen.trail == ["host.profit_usd_per_day"]
        assert text(screen, "explain-head").startswith("profit_usd_per_day = revenue_usd_per_day")
        assert "= 28.8 - 1.206 - 2.74 - 0 = 24.85" in text(screen, "explain-lines")
        terms = screen.query_one("#explain-terms", OptionList)
        assert terms.has_focus and terms.highlighted == 0
        assert [t.key for t in screen.current.terms] == [
            "host.revenue_usd_per_day", "host.electricity_usd_per_day",
            "host.depreciation_usd_per_day", "host.other_opex_usd_per_day"]

        await pilot.press("enter")  # the first term: revenue
        await pilot.pause()
        assert screen.trail == ["host.profit_usd_per_day", "host.revenue_usd_per_day"]
        assert text(screen, "explain-title").startswith("Profit per day › Revenue per day")
        assert "0.01 · 60 · 12 · 4 = 28.8" in text(screen, "explain-lines")
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.trail == ["host.profit_usd_per_day"]
        assert text(screen, "explain-title").startswith("Profit per day  (")

        await pilot.press("down", "enter")  # electricity
        await pilot.pause()
        await pilot.press("enter")  # its first term: power under load
        await pilot.pause()
        assert screen.current.key == "host.load_kw"
        assert [t.key for t in screen.current.terms] == ["host.gpu_count", "gpu.tdp_w",
                                                         "host.system_power_w"]
        await pilot.press("down", "enter")  # the GPU's board power: an input from the preset
        await pilot.pause()
        assert screen.trail == ["host.profit_usd_per_day", "host.electricity_usd_per_day",
                                "host.load_kw", "gpu.tdp_w"]
        assert text(screen, "explain-title") == (
            "Profit per day › Electricity per day › Power under load › Board power  (gpu.tdp_w)")
        body = text(screen, "explain-lines")
        assert "value from: preset rtx-4090" in body
        assert "allowed: a number from 0 to 100000" in body
        assert "One GPU's power at full load." in body
        assert screen.explanation is None
        assert not screen.query_one("#explain-terms", OptionList).display
        assert "end of the chain" in text(screen, "explain-terms-title")

        await pilot.press("left")  # back to power under load, the cursor where it was
        await pilot.pause()
        assert screen.current.key == "host.load_kw"
        assert screen.query_one("#explain-terms", OptionList).highlighted == 1
        await pilot.press("escape")  # closes every level at once
        await pilot_wait_until(pilot, lambda: app.closed == [None], 10.0, "the dismissal")
        assert not isinstance(app.screen, ExplainScreen)


async def test_inputs_show_file_default_and_derived_sources() -> None:
    app = ExplainApp("host.revenue_usd_per_day")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        await pilot.press("enter")  # pricing.charge_per_minute_usd, set in the file
        await pilot.pause()
        assert screen.current.key == "pricing.charge_per_minute_usd"
        assert "value from: file" in text(screen, "explain-lines")
        await pilot.press("escape")
        await pilot_wait_until(pilot, lambda: app.closed == [None], 10.0, "the dismissal")

    app = ExplainApp("throughput.weights_gb")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        screen.open_term(0)  # model.total_params_b, from the model preset
        await pilot.pause()
        assert "value from: preset llama-3.1-8b" in text(screen, "explain-lines")

    app = ExplainApp("throughput.step_time_compute_ms")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        keys = [t.key for t in screen.current.terms]
        screen.open_term(keys.index("model.active_params_b"))  # dense: derived from total
        await pilot.pause()
        assert "derived from model.total_params_b" in text(screen, "explain-lines")
        assert text(screen, "explain-terms-title") == "Derived from:"
        await pilot.press("enter")  # what it derives from is an input too
        await pilot.pause()
        assert screen.current.key == "model.total_params_b"


async def test_a_figure_in_words_still_explains() -> None:
    app = ExplainApp("throughput.engine")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        assert text(screen, "explain-head") == "engine = llama.cpp"
        assert "because: set in serving.engine" in text(screen, "explain-lines")
        assert screen.current.terms[0].key == "serving.engine"
        await pilot.press("enter")
        await pilot.pause()
        assert "value from: file" in text(screen, "explain-lines")
        await pilot.press("backspace", "backspace")  # back past the first level: closes
        await pilot_wait_until(pilot, lambda: app.closed == [None], 10.0, "the dismissal")


async def test_the_grounding_lists_its_measurements_and_opens_their_source() -> None:
    """Enter on "Speeds grounded in" lists the ledger points behind the engine profile;
    Enter on one opens its source with App.open_url (the browser tab, when served)."""
    app = ExplainApp("throughput.grounding_summary", "scenarios/gpt4o-1b-users.toml")
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await started(pilot)
        links = screen.query_one("#explain-links")
        # the 15 vLLM points on NVIDIA HBM GPUs, the ones its grounding counts
        assert links.display and links.option_count == len(screen.current.links) == 15
        assert engines()["vllm"].grounding("hbm")[0] == 15
        links.focus()
        links.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert opened == [screen.current.links[0][1]] and opened[0].startswith("https://")
