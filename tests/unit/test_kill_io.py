"""Scenario files read, parsed and reported (scenario.io, scenario.errors, scenario.numbers).

Pins the size cap (a file of exactly 1 MiB is read, a pipe is read no further than one byte
past it), the wording of each refusal, the line each problem is blamed on (quoted, dotted
and marker-like keys), that later problems are still found after the first, and how a
problem reads on one terminal line (control characters escaped, keys cut at 80 characters,
messages at 400); and two edges of typed numbers.

Written to kill the mutants docs/mutation.md lists as surviving in io.py, errors.py and
numbers.py; the expected texts and values are the rules the modules state, written out."""

from __future__ import annotations

import os
import socket
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from infracalc_tui.scenario import Problem, ScenarioError, load, parse
from infracalc_tui.scenario.errors import printable, show_value
from infracalc_tui.scenario.io import MAX_FILE_BYTES
from infracalc_tui.scenario.numbers import parse_number

# -- one line of a problem (errors.Problem, errors.printable) -----------------------------


def test_control_characters_are_escaped_and_the_rest_kept() -> None:
    """Only the unprintable characters become escapes; "é" and a backslash stay as they
    are (unicode_escape on every character would give "\\xe9" and "\\\\")."""
    assert printable("é\\\n\tz") == "é\\" + "\\n" + "\\t" + "z"
    assert printable("a\x00b") == "a\\x00b"


def test_printable_text_is_returned_unchanged() -> None:
    assert printable("model.layers = 80") == "model.layers = 80"


def test_a_text_at_the_limit_is_whole_and_one_past_it_is_cut() -> None:
    """limit 10: ten characters whole; eleven become the first 7 and "..." (10 in all)."""
    assert printable("a" * 10, 10) == "a" * 10
    assert printable("a" * 11, 10) == "a" * 7 + "..."
    assert printable("b" * 50, None) == "b" * 50


def test_a_key_is_cut_at_80_characters() -> None:
    """80 characters whole; 81: the first 77 and "..."."""
    assert str(Problem("f.toml", "k" * 80, "bad")) == "f.toml: " + "k" * 80 + ": bad"
    assert str(Problem("f.toml", "k" * 81, "bad")) == "f.toml: " + "k" * 77 + "...: bad"


def test_a_message_is_cut_at_400_characters() -> None:
    """400 characters whole; 401: the first 397 and "..."."""
    assert str(Problem("f.toml", "", "m" * 400)) == "f.toml: " + "m" * 400
    assert str(Problem("f.toml", "", "m" * 401)) == "f.toml: " + "m" * 397 + "..."


def test_the_parts_of_a_problem_line() -> None:
    """source:line: key: message; what is missing is left out, with its ": "."""
    assert str(Problem("f.toml", "model.layers", "-5: out of range", 3)) == \
        "f.toml:3: model.layers: -5: out of range"
    assert str(Problem("", "model.layers", "-5: out of range")) == "model.layers: -5: out of range"
    assert str(Problem("", "", "no such file")) == "no such file"
    assert str(Problem("", "bad\nkey", "two\nlines")) == "bad\\nkey: two\\nlines"


def test_a_scenario_error_shows_one_problem_a_line() -> None:
    err = ScenarioError([Problem("f.toml", "a", "x", 1), Problem("f.toml", "b", "y", 2)])
    assert str(err) == "f.toml:1: a: x\nf.toml:2: b: y"


def test_a_table_is_shown_as_a_table() -> None:
    assert show_value({"low": 1}) == "a table {...}"


# -- typed numbers (numbers.parse_number) ------------------------------------------------


def test_runs_of_underscores_and_commas_are_ignored() -> None:
    """'1__000' is 1000 once the underscores are dropped (float() alone refuses '1__000')."""
    assert parse_number("1__000") == 1000.0
    assert parse_number("2_5_.5") == 25.5
    assert parse_number("1,,000") == 1000.0


def test_a_point_with_no_digits_is_not_a_number() -> None:
    """'._' is only a point once its underscore goes: the message names the text typed."""
    with pytest.raises(ValueError) as err:
        parse_number("._")
    assert str(err.value) == "'._' is not a number"

# -- reading a file (io.read_text) --------------------------------------------------------


def test_a_folder_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        load(tmp_path)
    assert str(err.value) == f"{tmp_path}: is a folder, not a scenario file"


def test_a_file_of_exactly_the_cap_is_read_in_full(tmp_path: Path) -> None:
    """MAX_FILE_BYTES (1 MiB) is allowed: a comment filling it up to a last line with no
    newline, whose closing quote is the file's last byte (one byte short would leave the
    string open)."""
    tail = b'\nname = "end"'
    path = tmp_path / "big.toml"
    path.write_bytes(b"#" + b"x" * (MAX_FILE_BYTES - 1 - len(tail)) + tail)
    assert path.stat().st_size == 1024 * 1024
    assert load(path).name == "end"


