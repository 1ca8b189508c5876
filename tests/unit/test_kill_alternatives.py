"""engine.alternatives by hand where the mutation run (docs/mutation.md) found no test looking:
the own/rent/API charts at points the caller gives, and renting priced only when a rental
price is set.

The seed host (llama70b-own-hardware): 2 GPUs rented at $0.70/h; owning costs electricity
(1.1 kW busy, 0.1 kW idle, $0.15/kWh) plus 5200 / 1095 a day of hardware; no API prices.
The seed fleet (gpt4o-1b-users) rents its GPUs at $2.50/h for the busy share of the
8,760 hours of a year.
"""

from __future__ import annotations

import numpy as np
from pytest import approx

from infracalc_tui.engine.alternatives import fleet_own_rent_api, host_own_rent_api
from infracalc_tui.scenario.presets import presets

HOST = presets()["llama70b-own-hardware"].scenario
FLEET = presets()["gpt4o-1b-users"].scenario


def test_host_costs_at_hours_given_as_whole_numbers() -> None:
    """At h hours: owning (1.1 h + 0.1 (24 - h)) x 0.15 + 5200/1095, renting 2 x 0.70 x h."""
    o = host_own_rent_api(HOST.values, hours=[2, 12])
    assert o.x.dtype == np.float64 and o.x.tolist() == [2.0, 12.0]
    for h, own, rent in zip((2, 12), o.own, o.rent, strict=True):
        assert own == approx((1.1 * h + 0.1 * (24 - h)) * 0.15 + 5200 / 1095)
        assert rent == approx(2 * 0.7 * h)
    assert np.isnan(o.api).all()  # no API price set


def test_fleet_costs_at_utilisations_given() -> None:
    """Owning costs the same whatever the utilisation; renting is proportional to it (none
    at 0). Whole numbers become floats."""
    o = fleet_own_rent_api(FLEET.values, utilization=[0, 1])
    assert o.x.dtype == np.float64 and o.x.tolist() == [0.0, 1.0]
    assert o.own[0] == o.own[1] > 0
    assert o.rent[0] == 0 and o.rent[1] > 0
    half = fleet_own_rent_api(FLEET.values, utilization=[0.5])
    assert o.rent[1] == approx(2 * half.rent[0])
    assert o.period == "year"


def test_fleet_rent_is_gpus_x_rent_x_8760_x_utilisation() -> None:
    """At $0.50/h (below $1): rent / (0.50 x 8760 x u) is the fleet's whole number of GPUs."""
    v = FLEET.with_value("gpu.rent_usd_per_hour", 0.5).values
    o = fleet_own_rent_api(v, utilization=[0.25])
    gpus = o.rent[0] / (0.5 * 8760 * 0.25)
    assert gpus > 0 and gpus == approx(round(gpus), abs=1e-6)


def test_fleet_without_a_rental_price_has_no_rent() -> None:
    v = FLEET.with_value("gpu.rent_usd_per_hour", 0).values
    o = fleet_own_rent_api(v, utilization=[0.25, 0.5])
    assert o.rent.dtype == np.float64
    assert np.isnan(o.rent).all()
    assert np.isnan(o.crossover)
