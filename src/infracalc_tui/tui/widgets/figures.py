"""Headline figures (a table you can move through and explain) and plain-word warnings."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Static

from ... import formatting as fmt
from ...engine.outputs import OUTPUTS
from .table import LineTable

FLEET_HEADLINES = (
    "fleet.gpus", "fleet.servers", "fleet.facility_power_mw", "fleet.energy_gwh_per_year",
    "fleet.energy_per_query_wh", "throughput.energy_per_output_token_j", "fleet.capex_usd",
    "fleet.annual_cost_usd",
    "fleet.cost_per_million_tokens_usd", "fleet.cost_per_user_per_month_usd",
    "fleet.annual_profit_usd", "throughput.decode_tokens_per_s_per_gpu",
    "throughput.decode_tokens_per_s_per_stream", "throughput.served_tokens_per_s_per_stream",
    "throughput.tensor_parallel",
    "throughput.batch", "throughput.bound", "throughput.engine", "throughput.grounding_summary",
)
HOST_HEADLINES = (
    "host.revenue_usd_per_day", "host.profit_usd_per_day", "host.profit_usd_per_month",
    "host.break_even_days", "host.roi_pct", "host.min_price_per_minute_usd",
    "host.hardware_cost_usd", "host.fits_in_memory", "host.memory_required_gb",
    "host.memory_available_gb", "host.max_threads", "host.decode_tokens_per_s_per_stream",
    "host.cost_per_million_tokens_usd", "throughput.engine", "throughput.grounding_summary",
)


#: Headline labels that would be cut in the table's 20-column label column; the explain
#: dialog (Enter) gives the full label and the formula.
SHORT_LABELS = {
    "host.min_price_per_minute_usd": "Min. viable price",
    "host.max_threads": "Max threads",
    "host.cost_per_million_tokens_usd": "Cost / 1M output tok",
    "throughput.served_tokens_per_s_per_stream": "Speed under load",
}
LABEL_WIDTH = 20


def figure_label(path: str) -> str:
    return SHORT_LABELS.get(path, OUTPUTS[path].label)


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


class AnalysisRequested(Message):
    """Solve for (``s``) or the sensitivity of (``t``) the figure under the cursor."""

    def __init__(self, path: str, what: str) -> None:
        super().__init__()
        self.path, self.what = path, what


class FiguresTable(LineTable):
    """Headline figures, one per row; a cursor row that enter, `e` or a double click explains."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # not in the footer: Ctrl+E Explain is (an 80-column footer holds no more)
        Binding("e,enter", "explain", "Explain", tooltip="Show how this figure was computed",
                show=False),
        Binding("s", "analyse('solve')", "Solve", tooltip="The input value that makes this "
                "figure reach a target", show=False),
        Binding("t", "analyse('sensitivity')", "Sensitivity", tooltip="Which inputs move this "
                "figure most (tornado)", show=False),
    ]

    def __init__(self, paths: tuple[str, ...], **kw: Any) -> None:
        self.paths = paths
        self.labels = [figure_label(p) for p in paths]
        super().__init__(None, [(label, "") for label in self.labels], **kw)

    def show(self, report: dict[str, Any]) -> None:
        self.set_rows([(label, figure_text(report, path))
                       for label, path in zip(self.labels, self.paths, strict=True)])

    def get_cell(self, path: str, column: str = "value") -> str:
        return self.rows[self.paths.index(path)][1 if column == "value" else 0]

    def action_explain(self) -> None:
        self.post_message(ExplainRequested(self.paths[self.cursor_row]))

    def action_analyse(self, what: str) -> None:
        self.post_message(AnalysisRequested(self.paths[self.cursor_row], what))

    @property
    def selected(self) -> str:
        return self.paths[self.cursor_row]

    def activate(self, row: int) -> None:
        self.action_explain()


class Warnings(Static):
    """Warnings for one tab, in plain words (or a reassuring line when there are none)."""

    def show(self, warnings: list[str], prefixes: tuple[str, ...]) -> None:
        mine = [w for w in warnings if w.startswith(prefixes)]
        text = "\n".join(f"⚠ {w}" for w in mine) if mine else "✓ No warnings."
        if text == getattr(self, "_text", None):
            return  # unchanged: no relayout, no repaint, no bytes over SSH
        self._text = text
        self.set_class(bool(mine), "-has-warnings")
        self.update(Text(text))
