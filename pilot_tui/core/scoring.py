"""Scoring: answers in, an honest verdict and an ordered action plan out. Pure functions.

The headline is the weakest section, not the average, because any one of the five causes alone
stalls a pilot (the weakest-link rule of Google's ML Test Score). The average is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pilot_tui.core.assessment import Answer, Assessment, orphaned_answers
from pilot_tui.core.bank import FULL_SCORE, Bank, Choice, Level, Question, Section

Status = Literal["red", "amber", "green"]


# Results are plain frozen dataclasses: they are built from validated models on every keystroke
# and need no validation of their own (which would cost start-up time and every answer).


@dataclass(frozen=True)
class SectionScore:
    id: str
    title: str
    label: str
    """The section's short title."""
    score: float | None
    """0 to 100 over the applicable questions; None when none applies."""
    answered: int
    """Questions with a choice, not-applicable ones included."""
    total: int
    unknown: int
    not_applicable: int
    blockers: int
    level: str
    status: Status
    """Red/amber/green: the lowest level is red, the top level green, the rest amber."""

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 1.0


@dataclass(frozen=True)
class Blocker:
    question: str
    section: str
    title: str
    reason: str


@dataclass(frozen=True)
class Scorecard:
    level: str
    level_title: str
    status: Status
    """Red/amber/green for the headline level, as for a section."""
    score: float
    """The headline: the weakest section's score."""
    average: float
    coverage: float
    """Share of questions answered, from 0 to 1."""
    answered: int
    total: int
    unknown: int
    weakest: str | None
    """The id of the section that decides the level, if any section is scored."""
    capped: bool
    """The level was held below the top one because blockers stand."""
    sections: tuple[SectionScore, ...]
    blockers: tuple[Blocker, ...]
    orphaned: tuple[str, ...]


@dataclass(frozen=True)
class ActionItem:
    question: str
    section: str
    title: str
    text: str
    fix: str
    answer: str
    """The current answer's label, or "Unanswered"."""
    gap: float
    """Points (0 to 100) the question is short of fully met."""
    priority: float
    """Weight times gap: how much closing it moves its section."""
    blocker: bool
    unknown: bool
    owner: str
    due: str


def answer_choice(bank: Bank, question: Question, answer: Answer | None) -> Choice | None:
    """The choice an answer picked, or None when there is none (or it is not offered)."""
    if answer is None or answer.choice is None:
        return None
    return next((c for c in bank.choices_for(question) if c.id == answer.choice), None)


def level_for(bank: Bank, score: float, *, blocked: bool) -> tuple[Level, bool]:
    """The level a score reaches, and whether blockers held it below the top."""
    reached = [level for level in bank.levels if score >= level.min] or [bank.levels[0]]
    level = reached[-1]
    if blocked and level is bank.levels[-1] and len(bank.levels) > 1:
        return bank.levels[-2], True
    return level, False


def _status(bank: Bank, level: Level) -> Status:
    if level is bank.levels[0]:
        return "red"
    return "green" if level is bank.levels[-1] else "amber"


def _points(choice: Choice | None) -> float:
    """What an answer earns out of 100: nothing while unanswered."""
    return choice.score if choice is not None and choice.score is not None else 0.0


def _blocker_reason(choice: Choice | None) -> str:
    if choice is None:
        return "critical and unanswered"
    if choice.unknown:
        return "critical and nobody knows whether it is in place"
    return f"critical and answered {choice.label!r}"


def score_section(
    bank: Bank, section: Section, answers: dict[str, Answer]
) -> tuple[SectionScore, list[Blocker]]:
    earned = possible = 0.0
    answered = unknown = not_applicable = 0
    blockers: list[Blocker] = []
    for question in section.questions:
        choice = answer_choice(bank, question, answers.get(question.id))
        if choice is not None:
            answered += 1
            unknown += choice.unknown
        if choice is not None and choice.not_applicable:
            not_applicable += 1
            continue
        points = _points(choice)
        possible += question.weight
        earned += question.weight * points
        if question.critical and points < FULL_SCORE:
            blockers.append(
                Blocker(
                    question=question.id,
                    section=section.id,
                    title=question.title,
                    reason=_blocker_reason(choice),
                )
            )
    score = earned / possible if possible else None
    if score is None:
        # Nothing in the section applies, so nothing in it stands in the way.
        level = bank.levels[-1]
    else:
        level, _ = level_for(bank, score, blocked=bool(blockers))
    result = SectionScore(
        id=section.id,
        title=section.title,
        label=section.label,
        score=score,
        answered=answered,
        total=len(section.questions),
        unknown=unknown,
        not_applicable=not_applicable,
        blockers=len(blockers),
        level=level.id,
        status=_status(bank, level),
    )
    return result, blockers


def score(bank: Bank, assessment: Assessment) -> Scorecard:
    sections: list[SectionScore] = []
    blockers: list[Blocker] = []
    for section in bank.sections:
        result, section_blockers = score_section(bank, section, assessment.answers)
        sections.append(result)
        blockers += section_blockers
    scored = [s for s in sections if s.score is not None]
    weakest = min(scored, key=lambda s: s.score or 0.0) if scored else None
    headline = (weakest.score or 0.0) if weakest is not None else 0.0
    average = sum(s.score or 0.0 for s in scored) / len(scored) if scored else 0.0
    level, capped = level_for(bank, headline, blocked=bool(blockers))
    answered = sum(s.answered for s in sections)
    total = sum(s.total for s in sections)
    return Scorecard(
        level=level.id,
        level_title=level.title,
        status=_status(bank, level),
        score=headline,
        average=average,
        coverage=answered / total if total else 1.0,
        answered=answered,
        total=total,
        unknown=sum(s.unknown for s in sections),
        weakest=weakest.id if weakest is not None else None,
        capped=capped,
        sections=tuple(sections),
        blockers=tuple(blockers),
        orphaned=tuple(orphaned_answers(assessment, bank)),
    )


def action_plan(bank: Bank, assessment: Assessment) -> list[ActionItem]:
    """Every gap, blockers first, then by weight times gap, then in bank order."""
    items: list[tuple[int, ActionItem]] = []
    for order, (section, question) in enumerate(bank.iter_questions()):
        answer = assessment.answers.get(question.id)
        choice = answer_choice(bank, question, answer)
        if choice is not None and choice.not_applicable:
            continue
        points = _points(choice)
        if points >= FULL_SCORE:
            continue
        gap = FULL_SCORE - points
        items.append(
            (
                order,
                ActionItem(
                    question=question.id,
                    section=section.id,
                    title=question.title,
                    text=question.text,
                    fix=question.fix,
                    answer=choice.label if choice is not None else "Unanswered",
                    gap=gap,
                    priority=question.weight * gap / FULL_SCORE,
                    blocker=question.critical,
                    unknown=choice is not None and choice.unknown,
                    owner=answer.owner if answer is not None else "",
                    due=answer.due.isoformat() if answer is not None and answer.due else "",
                ),
            )
        )
    items.sort(key=lambda pair: (not pair[1].blocker, -pair[1].priority, pair[0]))
    return [item for _, item in items]
