"""The private Textual code the app patches is the code that was reviewed: a Textual
upgrade that changes it fails here, naming what to review (``tui/private_api.py``)."""

import textual

from infracalc_tui.tui import private_api


def test_the_installed_textual_is_the_reviewed_release() -> None:
    assert private_api.supported(), (
        f"Textual {textual.__version__} is installed; the patches were reviewed for "
        f"{private_api.REVIEWED}. Review textual_fixes.py and partial_updates.py against it, "
        "then run `python -m infracalc_tui.tui.private_api` and update private_api.py")


def test_the_patched_functions_are_unchanged() -> None:
    """Also once the patches are in: a fingerprint is of Textual's function, not ours (the
    fresh-clone run found this: the TUI tests had patched them first)."""
    from infracalc_tui.tui import partial_updates, textual_fixes

    partial_updates.install()
    textual_fixes.install()
    assert private_api.changed() == [], (
        "Textual changed private code infracalc patches: review these against the patches "
        "before updating the fingerprints in tui/private_api.py")


def test_a_changed_function_is_named(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    name = next(iter(private_api.FINGERPRINTS))
    monkeypatch.setitem(private_api.FINGERPRINTS, name, "0" * 16)
    assert private_api.changed() == [name]
    monkeypatch.setitem(private_api.FINGERPRINTS, "textual.app:App._gone", "0" * 16)
    assert "textual.app:App._gone" in private_api.changed()


def test_patches_stay_off_on_a_release_nobody_reviewed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(private_api, "REVIEWED", "0.0.0")
    assert not private_api.supported()
