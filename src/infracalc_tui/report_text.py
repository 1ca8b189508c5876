"""The report as text: the CLI's table and the markdown export, laid out from one walk of
its sections so the two (and the app, which opens on the same section) never disagree."""

from __future__ import annotations

from typing import Any

from . import formatting as fmt


def report_sections(report: dict[str, Any], lead: str = "fleet"
                    ) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """(title, [(label, value as shown, key)]) per section, led by the one the scenario is
    about (as the app opens): what the table and the markdown report both lay out."""
    from .engine import OUTPUTS

    titles = {"throughput": "Throughput", "fleet": "Fleet", "host": "Host"}
    out = []
    for section in [lead, *(s for s in titles if s != lead)]:
        rows = []
        for key, val in report[section].items():
            o = OUTPUTS.get(f"{section}.{key}")
            shown = fmt.value(val, o.unit if o else "", o.integer if o else False)
            rows.append((o.label if o else key, shown, f"{section}.{key}"))
        out.append((titles[section], rows))
    return out


def table(report: dict[str, Any], lead: str = "fleet") -> str:
    lines = [f"{report['name']}"]
    for title, rows in report_sections(report, lead):
        lines.append(f"\n{title}")
        lines += [f"  {label:36} {shown:>18}   {key}" for label, shown, key in rows]
    if report["warnings"]:
        lines.append("\nWarnings")
        lines += [f"  ! {w}" for w in report["warnings"]]
    return "\n".join(lines)


def markdown_report(report: dict[str, Any], lead: str = "fleet") -> str:
    """The report as markdown tables (one per section, led by the one the scenario is about,
    as the table and the app do), to paste into docs."""
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    lines = [f"# {esc(report['name'])}"]
    for title, rows in report_sections(report, lead):
        lines += ["", f"## {title}", "", "| figure | value | key |", "|---|---:|---|"]
        lines += [f"| {esc(label)} | {esc(shown)} | `{key}` |" for label, shown, key in rows]
    if report["warnings"]:
        lines += ["", "## Warnings", ""] + [f"- {esc(w)}" for w in report["warnings"]]
    return "\n".join(lines)
