"""The host as an investment: net present value, internal rate of return, profit margins.

Cash flows are monthly: the hardware is bought at month 0; every month of the lifespan
brings the cash margin (revenue − electricity − other costs) of 365/12 days; the resale value
comes back at the end. A lifespan that is not a whole number of months ends with a partial
month of that fraction, so at a discount rate of 0 and no resale the NPV is exactly
profit per day × 365 × lifespan (depreciation × 365 × lifespan = hardware cost).

The NPV is written with the same operations as its formula (``formulas_analysis``) so that
the explanation reproduces it to the last bit; the IRR is a vectorised bisection on the
monthly log-rate, so a sweep or 10,000 Monte Carlo samples solve it in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import memo
from .numeric import Array, arr, div, safe_floor, unique_rows
from .values import Values

#: Below this |rate| the annuity is the month count (the closed form loses digits there).
TINY_RATE = 1e-9
#: IRR search range as a monthly log-rate y = ln(1 + r)/12: r from −99.99 % to e^120 − 1.
Y_LO, Y_HI = np.log(1e-4) / 12.0, 10.0
#: bisections shrink the bracket to ~1e-5 in y; false-position steps then converge fast
BISECTIONS, FALSE_POSITION = 20, 4
#: above this many cash-flow rows the IRR is solved once per distinct row
DEDUPE_ABOVE = 256


def npv(rate: ArrayLike, hardware: ArrayLike, margin_per_day: ArrayLike, years: ArrayLike,
        resale_pct: ArrayLike) -> Array:
    """Net present value of buying ``hardware`` at month 0 (see the module docstring)."""
    r, h, m, n_years, resale = (arr(x) for x in (rate, hardware, margin_per_day, years,
                                                 resale_pct))
    with np.errstate(all="ignore"):
        d = (1.0 + r) ** (-1.0 / 12.0)
        n = n_years * 12.0
        whole = safe_floor(n)
        annuity = np.where(np.abs(r) >= TINY_RATE, d * (1.0 - d ** whole) / (1.0 - d), whole)
        annuity = annuity + (n - whole) * d ** n
        return -h + m * 365.0 / 12.0 * annuity + resale / 100.0 * h * d ** n


def _npv_monthly_log_rate(y: Array, h: Array, monthly: Array, n: Array, whole: Array,
                          resale: Array) -> Array:
    """NPV at a monthly log-rate y (discount factor e^-y per month), stable near y = 0."""
    with np.errstate(all="ignore"):
        ratio = np.where(y != 0.0, np.exp(-y) * np.expm1(-whole * y) / np.expm1(-y), whole)
        tail = np.exp(-n * y)
        return -h + monthly * (ratio + (n - whole) * tail) + resale * h * tail


def irr_pct(hardware: ArrayLike, margin_per_day: ArrayLike, years: ArrayLike,
            resale_pct: ArrayLike) -> Array:
    """Annual rate (percent) at which the NPV is 0; NaN where the NPV does not change sign
    between −99.99 % and e^120 − 1 (never pays back, pays back at once, or no outlay)."""
    h, m, n_years, resale = np.broadcast_arrays(*(arr(x) for x in (
        hardware, margin_per_day, years, resale_pct)))
    if h.size > DEDUPE_ABOVE:  # Monte Carlo: often a few distinct hosts among the samples
        first, inverse = unique_rows(h, m, n_years, resale)
        if first.size < h.size:
            picked = irr_pct(*(x.ravel()[first] for x in (h, m, n_years, resale)))
            return picked[inverse].reshape(h.shape)
    monthly, n, resale = m * 365.0 / 12.0, n_years * 12.0, resale / 100.0
    whole = safe_floor(n)

    def g(y: Array) -> Array:
        return _npv_monthly_log_rate(y, h, monthly, n, whole, resale)

    lo, hi = np.full(h.shape, Y_LO), np.full(h.shape, Y_HI)
    g_lo, g_hi = g(lo), g(hi)
    found = np.isfinite(g_lo) & np.isfinite(g_hi) & (np.sign(g_lo) * np.sign(g_hi) < 0)
    for step in range(BISECTIONS + FALSE_POSITION):
        if step < BISECTIONS:
            mid = 0.5 * (lo + hi)
        else:
            with np.errstate(all="ignore"):
                mid = lo - g_lo * (hi - lo) / (g_hi - g_lo)
            mid = np.where(np.isfinite(mid) & (mid > lo) & (mid < hi), mid, 0.5 * (lo + hi))
        g_mid = g(mid)
        left = np.sign(g_mid) == np.sign(g_lo)
        lo, g_lo = np.where(left, mid, lo), np.where(left, g_mid, g_lo)
        hi, g_hi = np.where(left, hi, mid), np.where(left, g_hi, g_mid)
    with np.errstate(all="ignore"):
        y = np.where(g_hi != g_lo, lo - g_lo * (hi - lo) / (g_hi - g_lo), lo)
        y = np.clip(np.where(np.isfinite(y), y, lo), lo, hi)
        return np.where(found, np.expm1(12.0 * y) * 100.0, np.nan)


_IRR: dict[tuple[Any, ...], dict[str, Array]] = {}


def _irr_memoised(hardware: ArrayLike, margin: ArrayLike, years: ArrayLike,
                  resale: ArrayLike) -> Array:
    """``irr_pct``, looked up for a scalar scenario: its 26 vectorised passes cost ~2 ms, and
    a fleet edit (or the report's second, best-width evaluation) asks for the same host
    again. Arrays (sweeps, Monte Carlo) are computed; a hit is the same computation's
    result, so a sweep point still equals the report."""
    parts = tuple(np.asarray(x) for x in (hardware, margin, years, resale))
    key = tuple((x.shape, x.item()) for x in parts) if all(x.size == 1 for x in parts) \
        else None
    return memo.memoised(_IRR, key, lambda: {"irr": irr_pct(*parts)})["irr"]


def host_investment(v: Values, e: Mapping[str, Array]) -> dict[str, Array]:
    """NPV, IRR and profit margin of the host, from its economics ``e``."""
    hardware, margin = e["host.hardware_cost_usd"], e["host.margin_usd_per_day"]
    years, resale = v("host.lifespan_years"), v("host.resale_pct")
    with np.errstate(over="ignore"):  # a margin beyond float range is reported as null
        margin_pct = div(e["host.profit_usd_per_day"], e["host.revenue_usd_per_day"]) * 100.0
    return {
        "host.npv_usd": npv(v("host.discount_rate"), hardware, margin, years, resale),
        "host.irr_pct": _irr_memoised(hardware, margin, years, resale),
        "host.profit_margin_pct": margin_pct,
    }
