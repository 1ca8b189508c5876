"""Unsaved work kept safe while the app runs: a debounced write of the recovery file after
each change, a flush when the app goes away (quit, SIGHUP from a dropped SSH link, SIGTERM,
a browser tab closed: the app is unmounted without a signal), and the offer to restore the
work of a session that ended without saving.

The file format lives in ``infracalc_tui.recovery``; this is the app's use of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import Any

from ... import recovery
from ...scenario import ScenarioError, load
from .documents import Documents, dialogs

# unsaved work reaches the recovery file this long after the last change (tests shorten it)
RECOVERY_DELAY_S = float(os.environ.get("INFRACALC_RECOVERY_DELAY_S", "0.5"))


class RecoveryService:
    def __init__(self, owner: Any, documents: Documents) -> None:
        self.owner = owner  # the main screen: its timers, dialogs and messages
        self.documents = documents
        self.timer: Any = None
        self._failed = False
        self._signals = False

    def schedule(self) -> None:
        """Write the recovery file a moment after the last change (one write per burst)."""
        if self.timer is not None:
            self.timer.stop()
        self.timer = self.owner.set_timer(RECOVERY_DELAY_S, self.write)

    def write(self) -> None:
        """Keep unsaved work in the state folder (or drop the file when nothing is unsaved)."""
        self.timer = None
        if not self.documents.dirty:
            self.drop()
            return
        try:
            recovery.write(self.documents.scenario, self.documents.path)
        except OSError as exc:
            if not self._failed:  # say it once, not on every keystroke
                self._failed = True
                self.owner.notify(f"Cannot write the recovery file in "
                                  f"{recovery.recovery_dir()}: {exc.strerror or exc}. Save "
                                  "often.", severity="warning", timeout=10)

    def flush(self) -> None:
        """Write now what a pending timer would have written (the app is going away)."""
        if self.timer is not None:
            self.timer.stop()
            self.write()

    def drop(self) -> None:
        """The work is saved, or the user chose to drop it: no recovery file (nor one about
        to be written)."""
        if self.timer is not None:
            self.timer.stop()
            self.timer = None
        with contextlib.suppress(OSError):
            recovery.discard(recovery.own_file())

    # -- signals ----------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        """SIGHUP (the SSH connection dropped) and SIGTERM: keep the work, then leave."""
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGHUP, signal.SIGTERM):
                loop.add_signal_handler(sig, self._on_signal, sig)
            self._signals = True

    def remove_signal_handlers(self) -> None:
        if self._signals:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGHUP, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
            self._signals = False

    def _on_signal(self, sig: int) -> None:
        self.timer = None
        self.write()
        # with the terminal gone, restoring it can block for good: leave regardless
        watchdog = threading.Timer(2.0, os._exit, (128 + sig,))
        watchdog.daemon = True
        watchdog.start()
        self.owner.app.exit(128 + sig)

    # -- restoring --------------------------------------------------------------------------

    def offer(self) -> None:
        """Offer the work of sessions that ended unsaved, newest first, one at a time."""
        found, warnings = recovery.pending()
        for warning in warnings:
            self.owner.notify(warning, severity="warning", timeout=10)
        if not found:
            return
        rec = found[0]

        def answer(choice: str) -> None:
            if choice == "restore":
                self.restore(rec)
            elif choice == "discard":
                recovery.discard(rec.file)
                self.owner.notify("Recovered changes discarded.")
            if choice != "later":
                self.owner.call_after_refresh(self.offer)  # the next one, if any

        more = f" ({len(found) - 1} more after this one)" if len(found) > 1 else ""
        self.owner.app.push_screen(dialogs().ChoiceScreen(
            f"infracalc found {rec.describe()}{more}. Restore them?",
            [("r", "Restore", "restore"), ("d", "Discard", "discard"),
             ("l", "Later", "later")], "later"), answer)

    def restore(self, rec: recovery.Recovery) -> None:
        """Bring recovered work back as unsaved changes to the file it came from."""
        baseline = None
        if rec.origin is not None:
            with contextlib.suppress(ScenarioError):
                baseline = load(rec.origin)
        self.documents.load(rec.scenario, rec.origin)
        if baseline is not None:
            self.documents.saved = baseline
        else:  # nothing on disk to compare with: unsaved until saved
            self.documents.never_saved = True
        self.owner.update_title()
        self.write()  # now ours: written before the old file goes
        recovery.discard(rec.file)
        self.owner.notify(f"Restored {rec.describe()}. Save with Ctrl+S.", timeout=8)
