"""F6: step the host's concurrent threads 1..max and back, as the seed's animated GIF did,
so a person sees profit and per-stream speed move with load. It never edits the scenario:
the figures show the scenario with the animated thread count until F6 stops it."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches

STEP_S = 0.35
MAX_STEPS = 64


class ThreadAnimation:
    def __init__(self, owner: Any, redraw: Callable[[], None]) -> None:
        """``owner`` gives the interval timer and the messages; ``redraw`` shows the figures
        for the current step."""
        self.owner, self.redraw = owner, redraw
        self.timer: Any = None
        self.threads: int | None = None  # the thread count shown, while running

    @property
    def running(self) -> bool:
        return self.timer is not None

    def start(self, max_threads: float | None) -> None:
        # 1..the host's max threads (as the README and F6's help say), at most 64; a host
        # that holds none still shows one step
        top = max(1, min(MAX_STEPS, int(max_threads or 0)))
        steps = itertools.cycle(range(1, top + 1))  # loops like the seed's GIF until F6

        def step() -> None:
            n = next(steps)
            self.threads = n
            try:
                self.redraw()
            except NoMatches:  # the app is closing and its widgets are gone: stop here
                self.timer.stop()
                return
            self.owner.notify(f"Animating: {n} thread(s) of {top}; F6 stops", timeout=0.4)

        self.timer = self.owner.set_interval(STEP_S, step)

    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
        self.timer = None
        self.threads = None
        self.redraw()
