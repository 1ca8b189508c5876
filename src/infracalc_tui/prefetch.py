"""The app's scenario and first report, prepared by a child process while the app starts.

Why: reading and checking the scenario file (three TOML files with the catalogs),
importing numpy (~110 ms) and computing the first report are a third of the app's cold
start, and none of it needs the terminal. On POSIX the command forks before it does any of
it: the child loads the scenario and sends it back, then imports the engine and sends the
scenario's report (plain JSON values), while the parent imports Textual and lays out its
screen on the other core. The child runs at a lower priority: on a busy machine it must not
take the CPU from the app it serves, or from the terminal (the app waits for the report
only once its own screen is ready).

Where fork is unavailable, or anything goes wrong in the child, the app does the same work
itself: the same loader, the same engine, the same numbers. A file with problems is
reported by the command, before the screen opens, exactly as if it had loaded it itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import struct
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .scenario import Scenario

_HEADER = struct.Struct("<Q")  # each message: its length, then its pickle


class Prefetch:
    """A child process loading a scenario and computing its first report."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid, self._fd = pid, fd
        self._buffer = b""
        self._scenario: tuple[str, Any] | None = None
        self._report: dict[str, Any] | None = None
        self._report_read = False

    def scenario(self, timeout: float = 5.0) -> Scenario | None:
        """The loaded scenario; ScenarioError if the file has problems; None if the child
        failed or took longer than ``timeout`` (load it yourself)."""
        if self._scenario is None:
            message = self._message(timeout)
            ok = isinstance(message, tuple) and len(message) == 2 and \
                message[0] in ("scenario", "problems")
            self._scenario = message if ok else ("failed", None)
            if not ok:
                self._kill()  # it may still be at work: no waiting for it
        kind, payload = self._scenario
        if kind == "problems":
            from .scenario.errors import ScenarioError

            raise ScenarioError(payload)
        return payload if kind == "scenario" else None

    def result(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The report of the scenario that ``scenario()`` returned, or None (the child
        failed or took too long, or the scenario did not come from the child)."""
        if not self._report_read:
            self._report_read = True
            if self._scenario is not None and self._scenario[0] == "scenario":
                report = self._message(timeout)
                self._report = report if isinstance(report, dict) else None
            self._close()
        return self._report

    def _message(self, timeout: float) -> Any:
        """The next message from the child; None on failure, EOF or timeout."""
        header = self._read(_HEADER.size, timeout)
        if header is None:
            return None
        body = self._read(_HEADER.unpack(header)[0], timeout)
        try:
            return None if body is None else pickle.loads(body)
        except Exception:
            return None

    def _read(self, n: int, timeout: float) -> bytes | None:
        end = time.monotonic() + timeout
        while len(self._buffer) < n:
            left = end - time.monotonic()
            if self._fd < 0 or left <= 0:
                self._kill()
                return None
            if not select.select([self._fd], [], [], left)[0]:
                continue
            chunk = os.read(self._fd, 1 << 16)
            if not chunk:  # the child is gone
                self._close()
                return None
            self._buffer += chunk
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def _kill(self) -> None:
        if self._fd >= 0:
            with contextlib.suppress(OSError):
                os.kill(self._pid, 9)  # too slow: the app does the work itself
        self._close()

    def _close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)


def start(path: str | os.PathLike[str]) -> Prefetch | None:
    """Fork a child that loads ``path`` and computes its report; None where fork is
    unavailable.

    Call it before any thread is started (a child forked from a threaded process can
    inherit a lock held by another thread)."""
    if not hasattr(os, "fork"):
        return None
    read_fd, write_fd = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: work, send, and leave without running the parent's exit code
        status = 1
        try:
            os.close(read_fd)
            with contextlib.suppress(OSError):
                os.nice(10)  # background work: the app, the terminal and sshd come first
            _child(Path(path), write_fd)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    return Prefetch(pid, read_fd)


def _child(path: Path, fd: int) -> None:
    from .scenario import ScenarioError, load

    try:
        scenario = load(path)
    except ScenarioError as exc:
        _send(fd, ("problems", exc.problems))
        return
    _ = scenario.values  # resolved here, with the catalogs: the app needs only the result
    _send(fd, ("scenario", scenario))
    from .calc import report_for

    _send(fd, report_for(scenario))


def _send(fd: int, message: Any) -> None:
    body = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
    data = memoryview(_HEADER.pack(len(body)) + body)
    while data:
        data = data[os.write(fd, data):]
