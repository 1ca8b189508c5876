"""Numbers as people type them."""

import pytest

from infracalc_tui.scenario.numbers import parse_number


@pytest.mark.parametrize(("text", "value"), [
    ("1e9", 1e9), ("1_000_000", 1e6), ("1B", 1e9), ("2.5k", 2500), ("$0.02", 0.02),
    ("1,000", 1000), ("3M", 3e6), ("10m", 1e7), ("1.5T", 1.5e12), ("70%", 0.7), (" 42 ", 42),
    ("-3", -3), (".5", 0.5), ("1G", 1e9), ("5e-3", 0.005),
])
def test_accepts(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1..2", "1e", "$", "1 B B", "nan", "inf", "1e999",
                                  "0x10", "--1"])
def test_rejects_with_a_message(text: str) -> None:
    with pytest.raises(ValueError, match=r"number|too large"):
        parse_number(text)
