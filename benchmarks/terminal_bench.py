"""What a person over SSH feels: cold start in a real terminal (tmux), and the bytes, idle
traffic and memory of the app in a pseudo-terminal (256 colours, as most SSH sessions).
"""

from __future__ import annotations

import compileall
import os
import pty
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
def _first_figure() -> str:
    """The default scenario's GPU count as the dashboard shows it: the first useful screen
    (from the engine, so that the benchmark follows the model)."""
    from infracalc_tui.calc import report_for
    from infracalc_tui.scenario import load
    from infracalc_tui.scenario.presets import default_path

    return f"{report_for(load(default_path()))['fleet']['gpus'] / 1e3:.0f}k GPUs"


FIGURE = _first_figure()
UP, F2 = "\x1b[A", "\x1bOQ"


def _env(base: Path, blink: bool = False) -> dict[str, str]:
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    env.pop("COLORTERM", None)  # 256 colours, not truecolor
    env.pop("NO_COLOR", None)
    for var in ("INFRACALC_CONFIG_DIR", "INFRACALC_DATA_DIR", "INFRACALC_STATE_DIR"):
        env[var] = str(base / var.lower())
    cfg = base / "infracalc_config_dir"
    cfg.mkdir(parents=True, exist_ok=True)
    (cfg / "config.toml").write_text(f"cursor_blink = {'true' if blink else 'false'}\n")
    return env


# -- cold start, in tmux ---------------------------------------------------------------------

def _start_once(cmd: list[str], ready: str, env: dict[str, str]) -> float:
    sock = f"bench-{uuid.uuid4().hex[:8]}"
    shell = " ".join(f"{k}={v}" for k, v in env.items() if k.startswith("INFRACALC_")) + \
        " exec " + " ".join(cmd)

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", sock, *args], capture_output=True,
                              text=True).stdout

    start = time.perf_counter()
    tmux("new-session", "-d", "-s", "b", "-x", "120", "-y", "40", shell)
    pid = 0
    try:
        while time.perf_counter() - start < 30:
            if ready in tmux("capture-pane", "-p", "-t", "b"):
                took = (time.perf_counter() - start) * 1e3
                pid = int(tmux("display-message", "-p", "-t", "b", "#{pane_pid}") or 0)
                return took
            time.sleep(0.005)
        raise TimeoutError(f"{ready!r} never appeared for {cmd}")
    finally:
        tmux("kill-server")
        _wait_gone(pid)  # a process still closing would slow the next start down


def _wait_gone(pid: int, timeout: float = 5.0) -> None:
    end = time.perf_counter() + timeout
    while pid and time.perf_counter() < end:
        try:
            os.kill(pid, 0)
        except OSError:
            return
        time.sleep(0.01)


def startup(runs: int = 7) -> dict[str, float]:
    """Medians of interleaved cold starts: infracalc (until a headline figure shows) and the
    bare app (until its text shows), in the same run."""
    if shutil.which("tmux") is None:
        return {}
    # bytecode as `pip install` leaves it (an editable install under
    # PYTHONDONTWRITEBYTECODE would otherwise recompile every module on every start)
    import infracalc_tui
    compileall.compile_dir(str(Path(infracalc_tui.__file__).parent), quiet=1)
    base = Path(tempfile.mkdtemp(prefix="infracalc-bench-"))
    env = _env(base)
    ours, bare = [], []
    for _ in range(runs):
        bare.append(_start_once([sys.executable, str(HERE / "bare_app.py")],
                                "bare app ready", env))
        ours.append(_start_once([sys.executable, "-m", "infracalc_tui"], FIGURE, env))
    a, b = statistics.median(ours), statistics.median(bare)
    return {"startup_ms": a, "startup_bare_ms": b, "startup_ratio": a / b}


# -- bytes, idle traffic and memory, through a pseudo-terminal -------------------------------

class Pty:
    """infracalc on a pseudo-terminal; counts every byte it writes to the 'terminal'."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child
            os.execvpe(sys.executable, [sys.executable, "-m", "infracalc_tui"], env)
        import fcntl
        import struct
        import termios
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.total = 0

    def drain(self, quiet: float, limit: float = 15.0) -> int:
        """Read until nothing arrives for ``quiet`` seconds; return the bytes read."""
        got, end = 0, time.monotonic() + limit
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                break
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                break
            got += len(chunk)
        self.total += got
        return got

    def send(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        try:
            os.waitpid(self.pid, 0)
        finally:
            os.close(self.fd)


def traffic(changes: int = 30, idle_s: float = 5.0, churn: int = 1000) -> dict[str, float]:
    base = Path(tempfile.mkdtemp(prefix="infracalc-bench-"))
    out: dict[str, float] = {}
    app = Pty(_env(base, blink=False))
    try:
        app.drain(quiet=1.5)  # first paint and settling
        app.send(F2)  # at 120 columns the inputs are shown: F2 hides them,
        app.drain(quiet=0.5)
        app.send(F2)  # and F2 again shows them with the cursor in "Users"
        app.drain(quiet=0.5)
        per_change = []
        for _ in range(changes):
            app.send(UP)  # one nudge: one input change
            per_change.append(app.drain(quiet=0.4))
        out["bytes_per_change"] = statistics.median(per_change)
        out["bytes_per_change_max"] = max(per_change)
        start = time.monotonic()
        idle = app.drain(quiet=idle_s + 1, limit=idle_s)
        out["idle_bytes_per_s"] = idle / (time.monotonic() - start)
        rss0 = app.rss_mb()
        for i in range(churn):
            app.send(UP if i % 2 == 0 else "\x1b[B")
            if i % 10 == 9:
                app.drain(quiet=0.05)
        app.drain(quiet=1.0)
        rss1 = app.rss_mb()
        out["rss_mb"] = max(rss0, rss1)
        out["rss_growth_mb"] = rss1 - rss0
    finally:
        app.close()
    blink = Pty(_env(base, blink=True))
    try:
        blink.drain(quiet=1.5)
        blink.send(F2)
        blink.drain(quiet=0.5)
        blink.send(F2)  # the cursor in a field, where it blinks
        blink.drain(quiet=0.5)
        start = time.monotonic()
        idle = blink.drain(quiet=idle_s + 1, limit=idle_s)
        out["idle_bytes_per_s_blinking"] = idle / (time.monotonic() - start)
    finally:
        blink.close()
    return out


if __name__ == "__main__":
    for key, value in {**startup(), **traffic()}.items():
        print(f"{key:28} {value:10.1f}")
