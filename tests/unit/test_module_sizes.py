"""Small modules named for what they hold: none over 500 lines (the app's own rule; the
App class once grew to 979 lines before it was split)."""

from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_no_module_is_over_500_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert not long, long


def test_the_app_class_stays_thin() -> None:
    app = SRC / "infracalc_tui" / "tui" / "app.py"
    assert len(app.read_text(encoding="utf-8").splitlines()) < 150
