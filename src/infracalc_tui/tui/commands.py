"""Every command of the main screen, declared once.

Each becomes its key binding (with an id, so a user keymap can rebind it), its footer item,
its command-palette entry and its line in the help screen: adding a command is one line
here, and the four can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from textual.app import SystemCommand
from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Command:
    id: str  # the binding id: what a keymap in config.toml names
    keys: str  # Textual key names, comma-separated ("" = palette and help only)
    action: str  # the main screen's action
    label: str  # footer and palette
    help: str  # palette and help screen
    footer: bool = True
    display: str = ""  # how the keys read, when Textual's name is not what the key says
    app: bool = False  # the App's (works over dialogs too), not the main screen's


COMMANDS: tuple[Command, ...] = (
    Command("help", "f1", "help", "Help", "All keys and how fields take numbers"),
    Command("inputs", "f2", "inputs", "Inputs", "Put the cursor in the inputs (showing them)"),
    Command("hide-inputs", "shift+f2,f14,ctrl+f2", "hide_inputs", "Hide inputs",
            "Hide or show the inputs pane (wider results)", footer=False,
            display="Shift+F2"),
    Command("tab-fleet", "f3", "show_tab('fleet')", "Fleet", "Show the Fleet tab",
            footer=False),
    Command("tab-host", "f4", "show_tab('host')", "Host", "Show the Host tab", footer=False),
    Command("tab-compare", "f5", "show_tab('compare')", "Compare",
            "Show the Compare tab (hardware configurations side by side)", footer=False),
    Command("animate", "f6", "animate", "Animate", "Step threads 1..max on the Host tab",
            footer=False),
    Command("add-config", "f7", "add_config", "Add config",
            "Add a GPU configuration to Compare", footer=False),
    Command("charts-next", "f8", "charts(1)", "Charts",
            "Next chart page (figures, then each chart on small screens)"),
    Command("charts-back", "f9", "charts(-1)", "Back", "Previous chart page", footer=False),
    Command("explain", "ctrl+e", "explain", "Explain",
            "Explain the selected figure, down to the inputs"),
    Command("solve", "", "solve", "Solve for…", "Goal seek: the value of one input that makes "
            "a figure reach a target (s on a figure)"),
    Command("sensitivity", "", "sensitivity", "Sensitivity of the selected figure",
            "Which inputs move it most: each swung ±20%, a tornado chart (t on a figure)"),
    Command("compare-file", "", "compare_file", "Compare with another scenario…",
            "The inputs that differ and every figure's change"),
    Command("save", "ctrl+s", "save", "Save", "Save the scenario (TOML)"),
    Command("save-as", "", "save_as", "Save as…", "Save the scenario under a new name or path"),
    Command("open", "ctrl+o", "open", "Open", "Open a preset or one of your scenarios"),
    Command("new", "ctrl+n", "new", "New", "A new scenario from a preset"),
    Command("download-scenario", "", "download('scenario')", "Download the scenario (TOML)",
            "In a browser: download it; in a terminal: to your downloads folder"),
    Command("download-report", "", "download('report')", "Download the report (markdown)",
            "Every figure as markdown tables, to paste into docs"),
    Command("download-screenshot", "", "download('screenshot')",
            "Download a screenshot (SVG)", "The dashboard as it is on screen"),
    Command("download-charts", "", "download('charts')", "Download the charts (text)",
            "The charts on screen as plain text"),
    Command("quit", "ctrl+q", "quit", "Quit", "Quit (asks first when there are unsaved "
            "changes)", app=True),
    Command("calibrate", "", "calibrate", "Calibrate from a measurement",
            "Fit the efficiency knobs so a figure matches your own benchmark"),
    Command("blink", "", "toggle_blink", "Cursor blink on/off",
            "Blinking costs a repaint twice a second over SSH; the choice is remembered"),
)
BY_ID = {c.id: c for c in COMMANDS}


def bindings(app: bool = False) -> list[Binding]:
    """The main screen's bindings (or the App's), one per command that has keys."""
    return [Binding(c.keys, c.action, c.label, show=c.footer, tooltip=c.help, id=c.id,
                    key_display=c.display or None, priority=c.app)
            for c in COMMANDS if c.keys and c.app == app]


def key_text(command: Command, keymap: Mapping[str, str] | None = None) -> str:
    """The keys as a person reads them (F2, Ctrl+S), after the user's keymap."""
    keys = (keymap or {}).get(command.id, command.keys)
    if command.display and keys == command.keys:
        return command.display
    return ", ".join(_key_name(k) for k in keys.split(",") if k)


def _key_name(key: str) -> str:
    parts = key.strip().split("+")
    return "+".join(p.upper() if len(p) <= 3 and p[0] == "f" else p.capitalize()
                    for p in parts)


def help_lines(keymap: Mapping[str, str] | None = None) -> list[str]:
    lines = []
    for c in COMMANDS:
        keys = key_text(c, keymap) or "Ctrl+P"
        lines.append(f"  {keys:10} {c.label:13} {c.help}")
    return lines


def system_commands(run: Callable[[str], Any],
                    keymap: Mapping[str, str] | None = None) -> Iterator[SystemCommand]:
    """Palette entries: ``run(action)`` runs the action on the main screen."""
    for c in COMMANDS:
        if c.app:
            continue  # Textual's palette has its own Quit
        keys = key_text(c, keymap)
        yield SystemCommand(f"{c.label} ({keys})" if keys else c.label, c.help,
                            lambda action=c.action: run(action))
