"""Charts drawn with plotext inside the panel, plus a small heatmap that survives NO_COLOR.

Each chart keeps the engine's series it was last given and draws only when shown;
nothing here computes a figure. Axes read in real units on round values (ticks.py); the
legend and the labels of marked months sit outside the plot, where they hide no data.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip
from textual_plotext import PlotextPlot

from ... import formatting as fmt
from ...engine.series import FleetSweep, Frontier, Projection
from . import ticks as tk
from .textcharts import Bars, Heatmap

Source = Callable[[Mapping[str, Any]], Any]
Flag = tuple[float, str, str, bool]  # x, label, shorter label, below the plot

# line markers, and the glyph that stands for each in a legend (drawn twice: "⠤⠤ profit")
LINE = "braille"  # 2x4 dots per cell: the finest line
BLOCKS = "hd"  # 2x2 quadrant blocks: a second kind of line, told apart without colour
DOTS = "dot"
BAND = "┄"  # a thin dashed line: the P10 and P90 edges of an uncertainty band
GLYPH = {LINE: "⠤", BLOCKS: "▄", DOTS: "•", "●": "●"}
BAND_LABEL = "P10-P90"

# plotext draws in plain text (its "clear" theme); we colour by character class from the
# app's theme: cheaper than parsing ANSI, follows any theme, and NO_COLOR keeps the markers
_MARKS = (
    (re.compile(r"[\u2800-\u28ff]+"), "primary"),  # braille lines
    (re.compile(r"[▖▗▘▙▚▛▜▝▞▟▀▄▌▐█]+"), "success"),  # quadrant-block lines
    (re.compile(r"•+"), "secondary"),
    (re.compile(r"(?<![A-Za-z])x+(?![A-Za-z])"), "warning"),
    (re.compile(r"(?<![A-Za-z0-9])\++(?![A-Za-z0-9])"), "success"),
    (re.compile(r"●+"), "accent"),
    (re.compile(f"{BAND}+"), "warning"),
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
    """A plotext chart that redraws from its data when (and only when) it is rendered.

    Subclasses set up the plot in ``draw``; ``legend`` and ``flags`` name the series and the
    marked x values, drawn here as text rows above the frame (plotext's own legend would sit
    on the data, and its text labels get cut at the canvas edge).
    """

    data: Any = None
    title = "chart"
    MIN_PLOT_ROWS = 6  # title, frame, two rows of data, frame, x ticks

    def __init__(self, source: Source, *, title: str | None = None, id: str | None = None
                 ) -> None:
        super().__init__(id=id)
        self.source = source
        self.title = title or self.title
        self.canvas = (0, 0)  # about the plot's inner columns and rows, for tick counts
        self._xlim = (0.0, 1.0)

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

    def predraw(self) -> None:
        """Draw now what the next repaint will copy (the main screen calls this between
        frames, so that the frame itself is cheap)."""
        if self.size.width and self.size.height:
            self.render_line(0)

    def legend(self, data: Any) -> list[tuple[str, str]]:
        """(marker, label) of each series, in the order drawn; none by default."""
        return []

    def flags(self, data: Any) -> list[Flag]:
        """Vertical lines to name: (x, label, shorter label or "", below the plot?). Those
        first in the list win a place; a label that fits nowhere is left out, never cut."""
        return []

    def x_title(self, data: Any) -> str:
        """What the x axis measures, drawn under its ticks when a row is free for it."""
        return ""

    def _draw_strips(self) -> list[Strip]:
        width, height = self.size
        base = self.rich_style
        if self.data is None or width <= 10 or height <= 4:
            return []
        plt = self.plt
        plt.clear_data()
        plt.clear_figure()
        try:
            legend = tk.wrap_entries([f"{GLYPH.get(m, m) * 2} {label}"
                                      for m, label in self.legend(self.data)], width)
            flags = self.flags(self.data)
            above = any(not f[3] for f in flags)
            below = any(f[3] for f in flags)
            while legend and height - len(legend) - above - below < self.MIN_PLOT_ROWS:
                legend.pop()  # a plot too small to read helps nobody: legend rows go first
            plot_h = height - len(legend) - above - below
            x_row = below or plot_h >= 12
            plot_h -= x_row and not below
            self.canvas = (max(1, width - 8), max(1, plot_h - 4))
            plt.theme("clear")
            self.draw(plt, self.data)
            plt.plotsize(width, plot_h)
            plt._set_size(width, plot_h)  # as textual-plotext does: plotsize alone may lag
            lines = plt.build().replace("\x1b[0m", "").split("\n")[:plot_h]
            title = self.x_title(self.data) if x_row else ""
            lines = self._add_rows(lines, legend, flags, title, width, x_row)
        except Exception as exc:  # plotext is fragile at odd sizes: a chart never kills the app
            message = f"(chart unavailable at this size: {type(exc).__name__})"
            return [Strip([Segment(message[:width], base + Style(dim=True))])]
        finally:
            plt.clear_data()
        styles = self._mark_styles(base)
        return [_strip(line, width, base, styles) for line in lines[:height]]

    def _add_rows(self, lines: list[str], legend: list[str], flags: Sequence[Flag],
                  x_title: str, width: int, x_row: bool) -> list[str]:
        """The legend and the flags pointing down between the title and the frame; under
        the x ticks, the flags pointing up and the x axis' title."""
        top = next((i for i, line in enumerate(lines) if "┌" in line), None)
        bottom = next((i for i, line in enumerate(lines) if "└" in line), None)
        if top is None or bottom is None:
            return legend + lines
        left, right = lines[top].index("┌") + 1, lines[top].rindex("┐")
        lo, hi = self._xlim
        up, down = [], []
        for x, text, short, is_below in flags:
            if not (math.isfinite(x) and hi > lo and lo <= x <= hi):
                continue
            col = left + math.floor(round(0.5 + (right - left - 1) * (x - lo) / (hi - lo), 8))
            arrow = "↑" if is_below else "↓"
            options = tk.flagged(col, text, arrow) + (tk.flagged(col, short, arrow)
                                                      if short else [])
            (up if is_below else down).append(options)
        rows_above = [tk.place(width, down)[0]] if any(not f[3] for f in flags) else []
        rows_below = []
        if x_row:
            centre = (left + right) // 2
            rows_below = [tk.place(width, [*up, tk.centred(centre, x_title, width)])[0]]
        ticks_end = min(len(lines), bottom + 2)
        return (lines[:top] + legend + rows_above + lines[top:ticks_end] + rows_below
                + lines[ticks_end:])

    def set_x(self, plt: Any, lo: float, hi: float, ticks: list[float],
              labels: list[str], scale: Callable[[float], float] = float) -> None:
        """The x range and its ticks (at scale(tick)); flags are placed on this range."""
        a, b = scale(lo), scale(hi)
        self._xlim = (a, b) if b > a else (a - 0.5, a + 0.5)  # one point: plotext divides by 0
        plt.xlim(*self._xlim)
        if ticks:
            plt.xticks([scale(t) for t in ticks], labels)

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

    def x_ticks(self, widest: int = 5) -> int:
        """How many x labels of about ``widest`` characters fit across the plot."""
        return max(2, self.canvas[0] // (widest + 3))

    def y_ticks(self) -> int:
        """How many y labels fit up the plot with a blank row between them."""
        return max(2, min(6, (self.canvas[1] + 1) // 2))

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


def corners(*series: Any) -> np.ndarray:
    """Indices where any of the series bends (its second difference is not ~0), and both
    ends. A piecewise-linear series (the profit projection: linear between purchases) drawn
    through them is the same line from a tenth of the points: plotext's cost grows with
    the segments it interpolates, and this chart is redrawn on every keystroke."""
    n = len(series[0])
    if n <= 2:
        return np.arange(n)
    bend = np.zeros(n - 2, dtype=bool)
    for y in series:
        y = np.asarray(y, dtype=float)
        with np.errstate(all="ignore"):
            scale = float(np.nanmax(np.abs(y))) if np.isfinite(y).any() else 1.0
            bend |= ~(np.abs(np.diff(y, 2)) <= 1e-9 * (scale or 1.0))  # NaN: a bend
    return np.unique(np.concatenate(([0], np.flatnonzero(bend) + 1, [n - 1])))


def finite_range(*arrays: Any) -> tuple[float, float] | None:
    """(min, max) over the finite values of the arrays, None when there are none."""
    values = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays])
    values = values[np.isfinite(values)]
    return (float(values.min()), float(values.max())) if values.size else None


def money_axis(plt: Any, lo: float, hi: float, ticks: int = 5, yside: str | None = None
               ) -> None:
    """The y axis in dollars on round values ($20k, $40k; not 63072.0)."""
    at = tk.nice_ticks(lo, hi, ticks)
    if at:
        plt.yticks(at, tk.labels(at, "$"), yside=yside)


def log_axis(plt: Any, lo: float, hi: float, ticks: int, unit: str = "",
             yside: str | None = None) -> None:
    """A y axis of log10-placed data labelled with the values (1k, 10k), never exponents."""
    at = tk.log_ticks(lo, hi, ticks)
    if at:
        plt.yticks([math.log10(t) for t in at], tk.labels(at, unit, log=True), yside=yside)


class Banded:
    """A chart that can also draw the P10 and P90 of its line (``engine.uncertainty.Bands``),
    given later and separately: a Monte Carlo run is too slow for every keystroke, so a
    worker computes it and ``show_bands`` redraws this chart alone. The bands stay until
    replaced: ``show_bands(None)`` removes them (e.g. when they no longer match the values).
    """

    bands: Any = None
    _strips: list[Strip] | None

    def show_bands(self, bands: Any) -> None:
        self.bands = bands
        self._strips = None
        self.refresh()  # type: ignore[attr-defined]

    def band_legend(self) -> list[tuple[str, str]]:
        return [(BAND, BAND_LABEL)] if self.bands is not None else []

    def band_arrays(self, lo: float, hi: float, at_most: int) -> list[tuple[Any, Any]]:
        """(x, y) of the P10 and P90 lines within lo..hi, thinned to ``at_most`` points and
        finite only; none without bands."""
        b = self.bands
        if b is None:
            return []
        x = np.asarray(b.x, dtype=float)
        out = []
        for y in (b.p10, b.p90):
            y = np.asarray(y, dtype=float)
            ok = np.flatnonzero(np.isfinite(x) & np.isfinite(y) & (x >= lo) & (x <= hi))
            if ok.size:
                i = ok[thin(ok.size, at_most, x[ok], [])]
                out.append((x[i], y[i]))
        return out


class FleetUsersChart(Chart):
    """GPUs (left axis) and facility megawatts (right axis) against users, all log scaled.
    The right axis is offset so the two parallel lines do not lie on top of each other."""

    title = "GPUs and MW vs users"

    def legend(self, d: FleetSweep) -> list[tuple[str, str]]:
        return [(LINE, "GPUs (left)"), (BLOCKS, "MW (right)"), ("●", "you are here")]

    def x_title(self, d: FleetSweep) -> str:
        return "users (log scale)"

    def draw(self, plt: Any, d: FleetSweep) -> None:
        plt.title(tk.fit(self.canvas[0], "GPUs and facility power vs users", "GPUs, MW vs users"))
        users = np.asarray(d.users, dtype=float)
        ok = np.isfinite(users) & (users > 0)
        g_ok = ok & np.isfinite(d.gpus) & (d.gpus > 0)
        m_ok = ok & np.isfinite(d.facility_mw) & (d.facility_mw > 0)
        span = finite_range(users[ok]) if ok.any() else None
        if span is None:
            return
        # lines straight on log-log axes: a point every third column draws the same line
        # at a third of plotext's cost (this chart is redrawn on every keystroke)
        i = thin(len(users), max(8, self.canvas[0] // 3), users, [])
        g = finite_range(d.gpus[g_ok]) if g_ok.any() else None
        m = finite_range(d.facility_mw[m_ok]) if m_ok.any() else None
        decades = max(math.log10(r[1] / r[0]) if r else 0.0 for r in (g, m))
        pad = 0.25 * max(decades, 1.0)
        n = self.y_ticks()
        if g:
            j = i[g_ok[i]]
            plt.plot(np.log10(users[j]), np.log10(d.gpus[j]), marker=LINE)
            plt.ylim(math.log10(g[0]), math.log10(g[1]) + pad)
            log_axis(plt, g[0], g[1] * 10 ** pad, n)
        if m:
            j = i[m_ok[i]]
            plt.plot(np.log10(users[j]), np.log10(d.facility_mw[j]), marker=BLOCKS,
                     yside="right")
            plt.ylim(math.log10(m[0]) - pad, math.log10(m[1]), yside="right")
            log_axis(plt, m[0] / 10 ** pad, m[1], n, " MW", yside="right")
        at = tk.log_ticks(*span, self.x_ticks(4))
        self.set_x(plt, *span, at, tk.labels(at, log=True), math.log10)
        here = d.current_users
        if g and math.isfinite(here) and span[0] <= here <= span[1]:
            on_line = np.interp(math.log10(here), np.log10(users[g_ok]), np.log10(d.gpus[g_ok]))
            plt.scatter([math.log10(here)], [float(on_line)], marker="●")


class CostVsUtilizationChart(Chart):
    title = "$/1M tokens vs utilisation"

    def x_title(self, d: Any) -> str:
        return "target utilisation at peak"

    def draw(self, plt: Any, d: tuple[np.ndarray, np.ndarray, float]) -> None:
        u, cost, current = d
        u, cost = np.asarray(u, dtype=float) * 100, np.asarray(cost, dtype=float)
        ok = np.isfinite(u) & np.isfinite(cost)
        plt.title(tk.fit(self.canvas[0], "$ per 1M tokens vs target utilisation",
                         "$/1M tokens vs utilisation"))
        if not ok.any():
            return
        plt.plot(u[ok], cost[ok], marker=LINE)
        if math.isfinite(current):
            plt.scatter([current * 100], [float(np.interp(current * 100, u[ok], cost[ok]))],
                        marker="●")
        lo, hi = float(u[ok].min()), float(u[ok].max())
        at = tk.nice_ticks(lo, hi, self.x_ticks(4))
        self.set_x(plt, lo, hi, at, tk.labels(at, "%"))
        span = finite_range(cost[ok])
        if span:
            money_axis(plt, *span, self.y_ticks())


class ProjectionChart(Banded, Chart):
    title = "profit projection"

    def legend(self, d: Projection) -> list[tuple[str, str]]:
        return [(BLOCKS, "revenue"), (DOTS, "cost"), (LINE, "profit"), *self.band_legend()]

    def flags(self, d: Projection) -> list[Flag]:
        """Break-even under the plot (where profit crosses $0), replacements above it: two
        rows, so the one label that must always show never competes with the others."""
        out: list[Flag] = [(float(m), f"replaced month {m:g}", f"month {m:g}", False)
                           for m in d.replacement_months]
        if d.break_even_month is not None:
            out.insert(0, (float(d.break_even_month), f"break-even month {d.break_even_month}",
                           "", True))
        return out

    def draw(self, plt: Any, d: Projection) -> None:
        never = " · no break-even" if d.break_even_month is None else ""
        plt.title(f"Cumulative $ by month{never}")
        # one point per column is all a character canvas shows; keep the months where the
        # hardware is bought again (the steps) so they land where they happen
        keep = [m for r in d.replacement_months for m in (r - 1, r)]
        if d.break_even_month is not None:
            keep.append(d.break_even_month)
        i = np.union1d(corners(d.revenue, d.cost, d.profit),
                       np.flatnonzero(np.isin(d.months, keep)))
        months = np.asarray(d.months, dtype=float)[i]
        if not months.size:
            return
        bands = self.band_arrays(float(months.min()), float(months.max()), len(i))
        span = finite_range(d.revenue, d.cost, d.profit, [0.0], *(y for _, y in bands))
        if span is None:
            return
        if span[0] < 0 < span[1]:
            plt.hline(0.0)  # profit above the line, loss below
        for m in d.replacement_months:
            plt.vline(m)
        if d.break_even_month is not None:
            plt.vline(d.break_even_month)
        for x, y in bands:  # first: the lines drawn after them stay whole on top
            plt.plot(x, y, marker=BAND)
        for series, marker in ((d.revenue, BLOCKS), (d.cost, DOTS), (d.profit, LINE)):
            y = np.asarray(series, dtype=float)[i]
            ok = np.isfinite(y)
            if ok.any():
                plt.plot(months[ok], y[ok], marker=marker)
        money_axis(plt, *span, self.y_ticks())
        lo, hi = float(months.min()), float(months.max())
        at = tk.month_ticks(lo, hi, self.x_ticks(3))
        self.set_x(plt, lo, hi, at, tk.labels(at))


class FrontierChart(Chart):
    title = "price frontier"

    def legend(self, d: Frontier) -> list[tuple[str, str]]:
        you = f"you ({fmt.short_usd(d.current_price)}/min, {d.current_hours:g}h)" \
            if math.isfinite(d.current_price) and math.isfinite(d.current_hours) else "you"
        return [(LINE, "break-even price"), ("●", you)]

    def x_title(self, d: Frontier) -> str:
        return tk.fit(self.canvas[0], "hours of use per day (above the line: profit)",
                      "hours/day (above the line: profit)", "hours/day")

    def draw(self, plt: Any, d: Frontier) -> None:
        plt.title(tk.fit(self.canvas[0], "Break-even price per minute vs hours/day",
                         "Break-even $/min vs hours/day"))
        hours, price = np.asarray(d.hours, dtype=float), np.asarray(d.min_price, dtype=float)
        ok = np.isfinite(hours) & np.isfinite(price)
        if ok.any():
            plt.plot(hours[ok], price[ok], marker=LINE)
        here = math.isfinite(d.current_price) and math.isfinite(d.current_hours)
        if here:
            plt.scatter([d.current_hours], [d.current_price], marker="●")
            plt.hline(d.current_price)
        span = finite_range(price[ok], [d.current_price] if here else [])
        if span:
            money_axis(plt, *span, self.y_ticks())
        h = finite_range(hours[ok], [d.current_hours] if here else [])
        if h:
            lo = min(0.0, h[0])
            hi = max(h[1], lo + 1.0)
            at = tk.hour_ticks(lo, hi, min(5, self.x_ticks(3)))
            self.set_x(plt, lo, hi, at, tk.labels(at, "h"))


__all__ = ["BAND", "BAND_LABEL", "Banded", "Bars", "Chart", "CostVsUtilizationChart",
           "FleetUsersChart", "FrontierChart", "Heatmap", "ProjectionChart"]
