"""How a status (red, amber, green) is drawn: in the theme's colour, and always in words too.

A module of its own so that the list draws statuses without loading the scorecard widget and
the interview's session behind it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:  # the scoring loads with the list's first reading, not at start-up
    from pilot_tui.core.scoring import Status

STATUS_STYLE: Final[dict[Status, str]] = {
    "red": "$text-error",
    "amber": "$text-warning",
    "green": "$text-success",
}
STATUS_LABEL: Final[dict[Status, str]] = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
