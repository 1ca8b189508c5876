"""The light table behind the headline figures and Compare: layout, fitting and caching."""

from __future__ import annotations

from textual.app import App, ComposeResult

from infracalc_tui.tui.widgets.table import LineTable


class Numbers(LineTable):
    align_numbers = True


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Numbers(("Name", "Profit", "Days"),
                      [("2x RTX 4090 24GB", "$12.89", "295"), ("1x H100", "-$5.99", "1,454")])


class ShortTableApp(TableApp):
    CSS = "Numbers { max-height: 2; }"  # the header and one row, as in a short terminal


async def test_columns_align_and_the_label_column_gives_way() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(Numbers)
        await pilot.pause()
        assert table.text_lines()[:3] == [
            " Name              Profit   Days".ljust(40),
            " 2x RTX 4090 24GB  $12.89    295".ljust(40),
            " 1x H100           -$5.99  1,454".ljust(40),
        ]
        await pilot.resize_terminal(28, 6)
        await pilot.pause()
        lines = table.text_lines()
        assert lines[1] == " 2x RTX 4090…  $12.89    295"  # 16-char label cut to 12
        assert all(len(line) == 28 for line in lines)


async def test_a_changed_cell_redraws_its_row_only() -> None:
    app = TableApp()
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(Numbers)
        await pilot.pause()
        drawn: list[int] = []
        draw = table._draw
        table._draw = lambda i, cells, width: drawn.append(i) or draw(i, cells, width)
        table.set_rows([("2x RTX 4090 24GB", "$12.89", "295"), ("1x H100", "-$6.01", "1,454")])
        await pilot.pause()
        assert drawn == [1]
        assert table.text_lines()[2].startswith(" 1x H100           -$6.01")


async def test_the_cursor_stays_on_screen_and_on_a_row() -> None:
    app = ShortTableApp()
    async with app.run_test(size=(40, 6)) as pilot:
        table = app.query_one(Numbers)
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.cursor_row == 1
        assert table.text_lines()[1].startswith(" 1x H100")
        table.set_rows([("only", "1", "2")])
        assert table.cursor_row == 0
