"""Buy against rent and the API price for the host, by hand, at the thresholds the
mutation run found unchecked: free hardware (buying beats renting at any use), free rent
(never), a crossover of exactly 24 h a day (still a day) and just past it. ROUND scenario
(tests/unit/helpers.py) with the host made free: no GPU, CPU, RAM or other hardware cost."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from pytest import approx

from .helpers import report

FREE = {"gpu__price_usd": 0, "host__cpu_usd": 0, "host__ram_usd": 0, "host__other_usd": 0,
        "host__gpu_count": 1}


def _crossover(**over: Any) -> float | None:
    return report(**{**FREE, **over})["host"]["buy_beats_rent_above_hours_per_day"]


def test_free_hardware_beats_renting_at_any_use() -> None:
    """No hardware, no electricity, no opex: fixed costs of $0 over $1/h of rent is 0 h."""
    assert _crossover(host__electricity_usd_per_kwh=0, host__other_opex_usd_per_month=0,
                      gpu__rent_usd_per_hour=1) == 0


def test_free_rent_is_never_beaten() -> None:
    """Rent of $0/h: buying never beats it (null), even with no fixed costs at all (no
    hardware, no idle power, no opex, where 0 / -(load x price) is -0)."""
    assert _crossover(host__electricity_usd_per_kwh=0.1, host__idle_power_w=0,
                      host__other_opex_usd_per_month=0, gpu__rent_usd_per_hour=0) is None


def test_a_crossover_of_a_whole_day_is_a_crossover() -> None:
    """$730 a month of opex = 730 x 12 / 365 = $24 a day, over $1/h of rent: 24 h a day is
    still in a day; $745 a month = $24.49 a day needs more than a day: never (null)."""
    base = {"host__electricity_usd_per_kwh": 0, "gpu__rent_usd_per_hour": 1}
    assert _crossover(host__other_opex_usd_per_month=730, **base) == 24
    assert _crossover(host__other_opex_usd_per_month=745, **base) is None


def test_the_hosts_api_bill() -> None:
    """The host's 2,786,500.56 tokens a day at $4 per 1M output and $1 per 1M input, with
    1,000 input tokens for 500 output (2 per output token): 2.7865 x (4 + 1 x 2) = $16.719."""
    h = report(pricing__api_price_per_million_input_tokens_usd=1,
               pricing__api_price_per_million_output_tokens_usd=4)["host"]
    assert h["api_usd_per_day"] == approx(h["tokens_per_day"] / 1e6 * 6.0, rel=1e-12)
    assert h["api_usd_per_day"] == approx(16.719, abs=1e-3)


def test_the_npv_at_a_zero_rate_is_silent_and_plain() -> None:
    """At a discount rate of 0 the annuity is the number of months (36, the host's 3 years):
    NPV = -$41,600 + 36 x $17.52 x 365 / 12 = -$22,415.60; the closed form's 0/0, computed
    alongside, stays silent."""
    with np.errstate(all="warn"), warnings.catch_warnings():
        warnings.simplefilter("error")
        h = report(host__discount_rate=0.0)["host"]
    assert (h["hardware_cost_usd"], h["margin_usd_per_day"]) == approx((41_600, 17.52))
    assert h["npv_usd"] == approx(-41_600 + 36 * 17.52 * 365 / 12, rel=1e-12)


def test_a_fleet_that_costs_its_rent_breaks_even_at_full_use() -> None:
    """No electricity; 76 GPUs at $20,000 and 10 servers at $114,304 are $2,663,040 over 4
    years = $665,760 a year, and renting the 76 GPUs at $1/h costs 76 x 8,760 = $665,760:
    buying beats renting above 100 % use (1.0). At $0.60/h renting costs $399,456, and buying
    never beats it (null: it would need 1.67 x the hours of a year)."""
    def crossover(rent: float) -> float | None:
        f = report(facility__electricity_usd_per_kwh=0, fleet__server_cost_usd=114_304,
                   gpu__rent_usd_per_hour=rent)["fleet"]
        assert f["annual_cost_usd"] == 665_760
        return f["buy_beats_rent_above_utilization"]
    assert crossover(1.0) == 1.0
    assert crossover(0.6) is None


def test_an_input_price_alone_is_an_api_price() -> None:
    """$0.50 per 1M input tokens and no output price: 2.7865M tokens a day x 2 input tokens
    per output token x $0.50 = $2.7865 a day."""
    h = report(pricing__api_price_per_million_input_tokens_usd=0.5)["host"]
    assert h["api_usd_per_day"] == approx(h["tokens_per_day"] / 1e6, rel=1e-12)


def test_a_rent_below_a_dollar_is_a_rent() -> None:
    """$0.60/h for 76 GPUs all year: 76 x 0.6 x 8,760 = $399,456."""
    assert report(gpu__rent_usd_per_hour=0.6)["fleet"]["annual_rent_usd"] == approx(399_456)
