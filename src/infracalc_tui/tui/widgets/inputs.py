"""The inputs pane: every scenario key, grouped, labelled in words with units."""

from __future__ import annotations

import math
from typing import Any

from textual import on
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static

from ... import formatting as fmt
from ...scenario import FIELDS, SECTIONS, Field
from ...scenario.catalog import gpus, models, short_name
from .field_labels import pane_label

TITLES = {"model": "Model", "gpu": "GPU", "serving": "Serving", "fleet": "Fleet",
          "facility": "Facility", "host": "Host", "pricing": "Pricing"}


def field_id(path: str) -> str:
    return "f-" + path.replace(".", "--").replace("_", "-")


def show(f: Field, value: Any) -> str:
    """A value as it appears in its field."""
    if value is None:
        return ""
    if f.numeric:
        return fmt.plain_number(float(value))
    return str(value)


def nudge_step(f: Field, value: float) -> float:
    if f.step:
        return f.step
    if value == 0 or not math.isfinite(value):
        return 1.0
    return 10.0 ** (math.floor(math.log10(abs(value))) - 1)


class FieldEdited(Message):
    """The user changed the text of a field (valid or not)."""

    def __init__(self, path: str, text: str) -> None:
        super().__init__()
        self.path = path
        self.text = text


class FieldFocused(Message):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path


def deliver(widget: Widget, message: FieldEdited) -> None:
    """Hand an edit to the screen now (same frame as the keystroke), or post it if the
    screen does not take edits directly."""
    handler = getattr(widget.screen, "field_edited", None)
    if handler is not None:
        handler(message)
    else:
        widget.app.post_message(message)


class _QuietSet:
    """Lets the app show a value in a field without that counting as the user's edit."""

    _programmatic = False
    value: Any

    def set_text(self, text: str) -> None:
        if text != self.value:
            self._programmatic = True
            self.value = text

    def _user_edit(self, path: str, text: str) -> FieldEdited | None:
        """The edit message for a change event, or None when the app made the change."""
        if self._programmatic:
            self._programmatic = False
            return None
        return FieldEdited(path, text)


class FieldInput(_QuietSet, Input):
    """A number or text field; up/down nudge numbers (shift: x10)."""

    BINDINGS = [
        Binding("up", "nudge(1)", "Nudge +", show=False),
        Binding("down", "nudge(-1)", "Nudge -", show=False),
        Binding("shift+up", "nudge(10)", "Nudge +10x", show=False),
        Binding("shift+down", "nudge(-10)", "Nudge -10x", show=False),
    ]

    def __init__(self, f: Field, value: Any) -> None:
        # focusing selects the value, so typing replaces it as in a spreadsheet
        super().__init__(show(f, value), id=field_id(f.path), compact=True,
                         select_on_focus=True)
        self.field = f

    def _watch_value(self, value: str) -> None:
        # Input records the text's width as its virtual size, a reactive that relayouts the
        # whole screen (~15 ms with every field mounted) on each keystroke that changes the
        # length. A field's box is fixed, so record it quietly; only scrolling reads it.
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Widget.virtual_size, size)
        super()._watch_value(value)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        if message := self._user_edit(self.field.path, event.value):
            deliver(self, message)

    def action_nudge(self, direction: int) -> None:
        if not self.field.numeric:
            return
        from ...scenario.numbers import parse_number

        try:
            current = parse_number(self.value)
        except ValueError:
            self.app.bell()
            return
        step = nudge_step(self.field, current) * abs(direction)
        new = current + math.copysign(step, direction)
        lo, hi = self.field.lo, self.field.hi
        if lo is not None:
            new = max(new, lo)
        if hi is not None:
            new = min(new, hi)
        new = round(new) if self.field.kind == "int" else float(f"{new:.10g}")
        self.value = fmt.plain_number(new)
        self.cursor_position = len(self.value)


