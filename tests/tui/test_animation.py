"""F6 steps the thread count 1..the host's max threads on the Host tab (README: "F6
animate: step the thread count 1..max"), and never above what the host holds."""

from __future__ import annotations

from typing import Any

import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.config import Config
from infracalc_tui.scenario import Scenario
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.widgets.tabs import TabbedPanes

from ..conftest import pilot_wait_until
from .conftest import ReadyApp

SEED = presets()["llama70b-own-hardware"].scenario
THREADS = "pricing.concurrent_threads"


def max_threads(scenario: Scenario) -> int:
    return int(report_for(scenario)["host"]["max_threads"])


def host_holding(n: int) -> Scenario:
    """The seed scenario with a host that holds exactly ``n`` threads: as shipped (it holds 2
    today), else with the context length at which n full-context streams fit (the engine
    is being reworked; the test must not depend on today's figures)."""
    if max_threads(SEED) == n:
        return SEED
    lo, hi = 1, 10**7  # more context, fewer threads: the smallest length holding <= n
    while lo < hi:
        mid = (lo + hi) // 2
        if max_threads(SEED.with_value("model.context_tokens", mid)) <= n:
            hi = mid
        else:
            lo = mid + 1
    scenario = SEED.with_value("model.context_tokens", lo)
    assert max_threads(scenario) == n and not scenario.problems(), \
        f"no context length makes the seed host hold exactly {n} threads"
    return scenario


class Recording(ReadyApp):
    """The app, noting the thread count of every animation step its figures were computed
    for, and every message it showed."""

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.steps: list[int] = []
        self.messages: list[str] = []
        main, recompute = self.main, self.main.recompute

        def recording() -> None:
            recompute()
            if main.animation.threads is not None:
                self.steps.append(int(main._shown_values[THREADS]))

        main.recompute = recording  # type: ignore[method-assign]

    def notify(self, message: str, *args: Any, **kw: Any) -> None:
        self.messages.append(str(message))
        super().notify(message, *args, **kw)


async def test_f6_steps_one_to_the_hosts_max_and_no_further() -> None:
    """A host holding 2 threads steps 1, 2, 1, 2, ...: it used to step 1..8."""
    scenario = host_holding(2)
    app = Recording(scenario, None, Config(), None)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#tabs", TabbedPanes).active = "fleet"  # F6 brings the Host tab up
        await pilot.pause()
        await pilot.press("f6")
        # two full rounds: the loop has come back to 1 after 2, and gone round again
        await pilot_wait_until(pilot, lambda: len(app.steps) >= 4, 20.0,
                               lambda: f"four animation steps (saw {app.steps})")
        await pilot.press("f6")  # stop
        await pilot.pause()
        assert app.steps[:4] == [1, 2, 1, 2], app.steps
        assert set(app.steps) == {1, 2} and max(app.steps) == 2, app.steps
        assert app.query_one("#tabs", TabbedPanes).active == "host"
        shown = [m for m in app.messages if m.startswith("Animating")]
        assert shown[:2] == ["Animating: 1 thread(s) of 2; F6 stops",
                             "Animating: 2 thread(s) of 2; F6 stops"], shown
        # stopped: the figures are the scenario's own again, which was never edited
        assert app.main.animation.threads is None and not app.main.dirty
        assert app.main._shown_values[THREADS] == scenario.values[THREADS]


@pytest.mark.parametrize(("change", "top"), [
    # no stream fits: one step, not none
    ({"model.context_tokens": 10**7}, 1),
    # hundreds fit (short context, no speed floor): the animation stops at 64
    ({"model.context_tokens": 16, "serving.min_tokens_per_s_per_stream": 0}, 64),
], ids=["holds-none", "holds-hundreds"])
async def test_f6_steps_at_least_once_and_at_most_64(change: dict[str, Any], top: int) -> None:
    scenario = SEED
    for path, value in change.items():
        scenario = scenario.with_value(path, value)
    held = max_threads(scenario)
    assert (held == 0) if top == 1 else (held > 64), f"the host holds {held} threads"
    app = Recording(scenario, None, Config(), None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f6")
        await pilot_wait_until(pilot, lambda: len(app.steps) >= 2, 20.0,
                               lambda: f"two animation steps (saw {app.steps})")
        await pilot.press("f6")
        await pilot.pause()
    assert app.steps[:2] == ([1, 1] if top == 1 else [1, 2]), app.steps
    assert f"Animating: 1 thread(s) of {top}; F6 stops" in app.messages, app.messages