def test_the_size_of_a_large_file_is_given_in_mb(tmp_path: Path) -> None:
    """1,050,000 bytes: 1,050,000 / 1e6 = 1.05, shown "1.1" (1.05 is stored a hair above);
    the cap 1,048,576 // 1024 = 1024 KiB."""
    path = tmp_path / "huge.toml"
    with path.open("wb") as fh:
        fh.truncate(1_050_000)
    with pytest.raises(ScenarioError) as err:
        load(path)
    assert str(err.value) == (f"{path}: is 1.1 MB; scenario files are at most 1024 KiB, "
                              "so it was not read")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_stream_is_refused_after_one_byte_past_the_cap(tmp_path: Path) -> None:
    """A pipe has no size to check first: reading stops at MAX_FILE_BYTES + 1 bytes, so the
    refusal comes while the writer still holds the pipe open (reading on to the end, or
    waiting for one more byte, would wait for the writer to give up)."""
    pipe = tmp_path / "pipe.toml"
    os.mkfifo(pipe)
    refused = threading.Event()
    early: list[bool] = []

    def writer() -> None:
        with open(pipe, "wb") as fh:
            fh.write(b"#" * (MAX_FILE_BYTES + 1))
            fh.flush()
            early.append(refused.wait(10))

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    with pytest.raises(ScenarioError) as err:
        load(pipe)
    refused.set()
    thread.join(15)
    assert str(err.value) == f"{pipe}: is larger than 1024 KiB, so it was not read"
    assert early == [True]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's wording")
def test_an_unreadable_file_says_why_in_words() -> None:
    """Opening a Unix socket fails (ENXIO): the message is the system's words, not the
    exception's "[Errno 6] ..." text."""
    with tempfile.TemporaryDirectory(prefix="ic") as folder:  # a socket path is short
        path = os.path.join(folder, "s.toml")
        with socket.socket(socket.AF_UNIX) as sock:
            sock.bind(path)
            with pytest.raises(ScenarioError) as err:
                load(path)
    assert str(err.value) == f"{path}: cannot be read: No such device or address"


# -- parsing (io.parse) -------------------------------------------------------------------


def test_text_without_a_source_or_name_gets_the_defaults() -> None:
    s = parse("")
    assert (s.name, s.description, s.focus) == ("Untitled scenario", "", "")
    with pytest.raises(ScenarioError) as err:
        parse("a = 1\nb = ?")
    assert str(err.value) == "<text>:2: not valid TOML: Invalid value"


def test_a_toml_error_at_the_end_has_no_line() -> None:
    """tomllib says "(at end of document)" instead of a line and column: kept, no line."""
    with pytest.raises(ScenarioError) as err:
        parse("a =", "f.toml")
    assert [(p.key, p.message, p.line) for p in err.value.problems] == [
        ("", "not valid TOML: Invalid value (at end of document)", None)]


def test_a_newer_schema_version_asks_for_an_upgrade() -> None:
    with pytest.raises(ScenarioError) as err:
        parse('name = "x"\nschema_version = 2\n', "f.toml")
    assert str(err.value) == ("f.toml:2: schema_version: 2 is newer than this infracalc "
                              "understands (1); upgrade infracalc to read it")


def test_an_unknown_focus_names_the_two_allowed() -> None:
    with pytest.raises(ScenarioError) as err:
        parse('name = "x"\nfocus = "cloud"\n', "f.toml")
    [p] = err.value.problems
    assert (p.source, p.key, p.message, p.line) == (
        "f.toml", "focus", "'cloud': must be \"fleet\" or \"host\"", 2)


def test_a_bad_uncertainty_table_is_blamed_on_its_header_line() -> None:
    with pytest.raises(ScenarioError) as err:
        parse('name = "x"\n[uncertainty]\n"serving.mbu" = 3\n', "f.toml")
    assert [str(p) for p in err.value.problems] == [
        "f.toml:2: uncertainty.serving.mbu: 3: expected { low = .., high = .. } "
        "(optional mode, dist = triangular or uniform)"]


def test_uncertainty_problems_add_to_the_ones_before() -> None:
    """A bad name is found before the [uncertainty] table: both are listed."""
    with pytest.raises(ScenarioError) as err:
        parse('name = 5\n[uncertainty]\n"serving.mbu" = 3\n', "f.toml")
    assert [(p.key, p.line) for p in err.value.problems] == [
        ("name", 1), ("uncertainty.serving.mbu", 2)]


def test_an_unknown_top_level_key_lists_what_is_allowed() -> None:
    with pytest.raises(ScenarioError) as err:
        parse("bogus = 1\n[model]\nlayers = -5\n", "f.toml")
    assert [str(p) for p in err.value.problems] == [
        "f.toml:1: bogus: unknown key; the file may have schema_version, name, description, "
        "focus and the sections [model], [gpu], [serving], [fleet], [facility], [host], "
        "[pricing]",
        "f.toml:3: model.layers: -5: out of range: must be a whole number from 1 to 1000"]


