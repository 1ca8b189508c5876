"""The Compare tab: hardware configurations side by side (a table and a profit chart).

It keeps the configurations (GPU preset, its values under the scenario's engine, count);
the engine compares them in one vectorised call. Delete removes the one under the cursor.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from textual.containers import Vertical
from textual.widget import Widget

from ...formatting import usd
from ...formatting import value as fmt_value
from ...scenario import Scenario
from ...scenario.catalog import gpus, short_name
from .table import LineTable
from .textcharts import Bars

DEFAULT_CONFIGS = (("rtx-4090", 2), ("rtx-5090", 2), ("rtx-3090", 2), ("h100-pcie", 1),
                   ("m3-ultra", 1))


class CompareTable(LineTable):
    """One hardware configuration per row."""

    align_numbers = True


class CompareView(Vertical):
    # "Cost" (hardware cost), not "Hardware": at 120x40 the names then fit whole
    HEADER = ("Configuration", "Profit/day", "Break-even", "Threads", "tok/s", "Fits", "Cost")

    def __init__(self, id: str = "compare") -> None:
        super().__init__(id=id)
        self.mounted = False  # the table and chart arrive just after the first paint
        self._configs: list[tuple[str, dict[str, Any], int]] | None = None
        self._for: Scenario | None = None  # the scenario the configurations were made for

    def widgets(self) -> list[Widget]:
        return [CompareTable(self.HEADER, id="compare-table"), Bars(id="compare-chart")]

    async def mount_widgets(self) -> None:
        if not self.mounted:
            self.mounted = True
            await self.mount_all(self.widgets())

    def configs(self, scenario: Scenario) -> list[tuple[str, dict[str, Any], int]]:
        """The configurations, their values under ``scenario``'s engine (made on first use:
        they need the GPU catalog, which the first screen does not)."""
        if self._configs is None:
            self._configs = [(key, {}, n) for key, n in DEFAULT_CONFIGS]
        if self._for is not scenario:
            from ...calc import gpu_config_values

            self._configs[:] = [(key, gpu_config_values(scenario, key), n)
                                for key, _, n in self._configs]
            self._for = scenario
        return self._configs

    def add(self, scenario: Scenario, key: str) -> None:
        from ...calc import gpu_config_values

        self.configs(scenario).append((key, gpu_config_values(scenario, key),
                                       int(scenario.values["host.gpu_count"])))

    def remove_selected(self, scenario: Scenario) -> bool:
        """Remove the configuration under the table's cursor; False if there was none."""
        configs = self.configs(scenario)
        if not configs or not self.mounted:
            return False
        table = self.query_one(CompareTable)
        del configs[min(table.cursor_row, len(configs) - 1)]
        return True

    _chart: tuple[Any, ...] | None = None  # the bars to draw once the table is shown

    @property
    def table(self) -> CompareTable:
        return self.query_one(CompareTable)

    def show(self, scenario: Scenario, values: Mapping[str, Any]) -> None:
        """The table now; its bar chart at ``show_chart`` (the main screen draws it just after
        the table's frame)."""
        if not self.mounted:
            return
        table = self.table
        configs = self.configs(scenario)
        if not configs:
            table.set_rows([])
            self._chart = ("Profit per day", [], [], "")
            return
        from ...engine import series

        c = series.compare_hosts(dict(values), configs)
        names = [f"{n}x {short_name(gpus()[key].name)}" for key, _, n in configs]
        rows = []
        for i, name in enumerate(names):
            be = c.break_even_days[i]
            rows.append((name, usd(float(c.profit_per_day[i])),
                         "never" if be != be else f"{be:,.0f} days",
                         f"{c.max_threads[i]:,.0f}",
                         fmt_value(float(c.tokens_per_s_per_stream[i]), ""),
                         "yes" if c.fits_in_memory[i] else "no",
                         usd(float(c.hardware_cost[i]))))
        table.set_rows(rows)
        self._chart = ("Profit per day by configuration", names,
                       [float(x) for x in c.profit_per_day], "/day")

    def show_chart(self) -> None:
        if self._chart is not None and self.mounted:
            self.query_one(Bars).show(*self._chart)
            self._chart = None
