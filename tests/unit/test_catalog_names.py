"""The short preset names a narrow field or a Compare row shows: the maker and the details in
brackets go, the rest stays word for word (the TUI is the only caller, so a unit test pins it
where the mutation run can see it)."""

from __future__ import annotations

import pytest

from infracalc_tui.scenario.catalog import gpus, short_name


@pytest.mark.parametrize(("name", "short"), [
    ("NVIDIA GeForce RTX 4090 24GB", "RTX 4090 24GB"),  # "NVIDIA GeForce " before "NVIDIA "
    ("NVIDIA H100 SXM 80GB", "H100 SXM 80GB"),
    ("AMD Instinct MI300X 192GB", "MI300X 192GB"),
    ("AMD Radeon RX 7900 XTX 24GB", "RX 7900 XTX 24GB"),
    ("Apple M3 Ultra 512GB (Mac Studio)", "M3 Ultra 512GB"),
    ("Apple M4 Pro 48GB (Mac mini) (2024)", "M4 Pro 48GB"),  # every bracket goes
    ("Intel Gaudi 3", "Intel Gaudi 3"),  # no maker it knows: unchanged
    ("(Mac Studio)", "(Mac Studio)"),  # nothing would be left: the name stays
])
def test_short_name(name: str, short: str) -> None:
    assert short_name(name) == short


def test_every_preset_has_a_distinct_short_name() -> None:
    shorts = [short_name(g.name) for g in gpus().values()]
    assert len(set(shorts)) == len(shorts)
    assert all(s and not s.startswith(("NVIDIA", "AMD", "Apple")) for s in shorts)
