"""Which inputs move a figure most: ``infracalc sensitivity`` as a tornado chart in a dialog.

The run is one vectorised engine call (~10 ms), so it is made when the dialog opens; the
chart is text (widgets/tornado.py) and scrolls when the inputs outnumber the rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ... import formatting as fmt
from ..textual_fixes import Dialog
from ..widgets.tornado import Tornado, TornadoRow, swing_rows

if TYPE_CHECKING:
    from ...scenario import Scenario

DELTA = 0.2


def input_label(key: str) -> str:
    """The input's short label, as the inputs pane names it."""
    from ...scenario import field
    from ..widgets.field_labels import pane_label

    try:
        return pane_label(field(key))
    except KeyError:
        return key


def tornado_data(scenario: Scenario, metric: str, delta: float = DELTA
                 ) -> tuple[str, float | None, list[TornadoRow], str, str]:
    """(title, base, rows largest first, unit, note) of ``metric``'s sensitivity, run as
    the CLI runs it (every numeric input with a value, ±delta)."""
    from ...cli_analysis import swingable_inputs
    from ...engine.outputs import OUTPUTS
    from ...engine.sensitivity import sensitivity

    o = OUTPUTS.get(metric)
    unit, label = (o.unit, o.label) if o else ("", metric)
    base, swings = sensitivity(scenario.inputs, metric, swingable_inputs(scenario), delta)
    rows, still, undefined = swing_rows(swings, input_label)
    title = (f"{label}: {fmt.value(base, unit)} at the scenario; each input "
             f"±{delta * 100:g}%")
    notes = [f"{still} more inputs do not move it" if still else "",
             f"{undefined} leave it undefined" if undefined else ""]
    note = "; ".join(n for n in notes if n)
    return title, base, rows, unit, f"({note})" if note else ""


class TornadoScreen(Dialog[None]):
    """The sensitivity of ``metric`` for ``scenario``; Escape closes."""

    AUTO_FOCUS = "#tornado-body"
    BINDINGS = [Binding("escape,q", "close", "Close")]
    DEFAULT_CSS = """
    TornadoScreen { align: center middle; }
    TornadoScreen > .dialog {
        width: 100%; max-width: 120; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    TornadoScreen #tornado-body { height: auto; max-height: 80vh; }
    TornadoScreen .dialog-title { text-style: bold; color: $accent; }
    TornadoScreen .dialog-hint { color: $text-muted; }
    """

    def __init__(self, scenario: Scenario, metric: str, delta: float = DELTA) -> None:
        super().__init__()
        self.scenario, self.metric, self.delta = scenario, metric, delta
        self.title_text, self.base, self.rows, self.unit, self.note = tornado_data(
            scenario, metric, delta)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Sensitivity of {self.metric}", classes="dialog-title",
                         markup=False)
            with VerticalScroll(id="tornado-body"):
                yield Tornado(id="tornado")
            yield Static("↑/↓ to scroll · esc to close", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Tornado).show(self.title_text, self.base, self.rows, self.unit,
                                     self.delta, self.note)

    def action_close(self) -> None:
        self.dismiss()
