"""The limits pilot-tui enforces, in one place so the README and the errors agree.

They are far above what a real workshop produces and low enough that a hostile or broken file
is refused quickly instead of freezing the terminal.
"""

from typing import Final

MAX_FILE_BYTES: Final = 2 * 1024 * 1024
"""An assessment or bank file; a full bank with long notes everywhere is well under 200 KiB."""
MAX_TITLE: Final = 200
MAX_LINE: Final = 2_000
"""Owner, evidence link, reason, team, facilitator, stage."""
MAX_NOTES: Final = 20_000
MAX_ANSWERS: Final = 2_000
MAX_PARTICIPANTS: Final = 200
"""People merged into one assessment: a large workshop is a few dozen."""
MAX_MILESTONES: Final = 100
MAX_CONTEXT_CHANGES: Final = 100
"""Recorded changes of a pilot's context."""
MIN_REASON: Final = 10
"""Characters a not-applicable answer's reason, or a context change's, needs at least: a
reason says why ("fixed-price contract"), it is not a formality (".")."""
