"""Goal seek in a dialog: which value of one input makes a figure reach a target.

The same search as ``infracalc solve`` (``engine.solve``, over the input's allowed range,
the root nearest the scenario's value, and the scenario's rules checked on the answer), so
the dialog and the CLI never disagree. Keyboard first: Enter on the figure, type the
target, Enter, Enter on the input solves, Enter again applies. The dialog only proposes a
value: the caller sets it as an unsaved edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ... import formatting as fmt
from ...scenario.numbers import parse_number
from ..textual_fixes import Dialog

if TYPE_CHECKING:
    from ...scenario import Scenario

#: the input first offered for a figure of each section (else the list's first)
DEFAULT_VARY = {"host": "pricing.utilization_hours_per_day", "fleet": "fleet.users",
                "throughput": "serving.mbu"}


@dataclass(frozen=True)
class Sought:
    """A goal seek's answer: the input's value and the sentence that says what it does."""

    key: str
    value: float | int
    text: str


def numeric_figures() -> list[str]:
    """The report figures a target can be set on (numbers, not text or yes/no)."""
    from ...engine.outputs import OUTPUTS

    return [k for k, o in OUTPUTS.items() if o.unit not in ("text", "bool")]


def goal_seek(scenario: Scenario, target: str, goal: float, vary: str) -> Sought:
    """The value of ``vary`` at which ``target`` equals ``goal``, as ``infracalc solve``
    finds it; ValueError with the one line to show when no value in range reaches it or
    the value found breaks one of the scenario's rules."""
    from ...cli_analysis import _allowed_range
    from ...engine.outputs import OUTPUTS
    from ...engine.solve import NoSolution, solve
    from ...scenario import field

    f = field(vary)
    lo, hi = _allowed_range(f)
    integer = f.kind == "int"
    try:
        result = solve(scenario.inputs, target, goal, f.path, lo, hi, integer=integer,
                       current=scenario.values.get(f.path))
    except NoSolution as exc:
        raise ValueError(str(exc)) from None
    value: float | int = int(result.value) if integer else result.value
    problems = scenario.with_value(f.path, value).problems()
    if problems:
        raise ValueError(f"{f.path} = {value:g} reaches the target but breaks a rule: "
                         f"{problems[0].message}")
    o = OUTPUTS[target]
    text = (f"{f.path} = {fmt.value(value, f.unit, integer)} gives {target} = "
            f"{fmt.value(result.achieved, o.unit, o.integer)}")
    if result.next_value is not None and result.next_achieved is not None:
        text += (f"; it jumps over the target there (at "
                 f"{fmt.value(result.next_value, f.unit, integer)} it is "
                 f"{fmt.value(result.next_achieved, o.unit, o.integer)})")
    return Sought(f.path, value, text)


