"""Unsaved work kept in the user state folder, so an SSH drop or a kill loses nothing.

Each running app owns one file, ``recovery/<pid>.toml``: the scenario as it would be saved,
followed by a ``[recovery]`` table (the file it came from, when, which process). It is
written a moment after each change and on SIGHUP/SIGTERM, and removed when the work is
saved or the user discards it. A later start offers the files of processes that are gone.
"""

from __future__ import annotations

import os
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

import tomli_w

from .atomicio import atomic_write_text
from .config import state_dir
from .scenario import Scenario, ScenarioError, dumps, parse

_MARKER = "\n# --- infracalc recovery data; the scenario is above ---\n"


@dataclass(frozen=True)
class Recovery:
    file: Path  # the recovery file itself
    scenario: Scenario
    origin: Path | None  # the scenario file being edited; None for one never saved
    written_at: float  # seconds since the epoch
    pid: int

    def describe(self) -> str:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written_at))
        where = str(self.origin) if self.origin else "not saved yet"
        return f'"{self.scenario.name}" ({where}), unsaved changes from {when}'


def recovery_dir() -> Path:
    return state_dir() / "recovery"


def own_file(pid: int | None = None) -> Path:
    return recovery_dir() / f"{os.getpid() if pid is None else pid}.toml"


def write(scenario: Scenario, origin: Path | None, pid: int | None = None) -> Path:
    """Write (atomically) this process's recovery file; raises OSError when it cannot."""
    pid = os.getpid() if pid is None else pid
    meta = {"origin": str(origin.absolute()) if origin else "", "written_at": time.time(),
            "pid": pid}
    path = own_file(pid)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, dumps(scenario) + _MARKER + tomli_w.dumps({"recovery": meta}))
    return path


def read(path: Path) -> Recovery:
    """One recovery file; raises ScenarioError or OSError when it cannot be used."""
    text = path.read_text(encoding="utf-8")
    body, sep, tail = text.partition(_MARKER)
    if not sep:
        raise ScenarioError([])
    meta = tomllib.loads(tail).get("recovery", {})
    origin = meta.get("origin") or None
    return Recovery(path, parse(body, str(path)), Path(origin) if origin else None,
                    float(meta.get("written_at", path.stat().st_mtime)),
                    int(meta.get("pid", 0)))


def pending() -> tuple[list[Recovery], list[str]]:
    """Recovery files left by processes that are gone, newest first, and a warning for each
    file that cannot be read (it is left in place: it may be the only copy of someone's work).
    """
    folder = recovery_dir()
    if not folder.is_dir():
        return [], []
    found: list[Recovery] = []
    warnings: list[str] = []
    for path in folder.glob("*.toml"):
        if path.stem.isdigit() and _alive(int(path.stem)):
            continue  # another infracalc is running and owns it
        try:
            found.append(read(path))
        except (OSError, ValueError, tomllib.TOMLDecodeError, ScenarioError) as exc:
            warnings.append(f"recovery file {path} cannot be read ({exc or 'damaged'}); "
                            "it was left where it is")
    found.sort(key=lambda r: r.written_at, reverse=True)
    return found, warnings


def discard(path: Path) -> None:
    path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists but is not ours to signal
        return True
    try:  # an exited process its parent has not reaped yet (Linux) is gone too
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
