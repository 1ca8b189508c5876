"""Hostile scenario files through `infracalc validate` and `infracalc report`.

Each generated file is broken TOML, random bytes, or well-formed TOML with wrong types,
nested tables, odd numbers (NaN, inf, 1e308, huge integers), unknown sections and keys, or a
future schema_version. The CLI must answer every one with exit 0 (valid) or 2 (a user error
whose every line names the file), never a traceback; a valid file's JSON is strict.
The example count comes from FUZZ_FILES (default 3,000; the "deep" profile runs 50,000).
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import tomli_w
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from infracalc_tui import cli
from infracalc_tui.scenario import FIELDS, SECTIONS
from infracalc_tui.scenario.io import MAX_FILE_BYTES

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
EXAMPLES = int(os.environ.get("FUZZ_FILES", 50_000 if DEEP else 3_000))
REAL_KEYS = [f.path for f in FIELDS]

odd_numbers = st.sampled_from([0, -1, -1e-300, 1e308, -1e308, math.nan, math.inf, -math.inf,
                               2**63 - 1, -(2**63), 10**40, 5e-324, 0.0, -0.0])
scalars = st.one_of(
    st.booleans(), st.text(max_size=12), st.integers(), odd_numbers,
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1B", "$0.02", "nan", "inf", "", "1e9", "70%", "h100", "GPT-4o"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)),
    max_leaves=6)
keys = st.one_of(st.sampled_from(REAL_KEYS),
                 st.tuples(st.sampled_from([*SECTIONS, "extra", "Model", ""]),
                           st.text(max_size=10)).map(".".join))


@st.composite
def structured(draw: st.DrawFn) -> bytes:
    """Well-formed TOML whose content is wrong in one or many ways."""
    doc: dict = {}
    for key in draw(st.lists(keys, max_size=6)):
        section, _, name = key.partition(".")
        table = doc.setdefault(section, {})
        if isinstance(table, dict):
            table[name] = draw(values)
    for top in draw(st.lists(st.sampled_from(["schema_version", "name", "description",
                                              "focus", "fleet", "model"]), max_size=2)):
        doc[top] = draw(st.one_of(values, st.integers(-5, 10**20)))
    try:
        return tomli_w.dumps(doc).encode()
    except (TypeError, ValueError):  # a value TOML cannot hold: write it as raw text instead
        return repr(doc).encode()


broken_toml = st.text(alphabet=st.sampled_from(list('[]=."\'#\n abc1e9-_{},:nainf\\\t')),
                      max_size=120).map(str.encode)
raw_bytes = st.binary(max_size=200)
hostile = st.one_of(structured(), broken_toml, raw_bytes, st.just(b""),
                    st.just(b"schema_version = 99\n"), st.just(b"\xff\xfe[model]\n"))


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def strict(text: str) -> object:
    def refuse(name: str) -> None:
        raise AssertionError(f"non-strict JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    for args in (("validate", str(path)), ("report", str(path), "--format", "json")):
        code, out, err = run_cli(*args)
        assert code in (0, 2), (args, code, err)
        assert "Traceback" not in err + out
        if code == 2:
            lines = err.strip().splitlines()
            assert lines, "a user error must say what is wrong"
            for line in lines:
                assert str(path) in line, line  # every message names the file
        elif args[0] == "report":
            strict(out)


WORK = Path(tempfile.mkdtemp(prefix="infracalc-fuzz-"))  # one file, rewritten per example


@settings(max_examples=EXAMPLES, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(data=hostile)
@example(data=b'[model]\n"\xc2\x85" = false\n')  # found: a key with a line break (NEL)
def test_hostile_files_never_crash_the_cli(data: bytes) -> None:
    check(WORK / "plan.toml", data)


@settings(max_examples=max(200, EXAMPLES // 20), deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
@given(key=st.sampled_from(REAL_KEYS), value=values)
@example(key="model.preset", value={"": {}})  # found: [model.preset.""] header
@example(key="model.preset", value=[{"": [False]}])  # found: [[model.preset]]
@example(key="model.preset", value={"\x85": {}})  # found: NEL is not a TOML line break
def test_a_bad_value_is_named_with_its_key_and_line(key: str, value: object) -> None:
    section, name = key.split(".")
    text = tomli_w.dumps({"name": "x", section: {name: value}})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "plan.toml"
        path.write_text(text)
        code, _, err = run_cli("validate", str(path))
    if code == 2:
        starts = (f"{name} =", f"{name}.", f"[{section}.{name}", f"[[{section}.{name}")
        line = next(i for i, t in enumerate(text.split("\n"), 1) if t.startswith(starts))
        first = err.splitlines()[0]
        assert f"{path}:{line}: " in first and key in first, (first, text)


def test_paths_that_are_not_files(tmp_path: Path) -> None:
    cases = {
        "missing": (tmp_path / "nope.toml", "no such file"),
        "folder": (tmp_path, "is a folder"),
    }
    for path, expected in cases.values():
        for args in (("validate", str(path)), ("report", str(path))):
            code, _, err = run_cli(*args)
            assert code == 2 and expected in err and str(path) in err


def test_a_100_mb_file_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:  # sparse: 100 MB that costs no disk
        fh.truncate(100 * 1024 * 1024)
    start = time.perf_counter()
    code, _, err = run_cli("report", str(big))
    elapsed = time.perf_counter() - start
    assert code == 2 and "104.9 MB" in err and f"{MAX_FILE_BYTES // 1024} KiB" in err
    assert elapsed < 1.0  # refused by its size, not read


def test_the_real_command_prints_no_traceback(tmp_path: Path) -> None:
    """A few hostile files through the installed entry point, in a fresh process."""
    files = {"broken.toml": b"[model\nx = ", "bytes.toml": b"\xff\xfe\x00bad",
             "types.toml": b"[fleet]\nusers = [1, 2]\n[gpu]\nmemory_gb = {a = 1}\n",
             "nan.toml": b"[pricing]\ncharge_per_minute_usd = nan\n"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    proc = subprocess.run([sys.executable, "-m", "infracalc_tui", "validate",
                           *(str(tmp_path / n) for n in files)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert len(re.findall(r"\.toml", proc.stderr)) >= len(files)
    assert "pricing.charge_per_minute_usd" in proc.stderr and "fleet.users" in proc.stderr


@pytest.mark.parametrize("version", ["99", "0", "-1", '"2"', "1.5", "true"])
def test_schema_version_that_is_not_ours(tmp_path: Path, version: str) -> None:
    path = tmp_path / "v.toml"
    path.write_text(f"schema_version = {version}\n")
    code, _, err = run_cli("validate", str(path))
    assert code == 2 and f"{path}:1: schema_version" in err
