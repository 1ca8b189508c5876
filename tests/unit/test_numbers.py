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


def test_short_preset_names_drop_the_maker_and_the_brackets() -> None:
    from infracalc_tui.scenario.catalog import short_name

    assert short_name("NVIDIA GeForce RTX 4090 24GB") == "RTX 4090 24GB"
    assert short_name("NVIDIA H100 SXM 80GB") == "H100 SXM 80GB"
    assert short_name("AMD Instinct MI300X 192GB") == "MI300X 192GB"
    assert short_name("AMD Radeon RX 7900 XTX 24GB") == "RX 7900 XTX 24GB"
    assert short_name("Apple M3 Ultra 512GB (Mac Studio)") == "M3 Ultra 512GB"
    assert short_name("Llama 3.1 70B (Meta)") == "Llama 3.1 70B"  # no maker: brackets only
    assert short_name("(custom)") == "(custom)"  # nothing would be left: kept whole
