"""Headline figures (a table you can move through and explain) and plain-word warnings."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from ... import formatting as fmt
from ...engine import OUTPUTS

FLEET_HEADLINES = (
    "fleet.gpus", "fleet.servers", "fleet.facility_power_mw", "fleet.energy_gwh_per_year",
    "fleet.energy_per_query_wh", "fleet.capex_usd", "fleet.annual_cost_usd",
    "fleet.cost_per_million_tokens_usd", "fleet.cost_per_user_per_month_usd",
    "fleet.annual_profit_usd", "throughput.decode_tokens_per_s_per_gpu",
    "throughput.decode_tokens_per_s_per_stream", "throughput.tensor_parallel",
    "throughput.batch", "throughput.bound",
)
HOST_HEADLINES = (
    "host.revenue_usd_per_day", "host.profit_usd_per_day", "host.profit_usd_per_month",
    "host.break_even_days", "host.roi_pct", "host.min_price_per_minute_usd",
    "host.hardware_cost_usd", "host.fits_in_memory", "host.memory_required_gb",
    "host.memory_available_gb", "host.max_threads", "host.decode_tokens_per_s_per_stream",
    "host.cost_per_million_tokens_usd",
)


def figure_text(report: dict[str, Any], path: str) -> str:
    section, key = path.split(".", 1)
    o = OUTPUTS[path]
    value = report[section][key]
    if path == "host.break_even_days" and value is None:
        return "never"
    return fmt.value(value, o.unit, o.integer)


class ExplainRequested(Message):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class FiguresTable(Widget, can_focus=True):
    """Headline figures, one per row; a cursor row that enter, `e` or a double click explains.

    A light widget, not a DataTable: it is repainted on every keystroke that changes a
    figure, and drawing a dozen lines of text must cost well under a millisecond.
    """

    DEFAULT_CSS = """
    FiguresTable { height: auto; }
    FiguresTable > .figures--label { color: $text-muted; }
    FiguresTable > .figures--odd { background: $surface-lighten-1 20%; }
    FiguresTable > .figures--cursor { background: $block-cursor-blurred-background; }
    FiguresTable:focus > .figures--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "figures--label", "figures--odd", "figures--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e,enter", "explain", "Explain", tooltip="Show how this figure was computed"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("home", "move(-1000)", "First", show=False),
        Binding("end", "move(1000)", "Last", show=False),
    ]

    def __init__(self, paths: tuple[str, ...], **kw: Any) -> None:
        super().__init__(**kw)
        self.paths = paths
        self.labels = [OUTPUTS[p].label for p in paths]
        self.texts = dict.fromkeys(paths, "")
        self.cursor_row = 0
        self._label_width = max(len(x) for x in self.labels) + 2
        self._rows: dict[tuple[Any, ...], Strip] = {}  # row key -> its drawn line

    @property
    def row_count(self) -> int:
        return len(self.paths)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.paths)

    def show(self, report: dict[str, Any]) -> None:
        changed = False
        for path in self.paths:
            text = figure_text(report, path)
            if text != self.texts[path]:
                self.texts[path] = text
                changed = True
        if changed:  # its size never depends on the figures: a repaint, never a relayout
            self.refresh()

    def get_cell(self, path: str, column: str = "value") -> str:
        return self.texts[path] if column == "value" else self.labels[self.paths.index(path)]

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.paths) - 1))
        self.refresh()

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_explain(self) -> None:
        self.post_message(ExplainRequested(self.paths[self.cursor_row]))

    def _first_shown(self) -> int:
        """Rows shown start here so that the cursor is always on screen."""
        height = max(1, self.size.height)
        return max(0, min(self.cursor_row - height + 1, len(self.paths) - height)) \
            if self.cursor_row >= height else 0

    def on_click(self, event: Click) -> None:
        row = self._first_shown() + event.y
        if 0 <= row < len(self.paths):
            self.move_cursor(row)
            if event.chain >= 2:
                self.action_explain()

    def render_line(self, y: int) -> Strip:
        """Line API: each row is built once per text, cursor, focus, width and theme, and
        reused; a change of one figure rebuilds one row, not the table."""
        i = self._first_shown() + y
        width = max(1, self.size.width)
        if i >= len(self.paths):
            return Strip.blank(width, self.rich_style)
        text = self.texts[self.paths[i]]
        key = (i, text, i == self.cursor_row, self.has_focus, width, self.app.theme)
        strip = self._rows.get(key)
        if strip is None:
            if len(self._rows) > 8 * len(self.paths):
                self._rows.clear()
            strip = self._rows[key] = self._row(i, text, width)
        return strip

    def _row(self, i: int, text: str, width: int) -> Strip:
        label_style = self.get_component_rich_style("figures--label")
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        line.append(" " + self.labels[i].ljust(self._label_width), style=label_style)
        line.append(text)  # the figure in the text colour, its label muted
        line.truncate(width, overflow="ellipsis", pad=True)
        if i == self.cursor_row:
            line.stylize(self.get_component_rich_style("figures--cursor"))
        elif i % 2:  # a stripe: its background only, so labels stay muted on every row
            line.stylize(Style(bgcolor=self.get_component_rich_style("figures--odd").bgcolor))
        return Strip(line.render(self.app.console), width).apply_style(self.rich_style)


class Warnings(Static):
    """Warnings for one tab, in plain words (or a reassuring line when there are none)."""

    def show(self, warnings: list[str], prefixes: tuple[str, ...]) -> None:
        mine = [w for w in warnings if w.startswith(prefixes)]
        text = "\n".join(f"⚠ {w}" for w in mine) if mine else "✓ No warnings."
        if text == getattr(self, "_text", None):
            return  # unchanged: no relayout, no repaint, no bytes over SSH
        self._text = text
        self.set_class(bool(mine), "-has-warnings")
        self.update(Text(text))
