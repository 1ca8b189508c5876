"""Cost of a partial update: Compositor._get_renders re-renders every widget whose *clip*
touches the bounding box of the frame's dirty regions.

A form of 60 rows (Label + Input) in a VerticalScroll on the left, a read-out on the right.
Typing in one Input dirties that Input. Every row container in the scroll container has the
container's viewport as its clip, and the crop (the bounding box of the dirty regions)
overlaps that clip, so every visible row is re-rendered for each frame, although only the
dirty spans are written. Scenario 2 also updates the read-out from the same key handler,
so both dirty regions land in one frame and their bounding box covers most of the screen.

The script types 20 digits with pilot.press() and reports, per keystroke, how many widgets
_get_renders yielded and the time spent in Compositor.render_partial_update, for Textual
as installed, for a one-line variant (test the widget's visible part, region & clip,
against the crop instead of its clip) and for a minimal patch that keeps a widget only if
its visible part overlaps one of the dirty regions. For each frame of the patched run it
also renders the frame the original way and checks the bytes written are identical.

Run: python3 docs/upstream/partial_update_cost.py   (needs only textual)
"""

import asyncio
import time

import textual
from textual._compositor import ChopsUpdate, Compositor
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.geometry import Region
from textual.widgets import Input, Label, Static

ROWS, KEYS = 60, 20
READOUT = False  # scenario 2: the read-out changes in the same frame as the Input

ORIGINAL_GET_RENDERS = Compositor._get_renders
STATS = {"frames": 0, "widgets": 0, "seconds": 0.0, "mismatches": 0}


def filtered_get_renders(self: Compositor, crop: Region | None = None):
    """Minimal patch: as _get_renders, but a widget is kept only if its visible part
    overlaps one of the dirty regions (not merely the regions' bounding box)."""
    dirty = self._dirty_for_frame
    for widget, (region, clip) in self.visible_widgets.items():
        shown = region.intersection(clip)
        if not shown.area or not any(shown.overlaps(d) for d in dirty):
            continue
        if clip.contains_region(region):
            lines = widget.render_lines(Region(0, 0, region.width, region.height))
        else:
            lines = widget.render_lines(
                Region(shown.x - region.x, shown.y - region.y, shown.width, shown.height))
        yield region, clip, lines


def visible_part_get_renders(self: Compositor, crop: Region | None = None):
    """One-line variant: Textual's test `crop.overlaps(clip)` made `crop.overlaps(region &
    clip)` (the crop is still the bounding box of all dirty regions)."""
    for widget, (region, clip) in self.visible_widgets.items():
        shown = region.intersection(clip)
        if not shown.area or (crop and not crop.overlaps(shown)):
            continue
        if clip.contains_region(region):
            lines = widget.render_lines(Region(0, 0, region.width, region.height))
        else:
            lines = widget.render_lines(
                Region(shown.x - region.x, shown.y - region.y, shown.width, shown.height))
        yield region, clip, lines


VARIANTS = {"textual": ORIGINAL_GET_RENDERS, "one-line": visible_part_get_renders,
            "patched": filtered_get_renders}


def counting(get_renders):
    def wrapper(self, crop=None):
        for item in get_renders(self, crop):
            STATS["widgets"] += 1
            yield item
    return wrapper


def partial_update(self: Compositor, regions: set[Region], get_renders) -> ChopsUpdate:
    """Compositor.render_partial_update's body, with the dirty regions passed in."""
    crop = Region.from_union(regions).intersection(self.size.region)
    spans = list(self._regions_to_spans(regions))
    is_rendered_line = {y for y, _, _ in spans}.__contains__
    self._dirty_for_frame = tuple(regions)
    Compositor._get_renders = get_renders
    try:
        chops = self._render_chops(crop, is_rendered_line)
    finally:
        Compositor._get_renders = ORIGINAL_GET_RENDERS
    return ChopsUpdate(chops, spans, [cut_set[1:] for cut_set in self.cuts])


def install(variant: str, console_getter):
    def render_partial_update(self: Compositor):
        regions = self._dirty_regions.copy()
        self._dirty_regions.clear()
        if not regions:
            return None
        patched = variant != "textual"
        chosen = counting(VARIANTS[variant])
        start = time.perf_counter()
        update = partial_update(self, regions, chosen)
        STATS["seconds"] += time.perf_counter() - start
        STATS["frames"] += 1
        if patched:  # same frame, Textual's way: the bytes written must be the same
            console = console_getter()
            reference = partial_update(self, regions, ORIGINAL_GET_RENDERS)
            if update.render_segments(console) != reference.render_segments(console):
                STATS["mismatches"] += 1
        return update

    Compositor.render_partial_update = render_partial_update


class FormInput(Input):
    def on_key(self, event) -> None:  # runs in the same message as Input's own key handling
        if READOUT:
            self.app.query_one("#total", Static).update(f"total: {event.character}")


class FormApp(App[None]):
    CSS = """
    #form { width: 60%; }
    .row { height: 1; }
    .row Label { width: 20; }
    .row Input { border: none; height: 1; padding: 0 1; width: 1fr; }
    #readout { width: 40%; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="form"):
                for n in range(ROWS):
                    with Horizontal(classes="row"):
                        yield Label(f"field {n}")
                        yield FormInput(str(n), id=f"f{n}")
            with Vertical(id="readout"):
                yield Static("total: -", id="total")
                yield Static("\n".join(f"line {n}" for n in range(20)), id="lines")


async def measure(variant: str) -> dict:
    app = FormApp()
    install(variant, lambda: app.console)
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one("#f15", Input).focus()
        await pilot.pause()
        await asyncio.sleep(0.2)
        await pilot.pause()
        STATS.update(frames=0, widgets=0, seconds=0.0, mismatches=0)
        for n in range(KEYS):
            await pilot.press(str(n % 10))
            await pilot.pause()
        await asyncio.sleep(0.1)
        await pilot.pause()
        return dict(STATS)


async def main() -> None:
    global READOUT
    print(f"textual {textual.__version__}; 120x40; {ROWS} rows; {KEYS} keystrokes")
    cases = ((False, "1. only the Input changes"),
             (True, "2. Input + read-out in the same frame"))
    for READOUT, title in cases:  # noqa: B007 (a global: the app reads it)
        print(title)
        for variant in VARIANTS:
            s = await measure(variant)
            patched = variant != "textual"
            print(f"  {variant:8s}: {s['frames']:3d} partial frames, "
                  f"{s['widgets'] / KEYS:6.1f} widgets rendered/keystroke, "
                  f"{1000 * s['seconds'] / KEYS:6.2f} ms/keystroke in render_partial_update"
                  + (f", frames differing from textual's: {s['mismatches']}" if patched
                     else ""))


asyncio.run(main())
