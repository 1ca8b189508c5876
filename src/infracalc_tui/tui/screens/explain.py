"""Explain a figure, then any of its terms, down to the inputs and where they came from.

One dialog holds the whole chain as a stack of levels (``drilldown.Node``) instead of a
screen per level: Escape closes everything at once, Backspace/Left goes back one level
with the cursor where it was, and the title shows the path taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..textual_fixes import Dialog

if TYPE_CHECKING:  # the drill-down loads numpy: not while the app's first screen starts
    from ...drilldown import Node, Term
    from ...engine.explain import Explanation
    from ...scenario import Scenario

HINT = "enter: open the term · backspace/←: back · esc: close"
HINT_END = "backspace/←: back · esc: close"


def _prompt(t: Term) -> str:
    mark = "›" if t.kind == "output" or t.explainable else "·"
    return f"{mark} {t.name} = {t.shown}   {t.label}; {t.status()}"


class ExplainScreen(Dialog[None]):
    """The explanation of ``path`` for ``scenario``; Enter on a term explains that term."""

    AUTO_FOCUS = "#explain-terms"
    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        # priority: the terms list would take Left for scrolling
        Binding("backspace,left", "back", "Back", priority=True),
    ]
    DEFAULT_CSS = """
    ExplainScreen { align: center middle; }
    ExplainScreen > .dialog {
        width: 80%; max-width: 110; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    ExplainScreen #explain-body { height: auto; max-height: 14; }
    ExplainScreen #explain-terms { height: auto; max-height: 12; }
    ExplainScreen #explain-links { height: auto; max-height: 6; }
    ExplainScreen #explain-links-title { color: $text-muted; }
    ExplainScreen #explain-terms-title { margin-top: 1; color: $text-muted; }
    ExplainScreen .dialog-title { text-style: bold; color: $accent; }
    ExplainScreen .dialog-hint { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, scenario: Scenario, path: str, report: dict[str, Any] | None = None
                 ) -> None:
        """``report``: the scenario's report if the caller has it (else computed here)."""
        from ...calc import report_for
        from ...drilldown import node

        super().__init__()
        self.scenario, self.path = scenario, path
        self.report = report if report is not None else report_for(scenario)
        #: the levels opened, the root first, each with the term highlighted when left
        self.stack: list[tuple[Node, int]] = [(node(scenario, path, self.report), 0)]

    @property
    def current(self) -> Node:
        return self.stack[-1][0]

    @property
    def explanation(self) -> Explanation | None:
        """The current level's explanation (None at an input)."""
        return self.current.explanation

    @property
    def trail(self) -> list[str]:
        """The keys opened, the root first."""
        return [n.key for n, _ in self.stack]

    def title_text(self) -> str:
        return " › ".join(n.label for n, _ in self.stack) + f"  ({self.current.key})"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog explain"):
            yield Static(id="explain-title", classes="dialog-title", markup=False)
            with VerticalScroll(id="explain-body"):
                yield Static(id="explain-head", classes="formula", markup=False)
                yield Static(id="explain-lines", markup=False)
            yield Static(id="explain-terms-title", markup=False)
            yield OptionList(id="explain-terms", markup=False)
            yield Static(id="explain-links-title", markup=False)
            yield OptionList(id="explain-links", markup=False)
            yield Static(HINT, id="explain-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self._show()

    def _show(self, highlight: int = 0) -> None:
        from ...drilldown import node_lines

        n = self.current
        lines = node_lines(n)
        self.query_one("#explain-title", Static).update(self.title_text())
        self.query_one("#explain-head", Static).update(lines[0])
        self.query_one("#explain-lines", Static).update("\n".join(lines[1:]))
        self.query_one("#explain-body", VerticalScroll).scroll_home(animate=False)
        terms = self.query_one("#explain-terms", OptionList)
        terms.set_options(Option(_prompt(t), id=str(i)) for i, t in enumerate(n.terms))
        terms.display = bool(n.terms)
        self.query_one("#explain-hint", Static).update(HINT if n.terms else HINT_END)
        title = self.query_one("#explain-terms-title", Static)
        if n.terms:
            title.update(f"Its terms ({len(n.terms)}):" if n.explanation or
                         n.term.kind == "output" else "Derived from:")
            terms.highlighted = min(highlight, len(n.terms) - 1)
            terms.focus()
        else:
            title.update("An input: the end of the chain." if n.term.kind == "input"
                         else "No terms.")
        links = self.query_one("#explain-links", OptionList)
        links.set_options(Option(f"↗ {what}", id=f"link-{i}")
                          for i, (what, _) in enumerate(n.links))
        links.display = bool(n.links)
        self.query_one("#explain-links-title", Static).update(
            f"The measurements behind it ({len(n.links)}; Enter opens the source):"
            if n.links else "")
        if n.links and not n.terms:
            links.focus()

    @on(OptionList.OptionSelected, "#explain-links")
    def _open_link(self, event: OptionList.OptionSelected) -> None:
        """A measurement's source, in the browser (``App.open_url``: the user's own browser
        under ``infracalc serve``, the system's otherwise); its URL is shown to copy too."""
        event.stop()
        what, url = self.current.links[event.option_index]
        self.app.open_url(url)
        self.notify(url, title=what.split(":")[0])

    @on(OptionList.OptionSelected, "#explain-terms")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_term(event.option_index)

    def open_term(self, index: int) -> None:
        """Open term ``index`` of the current level as a new level."""
        from ...drilldown import node

        here, _ = self.stack[-1]
        t = here.terms[index]
        self.stack[-1] = (here, index)
        self.stack.append((node(self.scenario, t.key, self.report), 0))
        self._show()

    def action_back(self) -> None:
        """One level up; from the figure first explained, close."""
        if len(self.stack) == 1:
            self.dismiss()
            return
        self.stack.pop()
        self._show(self.stack[-1][1])

    def action_close(self) -> None:
        self.dismiss()
