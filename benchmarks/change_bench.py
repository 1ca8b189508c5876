"""In-process latency of one input change, and of a held key, at 120x40 on each tab.

A change is timed from setting the field's text to the end of the render of the tab's
headline figures (``figures``), and of the last widget that depends on it, charts included
(``change``), by wrapping those widgets' ``render_lines``. Each tab is timed without and with
an ``[uncertainty]`` (its P10/P50/P90 and bands on screen). Pilot's own press/pause costs are
not counted.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

# (tab, field changed, values cycled through, uncertainty bands shown)
CASES = [
    ("fleet", "fleet.users", ["1.1B", "1.2B", "900M", "2B", "500M"], False),
    ("host", "pricing.charge_per_minute_usd", ["0.021", "0.025", "0.03", "0.015"], False),
    ("compare", "pricing.charge_per_minute_usd", ["0.022", "0.024", "0.018"], False),
    ("fleet", "fleet.users", ["1.1B", "1.2B", "900M", "2B", "500M"], True),
    ("host", "pricing.charge_per_minute_usd", ["0.021", "0.025", "0.03", "0.015"], True),
]
#: the [uncertainty] of the cases with bands: P10/P50/P90 beside the figures, bands on charts
UNCERTAINTY = {"serving.mbu": {"low": 0.4, "high": 0.8},
               "pricing.utilization_hours_per_day": {"low": 4, "high": 12},
               "fleet.peak_to_average": {"low": 1.2, "high": 2.5}}


def _isolated_dirs() -> None:
    base = Path(tempfile.mkdtemp(prefix="infracalc-bench-"))
    for var in ("INFRACALC_CONFIG_DIR", "INFRACALC_DATA_DIR", "INFRACALC_STATE_DIR"):
        os.environ[var] = str(base / var.lower())


def _app(preset: str, bands: bool = False) -> Any:
    import dataclasses

    from infracalc_tui.config import Config
    from infracalc_tui.scenario.presets import presets
    from infracalc_tui.tui.app import InfracalcApp

    scenario = presets()[preset].scenario
    if bands:
        scenario = dataclasses.replace(scenario, uncertainty=UNCERTAINTY)
    return InfracalcApp(scenario, None, Config(theme="infracalc-midnight",
                                               cursor_blink=False), None)


def _figures(app: Any, tab: str) -> list[Any]:
    """The widgets that show the tab's numbers (the Compare table is its figures)."""
    if tab == "compare":
        return [app.query_one("#compare-table")]
    return [app.query_one(f"#{tab}-figures")]


def _dependents(app: Any, tab: str) -> list[Any]:
    if tab == "compare":
        return [*_figures(app, tab), app.query_one("#compare-chart")]
    deck = app.query_one(f"#{tab}-deck")
    return [*_figures(app, tab), *(c for c in deck.charts if c.display)]


class _Spy:
    """When each widget last asked to be repainted, and last finished rendering."""

    def __init__(self, widgets: list[Any]) -> None:
        self.widgets = widgets
        self.asked: dict[int, float] = {}
        self.drawn: dict[int, float] = {}
        for w in widgets:
            self._wrap(w)

    def _wrap(self, w: Any) -> None:
        render_lines, refresh = w.render_lines, w.refresh

        def wrapped_render(crop: Any) -> Any:
            lines = render_lines(crop)
            self.drawn[id(w)] = time.perf_counter()
            return lines

        def wrapped_refresh(*args: Any, **kw: Any) -> Any:
            self.asked[id(w)] = time.perf_counter()
            return refresh(*args, **kw)

        w.render_lines, w.refresh = wrapped_render, wrapped_refresh

    async def settled(self, t0: float, ready: Any, timeout: float = 2.0) -> float:
        """Seconds from t0 until ``ready()`` holds and every widget repainted since t0 has
        rendered; widgets whose content did not change are already right."""
        end = t0 + timeout
        while not ready():
            if time.perf_counter() > end:
                raise TimeoutError("the app never took the change")
            await asyncio.sleep(0.0005)
        done = time.perf_counter()
        while time.perf_counter() < end:
            pending = [k for k, t in self.asked.items() if t > t0 and self.drawn.get(k, 0) < t]
            if not pending:
                drawn = [t for k, t in self.drawn.items() if t > t0]
                return max([done, *drawn]) - t0
            await asyncio.sleep(0.0005)
        names = [w.id for w in self.widgets
                 if self.asked.get(id(w), 0) > t0 and self.drawn.get(id(w), 0) < self.asked[id(w)]]
        raise TimeoutError(f"never rendered the change: {names}")


