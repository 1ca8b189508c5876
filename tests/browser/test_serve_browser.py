"""``infracalc serve`` in a real browser: the dashboard arrives, an edit moves a figure, and
eight tabs at once are eight sessions that each get their figures.

The timings (page load to first figure, edit to figure) and one session's memory are printed
(``pytest -s``) and written to ``browser-timings.json`` beside the screenshot.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from infracalc_tui.calc import report_for
from infracalc_tui.scenario.presets import presets

from ..conftest import wait_until
from .conftest import rss_mb, timed

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "scenarios/llama70b-own-hardware.toml"


def test_the_dashboard_in_a_browser_follows_an_edit(serve, browser, tmp_path: Path) -> None:
    served = serve(str(HOST))
    b = browser(800, 600)  # about 88x30 cells: the compact layout, F2 between the panes
    t0 = time.monotonic()
    b.open(served.url)
    b.wait_for(lambda s: "Profit per day" in s and "$12.89/day" in s, "the Host figures")
    first_figure_s = timed(t0)

    b.keys("\ue032")  # F2: the inputs, the price per minute focused
    b.wait_for(lambda s: "Price per minute [$/min]" in s, "the price field's help line")
    t1 = time.monotonic()
    b.keys("0.05", "\ue008\ue032\ue000")  # the new price, then Shift+F2: the figures
    # 0.05 $/min x 60 min x 8 h x 2 threads
    b.wait_for(lambda s: "$48.00/day" in s and "$12.89/day" not in s,
               "the revenue per day to follow the new price")
    edit_s = timed(t1)

    shot = tmp_path / "browser.png"
    assert b.driver.save_screenshot(str(shot)) and shot.stat().st_size > 1000
    [app] = served.sessions()
    timings = {"page_load_to_first_figure_s": first_figure_s, "edit_to_figure_s": edit_s,
               "session_rss_mb": round(rss_mb(app), 1), "screenshot": str(shot)}
    (tmp_path / "browser-timings.json").write_text(json.dumps(timings, indent=2))
    print(f"\nbrowser: {timings}")
    assert "Traceback" not in served.output()


def test_eight_tabs_are_eight_sessions(serve, browser) -> None:
    served = serve()  # the default scenario
    b = browser(700, 450)
    tabs = [b.open(served.url) for _ in range(8)]  # each returns as its page starts loading
    gpus = report_for(presets()["gpt4o-1b-users"].scenario)["fleet"]["gpus"]
    shown = f"{gpus / 1e3:.0f}k GPUs"  # as the Fleet tab writes the engine's figure
    ready = b.wait_all(tabs, lambda s: "Fleet" in s and shown in s, "the fleet figures")
    sessions = served.sessions()
    assert len(sessions) == 8, f"one app process per tab, got {sessions}"
    print(f"\nbrowser: 8 tabs at once: first figures after {sorted(ready.values())} s; "
          f"RSS per session {sorted(round(rss_mb(p)) for p in sessions)} MB")
    assert "Traceback" not in served.output()


def test_closing_the_tab_right_after_an_edit_keeps_it(serve, browser) -> None:
    """The recovery file is written half a second after an edit; a tab closed sooner ends
    the app without a signal. The main screen flushes on unmount: the edit is kept."""
    from infracalc_tui import recovery

    # the debounced write would come only after 10 minutes: the flush alone keeps the edit
    served = serve(str(HOST), env={"INFRACALC_RECOVERY_DELAY_S": "600"})
    b = browser(800, 600)
    tab = b.open(served.url)
    b.wait_for(lambda s: "Profit per day" in s and "$12.89/day" in s, "the Host figures")
    b.keys("\ue032")  # F2: the price per minute
    b.wait_for(lambda s: "Price per minute [$/min]" in s, "the price field's help line")
    b.keys("0.07")
    b.wait_for(lambda s: any("Price per minute ($/min)" in line and "0.07" in line
                             for line in s.splitlines()), "the typed price on screen")
    b.driver.switch_to.new_window("tab")  # the browser stays open; the app's tab closes
    b.driver.switch_to.window(tab)
    b.driver.close()
    folder = served.tmp / "state" / "recovery"
    found = wait_until(lambda: [recovery.read(p) for p in folder.glob("*.toml")] or None, 20,
                       lambda: f"a recovery file in {folder}; server output:\n"
                       + served.output())
    assert [r.scenario.values["pricing.charge_per_minute_usd"] for r in found] == [0.07]
