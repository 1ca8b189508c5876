"""Screen.dismiss() on a screen that is no longer on top pops the screen below it.

A ModalScreen with a focused OptionList dismisses itself on OptionList.OptionSelected.
Two Enter keys delivered back to back (as a fast typist or a held key does) both reach the
OptionList before the first dismiss has popped the dialog, so dismiss() runs twice: the
second call pops the *main* screen (ScreenStackError when it is the last one). (A Button
is immune: Button.action_press ignores a press while its "-active" effect runs.)

Run: python3 docs/upstream/dismiss_twice.py   (needs only textual)
"""

import asyncio

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, OptionList


class Dialog(ModalScreen[str]):
    def compose(self) -> ComposeResult:
        yield OptionList("open this", "or that")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(str(event.option.prompt))


class Main(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("main screen")


class DialogApp(App[None]):
    def __init__(self, with_main: bool) -> None:
        super().__init__()
        self.with_main = with_main

    def on_mount(self) -> None:
        if self.with_main:
            self.push_screen(Main())


def send_keys(app: App, *keys: str) -> None:
    """Keys as the terminal driver delivers them: no wait for the app between keys."""
    for key in keys:
        event = events.Key(key, "\r" if key == "enter" else key)
        event.set_sender(app)
        app._driver.send_message(event)


async def case(title: str, press, with_main: bool = True) -> None:
    app = DialogApp(with_main)
    results: list[str | None] = []
    try:
        async with app.run_test(size=(40, 10)) as pilot:
            await pilot.pause()
            app.push_screen(Dialog(), results.append)
            await pilot.pause()
            print(f"[{title}] before: {[type(s).__name__ for s in app.screen_stack]}")
            await press(app, pilot)
            await pilot.pause()
            after = [type(s).__name__ for s in app.screen_stack]
            if with_main:
                verdict = "REPRODUCED: Main was popped" if "Main" not in after else (
                    "not reproduced")
            else:
                verdict = "the second dismiss raised inside the app (re-raised on exit)"
            print(f"[{title}] after:  {after}  callback results: {results}  -> {verdict}")
    except Exception as error:
        print(f"[{title}] REPRODUCED: the app crashed with {type(error).__name__}: {error}"
              f"  callback results: {results}")


async def two_enter_keys(app: App, pilot) -> None:
    send_keys(app, "enter", "enter")


async def two_dismiss_calls(app: App, pilot) -> None:
    dialog = app.screen
    dialog.dismiss("first")
    dialog.dismiss("second")  # the dialog is no longer on the stack: Main is popped


async def main() -> None:
    print("textual", textual.__version__)
    await case("Enter, Enter in the dialog's OptionList", two_enter_keys)
    await case("dismiss() twice", two_dismiss_calls)
    await case("Enter, Enter, dialog over the default screen", two_enter_keys, False)


asyncio.run(main())
