"""A line or a few of text that changes often (a count, a clock, the highlighted row's facts)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class SteadyText(Static):
    """Static text whose updates re-arrange the screen (a layout) only when they need more or
    fewer lines: a layout per vote, tick or key would cost most of a frame, and hold up the
    keys a person presses meanwhile."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self._text: Content | None = None

    def show(self, content: Content | str) -> None:
        text = Content(content) if isinstance(content, str) else content
        before = self._text
        if before is not None and (before.plain, before.spans) == (text.plain, text.spans):
            return
        width = self.content_region.width
        rules = self.styles.get_rules()
        same_height = (
            before is not None
            and width > 0
            and before.get_height(rules, width) == text.get_height(rules, width)
        )
        self._text = text
        self.update(text, layout=not same_height)
