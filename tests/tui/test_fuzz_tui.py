"""The app under fuzz: random keys and pastes across fields, tabs and dialogs, and random
resizes down to 20x8. No crash, no NaN or Infinity on screen, and while a field is invalid
the figures shown are the engine's for the last valid scenario.

Event counts: FUZZ_TUI_EVENTS (default 600 over four seeds; 10,000 in a deep run).
"""

from __future__ import annotations

import asyncio
import os
import random
import re
import unicodedata

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.widgets import Static

from infracalc_tui.calc import report_for
from infracalc_tui.scenario import FIELDS
from infracalc_tui.tui.widgets.charts import Chart
from infracalc_tui.tui.widgets.figures import FiguresTable, Warnings, figure_text
from infracalc_tui.tui.widgets.table import LineTable

from ..conftest import pilot_wait_until
from .conftest import make_app

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "deep"
EVENTS = int(os.environ.get("FUZZ_TUI_EVENTS", 10_000 if DEEP else 600))
SEEDS = 4
RESIZES = 100  # in all, spread over the seeds

TYPED = [*list("0123456789.-e$%kKBM_ ,x/"), "1e400", "nan", "inf", "-0", "1B", "$0.02"]
KEYS = ["tab", "shift+tab", "up", "down", "shift+up", "shift+down", "enter", "escape",
        "backspace", "delete", "home", "end", "left", "right", "pageup", "pagedown",
        "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "ctrl+e", "ctrl+o", "ctrl+n",
        "ctrl+s", "ctrl+p", "e", "n", "r", "l", "d", "c", "o", "a"]
PASTES = ["1e400", "NaN", "-inf", "1_000_000", "$0.02", "2.5k", "1B", "70%", "😀", "\x00\x1b[2J",
          "9" * 400, "   ", "0x10", "1e-320", "-5", "1e308", "12,5", "h100", "\n\n", "1e9\t2"]
FIELD_PATHS = [f.path for f in FIELDS]
NAN_ON_SCREEN = re.compile(r"\b(nan|inf|infinity)\b", re.IGNORECASE)


def send_keys(app, keys: str | list[str]) -> None:
    """Key events as the terminal driver delivers them, without waiting for the app between
    keys (as a fast typist or a held key does); Pilot's own press() waits for CPU idle after
    every key, which would make 2,000 events take ten minutes."""
    for key in ([keys] if isinstance(keys, str) and len(keys) > 1 and keys in KEYS
                else list(keys) if isinstance(keys, str) else keys):
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)


def check_figures(app) -> None:
    """Every figure is the engine's for the scenario shown, and none is NaN/Infinity."""
    expected = report_for(app.main.shown_scenario())
    tab = app.main.active_tab()
    for table in app.query(FiguresTable):
        if not table.id.startswith(tab):
            continue  # a hidden tab catches up when it is opened
        for path in table.paths:
            shown = str(table.get_cell(path, "value"))
            want = figure_text(expected, path)
            assert shown == want, (path, shown, want, tab, sorted(app.main.errors))
            assert not NAN_ON_SCREEN.search(shown), (path, shown)
    for warnings in app.query(Warnings):
        if not warnings.id.startswith(tab):
            continue
        assert not NAN_ON_SCREEN.search(str(warnings.render())), warnings.render()


def check_results_text(app) -> None:
    """No NaN/Infinity in anything the results pane draws (charts included). Inputs and
    dialogs are left out: they echo what the user typed, which may well be 'nan'."""
    for widget in app.query("#results *"):
        if not widget.display or not widget.size.area:
            continue
        if isinstance(widget, LineTable):
            text = "\n".join(widget.text_lines())
        elif isinstance(widget, Chart):
            text = "\n".join(strip.text for strip in widget._draw_strips())
        elif isinstance(widget, Static):
            text = str(widget.render())
        else:
            continue
        m = NAN_ON_SCREEN.search(text)
        assert not m, (widget, text[max(0, m.start() - 200):m.end() + 50])


@pytest.mark.parametrize("seed", range(SEEDS))
async def test_random_keys_pastes_and_resizes(seed: int) -> None:
    rng = random.Random(seed)
    budget, resizes = EVENTS // SEEDS, RESIZES // SEEDS
    resize_at = set(rng.sample(range(budget), resizes))
    done = invalid_seen = 0
    while done < budget:  # a random Quit may end a session: start another and go on
        app = make_app(rng.choice(["llama70b-own-hardware", "gpt4o-1b-users"]))
        async with app.run_test(size=(120, 40)) as pilot:
            while done < budget and app.is_running:
                done += 1
                if done in resize_at:
                    await pilot.resize_terminal(rng.randint(20, 160), rng.randint(8, 50))
                roll = rng.random()
                in_dialog = app.screen is not app.screen_stack[0]
                if in_dialog and roll < 0.3:
                    send_keys(app, ["escape"])  # people leave dialogs too
                elif not in_dialog and roll < 0.15:  # what "Edit: <field>" in ctrl+p does
                    app.main.focus_field(rng.choice(FIELD_PATHS))
                elif roll < 0.23:
                    app.post_message(events.Paste(rng.choice(PASTES)))
                elif roll < 0.6:
                    send_keys(app, list(rng.choice(TYPED)))
                else:
                    send_keys(app, [rng.choice(KEYS)])
                await asyncio.sleep(0)  # a yield to the app, not a wait: keys keep coming
                if done % 40 == 0:  # the app catches up now and then, as when a person pauses
                    await pilot.pause()
                    if not app.is_running:
                        break
                    invalid_seen += bool(app.main.errors)
                    check_figures(app)
                if done % 200 == 0 and app.is_running:
                    check_results_text(app)
            if app.is_running:
                await pilot.pause()
                check_figures(app)
    assert done == budget
    assert invalid_seen, "the fuzz never produced an invalid field: it is not hostile enough"


