"""Shipped themes (``themes/*.toml``) turned into Textual themes."""

from __future__ import annotations

import contextlib
import tomllib
from pathlib import Path

from textual.theme import Theme

from ..config import themes_dir
from ..resources import shipped_dir

_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
            "success", "warning", "error")


def load_themes(*folders: Path) -> tuple[list[Theme], list[str]]:
    """Every valid theme in the folders (default: shipped, then the user's), and a warning
    for each broken file."""
    themes: list[Theme] = []
    warnings: list[str] = []
    paths: list[Path] = []
    for folder in folders or (shipped_dir("themes"), themes_dir()):
        with contextlib.suppress(OSError):
            paths += sorted(folder.glob("*.toml"))
    for path in paths:
        try:
            doc = tomllib.loads(path.read_text(encoding="utf-8"))
            name = doc["name"]
            if not isinstance(name, str) or not name:
                raise ValueError("name must be text")
            colours = {k: doc[k] for k in _COLOURS if k in doc}
            if "primary" not in colours:
                raise ValueError("primary colour is missing")
            theme = Theme(name=name, dark=bool(doc.get("dark", True)), **colours)
            theme.to_color_system()  # raises on a colour Textual cannot parse
            themes.append(theme)
        except Exception as exc:  # a broken theme file must never stop the app
            warnings.append(f"theme {path} ignored: {exc}")
    return themes, warnings
