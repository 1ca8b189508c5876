"""The main screen's workbench: the dialogs that ask the engine a question about the
scenario (solve, sensitivity, compare, calibrate) and the downloads. A mixin of
``MainScreen``: it uses the screen's scenario, report, inputs pane and ``changed()``."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from textual.widgets import Input

from ...config import save_config
from ...scenario import BY_PATH
from ..services.documents import dialogs
from ..widgets.inputs import InputsPane


class Workbench:
    """Mixed into ``MainScreen`` (first in its bases: it must define nothing Textual has)."""

    scenario: Any
    report: dict[str, Any]
    app: Any
    documents: Any

    def _edited(self, scenario: Any) -> None:
        """A dialog's answer became unsaved edits: show them and recompute."""
        self.scenario = scenario
        self.query_one(InputsPane).show_values(scenario.values)
        self.changed()

    def action_add_config(self) -> None:
        """Compare: another GPU configuration of the host (its count of GPUs)."""
        from ...scenario.catalog import gpus

        count = self.scenario.values["host.gpu_count"]
        entries = [(f"{spec.name} x{count}", Path(key)) for key, spec in gpus().items()]

        def add(choice: Path | None) -> None:
            if choice is not None:
                self.compare.add(self.scenario, str(choice))
                self._stale.add("compare")
                self.action_show_tab("compare")
                self._refresh_charts()

        self.app.push_screen(dialogs().OpenScreen(
            "Add a GPU configuration (count = host GPUs)", entries, allow_path=False), add)

    def action_solve(self, target: str | None = None) -> None:
        """Goal seek: the value found becomes an unsaved edit of that input."""
        from .solve import SolveScreen

        def apply(answer: tuple[str, float] | None) -> None:
            if answer is not None:
                key, value = answer
                self._edited(self.scenario.with_value(key, value))
                self.notify(f"{key} = {value:g} (unsaved; Ctrl+S saves)", title="Solved")

        self.app.push_screen(SolveScreen(self.scenario, target or self._selected_figure()),
                             apply)

    def action_sensitivity(self, metric: str | None = None) -> None:
        from .sensitivity import TornadoScreen

        self.app.push_screen(TornadoScreen(self.scenario, metric or self._selected_figure()))

    def action_compare_file(self) -> None:
        """A second scenario beside this one: what differs, in inputs and figures."""
        from ...scenario import ScenarioError, load
        from .diff import DiffScreen

        def picked(path: Path | None) -> None:
            if path is None:
                return
            try:
                other = load(path)
            except ScenarioError as exc:
                self.notify("\n".join(str(p) for p in exc.problems[:5]), title="Cannot open",
                            severity="error", timeout=10)
                return
            self.app.push_screen(DiffScreen(self.scenario, other, str(path)))

        self.app.push_screen(dialogs().OpenScreen(
            "Compare with which scenario?", self.documents.entries(True)), picked)

    def action_calibrate(self) -> None:
        """Fit mbu/mfu/prefill_mfu/step cost to a figure the user measured (as the CLI's
        ``calibrate``); the fitted keys become unsaved edits, with the measurement noted."""
        from .calibrate import CalibrateScreen, calibrated

        def fit(answer: tuple[str, float] | None) -> None:
            if answer is not None:
                new, message = calibrated(self.scenario, *answer)
                self._edited(new)
                self.notify(message, title="Calibrated")

        self.app.push_screen(CalibrateScreen(self.report), fit)

    def action_download(self, what: str) -> None:
        """Deliver the scenario, the report, a screenshot or the charts to the user."""
        from .. import exports

        scenario = self.scenario
        if what == "scenario":
            text, name = exports.scenario_toml(scenario)
        elif what == "report":
            text, name = exports.report_markdown(scenario, self.report)
        elif what == "screenshot":
            text, name = self.app.export_screenshot(), f"{exports.slug(scenario.name)}.svg"
        else:
            tab = self.active_tab()
            charts = [c for c in self.results_tab(tab).deck.charts if c.display] \
                if tab != "compare" else list(self.compare.children)
            text, name = exports.charts_text(scenario, charts)
        exports.deliver(self.app, text, name)

    def action_toggle_blink(self) -> None:
        """A blinking cursor repaints twice a second: over a slow link, turn it off."""
        config = self.app.config  # type: ignore[attr-defined]
        config.cursor_blink = not config.cursor_blink
        for field in self.query(Input):
            field.cursor_blink = config.cursor_blink
        save_config_quietly(config)
        self.notify(f"Cursor blink {'on' if config.cursor_blink else 'off'} (remembered)")

    def palette_fields(self) -> list[tuple[str, str, str]]:
        """(title, help, path) for each field, for the palette's "Edit: …" entries."""
        return [(f"Edit: {f.label} [{f.section}]", f.help, f.path) for f in BY_PATH.values()]


def save_config_quietly(config: Any) -> None:
    """Remember a preference; a read-only config folder only loses the preference."""
    with contextlib.suppress(OSError):
        save_config(config)
