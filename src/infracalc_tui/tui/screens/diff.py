"""What differs between two scenarios: ``infracalc compare`` in a dialog.

The inputs whose resolved values differ, then every figure that changed (absolute and
percent of A's), section by section: the same rows as the CLI (``compare_reports``), so
the two never disagree. Figures that did not change are counted, not listed: the point
is to see what an edit moved.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ... import formatting as fmt
from ..textual_fixes import Dialog
from ..widgets.table import LineTable, Row

if TYPE_CHECKING:
    from ...scenario import Scenario

SECTIONS = (("host", "Host figures"), ("fleet", "Fleet figures"),
            ("throughput", "Throughput figures"))


def _number(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool)


def input_cell(x: Any, unit: str) -> str:
    """An input's value as a person would type it, with its unit."""
    if x is None:
        return fmt.NONE
    if _number(x):
        text = fmt.plain_number(float(x))
        return f"{text} {unit}" if unit and unit not in ("x",) else text
    return str(x)


def change_cell(change: float | None, unit: str) -> str:
    """The signed change, in the figure's unit without its "/day" (the column says it)."""
    if change is None:
        return ""
    sign = "+" if change > 0 else "-" if change < 0 else ""
    if unit.startswith("usd"):
        return sign + fmt.usd(abs(change))
    return sign + fmt.compact(abs(change))


def pct_cell(pct: float | None) -> str:
    return "" if pct is None else f"{pct:+.1f}%"


def diff_rows(a: Scenario, b: Scenario) -> tuple[list[Row], dict[str, list[Row]], int]:
    """(input rows (label, A, B); figure rows (label, A, B, change, %) by section, only
    those that changed; how many figures are the same) from ``compare_reports``."""
    from ...cli_analysis import compare_reports
    from ...engine.outputs import OUTPUTS
    from ...scenario import BY_PATH
    from .sensitivity import input_label

    result = compare_reports(a, b)
    inputs = []
    for row in result["inputs"]:
        f = BY_PATH.get(row["key"])
        unit = f.unit if f else ""
        inputs.append((input_label(row["key"]), input_cell(row["a"], unit),
                       input_cell(row["b"], unit)))
    figures: dict[str, list[Row]] = {}
    same = 0
    for row in result["outputs"]:
        if row["a"] == row["b"]:
            same += 1
            continue
        o = OUTPUTS.get(row["key"])
        unit, integer = (o.unit, o.integer) if o else ("", False)
        label = o.label if o else row["key"]
        figures.setdefault(row["key"].split(".")[0], []).append(
            (label, fmt.value(row["a"], unit, integer), fmt.value(row["b"], unit, integer),
             change_cell(row["change"], unit), pct_cell(row["change_pct"])))
    return inputs, figures, same


class DiffTable(LineTable, can_focus=False):
    """A table in the scrolling diff: the scroll container takes the keys, not the rows."""

    align_numbers = True


class DiffScreen(Dialog[None]):
    """Scenario ``a`` (the one open) against ``b`` (called ``b_label``); Escape closes."""

    AUTO_FOCUS = "#diff-body"
    BINDINGS = [Binding("escape,q", "close", "Close")]
    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > .dialog {
        width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    DiffScreen #diff-body { height: auto; max-height: 80vh; scrollbar-size-vertical: 1; }
    DiffScreen .dialog-title { text-style: bold; color: $accent; }
    DiffScreen .dialog-hint { color: $text-muted; }
    DiffScreen .diff-heading { color: $text-accent; text-style: bold; margin-top: 1; }
    DiffScreen .diff-note { color: $text-muted; }
    """

    def __init__(self, a: Scenario, b: Scenario, b_label: str) -> None:
        super().__init__()
        self.a, self.b, self.b_label = a, b, b_label
        self.inputs, self.figures, self.same = diff_rows(a, b)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"A: {self.a.name}\nB: {self.b_label}", classes="dialog-title",
                         markup=False)
            with VerticalScroll(id="diff-body"):
                yield Static("Inputs that differ", classes="diff-heading")
                if self.inputs:
                    yield DiffTable(("input", "A", "B"), self.inputs, id="diff-inputs")
                else:
                    yield Static("(none: the same inputs)", classes="diff-note")
                for section, heading in SECTIONS:
                    rows = self.figures.get(section)
                    if rows:
                        yield Static(heading, classes="diff-heading")
                        yield DiffTable(("figure", "A", "B", "change", "%"), rows,
                                        id=f"diff-{section}")
                changed = sum(len(r) for r in self.figures.values())
                yield Static(f"{changed} figures changed, {self.same} are the same",
                             classes="diff-note")
            yield Static("↑/↓ to scroll · esc to close", classes="dialog-hint")

    def text_lines(self) -> list[str]:
        """Every table's lines as plain text (for tests and checks)."""
        return [line for table in self.query(DiffTable) for line in table.text_lines()]

    def action_close(self) -> None:
        self.dismiss()
