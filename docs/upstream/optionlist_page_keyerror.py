"""OptionList PageDown/PageUp raises KeyError when the list has no content region yet.

OptionList._update_lines() returns early while scrollable_content_region is empty
(height 0 here: a list squeezed out by a tiny terminal, or not laid out yet), so
_index_to_line stays empty and _move_page() indexes it with the highlighted option.

Run: python3 docs/upstream/optionlist_page_keyerror.py   (needs only textual)
"""

import asyncio

import textual
from textual.app import App, ComposeResult
from textual.widgets import OptionList


class PagingApp(App[None]):
    CSS = "OptionList { height: 0; }"  # laid out, but with no room for a single line

    def compose(self) -> ComposeResult:
        yield OptionList(*[f"option {n}" for n in range(20)])


async def main() -> None:
    print("textual", textual.__version__)
    app = PagingApp()
    try:
        async with app.run_test(size=(40, 10)) as pilot:
            option_list = app.query_one(OptionList)
            option_list.focus()
            option_list.highlighted = 0
            await pilot.pause()
            print("highlighted:", option_list.highlighted,
                  "content region:", option_list.scrollable_content_region,
                  "laid-out lines:", len(option_list._line_cache.lines))
            await pilot.press("pagedown")
            await pilot.pause()
    except Exception as error:  # run_test re-raises the app's crash on exit
        print(f"REPRODUCED: the app crashed with {type(error).__name__}: {error!r}")
        return
    print("NOT REPRODUCED: PageDown did not crash")


asyncio.run(main())
