"""One real-terminal smoke test: infracalc in tmux, typed into, screen read back."""

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_infracalc_in_tmux(tmp_path: Path) -> None:
    sock = f"ic-{uuid.uuid4().hex[:8]}"
    env = (f"INFRACALC_CONFIG_DIR={tmp_path}/c INFRACALC_DATA_DIR={tmp_path}/d "
           f"INFRACALC_STATE_DIR={tmp_path}/s TERM=xterm-256color")
    cmd = f"{env} {sys.executable} -m infracalc_tui {ROOT / 'scenarios/llama70b-own-hardware.toml'}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", sock, *args], capture_output=True, text=True).stdout

    def wait_for(text: str, seconds: float = 20) -> str:
        end = time.monotonic() + seconds
        screen = ""
        while time.monotonic() < end:
            screen = tmux("capture-pane", "-p", "-t", "app")
            if text in screen:
                return screen
            time.sleep(0.2)
        pytest.fail(f"{text!r} not on screen:\n{screen}")

    tmux("new-session", "-d", "-s", "app", "-x", "80", "-y", "24", cmd)
    try:
        wait_for("$12.89/day")
        tmux("send-keys", "-t", "app", "F3")
        wait_for("Cost per 1M tokens")
        tmux("send-keys", "-t", "app", "C-p")
        time.sleep(0.5)
        tmux("send-keys", "-t", "app", "-l", "Edit: Users")
        time.sleep(1.0)
        screen = wait_for("Edit: Users")
        assert screen.count("Edit: Users") >= 2  # typed query and the matching command
        assert "Traceback" not in screen
        tmux("send-keys", "-t", "app", "Escape")
    finally:
        tmux("kill-server")
