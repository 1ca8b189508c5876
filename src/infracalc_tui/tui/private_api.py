"""The private Textual code infracalc patches or overrides, and the version it was read for.

Each workaround (``textual_fixes``, ``partial_updates``) replaces or wraps a private Textual
function. A Textual release may change that function: the patch could then break Textual
or silently stop working. So each patch is applied only on the Textual version it was
reviewed against (``REVIEWED``); on another the app runs on Textual's own code (slower
repaints, the races the fixes guard against), and a test fails loudly: the source of every
function involved is fingerprinted here, and ``changed()`` names the ones that differ.

After reviewing the patches against a new Textual, record it with
``python -m infracalc_tui.tui.private_api`` (prints the new table to paste here).
The upstream report is ``docs/upstream-textual.md``.
"""

from __future__ import annotations

import hashlib
import importlib
import inspect

import textual

REVIEWED = "8.2.8"  # the Textual release whose private code the patches were checked against

#: "module:Class.function" -> first 16 hex digits of the sha256 of its source
FINGERPRINTS = {
    "textual._compositor:Compositor._get_renders": "8ac93299aa5d3bef",
    "textual._compositor:Compositor.render_partial_update": "888dccc892d8ecc2",
    "textual.widgets._option_list:OptionList._move_page": "85f7f33005763486",
    "textual.widgets._option_list:OptionList._update_lines": "fe2bedbdc372598b",
    "textual.app:App._on_key": "4746803647599ac2",
    "textual.message_pump:MessagePump._on_message": "12c0b6eb18e5ca10",
    # screens/paint.py's PromptScreen overrides the first two and reads the dirty flags they
    # do; MainScreen.paint_waits reads the _dirty_widgets that _on_update fills
    "textual.screen:Screen._on_idle": "05781131b10da971",
    "textual.screen:Screen._on_timer_update": "421401660de142c5",
    "textual.screen:Screen._on_update": "8d962c0761ddb02e",
}


#: the functions as Textual shipped them, kept by a patch before it replaces one: the
#: fingerprint is of Textual's code, not of the patch
ORIGINALS: dict[str, object] = {}


def keep_original(name: str, fn: object) -> None:
    """Called by a patch just before it replaces ``name`` (a FINGERPRINTS key)."""
    ORIGINALS.setdefault(name, fn)


def supported() -> bool:
    """True on the Textual release the patches were reviewed for."""
    return textual.__version__ == REVIEWED


def fingerprint(name: str) -> str:
    obj = ORIGINALS.get(name)
    if obj is None:
        module, _, qualname = name.partition(":")
        obj = importlib.import_module(module)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    source = inspect.getsource(obj)  # type: ignore[arg-type]
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def changed() -> list[str]:
    """The patched functions whose source is not what was reviewed (or that are gone)."""
    out = []
    for name, expected in FINGERPRINTS.items():
        try:
            if fingerprint(name) != expected:
                out.append(name)
        except (ImportError, AttributeError, OSError, TypeError):
            out.append(name)
    return out


if __name__ == "__main__":
    print(f'REVIEWED = "{textual.__version__}"')
    for name in FINGERPRINTS:
        print(f'    "{name}": "{fingerprint(name)}",')
