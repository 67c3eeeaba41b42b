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
from pilot_tui.core.bank import FULL_SCORE, Bank, Question
from pilot_tui.core.limits import MAX_MILESTONES
from pilot_tui.core.records import InvalidData, validated
from pilot_tui.core.scoring import answer_choice, judge, lacking_text, score

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
    """The bank's questions whose answer counts differently between BEFORE and AFTER (another
    choice, or the same choice that lost or gained what it needs, such as a plan's owner and due
    date), in bank order."""
    changes: list[Change] = []
    for section, question in bank.iter_questions():
        old_label, old_points = _counted(bank, question, before.get(question.id))
        new_label, new_points = _counted(bank, question, after.get(question.id))
        if (old_label, old_points) == (new_label, new_points):
            continue
        changes.append(
            Change(
                question=question.id,
                section=section.id,
                title=question.title,
                before=old_label,
                after=new_label,
                direction=_direction(old_points, new_points),
            )
        )
    return changes


def _counted(bank: Bank, question: Question, answer: Answer | None) -> tuple[str, float | None]:
    """An answer as the scorecard counts it (scoring.judge, the one rule): its label, saying so
    when it counts as not in place for lack of something, and its points (None: not scored)."""
    choice_id = answer.choice if answer is not None else None
    if choice_id is not None and answer_choice(bank, question, answer) is None:
        # A choice the bank no longer offers is shown as it was written rather than hidden.
        return choice_id, None
    judged = judge(bank, question, answer, critical=False)
    if judged.choice is None:
        # Unanswered counts as 0 in the scorecard, so answering can be progress.
        return UNANSWERED, 0.0
    label = judged.choice.label
    if judged.missing:
        label += f" ({lacking_text(judged.missing)}: counts as not in place)"
    return label, judged.points


def _direction(old: float | None, new: float | None) -> Direction:
    if old is None or new is None or old == new:
        return "changed"
    return "improved" if new > old else "regressed"


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
