"""Modal dialogs: confirm, choose, save as, open, help (explain is ``explain.py``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ..textual_fixes import Dialog


class ConfirmScreen(Dialog[bool]):
    AUTO_FOCUS = "*"
    BINDINGS = [Binding("escape,n", "answer(False)", "No"), Binding("y", "answer(True)", "Yes")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="warning")
                yield Button(f"{self.no} (n)", id="no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class ChoiceScreen(Dialog[str]):
    """A question with several answers, each on a button with its own key; esc is `cancel`."""

    AUTO_FOCUS = "*"

    def __init__(self, question: str, choices: list[tuple[str, str, str]], cancel: str) -> None:
        """``choices``: (key, label, value) per button, the first one focused."""
        super().__init__()
        self.question, self.choices, self.cancel = question, choices, cancel

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title", markup=False)
            with Horizontal(classes="buttons"):
                for i, (key, label, value) in enumerate(self.choices):
                    yield Button(f"{label} ({key})", id=f"choice-{value}",
                                 variant="warning" if i == 0 else "default")

    def on_key(self, event: Any) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(self.cancel)
            return
        for key, _, value in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(str(event.button.id).removeprefix("choice-"))


class SaveAsScreen(Dialog[Path | None]):
    """Ask for a file name or path; a bare name goes to the user's scenarios folder."""

    AUTO_FOCUS = "Input"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, folder: Path, suggestion: str) -> None:
        super().__init__()
        self.folder, self.suggestion = folder, suggestion

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Save scenario as", classes="dialog-title")
            yield Label(f"A name saves to {self.folder}; or type a path ending in .toml",
                        markup=False)
            yield Input(self.suggestion, id="save-path")
            yield Static("enter to save, esc to cancel", classes="dialog-hint")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            self.app.bell()
            return
        path = Path(text).expanduser()
        if not path.suffix:
            path = path.with_suffix(".toml")
        if len(path.parts) == 1:
            path = self.folder / path
        self.dismiss(path)


class OpenScreen(Dialog[Path | None]):
    """Pick a shipped preset or one of the user's scenarios, or type a path."""

    AUTO_FOCUS = "OptionList"
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, entries: list[tuple[str, Path]], allow_path: bool = True
                 ) -> None:
        super().__init__()
        self.title_text, self.entries, self.allow_path = title, entries, allow_path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield OptionList(*[Option(label, id=str(i))
                               for i, (label, _) in enumerate(self.entries)], id="choices")
            if self.allow_path:
                yield Input(placeholder="or type a path and press enter", id="open-path")
            yield Static("enter to open, esc to cancel", classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.entries[int(event.option.id or 0)][1])

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.dismiss(Path(event.value.strip()).expanduser())


class HelpScreen(Dialog[None]):
    AUTO_FOCUS = "*"
    BINDINGS = [Binding("escape,q,f1", "dismiss", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help"):
            yield Static("infracalc: keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(self.text, markup=False)
            yield Static("esc to close", classes="dialog-hint")
