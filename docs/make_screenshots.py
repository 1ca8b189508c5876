"""Export the README's screenshots (SVG) from the real app: `python docs/make_screenshots.py`.

Each shot starts the app headless on a shipped preset with the default theme, presses the
keys a person would, and saves what the screen shows. Re-run after any visible change.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent / "screenshots"

# (file name, preset, terminal size, keys to press before the shot)
SHOTS: list[tuple[str, str, tuple[int, int], list[str]]] = [
    ("fleet-120x40", "gpt4o-1b-users", (120, 40), ["f3"]),
    ("host-120x40", "llama70b-own-hardware", (120, 40), ["f4"]),
    ("host-heatmap-80x24", "llama70b-own-hardware", (80, 24), ["f4", "f9"]),
    ("explain-80x24", "llama70b-own-hardware", (80, 24), ["f4", "down", "enter"]),
    ("compare-120x40", "llama70b-own-hardware", (120, 40), ["f5"]),
    # Profit per day, then Enter on its second term (electricity): a level down
    ("explain-100x30", "llama70b-own-hardware", (100, 30),
     ["f4", "down", "enter", "down", "enter"]),
    ("fleet-100x30", "gpt4o-1b-users", (100, 30), ["f3"]),
]


async def shoot(name: str, preset: str, size: tuple[int, int], keys: list[str]) -> Path:
    from infracalc_tui.config import Config
    from infracalc_tui.scenario.presets import presets
    from infracalc_tui.tui.app import InfracalcApp

    app = InfracalcApp(presets()[preset].scenario, None,
                       Config(theme="infracalc-midnight", cursor_blink=False), None)
    async with app.run_test(size=size) as pilot:
        await app.until_ready(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.3)
        path = Path(app.save_screenshot(filename=f"{name}.svg", path=str(OUT)))
    return path


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:  # never touch the user's config or scenarios
        for var in ("INFRACALC_CONFIG_DIR", "INFRACALC_DATA_DIR", "INFRACALC_STATE_DIR"):
            os.environ[var] = str(Path(tmp) / var.lower())
        for shot in SHOTS:
            print(asyncio.run(shoot(*shot)).relative_to(OUT.parent.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
