"""Real-terminal tests: infracalc in tmux, typed into, screen read back; an SSH drop is
simulated with SIGHUP and a kill with SIGTERM."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from infracalc_tui.recovery import read

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "scenarios/llama70b-own-hardware.toml"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Terminal:
    """infracalc running in a private tmux server; the pane's process is infracalc itself."""

    def __init__(self, tmp_path: Path, *args: str, env: str = "") -> None:
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

    def wait_for(self, text: str, seconds: float = 20) -> str:
        end = time.monotonic() + seconds
        screen = ""
        while time.monotonic() < end:
            screen = self.tmux("capture-pane", "-p", "-t", "app")
            if text in screen:
                return screen
            time.sleep(0.1)
        pytest.fail(f"{text!r} not on screen:\n{screen}")

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
    time.sleep(0.5)
    t.type("Edit: Users")
    time.sleep(1.0)
    screen = t.wait_for("Edit: Users")
    assert screen.count("Edit: Users") >= 2  # typed query and the matching command
    assert "Traceback" not in screen
    t.keys("Escape")


def _gone(pid: int, seconds: float = 10) -> bool:
    """The process has exited (a zombie tmux has not reaped yet counts as exited)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return True
        if "\nState:\tZ" in status:
            return True
        time.sleep(0.05)
    return False


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
    assert _gone(pid), "infracalc did not exit on the signal"
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
    assert _gone(pid2), "infracalc kept running after its terminal went away"
    assert list((t2.state / "recovery").glob("*.toml")), "the restored work was not kept"
