"""The main screen: inputs on the left, Fleet / Host / Compare results on the right.

It owns the scenario being edited and routes every message: an edit makes a new Scenario,
the engine turns it into a report and chart series, the widgets only display them. Files
and recovery are services (``services/``); each command is declared once (``commands``).
"""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.widgets import Footer, Static

from ...calc import parse_field_text, report_for
from ...formatting import plain_number
from ...prefetch import Prefetch
from ...scenario import BY_PATH, Scenario, ScenarioError
from .. import commands
from ..animation import ThreadAnimation
from ..services.documents import Documents, dialogs
from ..services.recovery_service import RecoveryService
from ..uncertainty_view import UncertaintyView
from ..widgets.chart_sets import fleet_charts, host_charts
from ..widgets.compare import CompareTable, CompareView
from ..widgets.deck import ChartDeck
from ..widgets.figures import (
    FLEET_HEADLINES,
    HOST_HEADLINES,
    AnalysisRequested,
    ExplainRequested,
)
from ..widgets.inputs import FieldEdited, FieldFocused, InputsPane, field_id
from ..widgets.results import ResultsTab, results_parts
from ..widgets.table import LineTable
from ..widgets.tabs import TabbedPanes
from .pacing import ChartsAfterFigures
from .paint import PromptScreen, first_frame_out, hold_gc_until_painted
from .workbench import Workbench

NARROW = 100  # below this many columns, inputs and results take turns (F2)
SHORT = 32  # below this many rows (or when narrow), figures and charts take turns (F8)
INPUTS_WIDTH, FIGURES_WIDTH, SIDE_MIN = 47, 52, 20  # app.tcss's #inputs, FiguresTable; a
# column of warnings and ranges narrower than SIDE_MIN wraps them word by word
# the input F2 puts the cursor in, per tab, before any field has been used
KEY_INPUT = {"fleet": "fleet.users", "host": "pricing.charge_per_minute_usd",
             "compare": "host.gpu_count"}
IDLE_HELP = "Tab moves between fields; ↑/↓ nudge a number (shift ×10); F1 help."


