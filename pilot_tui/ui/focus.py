"""Moving the focus in the order the keys were typed."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


def focus_at_once(screen: Screen[Any], step: int) -> None:
    """The next (STEP 1) or previous (-1) widget of SCREEN's focus chain, focused now.

    Tab left to Textual moves the focus with a message that waits its turn: keys typed just
    behind it (a quick typist, a paste) would land in the field before. A screen binds Tab and
    Shift+Tab with priority to this instead.
    """
    chain = screen.focus_chain
    if not chain:
        return
    at = chain.index(screen.focused) if screen.focused in chain else -step
    screen.set_focus(chain[(at + step) % len(chain)])
