"""Charts drawn with plotext inside the panel, plus a small heatmap that survives NO_COLOR.

Each chart keeps the engine's series it was last given and draws only when shown;
nothing here computes a figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual_plotext import PlotextPlot

from ... import formatting as fmt
from ...engine.series import FleetSweep, Frontier, Projection
from .textcharts import Bars, Heatmap

Source = Callable[[Mapping[str, Any]], Any]


# plotext draws in plain text (its "clear" theme); we colour by character class from the
# app's theme: cheaper than parsing ANSI, follows any theme, and NO_COLOR keeps the markers
_MARKS = (
    (re.compile(r"[\u2800-\u28ff]+"), "primary"),  # braille lines
    (re.compile(r"•+"), "secondary"),
    (re.compile(r"(?<![A-Za-z])x+(?![A-Za-z])"), "warning"),
    (re.compile(r"(?<![A-Za-z0-9])\++(?![A-Za-z0-9])"), "success"),
    (re.compile(r"●+"), "accent"),
    (re.compile(r"[┌┐└┘─│┤├┬┴┼]+"), "foreground-muted"),
)


def _strip(line: str, width: int, base: Style,
           styles: list[tuple[re.Pattern[str], Style]]) -> Strip:
    """One line of the chart as segments coloured by character class, padded to width."""
    marks = sorted((m.start(), m.end(), style) for pattern, style in styles
                   for m in pattern.finditer(line))
    segments, at = [], 0
    for start, end, style in marks:
        if start < at:
            continue  # overlapping classes: the first one wins
        if start > at:
            segments.append(Segment(line[at:start], base))
        segments.append(Segment(line[start:end], style))
        at = end
    if at < len(line):
        segments.append(Segment(line[at:], base))
    return Strip(segments).adjust_cell_length(width, base)


class Chart(PlotextPlot):
    """A plotext chart that redraws from its data when (and only when) it is rendered."""

    data: Any = None
    title = "chart"

    def __init__(self, source: Source, *, title: str | None = None, id: str | None = None
                 ) -> None:
        super().__init__(id=id)
        self.source = source
        self.title = title or self.title

    def show_data(self, data: Any) -> None:
        self.data = data
        self._strips = None
        self.refresh()

    _strips: list[Strip] | None = None
    _strips_key: tuple[Any, ...] = ()

    def render_line(self, y: int) -> Strip:
        """Line API: the chart is drawn once per data, size and theme into strips, which
        Textual then copies; cheaper than handing it a Text to lay out on every repaint."""
        key = (self.size, self.app.theme)
        if self._strips is None or key != self._strips_key:
            self._strips, self._strips_key = self._draw_strips(), key
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _draw_strips(self) -> list[Strip]:
        width, height = self.size
        base = self.rich_style
        if self.data is None or width <= 10 or height <= 4:
            return []
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        try:
            plt.plotsize(width, height)
            plt._set_size(width, height)  # as textual-plotext does: plotsize alone may lag
            plt.theme("clear")
            self.draw(plt, self.data)
            drawn = plt.build().replace("\x1b[0m", "")
        except Exception as exc:  # plotext is fragile at odd sizes: a chart never kills the app
            message = f"(chart unavailable at this size: {type(exc).__name__})"
            return [Strip([Segment(message[:width], base + Style(dim=True))])]
        finally:
            plt.clear_data()
        styles = self._mark_styles(base)
        return [_strip(line, width, base, styles) for line in drawn.split("\n")[:height]]

    def _mark_styles(self, base: Style) -> list[tuple[re.Pattern[str], Style]]:
        variables = self.app.theme_variables
        out = []
        for pattern, colour in _MARKS:
            try:
                colour_style = Style(color=Color.parse(variables[colour]).rich_color)
            except Exception:  # a theme without that variable: plain text
                continue
            out.append((pattern, base + colour_style))
        return out

    def draw(self, plt: Any, data: Any) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


def thin(n: int, at_most: int, x: np.ndarray, keep: list[float]) -> np.ndarray:
    """Indices of about ``at_most`` evenly spread points of n, plus those whose x is in keep
    (sorted, unique): plotting more points than columns costs time and shows nothing more."""
    if n <= at_most:
        return np.arange(n)
    picked = set(np.linspace(0, n - 1, at_most).round().astype(int).tolist())
    picked.update(int(j) for j in np.flatnonzero(np.isin(x, keep)))
    return np.array(sorted(picked))


def money_axis(plt: Any, lo: float, hi: float, ticks: int = 5) -> None:
    """Label the y axis in dollars ($63k, not 63072.0)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return
    at = np.linspace(lo, hi, ticks)
    plt.yticks(list(at), [fmt.usd(float(v)) for v in at])


