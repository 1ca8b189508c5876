"""Errors that name the file, the key, the bad value and what is allowed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a scenario, phrased for the person who wrote it."""

    source: str  # file path, "--set", or "" for values typed in the TUI
    key: str  # dotted key, "" for the file as a whole
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = printable(self.source)
        if self.line is not None and where:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, printable(self.key, 80)) if p]
        message = printable(self.message, 400)
        return f"{': '.join(parts)}: {message}" if parts else message


def printable(text: str, limit: int | None = None) -> str:
    """Text safe for one line of a terminal: control and line-break characters escaped."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
                       for ch in text)
    if limit is not None and len(text) > limit:
        text = text[: limit - 3] + "..."
    return text


class ScenarioError(Exception):
    """A scenario that cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def show_value(value: object, limit: int = 60) -> str:
    """A bad value, short enough for one line of an error message."""
    text = repr(value)
    if isinstance(value, dict):
        text = "a table {...}"
    elif isinstance(value, list):
        text = f"an array of {len(value)} item(s)"
    return text if len(text) <= limit else text[: limit - 3] + "..."
