"""Capital recovery: turning a purchase into a yearly cost."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from .numeric import Array, arr


def capital_recovery_factor(rate: ArrayLike, years: ArrayLike) -> Array:
    """Share of the capex to pay each year: 1/n at r = 0, else r(1+r)^n/((1+r)^n − 1).

    The annuity that repays a loan of 1 over n years at rate r (any engineering
    economics text); it tends to 1/n as r -> 0, which is straight-line depreciation.
    """
    r, n = np.broadcast_arrays(arr(rate), arr(years))
    safe_r = np.where(r > 0, r, 1.0)
    log_growth = n * np.log1p(safe_r)  # expm1/log1p stay exact for tiny rates
    annuity = safe_r * np.exp(log_growth) / np.expm1(log_growth)
    # below r·n = 1e-9 the annuity equals 1/n to 9 digits, and denormal rates lose precision
    return np.where(r * n >= 1e-9, annuity, 1.0 / n)
