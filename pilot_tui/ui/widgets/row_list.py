"""A list of one-line rows under a line of headings, each line made once and kept.

Textual's DataTable draws every cell through Rich and measures every cell of the rows added to
it: a thousand rows took a quarter of a second to add, and a key down the list redrew its two
rows in about 10 ms at 160 columns. Here the caller gives the columns' widths, and a way to
make any row's cells as plain text: only the rows on screen are ever made, each once, and a key
down the list only picks two kept lines. Any number of rows go in at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Final

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int
    """Cells, without the space each cell has on either side."""


PADDING = 1
"""Spaces on each side of a cell."""
PLAIN: Final = Style()
UNDIM: Final = Style(dim=False)


@dataclass(frozen=True)
class Cell:
    text: str
    style: Style = PLAIN
    """Over the row's own style (its stripe); the cursor's colours go over both."""


class RowList(ScrollView, can_focus=True):
    """Rows of cells with a row cursor; its owner learns of the highlighted row at once.

    ON_HIGHLIGHT is called as soon as the cursor moves, in the same frame: a message would reach
    the owner only after that frame was drawn, and what it shows about the row would come a
    whole frame later.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-list--header",
        "row-list--cursor",
        "row-list--even-row",
    }
    # The look of Textual's DataTable, which this list replaced.
    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        & > .row-list--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        & > .row-list--even-row {
            background: $surface-lighten-1 50%;
        }
        &:dark > .row-list--even-row {
            background: $surface-darken-1 40%;
        }
        & > .row-list--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            background-tint: $foreground 5%;
            & > .row-list--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Select", show=False),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    class RowSelected(Message):
        """A row was chosen: Enter, or a click on the highlighted row."""

        def __init__(self, row_list: RowList, row: int) -> None:
            super().__init__()
            self.row_list = row_list
            self.row = row

        @property
        def control(self) -> RowList:
            return self.row_list

    class HeaderSelected(Message):
        """A column's heading was clicked."""

        def __init__(self, row_list: RowList, key: str) -> None:
            super().__init__()
            self.row_list = row_list
            self.key = key

        @property
        def control(self) -> RowList:
            return self.row_list

    def __init__(self, on_highlight: Callable[[], None], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._on_highlight = on_highlight
        self._columns: tuple[Column, ...] = ()
        self._count = 0
        self._cells: Callable[[int], Sequence[Cell]] = lambda row: ()
        self._cursor = 0
        self._lines: dict[tuple[int, bool], Strip] = {}
        """Each row's line once made, plain or under the cursor (-1: the headings)."""
        self._styles: dict[str, Style] = {}
        """The list's own style and its parts' (the COMPONENT_CLASSES), once worked out."""

    # ------------------------------------------------------------------ what it shows

    @property
    def row_count(self) -> int:
        return self._count

    @property
    def cursor_row(self) -> int:
        """The highlighted row (0 when there are none)."""
        return self._cursor

    @property
    def columns(self) -> tuple[Column, ...]:
        return self._columns

    def row_cells(self, row: int) -> Sequence[Cell]:
        """The cells of ROW, as given."""
        return self._cells(row)

    def row_text(self, row: int) -> list[str]:
        """The text of each cell of ROW, as given."""
        return [cell.text for cell in self._cells(row)]

    def show(
        self,
        columns: Sequence[Column],
        count: int,
        cells: Callable[[int], Sequence[Cell]],
        cursor: int = 0,
    ) -> None:
        """Show COUNT rows under COLUMNS' headings, the cursor on CURSOR; CELLS(ROW) gives a
        row's cells, one per column, when the row first comes into sight."""
        self._columns = tuple(columns)
        self._count = count
        self._cells = cells
        self._lines.clear()
        width = sum(column.width + 2 * PADDING for column in self._columns)
        self.virtual_size = Size(width, count + 1)
        self.refresh()
        self.move_cursor(cursor, always=True)

    def move_cursor(self, row: int, *, always: bool = False) -> None:
        """Highlight ROW (kept within the list), scrolled into sight."""
        row = max(0, min(row, self._count - 1))
        if row == self._cursor and not always:
            return
        old, self._cursor = self._cursor, row
        # Only the two lines that change are drawn again.
        self.refresh_line(old + 1)
        self.refresh_line(row + 1)
        self._scroll_to_cursor()
        self._on_highlight()

    def _scroll_to_cursor(self) -> None:
        # The headings stay on the first line; the rows scroll under them.
        shown = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_offset.y)
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + shown:
            self.scroll_to(y=self._cursor - shown + 1, animate=False, immediate=True)

    def on_resize(self) -> None:
        self._lines.clear()  # each line is made as wide as the list
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        # A theme, or the focus coming or going, changes the lines' colours.
        self._lines.clear()
        self._styles.clear()
        super().notify_style_update()

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        if y == 0:
            line = self._line(-1)
        else:
            row = scroll_y + y - 1
            if row >= self._count:
                return Strip.blank(width, self.rich_style)
            line = self._line(row)
        return line.crop_extend(scroll_x, scroll_x + width, None)

    def _line(self, row: int) -> Strip:
        cursor = row == self._cursor and row >= 0
        found = self._lines.get((row, cursor))
        if found is not None:
            return found
        if row < 0:
            line_style = self._style("row-list--header")
            cells: Sequence[Cell] = [Cell(column.heading) for column in self._columns]
        else:
            line_style = self._style("row-list--even-row" if row % 2 == 0 else "")
            cells = self._cells(row)
        # The cursor's colours over every cell's own, as DataTable's cursor does, undimmed.
        over = self._style("row-list--cursor", over=True) + UNDIM if cursor else PLAIN
        pad = " " * PADDING
        segments = [
            Segment(f"{pad}{set_cell_size(cell.text, column.width)}{pad}", cell_style)
            for column, cell in zip(self._columns, cells, strict=False)
            for cell_style in (line_style + cell.style + over,)
        ]
        fill = line_style + over
        line = Strip(segments).extend_cell_length(self.virtual_size.width, fill)
        # Past the last column, the line keeps the row's colours to the list's edge.
        line = Strip([*line, Segment(" " * self.size.width, fill)])
        self._lines[(row, cursor)] = line
        return line

    def _style(self, part: str, *, over: bool = False) -> Style:
        """The style of PART ("": the list's own), over the list's own unless OVER."""
        key = f"{part}{over}"
        found = self._styles.get(key)
        if found is None:
            own = self.get_component_rich_style(part) if part else PLAIN
            found = self._styles[key] = own if over else self.rich_style + own
        return found

    # ------------------------------------------------------------------ keys and mouse

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An empty list leaves its keys to the screen (Enter there can say why nothing opens).
        return bool(self._count) or action not in {"select", "move", "page"}

    def action_move(self, by: int) -> None:
        if self._count:
            self.move_cursor(self._cursor + by)

    def action_page(self, by: int) -> None:
        if self._count:
            shown = max(1, self.scrollable_content_region.height - 1)
            self.move_cursor(self._cursor + by * shown)

    def action_first_row(self) -> None:
        if self._count:
            self.move_cursor(0)

    def action_last_row(self) -> None:
        if self._count:
            self.move_cursor(self._count - 1)

    def action_select(self) -> None:
        if self._count:
            self.post_message(self.RowSelected(self, self._cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset.x + self.scroll_offset.x, offset.y
        if y == 0:
            edge = 0
            for column in self._columns:
                edge += column.width + 2 * PADDING
                if x < edge:
                    self.post_message(self.HeaderSelected(self, column.key))
                    return
            return
        row = self.scroll_offset.y + y - 1
        if row >= self._count:
            return
        if row == self._cursor:
            self.post_message(self.RowSelected(self, row))
        else:
            self.move_cursor(row)
