"""The ``[uncertainty]`` table: a range for some inputs, for Monte Carlo (engine/uncertainty).

    [uncertainty]
    "serving.mbu" = { low = 0.5, high = 0.8 }                 # triangular, mode = the value
    "fleet.users" = { low = 5e8, high = 2e9, dist = "uniform" }
    "gpu.price_usd" = { low = 20000, high = 35000, mode = 25000 }

Each entry is checked like a key: a known numeric key, low < high, both (and mode) within
the key's allowed range, mode (default: the scenario's value) between low and high.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import Problem, show_value
from .schema import BY_PATH
from .validate import check_value

DISTS = ("triangular", "uniform")
_KEYS = ("low", "high", "mode", "dist")


def parse_uncertainty(table: Any, source: str = "", line: int | None = None
                      ) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """The validated entries of an ``[uncertainty]`` table, and what is wrong with it."""
    out: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []

    def bad(key: str, msg: str) -> None:
        problems.append(Problem(source, f"uncertainty.{key}" if key else "uncertainty", msg,
                                line))

    if not isinstance(table, dict):
        bad("", f"{show_value(table)}: expected a table of KEY = {{ low = .., high = .. }}")
        return out, problems
    for key, entry in table.items():
        f = BY_PATH.get(key)
        if f is None or not f.numeric:
            bad(key, "unknown or non-numeric key; give a numeric scenario key such as "
                '"serving.mbu"')
            continue
        if not isinstance(entry, dict) or "low" not in entry or "high" not in entry:
            bad(key, f"{show_value(entry)}: expected {{ low = .., high = .. }} "
                f"(optional mode, dist = {' or '.join(DISTS)})")
            continue
        extra = [k for k in entry if k not in _KEYS]
        if extra:
            bad(key, f"unknown field {extra[0]!r}; allowed: {', '.join(_KEYS)}")
            continue
        dist = entry.get("dist", "triangular")
        if dist not in DISTS:
            bad(key, f"dist {show_value(dist)}: must be one of {', '.join(DISTS)}")
            continue
        clean: dict[str, Any] = {"dist": dist} if "dist" in entry else {}
        for part in ("low", "high", "mode"):
            if part not in entry:
                continue
            value, problem = check_value(f, entry[part], source, line)
            if problem:
                bad(key, f"{part} {problem.message}")
                break
            clean[part] = value
        else:
            if not clean["low"] < clean["high"]:
                bad(key, f"low ({clean['low']:g}) must be below high ({clean['high']:g})")
            elif "mode" in clean and not clean["low"] <= clean["mode"] <= clean["high"]:
                bad(key, f"mode ({clean['mode']:g}) must be from low ({clean['low']:g}) to "
                    f"high ({clean['high']:g})")
            else:
                out[key] = clean
    return out, problems


def check_modes(values: Mapping[str, Any], uncertainty: Mapping[str, Mapping[str, Any]],
                source: str) -> list[Problem]:
    """Triangular entries without a mode take the scenario's value: it must lie within."""
    problems = []
    for key, entry in uncertainty.items():
        if entry.get("dist", "triangular") != "triangular" or "mode" in entry:
            continue
        value = values.get(key)
        if value is None:
            problems.append(Problem(source, f"uncertainty.{key}", f"{key} has no value to be "
                                    "the mode: set it, or give mode = .. or dist = \"uniform\""))
        elif not entry["low"] <= value <= entry["high"]:
            problems.append(Problem(source, f"uncertainty.{key}", f"the scenario's value "
                                    f"{value:g} (the mode) is outside low..high "
                                    f"({entry['low']:g}..{entry['high']:g})"))
    return problems


def spec(values: Mapping[str, Any], uncertainty: Mapping[str, Mapping[str, Any]]
         ) -> dict[str, dict[str, Any]]:
    """Entries for the engine: low, high, mode (resolved), dist, integer."""
    out = {}
    for key, entry in uncertainty.items():
        mode = entry.get("mode", values.get(key))
        out[key] = {"low": float(entry["low"]), "high": float(entry["high"]),
                    "mode": None if mode is None else float(mode),
                    "dist": entry.get("dist", "triangular"),
                    "integer": BY_PATH[key].kind == "int"}
    return out
