"""Textual's footer, made again only when the keys it shows change.

Textual's Footer makes its keys again after every change to the bindings, even when the keys
it shows stay the same: the list's start asks four times (the screen takes the focus, its
stack changes, the focus is confirmed after a frame), and each making (a dozen keys, each
styled) cost about a twentieth of a second, taking turns with the reading of the list.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    def __init__(self) -> None:
        super().__init__()
        self._made_for: tuple[Any, ...] | None = None
        """The keys (and their state) the footer was last asked to show."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            shown = tuple(
                (binding.key, binding.action, binding.description, enabled, tooltip)
                for _, binding, enabled, tooltip in screen.active_bindings.values()
                if binding.show
            )
            if shown == self._made_for:
                return
            self._made_for = shown
        super().bindings_changed(screen)
