"""The answer choices of one question, as one widget: arrows and Enter, or a click, pick one.

One widget rather than a radio set of buttons: the interview's first frame and every answer
cost less (no widget per choice to build, style and restyle), and moving to the next question
changes its lines instead of rebuilding buttons. The number keys are the screen's.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget

SELECTED = "●"
NOT_SELECTED = "○"


class ChoiceList(Widget, can_focus=True):
    """Numbered choices, the answer marked with a filled dot (not by colour alone)."""

    BINDINGS = [
        Binding("up", "move(-1)", "Previous choice", show=False),
        Binding("down", "move(1)", "Next choice", show=False),
        Binding("enter,space", "pick", "Pick the highlighted choice", show=False),
    ]

    class Picked(Message):
        """A choice was picked with Enter, Space or the mouse."""

        def __init__(self, choice_list: ChoiceList, index: int) -> None:
            super().__init__()
            self.choice_list = choice_list
            self.index = index

        @property
        def control(self) -> ChoiceList:
            return self.choice_list

    def __init__(
        self, labels: Sequence[str], selected: int | None, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._labels = list(labels)
        self.selected = selected
        self.highlighted = selected or 0

    def show(self, labels: Sequence[str], selected: int | None) -> None:
        """Another question's choices."""
        width = self.content_region.width
        before = sum(self._heights(width)) if width else -1
        self._labels = list(labels)
        self.selected = selected
        self.highlighted = selected or 0
        # Other labels may wrap onto another number of lines: only then is a layout needed.
        self.refresh(layout=before != (sum(self._heights(width)) if width else -2))

    def select(self, index: int | None) -> None:
        """Mark the answer (after a number key, say); the highlight follows it."""
        highlighted = self.highlighted if index is None else index
        if (index, highlighted) != (self.selected, self.highlighted):
            self.selected, self.highlighted = index, highlighted
            self.refresh()

    def _lines(self) -> list[Content]:
        lines = []
        for index, label in enumerate(self._labels):
            chosen = index == self.selected
            line = Content.assemble(
                (f" {SELECTED if chosen else NOT_SELECTED} ", "bold $accent" if chosen else "dim"),
                (f"{index + 1} ", "bold"),
                (label, "bold" if chosen else ""),
                " ",
            )
            if self.has_focus and index == self.highlighted:
                line = line.stylize("$block-cursor-foreground on $block-cursor-background")
            lines.append(line)
        return lines

    def render(self) -> Content:
        return Content("\n").join(self._lines())

    def _heights(self, width: int) -> list[int]:
        # A long choice wraps on a narrow screen (a phone): each takes as many lines as it needs.
        rules = self.styles.get_rules()
        return [max(1, line.get_height(rules, width)) for line in self._lines()]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return sum(self._heights(width)) if width > 0 else len(self._labels)

    def action_move(self, step: int) -> None:
        if self._labels:
            self.highlighted = (self.highlighted + step) % len(self._labels)
            self.refresh()

    def action_pick(self) -> None:
        if 0 <= self.highlighted < len(self._labels):
            self.post_message(self.Picked(self, self.highlighted))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        top = 0
        for index, height in enumerate(self._heights(self.content_region.width)):
            if top <= offset.y < top + height:
                self.highlighted = index
                self.refresh()
                self.post_message(self.Picked(self, index))
                return
            top += height

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
