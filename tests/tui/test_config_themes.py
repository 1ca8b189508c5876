"""A corrupt user config or theme gives a warning and defaults, never a crash."""

from pathlib import Path

import pytest
from textual.widgets import Input

from infracalc_tui.config import DEFAULT_THEME, load_config, themes_dir
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.themes import load_themes

from .conftest import ReadyApp

BROKEN_THEMES = {
    "not-toml.toml": b"name = 'x\n[",
    "bytes.toml": b"\xff\xfe\x00",
    "no-primary.toml": b'name = "no-primary"\n',
    "bad-colour.toml": b'name = "bad-colour"\nprimary = "not a colour"\n',
    "name-number.toml": b'name = 5\nprimary = "#ff0000"\n',
    "table-colour.toml": b'name = "tbl"\nprimary = {r = 1}\n',
}
GOOD = b'name = "mine"\nprimary = "#88c0d0"\nbackground = "#2e3440"\n'


@pytest.mark.parametrize("text", [b"\xff\xfe garbage", b"theme = [", b"theme = 5\n",
                                  b"cursor_blink = 'yes'\n", b"[theme]\nx = 1\n", b""])
def test_corrupt_config_gives_defaults_and_a_warning(user_dirs: Path, text: bytes) -> None:
    path = user_dirs / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(text)
    config, warning = load_config()
    assert config.theme == DEFAULT_THEME
    assert (warning is None) == (text == b"")
    if warning:
        assert str(path) in warning


def test_broken_user_themes_are_skipped_with_a_warning_each(user_dirs: Path) -> None:
    folder = themes_dir()
    folder.mkdir(parents=True)
    for name, data in BROKEN_THEMES.items():
        (folder / name).write_bytes(data)
    (folder / "mine.toml").write_bytes(GOOD)
    themes, warnings = load_themes()
    names = {t.name for t in themes}
    assert "mine" in names and {"infracalc-midnight", "infracalc-paper"} <= names
    assert len(warnings) == len(BROKEN_THEMES)
    for name in BROKEN_THEMES:
        assert any(name in w for w in warnings)


async def test_the_app_starts_with_a_corrupt_config_and_themes(user_dirs: Path) -> None:
    (user_dirs / "config").mkdir(parents=True)
    (user_dirs / "config" / "config.toml").write_text('theme = "gone-theme"\ncursor_blink = 3\n')
    folder = themes_dir()
    folder.mkdir(parents=True)
    for name, data in BROKEN_THEMES.items():
        (folder / name).write_bytes(data)
    app = ReadyApp(presets()["llama70b-own-hardware"].scenario, None)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == DEFAULT_THEME
        messages = " ".join(n.message for n in app._notifications)
        assert "gone-theme" in messages and "cursor_blink" in messages
        assert "not-toml.toml" in messages
    # the user's config is not rewritten by the fallback
    assert "gone-theme" in (user_dirs / "config" / "config.toml").read_text()


async def test_cursor_blink_setting_is_applied_and_remembered(user_dirs: Path) -> None:
    (user_dirs / "config").mkdir(parents=True)
    (user_dirs / "config" / "config.toml").write_text("cursor_blink = false\n")
    app = ReadyApp(presets()["llama70b-own-hardware"].scenario, None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not any(i.cursor_blink for i in app.query(Input))
        app.main.action_toggle_blink()
        await pilot.pause()
        assert all(i.cursor_blink for i in app.query(Input))
    assert "cursor_blink = true" in (user_dirs / "config" / "config.toml").read_text()


async def test_a_keymap_in_the_config_rebinds_a_command_everywhere(user_dirs: Path) -> None:
    """``[keymap]`` in config.toml names commands by id (Textual's set_keymap): the new key
    works, and the help screen and palette say it; an unknown id is a warning, not a crash."""
    from infracalc_tui.tui import commands
    from infracalc_tui.tui.screens.dialogs import HelpScreen

    (user_dirs / "config").mkdir(parents=True)
    (user_dirs / "config" / "config.toml").write_text(
        '[keymap]\n"hide-inputs" = "f10"\nnonsense = "f11"\n')
    config, warning = load_config()
    assert config.keymap == {"hide-inputs": "f10"}
    assert warning is not None and "nonsense" in warning and "hide-inputs" in warning
    assert commands.key_text(commands.BY_ID["hide-inputs"], config.keymap) == "F10"
    app = ReadyApp(presets()["llama70b-own-hardware"].scenario, None, config, warning)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f10")
        await pilot.pause()
        assert app.main.has_class("hide-inputs")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert any(line.split()[:2] == ["F10", "Hide"] for line in app.screen.text.splitlines())
