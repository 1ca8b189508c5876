"""``infracalc serve`` without a browser: the command each session runs, the file checked
before serving, the host rule (127.0.0.1 unless named, then a warning). The server itself is
replaced here; tests/browser/ runs the real one in chromium."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

from infracalc_tui import serve
from infracalc_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
HOST = ROOT / "scenarios" / "llama70b-own-hardware.toml"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``Server`` was made with, instead of a server listening."""
    pytest.importorskip("textual_serve")  # a core dependency: always there once installed
    made: list[dict[str, Any]] = []

    class FakeServer:
        def __init__(self, command: str, **kwargs: Any) -> None:
            made.append({"command": command, **kwargs})

        def serve(self) -> None:
            pass

    monkeypatch.setattr("textual_serve.server.Server", FakeServer)
    return made


def test_each_session_runs_the_app_on_the_absolute_file(served, monkeypatch, tmp_path,
                                                         capsys) -> None:
    odd = tmp_path / "it's a plan; $(rm -rf x).toml"  # a shell would take this apart
    odd.write_text(HOST.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["serve", odd.name, "--port", "8123"]) == 0
    [server] = served
    assert shlex.split(server["command"]) == [sys.executable, "-m", "infracalc_tui", str(odd)]
    assert (server["host"], server["port"]) == ("127.0.0.1", 8123)
    assert server["public_url"] == "http://127.0.0.1:8123"
    assert capsys.readouterr().err == ""  # this machine only: no warning


def test_no_file_is_the_default_scenario(served) -> None:
    assert main(["serve"]) == 0
    assert shlex.split(served[0]["command"]) == [sys.executable, "-m", "infracalc_tui"]


def test_another_host_must_be_named_and_is_warned_about(served, capsys) -> None:
    assert main(["serve", "--host", "0.0.0.0", "--port", "9000"]) == 0
    err = capsys.readouterr().err
    assert err.startswith("infracalc: warning:") and "no authentication" in err
    assert served[0]["host"] == "0.0.0.0"
    assert "0.0.0.0" not in served[0]["public_url"]  # no browser can reach a wildcard
    assert serve.public_url("::1", 8000) == "http://[::1]:8000"
    assert main(["serve", "--host", "::", "--public-url", "https://calc.example.org"]) == 0
    assert served[1]["public_url"] == "https://calc.example.org"


@pytest.mark.parametrize("args, message", [
    (["serve", "missing.toml"], "missing.toml: no such file"),
    (["serve", "--port", "70000"], "--port 70000: must be from 1 to 65535"),
])
def test_a_bad_file_or_port_is_one_line_and_exit_2(served, capsys, tmp_path, monkeypatch,
                                                   args, message) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and not served


def test_a_bad_scenario_is_refused_before_serving(served, capsys, tmp_path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[pricing]\nconcurrent_threads = 0\n", encoding="utf-8")
    assert main(["serve", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"infracalc: {bad}:2: pricing.concurrent_threads") and not served
