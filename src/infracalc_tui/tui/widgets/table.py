"""A light table of text rows with a cursor: the headline figures and the Compare table.

Why not DataTable: these tables are repainted on every keystroke that changes a figure.
DataTable re-measures and re-renders every cell through Rich (~15 ms for the 7x6 Compare
table); here each row is drawn once per content, cursor, focus, width and theme, and a
change of one figure rebuilds one row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

Row = tuple[str, ...]


class LineTable(Widget, can_focus=True):
    """Rows of text cells under an optional header; the first column is a muted label and
    the others are right-aligned when ``align_numbers`` is set (they hold figures)."""

    DEFAULT_CSS = """
    LineTable { height: auto; }
    LineTable > .table--header { text-style: bold; color: $text-accent; }
    LineTable > .table--label { color: $text-muted; }
    LineTable > .table--odd { background: $surface-lighten-1 20%; }
    LineTable > .table--cursor { background: $block-cursor-blurred-background; }
    LineTable:focus > .table--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
        text-style: bold;
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "table--header", "table--label", "table--odd", "table--cursor"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "move(-10)", "Page up", show=False),
        Binding("pagedown", "move(10)", "Page down", show=False),
        Binding("home", "move(-1000)", "First", show=False),
        Binding("end", "move(1000)", "Last", show=False),
    ]

    align_numbers = False
    min_label_width = 12

    def __init__(self, header: Row | None = None, rows: Sequence[Row] = (), **kw: Any) -> None:
        super().__init__(**kw)
        self.header = header
        self.rows: list[Row] = list(rows)
        self.cursor_row = 0
        self._widths: list[int] = []
        self._lines: dict[tuple[Any, ...], Strip] = {}  # row key -> its drawn line
        self._measure()

    # -- content ----------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: Sequence[Row]) -> None:
        """New rows; a repaint only, unless the number of rows changed."""
        rows = list(rows)
        if rows == self.rows:
            return
        grew = len(rows) != len(self.rows)
        self.rows = rows
        self.cursor_row = max(0, min(self.cursor_row, len(rows) - 1))
        self._measure()
        self.unpainted = True
        self.refresh(layout=grew)

    def _measure(self) -> None:
        table = ([self.header] if self.header else []) + self.rows
        columns = max((len(r) for r in table), default=0)
        self._widths = [max((len(r[c]) for r in table if c < len(r)), default=0)
                        for c in range(columns)]
        # a left-aligned last column is padded to the edge anyway: its width draws nothing
        self._widths_key = tuple(self._widths if self.align_numbers else self._widths[:-1])

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.rows) + (1 if self.header else 0)

    # -- cursor -----------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))
        self.refresh()

    def action_move(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def _body_height(self) -> int:
        return max(1, self.size.height - (1 if self.header else 0))

    def _first_shown(self) -> int:
        """Rows shown start here so that the cursor is always on screen."""
        height = self._body_height()
        if self.cursor_row < height:
            return 0
        return max(0, min(self.cursor_row - height + 1, len(self.rows) - height))

    def row_at(self, y: int) -> int | None:
        """The row under line ``y`` of the widget, if any."""
        row = self._first_shown() + y - (1 if self.header else 0)
        return row if 0 <= row < len(self.rows) and (y > 0 or not self.header) else None

    def on_click(self, event: Click) -> None:
        row = self.row_at(event.y)
        if row is not None:
            self.move_cursor(row)
            if event.chain >= 2:
                self.activate(row)

    def activate(self, row: int) -> None:
        """A double click on a row (subclasses act on it)."""

    # -- drawing ----------------------------------------------------------------------------

    #: new rows not yet drawn: what follows a keystroke's figures waits for them
    unpainted = False

    def render_line(self, y: int) -> Strip:
        self.unpainted = False
        width = max(1, self.size.width)
        if self.header:
            if y == 0:
                return self._line(-1, self.header, width)
            y -= 1
        i = self._first_shown() + y
        if i >= len(self.rows):
            return Strip.blank(width, self._base_style())
        return self._line(i, self.rows[i], width)

    def _line(self, i: int, cells: Row, width: int) -> Strip:
        key = (i, cells, i == self.cursor_row, self.has_focus, width, self._widths_key,
               self.app.theme)
        strip = self._lines.get(key)
        if strip is None:
            if len(self._lines) > 8 * (len(self.rows) + 1):
                self._lines.clear()
            strip = self._lines[key] = self._draw(i, cells, width)
        return strip

    def _fitted_widths(self, width: int) -> list[int]:
        """Column widths; the label column gives way first when the row is too wide."""
        widths = list(self._widths)
        over = 1 + sum(widths) + 2 * (len(widths) - 1) - width  # lead, cells, gaps
        if over > 0 and widths:
            widths[0] = max(min(self.min_label_width, widths[0]), widths[0] - over)
        return widths

    def _base_style(self) -> Style:
        """The widget's own style (``rich_style`` walks every ancestor on each call)."""
        key = (self.app.theme, self.has_focus)
        if self._base != key:
            self._base = key
            self._base_rich_style = self.rich_style
        return self._base_rich_style

    _base: tuple[str, bool] | None = None
    _base_rich_style = Style()

    def _draw(self, i: int, cells: Row, width: int) -> Strip:
        style = self.get_component_rich_style
        widths = self._fitted_widths(width)
        line = Text(" ", no_wrap=True, overflow="ellipsis", end="")
        for c, cell in enumerate(cells):
            w = widths[c] if c < len(widths) else len(cell)
            text = cell if len(cell) <= w else cell[:max(0, w - 1)] + "…"
            text = text.rjust(w) if c and self.align_numbers else text.ljust(w)
            line.append(text + ("  " if c < len(cells) - 1 else ""),
                        style=style("table--label") if c == 0 and i >= 0 else None)
        line.truncate(width, overflow="ellipsis", pad=True)
        if i < 0:
            line.stylize(style("table--header"))
        elif i == self.cursor_row:
            line.stylize(style("table--cursor"))
        elif i % 2:  # a stripe: its background only, so labels stay muted on every row
            line.stylize(Style(bgcolor=style("table--odd").bgcolor))
        return Strip(line.render(self.app.console), width).apply_style(self._base_style())

    def text_lines(self) -> list[str]:
        """What the table shows, as plain text (for tests and checks)."""
        return [self.render_line(y).text for y in range(self.size.height)]
