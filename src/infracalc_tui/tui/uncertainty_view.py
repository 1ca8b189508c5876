"""A scenario's ``[uncertainty]`` on the dashboard: P10/P50/P90 of the headline figures
beside them, and P10-P90 bands on the profit projection and the fleet cost charts.

A Monte Carlo over the whole report costs tens of milliseconds, too much for a keystroke's
frame: it runs in a worker thread a moment after the last change, and its answer is shown
only if the scenario is still the one it was computed for (typing never waits for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import formatting as fmt
from ..engine.outputs import OUTPUTS
from ..scenario import Scenario

SAMPLES = 2_000
SEED = 0
#: the figures each tab gives ranges for (engine.uncertainty.HEADLINE, split by tab)
RANGED = {"fleet": ("fleet.gpus", "fleet.facility_power_mw", "fleet.annual_cost_usd",
                    "fleet.cost_per_million_tokens_usd"),
          "host": ("host.profit_usd_per_day", "host.break_even_days", "host.npv_usd",
                   "host.max_threads")}
SHORT = {"fleet.gpus": "GPUs", "fleet.facility_power_mw": "Facility MW",
         "fleet.annual_cost_usd": "Cost/yr", "fleet.cost_per_million_tokens_usd": "$/1M tok",
         "host.profit_usd_per_day": "Profit/day", "host.break_even_days": "Break-even days",
         "host.npv_usd": "NPV", "host.max_threads": "Max threads"}


@dataclass(frozen=True)
class Uncertain:
    """What one Monte Carlo gave, for the scenario it was run on."""

    scenario: Scenario
    percentiles: dict[str, dict[str, float | None]]
    projection: Any  # engine.uncertainty.Bands of cumulative host profit
    fleet_cost: Any  # Bands of cumulative fleet cost


def compute(scenario: Scenario) -> Uncertain:
    """Run in a worker thread: percentiles and both bands, from one engine module."""
    from ..engine import uncertainty as u

    spec, inputs = scenario.uncertainty_spec(), scenario.inputs
    metrics = RANGED["fleet"] + RANGED["host"]
    return Uncertain(scenario, u.percentiles(inputs, spec, SAMPLES, SEED, metrics),
                     u.profit_projection_bands(inputs, spec, SAMPLES, SEED, cycles=3),
                     u.fleet_cost_bands(inputs, spec, SAMPLES, SEED))


def _short(x: float | None, unit: str) -> str:
    if x is None:
        return fmt.NONE
    if unit.startswith("usd"):
        return fmt.short_usd(x)
    return fmt.short(x)


def ranges_text(result: Uncertain, tab: str, wide: bool = False) -> str:
    """The tab's P10 / P50 / P90. Beside the figures (a column of ~20 characters) a figure's
    name on one line and its three values under it ('$7.06 $12.5 $19.3'); ``wide`` (under
    the figures) one line each, 'Profit/day       $7.06 $12.5 $19.3'."""
    lines = [f"P10 / P50 / P90 of {SAMPLES:,} runs"] if wide else \
        ["P10 / P50 / P90", f"of {SAMPLES:,} runs"]
    for key in RANGED[tab]:
        p = result.percentiles[key]
        values = " ".join(_short(p[q], OUTPUTS[key].unit) for q in ("p10", "p50", "p90"))
        lines += [f"{SHORT[key] + ':':<17}{values}"] if wide else [f"{SHORT[key]}:", values]
    return "\n".join(lines)


DELAY_S = 0.2  # after the last change: a burst of keystrokes starts one run, not many


class UncertaintyView:
    """The main screen's part: starts the worker after a change, shows what comes back."""

    def __init__(self, owner: Any) -> None:
        self.owner = owner  # the main screen: timers, the worker, the tabs
        self.timer: Any = None
        self.shown: Uncertain | None = None

    def changed(self, scenario: Scenario) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        if scenario.uncertainty:
            self.timer = self.owner.set_timer(DELAY_S, lambda: self._start(scenario))
        elif self.shown is not None:
            self.shown = None
            self._show(None)

    def _start(self, scenario: Scenario) -> None:
        self.timer = None
        self.owner.run_worker(lambda: compute(scenario), thread=True, exclusive=True,
                              group="uncertainty", exit_on_error=False,
                              name="uncertainty")

    def done(self, result: Uncertain) -> None:
        """The worker's answer, on the app's thread: shown if still current."""
        if result.scenario is self.owner.scenario:
            self.shown = result
            self._show(result)

    def reshow(self) -> None:
        if self.shown is not None:
            self._show(self.shown)

    def _show(self, result: Uncertain | None) -> None:
        from textual.css.query import NoMatches

        try:
            for tab in ("fleet", "host"):
                ranges = self.owner.query_one(f"#{tab}-ranges")
                wide = self.owner.has_class("stacked")
                ranges.update(ranges_text(result, tab, wide) if result else "")
                ranges.display = result is not None
            for chart_id, bands in (("#host-projection", result and result.projection),
                                    ("#fleet-cost", result and result.fleet_cost)):
                for chart in self.owner.query(chart_id):
                    chart.show_bands(bands)
        except NoMatches:  # the app is closing
            return
