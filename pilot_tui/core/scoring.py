"""Scoring: answers in, an honest verdict and an ordered action plan out. Pure functions.

The headline is the weakest section, not the average, because any one of the five causes alone
stalls a pilot (the weakest-link rule of Google's ML Test Score). The average is shown beside it.

The rules that hold a pilot back are data in the bank; this module applies them:

- Only the questions that apply to the pilot's context count (a context question not answered
  yet is taken to allow every option, so nothing drops out on a guess).
- A critical question not fully met caps the level: each answer's cap is its choice's
  `critical_cap` (by default the second level for "not in place" or "don't know", the level below
  the top for a partial answer); unanswered, and not applicable where the question applies, cap
  at the rules' levels (the second level by default). Not applicable never lets a critical
  question drop out of the score: it scores 0 and stays a blocker, shown with its reason.
- A choice that needs an owner and a due date (a plan) counts only with them; without, it
  scores 0 and caps like "not in place".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Final, Literal

from pilot_tui.core.assessment import Answer, Assessment, Waiver, orphaned_answers
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
    cap: str
    """The id of the highest level the pilot can reach while this blocker stands."""
    lapsed: Waiver | None = None
    """A waiver that accepted it and holds no longer: the blocker stands again."""
    lapse: str = ""
    """Why that waiver no longer holds ("expired on 2026-11-29"; or the answer it was granted
    for changed)."""


@dataclass(frozen=True)
class Waived:
    """A blocker accepted on purpose: it does not hold the level back until its waiver
    expires, and it is always shown."""

    blocker: Blocker
    waiver: Waiver


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
    """The id of the section that decides the level, if any section is scored: the first in
    bank order when several share the lowest score (see `lowest`)."""
    capped: bool
    """The level was held below the one the score reaches, because blockers stand."""
    reached: str
    """The id of the level the headline score reaches before any cap."""
    assumed: tuple[str, ...]
    """Titles of the context questions not answered yet: every option of each is assumed, so
    every question they decide counts (and is critical where it can be)."""
    sections: tuple[SectionScore, ...]
    blockers: tuple[Blocker, ...]
    orphaned: tuple[str, ...]
    unasked: tuple[str, ...] = ()
    """Questions answered in the file that do not apply to the pilot's context (kept, not
    counted): after a change of context they show what was taken out of the verdict."""
    lowest: tuple[str, ...] = ()
    """The ids of every scored section at the headline score, in bank order: one, or several
    tied. When they are tied none of them is weaker than another, so naming one as the weakest
    section (as `weakest` alone would) tells the reader something the answers do not."""
    waived: tuple[Waived, ...] = ()
    """Blockers whose waiver holds on the day scored: not in `blockers`, never hidden."""

    unused_waivers: tuple[str, ...] = ()
    """Questions with a waiver in the file but no blocker to waive (met now, or not in the
    bank): kept, shown, and in force again should the question become a blocker with the
    answer it was granted for."""

    @property
    def lapsed_waivers(self) -> tuple[Blocker, ...]:
        """Blockers that stand again because their waiver no longer holds."""
        return tuple(blocker for blocker in self.blockers if blocker.lapsed is not None)

    @property
    def weakest_section(self) -> SectionScore | None:
        """The section that decides the headline, if any section is scored."""
        return next((s for s in self.sections if s.id == self.weakest), None)

    @property
    def tied(self) -> bool:
        """Several sections share the lowest score: none of them alone is the weakest."""
        return len(self.lowest) > 1

    @property
    def unanswered_sections(self) -> tuple[SectionScore, ...]:
        """Sections with questions that apply and no answer at all: their score is 0 because
        nothing is known yet, not because anything was found missing."""
        return tuple(s for s in self.sections if s.total and not s.answered)

    @property
    def not_applicable(self) -> int:
        """Answers "not applicable" among the questions that apply."""
        return sum(section.not_applicable for section in self.sections)


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
    earlier: str = ""
    """What the team answered to the question of an earlier bank this one replaced, if any:
    "Operations owner assigned (bank 1.0.0): In place and evidenced"."""
    waived_until: date | None = None
    """For a blocker accepted on purpose: the last day its waiver holds (it is still a gap)."""


def answer_choice(bank: Bank, question: Question, answer: Answer | None) -> Choice | None:
    """The choice an answer picked, or None when there is none (or it is not offered)."""
    if answer is None or answer.choice is None:
        return None
    return _choices_by_id(bank, question).get(answer.choice)


# Scoring a portfolio scores a thousand pilots against one bank: what depends only on the bank
# (and the pilot's context) is worked out once. Kept by identity, the objects themselves held
# so an identity is never taken for another's; a bank is never hashed (that costs more).
_CHOICES: dict[tuple[int, int], tuple[Bank, Question, dict[str, Choice]]] = {}
_ASKED: dict[tuple[int, int, frozenset[str]], tuple[Bank, Section, tuple[_Asked, ...]]] = {}
_MEMO_LIMIT: Final = 10_000


def _choices_by_id(bank: Bank, question: Question) -> dict[str, Choice]:
    found = _CHOICES.get((id(bank), id(question)))
    if found is not None and found[0] is bank and found[1] is question:
        return found[2]
    index: dict[str, Choice] = {}
    for choice in bank.choices_for(question):
        index.setdefault(choice.id, choice)  # the first of a repeated id, as a search finds
    if len(_CHOICES) > _MEMO_LIMIT:
        _CHOICES.clear()
    _CHOICES[(id(bank), id(question))] = (bank, question, index)
    return index


@dataclass(frozen=True)
class _Asked:
    question: Question
    critical: bool


def _asked_in(bank: Bank, section: Section, options: frozenset[str]) -> tuple[_Asked, ...]:
    """The questions of SECTION that apply to a pilot of context OPTIONS, and which are
    critical for it."""
    key = (id(bank), id(section), options)
    found = _ASKED.get(key)
    if found is not None and found[0] is bank and found[1] is section:
        return found[2]
    asked = tuple(
        _Asked(question, is_critical(question, options))
        for question in section.questions
        if applies(question, options)
    )
    if len(_ASKED) > _MEMO_LIMIT:
        _ASKED.clear()
    _ASKED[key] = (bank, section, asked)
    return asked


def level_for(bank: Bank, score: float, caps: Iterable[str] = ()) -> tuple[Level, bool]:
    """The level a score reaches, held at the lowest of CAPS (level ids); and whether a cap held
    it below what the score reaches."""
    reached = [level for level in bank.levels if score >= level.min] or [bank.levels[0]]
    level = reached[-1]
    order = [each.id for each in bank.levels]
    lowest = min((order.index(cap) for cap in caps if cap in order), default=len(order))
    if lowest < order.index(level.id):
        return bank.levels[lowest], True
    return level, False


def _status(bank: Bank, level: Level) -> Status:
    if level is bank.levels[0]:
        return "red"
    return "green" if level is bank.levels[-1] else "amber"


def context_options(bank: Bank, context: Mapping[str, Sequence[str]]) -> frozenset[str]:
    """The context options that hold for a pilot: those chosen, and every option of a context
    question not answered yet (caution: no question drops out on a guess)."""
    options: set[str] = set()
    for facet in bank.contexts:
        chosen = context.get(facet.id)
        options.update(chosen if chosen else (option.id for option in facet.options))
    return frozenset(options)


def asked(bank: Bank, context: Mapping[str, Sequence[str]]) -> list[tuple[Section, list[Question]]]:
    """Each section with the questions that apply to a pilot of this context, in bank order."""
    options = context_options(bank, context)
    return [
        (section, [question for question in section.questions if applies(question, options)])
        for section in bank.sections
    ]


def applies(question: Question, options: frozenset[str]) -> bool:
    return not question.applies_when or any(o in options for o in question.applies_when)


def is_critical(question: Question, options: frozenset[str]) -> bool:
    return question.critical or any(o in options for o in question.critical_when)


def default_cap(bank: Bank, choice: Choice) -> str:
    """The cap of a choice that names none: the second level for an answer that is not in
    place or not known, the level below the top for a partial one."""
    if choice.unknown or not choice.score:
        return second_level(bank)
    return bank.levels[-2].id


def unanswered_cap(bank: Bank) -> str:
    """The cap of a critical question nobody answered: the rule's, or the second level."""
    return bank.rules.unanswered_cap or second_level(bank)


