"""Results panes shown one at a time under a one-line tab bar.

Why not TabbedContent: it brings twelve widgets and six stylesheets (tabs, underline,
content switcher, panes) to the first screen, about a twentieth of the app's cold start, for
what is one line of labels here. Keys (F3/F4/F5) and clicks switch tabs; panes are plain
containers that are shown or hidden.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class TabBar(Widget):
    """One line of tab labels; the active one stands out."""

    DEFAULT_CSS = """
    TabBar { height: 1; background: $panel; }
    TabBar > .tab-bar--active { background: $primary; color: $text; text-style: bold; }
    TabBar > .tab-bar--inactive { color: $text-muted; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"tab-bar--active", "tab-bar--inactive"}

    class Selected(Message):
        """A label was clicked."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, labels: Mapping[str, str], active: str) -> None:
        super().__init__()
        self.labels = dict(labels)
        self.active = active
        self._spans: list[tuple[int, int, str]] = []  # columns each label covers

    def show(self, active: str) -> None:
        if active != self.active:
            self.active = active
            self.refresh()

    def render(self) -> Text:
        text, self._spans = Text(no_wrap=True, overflow="ellipsis", end=""), []
        for key, label in self.labels.items():
            start = len(text)
            text.append(f" {label} ", style=self.get_component_rich_style(
                "tab-bar--active" if key == self.active else "tab-bar--inactive"))
            self._spans.append((start, len(text), key))
            text.append(" ")
        return text

    def key_at(self, x: int) -> str | None:
        """The tab whose label covers column ``x``, if any."""
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def on_click(self, event: Click) -> None:
        key = self.key_at(event.x)
        if key is not None:
            self.post_message(self.Selected(key))


class TabbedPanes(Vertical):
    """Children (given in a ``with`` block, each with an id) become panes under a tab bar;
    ``active`` is the id of the pane on show."""

    DEFAULT_CSS = """
    TabbedPanes { height: 1fr; }
    TabbedPanes > .tab-pane { height: 1fr; }
    """

    active: reactive[str] = reactive("", init=False)

    def __init__(self, labels: Mapping[str, str], initial: str, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = dict(labels)
        self._panes: list[Widget] = []
        self.set_reactive(TabbedPanes.active, initial if initial in self.labels else
                          next(iter(self.labels)))

    def compose_add_child(self, widget: Widget) -> None:
        self._panes.append(widget)

    def compose(self) -> ComposeResult:
        yield TabBar(self.labels, self.active)
        for pane in self._panes:
            pane.add_class("tab-pane")
            pane.display = pane.id == self.active
            yield pane

    def validate_active(self, key: str) -> str:
        return key if key in self.labels else self.active  # an unknown tab changes nothing

    def watch_active(self, key: str) -> None:
        for pane in self.query_children(".tab-pane"):
            pane.display = pane.id == key
        self.query_one(TabBar).show(key)

    def on_tab_bar_selected(self, event: TabBar.Selected) -> None:
        event.stop()
        self.active = event.key
