"""Guards against Textual races that the TUI fuzz test found, each a crash of the app.

1. OptionList paging (PageUp/PageDown) before its lines are laid out, as in a list with no
   height on a tiny terminal or one being refilled (the command palette, a Select), looks
   up a line that is not there: KeyError. Lay the lines out first; with none, do nothing.
2. A dialog closed twice by keys typed faster than the screen pops (Enter, Enter) pops the
   screen below it too (down to none: ScreenStackError): ``Dialog`` closes once.
3. The command palette has the same race: a second Enter's selection arrives after the
   palette has closed, runs the command again and pops the screen below, down to none
   (ScreenStackError). ``CommandPalette`` ignores selections once it is off screen.
4. A key queued while the app shuts down reaches ``App._on_key`` after its screens are gone
   and asks for the current screen: ScreenStackError. ``QuietClose`` drops such keys. It
   overrides a private method: ``check_private_api`` fails loudly when Textual changes it.
"""

from __future__ import annotations

import inspect
import traceback
from pathlib import Path
from typing import Any, Generic, TypeVar

from textual import command
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList
from textual.worker import WorkerFailed

from . import private_api

_installed = False

ResultType = TypeVar("ResultType")


def install() -> None:
    global _installed
    if _installed:
        return
    _installed = True
    check_private_api()
    if not private_api.supported():
        return  # Textual's own paging (and its race) on a release nobody reviewed this for
    original = OptionList._move_page
    private_api.keep_original("textual.widgets._option_list:OptionList._move_page", original)

    def move_page(self: OptionList, direction: Any) -> None:
        self._update_lines()
        if self.highlighted is not None and self.highlighted not in self._index_to_line:
            return  # nothing laid out to page through yet
        original(self, direction)

    OptionList._move_page = move_page  # type: ignore[method-assign]


class Dialog(ModalScreen[ResultType], Generic[ResultType]):
    """A modal screen that can be dismissed once only."""

    _dismissed = False

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if self._dismissed or not self.is_current:
            return AwaitComplete.nothing()
        self._dismissed = True
        return super().dismiss(result)


class CommandPalette(command.CommandPalette):
    """Textual's command palette, deaf to selections once it is no longer on screen."""

    _SELECTIONS = (OptionList.OptionSelected, Input.Submitted, Button.Pressed)

    async def _on_message(self, message: Message) -> None:
        if isinstance(message, self._SELECTIONS) and not self.is_current:
            message.stop()
            return
        await super()._on_message(message)


def check_private_api() -> None:
    """The private Textual names these guards override; raise if a Textual upgrade moved
    them (a guard that silently stops guarding is worse than none)."""
    on_key = getattr(App, "_on_key", None)
    if on_key is None or list(inspect.signature(on_key).parameters) != ["self", "event"]:
        raise RuntimeError("textual_fixes: App._on_key(self, event) is gone or changed in this "
                           "Textual; review QuietClose")
    if not hasattr(OptionList, "_move_page") or not hasattr(OptionList, "_update_lines"):
        raise RuntimeError("textual_fixes: OptionList._move_page/_update_lines changed in this "
                           "Textual; review install()")


class QuietClose:
    """App mixin: keys that arrive after the app's screens are gone (it is closing) are
    dropped instead of asking for a screen that no longer exists."""

    async def _on_key(self, event: Any) -> None:
        # Textual calls each class's own _on_key along the MRO, App's after this one:
        # prevent_default stops the walk; calling super() would handle the key twice
        if not self.screen_stack:  # type: ignore[attr-defined]
            event.prevent_default()


def palette_race(error: BaseException) -> bool:
    """Textual's command palette can lose a race with its own search worker when it is torn
    down mid-search (the app closing with the palette open; the TUI fuzz found it): the
    worker finds its list gone and, being a worker, would take the whole app down. True
    for that one error, which the app drops: none of the user's work is involved."""
    inner = getattr(error, "error", None)
    if not isinstance(error, WorkerFailed) or not isinstance(inner, NoMatches):
        return False
    frames = traceback.extract_tb(inner.__traceback__)
    return any(Path(f.filename).name == "command.py" and "textual" in f.filename
               for f in frames)