def not_applicable_cap(bank: Bank) -> str:
    """The cap of a critical question answered not applicable where it applies."""
    return bank.rules.not_applicable_cap or second_level(bank)


def needs_text(fields: Iterable[str]) -> str:
    """What an answer needs, in words: "an owner and a due date"."""
    return " and ".join(FIELD_NAMES.get(field, field) for field in fields)


def lacking_text(fields: Iterable[str]) -> str:
    """What an answer lacks, in words: "no owner and no due date"."""
    return " and ".join(LACKING.get(field, f"no {field}") for field in fields)


@dataclass(frozen=True)
class Judged:
    """How one applicable question counts: its points (None: left out of the score), and the
    cap and reason when it is a blocker."""

    choice: Choice | None
    points: float | None
    cap: str | None
    reason: str
    missing: tuple[str, ...]
    """The fields the answer lacks to count as its choice ("owner", "due"), if any."""


def judge(bank: Bank, question: Question, answer: Answer | None, *, critical: bool) -> Judged:
    """The one place that decides what an answer to an applicable question is worth."""
    choice = answer_choice(bank, question, answer)
    if choice is None:
        cap = unanswered_cap(bank)
        return Judged(None, 0.0, cap if critical else None, "critical and unanswered", ())
    if choice.not_applicable:
        if not critical:
            return Judged(choice, None, None, "", ())
        reason = answer.reason if answer is not None else ""
        return Judged(
            choice,
            0.0,
            not_applicable_cap(bank),
            f"critical, and it applies to this pilot; answered not applicable ({reason!r})",
            (),
        )
    missing = tuple(field for field in choice.needs if not _filled(answer, field))
    if missing:
        cap = unanswered_cap(bank)
        return Judged(
            choice,
            0.0,
            cap if critical else None,
            f"critical and answered {choice.label!r} with {lacking_text(missing)}: it counts "
            "as not in place",
            missing,
        )
    points = choice.score or 0.0
    if not critical or points >= FULL_SCORE:
        return Judged(choice, points, None, "", ())
    reason = (
        "critical and nobody knows whether it is in place"
        if choice.unknown
        else f"critical and answered {choice.label!r}"
    )
    cap = choice.critical_cap or default_cap(bank, choice)
    if question.all_or_nothing and _lower(bank, cap, second_level(bank)) != cap:
        cap = second_level(bank)
        reason += " (all or nothing: a control partly in place is one an attacker goes around)"
    return Judged(choice, points, cap, reason, ())


