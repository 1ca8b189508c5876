"""Instructions executed until the first frame: infracalc against the bare Textual app.

Why: on a shared 2-core VM a cold start varies by 20% from run to run, so a change worth
3% cannot be seen in wall time. Valgrind counts the instructions a process executes
(cachegrind, no cache simulation): the same start gives the same count within 0.1%. Each
app runs on a pseudo-terminal at 120x40 and leaves at its first frame; for infracalc the
count is the app's own process (the forked child that prepares the scenario works on the
other core meanwhile). Not part of run.py: it needs valgrind and takes ~20 s per start.

    python benchmarks/startup_instructions.py
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import sys
import tempfile
import termios
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Leave at the first frame written to the terminal. Textual is patched as it is imported,
# not imported here first: the app imports it after it has set the garbage collector aside,
# and importing it earlier would count ~50M instructions of collections the app never runs.
_FIRST_FRAME = """
import importlib.util, os, sys

def _patch(module):
    display = module.App._display
    def leave(self, screen, renderable):
        display(self, screen, renderable)
        if renderable is not None:
            os._exit(0)
    module.App._display = leave

class _Hook:
    def find_spec(self, name, path=None, target=None):
        if name != "textual.app":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        run = spec.loader.exec_module
        def exec_module(module):
            run(module)
            _patch(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, _Hook())
"""
COMMANDS = {
    "bare": _FIRST_FRAME + f"import runpy; runpy.run_path({str(HERE / 'bare_app.py')!r}, "
                           "run_name='__main__')",
    "infracalc": _FIRST_FRAME + "from infracalc_tui.cli import main; main([])",
}


def instructions(code: str) -> int:
    """Instructions executed by ``python -c code`` (its own process, not its children)."""
    base = Path(tempfile.mkdtemp(prefix="infracalc-ir-"))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="120", LINES="40")
    for var in ("INFRACALC_CONFIG_DIR", "INFRACALC_DATA_DIR", "INFRACALC_STATE_DIR"):
        env[var] = str(base / var.lower())
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe("valgrind", ["valgrind", "--tool=cachegrind", "--cache-sim=no",
                                f"--log-file={base}/log.%p", "--cachegrind-out-file=/dev/null",
                                sys.executable, "-c", code], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    while select.select([fd], [], [], 300)[0]:
        try:
            if not os.read(fd, 1 << 16):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    log = (base / f"log.{pid}").read_text()
    found = re.search(r"I\s+refs:\s+([\d,]+)", log)
    if not found:
        raise RuntimeError(f"no instruction count in valgrind's log:\n{log[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed")
    counts = {name: instructions(code) for name, code in COMMANDS.items()}
    for name, n in counts.items():
        print(f"{name:10} {n / 1e6:9,.0f} M instructions to the first frame")
    print(f"{'ratio':10} {counts['infracalc'] / counts['bare']:9.3f}")


if __name__ == "__main__":
    main()
