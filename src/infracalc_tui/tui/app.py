"""The infracalc app: its stylesheet, themes, keymap and the main screen.

Everything else lives in the main screen (``screens/main.py``), which owns the scenario and
routes messages, and in the services and widgets it uses.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from ..config import DEFAULT_THEME, Config, load_config, save_config
from ..prefetch import Prefetch
from ..scenario import Scenario
from . import commands, partial_updates, textual_fixes
from .screens.main import MainScreen
from .themes import load_themes


class InfracalcApp(textual_fixes.QuietClose, App[int]):
    CSS_PATH = Path(__file__).parent / "app.tcss"  # absolute: subclasses live elsewhere
    AUTO_FOCUS = None
    TITLE = "infracalc"
    BINDINGS: ClassVar[list[BindingType]] = commands.bindings(app=True)

    def __init__(self, scenario: Scenario, path: Path | None = None,
                 config: Config | None = None, config_warning: str | None = None,
                 first_report: Prefetch | None = None) -> None:
        textual_fixes.install()
        partial_updates.install()
        super().__init__()
        self.config, self._config_warning = (config, config_warning) if config else \
            load_config()
        self.set_keymap(self.config.keymap)
        self._startup_warnings = self._choose_theme()
        self.main = MainScreen(scenario, path, first_report)

    def get_default_screen(self) -> Screen[Any]:
        return self.main

    def on_mount(self) -> None:
        for warning in [*self._startup_warnings, self._config_warning]:
            if warning:
                self.notify(warning, severity="warning", timeout=8)

    def on_delivery_complete(self, event: Any) -> None:
        where = f" to {event.path}" if event.path else ""
        self.notify(f"Delivered {event.name}{where}")

    def on_delivery_failed(self, event: Any) -> None:
        self.notify(f"Could not deliver {event.name}: {event.exception}", severity="error")

    @property
    def is_ready(self) -> bool:
        return self.main.is_mounted and self.main.is_ready

    async def until_ready(self, pilot: Any) -> None:
        """For tests and screenshots: wait (via the pilot) until every field and chart is in."""
        for _ in range(500):
            if self.is_ready:
                await pilot.pause()
                return
            await pilot.pause(0.02)
        raise TimeoutError("the app did not finish mounting its inputs and charts")

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

    def watch_theme(self, theme: str) -> None:
        """The user picked a theme: remember it (the start-up choice is not a pick)."""
        if getattr(self, "config", None) is None or self.config.theme == theme:
            return
        self.config.theme = theme
        with contextlib.suppress(OSError):
            save_config(self.config)

    async def action_quit(self) -> None:
        self.main.request_quit()

    def _handle_exception(self, error: Exception) -> None:
        if textual_fixes.palette_race(error):
            return  # Textual's palette racing its own search worker: nothing of ours lost
        super()._handle_exception(error)

    def action_command_palette(self) -> None:
        """Textual's palette, guarded against a selection arriving after it closed."""
        if self.use_command_palette and not textual_fixes.CommandPalette.is_open(self):
            self.push_screen(textual_fixes.CommandPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen[Any]):  # type: ignore[no-untyped-def]
        yield from super().get_system_commands(screen)
        yield from commands.system_commands(self.main.run_action, self.config.keymap)
        for title, help, path in self.main.palette_fields():
            yield SystemCommand(title, help, lambda p=path: self.main.focus_field(p))


def run(scenario: Scenario, path: Path | None, first_report: Prefetch | None = None) -> int:
    app = InfracalcApp(scenario, path, first_report=first_report)
    return int(app.run() or 0)
