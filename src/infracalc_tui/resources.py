"""Where the shipped files live, installed or in a source checkout.

``scenarios/`` and ``themes/`` sit at the top of the repository (so they are
easy to find and edit) and are copied into the wheel as
``infracalc_tui/_shipped/``. An editable install has no such copy, so the
source tree's folders are used instead.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped_dir(name: str) -> Path:
    """The folder of shipped ``scenarios`` or ``themes``."""
    installed = _PACKAGE / "_shipped" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent.parent / name


def data_file(name: str) -> Path:
    """A catalog file inside the package."""
    return _PACKAGE / "scenario" / "data" / name
