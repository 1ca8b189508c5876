"""Uncertainty: the [uncertainty] table (validation, round trip) and Monte Carlo."""

import json
import math
from pathlib import Path

import numpy as np
import pytest

from infracalc_tui.calc import report_for
from infracalc_tui.cli import main
from infracalc_tui.engine.uncertainty import (
    fleet_cost_bands,
    percentiles,
    profit_projection_bands,
    sample,
)
from infracalc_tui.scenario import ScenarioError, dumps, parse

BASE = 'name = "u"\n[pricing]\ncharge_per_minute_usd = 0.02\n[uncertainty]\n'


def triangular_quantile(q: float, a: float, c: float, b: float) -> float:
    """Inverse CDF of the triangular distribution (a = low, c = mode, b = high)."""
    if q < (c - a) / (b - a):
        return a + math.sqrt(q * (b - a) * (c - a))
    return b - math.sqrt((1 - q) * (b - a) * (b - c))


def test_percentiles_of_a_figure_linear_in_one_triangular_input() -> None:
    """Revenue/day = p·60·h·c is linear in p: its quantiles are those of p times 60·h·c
    (c the threads billed). p ~ triangular(0.01, 0.02, 0.05), h = 8: with c = 1, factor 480.
    P10: 0.01 + sqrt(0.1 x 0.04 x 0.01) = 0.016325 -> $7.84/day; mean (a+b+c)/3 = 0.02667."""
    s = parse(BASE + '"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05 }\n')
    spec = s.uncertainty_spec()
    got = percentiles(s.inputs, spec, 20_000, seed=1, metrics=["host.revenue_usd_per_day"])
    q = got["host.revenue_usd_per_day"]
    factor = 60 * 8 * report_for(s)["host"]["billed_threads"]
    for key, level in (("p10", 0.1), ("p50", 0.5), ("p90", 0.9)):
        want = triangular_quantile(level, 0.01, 0.02, 0.05) * factor
        assert math.isclose(q[key], want, rel_tol=0.02), (key, q[key], want)
    assert math.isclose(q["mean"], (0.01 + 0.02 + 0.05) / 3 * factor, rel_tol=0.01)


def test_uniform_and_seeded() -> None:
    spec = {"fleet.users": {"low": 1.0, "high": 3.0, "mode": 2.0, "dist": "uniform"}}
    a, b = sample(spec, 50_000, seed=7), sample(spec, 50_000, seed=7)
    assert np.array_equal(a["fleet.users"], b["fleet.users"])
    assert abs(np.percentile(a["fleet.users"], 10) - 1.2) < 0.02


@pytest.mark.parametrize(("entry", "words"), [
    ('"serving.nope" = { low = 1, high = 2 }', "unknown"),
    ('"host.multi_gpu" = { low = 1, high = 2 }', "non-numeric"),
    ('"pricing.charge_per_minute_usd" = { low = 0.05, high = 0.01 }', "below high"),
    ('"serving.mbu" = { low = 0.5, high = 2 }', "from 0.01 to 1"),
    ('"pricing.charge_per_minute_usd" = { low = 0.03, high = 0.05 }', "outside low..high"),
    ('"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05, mode = 0.09 }', "mode"),
    ('"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05, dist = "normal" }',
     "triangular, uniform"),
    ('"pricing.charge_per_minute_usd" = 3', "expected"),
])
def test_bad_entries_name_the_key(entry: str, words: str) -> None:
    with pytest.raises(ScenarioError) as exc:
        parse(BASE + entry + "\n", "u.toml")
    text = str(exc.value)
    assert "uncertainty." in text and words in text


def test_round_trip() -> None:
    s = parse(BASE + '"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05, dist = '
              '"uniform" }\n"host.gpu_count" = { low = 1, high = 4 }\n')
    again = parse(dumps(s))
    assert again.uncertainty == s.uncertainty and again.same_values(s)
    assert not parse(dumps(parse(BASE))).uncertainty


def test_bands_shapes() -> None:
    s = parse(BASE + '"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05 }\n')
    b = profit_projection_bands(s.inputs, s.uncertainty_spec(), 500)
    assert b.x.shape == b.p10.shape == b.p90.shape == (37,)
    assert np.all(b.p10 <= b.p50) and np.all(b.p50 <= b.p90)
    f = fleet_cost_bands(s.inputs, s.uncertainty_spec(), 500)
    assert f.x[0] == 0 and f.x.shape == f.p50.shape


def test_cli(capsys, tmp_path: Path) -> None:
    path = tmp_path / "u.toml"
    path.write_text(BASE + '"pricing.charge_per_minute_usd" = { low = 0.01, high = 0.05 }\n')
    assert main(["uncertainty", str(path), "--samples", "2000", "--format", "json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["samples"] == 2000
    q = got["metrics"]["host.profit_usd_per_day"]
    assert set(q) == {"p10", "p50", "p90", "mean"} and q["p10"] <= q["p50"] <= q["p90"]
    plain = tmp_path / "p.toml"
    plain.write_text('name = "p"\n')
    assert main(["uncertainty", str(plain)]) == 2
