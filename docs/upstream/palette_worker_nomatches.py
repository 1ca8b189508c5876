"""The command palette's search worker fails with NoMatches when the palette is torn down
mid-search, and the WorkerFailed ends the app.

While the palette is pruned, its children (CommandList, ...) are removed first; the
palette's own Unmount, which cancels its workers, comes later. A _gather_commands worker
that finishes its search in between calls _refresh_command_list() -> sets _list_visible
-> _watch__list_visible() -> self.query_one(CommandList): NoMatches, raised inside the
worker, so the app exits with WorkerFailed.

Case A (deterministic for a given Textual/Python, but tied to asyncio scheduling: only some
numbers of event-loop turns between the key and the teardown land in the window): the
palette is open with a search in flight when App.run_test() exits. run_test()'s teardown
calls App._shutdown() while the message loop and the worker
still run (App.run()/run_async() cancel all workers before _shutdown, so they do not
hit this path).
Case B (probabilistic): random palette keys (ctrl+p, letters, backspace, enter, escape)
sent without waiting, the session closed after a pause; a fixed seed list, counts shown.

Run: python3 docs/upstream/palette_worker_nomatches.py   (needs only textual)
"""

import asyncio
import collections
import random
import traceback

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.command import Hit, Hits, Provider
from textual.widgets import Label


class Commands(Provider):
    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for i in range(60):
            if i % 10 == 0:
                await asyncio.sleep(0)  # a provider that takes a few loop turns
            name = f"command {i} abc"
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), lambda: None)


class PaletteApp(App[None]):
    COMMANDS = {Commands}

    def compose(self) -> ComposeResult:
        yield Label("main screen")


def send_keys(app: App, *keys: str) -> None:
    """Keys as the terminal driver delivers them: no wait for the app between keys."""
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)


def describe(error: BaseException) -> str:
    inner = getattr(error, "error", error)
    frames = [f for f in traceback.extract_tb(inner.__traceback__)
              if f.filename.endswith(("command.py", "reactive.py"))]
    where = " > ".join(f"{f.name}:{f.lineno}" for f in frames)
    return f"{type(error).__name__}({type(inner).__name__}: {inner})  [{where}]"


async def case_a(yields: int) -> str:
    app = PaletteApp()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.action_command_palette()
            await pilot.pause()
            send_keys(app, "c")  # Input.Changed -> a new _gather_commands worker
            for _ in range(yields):
                await asyncio.sleep(0)
            # leave the block: run_test tears the app down with the search in flight
    except Exception as error:
        return "REPRODUCED " + describe(error)
    return "no crash"


async def session(rng: random.Random, keys: int) -> str:
    app = PaletteApp()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for i in range(keys):
                roll = rng.random()
                key = ("ctrl+p" if roll < 0.1 else "escape" if roll < 0.25 else
                       "enter" if roll < 0.3 else "backspace" if roll < 0.35 else
                       rng.choice("abc123 "))
                send_keys(app, key)
                await asyncio.sleep(0)
                if i % 40 == 0:
                    await pilot.pause()
            await pilot.pause()
    except Exception as error:
        return describe(error)
    return "no crash"


async def main() -> None:
    print("textual", textual.__version__)
    for yields in (0, 3, 4, 5, 8):
        print(f"case A, {yields} loop turns after the key: {await case_a(yields)}")
    outcomes: collections.Counter[str] = collections.Counter()
    rng = random.Random(0)
    for _ in range(6):
        outcomes[await session(rng, 300)] += 1
    print("case B, 6 sessions of 300 random palette keys (seed 0):")
    for outcome, count in outcomes.most_common():
        print(f"  {count:2d} x {outcome}")


asyncio.run(main())
