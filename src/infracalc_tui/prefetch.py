"""The app's first report, computed in a child process while the app starts.

Why: importing numpy (~110 ms) and computing the first report are a third of the app's
cold start, and they need nothing from the terminal. On POSIX the command forks before it
imports anything heavy: the child imports the engine, computes the scenario's report and
sends it back (a report holds only plain JSON values), while the parent imports Textual and
lays out its screen on the other core. The child runs at a lower priority: on a busy
machine it must not take the CPU from the app it serves, or from the terminal (the app
waits for its report only once its own screen is ready). Where fork is unavailable, or
anything goes wrong, the app computes the report itself: the same engine, the same
numbers.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .scenario import Scenario


class FirstReport:
    """A report being computed by a child process."""

    def __init__(self, pid: int, fd: int) -> None:
        self._pid, self._fd = pid, fd
        self._report: dict[str, Any] | None = None
        self._done = False

    def result(self, timeout: float = 5.0) -> dict[str, Any] | None:
        """The child's report, or None (it failed, or took longer than ``timeout``)."""
        if not self._done:
            self._done = True
            self._report = self._collect(timeout)
        return self._report

    def _collect(self, timeout: float) -> dict[str, Any] | None:
        chunks: list[bytes] = []
        end = time.monotonic() + timeout
        try:
            while (left := end - time.monotonic()) > 0:
                if not select.select([self._fd], [], [], left)[0]:
                    continue
                chunk = os.read(self._fd, 1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
            else:
                os.kill(self._pid, 9)  # too slow: the app computes the report itself
                return None
        finally:
            os.close(self._fd)
            _reap(self._pid)
        try:
            report = pickle.loads(b"".join(chunks))
        except Exception:
            return None
        return report if isinstance(report, dict) else None


def start(scenario: Scenario) -> FirstReport | None:
    """Fork a child that computes ``report_for(scenario)``; None where fork is unavailable.

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
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit code
        status = 1
        try:
            os.close(read_fd)
            with contextlib.suppress(OSError):
                os.nice(10)  # background work: the app, the terminal and sshd come first
            from .calc import report_for

            data = memoryview(pickle.dumps(report_for(scenario), pickle.HIGHEST_PROTOCOL))
            while data:
                data = data[os.write(write_fd, data):]
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    return FirstReport(pid, read_fd)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)
