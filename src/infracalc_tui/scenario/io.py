"""Reading and writing scenario files (TOML).

Reading never shows a traceback: every problem becomes a line that names the
file, the line where known, the key, the bad value and what is allowed.
Writing is atomic (see ``atomicio``).
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

import tomli_w

from ..atomicio import atomic_write_text
from .errors import Problem, ScenarioError, show_value
from .model import Scenario
from .schema import SCHEMA_VERSION, SECTIONS, section_fields
from .validate import check_value

#: Scenario files are a few kB; anything this large is refused before it is read.
MAX_FILE_BYTES = 1024 * 1024

_TOP_LEVEL = ("schema_version", "name", "description", "focus")
FOCUS = ("fleet", "host")


def load(path: str | os.PathLike[str]) -> Scenario:
    """The scenario in ``path``, or ScenarioError listing every problem."""
    p = Path(path)
    source = str(path)
    text = read_text(p, source)
    return parse(text, source, default_name=p.stem)


def read_text(p: Path, source: str) -> str:
    def fail(msg: str) -> ScenarioError:
        return ScenarioError([Problem(source, "", msg)])

    try:
        if not p.exists():
            raise fail("no such file")
        if p.is_dir():
            raise fail("is a folder, not a scenario file")
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise fail(f"is {size / 1e6:.1f} MB; scenario files are at most "
                       f"{MAX_FILE_BYTES // 1024} KiB, so it was not read")
        with p.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is larger than {MAX_FILE_BYTES // 1024} KiB, so it was not read")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ScenarioError([Problem(source, "", f"is not UTF-8 text (byte {exc.start})",
                                     line)]) from None


def parse(text: str, source: str = "<text>", default_name: str = "Untitled scenario"
          ) -> Scenario:
    """The scenario in TOML ``text``; ``source`` names it in error messages."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column \d+\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg)
        raise ScenarioError([Problem(source, "", f"not valid TOML: {msg}", line)]) from None
    locate = _Locator(text)
    problems: list[Problem] = []

    version = doc.get("schema_version", SCHEMA_VERSION)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        problems.append(Problem(source, "schema_version",
                                f"{show_value(version)}: must be a whole number from 1 to "
                                f"{SCHEMA_VERSION}", locate("", "schema_version")))
    elif version > SCHEMA_VERSION:
        raise ScenarioError([Problem(
            source, "schema_version",
            f"{version} is newer than this infracalc understands ({SCHEMA_VERSION}); "
            "upgrade infracalc to read it", locate("", "schema_version"))])

    texts: dict[str, str] = {}
    for key in ("name", "description"):
        if key in doc:
            if isinstance(doc[key], str):
                texts[key] = doc[key]
            else:
                problems.append(Problem(source, key, f"{show_value(doc[key])}: expected text",
                                        locate("", key)))

    if "focus" in doc and doc["focus"] not in FOCUS:
        problems.append(Problem(source, "focus", f"{show_value(doc['focus'])}: must be "
                                '"fleet" or "host"', locate("", "focus")))
    explicit: dict[str, Any] = {}
    uncertainty: dict[str, dict[str, Any]] = {}
    if "uncertainty" in doc:
        from .uncertain import parse_uncertainty

        uncertainty, found = parse_uncertainty(doc["uncertainty"], source,
                                               locate("", "uncertainty"))
        problems += found
    for section, table in doc.items():
        if section in _TOP_LEVEL or section == "uncertainty":
            continue
        if section not in SECTIONS:
            problems.append(Problem(source, section, "unknown key; the file may have "
                                    f"{', '.join(_TOP_LEVEL)} and the sections "
                                    f"[{'], ['.join(SECTIONS)}]", locate("", section)))
            continue
        if not isinstance(table, dict):
            problems.append(Problem(source, section, f"{show_value(table)}: expected a "
                                    f"[{section}] table", locate("", section)))
            continue
        fields = {f.key: f for f in section_fields(section)}
        for key, value in table.items():
            path = f"{section}.{key}"
            line = locate(section, key)
            f = fields.get(key)
            if f is None:
                problems.append(Problem(source, path, f"unknown key; [{section}] has: "
                                        f"{', '.join(fields)}", line))
                continue
            converted, problem = check_value(f, value, source, line)
            if problem:
                problems.append(problem)
            else:
                explicit[path] = converted
    focus = doc.get("focus") if doc.get("focus") in FOCUS else ""
    scenario = Scenario(texts.get("name", default_name), texts.get("description", ""), explicit,
                        focus, uncertainty)
    if not problems:
        problems = [Problem(p.source, p.key, p.message, locate(*p.key.split(".", 1)))
                    for p in scenario.problems(source)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def dumps(scenario: Scenario) -> str:
    """TOML text of the scenario: its name, description and explicit keys."""
    doc: dict[str, Any] = {"schema_version": SCHEMA_VERSION, "name": scenario.name}
    if scenario.description:
        doc["description"] = scenario.description
    if scenario.focus:
        doc["focus"] = scenario.focus
    for section in SECTIONS:
        table = {}
        for f in section_fields(section):
            if f.path in scenario.explicit:
                table[f.key] = _toml_value(scenario.explicit[f.path])
        if table:
            doc[section] = table
    if scenario.uncertainty:
        doc["uncertainty"] = {k: {p: _toml_value(x) for p, x in entry.items()}
                              for k, entry in scenario.uncertainty.items()}
    return tomli_w.dumps(doc)


def save(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write atomically; OSError (with the old file intact) when it cannot be written."""
    atomic_write_text(path, dumps(scenario))


def _toml_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


class _Locator:
    """Line numbers of keys in TOML text, for error messages.

    Knows ``[section]``, ``[section.key]`` and ``[[section.key]]`` headers, ``key =`` and
    ``key.sub =`` lines and ``section.key =`` at the top level; quoted keys are located
    when they are plain words.
    """

    _NAME = r"""(?:[A-Za-z0-9_\-]+|"[^"\n]*"|'[^'\n]*')"""
    _HEADER = re.compile(rf"^\s*\[\[?\s*({_NAME})\s*(?:\.\s*({_NAME}))?[^\]]*\]")
    _KEY = re.compile(rf"^\s*({_NAME})\s*(?:\.\s*({_NAME}))?[^=]*=")

    def __init__(self, text: str) -> None:
        self._lines: dict[tuple[str, str], int] = {}
        section, inside = "", ""
        for number, line in enumerate(text.split("\n"), start=1):  # TOML breaks only at \n
            was_inside, inside = inside, _string_after(line, inside)
            if was_inside:  # a line of a multi-line string: text, not keys
                continue
            if m := self._HEADER.match(line):
                section = _bare(m.group(1))
                self._lines.setdefault(("", section), number)
                if m.group(2):
                    self._lines.setdefault((section, _bare(m.group(2))), number)
            elif m := self._KEY.match(line):
                first, second = _bare(m.group(1)), _bare(m.group(2) or "")
                self._lines.setdefault((section, first), number)
                if not section and second:  # model.layers = 80 at the top level
                    self._lines.setdefault((first, second), number)

    def __call__(self, section: str, key: str = "") -> int | None:
        return self._lines.get((section, key))


_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"' + "|" + r"'[^']*'")  # one-line strings


def _string_after(line: str, inside: str) -> str:
    """The multi-line string delimiter (\"\"\" or ''') still open at the end of ``line``, given
    the one open at its start ("" for none): single-line strings and comments are skipped."""
    i = 0
    while i < len(line):
        if inside:
            if inside == '"""' and line[i] == "\\":
                i += 2  # an escape, \" among them
            elif line.startswith(inside, i):
                i += 3
                while line.startswith(inside[0], i):  # """a"""" ends with a quote in it
                    i += 1
                inside = ""
            else:
                i += 1
        elif line.startswith(('"""', "'''"), i):
            inside, i = line[i:i + 3], i + 3
        elif line[i] in "\"'":
            end = _QUOTED.match(line, i)
            i = end.end() if end else len(line)
        elif line[i] == "#":
            break
        else:
            i += 1
    return inside


def _bare(name: str) -> str:
    return name[1:-1] if len(name) >= 2 and name[0] == name[-1] and name[0] in "\"'" else name
