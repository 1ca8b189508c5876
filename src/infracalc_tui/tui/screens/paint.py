"""A screen that paints a change as soon as the change is ready, and its first
frame comes without restyling what was just styled."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from typing import Any

from textual import events
from textual.screen import UPDATE_PERIOD, Screen


class PromptScreen(Screen[None]):
    """Textual paints on a 60 Hz timer that it resumes when the screen goes idle. After a
    paint that took longer than a frame, that timer's next tick is set two frames ahead, so
    the result of a keystroke that arrives meanwhile waits up to 33 ms with nothing to do.

    Here a screen that goes idle with something to paint paints at once when a frame has
    passed since its last paint; anything faster than 60 Hz is still paced by the timer, so
    animations and held keys send no more frames than before.
    """

    _last_paint = 0.0
    _resumed = False
    #: paint the next frame as soon as it is ready, however recent the last (the second
    #: half of a change: its charts, right after its figures)
    unpaced = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Screen's own handler. The first resume is the app's start: every
        widget was styled as it mounted, a moment ago, and restyling them all again costs a
        fifth of the first frame. Later resumes (after a dialog) restyle as usual: the theme
        may have changed meanwhile."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _paint_due(self) -> bool:
        return bool(
            (self._layout_required or self._scroll_required or self._repaint_required
             or self._dirty_widgets) and not self._recompose_required
            and not self.app._batch_count and self.is_current
            and (self.unpaced or time.monotonic() - self._last_paint >= UPDATE_PERIOD))

    def paint_waits(self) -> bool:
        """True while part of a change is still on its way to this screen (a widget has
        new content whose repaint request has not arrived): then the change's parts are
        painted in one frame, not two. The timer's frame still comes if it never arrives."""
        return False

    async def _on_idle(self, event: events.Idle) -> None:
        if self._paint_due() and not self.paint_waits():
            event.prevent_default()  # painted: Screen's own idle handler has nothing to do
            self._on_timer_update()
        # otherwise Screen's handler runs next (resumes the timer, runs callbacks)

    def _on_timer_update(self) -> None:
        self._last_paint = time.monotonic()
        self.unpaced = False
        super()._on_timer_update()


def hold_gc_until_painted(widget: Any, busy: Callable[[], bool] = lambda: False) -> None:
    """No garbage collection between a keystroke and its frames: a collection costs 1 to
    20 ms (~4 ms a change on average), and the one due runs just after the paint. While
    ``busy()`` (the charts still to be built after the figures' frame) it waits a few more
    frames."""
    if gc.isenabled():
        gc.disable()

        def release(frames: int = 0) -> None:
            if busy() and frames < 4:
                widget.call_after_refresh(release, frames + 1)
            else:
                gc.enable()

        widget.call_after_refresh(release)
        widget.set_timer(1.0, gc.enable)  # in case no frame comes (a dialog took over)


def first_frame_out() -> None:
    """The command held the garbage collector off until the first frame (see
    ``cli._cmd_tui``): it would have run ~100 times, ~30 ms in all, over objects that
    nearly all live as long as the app (modules, classes, this screen: ~80k, of which
    ~2k are garbage). They are frozen, never to be rescanned, and collection resumes."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
