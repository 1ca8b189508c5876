"""The user's settings (a TOML file in the user config folder) and where files go.

A corrupt or unreadable config never stops the app: it gives a warning and defaults.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import tomli_w
from platformdirs import user_config_dir, user_data_dir, user_state_dir

from .atomicio import atomic_write_text

APP = "infracalc"
DEFAULT_THEME = "infracalc-midnight"


def config_path() -> Path:
    return Path(os.environ.get("INFRACALC_CONFIG_DIR") or user_config_dir(APP)) / "config.toml"


def themes_dir() -> Path:
    """The user's own themes (``*.toml``, same format as the shipped ones)."""
    return config_path().parent / "themes"


def scenarios_dir() -> Path:
    """The user's own scenarios folder (created on first save)."""
    return Path(os.environ.get("INFRACALC_DATA_DIR") or user_data_dir(APP)) / "scenarios"


def state_dir() -> Path:
    return Path(os.environ.get("INFRACALC_STATE_DIR") or user_state_dir(APP))


@dataclass
class Config:
    theme: str = DEFAULT_THEME
    cursor_blink: bool = True
    keymap: dict[str, str] = field(default_factory=dict)  # binding id -> keys ("f2,ctrl+i")


def load_config(path: Path | None = None) -> tuple[Config, str | None]:
    """The config and a warning (None when all is well)."""
    p = path or config_path()
    if not p.exists():
        return Config(), None
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(), f"{p}: unreadable config, using defaults ({exc})"
    config = Config()
    problems = []
    theme = doc.get("theme", config.theme)
    if isinstance(theme, str) and theme:
        config.theme = theme
    else:
        problems.append("theme must be text")
    blink = doc.get("cursor_blink", config.cursor_blink)
    if isinstance(blink, bool):
        config.cursor_blink = blink
    else:
        problems.append("cursor_blink must be true or false")
    keymap = doc.get("keymap", {})
    if isinstance(keymap, dict) and all(isinstance(k, str) and isinstance(v, str) and v
                                        for k, v in keymap.items()):
        from .tui.commands import BY_ID

        unknown = sorted(set(keymap) - set(BY_ID))
        if unknown:
            problems.append(f"keymap: unknown command(s) {', '.join(unknown)} (known: "
                            f"{', '.join(BY_ID)})")
        config.keymap = {k: v for k, v in keymap.items() if k in BY_ID}
    else:
        problems.append('keymap must be a table of command = "keys", e.g. save = "ctrl+s"')
    return config, (f"{p}: {'; '.join(problems)}; using defaults for those" if problems
                    else None)


def save_config(config: Config, path: Path | None = None) -> None:
    p = path or config_path()
    p.parent.mkdir(parents=True, exist_ok=True)
    doc: dict[str, object] = {"theme": config.theme, "cursor_blink": config.cursor_blink}
    if config.keymap:
        doc["keymap"] = dict(config.keymap)
    atomic_write_text(p, tomli_w.dumps(doc))
