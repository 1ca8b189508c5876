"""Shipped themes (``themes/*.toml``) turned into Textual themes."""

from __future__ import annotations

import tomllib
from pathlib import Path

from textual.theme import Theme

from ..resources import shipped_dir

_COLOURS = ("primary", "secondary", "accent", "foreground", "background", "surface", "panel",
            "success", "warning", "error")


def load_themes(folder: Path | None = None) -> tuple[list[Theme], list[str]]:
    """Every valid theme in the folder, and a warning for each broken file."""
    themes: list[Theme] = []
    warnings: list[str] = []
    for path in sorted((folder or shipped_dir("themes")).glob("*.toml")):
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
            warnings.append(f"theme {path.name} ignored: {exc}")
    return themes, warnings
