"""Formulas of the analysis figures: renting, hosted APIs, margins and the host's NPV/IRR.

Kept apart from ``formulas`` (which merges them into ``FORMULAS``) so that neither grows
past a readable size; the same rules hold: a Python expression over the short names of
``explain.namespace``, checked against the engine's figure by the tests.
"""

from __future__ import annotations

from .formula_parts import SRC_FLEET, SRC_HOST, Check, Formula, Namespace

SRC_NPV = ("discounted cash flow: monthly cash margin over the lifespan at (1+r)^(month/12), "
           "hardware bought at month 0, resale at the end (any engineering economics text); "
           "engine/investment.py")
SRC_RENT = "owning against renting the same GPUs (engine/alternatives.py)"
SRC_API = ("the same tokens at a hosted API's per-1M prices; the host's input tokens at the "
           "fleet's input:output ratio per query (engine/alternatives.py)")

_API = ("(api_price_per_million_output_tokens_usd + api_price_per_million_input_tokens_usd * "
        "input_tokens_per_query / output_tokens_per_query)")


def npv_expression(rate: str, value: float, magnitude: bool = False) -> str:
    """The host's NPV at annual rate ``rate`` (an expression whose value is ``value``), with
    the engine's operations: d the monthly discount factor, n the months of the lifespan.
    ``magnitude``: the sum of the cash flows' present values without their signs instead."""
    d = f"((1 + {rate}) ** (-1 / 12))"
    n = "(host_lifespan_years * 12)"
    whole = f"floor({n})"
    months = f"{d} * (1 - {d} ** {whole}) / (1 - {d})" if abs(value) >= 1e-9 else whole
    sign, margin = ("", "max(margin_usd_per_day, -margin_usd_per_day)") if magnitude else \
        ("-", "margin_usd_per_day")
    return (f"{sign}hardware_cost_usd + {margin} * 365 / 12 * (({months}) + ({n} - "
            f"{whole}) * {d} ** {n}) + resale_pct / 100 * hardware_cost_usd * {d} ** {n}")


def _npv(ns: Namespace) -> str:
    if ns["host_discount_rate"] != 0:
        return npv_expression("host_discount_rate", ns["host_discount_rate"])
    # undiscounted: the months add up to the lifespan (= profit/day x 365 x lifespan)
    resale = " + resale_pct / 100 * hardware_cost_usd" if ns["resale_pct"] else ""
    return ("-hardware_cost_usd + margin_usd_per_day * 365 / 12 * (host_lifespan_years * 12)"
            + resale)


def _irr_rule(ns: Namespace) -> str:
    return "the annual rate r at which npv_usd(r) = 0 (null when none)"


def _irr_checks(ns: Namespace) -> list[Check]:
    if ns["irr_pct"] is None:
        return []
    rate = ns["irr_pct"] / 100
    npv_at = npv_expression("irr_pct / 100", rate)
    scale = npv_expression("irr_pct / 100", rate, magnitude=True)
    return [Check("|NPV at the IRR|", f"max({npv_at}, -({npv_at}))", "<", f"1e-6 * ({scale})")]


ANALYSIS_FORMULAS: dict[str, Formula] = {
    "fleet.average_utilization": Formula("avg_busy_gpus / gpus", SRC_FLEET,
                                         "share of the owned GPU-hours that are busy"),
    "fleet.buy_beats_rent_above_utilization": Formula(
        "annual_cost_usd / annual_rent_usd", SRC_RENT,
        "renting only the busy GPU-hours costs annual_rent_usd x utilisation; null when no "
        "rental price is set or renting is cheaper even at full use"),
    "fleet.annual_api_usd": Formula(
        "queries_per_day * 365 * (input_tokens_per_query * "
        "api_price_per_million_input_tokens_usd + output_tokens_per_query * "
        "api_price_per_million_output_tokens_usd) / 1e6", SRC_API,
        "null when no API price is set"),
    "fleet.profit_margin_pct": Formula("annual_profit_usd / annual_revenue_usd * 100",
                                       SRC_FLEET, "null when no price is set"),
    "host.rent_usd_per_day": Formula(
        "gpu_count * rent_usd_per_hour * utilization_hours_per_day", SRC_RENT,
        "the same GPUs rented for the hours used; null when gpu.rent_usd_per_hour is not set"),
    "host.buy_beats_rent_above_hours_per_day": Formula(
        "(idle_kw * 24 * host_electricity_usd_per_kwh + depreciation_usd_per_day + "
        "other_opex_usd_per_day) / (gpu_count * rent_usd_per_hour - (load_kw - idle_kw) * "
        "host_electricity_usd_per_kwh)", SRC_RENT,
        "owning costs idle power all day plus depreciation and other costs, and busy power "
        "per hour used; null when renting is cheaper at every hour of the day"),
    "host.api_usd_per_day": Formula(f"tokens_per_day / 1e6 * {_API}", SRC_API,
                                    "null when no API price is set"),
    "host.profit_margin_pct": Formula("profit_usd_per_day / revenue_usd_per_day * 100",
                                      SRC_HOST, "null without revenue"),
    "host.npv_usd": Formula(
        _npv, SRC_NPV,
        lambda ns: "at discount rate 0 and no resale this is profit per day x 365 x lifespan"
        if ns["host_discount_rate"] == 0 and ns["resale_pct"] == 0 else
        "monthly cash margin, discounted; resale_pct of the hardware back at the end"),
    "host.irr_pct": Formula("irr_pct", SRC_NPV, "null when the NPV never changes sign",
                            rule=_irr_rule, checks=_irr_checks),
}
