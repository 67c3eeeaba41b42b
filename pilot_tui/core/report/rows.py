"""Rows the report is given rather than works out: the disputes between participants and the
trend across milestones. The caller may compute them (report_rows does, from the assessment) or
pass its own, so the builder can be tested without a merge or a milestone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank, Question
from pilot_tui.core.merge import disagreements
from pilot_tui.core.milestones import trends
from pilot_tui.core.render import percent

NO_ANSWER: Final = "No answer"
"""A participant who gave no choice for a disputed question."""
NOW_LABEL: Final = "now"


@dataclass(frozen=True)
class DisputeRow:
    """A question the participants answered differently, as the report shows it."""

    question: str
    """The question's id."""
    title: str
    answers: tuple[tuple[str, str], ...]
    """(participant name, the label of the choice they picked), in the order to show."""
    spread: float
    """How far apart the answers are, from 0 (all agree) to 1 (as far apart as the scale goes)."""
    applicability: bool = False
    """Some said the question does not apply and others scored it: a dispute the spread, on the
    score scale, cannot show."""


@dataclass(frozen=True)
class TrendRow:
    """One section's score at each milestone, oldest first, then now."""

    section: str
    """The section's id."""
    title: str
    labels: tuple[str, ...]
    """The milestones' labels, then "now"; the same for every row of one report."""
    points: tuple[float | None, ...]
    """One score (0 to 100) per label; None where nothing in the section applied."""

    def __post_init__(self) -> None:
        # A row with a missing point would shift every later column under the wrong label.
        if len(self.labels) != len(self.points):
            raise ValueError(
                f"trend row {self.section!r}: {len(self.points)} points for "
                f"{len(self.labels)} labels"
            )


def report_rows(
    bank: Bank, assessment: Assessment
) -> tuple[tuple[DisputeRow, ...], tuple[TrendRow, ...]]:
    """The disputes and the trend to give the builder, worked out from the assessment.

    Disputes need two participants or more; a trend needs a milestone, since "now" alone is no
    trend. Either is empty otherwise, and the report then leaves its section out.
    """
    index = bank.question_index()
    disputes = tuple(
        DisputeRow(
            question=found.question,
            title=found.title,
            answers=tuple(
                (name, choice_label(bank, index[found.question][1], choice_id))
                for name, choice_id in found.answers
            ),
            spread=found.spread,
            applicability=found.applicability,
        )
        for found in disagreements(bank, assessment)
    )
    if not assessment.milestones:
        return disputes, ()
    labels = (*(milestone.label for milestone in assessment.milestones), NOW_LABEL)
    trend = tuple(
        TrendRow(section=row.section, title=row.title, labels=labels, points=row.points)
        for row in trends(bank, assessment)
    )
    return disputes, trend


def choice_label(bank: Bank, question: Question, choice_id: str | None) -> str:
    if choice_id is None:
        return NO_ANSWER
    # A choice this bank does not offer is shown as written rather than hidden.
    return next((c.label for c in bank.choices_for(question) if c.id == choice_id), choice_id)


def change_in_points(was: float | None, now: float | None) -> str:
    """How far a score moved, in the whole points the report shows ("+12", "-3", "0"): worked
    out from the rounded scores, so it always matches the two figures beside it. "n/a" when
    only one of them has a score, nothing when neither has."""
    if was is None or now is None:
        return "" if was == now else "n/a"
    change = points_moved(was, now)
    return f"{change:+d}" if change else "0"


def points_moved(was: float, now: float) -> int:
    """The whole points a score moved, between the figures shown for it (render.percent)."""
    return int(percent(now)) - int(percent(was))
