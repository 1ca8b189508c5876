"""Charts drawn as text, without plotext: cost bars and the profitability heatmap.

Both read well without colour (NO_COLOR): the symbols carry the meaning, colour only helps.
Nothing here computes a figure.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Static

from ... import formatting as fmt

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
        name_w = min(max(len(x) for x in labels), max(8, self.size.width // 3))
        texts = [fmt.usd(a) + suffix for a in amounts]
        value_w = max(len(t) for t in texts)
        pct_w = 5 if shares else 0
        bar_w = max(1, self.size.width - name_w - value_w - pct_w - 4)
        top = max((abs(a) for a in amounts), default=0.0) or 1.0
        for i, (label, amount, text) in enumerate(zip(labels, amounts, texts, strict=True)):
            out.append(label[:name_w].ljust(name_w) + " ")
            out.append(text.rjust(value_w) + " ")
            if shares:
                share = shares[i]
                out.append((f"{share * 100:3.0f}%" if math.isfinite(share) else "  - ").rjust(4)
                           + " ")
            n = round(abs(amount) / top * bar_w)
            out.append(("█" if amount >= 0 else "▒") * n,
                       style="green" if amount >= 0 else "red")
            out.append("\n")
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

    def render(self) -> Text:
        import numpy as np  # with the charts, after the first paint

        g = self.grid
        if g is None:
            return Text("")
        width = max(1, self.size.width - 8)
        height = max(1, self.size.height - 3)
        cols = np.linspace(0, len(g.x) - 1, min(len(g.x), width)).round().astype(int)
        rows = np.linspace(0, len(g.y) - 1, min(len(g.y), height)).round().astype(int)
        z = g.z[np.ix_(rows, cols)]
        top = max(float(np.max(z)), 1e-12)
        bi, bj = g.best
        # the scenario's own cell: nearest shown row and column
        cy, cx = g.current
        here = (int(rows[np.argmin(np.abs(g.y[rows] - cy))]) if cy == cy else -1,
                int(cols[np.argmin(np.abs(g.x[cols] - cx))]) if cx == cx else -1)
        out = Text()
        out.append(f"profit/day, {g.y_label} x {g.x_label}; ★ best "
                   f"{fmt.usd(float(g.z[bi, bj]))}/day at {g.y[bi]:g} {g.y_label}, "
                   f"{g.x[bj]:g} h\n", style="bold")
        for r in range(len(rows) - 1, -1, -1):
            i = rows[r]
            out.append(f"{g.y[i]:>6.3g} ", style="dim")
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
                elif v < 0:  # '_' marks the last loss cell below the break-even boundary
                    out.append("_" if above >= 0 else "·", style="red")
                else:
                    out.append(_SHADES[min(3, int(v / top * 4))], style="green")
            out.append("\n")
        out.append(" " * 7 + f"{g.x[cols[0]]:g}h".ljust(max(1, len(cols) - 4)) +
                   f"{g.x[cols[-1]]:g}h\n", style="dim")
        legend = "◆ you  · loss  _ break-even edge  ░▒▓█ profit  ★ best"
        if np.any(g.y > g.y_limit):
            legend += "  × over max threads"
        out.append(legend, style="dim")
        return out
