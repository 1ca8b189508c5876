"""Which charts each results tab shows, in order: the first is the tab's main chart.

Built after the first paint (plotext and the series module are imported then)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def fleet_charts() -> list[Any]:
    from ...engine import series
    from .charts import Bars, CostVsUtilizationChart, FleetUsersChart

    return [FleetUsersChart(series.fleet_users_sweep, id="fleet-users"),
            Bars(series.fleet_cost_breakdown, title="annual cost breakdown",
                 id="fleet-breakdown"),
            CostVsUtilizationChart(_cost_vs_utilization, id="fleet-utilization")]


def host_charts() -> list[Any]:
    from ...engine import series
    from .charts import Bars, FrontierChart, Heatmap, ProjectionChart

    return [ProjectionChart(series.profit_projection, id="host-projection"),
            Bars(series.host_cost_breakdown, title="daily cost breakdown", id="host-breakdown"),
            FrontierChart(series.price_frontier, id="host-frontier"),
            Heatmap(series.profit_grid_threads_hours, title="profit heatmap: threads x hours",
                    id="host-heatmap"),
            Heatmap(series.profit_grid_price_hours, title="profit heatmap: price x hours",
                    id="host-price-heatmap")]


def _cost_vs_utilization(values: Mapping[str, Any]) -> tuple[Any, Any, float]:
    from ...engine import series

    u, cost = series.fleet_cost_vs_utilization(values)
    return u, cost, float(values["fleet.target_utilization"])
