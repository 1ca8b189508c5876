"""The command palette acts on a selection that arrives after it has been dismissed.

Enter, Enter typed fast in the command palette: both selections reach CommandPalette
before it has gone. The first dismisses the palette and schedules the command; the second
runs CommandPalette._select_or_command again: dismiss() again, which pops the screen
*below* the palette (ScreenStackError when that is the last screen), and the command is
scheduled a second time.

Run: python3 docs/upstream/palette_select_after_close.py   (needs only textual)
"""

import asyncio

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.command import Hit, Hits, Provider
from textual.screen import Screen
from textual.widgets import Label

RUNS: list[str] = []


class Commands(Provider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in ("animate", "another command"):
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), lambda name=name: RUNS.append(name))


class Main(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Label("main screen")


class PaletteApp(App[None]):
    COMMANDS = {Commands}

    def __init__(self, with_main: bool) -> None:
        super().__init__()
        self.with_main = with_main

    def on_mount(self) -> None:
        if self.with_main:
            self.push_screen(Main())


def send_keys(app: App, *keys: str) -> None:
    """Keys as the terminal driver delivers them: no wait for the app between keys."""
    for key in keys:
        event = events.Key(key, "\r" if key == "enter" else key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


async def case(with_main: bool) -> None:
    RUNS.clear()
    app = PaletteApp(with_main)
    title = "palette over Main" if with_main else "palette over the default screen"
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.action_command_palette()
            await pilot.pause()
            await pilot.press(*"anim")
            await asyncio.sleep(0.6)  # let the search worker fill the list
            await pilot.press("down")
            await pilot.pause()
            print(f"[{title}] before: {[type(s).__name__ for s in app.screen_stack]}")
            send_keys(app, "enter", "enter")
            await pilot.pause()
            await asyncio.sleep(0.2)
            await pilot.pause()
            after = [type(s).__name__ for s in app.screen_stack]
            bad = (with_main and "Main" not in after) or len(RUNS) > 1
            verdict = "REPRODUCED" if bad else (
                "not reproduced" if with_main else "see the crash below (re-raised on exit)")
            print(f"[{title}] after:  {after}  command runs: {RUNS}  -> {verdict}")
    except Exception as error:
        print(f"[{title}] REPRODUCED: the app crashed with {type(error).__name__}: {error}"
              f"  command runs: {RUNS}")


async def main() -> None:
    print("textual", textual.__version__)
    await case(with_main=True)
    await case(with_main=False)


asyncio.run(main())
