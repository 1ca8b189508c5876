"""Series and grids for the charts, each from one vectorised engine call.

Every function takes resolved scalar scenario values and returns plain numpy
arrays; nothing here loops over grid points in Python.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .evaluate import Values, fleet, host_capacity, host_economics, throughput
from .host import DAYS_PER_MONTH
from .numeric import Array, div


def _with(values: Mapping[str, Any], **overrides: Any) -> Values:
    """Values with some keys replaced (dotted keys passed with '__' for '.')."""
    merged = dict(values)
    for key, value in overrides.items():
        merged[key.replace("__", ".")] = value
    return Values(merged)


# -- host ----------------------------------------------------------------------------------

def _economics(values: Mapping[str, Any], **overrides: Any) -> dict[str, Array]:
    """Host money with some keys replaced, billing only the threads the hardware serves
    (its capacity does not depend on price or hours, so it is computed once)."""
    cap = host_capacity(Values(values))
    return host_economics(_with(values, **overrides), cap["host.decode_tokens_per_s_per_stream"],
                          cap["host.max_threads"], cap["host.gpu_power_w"])


@dataclass(frozen=True)
class Projection:
    """Cumulative money month by month over several hardware lifespans (cash basis)."""

    months: Array
    revenue: Array
    cost: Array
    profit: Array
    break_even_month: int | None
    replacement_months: list[float]


def profit_projection(values: Mapping[str, Any], cycles: int = 3) -> Projection:
    """Hardware bought at month 0 and again at each replacement; running costs every day."""
    e = _economics(values)
    life_months = float(values["host.lifespan_years"]) * 12.0
    months = np.arange(0.0, np.ceil(cycles * life_months - 1e-9) + 1.0)
    purchases = np.minimum(cycles, np.floor(months / life_months + 1e-9) + 1.0)
    days = months * DAYS_PER_MONTH
    revenue = e["host.revenue_usd_per_day"] * days
    running = (e["host.electricity_usd_per_day"] + e["host.other_opex_usd_per_day"]) * days
    cost = e["host.hardware_cost_usd"] * purchases + running
    profit = revenue - cost
    ok = np.flatnonzero(profit >= 0)
    return Projection(months, revenue, cost, profit,
                      int(months[ok[0]]) if ok.size else None,
                      [k * life_months for k in range(1, cycles)])


@dataclass(frozen=True)
class Breakdown:
    labels: list[str]
    amounts: Array  # dollars per period
    shares: Array  # fractions of the total (NaN when the total is 0)
    period: str


def host_cost_breakdown(values: Mapping[str, Any]) -> Breakdown:
    e = _economics(values)
    amounts = np.array([float(e["host.electricity_usd_per_day"]),
                        float(e["host.depreciation_usd_per_day"]),
                        float(e["host.other_opex_usd_per_day"])])
    return Breakdown(["Electricity", "Hardware (depreciation)", "Other running costs"],
                     amounts, div(amounts, amounts.sum()), "day")


@dataclass(frozen=True)
class Frontier:
    hours: Array
    min_price: Array  # $/min at which profit is 0, per hours/day
    current_hours: float
    current_price: float


def price_frontier(values: Mapping[str, Any], hours: Array | None = None) -> Frontier:
    """Minimum viable price per minute against hours of use per day (1..24)."""
    h = np.arange(1.0, 25.0) if hours is None else np.asarray(hours, dtype=float)
    e = _economics(values, pricing__utilization_hours_per_day=h)
    return Frontier(h, e["host.min_price_per_minute_usd"],
                    float(values["pricing.utilization_hours_per_day"]),
                    float(values["pricing.charge_per_minute_usd"]))


@dataclass(frozen=True)
class Grid:
    """Profit per day over a grid; z[i, j] is at y[i], x[j]."""

    x_label: str
    y_label: str
    x: Array
    y: Array
    z: Array
    boundary: Array  # per x: smallest y with profit >= 0 (NaN: none in any y)
    best: tuple[int, int]  # (i, j) of the most profitable cell the hardware can serve
    y_limit: float = float("inf")  # rows with y above this cannot be served (threads > max)
    current: tuple[float, float] = (float("nan"), float("nan"))  # the scenario's (y, x)


def _grid(x_label: str, y_label: str, x: Array, y: Array, z: Array, boundary: Array,
          current: tuple[float, float], y_limit: float = float("inf")) -> Grid:
    feasible = y <= y_limit
    masked = np.where(feasible[:, None], z, -np.inf) if feasible.any() else z
    i, j = np.unravel_index(int(np.argmax(masked)), z.shape)
    return Grid(x_label, y_label, x, y, z, boundary, (int(i), int(j)), y_limit, current)


def profit_grid_threads_hours(values: Mapping[str, Any], threads: Array | None = None,
                              hours: Array | None = None) -> Grid:
    """Profit/day over concurrent threads x hours/day at the current price."""
    h = np.arange(1.0, 25.0) if hours is None else np.asarray(hours, dtype=float)
    limit = float(np.max(host_capacity(_with(values))["host.max_threads"]))
    # rows up to the hardware's limit (or twice the current threads), at most 256
    cap = min(limit, 256.0) if limit == limit else 0.0
    top = max(8, 2 * int(values["pricing.concurrent_threads"]), int(cap))
    c = np.arange(1.0, top + 1.0) if threads is None else np.asarray(threads, dtype=float)
    e = _economics(values, pricing__utilization_hours_per_day=h[None, :],
                   pricing__concurrent_threads=c[:, None])
    # threads needed for profit 0 at each hour: cost_day(h) / (p * 60 * h)
    cost_row = e["host.cost_usd_per_day"][0]
    need = div(cost_row, float(values["pricing.charge_per_minute_usd"]) * 60.0 * h)
    need = np.where(need <= limit, need, np.nan)  # more threads than the hardware serves
    here = (float(values["pricing.concurrent_threads"]),
            float(values["pricing.utilization_hours_per_day"]))
    return _grid("hours/day", "threads", h, c, e["host.profit_usd_per_day"], need, here, limit)


def profit_grid_price_hours(values: Mapping[str, Any], prices: Array | None = None,
                            hours: Array | None = None) -> Grid:
    """Profit/day over price per minute x hours/day at the current thread count."""
    h = np.arange(1.0, 25.0) if hours is None else np.asarray(hours, dtype=float)
    if prices is None:
        top = max(2.0 * float(values["pricing.charge_per_minute_usd"]), 0.01)
        prices = np.linspace(top / 20.0, top, 20)
    p = np.asarray(prices, dtype=float)
    e = _economics(values, pricing__utilization_hours_per_day=h[None, :],
                   pricing__charge_per_minute_usd=p[:, None])
    here = (float(values["pricing.charge_per_minute_usd"]),
            float(values["pricing.utilization_hours_per_day"]))
    return _grid("hours/day", "$/min", h, p, e["host.profit_usd_per_day"],
                 e["host.min_price_per_minute_usd"][0], here)


@dataclass(frozen=True)
class Comparison:
    gpus: list[str]
    counts: Array
    profit_per_day: Array
    break_even_days: Array
    max_threads: Array
    tokens_per_s_per_stream: Array
    fits_in_memory: Array
    hardware_cost: Array


def compare_hosts(values: Mapping[str, Any], configs: Sequence[tuple[str, Mapping[str, Any], int]]
                  ) -> Comparison:
    """Host figures for several (name, gpu values, gpu count) configurations, in one call.

    ``gpu values`` are the dotted numeric ``gpu.*`` and ``serving.*`` keys of each
    configuration (``calc.gpu_config_values``: the GPU preset and its engine's profile);
    every other key comes from ``values``.
    """
    keys = sorted({k for _, g, _ in configs for k, x in g.items()
                   if isinstance(x, int | float | type(None)) and not isinstance(x, bool)})
    merged = dict(values)
    for key in keys:
        merged[key] = np.array([float(g.get(key, values[key]) or 0.0) for _, g, _ in configs])
    merged["host.gpu_count"] = np.array([float(n) for _, _, n in configs])
    v = Values(merged)
    cap = host_capacity(v)
    eco = host_economics(v, cap["host.decode_tokens_per_s_per_stream"], cap["host.max_threads"],
                         cap["host.gpu_power_w"])
    shape = (len(configs),)
    return Comparison(
        gpus=[name for name, _, _ in configs],
        counts=np.broadcast_to(merged["host.gpu_count"], shape),
        profit_per_day=np.broadcast_to(eco["host.profit_usd_per_day"], shape),
        break_even_days=np.broadcast_to(eco["host.break_even_days"], shape),
        max_threads=np.broadcast_to(cap["host.max_threads"], shape),
        tokens_per_s_per_stream=np.broadcast_to(cap["host.decode_tokens_per_s_per_stream"],
                                                shape),
        fits_in_memory=np.broadcast_to(cap["host.fits_in_memory"], shape),
        hardware_cost=np.broadcast_to(eco["host.hardware_cost_usd"], shape),
    )


# -- fleet ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class FleetSweep:
    users: Array
    gpus: Array
    facility_mw: Array
    annual_cost: Array
    current_users: float


def fleet_users_sweep(values: Mapping[str, Any], users: Array | None = None) -> FleetSweep:
    """GPUs, facility MW and annual cost against users (log scale, 1e5..1e11 by default)."""
    u = np.logspace(5, 11, 61) if users is None else np.asarray(users, dtype=float)
    t = throughput(Values(values))
    f = fleet(_with(values, fleet__users=u), t)
    return FleetSweep(u, f["fleet.gpus"], f["fleet.facility_power_mw"],
                      f["fleet.annual_cost_usd"], float(values["fleet.users"]))


def fleet_cost_vs_utilization(values: Mapping[str, Any], utilization: Array | None = None
                              ) -> tuple[Array, Array]:
    """$ per 1M tokens against target utilisation at peak."""
    u = np.linspace(0.2, 1.0, 33) if utilization is None else np.asarray(utilization, float)
    t = throughput(Values(values))
    f = fleet(_with(values, fleet__target_utilization=u), t)
    return u, f["fleet.cost_per_million_tokens_usd"]


def fleet_cost_breakdown(values: Mapping[str, Any]) -> Breakdown:
    v = Values(values)
    f = fleet(v, throughput(v))
    amounts = np.array([float(f[k]) for k in (
        "fleet.annual_gpu_capex_usd", "fleet.annual_server_capex_usd",
        "fleet.annual_energy_cost_usd", "fleet.annual_colo_usd", "fleet.annual_other_opex_usd")])
    return Breakdown(["GPU capex", "Server capex", "Energy", "Colocation", "Other opex"], amounts,
                     div(amounts, amounts.sum()), "year")
