"""The IRR solver's survivors, by hand: an NPV that overflows at -99.99 % (silent), a
false-position step that lands exactly on y = 1, the dedupe of Monte Carlo rows (every
column counts, the shape is kept) and the digits the false-position steps polish.

Written to kill the survivors docs/mutation.md lists for ``irr_pct`` and
``_npv_monthly_log_rate``: each test pins the exact number or the silence a caller sees.
Expected values are closed forms (in ``Fraction``/``Decimal``) or a plain-Python ``Decimal``
bisection on the stated cash flows, never the engine's own code.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from decimal import Decimal, localcontext
from fractions import Fraction

import numpy as np
from pytest import approx

from infracalc_tui.engine.investment import irr_pct

from .helpers import report


def decimal_irr_pct(flows: Sequence[tuple[int, Decimal]]) -> float:
    """Annual IRR (%) of (month, amount) cash flows: 200 bisections, in 50-digit Decimal, of
    NPV(y) = sum amount x e^(-month y) over y in [0, 10] (NPV > 0 at 0, < 0 at 10)."""
    with localcontext() as ctx:
        ctx.prec = 50

        def value(y: Decimal) -> Decimal:
            return sum((a * (-t * y).exp() for t, a in flows), Decimal(0))

        lo, hi = Decimal(0), Decimal(10)
        assert value(lo) > 0 > value(hi)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if value(mid) > 0 else (lo, mid)
        return float(((12 * lo).exp() - 1) * 100)


def test_an_npv_overflowing_at_the_low_end_is_null_and_silent() -> None:
    """Margin -1e200 $/day over 50 years: at y = ln(1e-4)/12 the 600 months' annuity is
    ~10^200, so the NPV overflows to -inf inside the solver. It never pays back (every cash
    flow is an outlay): NaN, and numpy's default overflow warning does not escape."""
    with np.errstate(divide="warn", over="warn", invalid="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(irr_pct(1000.0, -1e200, 50.0, 0.0))


def test_irr_where_a_false_position_step_lands_on_y_1() -> None:
    """One month, margin 12e $/day: 365e $ back for 365 $, so e^y = e, y = 1 and the rate is
    e^12 - 1. The false-position step hits y = 1.0 exactly: the NPV there must be the
    discounted one (-365 + 365e x e^-1 = 0), not the undiscounted one (y = 0's branch)."""
    assert float(irr_pct(365.0, 12 * math.e, 1 / 12, 0.0)) == approx(
        (math.e ** 12 - 1) * 100, rel=1e-13, abs=0)


def test_dedupe_tells_apart_every_column_and_keeps_the_shape() -> None:
    """300 rows (past DEDUPE_ABOVE) as a (75, 4) grid of four one-month hosts, each column
    differing from the first in one input only: -h + (m x 365/12 + resale x h) e^-y = 0,
    so e^y = (m x 365/12 + resale x h)/h and the rate is (e^y)^12 - 1:
    h 365, m 24 -> 730/365 = 2; h 182.5 -> 4; m 36 -> 1095/365 = 3; resale 50 % -> 2.5."""
    columns = np.array([[365.0, 24.0, 0.0], [182.5, 24.0, 0.0], [365.0, 36.0, 0.0],
                        [365.0, 24.0, 50.0]])
    h, m, resale = (np.tile(columns[:, i], (75, 1)) for i in range(3))
    rates = irr_pct(h, m, np.full((75, 4), 1 / 12), resale)
    assert rates.shape == (75, 4)
    for col, base in enumerate((2.0, 4.0, 3.0, 2.5)):
        assert rates[:, col] == approx(np.full(75, (base ** 12 - 1) * 100), rel=1e-12, abs=0)


def test_irr_of_a_slow_resale_to_the_last_digits() -> None:
    """No margin, resale 101 % after 42 years: -h + 1.01 h e^(-504 y) = 0, the rate
    1.01^(1/42) - 1 = 0.0237 %. A root this near 0 shows the digits the four
    false-position steps polish (bisection alone leaves ~1e-6 relative)."""
    with localcontext() as ctx:
        ctx.prec = 50
        expected = float((Decimal("1.01") ** (Decimal(1) / 42) - 1) * 100)
    assert float(irr_pct(1000.0, 0.0, 42.0, 101.0)) == approx(expected, rel=1e-9, abs=0)


def test_irr_of_half_a_month_to_the_last_digits() -> None:
    """Lifespan 1/24 year = half a month, no margin, resale 102 %: e^(0.5 y) = 1.02, so the
    rate is 1.02^24 - 1 (exact in fractions), to 1e-12 (the solver's float noise is
    ~1e-15; no test pins the last digits, which differ between maths libraries)."""
    expected = float((Fraction(102, 100) ** 24 - 1) * 100)
    assert float(irr_pct(1000.0, 0.0, 1 / 24, 102.0)) == approx(expected, rel=1e-12, abs=0)


def test_irr_of_a_fast_payback_to_the_last_digits() -> None:
    """365 $ down, 15 $/day (456.25 $ a month) for 3.5 years = 42 months, resale 200 %
    (730 $ at month 42): the rate from a Decimal bisection on those flows, to 1e-12."""
    flows = [(0, Decimal(-365)), *((k, Decimal("456.25")) for k in range(1, 43)),
             (42, Decimal(730))]
    expected = decimal_irr_pct(flows)
    assert float(irr_pct(365.0, 15.0, 3.5, 200.0)) == approx(expected, rel=1e-12, abs=0)


def test_irr_of_a_part_month_lifespan_to_1e_12() -> None:
    """A host that pays back in days, over 23.75 months (a part month at the end) with a
    resale: NPV(y) = -h + monthly (sum of e^(-k y), k = 1..23, + 0.75 e^(-n y)) + resale h
    e^(-n y), solved by a 50-digit Decimal bisection on the same inputs; the last
    interpolation of the bracket is what gets it to 1e-12 (without it, ~1e-10)."""
    h, m, years, resale = 11674.974685829955, 654.0957829368812, 1.9789688026246584, \
        43.0058299826289
    with localcontext() as ctx:
        ctx.prec = 50
        monthly, n = Decimal(m) * 365 / 12, Decimal(years) * 12
        whole = int(n)

        def value(y: Decimal) -> Decimal:
            tail = (-n * y).exp()
            months = sum(((-k * y).exp() for k in range(1, whole + 1)), Decimal(0))
            return -Decimal(h) + monthly * (months + (n - whole) * tail) + \
                Decimal(resale) / 100 * Decimal(h) * tail

        lo, hi = Decimal(0), Decimal(10)
        assert value(lo) > 0 > value(hi)
        for _ in range(200):
            mid = (lo + hi) / 2
            lo, hi = (mid, hi) if value(mid) > 0 else (lo, mid)
        expected = float(((12 * lo).exp() - 1) * 100)
    assert float(irr_pct(h, m, years, resale)) == approx(expected, rel=1e-12, abs=0)


def test_the_profit_margin_is_profit_over_revenue() -> None:
    """ROUND's host bills 2 threads x 8 h x 60 min x $0.02 = $19.20 a day and loses $20.47
    a day: a margin of -20.47 / 19.20 = -106.6 %."""
    h = report()["host"]
    assert h["revenue_usd_per_day"] == approx(19.2)
    assert h["profit_margin_pct"] == approx(100 * h["profit_usd_per_day"] / 19.2)
    assert h["profit_margin_pct"] == approx(-106.619, abs=1e-3)


def test_a_margin_beyond_float_range_is_null_and_silent() -> None:
    """$4e-309 a minute bills 3.84e-306 a day against a loss of $39.67: the ratio is -1.03e307
    and x 100 overflows; the margin is null and numpy's overflow warning does not escape."""
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        h = report(pricing__charge_per_minute_usd=4e-309)["host"]
    assert h["profit_margin_pct"] is None
