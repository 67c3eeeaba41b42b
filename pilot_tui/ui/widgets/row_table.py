"""A table of rows whose owner learns of the highlighted row in the frame the cursor moves."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.coordinate import Coordinate
from textual.widgets import DataTable


class RowTable(DataTable[Text]):
    """A DataTable with a row cursor that calls ON_HIGHLIGHT as soon as the cursor moves.

    DataTable's RowHighlighted message reaches a screen only after the frame that moves the
    cursor has been drawn: what the screen shows about the row (a line under the table, say)
    would come a whole frame later, and every key down the list would draw two frames.
    """

    # A list of rows: Home and End go to its first and last row (DataTable's own scroll the
    # table sideways, which a list that fits its width never needs).
    BINDINGS = [
        Binding("home", "first_row", "First row", show=False),
        Binding("end", "last_row", "Last row", show=False),
    ]

    def __init__(self, on_highlight: Callable[[], None], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._on_highlight = on_highlight

    def watch_cursor_coordinate(self, old: Coordinate, new: Coordinate) -> None:
        super().watch_cursor_coordinate(old, new)
        if old != new:
            self._on_highlight()

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
