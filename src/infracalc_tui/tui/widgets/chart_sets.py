"""Which charts each results tab shows, in order: the first is the tab's main chart.

Built after the first paint (plotext and the series module are imported then)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def fleet_charts() -> list[Any]:
    from ...engine import alternatives, series
    from .analysis_charts import FleetCostChart, OwnRentApiChart
    from .charts import Bars, CostVsUtilizationChart, FleetUsersChart

    return [FleetUsersChart(series.fleet_users_sweep, id="fleet-users"),
            FleetCostChart(fleet_cost_line, id="fleet-cost"),
            Bars(series.fleet_cost_breakdown, title="annual cost breakdown",
                 id="fleet-breakdown"),
            CostVsUtilizationChart(_cost_vs_utilization, id="fleet-utilization"),
            OwnRentApiChart(alternatives.fleet_own_rent_api, title="own vs rent vs API",
                            id="fleet-own-rent-api")]


def host_charts() -> list[Any]:
    from ...engine import alternatives, series
    from .analysis_charts import OwnRentApiChart
    from .charts import Bars, FrontierChart, Heatmap, ProjectionChart

    return [ProjectionChart(series.profit_projection, id="host-projection"),
            Bars(series.host_cost_breakdown, title="daily cost breakdown", id="host-breakdown"),
            FrontierChart(series.price_frontier, id="host-frontier"),
            Heatmap(series.profit_grid_threads_hours, title="profit heatmap: threads x hours",
                    id="host-heatmap"),
            Heatmap(series.profit_grid_price_hours, title="profit heatmap: price x hours",
                    id="host-price-heatmap"),
            OwnRentApiChart(alternatives.host_own_rent_api, title="own vs rent vs API",
                            id="host-own-rent-api")]


def _cost_vs_utilization(values: Mapping[str, Any]) -> tuple[Any, Any, float]:
    from ...engine import series

    u, cost = series.fleet_cost_vs_utilization(values)
    return u, cost, float(values["fleet.target_utilization"])


def fleet_cost_line(values: Mapping[str, Any]) -> Any:
    """The fleet's cumulative cost over the facility's lifespan (the line that
    ``engine.uncertainty.fleet_cost_bands`` gives the P10-P90 of)."""
    from ...engine.evaluate import fleet, throughput
    from ...engine.values import Values
    from .analysis_charts import cumulative_fleet_cost

    v = Values(values)
    f = fleet(v, throughput(v))
    return cumulative_fleet_cost(float(f["fleet.capex_usd"]), float(f["fleet.annual_opex_usd"]),
                                 float(values["facility.lifespan_years"]))