def _lower(bank: Bank, one: str, other: str) -> str:
    order = [level.id for level in bank.levels]
    return one if order.index(one) <= order.index(other) else other


def second_level(bank: Bank) -> str:
    return bank.levels[min(1, len(bank.levels) - 1)].id


FIELD_NAMES: Final = {"owner": "an owner", "due": "a due date"}
LACKING: Final = {"owner": "no owner", "due": "no due date"}


def _filled(answer: Answer | None, field: str) -> bool:
    return answer is not None and bool(getattr(answer, field))


def score_section(
    bank: Bank, section: Section, answers: Mapping[str, Answer], options: frozenset[str]
) -> tuple[SectionScore, list[Blocker]]:
    earned = possible = 0.0
    answered = unknown = not_applicable = total = 0
    blockers: list[Blocker] = []
    for asked in _asked_in(bank, section, options):
        question = asked.question
        total += 1
        judged = judge(bank, question, answers.get(question.id), critical=asked.critical)
        if judged.choice is not None:
            answered += 1
            unknown += judged.choice.unknown
            not_applicable += judged.choice.not_applicable
        if judged.cap is not None:
            blockers.append(
                Blocker(
                    question=question.id,
                    section=section.id,
                    title=question.title,
                    reason=judged.reason,
                    cap=judged.cap,
                )
            )
        if judged.points is None:
            continue
        possible += question.weight
        earned += question.weight * judged.points
    score = earned / possible if possible else None
    if score is None:
        # Nothing in the section applies, so nothing in it stands in the way.
        level = bank.levels[-1]
    else:
        level, _ = level_for(bank, score, (blocker.cap for blocker in blockers))
    result = SectionScore(
        id=section.id,
        title=section.title,
        label=section.label,
        score=score,
        answered=answered,
        total=total,
        unknown=unknown,
        not_applicable=not_applicable,
        blockers=len(blockers),
        level=level.id,
        status=_status(bank, level),
    )
    return result, blockers


def score(bank: Bank, assessment: Assessment, *, today: date | None = None) -> Scorecard:
    """The scorecard of ASSESSMENT. Waivers are judged on TODAY (by default the day it is in
    UTC): one that holds takes its blocker out of the level's reckoning, one that expired puts
    it back, saying so."""
    options = context_options(bank, assessment.context)
    sections: list[SectionScore] = []
    blockers: list[Blocker] = []
    for section in bank.sections:
        result, section_blockers = score_section(bank, section, assessment.answers, options)
        sections.append(result)
        blockers += section_blockers
    blockers, waived = apply_waivers(bank, blockers, assessment, today or utc_today())
    scored = [s for s in sections if s.score is not None]
    weakest = min(scored, key=lambda s: s.score or 0.0) if scored else None
    headline = (weakest.score or 0.0) if weakest is not None else 0.0
    # Scores apart only by rounding error (the same share, reached through other weights) are
    # the same score: telling one of them from the other would be arbitrary.
    lowest = tuple(
        s.id for s in scored if math.isclose(s.score or 0.0, headline, rel_tol=0, abs_tol=1e-9)
    )
    average = sum(s.score or 0.0 for s in scored) / len(scored) if scored else 0.0
    reached, _ = level_for(bank, headline)
    level, capped = level_for(bank, headline, (blocker.cap for blocker in blockers))
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
        reached=reached.id,
        assumed=tuple(
            facet.title for facet in bank.contexts if not assessment.context.get(facet.id)
        ),
        sections=tuple(sections),
        blockers=tuple(blockers),
        orphaned=tuple(orphaned_answers(assessment, bank)),
        unasked=tuple(
            question.id
            for _, question in bank.iter_questions()
            if not applies(question, options) and question.id in assessment.answers
        ),
        lowest=lowest,
        waived=waived,
        unused_waivers=tuple(
            question
            for question in assessment.waivers
            if question not in {blocker.question for blocker in blockers}
            and question not in {item.blocker.question for item in waived}
        ),
    )