class FieldSelect(_QuietSet, Select[str]):
    """A preset or a choice."""

    def __init__(self, f: Field, value: Any) -> None:
        if f.kind == "preset":
            catalog = models() if f.section == "model" else gpus()
            options = [("(custom)", "")] + [(short_name(spec.name), key)
                                            for key, spec in catalog.items()]
        else:
            options = [(c, c) for c in f.choices]
        super().__init__(options, value=value or "", allow_blank=False, compact=True,
                         id=field_id(f.path))
        self.field = f

    def _watch_value(self, value: Any) -> None:
        # Quitting while the fields mount (the first moments) removes a Select's parts
        # under it: Textual's Select then looks up its label and raises NoMatches
        try:
            super()._watch_value(value)
        except NoMatches:
            if self.app.is_running and not self.app._exit:
                raise

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        if message := self._user_edit(self.field.path, str(event.value)):
            deliver(self, message)


def _row_classes(f: Field) -> str:
    """A preset's name gets the row's room; a long choice a wider select."""
    if f.kind == "preset":
        return "field-row -preset"
    if f.kind == "choice" and max(map(len, f.choices)) > 12:
        return "field-row -wide"
    return "field-row"


class InputsPane(VerticalScroll):
    """Every key of the scenario, in groups, one row each.

    Mounted one group per frame: ~200 widgets at once would freeze the app for a second
    after its first paint; group by group, keys typed meanwhile are handled between groups.
    """

    def __init__(self, values: dict[str, Any], **kw: Any) -> None:
        super().__init__(**kw)
        self._values = values
        self._marks: dict[str, str | None] = {}
        self._pending = list(SECTIONS)
        self.fields: dict[str, Widget] = {}  # path -> its widget, once mounted

    @property
    def ready(self) -> bool:
        return not self._pending

    def on_mount(self) -> None:
        self.call_after_refresh(self._mount_next)

    async def _mount_next(self) -> None:
        if not self._pending:
            return
        section = self._pending.pop(0)
        rows: list[Widget] = [Static(TITLES[section], classes="group-title")]
        for f in FIELDS:
            if f.section != section:
                continue
            widget = (FieldSelect(f, self._values[f.path]) if f.kind in ("preset", "choice")
                      else FieldInput(f, self._values[f.path]))
            widget.cursor_blink = getattr(self.app, "config", None) is None or \
                self.app.config.cursor_blink  # type: ignore[attr-defined]
            self.fields[f.path] = widget
            rows.append(Horizontal(Label(pane_label(f), classes="field-label"), widget,
                                   classes=_row_classes(f)))
        await self.mount_all(rows)
        for path, error in self._marks.items():
            if path.startswith(section + "."):
                self._mark_now(path, error)
        if self._pending:
            self.call_after_refresh(self._mount_next)
        else:
            self.post_message(self.Ready())

    class Ready(Message):
        """Every field is mounted."""

    def on_descendant_focus(self, event: Any) -> None:
        widget = event.widget
        while widget is not None and not hasattr(widget, "field"):
            widget = widget.parent
        if widget is not None and widget.has_focus_within:
            self.post_message(FieldFocused(widget.field.path))

    def show_values(self, values: dict[str, Any], skip: str | None = None,
                    every: bool = False) -> list[str]:
        """Show new values in their fields, except the one being typed in; the paths shown.

        Only fields whose value changed are rewritten (unless ``every``): text a person is
        still fixing in another field stays as they typed it, and a keystroke does not
        reformat sixty fields."""
        old, self._values = self._values, values  # groups not mounted yet start from these
        shown = []
        for f in FIELDS:
            widget = self.fields.get(f.path)
            if widget is None or f.path == skip:
                continue
            if every or values[f.path] != old.get(f.path):
                widget.set_text(show(f, values[f.path]))  # type: ignore[attr-defined]
                shown.append(f.path)
        return shown

    def mark(self, path: str, error: str | None) -> None:
        self._marks[path] = error
        self._mark_now(path, error)

    def _mark_now(self, path: str, error: str | None) -> None:
        widget = self.fields.get(path)
        if widget is not None:
            widget.set_class(error is not None, "-bad-value")
            widget.tooltip = error