class FleetUsersChart(Chart):
    title = "GPUs and MW vs users"

    def draw(self, plt: Any, d: FleetSweep) -> None:
        i = thin(len(d.users), max(8, self.size.width - 8), d.users, [])
        x = np.log10(d.users[i])
        plt.title("GPUs and facility MW vs users (log10)")
        plt.plot(x, np.log10(np.maximum(d.gpus[i], 1)), label="log10 GPUs", marker="braille")
        plt.plot(x, np.log10(np.maximum(d.facility_mw[i], 1e-6)), label="log10 MW",
                 marker="dot")
        idx = int(np.argmin(np.abs(d.users - d.current_users)))
        plt.scatter([math.log10(d.current_users)], [math.log10(max(d.gpus[idx], 1))],
                    marker="●", label="you are here")
        plt.xlabel("log10 users")


class CostVsUtilizationChart(Chart):
    title = "$/1M tokens vs utilisation"

    def draw(self, plt: Any, d: tuple[np.ndarray, np.ndarray, float]) -> None:
        u, cost, current = d
        plt.title("$ per 1M tokens vs target utilisation")
        plt.plot(u * 100, cost, marker="braille")
        plt.scatter([current * 100], [float(np.interp(current, u, cost))], marker="●")
        plt.xlabel("utilisation at peak (%)")


class ProjectionChart(Chart):
    title = "profit projection"

    def draw(self, plt: Any, d: Projection) -> None:
        plt.title("Cumulative $ by month")
        # one point per column is all a character canvas shows; keep the months where the
        # hardware is bought again (the steps) so they land where they happen
        keep = [m for r in d.replacement_months for m in (r - 1, r)]
        if d.break_even_month is not None:
            keep.append(d.break_even_month)
        i = thin(len(d.months), max(8, self.size.width - 8), d.months, keep)
        months, revenue, cost, profit = d.months[i], d.revenue[i], d.cost[i], d.profit[i]
        plt.plot(months, revenue, label="revenue", marker="dot")
        plt.plot(months, cost, label="cost", marker="x")
        gain = profit >= 0
        if np.any(gain):
            plt.scatter(months[gain], profit[gain], label="profit", marker="+")
        if np.any(~gain):
            plt.scatter(months[~gain], profit[~gain], label="loss", marker="-")
        for m in d.replacement_months:
            plt.vline(m)
        if d.break_even_month is not None:
            plt.vline(d.break_even_month)
            plt.text(f"break-even m{d.break_even_month}", d.break_even_month, 0)
        money_axis(plt, float(min(d.cost.min(), d.profit.min(), 0.0)),
                   float(max(d.revenue.max(), d.cost.max())))
        plt.xlabel("month (| replacement / break-even)")


class FrontierChart(Chart):
    title = "price frontier"

    def draw(self, plt: Any, d: Frontier) -> None:
        plt.title("Minimum price per minute vs hours/day")
        price = np.nan_to_num(d.min_price, nan=0.0)
        plt.plot(d.hours, price, label="break-even price", marker="braille")
        plt.scatter([d.current_hours], [d.current_price], marker="●", label="you")
        plt.hline(d.current_price)
        plt.xlabel("hours of use per day (above the line: profit)")


__all__ = ["Bars", "Chart", "CostVsUtilizationChart", "FleetUsersChart", "FrontierChart",
           "Heatmap", "ProjectionChart"]
