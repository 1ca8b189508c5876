"""Owning against renting the same GPUs and against buying the tokens from a hosted API.

Host: renting bills the GPUs for the hours used (gpu_count × rent × h); owning costs
electricity (busy and idle hours), depreciation and other costs every day, linear in h:
own(h) = idle_kw·24·e + D + O + (load_kw − idle_kw)·e·h. Owning is cheaper above
h* = (idle_kw·24·e + D + O) / (gpu_count·rent − (load_kw − idle_kw)·e), when that is
within a day. Fleet: an owned fleet costs its annual cost whatever its utilisation u, a
rented one (elastic, billed for the busy GPU-hours) gpus·rent·8760·u, so owning wins above
u* = annual cost / (gpus·rent·8760). The API bills the same tokens at its per-1M prices;
the host's input tokens are taken at the fleet's input:output ratio per query.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from .numeric import Array, div
from .values import Values

HOURS_PER_YEAR = 8760.0


def _api_prices(v: Values) -> tuple[Array, Array, Array]:
    p_in = v("pricing.api_price_per_million_input_tokens_usd")
    p_out = v("pricing.api_price_per_million_output_tokens_usd")
    return p_in, p_out, (p_in > 0) | (p_out > 0)


def host_alternatives(v: Values, e: Mapping[str, Array]) -> dict[str, Array]:
    """Rent and API figures of the host, from its economics ``e``."""
    rent = v("gpu.rent_usd_per_hour")
    g, h = v("host.gpu_count"), v("pricing.utilization_hours_per_day")
    price = v("host.electricity_usd_per_kwh")
    load, idle = e["host.load_kw"], e["host.idle_kw"]
    fixed = idle * 24.0 * price + e["host.depreciation_usd_per_day"] + \
        e["host.other_opex_usd_per_day"]
    crossover = div(fixed, g * rent - (load - idle) * price)
    never = (rent <= 0) | ~(crossover >= 0) | (crossover > 24.0)
    p_in, p_out, api_set = _api_prices(v)
    ratio = div(v("fleet.input_tokens_per_query"), v("fleet.output_tokens_per_query"))
    api = e["host.tokens_per_day"] / 1e6 * (p_out + p_in * ratio)
    return {
        "host.rent_usd_per_day": np.where(rent > 0, g * rent * h, np.nan),
        "host.buy_beats_rent_above_hours_per_day": np.where(never, np.nan, crossover),
        "host.api_usd_per_day": np.where(api_set, api, np.nan),
    }


def fleet_alternatives(v: Values, f: Mapping[str, Array]) -> dict[str, Array]:
    """Rent and API figures of the fleet, from its figures ``f``."""
    p_in, p_out, api_set = _api_prices(v)
    q = f["fleet.queries_per_day"]
    api = q * 365.0 * (v("fleet.input_tokens_per_query") * p_in +
                       v("fleet.output_tokens_per_query") * p_out) / 1e6
    crossover = div(f["fleet.annual_cost_usd"], f["fleet.annual_rent_usd"])
    revenue = f["fleet.annual_revenue_usd"]
    return {
        "fleet.average_utilization": div(f["fleet.avg_busy_gpus"], f["fleet.gpus"]),
        "fleet.buy_beats_rent_above_utilization": np.where(crossover <= 1.0, crossover, np.nan),
        "fleet.annual_api_usd": np.where(api_set, api, np.nan),
        "fleet.profit_margin_pct": div(f["fleet.annual_profit_usd"], revenue) * 100.0,
    }


@dataclass(frozen=True)
class OwnRentApi:
    """Cost of owning, renting and the API against utilisation, for one chart.

    ``x`` is hours of use per day (host, $ per day) or the fleet's average utilisation, the
    share of its GPU-hours busy (fleet, $ per year). ``rent`` and ``api`` are NaN where no
    rental or API price is set; ``crossover`` is the x above which owning beats renting
    (NaN: never within the range); ``current`` the scenario's own x."""

    x: Array
    own: Array
    rent: Array
    api: Array
    crossover: float
    current: float
    period: str


def host_own_rent_api(values: Mapping[str, Any], hours: Array | None = None) -> OwnRentApi:
    """The host's three costs per day against hours of use per day (0..24 by default)."""
    from .series import _economics

    h = np.linspace(0.0, 24.0, 49) if hours is None else np.asarray(hours, dtype=float)
    e = _economics(values, pricing__utilization_hours_per_day=h)
    merged = dict(values)
    merged["pricing.utilization_hours_per_day"] = h
    alt = host_alternatives(Values(merged), e)
    now = host_alternatives(Values(values), _economics(values))
    return OwnRentApi(h, e["host.cost_usd_per_day"], alt["host.rent_usd_per_day"],
                      alt["host.api_usd_per_day"],
                      float(now["host.buy_beats_rent_above_hours_per_day"]),
                      float(values["pricing.utilization_hours_per_day"]), "day")


def fleet_own_rent_api(values: Mapping[str, Any], utilization: Array | None = None
                       ) -> OwnRentApi:
    """The fleet's three costs per year against its average utilisation (0.01..1): the
    owned fleet as planned, renting its GPUs for the busy share of the hours, and the API for
    the tokens that utilisation serves (the scenario's tokens scaled by u / its own u)."""
    from .evaluate import fleet, throughput

    u = np.linspace(0.01, 1.0, 100) if utilization is None else \
        np.asarray(utilization, dtype=float)
    v = Values(values)
    f = fleet(v, throughput(v))
    alt = fleet_alternatives(v, f)
    rent = v("gpu.rent_usd_per_hour")
    now = float(alt["fleet.average_utilization"])
    own = np.broadcast_to(f["fleet.annual_cost_usd"], u.shape).astype(float)
    rented = np.where(rent > 0, f["fleet.gpus"] * rent * HOURS_PER_YEAR * u, np.nan)
    api = alt["fleet.annual_api_usd"] * div(u, now)
    return OwnRentApi(u, own, rented, api, float(alt["fleet.buy_beats_rent_above_utilization"]),
                      now, "year")