class SolveScreen(Dialog[tuple[str, float] | None]):
    """Pick a figure, type its target, pick the input to vary; dismisses with
    ``(input_key, value)`` when applied, None when cancelled."""

    AUTO_FOCUS = "#solve-figure"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]
    DEFAULT_CSS = """
    SolveScreen { align: center middle; }
    SolveScreen > .dialog {
        width: 100%; max-width: 110; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SolveScreen .dialog-title { text-style: bold; color: $accent; }
    SolveScreen .dialog-hint { color: $text-muted; }
    SolveScreen OptionList { height: auto; max-height: 5; }
    SolveScreen #solve-goal-row { height: auto; }
    SolveScreen #solve-goal-row Label { padding-right: 1; }
    SolveScreen #solve-goal { width: 1fr; }
    SolveScreen #solve-result { height: auto; min-height: 2; margin-top: 1; }
    SolveScreen #solve-result.error { color: $text-error; }
    SolveScreen .buttons { height: auto; align: center middle; }
    SolveScreen .buttons Button { margin: 0 1; }
    """

    def __init__(self, scenario: Scenario, target: str | None = None,
                 vary: str | None = None) -> None:
        """``target``: the figure preselected; ``vary``: the input preselected."""
        from ...calc import report_for
        from ...cli_analysis import swingable_inputs

        super().__init__()
        self.scenario = scenario
        self.report = report_for(scenario)
        self.figures = numeric_figures()
        self.inputs = [s.key for s in swingable_inputs(scenario)]
        section = (target or "host").split(".")[0]
        self.target = target if target in self.figures else self.figures[0]
        wanted = vary or DEFAULT_VARY.get(section, "")
        self.vary = wanted if wanted in self.inputs else self.inputs[0]
        self.sought: Sought | None = None

    def _figure_prompt(self, path: str) -> str:
        from ...engine.outputs import OUTPUTS

        o = OUTPUTS[path]
        section, key = path.split(".", 1)
        now = fmt.value(self.report[section].get(key), o.unit, o.integer)
        return f"{o.label} = {now} · {path}"

    def _input_prompt(self, path: str) -> str:
        from ...scenario import field
        from ..widgets.field_labels import pane_label
        from .diff import input_cell

        f = field(path)
        return f"{pane_label(f)} = {input_cell(self.scenario.values.get(path), f.unit)} · {path}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Solve: which input value reaches a target", classes="dialog-title")
            yield Label("The figure to reach (↑/↓, enter):", markup=False)
            yield OptionList(*[Option(self._figure_prompt(p), id=p) for p in self.figures],
                             id="solve-figure", markup=False)
            with Horizontal(id="solve-goal-row"):
                yield Label("Target value:", markup=False)
                yield Input(placeholder="e.g. 365, $0.02, 1B", id="solve-goal", compact=True)
            yield Label("The input to vary (enter solves):", markup=False)
            yield OptionList(*[Option(self._input_prompt(p), id=p) for p in self.inputs],
                             id="solve-vary", markup=False)
            yield Static("", id="solve-result", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Solve", id="solve-run", compact=True)
                yield Button("Apply", id="solve-apply", variant="primary", compact=True,
                             disabled=True)
            yield Static("enter: next step · enter on Apply sets the value · esc: cancel",
                         classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#solve-figure", OptionList).highlighted = \
            self.figures.index(self.target)
        self.query_one("#solve-vary", OptionList).highlighted = self.inputs.index(self.vary)

    # -- the steps ---------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#solve-figure")
    def _figure_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one("#solve-goal", Input).focus()

    @on(Input.Submitted, "#solve-goal")
    def _goal_typed(self, event: Input.Submitted) -> None:
        event.stop()
        if self._goal() is not None:
            self.query_one("#solve-vary", OptionList).focus()

    @on(OptionList.OptionSelected, "#solve-vary")
    def _vary_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.run_solve()

    @on(OptionList.OptionHighlighted)
    def _changed(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._set_result(None, "")  # a new question: the old answer no longer holds

    @on(Input.Changed, "#solve-goal")
    def _goal_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._set_result(None, "")

    @on(Button.Pressed, "#solve-run")
    def _run_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.run_solve()

    @on(Button.Pressed, "#solve-apply")
    def _apply_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.apply()

    # -- the work ----------------------------------------------------------------------------

    def _goal(self) -> float | None:
        """The typed target, or None (the reason shown) when it is not a number."""
        text = self.query_one("#solve-goal", Input).value.strip()
        try:
            return parse_number(text)
        except ValueError as exc:
            self._set_result(None, f"Target value: {exc}" if text else
                             "Type the value the figure must reach", error=True)
            self.query_one("#solve-goal", Input).focus()
            return None

    def _picked(self, list_id: str) -> str | None:
        options = self.query_one(list_id, OptionList)
        if options.highlighted is None:
            return None
        return options.get_option_at_index(options.highlighted).id

    def run_solve(self) -> Sought | None:
        """Solve for the figure, target and input chosen; show the answer (Apply focused)
        or the one line saying why there is none."""
        target, vary = self._picked("#solve-figure"), self._picked("#solve-vary")
        goal = self._goal()
        if goal is None or target is None or vary is None:
            return None
        try:
            sought = goal_seek(self.scenario, target, goal, vary)
        except ValueError as exc:
            self._set_result(None, str(exc), error=True)
            return None
        self._set_result(sought, sought.text)
        self.query_one("#solve-apply", Button).focus()
        return sought

    def _set_result(self, sought: Sought | None, text: str, error: bool = False) -> None:
        self.sought = sought
        result = self.query_one("#solve-result", Static)
        result.update(text)
        result.set_class(error, "error")
        self.query_one("#solve-apply", Button).disabled = sought is None

    @property
    def result_text(self) -> str:
        """The answer or error shown (for tests and callers)."""
        return str(self.query_one("#solve-result", Static).render())

    def apply(self) -> None:
        if self.sought is None:
            self.app.bell()
            return
        self.dismiss((self.sought.key, self.sought.value))
