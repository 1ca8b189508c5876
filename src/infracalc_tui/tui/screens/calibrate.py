"""The calibration dialog: which figure you measured and its value (``infracalc calibrate``)."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ... import formatting as fmt
from ...engine.outputs import OUTPUTS
from ...scenario.numbers import parse_number
from ..textual_fixes import Dialog

#: The figures a measurement can calibrate (engine.calibrate.MEASURABLE, without numpy).
MEASURABLE = ("host.decode_tokens_per_s_per_stream", "throughput.decode_tokens_per_s_per_stream",
              "throughput.served_tokens_per_s_per_stream",
              "throughput.decode_tokens_per_s_per_gpu", "throughput.step_time_ms",
              "throughput.prefill_tokens_per_s_per_gpu")


class CalibrateScreen(Dialog[tuple[str, float] | None]):
    """Pick the figure you measured, type its value, enter: the knobs are fitted to it."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, report: dict[str, Any]) -> None:
        super().__init__()
        self.report = report

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Calibrate from a measurement", classes="dialog-title")
            yield Label("The figure you measured on this configuration (↑/↓):", markup=False)
            options = []
            for path in MEASURABLE:
                section, key = path.split(".", 1)
                o = OUTPUTS[path]
                now = fmt.value(self.report[section][key], o.unit, o.integer)
                where = "host" if section == "host" else "fleet replica"
                options.append(Option(f"{o.label} ({where}), now {now}", id=path))
            yield OptionList(*options, id="calibrate-figure")
            yield Label("Your measured value (enter to fit):", markup=False)
            yield Input(placeholder="e.g. 19.1", id="calibrate-value")
            yield Static("tab to the value, enter to fit, esc to cancel", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _picked(self) -> None:
        self.query_one("#calibrate-value", Input).focus()

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        options = self.query_one("#calibrate-figure", OptionList)
        try:
            value = parse_number(event.value.strip())
        except ValueError:
            value = -1.0
        if options.highlighted is None or not 0 < value < 1e12:
            self.notify("Type the measured value: a number above 0", severity="warning")
            return
        path = options.get_option_at_index(options.highlighted).id
        self.dismiss((str(path), value))


def calibrated(scenario: Any, key: str, measured: float) -> tuple[Any, str]:
    """The scenario with the knobs fitted to ``key = measured`` (unsaved edits, the
    measurement noted in ``serving.measured``), and what to tell the user."""
    from ...engine.calibrate import calibrate

    result = calibrate(scenario.values, {key: measured})
    new = scenario
    for knob, value in result.knobs.items():
        new = new.with_value(knob, round(value, 4))
    new = new.with_value("serving.measured", f"{key}={measured:g}")
    knobs = ", ".join(f"{k.split('.')[1]} = {v:.3g}" for k, v in result.knobs.items())
    return new, f"{knobs}; residual {result.residual_pct[key]:+.2f}%"