def test_a_section_that_is_not_a_table_is_located_and_the_rest_still_checked() -> None:
    with pytest.raises(ScenarioError) as err:
        parse('name = "x"\nmodel = 5\n[pricing]\nbogus = 1\n', "f.toml")
    assert [(p.key, p.message, p.line) for p in err.value.problems] == [
        ("model", "5: expected a [model] table", 2),
        ("pricing.bogus", "unknown key; [pricing] has: charge_per_minute_usd, "
         "utilization_hours_per_day, concurrent_threads, "
         "api_price_per_million_input_tokens_usd, api_price_per_million_output_tokens_usd",
         4)]


def test_keys_after_an_unknown_one_are_still_checked() -> None:
    with pytest.raises(ScenarioError) as err:
        parse("[pricing]\nbogus = 1\nconcurrent_threads = 0\n", "f.toml")
    assert [(p.key, p.line) for p in err.value.problems] == [
        ("pricing.bogus", 2), ("pricing.concurrent_threads", 3)]


def test_a_mode_outside_its_range_is_blamed_on_its_entry() -> None:
    """The key uncertainty.serving.mbu is found as "serving.mbu" in [uncertainty] (line 4):
    split at the first dot, not the last."""
    with pytest.raises(ScenarioError) as err:
        parse('[serving]\nmbu = 0.9\n[uncertainty]\n"serving.mbu" = {low = 0.5, high = 0.8}\n',
              "f.toml")
    assert [str(p) for p in err.value.problems] == [
        "f.toml:4: uncertainty.serving.mbu: the scenario's value 0.9 (the mode) is outside "
        "low..high (0.5..0.8)"]


# -- where a key is (io._Locator, io._bare) -----------------------------------------------


def _lines(text: str) -> list[tuple[str, int | None]]:
    with pytest.raises(ScenarioError) as err:
        parse(text, "f.toml")
    return [(p.key, p.line) for p in err.value.problems]


def test_a_dotted_key_at_the_top_level_is_located() -> None:
    assert _lines('name = "n"\nmodel.layers = -5\n') == [("model.layers", 2)]


def test_a_dotted_key_inside_a_section_belongs_to_that_section() -> None:
    """fleet.model.layers (line 2) is not model.layers (line 4)."""
    assert _lines("[fleet]\nmodel.layers = 1\n[model]\nlayers = -5\n") == [
        ("fleet.model", 2), ("model.layers", 4)]


def test_quoted_keys_are_located_by_their_bare_name() -> None:
    """"layers" and 'layers' are the key layers; "" is the empty key (model. , line 2)."""
    assert _lines('[model]\n"layers" = -5\n') == [("model.layers", 2)]
    assert _lines("[model]\n'layers' = -5\n") == [("model.layers", 2)]
    assert _lines('[model]\n"" = 1\n') == [("model.", 2)]
    assert _lines('[model]\n"a" = 1\n') == [("model.a", 2)]


def test_keys_spelled_like_markers_are_located_as_written() -> None:
    """A bare key XlayersX is not a quoted "layers"; a key-like line inside a multi-line
    string (line 2) does not take the line of the later key XXXX (line 5)."""
    assert _lines("[model]\nXlayersX = 1\n") == [("model.XlayersX", 2)]
    assert _lines('description = """\nmodel = 1\n"""\n[model]\nXXXX = 1\n') == [
        ("model.XXXX", 5)]


def test_a_key_like_line_in_a_multi_line_string_is_not_the_key() -> None:
    """notes' text (lines 2-4) says layers = 80; the key layers is on line 5. So in a literal
    string, and after one-line strings that hold quote marks, an escaped quote or a comment."""
    assert _lines('[model]\nnotes = """\nlayers = 80\n"""\nlayers = -5\n') == [
        ("model.notes", 2), ("model.layers", 5)]
    assert _lines("[model]\nnotes = '''\nlayers = 80\n'''\nlayers = -5\n") == [
        ("model.notes", 2), ("model.layers", 5)]
    assert _lines('[model]\nnotes = """a \\""" b\nlayers = 80"""\nlayers = -5\n') == [
        ("model.notes", 2), ("model.layers", 4)]
    assert _lines('[model]\nnotes = "\\"\\"\\"" # """\nlayers = -5\n') == [
        ("model.notes", 2), ("model.layers", 3)]
    assert _lines("[model]\nnotes = '\"\"\"'\nlayers = -5\n") == [
        ("model.notes", 2), ("model.layers", 3)]
    assert _lines('[model]\nnotes = """x""""\nlayers = -5\n') == [
        ("model.notes", 2), ("model.layers", 3)]
