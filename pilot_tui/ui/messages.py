"""What the screens ask of the app. A screen posts one of these; it bubbles up to the app, which
owns the store, the open session and saving. The screens never import the app.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual.message import Message

from pilot_tui.core.assessment import Assessment

if TYPE_CHECKING:  # the session's code loads with the first interview, not at start-up
    from pilot_tui.ui.session import Position

ReportFormat = Literal["md", "html"]
"""core.report's formats, named again: the report's modules load only when one is written."""


@dataclass
class OpenAssessment(Message):
    """Open an assessment's interview, at POSITION or at its first open question."""

    name: str | None
    """Its name in the data folder; None for a file elsewhere."""
    path: Path
    assessment: Assessment
    position: Position | None = None


@dataclass
class HighlightAssessment(Message):
    """Sent by the app to the list: highlight this assessment (the one just left, which may
    have been created a moment ago), so that Enter or Delete acts on what the user expects."""

    name: str


@dataclass
class AdvanceChanged(Message):
    """The user turned moving on after an answer on or off: remembered for the next time."""

    on: bool


class ListShown(Message):
    """The list has read the folder and shows it: what waits for that (the validator's
    loading, which would take turns with the reading) may start."""


class NewAssessment(Message):
    """Ask for a title (and the pilot's context), create the assessment and open it."""


@dataclass
class ExportAssessment(Message):
    """Ask where to write the named assessment's TOML, and write it there."""

    name: str


class AnswersChanged(Message):
    """The open session has unsaved changes: save them soon."""


class SaveRequested(Message):
    """Save the open session now, and say so."""


class LeaveInterview(Message):
    """Back to the list of assessments, the session saved first."""


@dataclass
class ReportRequested(Message):
    """Write the open session's report where the user's downloads go."""

    format: ReportFormat


@dataclass
class JumpTo(Message):
    """Show the interview's question at POSITION (from the command palette)."""

    position: Position


class StartWorkshop(Message):
    """Run a live workshop on the open session (resumed where it was left)."""
