"""``infracalc mcp`` driven by the MCP SDK's own client over stdio: the tools, their JSON
(the command line's, byte for byte), and errors as tool errors with the CLI's messages."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from infracalc_tui.cli import main

from ..conftest import require_module

ROOT = Path(__file__).resolve().parents[2]
HOST = str(ROOT / "scenarios" / "llama70b-own-hardware.toml")
TOOLS = {"report", "explain", "sweep", "solve", "presets", "validate"}


def cli_json(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out.rstrip("\n")


async def test_the_tools_over_stdio(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    require_module("mcp", "pip install -e '.[mcp]'")
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    # the whole environment (the SDK passes on only a few variables by default), with the
    # package's folder first on the path: the server runs in tmp_path, where a relative
    # PYTHONPATH would not find it
    import infracalc_tui

    package_root = str(Path(infracalc_tui.__file__).resolve().parents[1])
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    params = StdioServerParameters(command=sys.executable, args=["-m", "infracalc_tui", "mcp"],
                                   env={**os.environ, "PYTHONPATH": path}, cwd=str(tmp_path))
    errlog = (tmp_path / "server-stderr.txt").open("w")  # pytest's capture has no fileno
    async with stdio_client(params, errlog=errlog) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        listed = {t.name: t for t in (await session.list_tools()).tools}
        assert set(listed) == TOOLS
        assert "set" in listed["report"].inputSchema["properties"]

        async def call(name: str, **args: Any) -> tuple[bool, str]:
            result = await session.call_tool(name, args)
            [content] = result.content
            assert content.type == "text"
            return bool(result.isError), content.text

        # the same JSON as the command line, from a path and with overrides
        err, text = await call("report", scenario=HOST, set=["pricing.charge_per_minute_usd=0.05"])
        assert not err
        assert text == cli_json(capsys, "report", HOST, "--format", "json",
                                "--set", "pricing.charge_per_minute_usd=0.05")
        assert json.loads(text)["host"]["revenue_usd_per_day"] == pytest.approx(48.0)

        err, text = await call("sweep", scenario=HOST, vary=["pricing.charge_per_minute_usd="
                                                             "0.01:0.05:3"],
                               metric=["host.profit_usd_per_day"])
        assert not err
        assert text == cli_json(capsys, "sweep", HOST, "--vary",
                                "pricing.charge_per_minute_usd=0.01:0.05:3",
                                "--metric", "host.profit_usd_per_day", "--format", "json")

        err, text = await call("solve", scenario=HOST, target="host.break_even_days=365",
                               vary="pricing.utilization_hours_per_day")
        assert not err
        assert text == cli_json(capsys, "solve", HOST, "--target", "host.break_even_days=365",
                                "--vary", "pricing.utilization_hours_per_day", "--format",
                                "json")
        assert json.loads(text)["value"] == pytest.approx(6.4918, abs=1e-4)

        # inline TOML; the default preset; explain with and without a key
        toml = Path(HOST).read_text(encoding="utf-8")
        err, text = await call("report", scenario=toml)
        assert not err and json.loads(text)["host"]["profit_usd_per_day"] == pytest.approx(
            json.loads(cli_json(capsys, "report", HOST, "--format", "json"))["host"]
            ["profit_usd_per_day"])
        err, text = await call("explain", key="fleet.gpus")
        assert not err and json.loads(text)["key"] == "fleet.gpus"
        err, text = await call("explain", scenario=HOST)
        assert not err and "host.profit_usd_per_day" in json.loads(text)["figures"]

        err, text = await call("presets")
        found = json.loads(text)
        assert not err and {"h100-sxm", "rtx-4090"} <= {g["key"] for g in found["gpus"]}
        assert "gpt4o-1b-users" in {s["key"] for s in found["scenarios"]}

        bad = tmp_path / "bad.toml"
        bad.write_text("[pricing]\nconcurrent_threads = 0\n", encoding="utf-8")
        err, text = await call("validate", scenarios=[HOST, str(bad)])
        checked = json.loads(text)
        assert not err and checked["valid"] is False
        assert [r["ok"] for r in checked["results"]] == [True, False]
        assert main(["validate", HOST, str(bad)]) == 2  # the lines it prints, one a problem
        assert checked["results"][1]["problems"] == capsys.readouterr().err.splitlines()
        assert "pricing.concurrent_threads: 0: out of range" in text

        # a user's mistake: a tool error carrying the command line's one-line message
        for name, args, cli_args in (
                ("report", {"scenario": str(bad)}, ["report", str(bad)]),
                ("report", {"scenario": HOST, "set": ["fleet.nope=1"]},
                 ["report", HOST, "--set", "fleet.nope=1"]),
                ("explain", {"scenario": HOST, "key": "fleet.nope"},
                 ["explain", HOST, "fleet.nope"]),
                ("sweep", {"scenario": HOST, "vary": ["pricing.charge_per_minute_usd=1:2"]},
                 ["sweep", HOST, "--vary", "pricing.charge_per_minute_usd=1:2"]),
                ("solve", {"scenario": HOST, "target": "host.break_even_days=30",
                           "vary": "pricing.utilization_hours_per_day"},
                 ["solve", HOST, "--target", "host.break_even_days=30", "--vary",
                  "pricing.utilization_hours_per_day"])):
            err, text = await call(name, **args)
            assert main(cli_args) == 2
            expected = capsys.readouterr().err.replace("infracalc: ", "").rstrip("\n")
            assert err and text == expected, (name, args)
    errlog.close()
    assert "Traceback" not in (tmp_path / "server-stderr.txt").read_text()
