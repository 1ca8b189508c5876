"""The scenario being edited and the file behind it: new, open, save, save as, whether
there are unsaved changes, the guard before they are dropped, and the check that nobody
changed the file on disk meanwhile.

Kept out of the widgets: the main screen asks, this answers and shows the dialogs it needs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ...config import scenarios_dir
from ...scenario import Scenario, ScenarioError, load, save
from ...scenario.presets import presets
from ...scenario.presets import scenarios_dir as shipped_scenarios


def dialogs() -> Any:
    """The dialogs module, imported on first use (not needed for the first paint)."""
    from ..screens import dialogs as module

    return module


class Documents:
    def __init__(self, owner: Any, scenario: Scenario, path: Path | None,
                 on_loaded: Callable[[Scenario, Path | None], None],
                 on_saved: Callable[[], None]) -> None:
        """``owner`` (the main screen) shows the dialogs and messages; ``on_loaded`` runs
        when another scenario replaced this one, ``on_saved`` when the work reached disk."""
        self.owner = owner
        self.scenario = self.saved = scenario
        self.path = path
        self.never_saved = False  # restored work with no file behind it
        self.disk_stamp = stamp(path)
        self._on_loaded, self._on_saved = on_loaded, on_saved

    @property
    def dirty(self) -> bool:
        return self.never_saved or not self.scenario.same_values(self.saved)

    def title(self) -> tuple[str, str]:
        """The window title and subtitle: the scenario's name (* when unsaved), its file."""
        return (f"infracalc — {self.scenario.name}{' *' if self.dirty else ''}",
                str(self.path) if self.path else "not saved yet")

    def guard(self, then: Callable[[], Any], question: str = "You have unsaved changes. "
              "Discard them?", yes: str = "Discard") -> None:
        """Run ``then`` now, or after the user agrees to drop unsaved changes."""
        if not self.dirty:
            then()
            return
        self.owner.app.push_screen(dialogs().ConfirmScreen(question, yes, "Keep editing"),
                                   lambda ok: then() if ok else None)

    def entries(self, include_user: bool) -> list[tuple[str, Path]]:
        found = [(f"Preset: {p.scenario.name}", p.path) for p in presets().values()]
        if include_user and scenarios_dir().is_dir():
            found += [(f"Mine: {p.stem}", p) for p in sorted(scenarios_dir().glob("*.toml"))]
        return found

    def open(self) -> None:
        self.guard(lambda: self.owner.app.push_screen(
            dialogs().OpenScreen("Open a scenario", self.entries(True)), self.open_path))

    def new(self) -> None:
        self.guard(lambda: self.owner.app.push_screen(
            dialogs().OpenScreen("New scenario from a preset", self.entries(False),
                                 allow_path=False),
            lambda p: self.open_path(p, as_new=True)))

    def open_path(self, path: Path | None, as_new: bool = False) -> None:
        if path is None:
            return
        try:
            scenario = load(path)
        except ScenarioError as exc:
            self.owner.notify("\n".join(str(p) for p in exc.problems[:5]), title="Cannot open",
                              severity="error", timeout=10)
            return
        shipped = inside(path, shipped_scenarios())
        self.load(scenario, None if (as_new or shipped) else path)

    def load(self, scenario: Scenario, path: Path | None) -> None:
        """Edit ``scenario`` (from ``path``; None: not saved yet) from now on."""
        self.scenario = self.saved = scenario
        self.path, self.never_saved = path, False
        self.disk_stamp = stamp(path)
        self._on_loaded(scenario, path)

    def save(self) -> None:
        if self.path is None or inside(self.path, shipped_scenarios()):
            self.save_as()
            return
        current = stamp(self.path)
        if current is not None and self.disk_stamp is not None and current != self.disk_stamp:
            path = self.path

            def answer(choice: str) -> None:
                if choice == "overwrite":
                    self.save_to(path, confirmed=True)
                elif choice == "save-as":
                    self.save_as()

            self.owner.app.push_screen(dialogs().ChoiceScreen(
                f"{path} changed on disk since you opened it (another editor or "
                "another infracalc?). Overwrite it with your version?",
                [("o", "Overwrite", "overwrite"), ("a", "Save as…", "save-as"),
                 ("c", "Cancel", "cancel")], "cancel"), answer)
            return
        self.save_to(self.path, confirmed=True)

    def save_as(self) -> None:
        self.owner.app.push_screen(
            dialogs().SaveAsScreen(scenarios_dir(), slug(self.scenario.name)), self.save_to)

    def save_to(self, path: Path | None, confirmed: bool = False) -> None:
        if path is None:
            return
        if not confirmed and path.exists() and path != self.path:
            self.owner.app.push_screen(
                dialogs().ConfirmScreen(f"{path} already exists. Replace it?", "Replace",
                                        "Cancel"),
                lambda ok: self.save_to(path, confirmed=True) if ok else None)
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            save(self.scenario, path)
        except OSError as exc:
            self.owner.notify(f"Could not save to {path}: {exc.strerror or exc}. Nothing was "
                              "lost: your changes are still here (and in the recovery file); "
                              "try another name or folder.", severity="error", timeout=10)
            return
        self.path, self.saved, self.never_saved = path, self.scenario, False
        self.disk_stamp = stamp(path)
        self._on_saved()
        self.owner.notify(f"Saved {path}")


def stamp(path: Path | None) -> tuple[int, int] | None:
    """What a file looked like on disk (mtime, size), to notice changes made by others."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


def inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name).strip("-")
    while "--" in out:
        out = out.replace("--", "-")
    return out[:60] or "scenario"