def utc_today() -> date:
    return datetime.now(UTC).date()


def apply_waivers(
    bank: Bank, blockers: Sequence[Blocker], assessment: Assessment, today: date
) -> tuple[list[Blocker], tuple[Waived, ...]]:
    """BLOCKERS less those a waiver holds for on TODAY (the last day included), and those
    waived. A waiver holds for the answer it was granted for: the same blocker with a worse
    (or any other) answer is a risk nobody accepted, and stands, as does one whose waiver
    expired, each saying why. The one rule for waivers."""
    standing: list[Blocker] = []
    waived: list[Waived] = []
    index = bank.question_index()
    for blocker in blockers:
        waiver = assessment.waivers.get(blocker.question)
        answer = assessment.answers.get(blocker.question)
        now = (answer.choice if answer is not None else None) or ""
        if waiver is None:
            standing.append(blocker)
        elif waiver.answer != now:
            labels = {c.id: c.label for c in bank.choices_for(index[blocker.question][1])}
            then_label = labels.get(waiver.answer, waiver.answer) or "Unanswered"
            now_label = labels.get(now, now) or "Unanswered"
            lapse = (
                f"it was granted while the answer was {then_label!r}, and the answer is now "
                f"{now_label!r}"
            )
            standing.append(replace(blocker, lapsed=waiver, lapse=lapse))
        elif waiver.expires < today:
            lapse = f"it expired on {waiver.expires.isoformat()}"
            standing.append(replace(blocker, lapsed=waiver, lapse=lapse))
        else:
            waived.append(Waived(blocker, waiver))
    return standing, tuple(waived)


def action_plan(
    bank: Bank, assessment: Assessment, *, today: date | None = None
) -> list[ActionItem]:
    """Every gap among the questions that apply: blockers first, then by weight times gap (how
    much closing it moves its section), then in bank order. A waived blocker is still a gap,
    and still first: it says until when it is accepted."""
    options = context_options(bank, assessment.context)
    waived = (
        {
            item.blocker.question: item.waiver.expires
            for item in score(bank, assessment, today=today).waived
        }
        if assessment.waivers
        else {}
    )
    earlier_answers = _earlier_answers(bank, assessment.answers)
    items: list[tuple[tuple[bool, float, int], ActionItem]] = []
    for position, (section, question) in enumerate(bank.iter_questions()):
        if not applies(question, options):
            continue
        answer = assessment.answers.get(question.id)
        judged = judge(bank, question, answer, critical=is_critical(question, options))
        if judged.points is None or (judged.points >= FULL_SCORE and judged.cap is None):
            continue
        gap = FULL_SCORE - judged.points
        priority = question.weight * gap / FULL_SCORE
        label = judged.choice.label if judged.choice is not None else "Unanswered"
        if judged.missing:
            label = f"{label} ({lacking_text(judged.missing)}: counts as not in place)"
        blocker = judged.cap is not None
        earlier = earlier_answers.get(question.id, "")
        items.append(
            (
                (not blocker, -priority, position),
                ActionItem(
                    question=question.id,
                    section=section.id,
                    title=question.title,
                    text=question.text,
                    fix=question.fix,
                    answer=label,
                    gap=gap,
                    priority=priority,
                    blocker=blocker,
                    unknown=judged.choice is not None and judged.choice.unknown,
                    owner=answer.owner if answer is not None else "",
                    due=answer.due.isoformat() if answer is not None and answer.due else "",
                    earlier=earlier,
                    waived_until=waived.get(question.id),
                ),
            )
        )
    items.sort(key=lambda pair: pair[0])
    return [item for _, item in items]


def _earlier_answers(bank: Bank, answers: Mapping[str, Answer]) -> dict[str, str]:
    """For each current question, what was answered to the earlier questions it replaced."""
    labels = {choice.id: choice.label for choice in bank.choices}
    found: dict[str, list[str]] = {}
    for old in bank.retired:
        answer = answers.get(old.id)
        if answer is None or answer.choice is None:
            continue
        said = f"{old.title} (bank {old.version}): {labels.get(answer.choice, answer.choice)}"
        for new in old.replaced_by:
            found.setdefault(new, []).append(said)
    return {question: "; ".join(said) for question, said in found.items()}