def test_the_palette_search_race_is_not_fatal() -> None:
    """Found by this fuzz: Esc while the command palette is still searching made its worker
    query a list that was gone, and the worker error ended the app."""
    from textual.css.query import NoMatches
    from textual.worker import WorkerFailed

    from infracalc_tui.tui.textual_fixes import palette_race as _palette_race

    def raise_in_textual_command_py() -> NoMatches:
        code = compile("raise NoMatches('No nodes match CommandList')",
                       "/site-packages/textual/command.py", "exec")
        try:
            exec(code, {"NoMatches": NoMatches})
        except NoMatches as exc:
            return exc
        raise AssertionError("unreachable")

    assert _palette_race(WorkerFailed(raise_in_textual_command_py()))
    assert not _palette_race(WorkerFailed(NoMatches("ours")))
    assert not _palette_race(ValueError("anything else"))


async def test_paging_a_list_before_it_is_laid_out_does_nothing() -> None:
    """Found by this fuzz at tiny sizes: PageDown in an OptionList with no height."""
    app = make_app()
    async with app.run_test(size=(20, 8)) as pilot:
        app.main.action_open()
        await pilot.pause()
        await pilot.press("pagedown", "pageup", "pagedown")
        assert app.is_running


async def test_a_dialog_closes_once_however_fast_the_keys_come() -> None:
    """Found by this fuzz: Enter, Enter in the open dialog ran its callback twice and popped
    the main screen."""
    app = make_app()
    opened: list[object] = []
    async with app.run_test(size=(120, 40)) as pilot:
        from infracalc_tui.tui.screens.dialogs import OpenScreen

        app.push_screen(OpenScreen("pick", app.main.documents.entries(False), allow_path=False),
                        opened.append)
        await pilot.pause()
        screen = app.screen
        screen.dismiss(None)
        screen.dismiss(None)
        await pilot.pause()
        assert opened == [None] and len(app.screen_stack) == 1 and app.is_running


async def test_a_palette_selection_after_it_closed_does_nothing() -> None:
    """Found by this fuzz (1,000 events a seed): a second Enter's selection reached the
    command palette after it had closed; it ran the command again and popped the main
    screen, leaving none."""
    from textual.widgets import OptionList

    from infracalc_tui.tui.textual_fixes import CommandPalette

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.action_command_palette()
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await pilot.press(*"Animate", "down")
        await pilot.pause()
        chosen = palette.query_one(OptionList)
        chosen.action_select()
        chosen.action_select()  # the second Enter, before the palette has gone
        await pilot_wait_until(
            pilot, lambda: not app.is_running or (
                len(app.screen_stack) == 1 and app.main.animation.running),
            10.0, "the palette to close and run its command")
        await pilot.pause()  # a second run, had there been one, would be in by now
        assert app.is_running and len(app.screen_stack) == 1
        assert app.main.animation.running  # ran once: a second run would have stopped it
        app.main.action_animate()


async def test_a_tab_shows_the_current_figures_however_it_was_opened() -> None:
    """Found by this fuzz: a tab opened while Textual was suppressing its TabActivated
    message (a pane focused as another tab closed) kept the figures of an older scenario.
    The app now follows the tabs' ``active`` itself, whatever sets it."""
    from textual.message import Message

    from infracalc_tui.tui.widgets.tabs import TabbedPanes

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.action_show_tab("fleet")
        await pilot.pause()
        app.main.focus_field("pricing.charge_per_minute_usd")
        await pilot.pause()
        await pilot.press(*"0.05")  # focusing selects the value: typing replaces it
        await pilot.pause()
        tabs = app.query_one(TabbedPanes)
        with tabs.prevent(Message):
            tabs.active = "host"
        await pilot.pause()
        assert app.main.scenario.values["pricing.charge_per_minute_usd"] == 0.05
        check_figures(app)


async def test_the_animation_stops_quietly_when_the_app_closes() -> None:
    """Found by this fuzz: a step of the thread animation fired as the app was closing,
    after its figures were gone, and raised NoMatches."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        app.main.action_animate()
        timer = app.main.animation.timer
        await pilot_wait_until(pilot, lambda: app.main.animation.threads is not None, 10.0,
                               "the first step of the thread animation")
        await app.query_one("#main").remove()  # what closing does, before timers stop
        # the next step finds the figures gone and stops the animation's timer
        await pilot_wait_until(pilot, lambda: not app.is_running or timer._task is None, 10.0,
                               "the animation to stop itself once the figures were gone")
        stopped_at = app.main.animation.threads
        await pilot.pause()
        assert app.is_running and app.main.animation.threads == stopped_at  # no step since
