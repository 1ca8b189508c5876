"""Real-terminal tests: infracalc in tmux, typed into, screen read back; an SSH drop is
simulated with SIGHUP and a kill with SIGTERM."""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from infracalc_tui.recovery import read

from ..conftest import require_tool, wait_until

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scenarios/llama70b-own-hardware.toml"


class Terminal:
    """infracalc running in a private tmux server; the pane's process is infracalc itself.
    Without tmux the test fails under CI and skips elsewhere (in the test itself, so that
    CI reports it FAILED, not skipped)."""

    def __init__(self, tmp_path: Path, *args: str, env: str = "") -> None:
        require_tool("tmux")
        self.sock = f"ic-{uuid.uuid4().hex[:8]}"
        self.state = tmp_path / "s"
        cmd = (f"exec env INFRACALC_CONFIG_DIR={tmp_path}/c INFRACALC_DATA_DIR={tmp_path}/d "
               f"INFRACALC_STATE_DIR={self.state} TERM=xterm-256color {env} "
               f"{sys.executable} -m infracalc_tui {' '.join(args)}")
        self.tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", cmd)
        self.tmux("set-option", "-t", "app", "remain-on-exit", "on")

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", "-L", self.sock, *args], capture_output=True,
                              text=True).stdout

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "app")

    def wait_until(self, holds: Callable[[str], bool], what: str, seconds: float = 20) -> str:
        """The screen, once ``holds(screen)``; fails showing the last screen if it never does."""
        last = [""]

        def check() -> str | None:
            last[0] = self.screen()
            return last[0] if holds(last[0]) else None

        return wait_until(check, seconds, lambda: f"{what}; the screen was:\n{last[0]}",
                          interval=0.1)

    def wait_for(self, text: str, seconds: float = 20) -> str:
        return self.wait_until(lambda screen: text in screen, f"{text!r} on screen", seconds)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", "app", key)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "app", "-l", text)

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", "app", "#{pane_pid}").strip())

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def terminal(tmp_path: Path):
    made: list[Terminal] = []

    def start(*args: str, env: str = "") -> Terminal:
        made.append(Terminal(tmp_path, *args, env=env))
        return made[-1]

    yield start
    for t in made:
        t.close()


def test_infracalc_in_tmux(terminal) -> None:
    t = terminal(str(SEED))
    t.wait_for("$12.89/day")
    t.keys("F3")
    t.wait_for("Cost per 1M tokens")
    t.keys("C-p")
    t.wait_for("Search for commands")  # the palette is open, its search box focused
    t.type("Edit: Users")
    # the typed query and the matching command
    screen = t.wait_until(lambda s: s.count("Edit: Users") >= 2,
                          "the palette to echo 'Edit: Users' and list the matching command")
    assert "Traceback" not in screen
    t.keys("Escape")


def _exited(pid: int) -> bool:
    """The process has exited (a zombie tmux has not reaped yet counts as exited)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return True
    return "\nState:\tZ" in status


def _wait_gone(pid: int, what: str, seconds: float = 10) -> None:
    wait_until(lambda: _exited(pid), seconds, f"infracalc (pid {pid}) to exit: {what}")


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM])
def test_a_dropped_connection_keeps_the_unsaved_work(terminal, sig: int) -> None:
    # a long recovery delay: only the signal handler can have written the file
    t = terminal(str(SEED), env="INFRACALC_RECOVERY_DELAY_S=600")
    t.wait_for("$12.89/day")
    t.keys("F2")
    t.wait_for("Price per minute [$/min]")
    t.type("0.05")
    t.wait_for(" * ")  # the title marks unsaved changes
    pid = t.pid()
    os.kill(pid, sig)
    _wait_gone(pid, f"it got signal {signal.Signals(sig).name}")
    files = list((t.state / "recovery").glob("*.toml"))
    assert [f.stem for f in files] == [str(pid)]
    rec = read(files[0])
    assert rec.scenario.values["pricing.charge_per_minute_usd"] == 0.05
    assert rec.origin == SEED

    # the next start offers it; restoring brings the price back
    t2 = terminal()
    t2.wait_for("Restore")
    t2.keys("r")
    t2.keys("F4")
    t2.wait_for("$48.00/day")  # 0.05 $/min x 60 x 8 h x 2 threads

    # the terminal itself goes away (tmux killed, as sshd does): the app must not linger
    pid2 = t2.pid()
    t2.close()
    _wait_gone(pid2, "its terminal went away")
    assert list((t2.state / "recovery").glob("*.toml")), "the restored work was not kept"
