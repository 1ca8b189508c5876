"""Charts of the analysis workbench: owning against renting and the API, and the fleet's
cumulative cost with its uncertainty band.

Same rules as charts.py: real units on round ticks, the legend and the labelled marks
outside the plot, one marker per series so that they read without colour; nothing here
computes a figure (the sources in chart_sets.py do).
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from . import ticks as tk
from .charts import BAND, BLOCKS, DOTS, LINE, Banded, Chart, Flag, finite_range, money_axis


@dataclass(frozen=True)
class FleetCost:
    """The fleet's cumulative cost (capex at year 0, then its opex) year by year."""

    years: Any  # (K,) 0, 0.25, .. lifespan
    cost: Any  # (K,) $


def crossover_label(crossover: float, period: str) -> str:
    """The crossover in words and real units: "owning beats renting above 4.1 h/day"."""
    if period == "day":
        return f"owning beats renting above {crossover:.1f} h/day"
    return f"owning beats renting above {crossover * 100:.0f}% utilisation"


def no_price_message(period: str) -> str:
    """What to set for the chart to compare anything."""
    where = "host" if period == "day" else "fleet"
    return (f"Own vs rent vs API: no GPU rental price (gpu.rent_usd_per_hour) and no API "
            f"price (pricing.api_price_per_million_*_tokens_usd) are set; set one to compare "
            f"owning this {where} with it.")


def _has(a: Any) -> bool:
    return bool(np.isfinite(np.asarray(a, dtype=float)).any())


class OwnRentApiChart(Chart):
    """Cost of owning, renting the same GPUs and buying the tokens from an API, against
    hours of use per day (host, $/day) or average utilisation (fleet, $/year); data is an
    ``engine.alternatives.OwnRentApi``."""

    title = "own vs rent vs API"

    def _x(self, d: Any) -> np.ndarray:
        """x in the unit shown: hours, or percent of the GPU-hours busy."""
        x = np.asarray(d.x, dtype=float)
        return x if d.period == "day" else x * 100.0

    def _scale(self, d: Any, x: float) -> float:
        return x if d.period == "day" else x * 100.0

    def legend(self, d: Any) -> list[tuple[str, str]]:
        out = [(LINE, "own")]
        if _has(d.rent):
            out.append((BLOCKS, "rent"))
        if _has(d.api):
            out.append((DOTS, "API"))
        if math.isfinite(d.current):
            out.append(("●", "you"))
        return out

    def flags(self, d: Any) -> list[Flag]:
        if not math.isfinite(d.crossover):
            return []
        short = f"owning beats renting above {d.crossover:.1f}h" if d.period == "day" \
            else f"owning beats renting above {d.crossover * 100:.0f}%"
        return [(self._scale(d, d.crossover), crossover_label(d.crossover, d.period), short,
                 True)]

    def x_title(self, d: Any) -> str:
        return "hours of use per day" if d.period == "day" else \
            "average utilisation (share of GPU-hours busy)"

    def _draw_strips(self) -> list[Strip]:
        d = self.data
        if d is not None and not _has(d.rent) and not _has(d.api):
            width = max(1, self.size.width)
            lines = textwrap.wrap(no_price_message(d.period), width)[:max(1, self.size.height)]
            style = self.rich_style + Style(dim=True)
            return [Strip([Segment(line, style)]).adjust_cell_length(width, style)
                    for line in lines]
        return super()._draw_strips()

    def draw(self, plt: Any, d: Any) -> None:
        per = "day" if d.period == "day" else "year"
        rent_never = _has(d.rent) and not math.isfinite(d.crossover)
        note = " · renting cheaper throughout" if rent_never else ""
        plt.title(tk.fit(self.canvas[0], f"Cost per {per}: own, rent, API{note}",
                         f"$/{per}: own, rent, API{note}", f"$/{per}: own, rent, API"))
        x = self._x(d)
        series = [(d.own, LINE), (d.rent, BLOCKS), (d.api, DOTS)]
        arrays = [np.asarray(y, dtype=float) for y, _ in series]
        span = finite_range(*arrays)
        if span is None or not x.size:
            return
        if math.isfinite(d.crossover):
            plt.vline(self._scale(d, d.crossover))
        for y, (_, marker) in zip(arrays, series, strict=True):
            ok = np.isfinite(x) & np.isfinite(y)
            if ok.any():
                plt.plot(x[ok], y[ok], marker=marker)
        here = self._scale(d, d.current)
        own = arrays[0]
        ok = np.isfinite(own)
        if math.isfinite(here) and ok.any() and x[ok].min() <= here <= x[ok].max():
            plt.scatter([here], [float(np.interp(here, x[ok], own[ok]))], marker="●")
        money_axis(plt, min(0.0, span[0]), span[1], self.y_ticks())
        plt.ylim(min(0.0, span[0]), span[1])
        if d.period == "day":
            lo, hi = 0.0, max(24.0, float(np.nanmax(x)))
            at = tk.hour_ticks(lo, hi, min(5, self.x_ticks(3)))
            self.set_x(plt, lo, hi, at, tk.labels(at, "h"))
        else:
            lo, hi = 0.0, 100.0
            at = tk.nice_ticks(lo, hi, self.x_ticks(4))
            self.set_x(plt, lo, hi, at, tk.labels(at, "%"))


class FleetCostChart(Banded, Chart):
    """The fleet's cumulative cost over the facility's lifespan (data: ``FleetCost``), and
    its P10-P90 band once ``show_bands`` gives one (``fleet_cost_bands``)."""

    title = "cumulative fleet cost"

    def legend(self, d: FleetCost) -> list[tuple[str, str]]:
        return [(LINE, "cost"), *self.band_legend()]

    def x_title(self, d: FleetCost) -> str:
        return "years from purchase"

    def draw(self, plt: Any, d: FleetCost) -> None:
        plt.title(tk.fit(self.canvas[0], "Cumulative fleet cost: capex, then opex each year",
                         "Cumulative fleet cost"))
        years, cost = np.asarray(d.years, dtype=float), np.asarray(d.cost, dtype=float)
        ok = np.isfinite(years) & np.isfinite(cost)
        if not ok.any():
            return
        lo, hi = float(years[ok].min()), float(years[ok].max())
        bands = self.band_arrays(lo, hi, max(8, 2 * self.canvas[0]))
        span = finite_range(cost[ok], [0.0], *(y for _, y in bands))
        if span is None:
            return
        for x, y in bands:  # first: the cost line drawn after them stays whole on top
            plt.plot(x, y, marker=BAND)
        plt.plot(years[ok], cost[ok], marker=LINE)
        plt.ylim(*span)
        money_axis(plt, *span, self.y_ticks())
        at = tk.nice_ticks(lo, hi, self.x_ticks(3))
        self.set_x(plt, lo, hi, at, tk.labels(at, "y"))


def cumulative_fleet_cost(capex: float, annual_opex: float, lifespan_years: float
                          ) -> FleetCost:
    """Capex at year 0 plus the opex of each year, every quarter over the lifespan: the
    deterministic line of ``engine.uncertainty.fleet_cost_bands``."""
    years = np.arange(0.0, float(lifespan_years) + 1e-9, 0.25)
    return FleetCost(years, float(capex) + float(annual_opex) * years)


__all__ = ["FleetCost", "FleetCostChart", "OwnRentApiChart", "crossover_label",
           "cumulative_fleet_cost", "no_price_message"]
