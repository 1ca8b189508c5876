"""``infracalc serve``: the app in a web browser, through textual-serve.

Every browser tab that opens the page gets its own app process (textual-serve starts one per
websocket), on FILE or the default scenario, so sessions share nothing but the file they
start from. The page has no authentication: it listens on 127.0.0.1 unless another host is
named, and then says so on stderr.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def add_parser(sub: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """The ``serve`` subcommand, made with cli's parser factory ``sub(name, help)``."""
    p = sub("serve", "Serve the app to web browsers, each tab its own session on FILE; on "
            "127.0.0.1 (this machine only) unless --host names another address.")
    p.add_argument("file", nargs="?", help="scenario every session opens (default: the "
                   "shipped 'GPT-4o for 1B users' preset)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only); "
                   "anything else is reachable by others, without authentication")
    p.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    p.add_argument("--public-url", metavar="URL",
                   help="the address browsers use to reach this server, when it differs from "
                   "http://HOST:PORT (behind a proxy, or with --host 0.0.0.0)")


def app_command(file: Path | None, python: str = sys.executable) -> str:
    """The shell command each session runs: textual-serve hands it to a shell, so every
    part is quoted (paths with spaces or quotes stay one argument)."""
    argv = [python, "-m", "infracalc_tui"]
    if file is not None:  # absolute, so never taken for an option
        argv.append(str(file))
    return shlex.join(argv)


def public_url(host: str, port: int) -> str:
    """Where a browser finds the server: the page embeds it in its websocket address, so a
    wildcard address (which no browser can reach) is replaced by this machine's name."""
    if host in WILDCARD_HOSTS:
        import socket

        host = socket.gethostname()
    return f"http://{_address(host, port)}"


def _address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # an IPv6 literal in []


def checked_file(file: str | None) -> Path | None:
    """FILE as an absolute path, loaded once here: a bad file is one line and exit 2 now,
    not a blank page in every tab later. ScenarioError propagates to cli.main."""
    if file is None:
        return None
    from .scenario import load

    load(file)  # its problems name the file as it was given
    return Path(file).resolve()


def main(ns: argparse.Namespace) -> int:
    return serve(ns.file, ns.host, ns.port, ns.public_url)


def serve(file: str | None, host: str, port: int, url: str | None = None) -> int:
    """Run the web server until Ctrl+C (or SIGTERM)."""
    from .cli import UsageError

    if not 0 < port < 65536:
        raise UsageError(f"--port {port}: must be from 1 to 65535")
    path = checked_file(file)
    if host not in LOCAL_HOSTS:
        print(f"infracalc: warning: serving on {_address(host, port)}, reachable from other "
              "machines; the page has no authentication: anyone who can reach it can use the "
              "app and read the scenario files it can open", file=sys.stderr)
    from textual_serve.server import Server

    name = f"infracalc: {path.name}" if path else "infracalc"
    server = Server(app_command(path), host=host, port=port, title=name,
                    public_url=url or public_url(host, port))
    try:
        server.serve()
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise UsageError(f"cannot listen on {_address(host, port)}: {exc.strerror or exc}"
                         ) from None
    return 0
