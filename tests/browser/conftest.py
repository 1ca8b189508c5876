"""A real browser on ``infracalc serve``: Debian's chromium driven by selenium, headless.

Nothing here downloads a browser: chromium and chromedriver come from the system (.ci/run
installs them). Without them, or without selenium, a test fails when ``CI`` is set and
skips, saying why, elsewhere (``require_tool``).

The page draws the terminal on a canvas (xterm.js), so its text is not in the DOM. A script
run before the page's own catches the xterm ``Terminal`` as textual.js stores it
(``this.terminal = ...``), and the tests read its buffer through xterm's public API.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ..conftest import require_module, require_tool, wait_until

# textual.js assigns the Terminal to a property named "terminal": a setter inherited from
# Object.prototype sees it once, then gets out of the way (an own property replaces it).
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, 'terminal', {configurable: true, set(t) {
  Object.defineProperty(this, 'terminal', {value: t, writable: true, configurable: true,
                                           enumerable: true});
  window.__xterm = t;
}});
"""
SCREEN_TEXT = """
const t = window.__xterm;
if (!t) return null;
const buf = t.buffer.active, lines = [];
for (let y = 0; y < t.rows; y++) {
  const line = buf.getLine(buf.viewportY + y);
  lines.push(line ? line.translateToString(true) : '');
}
return lines.join('\\n');
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """``infracalc serve`` in its own process group, with its own config and state dirs."""

    def __init__(self, tmp: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.tmp = tmp
        self.url = f"http://127.0.0.1:{self.port}/"
        env = {**os.environ, "INFRACALC_CONFIG_DIR": str(tmp / "config"),
               "INFRACALC_DATA_DIR": str(tmp / "data"), "INFRACALC_STATE_DIR": str(tmp / "state"),
               **(env or {})}
        tmp.mkdir(parents=True)
        self.log = (tmp / "serve.log").open("w+b")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "infracalc_tui", "serve", *args, "--port", str(self.port)],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT, env=env,
            start_new_session=True)
        wait_until(self._up, 30, lambda: f"infracalc serve on port {self.port}; its output:\n"
                   + self.output(), interval=0.1)

    def _up(self) -> bool:
        if self.proc.poll() is not None:
            pytest.fail(f"infracalc serve exited {self.proc.returncode}:\n{self.output()}")
        try:
            with urllib.request.urlopen(self.url, timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def sessions(self) -> list[int]:
        """The pids of the app processes the server started (one per browser tab)."""
        return [pid for pid in _descendants(self.proc.pid)
                if _is_app(pid) and not _is_app(_ppid(pid))]  # not prefetch's fork

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # textual-serve tells each session to quit
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of ours is left
        self.proc.wait()
        self.log.close()


def _is_app(pid: int) -> bool:
    """``python -m infracalc_tui [FILE]``: an app, not the server or the shell before it."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return argv[1:3] == [b"-m", b"infracalc_tui"] and b"serve" not in argv


def _ppid(pid: int) -> int:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def _descendants(root: int) -> list[int]:
    parent = {int(p.name): _ppid(int(p.name)) for p in Path("/proc").iterdir()
              if p.name.isdigit()}
    found, frontier = [], {root}
    while frontier:
        frontier = {pid for pid, pp in parent.items() if pp in frontier}
        found += sorted(frontier)
    return found


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@pytest.fixture
def serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    made: list[Served] = []

    def start(*args: str, env: dict[str, str] | None = None) -> Served:
        made.append(Served(tmp_path / f"serve{len(made)}", *args, env=env))
        return made[-1]

    yield start
    for s in made:
        s.close()


class Browser:
    """Headless chromium; ``open`` loads a page in a new tab (its own infracalc session)."""

    def __init__(self, width: int, height: int) -> None:
        chromium, driver = require_tool("chromium"), require_tool("chromedriver")
        webdriver = require_module("selenium.webdriver")
        from selenium.webdriver.chrome.service import Service

        opts = webdriver.ChromeOptions()
        opts.binary_location = chromium
        opts.page_load_strategy = "none"  # open() returns at once: the tests wait for text
        for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    f"--window-size={width},{height}", "--no-first-run",
                    # background tabs keep drawing: the many-sessions test reads them all
                    "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                    "--disable-backgrounding-occluded-windows"):
            opts.add_argument(arg)
        self.driver = webdriver.Chrome(service=Service(executable_path=driver), options=opts)
        self._tabs: list[str] = []

    def open(self, url: str) -> str:
        """Load ``url`` in a fresh tab (the first one reuses the start tab); its handle."""
        d = self.driver
        if self._tabs:
            d.switch_to.new_window("tab")
        # the page asks Google for a web font: nothing may leave this machine
        d.execute_cdp_cmd("Network.enable", {})
        d.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*fonts.googleapis.com*",
                                                              "*fonts.gstatic.com*"]})
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": CATCH_TERMINAL})
        d.get(url)
        self._tabs.append(d.current_window_handle)
        return self._tabs[-1]

    def screen(self, tab: str | None = None) -> str:
        if tab is not None and tab != self.driver.current_window_handle:
            self.driver.switch_to.window(tab)
        return self.driver.execute_script(SCREEN_TEXT) or ""

    def wait_all(self, tabs: list[str], holds: Callable[[str], bool], what: str,
                 seconds: float = 60) -> dict[str, float]:
        """Seconds until ``holds(screen)`` in each tab (checked in turn, so one slow tab does
        not hide how soon the others were ready); fails naming the tabs still waiting."""
        t0, ready = time.monotonic(), {}
        last = {tab: "" for tab in tabs}

        def check() -> bool:
            for tab in tabs:
                if tab not in ready:
                    last[tab] = self.screen(tab)
                    if holds(last[tab]):
                        ready[tab] = timed(t0)
            return len(ready) == len(tabs)

        wait_until(check, seconds, lambda: f"{what} in {len(tabs) - len(ready)} of "
                   f"{len(tabs)} tabs; one screen was:\n"
                   + next(last[t] for t in tabs if t not in ready))
        return ready

    def wait_for(self, holds: Callable[[str], bool], what: str, seconds: float = 30,
                 tab: str | None = None) -> str:
        """The screen once ``holds(screen)``; fails showing the last screen if it never does."""
        last = [""]

        def check() -> str | None:
            last[0] = self.screen(tab)
            return last[0] if holds(last[0]) else None

        return wait_until(check, seconds, lambda: f"{what}; the screen was:\n{last[0]}")

    def keys(self, *keys: str) -> None:
        """Type into the terminal, as a person would once it has the keyboard focus."""
        from selenium.webdriver.common.by import By

        area = self.driver.find_element(By.CSS_SELECTOR, ".xterm-helper-textarea")
        self.driver.execute_script("arguments[0].focus()", area)
        area.send_keys(*keys)

    def close(self) -> None:
        self.driver.quit()


@pytest.fixture
def browser() -> Iterator[Callable[..., Browser]]:
    made: list[Browser] = []

    def start(width: int = 800, height: int = 600) -> Browser:
        made.append(Browser(width, height))
        return made[-1]

    yield start
    for b in made:
        b.close()


def timed(t0: float) -> float:
    return round(time.monotonic() - t0, 2)
