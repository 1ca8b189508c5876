"""Where a key is in a scenario file (io._Locator), through the strings TOML writers make:
a key-like line inside a multi-line string, escaped quotes, closing quotes that end the
text, one-line strings and comments holding triple quotes. The files are written by tomli_w
(the app's own writer) and by hand for the literal strings it does not write; the line of
every key is known from how the file was put together."""

from __future__ import annotations

import tomllib

import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from infracalc_tui.scenario.io import _Locator, _string_after

TEXT = st.text(alphabet="ab \"'\\#=[]\n", max_size=12)


def _entry(value: str, literal: bool) -> str:
    """``= value`` as TOML: a multi-line literal string (''') when asked and possible, else
    tomli_w's encoding (a basic string, multi-line when the text has a newline)."""
    if literal and "'" not in value:
        return f"'''\n{value}'''"
    return tomli_w.dumps({"k": value}, multiline_strings=True).removeprefix("k = ").rstrip("\n")


@given(st.lists(st.tuples(TEXT, st.booleans(), st.booleans()), min_size=1, max_size=5))
def test_every_key_is_found_on_its_own_line(entries: list[tuple[str, bool, bool]]) -> None:
    """Section [s] on line 1, then keys k0, k1, ... each after the lines of the ones before;
    a value may carry a comment with triple quotes in it."""
    lines, expected = ["[s]"], {}
    note = '  # a """ or a'
    for i, (value, literal, comment) in enumerate(entries):
        expected[f"k{i}"] = len(lines) + 1
        lines += f"k{i} = {_entry(value, literal)}{note if comment else ''}".split("\n")
    text = "\n".join(lines) + "\n"
    assert tomllib.loads(text)["s"] == {f"k{i}": v for i, (v, _, _) in enumerate(entries)}
    where = _Locator(text)
    assert {key: where("s", key) for key in expected} == expected


def test_the_string_open_at_the_end_of_a_line() -> None:
    """Which multi-line string (if any) is still open after each line, by hand."""
    cases = [
        ('k = """', "", '"""'), ("k = '''", "", "'''"),  # opened
        ('abc"""', '"""', ""), ('ab\\"""', '"""', '"""'),  # closed; an escaped quote is text
        ('a\\\\"""', '"""', ""),  # an escaped backslash, then the closing quotes
        ('x""""', '"""', ""), ('x"""""', '"""', ""),  # closing quotes that end the text
        ('x""" # """', '"""', ""),  # a comment after the closing quotes
        ('k = "a\\"b" # """', "", ""), ("k = 'a\"\"\"' # '''", "", ""),  # one-line strings
        ('k = "unterminated', "", ""), ("abc'''", "'''", ""), ('ab\\', '"""', '"""'),
        ('k = """a""" """', "", '"""'), ("k = '''a\\''' '''", "", "'''"),
        ('x""""#a"""', '"""', ""),  # one quote of text, the closing quotes, then a comment
        ('k = """"""', "", ""),  # an empty multi-line string, opened and closed
        ('kX = """', "", '"""'),  # a capital X is a letter of the key
        ('k = ["a", """', "", '"""'),  # a multi-line string after a one-line one
    ]
    for line, before, after in cases:
        assert _string_after(line, before) == after, (line, before)


def test_a_plain_top_level_key_has_no_dotted_part() -> None:
    """a = 1 at the top level registers a, not a.<something>: the key XXXX of [a] is on
    line 3 (the locator reads text a TOML parser might refuse; it only finds lines)."""
    assert _Locator("a = 1\n[a]\nXXXX = 2\n")("a", "XXXX") == 3
