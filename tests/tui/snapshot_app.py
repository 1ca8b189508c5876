"""The app on a fixed scenario and theme, for snapshot tests."""

from infracalc_tui.config import Config
from infracalc_tui.scenario.presets import presets
from infracalc_tui.tui.app import InfracalcApp

app = InfracalcApp(presets()["llama70b-own-hardware"].scenario, None,
                   Config(theme="infracalc-midnight", cursor_blink=False), None)

if __name__ == "__main__":
    app.run()
