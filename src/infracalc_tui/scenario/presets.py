"""The preset scenarios shipped in ``scenarios/``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import shipped_dir
from .io import load
from .model import Scenario

DEFAULT_SCENARIO = "gpt4o-1b-users"


@dataclass(frozen=True, slots=True)
class Preset:
    key: str  # file stem
    path: Path
    scenario: Scenario


def scenarios_dir() -> Path:
    return shipped_dir("scenarios")


@cache
def presets() -> dict[str, Preset]:
    """Every shipped scenario, by file stem, in file-name order."""
    out: dict[str, Preset] = {}
    for path in sorted(scenarios_dir().glob("*.toml")):
        out[path.stem] = Preset(path.stem, path, load(path))
    return out


def default_path() -> Path:
    return scenarios_dir() / f"{DEFAULT_SCENARIO}.toml"
