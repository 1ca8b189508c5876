"""Headline figures (a table you can move through and explain) and plain-word warnings."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from ... import formatting as fmt
from ...engine import OUTPUTS

FLEET_HEADLINES = (
    "fleet.gpus", "fleet.servers", "fleet.facility_power_mw", "fleet.energy_gwh_per_year",
    "fleet.energy_per_query_wh", "fleet.capex_usd", "fleet.annual_cost_usd",
    "fleet.cost_per_million_tokens_usd", "fleet.cost_per_user_per_month_usd",
    "fleet.annual_profit_usd", "throughput.decode_tokens_per_s_per_gpu",
    "throughput.decode_tokens_per_s_per_stream", "throughput.tensor_parallel",
    "throughput.batch", "throughput.bound",
)
HOST_HEADLINES = (
    "host.revenue_usd_per_day", "host.profit_usd_per_day", "host.profit_usd_per_month",
    "host.break_even_days", "host.roi_pct", "host.min_price_per_minute_usd",
    "host.hardware_cost_usd", "host.fits_in_memory", "host.memory_required_gb",
    "host.memory_available_gb", "host.max_threads", "host.decode_tokens_per_s_per_stream",
    "host.cost_per_million_tokens_usd",
)


def figure_text(report: dict[str, Any], path: str) -> str:
    section, key = path.split(".", 1)
    o = OUTPUTS[path]
    value = report[section][key]
    if path == "host.break_even_days" and value is None:
        return "never"
    return fmt.value(value, o.unit, o.integer)


class ExplainRequested(Message):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


class FiguresTable(DataTable[str]):
    """Headline figures; enter or `e` explains the one under the cursor."""

    BINDINGS = [Binding("e", "explain", "Explain", tooltip="Show how this figure was computed")]

    def __init__(self, paths: tuple[str, ...], **kw: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, show_header=False, **kw)
        self.paths = paths

    def on_mount(self) -> None:
        self.add_column("Figure", key="label")
        self.add_column("Value", key="value")
        for path in self.paths:
            self.add_row(OUTPUTS[path].label, "", key=path)

    def show(self, report: dict[str, Any]) -> None:
        for path in self.paths:
            self.update_cell(path, "value", figure_text(report, path), update_width=True)

    def action_explain(self) -> None:
        if self.row_count:
            self.post_message(ExplainRequested(self.paths[self.cursor_row]))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.post_message(ExplainRequested(str(event.row_key.value)))


class Warnings(Static):
    """Warnings for one tab, in plain words (or a reassuring line when there are none)."""

    def show(self, warnings: list[str], prefixes: tuple[str, ...]) -> None:
        mine = [w for w in warnings if w.startswith(prefixes)]
        self.set_class(bool(mine), "-has-warnings")
        self.update(Text("\n".join(f"⚠ {w}" for w in mine) if mine else "✓ No warnings."))