async def _ready(app: Any, pilot: Any) -> None:
    """Wait until every field is mounted (they arrive group by group after the first paint)."""
    await app.until_ready(pilot)


async def _changes(tab: str, path: str, texts: list[str], n: int, bands: bool
                   ) -> tuple[list[float], list[float]]:
    """(ms until the figures showed the change, ms until the charts did too) per change."""
    from textual.widgets import Input

    from infracalc_tui.scenario.numbers import parse_number
    from infracalc_tui.tui.widgets.inputs import field_id

    app = _app("gpt4o-1b-users" if tab == "fleet" else "llama70b-own-hardware", bands)
    figures: list[float] = []
    out: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        app.main.action_show_tab(tab)
        app.main.focus_field(path)  # the cursor is in the field, as when typing
        await pilot.pause(0.3)
        if bands:  # the first Monte Carlo's ranges and bands are on screen
            end = time.perf_counter() + 10.0
            while app.main.uncertainty.shown is None and time.perf_counter() < end:
                await pilot.pause(0.05)
            if app.main.uncertainty.shown is None:
                raise TimeoutError("the Monte Carlo never came back")
            await pilot.pause(0.3)
        field = app.query_one(f"#{field_id(path)}", Input)
        first = _Spy(_figures(app, tab))
        spy = _Spy(_dependents(app, tab))
        for i in range(n + 3):
            text = texts[i % len(texts)]
            if field.value == text:
                text = texts[(i + 1) % len(texts)]
            value = parse_number(text)
            await pilot.pause(0.02)  # idle between changes, as between keystrokes
            t0 = time.perf_counter()
            field.value = text
            def ready(v: float = value) -> bool:
                return bool(app.main.scenario.values[path] == v)

            def charted(v: float = value) -> bool:  # and no chart is still to be built
                return ready(v) and app.main._charts_due is None

            shown = await first.settled(t0, ready)
            took = await spy.settled(t0, charted)
            if i >= 3:  # the first changes warm caches
                figures.append(shown * 1e3)
                out.append(took * 1e3)
    return figures, out


async def _burst(rate_hz: float = 30.0, seconds: float = 2.0) -> float:
    """Hold ↑ on the price: 30 changes a second for 2 s; time from the last change until the
    screen shows the engine's figures for the final value."""
    from infracalc_tui.calc import report_for
    from infracalc_tui.scenario.numbers import parse_number
    from infracalc_tui.tui.widgets.figures import figure_text

    app = _app("llama70b-own-hardware")
    async with app.run_test(size=(120, 40)) as pilot:
        await _ready(app, pilot)
        app.main.action_show_tab("host")
        app.main.focus_field("pricing.charge_per_minute_usd")
        await pilot.pause(0.3)
        field = app.focused
        spy = _Spy(_dependents(app, "host"))
        period = 1.0 / rate_hz
        start = time.perf_counter()
        for k in range(int(rate_hz * seconds)):
            target = start + k * period
            while time.perf_counter() < target:
                await asyncio.sleep(0.001)
            field.action_nudge(1)
        t_last = time.perf_counter()
        final = parse_number(field.value)
        table = app.query_one("#host-figures")

        def shows_final() -> bool:
            want = figure_text(report_for(app.main.scenario), "host.revenue_usd_per_day")
            return app.main.scenario.values["pricing.charge_per_minute_usd"] == final and \
                table.get_cell("host.revenue_usd_per_day") == want

        return await spy.settled(t_last, shows_final) * 1e3


def run(n: int = 40) -> dict[str, float]:
    """``figures``: until the tab's numbers show the change; ``change``: until its charts
    do too (they are built just after the figures' frame)."""
    _isolated_dirs()
    figures: list[float] = []
    samples: list[float] = []
    per_tab: dict[str, float] = {}
    for tab, path, texts, bands in CASES:
        shown, got = asyncio.run(_changes(tab, path, texts, n, bands))
        name = f"{tab}_bands" if bands else tab
        per_tab[f"figures_p95_ms_{name}"] = _p95(shown)
        per_tab[f"change_p95_ms_{name}"] = _p95(got)
        figures += shown
        samples += got
    settle = [asyncio.run(_burst()) for _ in range(3)]
    return {"figures_p50_ms": statistics.median(figures), "figures_p95_ms": _p95(figures),
            "change_p50_ms": statistics.median(samples), "change_p95_ms": _p95(samples),
            **per_tab, "settle_after_burst_ms": statistics.median(settle)}


def _p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 20 else max(xs)


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:28} {value:8.1f}")