class MainScreen(Workbench, ChartsAfterFigures, PromptScreen):
    BINDINGS = commands.bindings()

    def __init__(self, scenario: Scenario, path: Path | None,
                 first_report: Prefetch | None = None) -> None:
        super().__init__(id="_default")
        self.documents = Documents(self, scenario, path, self._loaded, self._saved)
        self.recovery = RecoveryService(self, self.documents)
        self.animation = ThreadAnimation(self, lambda: self.recompute())
        self.uncertainty = UncertaintyView(self)
        self._first_report = first_report  # computed meanwhile by a child process, if any
        self.report: dict[str, Any] = {} if first_report else report_for(scenario)
        self.errors: dict[str, str] = {}  # field -> why its text is refused
        self._stale: set[str] = {"fleet", "host", "compare"}
        self._last_field: str | None = None
        self._shown_values: dict[str, Any] | None = None
        self._bar_text: str | None = None
        self._title_shown = ""

    @property
    def scenario(self) -> Scenario:
        return self.documents.scenario

    @scenario.setter
    def scenario(self, scenario: Scenario) -> None:
        self.documents.scenario = scenario

    @property
    def dirty(self) -> bool:
        return self.documents.dirty

    @property
    def path(self) -> Path | None:
        return self.documents.path

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        opens_on = self.scenario.opens_on
        # a title line of our own, not Textual's Header: the Header's title watcher raises
        # NoMatches when the app quits in its first moments (it only expects NoScreen)
        title, sub_title = self.documents.title()
        self.app.title, self.app.sub_title = title, sub_title  # the terminal's title too
        self._title_shown = _title_line(title, sub_title)
        yield Static(self._title_shown, id="title-bar", markup=False)
        with Horizontal(id="main"):
            # the inputs (~200 widgets) are mounted just after the first paint: the figures
            # people opened the app for come first
            yield Vertical(id="inputs")
            with Vertical(id="results"), TabbedPanes(
                    {"fleet": "Fleet F3", "host": "Host F4", "compare": "Compare F5"},
                    initial=opens_on, id="tabs"):
                with ResultsTab(("Fleet", "Model"), id="fleet"):
                    yield from results_parts("fleet", FLEET_HEADLINES, fleet_charts)
                with ResultsTab(("Host", "Model"), id="host"):
                    yield from results_parts("host", HOST_HEADLINES, host_charts)
                yield CompareView()
        yield Static("", id="field-help")
        yield Footer(compact=True)

    @property
    def tabs(self) -> TabbedPanes:
        return self.query_one("#tabs", TabbedPanes)

    @property
    def compare(self) -> CompareView:
        return self.query_one(CompareView)

    def results_tab(self, tab: str) -> ResultsTab:
        return self.query_one(f"#{tab}", ResultsTab)

    def active_tab(self) -> str:
        return self.tabs.active

    async def on_mount(self) -> None:
        if self._first_report is not None:
            self.report = self._first_report.result() or report_for(self.scenario)
            self._first_report = None
        self._layout_for(self.app.size.width, self.app.size.height)
        self.watch(self.tabs, "active", self._tab_changed, init=False)
        try:
            if self.scenario.opens_on == "compare":
                await self.compare.mount_widgets()
            self.show_report()
            self._focus_results()
        except NoMatches:
            if self.app.return_code is None:
                raise
            return  # the app quit in its first moments and its widgets are already going
        self.recovery.install_signal_handlers()
        self.call_after_refresh(first_frame_out)
        self.call_after_refresh(self._mount_inputs)

    def on_unmount(self) -> None:
        """The app is going away (quit, or a browser tab closed): keep what is unsaved."""
        self.recovery.flush()
        self.recovery.remove_signal_handlers()

    @property
    def is_ready(self) -> bool:
        """Every field and chart is mounted (they arrive just after the first paint)."""
        panes = self.query(InputsPane)
        return bool(panes) and panes.first().ready and self.compare.mounted and \
            all(tab.deck.charts for tab in self.query(ResultsTab))

    async def _mount_inputs(self) -> None:
        holder = self.query_one("#inputs", Vertical)
        if not holder.is_attached:  # quit in the first moments: the screen is already gone
            return
        await holder.mount(InputsPane(self.scenario.values, id="inputs-pane"))
        self.set_help(None)
        self.recovery.offer()
        if not self.compare.mounted and holder.is_attached:
            await self.compare.mount_widgets()
            self._refresh_charts()  # in case Compare was opened meanwhile

    @on(InputsPane.Ready)
    def _settled(self) -> None:
        """Start-up is over: the thousands of objects made so far live as long as the app.
        Freezing them keeps the garbage collector from rescanning them mid-keystroke (its
        full passes cost ~100 ms with Textual's object count)."""
        gc.freeze()
        self.uncertainty.changed(self.scenario)  # an uncertain file's ranges, once all is in

    @on(ChartDeck.ChartsMounted)
    def _charts_in(self) -> None:
        self.uncertainty.reshow()  # bands that came back before their chart

    def _layout_for(self, width: int, height: int) -> None:
        narrow, compact = width < NARROW, width < NARROW or height < SHORT
        self.set_class(narrow, "narrow")
        # at 80 columns the footer's ^p item would cut "Quit"; Ctrl+P still opens the palette
        self.query_one(Footer).show_command_palette = not narrow
        # warnings and ranges go under the figures when no column is left for them beside
        results = width - (0 if narrow or self.has_class("hide-inputs") else INPUTS_WIDTH)
        if (results < FIGURES_WIDTH + SIDE_MIN) != self.has_class("stacked"):
            self.toggle_class("stacked")
            self.uncertainty.reshow()  # its ranges are laid out for the column they are in
        if compact != self.has_class("compact"):
            self.set_class(compact, "compact")
        for tab in self.query(ResultsTab):
            tab.set_compact(compact)

    def on_resize(self, event: Any) -> None:
        self._layout_for(event.size.width, event.size.height)

    def action_charts(self, step: int) -> None:
        tab = self.active_tab()
        if tab == "compare":
            self.notify("Compare shows its table and chart together.", timeout=2)
        elif not self.results_tab(tab).step(step):
            self.notify("Every chart of this tab is on screen.", timeout=2)

    # -- edits ------------------------------------------------------------------------------

    @on(FieldFocused)
    def _focused(self, event: FieldFocused) -> None:
        self._last_field = event.path
        self.set_help(event.path)

    def set_help(self, path: str | None) -> None:
        bar = self.query_one("#field-help", Static)
        if path is None:
            self._set_bar(IDLE_HELP)
            bar.remove_class("-error")
            return
        f = BY_PATH[path]
        default = "derived" if f.default is None else (
            plain_number(float(f.default)) if f.numeric else repr(f.default))
        text = f"{f.label}{f' [{f.unit}]' if f.unit else ''}: {f.help} " \
               f"Default {default}; {f.allowed()}. ({path})"
        if path in self.errors:
            text = f"✗ {self.errors[path]}\n{text}"
        self._set_bar(text)
        bar.set_class(path in self.errors, "-error")

    def _set_bar(self, text: str) -> None:
        """Update the help bar only when its text changes (it is on every keystroke's path)."""
        if text != self._bar_text:
            self._bar_text = text
            self.query_one("#field-help", Static).update(Text(text))

    def field_edited(self, event: FieldEdited) -> None:
        """A field's text changed. Called by the field itself, in the same tick, so that the
        field and every figure that depends on it repaint in one frame."""
        path, inputs = event.path, self.query_one(InputsPane)
        # the App's timers and after-refresh callbacks, not this screen's: on the screen they
        # kept the screen's own message queue busy, and its paint waited for the 60 Hz timer
        # (a change took 40 ms instead of 17 on Compare; benchmarks/change_bench.py)
        hold_gc_until_painted(self.app, lambda: self._charts_due is not None)
        try:
            value = parse_field_text(path, event.text)
            if value == self.scenario.values.get(path) and path not in self.errors:
                return  # nothing changed (a widget echoing its value must not reset presets)
            new = self.scenario.without(path) if value is None else \
                self.scenario.with_value(path, value)
            problems = new.problems()
            if problems:
                raise ScenarioError(problems)
        except ScenarioError as exc:
            self.errors[path] = "; ".join(p.message if p.key == path else str(p)
                                          for p in exc.problems)
            inputs.mark(path, self.errors[path])
            self.set_help(path)
            return
        self.scenario = new
        shown = inputs.show_values(new.values, skip=None if path.endswith(".preset") else path)
        for fixed in (path, *shown):  # a preset replaced a value that was being fixed
            if self.errors.pop(fixed, None) is not None or fixed == path:
                inputs.mark(fixed, None)
        self.set_help(path)
        self.changed()

    def changed(self) -> None:
        """The scenario changed: title, figures, and (a moment later) the recovery file and
        the ranges of an uncertain scenario."""
        self.update_title()
        self.recompute()
        self.recovery.schedule()
        self.uncertainty.changed(self.scenario)

    def on_worker_state_changed(self, event: Any) -> None:
        from textual.worker import WorkerState

        if event.worker.name == "uncertainty" and event.state == WorkerState.SUCCESS:
            self.uncertainty.done(event.worker.result)

    def update_title(self) -> None:
        """Only when it changed: a Static's update lays out the whole screen (~100 ms at
        120x40), and this runs on every keystroke."""
        title, sub_title = self.documents.title()
        line = _title_line(title, sub_title)
        if line != self._title_shown:
            self._title_shown = line
            self.app.title, self.app.sub_title = title, sub_title
            self.query_one("#title-bar", Static).update(line)

    # -- results ----------------------------------------------------------------------------

    def shown_scenario(self) -> Scenario:
        """The scenario the figures show: the user's, or a step of the thread animation."""
        if self.animation.threads is None:
            return self.scenario
        return self.scenario.with_value("pricing.concurrent_threads", self.animation.threads)

    def recompute(self) -> None:
        scenario = self.shown_scenario()
        self.report = report_for(scenario)
        self._shown_values = scenario.values
        self._stale = {"fleet", "host", "compare"}
        self.show_report()

    def show_report(self) -> None:
        """Show the report on the active tab; the others catch up when they are opened.

        Touching a hidden widget is not free: Textual then rebuilds its map of every widget
        (~15 ms), so a keystroke updates only what is on screen.
        """
        tab = self.active_tab()
        if tab in ("fleet", "host"):
            self.results_tab(tab).show(self.report)
        self._refresh_charts()

    def _refresh_charts(self) -> None:
        tab = self.active_tab()
        if tab not in self._stale or (tab == "compare" and not self.compare.mounted):
            return  # Compare is mounted just after the first paint; it catches up then
        self._stale.discard(tab)
        values = self._shown_values or self.scenario.values
        if tab == "compare":
            self.compare.show(self.scenario, values)
        self.charts_after_figures(tab, values)

    def _tab_changed(self, tab: str) -> None:
        """Another tab is showing: it catches up. A watch of ``active``, not a message: a
        message can be held back (Textual's ``prevent``), and the tab would then show the
        figures of an older scenario."""
        self.show_report()
        if isinstance(self.app.focused, LineTable):  # the cursor was in the results: follow
            self.call_after_refresh(self._focus_results)

    # -- actions ----------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.tabs.active = tab
        if self.has_class("show-inputs"):
            self.remove_class("show-inputs")
            self._focus_results()

    def action_inputs(self) -> None:
        """F2: the cursor in the inputs (the last field used, or the tab's key input),
        showing them if they are hidden."""
        self.focus_field(self._last_field or KEY_INPUT[self.active_tab()])

    def action_hide_inputs(self) -> None:
        """Hide the inputs for wider results (or, pressed again, show them)."""
        hidden = "show-inputs" if self.has_class("narrow") else "hide-inputs"
        showing = self.has_class(hidden) if hidden == "show-inputs" else \
            not self.has_class(hidden)
        if showing:
            self.toggle_class(hidden)
            self._layout_for(*self.size)
            self._focus_results()
        else:
            self.action_inputs()

    def _focus_results(self) -> None:
        """Put the cursor on the active tab's figures (never leave it in a hidden field)."""
        tab = self.active_tab()
        if tab != "compare":
            self.results_tab(tab).figures.focus()
        elif self.compare.mounted:  # its table arrives just after the first paint
            self.query_one(CompareTable).focus()
        self.set_help(None)

    def focus_field(self, path: str) -> None:
        """Put the cursor in a field (showing the inputs pane if it is hidden)."""
        if self.has_class("narrow"):
            self.add_class("show-inputs")
        if self.has_class("hide-inputs"):
            self.remove_class("hide-inputs")
            self._layout_for(*self.size)
        if not self.query(f"#{field_id(path)}"):  # in the first moments: once it is there
            self.set_timer(0.05, lambda: self.focus_field(path))
            return
        widget = self.query_one(f"#{field_id(path)}")
        widget.focus()
        # after the pane, shown just now, has its layout: scrolling before it has no effect
        self.call_after_refresh(widget.scroll_visible, animate=False)

    def action_help(self) -> None:
        lines = commands.help_lines(self.app.config.keymap)  # type: ignore[attr-defined]
        lines += ["", "  In a field:  ↑/↓ nudge a number, Shift+↑/↓ by 10 steps; type 1e9, 1B,",
                  "               2.5k or $0.02; an empty optional field falls back to its",
                  "               default. Tab / Shift+Tab move between fields.",
                  "  On figures:  Enter or e explains the figure under the cursor.",
                  "  Compare:     Delete removes the selected configuration.",
                  "  Ctrl+P:      command palette (every action, and the theme picker).",
                  "  Ctrl+Q:      quit (asks first when there are unsaved changes)."]
        self.app.push_screen(dialogs().HelpScreen("\n".join(lines)))

    def action_explain(self) -> None:
        tab = self.active_tab()
        if tab == "compare":
            tab = "host"
            self.action_show_tab("host")
        table = self.results_tab(tab).figures
        table.focus()
        table.action_explain()

    @on(ExplainRequested)
    def _explain(self, event: ExplainRequested) -> None:
        from .explain import ExplainScreen

        self.app.push_screen(ExplainScreen(self.scenario, event.path, self.report))

    def _selected_figure(self) -> str:
        tab = self.active_tab()
        return self.results_tab("host" if tab == "compare" else tab).figures.selected

    @on(AnalysisRequested)
    def _analyse(self, event: AnalysisRequested) -> None:
        if event.what == "solve":
            self.action_solve(event.path)
        else:
            self.action_sensitivity(event.path)

    def action_animate(self) -> None:
        if self.animation.running:
            self.animation.stop()
            return
        self.action_show_tab("host")
        self.animation.start(self.report["host"]["max_threads"])

    def on_key(self, event: Any) -> None:
        if event.key == "delete" and isinstance(self.app.focused, CompareTable) and \
                self.compare.remove_selected(self.scenario):
            self._stale.add("compare")
            self._refresh_charts()

    # -- files ------------------------------------------------------------------------------

    def action_save(self) -> None:
        self.documents.save()

    def action_save_as(self) -> None:
        self.documents.save_as()

    def action_open(self) -> None:
        self.documents.open()

    def action_new(self) -> None:
        self.documents.new()

    def request_quit(self) -> None:
        def leave() -> None:
            self.recovery.drop()  # saved, or the user said to drop the changes
            self.app.exit(0)

        self.documents.guard(leave, "You have unsaved changes. Quit without saving?", "Quit")

    def load_scenario(self, scenario: Scenario, path: Path | None) -> None:
        self.documents.load(scenario, path)

    def _loaded(self, scenario: Scenario, path: Path | None) -> None:
        """The documents service replaced the scenario (open, new, restore)."""
        self.errors.clear()
        for inputs in self.query(InputsPane):  # none yet in the first moments: it will
            for f in BY_PATH:                  # be mounted with these values
                inputs.mark(f, None)
            inputs.show_values(scenario.values, every=True)
        self.tabs.active = scenario.opens_on  # the tab follows the file
        self.changed()
        if self.has_class("narrow") and not self.has_class("show-inputs"):
            self.call_after_refresh(self._focus_results)

    def _saved(self) -> None:
        self.recovery.drop()
        self.update_title()



def _title_line(title: str, sub_title: str) -> str:
    return f"{title}  ·  {sub_title}"
