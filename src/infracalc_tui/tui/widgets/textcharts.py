"""Charts drawn as text, without plotext: cost bars and the profitability heatmap.

Both read well without colour (NO_COLOR): the symbols carry the meaning, colour only helps.
Nothing here computes a figure.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.strip import Strip
from textual.widgets import Static

from ... import formatting as fmt
from . import ticks as tk

if TYPE_CHECKING:  # the series module is imported with the charts, after the first paint
    from ...engine.series import Breakdown, Grid

Source = Callable[[Mapping[str, Any]], Any]


class Bars(Static):
    """Horizontal bars drawn as text: label, amount, share and a bar. Fits any width."""

    def __init__(self, source: Source | None = None, *, title: str = "cost breakdown",
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.title = title

    def show_data(self, data: Breakdown) -> None:
        self.show_breakdown(data)

    def show(self, title: str, labels: list[str], amounts: list[float], suffix: str,
             shares: list[float] | None = None) -> None:
        self._rows = (title, labels, amounts, suffix, shares)
        self.refresh()  # its size comes from the grid cell, not from its content

    def show_breakdown(self, b: Breakdown) -> None:
        self.show(f"Cost per {b.period}", b.labels, [float(a) for a in b.amounts],
                  f"/{'yr' if b.period == 'year' else b.period}", [float(x) for x in b.shares])

    MIN_BAR = 6  # columns of bar worth keeping before labels wrap instead

    _lines: list[Strip] | None = None
    _lines_key: tuple[Any, ...] = ()

    def render_line(self, y: int) -> Strip:
        """Line API: the bars are laid out once per data, size and theme and then copied;
        a Static lays its text out again on every repaint (~5 ms of a Compare keystroke)."""
        key = (getattr(self, "_rows", None), self.size, self.app.theme)
        if self._lines is None or key != self._lines_key:
            base, width = self.rich_style, max(1, self.size.width)
            lines = self.render().split("\n", allow_blank=True)
            self._lines = [Strip(list(line.render(self.app.console))).apply_style(base)
                           .crop(0, width).adjust_cell_length(width, base) for line in lines]
            blank = Strip.blank(width, base)  # rich_style walks the DOM: once, not per row
            self._lines += [blank] * max(0, self.size.height - len(self._lines))
            self._lines_key = key
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.rich_style)

    def render(self) -> Text:
        rows = getattr(self, "_rows", None)
        out = Text()
        if rows is None:
            return out
        title, labels, amounts, suffix, shares = rows
        out.append(title + "\n", style="bold")
        if not labels:
            out.append("(nothing to show)", style="dim")
            return out
        width = max(1, self.size.width)
        texts = [fmt.usd(a) + suffix for a in amounts]
        value_w = max(len(t) for t in texts)
        pct_w = 5 if shares else 0
        fixed = 1 + value_w + 1 + pct_w + 1
        # whole labels when they leave room for a bar; else each wraps on words (never cut)
        name_w = max(len(x) for x in labels)
        if name_w + fixed + self.MIN_BAR > width:
            word = max(len(w) for x in labels for w in x.split() or [""])
            name_w = max(8, width - fixed - self.MIN_BAR, min(word, width - fixed - 1))
        bar_w = max(1, width - name_w - fixed)
        top = max((abs(a) for a in amounts), default=0.0) or 1.0
        for i, (label, amount, text) in enumerate(zip(labels, amounts, texts, strict=True)):
            lines = textwrap.wrap(label, name_w, break_on_hyphens=False) or [""]
            out.append(lines[0].ljust(name_w) + " ")
            out.append(text.rjust(value_w) + " ")
            if shares:
                share = shares[i]
                out.append((f"{share * 100:3.0f}%" if math.isfinite(share) else "  - ").rjust(4)
                           + " ")
            n = round(abs(amount) / top * bar_w) if math.isfinite(amount) else 0
            out.append(("█" if amount >= 0 else "▒") * n,
                       style="green" if amount >= 0 else "red")
            out.append("\n")
            for more in lines[1:]:
                out.append(more + "\n")
        return out


_SHADES = "░▒▓█"


class Heatmap(Static):
    """Profit/day over a grid as symbols: loss '·', profit ░▒▓█ by size, best ★, break-even _.

    Readable without colour (NO_COLOR): the symbols carry the meaning, colour only helps.
    """

    grid: Grid | None = None

    def __init__(self, source: Source, *, title: str = "heatmap", id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.title = title

    def show_data(self, grid: Grid) -> None:
        self.grid = grid
        self.refresh()  # its size comes from the grid cell, not from its content

    # where the last render put the cells, for tests: grid row per line, grid column per cell
    body_rows: list[int] = []
    body_cols: list[int] = []
    body_top = 0
    label_width = 6

    def render(self) -> Text:
        import numpy as np  # with the charts, after the first paint

        g = self.grid
        if g is None:
            return Text("")
        width = max(12, self.size.width)
        # y labels: round values (ticks.py) on the row holding each, in the axis' unit
        money = g.y_label.startswith("$")
        unit = g.y_label.removeprefix("$") if money else ""
        top_line = f"Profit/day by {g.y_label} x {g.x_label}"
        bi, bj = g.best
        best_y = (fmt.short_usd(float(g.y[bi])) + unit if money
                  else f"{fmt.short(float(g.y[bi]))} {g.y_label}")
        best = (f"★ best {fmt.usd(float(g.z[bi, bj]))}/day at {best_y}, "
                f"{fmt.short(float(g.x[bj]))}h")
        heading = [top_line + "; " + best] if len(top_line) + 2 + len(best) <= width \
            else textwrap.wrap(top_line, width) + textwrap.wrap(best, width)
        legend = ["◆ you", "· loss", "_ break-even edge", "░▒▓█ profit", "★ best"]
        if np.any(g.y > g.y_limit):
            legend.append("× over max threads")
        legend = tk.wrap_entries(legend, width)
        label_w = 6
        height = max(1, self.size.height - len(heading) - 1 - len(legend))
        cols = np.linspace(0, len(g.x) - 1, min(len(g.x), max(1, width - label_w - 1))
                           ).round().astype(int)
        rows = np.linspace(0, len(g.y) - 1, min(len(g.y), height)).round().astype(int)
        ys = [float(v) for v in g.y[rows]]
        whole = all(float(v).is_integer() for v in ys)  # threads: no 2.5 threads
        ticks = tk.nice_ticks(min(ys), max(ys), max(2, (len(rows) + 1) // 2), integer=whole)
        names = tk.labels(ticks, "$" if money else "")
        row_label: dict[int, str] = {}
        step = (max(ys) - min(ys)) / max(1, len(ys) - 1)
        for t, name in zip(ticks, names, strict=True):
            r = tk.nearest(ys, t)
            if r >= 0 and abs(ys[r] - t) <= step / 2 + 1e-12 and r not in row_label:
                row_label[r] = name
        label_w = max([4, *(len(x) for x in row_label.values())])
        self.body_rows, self.body_cols = [int(i) for i in rows[::-1]], [int(j) for j in cols]
        self.body_top, self.label_width = len(heading), label_w
        z = g.z[np.ix_(rows, cols)]
        finite = z[np.isfinite(z)]
        top = max(float(finite.max()) if finite.size else 0.0, 1e-12)
        # the scenario's own cell: nearest shown row and column
        cy, cx = g.current
        here = (int(rows[np.argmin(np.abs(g.y[rows] - cy))]) if cy == cy else -1,
                int(cols[np.argmin(np.abs(g.x[cols] - cx))]) if cx == cx else -1)
        out = Text()
        for line in heading:
            out.append(line + "\n", style="bold")
        for r in range(len(rows) - 1, -1, -1):
            i = rows[r]
            out.append(row_label.get(r, "").rjust(label_w) + " ", style="dim")
            if g.y[i] > g.y_limit:  # the hardware cannot serve this many threads
                out.append("×" * len(cols), style="dim")
                out.append("\n")
                continue
            for c, j in enumerate(cols):
                v = z[r, c]
                above = z[r + 1, c] if r + 1 < len(rows) else v
                if i == bi and j == bj:
                    out.append("★", style="bold yellow")
                elif (i, j) == here:
                    out.append("◆", style="bold reverse")
                elif not v >= 0:  # '_' marks the last loss cell below the break-even boundary
                    out.append("_" if above >= 0 else "·", style="red")
                else:
                    out.append(_SHADES[min(3, int(v / top * 4))], style="green")
            out.append("\n")
        out.append(self._hour_axis(g.x[cols], label_w + 1, width) + "\n", style="dim")
        out.append("\n".join(legend), style="dim")
        return out

    @staticmethod
    def _hour_axis(hours: Any, indent: int, width: int) -> str:
        """Hour ticks on round hours (6h 12h 18h 24h) under the columns holding them, and
        the first column's hour when it has room."""
        xs = [float(h) for h in hours]
        if not xs:
            return ""
        ticks = tk.hour_ticks(min(xs), max(xs), max(2, len(xs) // 4))
        step = (max(xs) - min(xs)) / max(1, len(xs) - 1)
        items = []
        for t, name in zip(ticks, tk.labels(ticks, "h"), strict=True):
            c = tk.nearest(xs, t)
            if c >= 0 and abs(xs[c] - t) <= step / 2 + 1e-12:
                items.append(tk.centred(indent + c, name, width))
        first = tk.labels([xs[0]], "h")[0]
        if xs[0] not in ticks:
            items.append([(indent, first)])
        return tk.place(width, items)[0].rstrip()
