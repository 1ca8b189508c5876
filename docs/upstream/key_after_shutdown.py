"""A key still in flight when App.run_test() exits crashes the app: ScreenStackError.

run_test()'s teardown awaits App._shutdown() while the app's message loop is still
running. _shutdown() -> _close_all() empties the screen stacks; keys that the app has not
handled yet then ask for App.screen:

  * a key still in the App's queue:             App.on_event -> self.screen.maximized
  * a key already forwarded to the focused widget, bubbling back to the App:
                                                App._on_key -> _check_bindings -> self.screen

The script sends N keys the way the terminal driver does and lets the event loop run K
times before leaving the `async with` block. Only asyncio scheduling decides which path is
hit, so it tries a few (N, K) and reports each outcome.

Run: python3 docs/upstream/key_after_shutdown.py   (needs only textual)
"""

import asyncio
import traceback

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Button


class KeyApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Button("a focused widget that lets 'x' bubble up to the App")


def send_keys(app: App, *keys: str) -> None:
    """Keys as the terminal driver delivers them: no wait for the app between keys."""
    for key in keys:
        event = events.Key(key, key)
        event.set_sender(app)
        app._driver.send_message(event)


async def attempt(keys: int, yields: int) -> str:
    app = KeyApp()
    try:
        async with app.run_test(size=(60, 10)) as pilot:
            await pilot.pause()
            send_keys(app, *"x" * keys)
            for _ in range(yields):
                await asyncio.sleep(0)
    except Exception as error:  # run_test re-raises the app's crash on exit
        frames = traceback.extract_tb(error.__traceback__)
        where = " > ".join(f"{f.name}:{f.lineno}" for f in frames[-3:])
        return f"REPRODUCED {type(error).__name__}: {error}  [{where}]"
    return "no crash"


async def main() -> None:
    print("textual", textual.__version__)
    for keys, yields in ((1, 0), (5, 0), (2, 1), (2, 2), (2, 8)):
        print(f"keys={keys} yields={yields}: {await attempt(keys, yields)}")


asyncio.run(main())
