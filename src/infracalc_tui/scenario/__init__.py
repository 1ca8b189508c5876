"""Scenarios: the schema, catalogs, presets and TOML files (headless)."""

from .errors import Problem, ScenarioError
from .io import dumps, load, parse, save
from .model import Scenario
from .schema import BY_PATH, FIELDS, SCHEMA_VERSION, SECTIONS, Field, field

__all__ = [
    "BY_PATH", "FIELDS", "SCHEMA_VERSION", "SECTIONS", "Field", "Problem", "Scenario",
    "ScenarioError", "dumps", "field", "load", "parse", "save",
]
