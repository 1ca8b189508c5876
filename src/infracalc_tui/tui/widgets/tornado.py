"""The tornado chart of a sensitivity run, drawn as text: one row per input, largest first.

Why text and not plotext: each row needs its own label and both figures in real units
beside its bar, and the labels must never be cut; a plot canvas does neither. The two
halves of a bar use different glyphs (▒ input lowered, █ input raised), so the chart reads
without colour (NO_COLOR). ``tornado_lines`` is pure, so each width is cheap to test.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.geometry import Size
from textual.widgets import Static

from ... import formatting as fmt
from . import ticks as tk

LOWERED, RAISED, BASE = "▒", "█", "│"
MIN_BAR = 12  # columns of bar below which the label goes on a line of its own


@dataclass(frozen=True)
class TornadoRow:
    """One input: its key, its label and the figure with that input lowered and raised."""

    key: str
    label: str
    low: float  # the figure at the input's low value
    high: float  # the figure at the input's high value
    swing: float


def swing_rows(swings: Sequence[Any], label: Any) -> tuple[list[TornadoRow], int, int]:
    """(rows of the inputs that move the figure, largest first; how many do not move it;
    how many leave it undefined) from ``engine.sensitivity`` swings; ``label(key)``."""
    rows, still, undefined = [], 0, 0
    for s in swings:
        if s.swing is None:
            undefined += 1
        elif s.swing == 0:
            still += 1
        else:
            rows.append(TornadoRow(s.key, label(s.key), float(s.low), float(s.high),
                                   float(s.swing)))
    rows.sort(key=lambda r: -r.swing)
    return rows, still, undefined


def _col(x: float, lo: float, hi: float, bar_w: int) -> int:
    return round((x - lo) / (hi - lo) * (bar_w - 1)) if hi > lo else (bar_w - 1) // 2


def bar(row: TornadoRow, base: float, lo: float, hi: float, bar_w: int, ends: tuple[str, str]
        = ("", "")) -> str:
    """The row's bar on the shared scale lo..hi (``bar_w`` columns): ▒ from the base to the
    figure with the input lowered, █ to the figure with it raised, │ at the base; a swing
    too small for a column still shows one. ``ends`` (the figures at the bar's left and
    right ends) are written just outside it, in margins as wide as the widest of them."""
    margin = max(len(ends[0]), len(ends[1]))
    margin += 1 if margin else 0
    cells = [" "] * (bar_w + 2 * margin)
    b = _col(base, lo, hi, bar_w)
    first = last = b
    for figure, glyph in sorted(((row.low, LOWERED), (row.high, RAISED)),
                                key=lambda p: -abs(p[0] - base)):  # the shorter on top
        if not math.isfinite(figure) or figure == base:
            continue
        c = _col(figure, lo, hi, bar_w)
        if c == b:
            c = max(0, min(bar_w - 1, b + (1 if figure > base else -1)))
        first, last = min(first, c), max(last, c)
        for i in range(min(b, c), max(b, c) + 1):
            cells[margin + i] = glyph
    cells[margin + b] = BASE
    if margin:
        left, right = ends
        start = margin + first - 1 - len(left)
        cells[start:start + len(left)] = left
        start = margin + last + 2
        cells[start:start + len(right)] = right
    return "".join(cells)


def tornado_lines(title: str, base: float | None, rows: Sequence[TornadoRow], unit: str,
                  width: int, delta: float = 0.2, note: str = "") -> list[str]:
    """The chart as plain lines of at most ``width`` columns (labels wrap, never cut)."""
    width = max(20, width)
    pct = f"{delta * 100:g}%"
    out = textwrap.wrap(title, width) or [""]
    if base is None or not rows:
        out.append("(no input moves this figure)" if base is not None
                   else "(this figure is undefined for the scenario)")
        return out
    out += tk.wrap_entries([f"{LOWERED} input −{pct}", f"{RAISED} input +{pct}",
                            f"{BASE} the scenario"], width)
    ends = [(fmt.value(min(r.low, r.high), unit), fmt.value(max(r.low, r.high), unit))
            for r in rows]
    swings = [fmt.value(r.swing, unit) for r in rows]
    value_w = max(len(t) for pair in ends for t in pair)
    swing_w = max(len("swing"), *(len(t) for t in swings))
    name_w = max(len(r.label) for r in rows)
    lo = min(base, *(min(r.low, r.high) for r in rows))
    hi = max(base, *(max(r.low, r.high) for r in rows))
    wide_bar = width - name_w - 1 - value_w - 1 - 1 - value_w - 2 - swing_w
    if wide_bar >= MIN_BAR:  # label, figure, bar, figure, swing on one line
        out.append(f"{'input':<{name_w}} {'':{wide_bar + 2 * value_w + 2}}  "
                   f"{'swing':>{swing_w}}")
        for r, pair, swing in zip(rows, ends, swings, strict=True):
            out.append(f"{r.label:<{name_w}} {bar(r, base, lo, hi, wide_bar, pair)} "
                       f" {swing:>{swing_w}}")
        return out + ([note] if note else [])
    # narrow: the label (and its swing) on a line, the figures and the bar under it
    bar_w = max(3, width - 2 - 2 * value_w - 2)
    for r, pair, swing in zip(rows, ends, swings, strict=True):
        head = f"{r.label}  swing {swing}"
        out += [head] if len(head) <= width else [*textwrap.wrap(r.label, width),
                                                  f"  swing {swing}"]
        out.append(f"  {bar(r, base, lo, hi, bar_w, pair)}".rstrip())
    return out + (textwrap.wrap(note, width) if note else [])


class Tornado(Static):
    """A tornado chart that fits any width; its height follows its rows (put it in a
    scrolling container)."""

    DEFAULT_CSS = "Tornado { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[TornadoRow] = []
        self._args: tuple[Any, ...] | None = None
        self._opts: dict[str, Any] = {}

    def show(self, title: str, base: float | None, rows: Sequence[TornadoRow], unit: str,
             delta: float = 0.2, note: str = "") -> None:
        self.rows = list(rows)
        self._args = (title, base, self.rows, unit)
        self._opts = {"delta": delta, "note": note}
        self.refresh(layout=True)

    def lines(self, width: int | None = None) -> list[str]:
        """What the chart shows at ``width`` (its own by default), as plain text."""
        if self._args is None:
            return []
        return tornado_lines(*self._args, width or self.size.width, **self._opts)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.lines(width))

    def render(self) -> Text:
        lines = self.lines()
        text = Text("\n".join(lines), no_wrap=True, overflow="crop")
        if self._args is not None:  # the title's lines in bold
            k = len(textwrap.wrap(self._args[0], max(20, self.size.width))) or 1
            text.stylize(Style(bold=True), 0, sum(len(line) + 1 for line in lines[:k]))
        variables = self.app.theme_variables
        for pattern, colour in ((f"{RAISED}+", "primary"), (f"{LOWERED}+", "secondary"),
                                (BASE, "foreground-muted")):
            try:
                style = Style(color=Color.parse(variables[colour]).rich_color)
            except Exception:  # a theme without that variable: the glyphs alone
                continue
            text.highlight_regex(re.escape(pattern[0]) + pattern[1:], style)
        return text
