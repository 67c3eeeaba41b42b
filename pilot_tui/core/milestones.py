"""Milestones: named snapshots of the team's answers, what changed between them, and trends.

A facilitator saves a milestone at the end of each workshop; the next workshop then starts from
what improved or regressed since, and the scorecard shows each section's path over time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final, Literal

from pilot_tui.core.assessment import Answer, Assessment, Milestone
from pilot_tui.core.bank import FULL_SCORE, Bank, Choice
from pilot_tui.core.limits import MAX_MILESTONES
from pilot_tui.core.records import InvalidData, validated
from pilot_tui.core.scoring import answer_choice, score

UNANSWERED: Final = "Unanswered"
SPARK_BLOCKS: Final = "▁▂▃▄▅▆▇█"

Direction = Literal["improved", "regressed", "changed"]


@dataclass(frozen=True)
class Change:
    question: str
    section: str
    title: str
    before: str
    """The choice's label, or "Unanswered"."""
    after: str
    direction: Direction
    """By score; "changed" when the score is the same, or to or from not applicable."""


@dataclass(frozen=True)
class SectionTrend:
    section: str
    title: str
    points: tuple[float | None, ...]
    """The section's score at each milestone, oldest first, then now; None where none applied."""


def add_milestone(assessment: Assessment, label: str, *, now: datetime) -> Assessment:
    """A copy with a snapshot of the team's current answers saved under LABEL."""
    label = label.strip()
    if not label:
        raise ValueError("a milestone needs a label, e.g. 'Workshop 1'")
    if any(milestone.label == label for milestone in assessment.milestones):
        raise ValueError(f"a milestone labelled {label!r} already exists; choose another label")
    if len(assessment.milestones) >= MAX_MILESTONES:
        raise ValueError(f"this assessment already has {MAX_MILESTONES} milestones, the limit")
    # Copies, so that a later change to an answer cannot reach back into the snapshot.
    # The answers are frozen records, so the snapshot can share them; the dict is its own.
    answers = dict(assessment.answers)
    try:
        milestone = Milestone(
            label=label,
            created=now,
            answers=answers,
            context=dict(assessment.context),
            bank_version=assessment.bank.version,
        )
        validated(milestone)
    except InvalidData as error:
        raise ValueError(f"milestone {error}") from None
    meta = replace(assessment.meta, updated=now)
    milestones = [*assessment.milestones, milestone]
    return replace(assessment, milestones=milestones, meta=meta)


def milestone_answers(assessment: Assessment, label: str) -> dict[str, Answer]:
    """The team's answers as saved in milestone LABEL."""
    return dict(milestone_named(assessment, label).answers)


def milestone_named(assessment: Assessment, label: str) -> Milestone:
    """Milestone LABEL, or ValueError naming the milestones there are."""
    for milestone in assessment.milestones:
        if milestone.label == label:
            return milestone
    labels = ", ".join(milestone.label for milestone in assessment.milestones)
    known = f"milestones: {labels}" if labels else "there are no milestones yet"
    raise ValueError(f"no milestone {label!r} ({known})")


def diff_answers(
    bank: Bank, before: Mapping[str, Answer], after: Mapping[str, Answer]
) -> list[Change]:
    """The bank's questions whose choice differs between BEFORE and AFTER, in bank order."""
    changes: list[Change] = []
    for section, question in bank.iter_questions():
        old, new = before.get(question.id), after.get(question.id)
        old_id = old.choice if old is not None else None
        new_id = new.choice if new is not None else None
        if old_id == new_id:
            continue
        old_choice, new_choice = (
            answer_choice(bank, question, old),
            answer_choice(bank, question, new),
        )
        changes.append(
            Change(
                question=question.id,
                section=section.id,
                title=question.title,
                before=_label(old_id, old_choice),
                after=_label(new_id, new_choice),
                direction=_direction(old_id, old_choice, new_id, new_choice),
            )
        )
    return changes


def _label(choice_id: str | None, choice: Choice | None) -> str:
    if choice is not None:
        return choice.label
    # A choice the bank no longer offers is shown as it was written rather than hidden.
    return UNANSWERED if choice_id is None else choice_id


def _direction(
    old_id: str | None, old: Choice | None, new_id: str | None, new: Choice | None
) -> Direction:
    old_points, new_points = _points(old_id, old), _points(new_id, new)
    if old_points is None or new_points is None or old_points == new_points:
        return "changed"
    return "improved" if new_points > old_points else "regressed"


def _points(choice_id: str | None, choice: Choice | None) -> float | None:
    """What the answer scores, as the scorecard counts it; None when it is not scored."""
    if choice_id is None:
        return 0.0  # unanswered counts as 0 in the scorecard, so answering can be progress
    return choice.score if choice is not None else None


def trends(bank: Bank, assessment: Assessment) -> list[SectionTrend]:
    """Each section's score at every milestone (with the context it had then), oldest first,
    and now."""
    cards = [
        score(bank, replace(assessment, answers=milestone.answers, context=milestone.context))
        for milestone in assessment.milestones
    ]
    cards.append(score(bank, assessment))
    return [
        SectionTrend(
            section=section.id,
            title=section.title,
            points=tuple(card.sections[position].score for card in cards),
        )
        for position, section in enumerate(bank.sections)
    ]


def sparkline(points: Sequence[float | None], *, missing: str = " ") -> str:
    """One character per score on the fixed 0 to 100 scale (so equal heights mean equal
    scores): eight heights, MISSING where there is no score."""
    top = len(SPARK_BLOCKS) - 1
    return "".join(
        missing
        if point is None
        else SPARK_BLOCKS[min(top, max(0, int(point / FULL_SCORE * len(SPARK_BLOCKS))))]
        for point in points
    )


@dataclass(frozen=True)
class Replaced:
    """An answer to a question the bank has retired, and the questions that took its place."""

    question: str
    title: str
    text: str
    version: str
    """The bank version it was last asked in."""
    answer: str
    """The old answer's label (the choice id as written when the bank has no such choice)."""
    replaced_by: tuple[tuple[str, str, str], ...]
    """(id, title, the answer to it now or "Unanswered") for each question that replaced it."""
    change: str


def replaced_answers(
    bank: Bank, answers: Mapping[str, Answer], now: Mapping[str, Answer] | None = None
) -> list[Replaced]:
    """The ANSWERS to retired questions, with what the questions replacing them are answered
    in NOW (ANSWERS itself by default), in the order the bank lists them."""
    current = answers if now is None else now
    index = bank.question_index()
    found: list[Replaced] = []
    for old in bank.retired:
        answer = answers.get(old.id)
        if answer is None or answer.choice is None:
            continue
        labels = {choice.id: choice.label for choice in bank.choices}
        replacements = []
        for new in old.replaced_by:
            if new not in index:
                continue
            question = index[new][1]
            choice = answer_choice(bank, question, current.get(new))
            replacements.append((new, question.title, choice.label if choice else UNANSWERED))
        found.append(
            Replaced(
                question=old.id,
                title=old.title,
                text=old.text,
                version=old.version,
                answer=labels.get(answer.choice, answer.choice),
                replaced_by=tuple(replacements),
                change=old.change,
            )
        )
    return found
