"""The infracalc app: inputs on the left, Fleet / Host / Compare results on the right.

Data flows one way: the app holds the Scenario; an edit makes a new Scenario; the engine
turns it into a report and chart series; widgets only display them.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import itertools
import os
import signal
import threading
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Header, Input, Static
from textual.worker import WorkerFailed

from .. import recovery
from ..calc import explain_for, parse_field_text, report_for
from ..config import DEFAULT_THEME, Config, load_config, save_config, scenarios_dir
from ..formatting import plain_number, usd
from ..formatting import value as fmt_value
from ..prefetch import Prefetch
from ..scenario import BY_PATH, Scenario, ScenarioError, load, save
from ..scenario.catalog import gpus
from ..scenario.presets import presets
from ..scenario.presets import scenarios_dir as shipped_scenarios
from . import partial_updates, textual_fixes
from .screens.main_screen import MainScreen
from .themes import load_themes
from .widgets.deck import ChartDeck
from .widgets.figures import (
    FLEET_HEADLINES,
    HOST_HEADLINES,
    ExplainRequested,
    FiguresTable,
    Warnings,
)
from .widgets.inputs import FieldEdited, FieldFocused, InputsPane, field_id
from .widgets.table import LineTable
from .widgets.tabs import TabbedPanes
from .widgets.textcharts import Bars

NARROW = 100  # below this many columns, inputs and results take turns (F2)
# the input F2 puts the cursor in, per tab, before any field has been used
_KEY_INPUT = {"fleet": "fleet.users", "host": "pricing.charge_per_minute_usd",
              "compare": "host.gpu_count"}
# unsaved work reaches the recovery file this long after the last change (tests shorten it)
RECOVERY_DELAY_S = float(os.environ.get("INFRACALC_RECOVERY_DELAY_S", "0.5"))
SHORT = 32  # below this many rows (or when narrow), figures and charts take turns (F8)


class InfracalcApp(textual_fixes.QuietClose, App[int]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    AUTO_FOCUS = None
    TITLE = "infracalc"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", tooltip="All keys", id="help"),
        Binding("f2", "toggle_inputs", "Inputs", tooltip="Show or hide the inputs pane",
                id="toggle-inputs"),
        Binding("f8", "charts(1)", "Charts", tooltip="Next chart page (figures, then each chart"
                " on small screens)", id="charts-next"),
        Binding("ctrl+s", "save", "Save", id="save"),
        Binding("ctrl+o", "open", "Open", id="open"),
        Binding("ctrl+n", "new", "New", id="new"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        Binding("ctrl+e", "explain", "Explain", tooltip="Explain the selected figure",
                id="explain"),
        Binding("f6", "animate", "Animate", tooltip="Step threads 1..max on the Host tab",
                id="animate"),
        Binding("f7", "add_config", "Add config", tooltip="Add a GPU configuration to Compare",
                id="add-config"),
        Binding("f9", "charts(-1)", "Back", tooltip="Previous chart page", show=False,
                id="charts-back"),
        Binding("f3", "show_tab('fleet')", "Fleet", show=False, id="tab-fleet"),
        Binding("f4", "show_tab('host')", "Host", show=False, id="tab-host"),
        Binding("f5", "show_tab('compare')", "Compare", show=False, id="tab-compare"),
    ]

    def __init__(self, scenario: Scenario, path: Path | None = None,
                 config: Config | None = None, config_warning: str | None = None,
                 first_report: Prefetch | None = None) -> None:
        textual_fixes.install()
        partial_updates.install()
        super().__init__()
        self.scenario = scenario
        self.saved = scenario
        self.path = path
        self._first_report = first_report  # computed meanwhile by a child process, if any
        self.report: dict[str, Any] = {} if first_report else report_for(scenario)
        self.errors: dict[str, str] = {}
        self.config, self._config_warning = (config, config_warning) if config else \
            load_config()
        self._stale: set[str] = {"fleet", "host", "compare"}
        self._views: dict[str, int] = {"fleet": 0, "host": 0}
        self._last_field: str | None = None
        self._recovery_timer: Any = None
        self._recovery_failed = False
        self._disk_stamp = _stamp(path)
        self._startup_warnings = self._choose_theme()
        self._animation: Any = None
        self._animate_threads: int | None = None
        self._configs: list[tuple[str, dict[str, Any], int]] | None = None
        self._configs_for: Any = None  # the scenario the configurations were computed for

    @property
    def configs(self) -> list[tuple[str, dict[str, Any], int]]:
        """Compare's hardware configurations (GPU key, its values, count), made on first use:
        they need the GPU catalog, which the first screen does not."""
        if self._configs is None:
            self._configs = [(key, {}, n) for key, n in (
                ("rtx-4090", 2), ("rtx-5090", 2), ("rtx-3090", 2), ("h100-pcie", 1),
                ("m3-ultra", 1))]
        if self._configs_for is not self.scenario:  # a GPU's values follow the engine chosen
            from ..calc import gpu_config_values

            self._configs[:] = [(key, gpu_config_values(self.scenario, key), n)
                                for key, _, n in self._configs]
            self._configs_for = self.scenario
        return self._configs

    # -- layout ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            # the inputs (~200 widgets) are mounted just after the first paint: the figures
            # people opened the app for come first
            yield Vertical(id="inputs")
            with Vertical(id="results"), TabbedPanes(
                    {"fleet": "Fleet F3", "host": "Host F4", "compare": "Compare F5"},
                    initial=self.scenario.focus or "fleet", id="tabs"):
                with Vertical(id="fleet"):
                    yield from _results_tab("fleet", FLEET_HEADLINES, _fleet_charts)
                with Vertical(id="host"):
                    yield from _results_tab("host", HOST_HEADLINES, _host_charts)
                with Vertical(id="compare"):
                    if self.scenario.focus == "compare":  # else just after the first paint
                        yield from _compare_widgets()
                        self._compare_mounted = True
        yield Static("", id="field-help")
        yield Footer()

    def _choose_theme(self) -> list[str]:
        """Register our themes and pick the user's, before any widget exists to restyle."""
        themes, warnings = load_themes()
        for theme in themes:
            self.register_theme(theme)
        if self.config.theme in self.available_themes:
            self._preselect_theme(self.config.theme)
        else:
            warnings.append(f"theme {self.config.theme!r} (from your config) is not "
                            "available; using the default for now")
            self._preselect_theme(DEFAULT_THEME)  # not the user's choice: config untouched
        return warnings

    def _preselect_theme(self, name: str) -> None:
        """Select a theme before the app runs. Setting ``theme`` would have Textual reparse
        every stylesheet and restyle every widget as soon as the app starts (~15 ms of a cold
        start); nothing is parsed yet, so the theme's variables and classes are all it takes.
        """
        self.set_reactive(App.theme, name)
        dark = self.current_theme.dark
        classes = {c: False for c in self.classes if c.startswith("-theme-")}
        classes.update({f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        self.update_classes(classes, update=False)
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    def on_mount(self) -> None:
        warnings = self._startup_warnings
        for warning in [*warnings, self._config_warning]:
            if warning:
                self.notify(warning, severity="warning", timeout=8)
        if self._first_report is not None:
            self.report = self._first_report.result() or report_for(self.scenario)
            self._first_report = None
        self._layout_for(self.size.width, self.size.height)
        self._update_title()
        self.watch(self.query_one("#tabs", TabbedPanes), "active", self._tab_changed,
                   init=False)
        self.show_report()
        self.query_one(f"#{self._active_tab() if self._active_tab() != 'compare' else 'host'}"
                       "-figures", FiguresTable).focus()
        self._install_signal_handlers()
        self.call_after_refresh(self._first_frame_out)
        self.call_after_refresh(self._mount_inputs)

    @property
    def is_ready(self) -> bool:
        """Every field and chart is mounted (they arrive just after the first paint)."""
        main = self.screen_stack[0] if self.screen_stack else None
        if main is None:
            return False
        panes = main.query(InputsPane)
        return bool(panes) and panes.first().ready and self._compare_mounted and \
            all(deck.charts for deck in main.query(ChartDeck))

    async def until_ready(self, pilot: Any) -> None:
        """For tests and screenshots: wait (via the pilot) until ``is_ready``."""
        for _ in range(500):
            if self.is_ready:
                await pilot.pause()
                return
            await pilot.pause(0.02)
        raise TimeoutError("the app did not finish mounting its inputs and charts")

    @on(InputsPane.Ready)
    def _settled(self) -> None:
        """Start-up is over: the thousands of objects made so far live as long as the app.
        Freezing them keeps the garbage collector from rescanning them mid-keystroke (its
        full passes cost ~100 ms with Textual's object count)."""
        gc.freeze()

    def _first_frame_out(self) -> None:
        """The command held the garbage collector off until the first frame (see
        ``cli._cmd_tui``): it would have run ~100 times, ~30 ms in all, over objects that
        nearly all live as long as the app (modules, classes, this screen: ~80k, of which
        ~2k are garbage). They are frozen, never to be rescanned, and collection resumes."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _hold_gc_until_painted(self) -> None:
        """No garbage collection between a keystroke and its frame: a collection costs 1 to
        20 ms (~4 ms a change on average), and the one due runs just after the paint."""
        if gc.isenabled():
            gc.disable()
            self.call_after_refresh(gc.enable)
            self.set_timer(1.0, gc.enable)  # in case no frame comes (a dialog took over)

    async def _mount_inputs(self) -> None:
        holder = self.query_one("#inputs", Vertical)
        if not holder.is_attached:  # quit in the first moments: the screen is already gone
            return
        await holder.mount(InputsPane(self.scenario.values, id="inputs-pane"))
        self.set_help(None)
        self._offer_recovery()
        if not self._compare_mounted and holder.is_attached:
            await self.query_one("#compare", Vertical).mount_all(_compare_widgets())
            self._compare_mounted = True
            self._refresh_charts()  # in case Compare was opened meanwhile

    _compare_mounted = False  # set once its table and chart are in the DOM

    def _layout_for(self, width: int, height: int) -> None:
        narrow, compact = width < NARROW, width < NARROW or height < SHORT
        self.screen.set_class(narrow, "narrow")
        if compact != self.screen.has_class("compact"):
            self.screen.set_class(compact, "compact")
            for tab in self._views:
                self.query_one(f"#{tab}-deck", ChartDeck).set_compact(compact)
                self._views[tab] = 0
                self._apply_view(tab)

    def on_resize(self, event: Any) -> None:
        self._layout_for(event.size.width, event.size.height)

    def _apply_view(self, tab: str) -> None:
        """Compact screens show the figures (view 0) or one chart (view k); wide ones both."""
        view, deck = self._views[tab], self.query_one(f"#{tab}-deck", ChartDeck)
        top = self.query_one(f"#{tab} .top")
        hint = self.query_one(f"#{tab}-hint", Static)
        if self.screen.has_class("compact"):
            top.display, deck.display, hint.display = view == 0, view != 0, view == 0
            deck.set_page(max(0, view - 1))
            hint.update(f"F8: charts ({len(deck.charts)}) · Enter explains a figure · "
                        "F2 inputs")
        else:
            top.display = deck.display = True
            hint.display = False
            deck.set_page(view)

    @on(ChartDeck.ChartsMounted)
    def _charts_mounted(self, event: ChartDeck.ChartsMounted) -> None:
        tab = (event.deck.id or "").removesuffix("-deck")
        if tab in self._views:
            self._apply_view(tab)  # its hint counts the charts

    def action_charts(self, step: int) -> None:
        tab = self._active_tab()
        if tab == "compare":
            self.notify("Compare shows its table and chart together.", timeout=2)
            return
        deck = self.query_one(f"#{tab}-deck", ChartDeck)
        views = deck.pages + (1 if self.screen.has_class("compact") else 0)
        if views <= 1:
            self.notify("Every chart of this tab is on screen.", timeout=2)
            return
        self._views[tab] = (self._views[tab] + step) % views
        self._apply_view(tab)

    # -- edits ----------------------------------------------------------------------------

    @on(FieldFocused)
    def _focused(self, event: FieldFocused) -> None:
        self._last_field = event.path
        self.set_help(event.path)

    def set_help(self, path: str | None) -> None:
        bar = self.query_one("#field-help", Static)
        if path is None:
            self._set_bar("Tab moves between fields; ↑/↓ nudge a number (shift ×10); F1 help.")
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
        if text != getattr(self, "_bar_text", None):
            self._bar_text = text
            self.query_one("#field-help", Static).update(Text(text))

    def field_edited(self, event: FieldEdited) -> None:
        """A field's text changed. Called by the field itself, in the same tick, so that the
        field and every figure that depends on it repaint in one frame."""
        path, inputs = event.path, self.query_one(InputsPane)
        self._hold_gc_until_painted()
        try:
            value = parse_field_text(path, event.text)
            if value == self.scenario.values.get(path) and path not in self.errors:
                return  # nothing changed (a widget echoing its value must not reset presets)
            if value is None:
                new = self.scenario.without(path)
            elif path.endswith(".preset"):
                new = self.scenario.with_preset(path.split(".")[0], value)
            else:
                new = self.scenario.with_value(path, value)
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
        self._update_title()
        self.recompute()
        self._schedule_recovery()

    # -- results --------------------------------------------------------------------------

    def shown_scenario(self) -> Scenario:
        """The scenario the figures show: the user's, or a step of the thread animation."""
        if self._animate_threads is None:
            return self.scenario
        return self.scenario.with_value("pricing.concurrent_threads", self._animate_threads)

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
        tab = self._active_tab()
        if tab in ("fleet", "host"):
            r = self.report
            self.query_one(f"#{tab}-figures", FiguresTable).show(r)
            self.query_one(f"#{tab}-warnings", Warnings).show(
                r["warnings"], ("Fleet" if tab == "fleet" else "Host", "Model"))
        self._refresh_charts()

    def _active_tab(self) -> str:
        return self.query_one("#tabs", TabbedPanes).active

    def _refresh_charts(self) -> None:
        tab = self._active_tab()
        if tab not in self._stale:
            return
        if tab == "compare" and not self._compare_mounted:
            return  # mounted just after the first paint; it catches up then
        self._stale.discard(tab)
        values = getattr(self, "_shown_values", None) or self.scenario.values
        if tab == "compare":
            self._show_compare(values)
        else:
            self.query_one(f"#{tab}-deck", ChartDeck).update_values(values)

    def _show_compare(self, values: dict[str, Any]) -> None:
        table = self.query_one("#compare-table", CompareTable)
        if not self.configs:
            table.set_rows([])
            self.query_one("#compare-chart", Bars).show("Profit per day", [], [], "")
            return
        from ..engine import series

        c = series.compare_hosts(values, self.configs)
        rows = []
        names = [f"{n}x {_short_gpu_name(gpus()[key].name)}" for key, _, n in self.configs]
        for i, name in enumerate(names):
            be = c.break_even_days[i]
            rows.append((name, usd(float(c.profit_per_day[i])),
                         "never" if be != be else f"{be:,.0f} days",
                         f"{c.max_threads[i]:,.0f}",
                         fmt_value(float(c.tokens_per_s_per_stream[i]), ""),
                         "yes" if c.fits_in_memory[i] else "no",
                         usd(float(c.hardware_cost[i]))))
        table.set_rows(rows)
        self.query_one("#compare-chart", Bars).show(
            "Profit per day by configuration", names, [float(x) for x in c.profit_per_day],
            "/day")

    def _tab_changed(self, tab: str) -> None:
        """Another tab is showing: it catches up. A watch of ``active``, not a message: a
        message can be held back (Textual's ``prevent``), and the tab would then show the
        figures of an older scenario."""
        self.show_report()
        if isinstance(self.focused, LineTable):  # the cursor was in the results: it follows
            self.call_after_refresh(self._focus_results)

    # -- actions --------------------------------------------------------------------------

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedPanes).active = tab
        if self.screen.has_class("show-inputs"):
            self.screen.remove_class("show-inputs")
            self._focus_results()

    def action_toggle_inputs(self) -> None:
        """Show the inputs with the cursor in a field (the last one, or the tab's key input)."""
        narrow = self.screen.has_class("narrow")
        if narrow:
            self.screen.toggle_class("show-inputs")
        else:
            self.screen.toggle_class("hide-inputs")
        showing = self.screen.has_class("show-inputs") if narrow else \
            not self.screen.has_class("hide-inputs")
        if showing:
            self.focus_field(self._last_field or _KEY_INPUT[self._active_tab()])
        else:
            self._focus_results()

    def _focus_results(self) -> None:
        """Put the cursor on the active tab's figures (never leave it in a hidden field)."""
        tab = self._active_tab()
        if tab != "compare":
            self.query_one(f"#{tab}-figures").focus()
        elif self._compare_mounted:  # its table arrives just after the first paint
            self.query_one("#compare-table").focus()
        self.set_help(None)

    def action_help(self) -> None:
        lines = []
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            keys = binding.key.replace("ctrl+", "Ctrl+").upper() if binding.key.startswith("f") \
                else binding.key.replace("ctrl+", "Ctrl+")
            lines.append(f"  {keys:10} {binding.description:12} {binding.tooltip or ''}")
        lines += ["", "  In a field:  ↑/↓ nudge a number, Shift+↑/↓ by 10 steps; type 1e9, 1B,",
                  "               2.5k or $0.02; an empty optional field falls back to its",
                  "               default. Tab / Shift+Tab move between fields.",
                  "  On figures:  Enter or e explains the figure under the cursor.",
                  "  Compare:     Delete removes the selected configuration.",
                  "  Ctrl+P:      command palette (every action, and the theme picker)."]
        self.push_screen(dialogs().HelpScreen("\n".join(lines)))

    def action_explain(self) -> None:
        tab = self._active_tab()
        if tab == "compare":
            tab = "host"
            self.action_show_tab("host")
        table = self.query_one(f"#{tab}-figures", FiguresTable)
        table.focus()
        table.action_explain()

    @on(ExplainRequested)
    def _explain(self, event: ExplainRequested) -> None:
        self.push_screen(dialogs().ExplainScreen(explain_for(self.scenario, event.path)))

    def action_animate(self) -> None:
        if self._animation is not None:
            self._stop_animation()
            return
        self.action_show_tab("host")
        # 1..the host's max threads (as the README and F6's tooltip say), at most 64; a host
        # that holds none still shows one step
        top = max(1, min(64, int(self.report["host"]["max_threads"] or 0)))
        steps = itertools.cycle(range(1, top + 1))  # loops like the seed's GIF until F6

        def step() -> None:
            n = next(steps)
            self._animate_threads = n
            try:
                self.recompute()
            except NoMatches:  # the app is closing and its widgets are gone: stop here
                self._animation.stop()
                return
            self.notify(f"Animating: {n} thread(s) of {top}; F6 stops", timeout=0.4)

        self._animation = self.set_interval(0.35, step)

    def _stop_animation(self) -> None:
        if self._animation is not None:
            self._animation.stop()
        self._animation = None
        self._animate_threads = None
        self.recompute()

    def action_add_config(self) -> None:
        entries = [(f"{spec.name} x{self.scenario.values['host.gpu_count']}", Path(key))
                   for key, spec in gpus().items()]

        def add(choice: Path | None) -> None:
            if choice is None:
                return
            key = str(choice)
            from ..calc import gpu_config_values

            self.configs.append((key, gpu_config_values(self.scenario, key),
                                 int(self.scenario.values["host.gpu_count"])))
            self._stale.add("compare")
            self.action_show_tab("compare")
            self._refresh_charts()

        self.push_screen(dialogs().OpenScreen("Add a GPU configuration (count = host GPUs)",
                                              entries, allow_path=False), add)

    def on_key(self, event: Any) -> None:
        if event.key != "delete" or not self.screen_stack:  # decide before any query
            return
        table = self.focused
        if isinstance(table, CompareTable) and self.configs:
            del self.configs[min(table.cursor_row, len(self.configs) - 1)]
            self._stale.add("compare")
            self._refresh_charts()

    # -- files ----------------------------------------------------------------------------

    _never_saved = False  # restored work with no file behind it

    @property
    def dirty(self) -> bool:
        return self._never_saved or not self.scenario.same_values(self.saved)

    def _update_title(self) -> None:
        self.title = f"infracalc — {self.scenario.name}{' *' if self.dirty else ''}"
        self.sub_title = str(self.path) if self.path else "not saved yet"

    def action_save(self) -> None:
        if self.path is None or _inside(self.path, shipped_scenarios()):
            self.action_save_as()
            return
        current = _stamp(self.path)
        if current is not None and self._disk_stamp is not None and current != self._disk_stamp:
            def answer(choice: str) -> None:
                if choice == "overwrite":
                    self._save_to(self.path, confirmed=True)
                elif choice == "save-as":
                    self.action_save_as()

            self.push_screen(dialogs().ChoiceScreen(
                f"{self.path} changed on disk since you opened it (another editor or "
                "another infracalc?). Overwrite it with your version?",
                [("o", "Overwrite", "overwrite"), ("a", "Save as…", "save-as"),
                 ("c", "Cancel", "cancel")], "cancel"), answer)
            return
        self._save_to(self.path, confirmed=True)

    def action_save_as(self) -> None:
        self.push_screen(dialogs().SaveAsScreen(scenarios_dir(), _slug(self.scenario.name)),
                         self._save_to)

    def _save_to(self, path: Path | None, confirmed: bool = False) -> None:
        if path is None:
            return
        if not confirmed and path.exists() and path != self.path:
            self.push_screen(dialogs().ConfirmScreen(f"{path} already exists. Replace it?",
                                                     "Replace", "Cancel"),
                             lambda ok: self._save_to(path, confirmed=True) if ok else None)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save(self.scenario, path)
        except OSError as exc:
            self.notify(f"Could not save to {path}: {exc.strerror or exc}. Nothing was lost: "
                        "your changes are still here (and in the recovery file); try another "
                        "name or folder.", severity="error", timeout=10)
            return
        self.path, self.saved, self._never_saved = path, self.scenario, False
        self._disk_stamp = _stamp(path)
        self._update_title()
        self._drop_own_recovery()
        self.notify(f"Saved {path}")

    # -- recovery -------------------------------------------------------------------------

    def _schedule_recovery(self) -> None:
        """Write the recovery file a moment after the last change (one write per burst)."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        self._recovery_timer = self.set_timer(RECOVERY_DELAY_S, self.write_recovery)

    def write_recovery(self) -> None:
        """Keep unsaved work in the state folder (or drop the file when nothing is unsaved)."""
        self._recovery_timer = None
        if not self.dirty:
            self._drop_own_recovery()
            return
        try:
            recovery.write(self.scenario, self.path)
        except OSError as exc:
            if not self._recovery_failed:  # say it once, not on every keystroke
                self._recovery_failed = True
                self.notify(f"Cannot write the recovery file in {recovery.recovery_dir()}: "
                            f"{exc.strerror or exc}. Save often.", severity="warning",
                            timeout=10)

    def _drop_own_recovery(self) -> None:
        with contextlib.suppress(OSError):
            recovery.discard(recovery.own_file())

    def _install_signal_handlers(self) -> None:
        """SIGHUP (the SSH connection dropped) and SIGTERM: keep the work, then leave."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_signal, sig)
            self._signals_installed = True

    def _on_signal(self, sig: int) -> None:
        self.write_recovery()
        # with the terminal gone, restoring it can block for good: leave regardless
        watchdog = threading.Timer(2.0, os._exit, (128 + sig,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(128 + sig)

    def on_unmount(self) -> None:
        if getattr(self, "_signals_installed", False):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGHUP, signal.SIGTERM):
                    loop.remove_signal_handler(sig)

    def _offer_recovery(self) -> None:
        found, warnings = recovery.pending()
        for warning in warnings:
            self.notify(warning, severity="warning", timeout=10)
        if not found:
            return
        rec = found[0]

        def answer(choice: str) -> None:
            if choice == "restore":
                self.restore(rec)
            elif choice == "discard":
                recovery.discard(rec.file)
                self.notify("Recovered changes discarded.")
            if choice != "later":
                self.call_after_refresh(self._offer_recovery)  # the next one, if any

        more = f" ({len(found) - 1} more after this one)" if len(found) > 1 else ""
        self.push_screen(dialogs().ChoiceScreen(
            f"infracalc found {rec.describe()}{more}. Restore them?",
            [("r", "Restore", "restore"), ("d", "Discard", "discard"),
             ("l", "Later", "later")], "later"), answer)

    def restore(self, rec: recovery.Recovery) -> None:
        """Bring recovered work back as unsaved changes to the file it came from."""
        baseline = None
        if rec.origin is not None:
            with contextlib.suppress(ScenarioError):
                baseline = load(rec.origin)
        self.load_scenario(rec.scenario, rec.origin)
        if baseline is not None:
            self.saved = baseline
        else:  # nothing on disk to compare with: unsaved until saved
            self._never_saved = True
        self._update_title()
        self.write_recovery()  # now ours: written before the old file goes
        recovery.discard(rec.file)
        self.notify(f"Restored {rec.describe()}. Save with Ctrl+S.", timeout=8)

    def _entries(self, include_user: bool) -> list[tuple[str, Path]]:
        entries = [(f"Preset: {p.scenario.name}", p.path) for p in presets().values()]
        if include_user and scenarios_dir().is_dir():
            entries += [(f"Mine: {p.stem}", p) for p in sorted(scenarios_dir().glob("*.toml"))]
        return entries

    def _guard(self, then: Any) -> None:
        """Run ``then`` now, or after the user agrees to drop unsaved changes."""
        if not self.dirty:
            then()
            return
        self.push_screen(dialogs().ConfirmScreen("You have unsaved changes. Discard them?",
                                                 "Discard", "Keep editing"),
                         lambda ok: then() if ok else None)

    def action_open(self) -> None:
        self._guard(lambda: self.push_screen(
            dialogs().OpenScreen("Open a scenario", self._entries(True)), self._open))

    def action_new(self) -> None:
        self._guard(lambda: self.push_screen(
            dialogs().OpenScreen("New scenario from a preset", self._entries(False),
                                 allow_path=False),
            lambda p: self._open(p, as_new=True)))

    def _open(self, path: Path | None, as_new: bool = False) -> None:
        if path is None:
            return
        try:
            scenario = load(path)
        except ScenarioError as exc:
            self.notify("\n".join(str(p) for p in exc.problems[:5]), title="Cannot open",
                        severity="error", timeout=10)
            return
        shipped = _inside(path, shipped_scenarios())
        self.load_scenario(scenario, None if (as_new or shipped) else path)

    def load_scenario(self, scenario: Scenario, path: Path | None) -> None:
        self.scenario = self.saved = scenario
        self.path, self._never_saved = path, False
        self._disk_stamp = _stamp(path)
        self.errors.clear()
        for inputs in self.query(InputsPane):  # none yet in the first moments: it will
            for f in BY_PATH:                  # be mounted with these values
                inputs.mark(f, None)
            inputs.show_values(scenario.values, every=True)
        if scenario.focus:
            self.query_one("#tabs", TabbedPanes).active = scenario.focus
        self._update_title()
        self.recompute()
        self._schedule_recovery()
        if self.screen.has_class("narrow") and not self.screen.has_class("show-inputs"):
            self.call_after_refresh(self._focus_results)

    async def action_quit(self) -> None:
        def leave() -> None:
            self._drop_own_recovery()  # saved, or the user said to drop the changes
            self.exit(0)

        if not self.dirty:
            leave()
            return
        self.push_screen(dialogs().ConfirmScreen("You have unsaved changes. Quit without saving?",
                                       "Quit", "Keep editing"),
                         lambda ok: leave() if ok else None)

    # -- theme and palette ----------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual's command palette can lose a race with its own search worker when it is
        closed mid-search (typing fast, then Esc): the worker finds its list gone and, being
        a worker, would take the whole app down. None of the user's work is involved, so that
        one error is dropped; every other error still ends the app as usual."""
        if _palette_race(error):
            return
        super()._handle_exception(error)


    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a selection arriving after it closed."""
        if self.use_command_palette and not textual_fixes.CommandPalette.is_open(self):
            self.push_screen(textual_fixes.CommandPalette(id="--command-palette"))

    def watch_theme(self, theme: str) -> None:
        """The user picked a theme: remember it (the start-up choice is not a pick)."""
        if getattr(self, "config", None) is None or self.config.theme == theme:
            return
        self.config.theme = theme
        with contextlib.suppress(OSError):
            save_config(self.config)

    def get_system_commands(self, screen: Screen[Any]):  # type: ignore[no-untyped-def]
        yield from super().get_system_commands(screen)
        for binding in self.BINDINGS:
            assert isinstance(binding, Binding)
            if binding.action in ("quit",):
                continue
            yield SystemCommand(f"{binding.description} ({binding.key})",
                                binding.tooltip or binding.description,
                                lambda a=binding.action: self.run_action(a))
        yield SystemCommand("Save as…", "Save the scenario under a new name or path",
                            self.action_save_as)
        yield SystemCommand("Calibrate from a measurement", "Fit the efficiency knobs so a "
                            "figure matches your own benchmark", self.action_calibrate)
        yield SystemCommand("Cursor blink on/off", "Blinking costs a repaint twice a second "
                            "over SSH; the choice is remembered", self.action_toggle_blink)
        for f in BY_PATH.values():
            yield SystemCommand(f"Edit: {f.label} [{f.section}]", f.help,
                                lambda path=f.path: self.focus_field(path))

    def action_calibrate(self) -> None:
        """Fit mbu/mfu/prefill_mfu/step cost to a figure the user measured (as the CLI's
        ``calibrate``); the fitted keys become unsaved edits, with the measurement noted."""
        from .screens.calibrate import CalibrateScreen

        def fit(answer: tuple[str, float] | None) -> None:
            if answer is None:
                return
            from ..engine.calibrate import calibrate

            key, measured = answer
            result = calibrate(self.scenario.values, {key: measured})
            new = self.scenario
            for knob, value in result.knobs.items():
                new = new.with_value(knob, round(value, 4))
            new = new.with_value("serving.measured", f"{key}={measured:g}")
            self.scenario = new
            self.query_one(InputsPane).show_values(new.values)
            self._update_title()
            self.recompute()
            self._schedule_recovery()
            knobs = ", ".join(f"{k.split('.')[1]} = {v:.3g}" for k, v in result.knobs.items())
            self.notify(f"{knobs}; residual {result.residual_pct[key]:+.2f}%",
                        title="Calibrated")

        self.push_screen(CalibrateScreen(self.report), fit)

    def _apply_cursor_blink(self) -> None:
        for field in self.query(Input):
            field.cursor_blink = self.config.cursor_blink

    def action_toggle_blink(self) -> None:
        """A blinking cursor repaints twice a second: over a slow link, turn it off."""
        self.config.cursor_blink = not self.config.cursor_blink
        self._apply_cursor_blink()
        with contextlib.suppress(OSError):
            save_config(self.config)
        self.notify(f"Cursor blink {'on' if self.config.cursor_blink else 'off'} (remembered)")

    def focus_field(self, path: str) -> None:
        """Put the cursor in a field (showing the inputs pane if it is hidden)."""
        if self.screen.has_class("narrow"):
            self.screen.add_class("show-inputs")
        self.screen.remove_class("hide-inputs")
        if not self.query(f"#{field_id(path)}"):  # in the first moments: once it is there
            self.set_timer(0.05, lambda: self.focus_field(path))
            return
        widget = self.query_one(f"#{field_id(path)}")
        widget.focus()
        widget.scroll_visible()


def _short_gpu_name(name: str) -> str:
    """'NVIDIA GeForce RTX 4090 24GB' -> 'RTX 4090 24GB': the Compare tab has room for it."""
    for noise in ("NVIDIA ", "GeForce ", "AMD Instinct ", "Apple ", " (Mac Studio)"):
        name = name.replace(noise, "")
    return name


class CompareTable(LineTable):
    """One hardware configuration per row; Delete removes the one under the cursor."""

    align_numbers = True


def _compare_widgets() -> list[Widget]:
    """The Compare tab's table and chart: mounted just after the first paint, unless the
    scenario opens on Compare."""
    header = ("Configuration", "Profit/day", "Break-even", "Threads", "tok/s", "Fits",
              "Hardware")
    return [CompareTable(header, id="compare-table"), Bars(id="compare-chart")]


def _results_tab(tab: str, headlines: tuple[str, ...], charts: Any) -> ComposeResult:
    """Figures and warnings on top, the hint for small screens, then the chart deck."""
    with Horizontal(classes="top"):
        yield FiguresTable(headlines, id=f"{tab}-figures")
        yield Warnings(id=f"{tab}-warnings", classes="warnings")
    yield Static("", id=f"{tab}-hint", classes="view-hint")
    yield ChartDeck(charts, id=f"{tab}-deck")


def dialogs() -> Any:
    """The dialogs module, imported on first use (not needed for the first paint)."""
    from .screens import dialogs as module

    return module


def _fleet_charts() -> list[Any]:
    from ..engine import series
    from .widgets.charts import Bars, CostVsUtilizationChart, FleetUsersChart

    return [FleetUsersChart(series.fleet_users_sweep, id="fleet-users"),
            Bars(series.fleet_cost_breakdown, title="annual cost breakdown",
                 id="fleet-breakdown"),
            CostVsUtilizationChart(_cost_vs_utilization, id="fleet-utilization")]


def _host_charts() -> list[Any]:
    from ..engine import series
    from .widgets.charts import Bars, FrontierChart, Heatmap, ProjectionChart

    return [ProjectionChart(series.profit_projection, id="host-projection"),
            Bars(series.host_cost_breakdown, title="daily cost breakdown", id="host-breakdown"),
            FrontierChart(series.price_frontier, id="host-frontier"),
            Heatmap(series.profit_grid_threads_hours, title="profit heatmap: threads x hours",
                    id="host-heatmap"),
            Heatmap(series.profit_grid_price_hours, title="profit heatmap: price x hours",
                    id="host-price-heatmap")]


def _cost_vs_utilization(values: Mapping[str, Any]) -> tuple[Any, Any, float]:
    from ..engine import series

    u, cost = series.fleet_cost_vs_utilization(values)
    return u, cost, float(values["fleet.target_utilization"])


def _palette_race(error: BaseException) -> bool:
    inner = getattr(error, "error", None)
    if not isinstance(error, WorkerFailed) or not isinstance(inner, NoMatches):
        return False
    frames = traceback.extract_tb(inner.__traceback__)
    return any(Path(f.filename).name == "command.py" and "textual" in f.filename
               for f in frames)


def _stamp(path: Path | None) -> tuple[int, int] | None:
    """What a file looked like on disk (mtime, size), to notice changes made by others."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name).strip("-")
    while "--" in out:
        out = out.replace("--", "-")
    return out[:60] or "scenario"


def run(scenario: Scenario, path: Path | None, first_report: Prefetch | None = None) -> int:
    app = InfracalcApp(scenario, path, first_report=first_report)
    result = app.run()
    return int(result or 0)
