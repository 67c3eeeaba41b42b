"""Merging people's own answers into one team assessment, and finding where they disagree.

Each person answers alone, then the facilitator merges the files. The merged assessment keeps
every person's answers verbatim (notes and orphaned answers included) as participants, beside a
consensus that the scorecard reads. Pure functions: the files are read by the caller.

The consensus for a question, over the participants who chose an answer to it:

- the most common choice; a tie goes to the more cautious choice: the lower score, then
  "don't know" before another choice of the same score (it is also counted as a risk), then the
  bank's order of choices. Not applicable is a choice of its own and loses every tie to a scored
  choice, because leaving a question out of the score is the least cautious answer of all;
- a not-applicable consensus takes its reason from the first participant (by participant id)
  who chose it, and has no owner or due date (nothing is left to do);
- owner, due date and evidence come only from the participants who gave the team's answer: each
  is kept when all of them who set one set the same, else left empty (each person's own stays
  under their name);
- notes stay with the people who wrote them: the consensus has none.

Only the bank's questions get a consensus: an orphaned answer has no scale to settle a tie on,
so it stays with its participant.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath
from typing import Final, TypeVar

from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    BankRef,
    Meta,
    Participant,
    Waiver,
    check_against_bank,
)
from pilot_tui.core.bank import FULL_SCORE, Bank, Question
from pilot_tui.core.limits import MAX_LINE, MAX_PARTICIPANTS
from pilot_tui.core.problems import and_more
from pilot_tui.core.records import InvalidData, validated
from pilot_tui.core.text import slug

_SUFFIX: Final = ".toml"
_ID_MAX: Final = 64


class MergeError(ValueError):
    """Files that cannot be merged: one line naming the file(s) and the problem."""


@dataclass(frozen=True)
class MergeInput:
    source: str
    """The file name the assessment was read from, e.g. "ana.toml"."""
    assessment: Assessment


@dataclass(frozen=True)
class Disagreement:
    question: str
    section: str
    title: str
    answers: tuple[tuple[str, str | None], ...]
    """(participant name, choice id or None when they gave none), sorted by name."""
    spread: float
    """0 to 1: the distance between the highest and lowest score given (n/a left out)."""
    distinct: int
    """How many different choices were given."""
    applicability: bool = False
    """Some answered "not applicable" and others scored the question: they disagree on whether
    it counts at all, which the spread (on the score scale, n/a left out) cannot show."""


def participant_id(name: str) -> str:
    """The id a participant is keyed by: the name in lowercase ASCII letters, digits and dashes.

    "Ana" and "ana" get the same id on purpose: they are the same person answering twice.
    """
    found = slug(name, _ID_MAX)
    if found:
        return found
    # A name with no ASCII letters or digits (李明) would slug to nothing; a digest of the name
    # keeps such people apart from each other and gives the same person the same id every time.
    return "p-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]


def merge(
    bank: Bank,
    inputs: Sequence[MergeInput],
    *,
    title: str | None = None,
    now: datetime,
) -> Assessment:
    """One assessment holding every input's participants and their consensus.

    The same inputs in any order give the same assessment, so its dates come from the inputs
    (the earliest created, the latest updated), not from NOW: merging the same files twice gives
    the same file. NOW is taken so that callers pass the clock the way they do everywhere else.
    """
    if not inputs:
        raise MergeError("nothing to merge: give one or more assessment files")
    contributions = [(item, _participants_of(bank, item)) for item in inputs]
    participants: dict[str, Participant] = {}
    sources: dict[str, str] = {}
    for item, people in contributions:
        for pid, person in people:
            if pid in participants:
                raise MergeError(
                    f"two files from participant {pid!r}: {sources[pid]} and {item.source}"
                )
            participants[pid] = person
            sources[pid] = item.source
    if len(participants) > MAX_PARTICIPANTS:
        # Named like every other input error, so the user knows which files brought them.
        files = [item.source for item in inputs]
        named = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
        raise MergeError(
            f"{named}: {len(participants)} participants are more than the {MAX_PARTICIPANTS} "
            "one assessment holds"
        )
    # Participant ids are unique across the inputs, so ordering the inputs by their first one
    # gives one order whatever order they came in.
    contributions.sort(key=lambda contribution: contribution[1][0][0])
    ordered = [item.assessment for item, _ in contributions]
    by_id = dict(sorted(participants.items()))
    return Assessment(
        bank=BankRef(id=bank.id, version=bank.version),
        meta=_merged_meta(ordered, title),
        answers=_consensus(bank, by_id),
        participants=by_id,
        context=_agreed_context(ordered),
        waivers=_waivers(ordered),
    )


def _waivers(assessments: list[Assessment]) -> dict[str, Waiver]:
    """Every input's waivers; where two waive one blocker differently, the one that ends first
    (cautious: the risk is accepted for no longer than everyone accepted it)."""
    waivers: dict[str, Waiver] = {}
    for assessment in assessments:
        for question, waiver in assessment.waivers.items():
            kept = waivers.get(question)
            if kept is None or (waiver.expires, waiver.granted) < (kept.expires, kept.granted):
                waivers[question] = waiver
    return dict(sorted(waivers.items()))


def context_disagreements(assessments: Sequence[Assessment]) -> list[str]:
    """The context questions (facet ids) the inputs answered differently: a merge leaves them
    open, every option counting, until the team chooses; never silently."""
    facets = dict.fromkeys(facet for a in assessments for facet in a.context)
    return [
        facet
        for facet in facets
        if len({tuple(sorted(a.context[facet])) for a in assessments if a.context.get(facet)}) > 1
    ]


def _agreed_context(assessments: list[Assessment]) -> dict[str, list[str]]:
    """Each context question the inputs that answered it agree on; one they answered
    differently is left open, so every option counts (cautious) until the team chooses."""
    context: dict[str, list[str]] = {}
    facets = dict.fromkeys(facet for a in assessments for facet in a.context)
    for facet in facets:
        given = {tuple(sorted(a.context[facet])) for a in assessments if a.context.get(facet)}
        if len(given) == 1:
            context[facet] = list(given.pop())
    return context


def _participants_of(bank: Bank, item: MergeInput) -> list[tuple[str, Participant]]:
    """The input's people, sorted by id: the person who answered it, or a merge's participants."""
    problems = check_against_bank(item.assessment, bank)
    if problems:
        raise MergeError(f"{item.source}: {and_more(problems)}")
    assessment = item.assessment
    if assessment.participants:
        # A merged file brings its people, not its consensus: that is worked out again over
        # everyone, so merging in two steps gives what merging in one would.
        return [
            (pid, _participant(item, person.name, person.source or item.source, person.answers))
            for pid, person in sorted(assessment.participants.items())
        ]
    name = assessment.meta.respondent.strip() or PurePath(item.source).name.removesuffix(_SUFFIX)
    return [(participant_id(name), _participant(item, name, item.source, assessment.answers))]


def _participant(
    item: MergeInput, name: str, source: str, answers: dict[str, Answer]
) -> Participant:
    try:
        person = Participant(name=name, source=source, answers=dict(answers))
        validated(person)
        return person
    except InvalidData as error:
        raise MergeError(f"{item.source}: participant {error}") from None


def titles(assessments: Sequence[Assessment]) -> list[str]:
    """The different titles ASSESSMENTS have (told apart ignoring case and spacing), the most
    common first, a tie in alphabetical order."""
    counts: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for assessment in assessments:
        key = _title_key(assessment.meta.title)
        counts[key] = counts.get(key, 0) + 1
        spelled.setdefault(key, assessment.meta.title.strip())
    return [spelled[key] for key in sorted(counts, key=lambda key: (-counts[key], key))]


def different_pilots(assessments: Sequence[Assessment]) -> list[str]:
    """The titles of ASSESSMENTS when they seem to name different pilots, which a merge should
    not mix without the user knowing; [] when they name one. A title that begins another names
    the same pilot ("Claims bot" and "Claims bot (Ana's answers)")."""
    named = titles(assessments)
    keys = [_title_key(title) for title in named]
    if all(a.startswith(b) or b.startswith(a) for a in keys for b in keys):
        return []
    return named


def _title_key(title: str) -> str:
    return " ".join(title.split()).casefold()


def _merged_meta(ordered: list[Assessment], title: str | None) -> Meta:
    try:
        meta = Meta(
            # The title most files have: the same whatever order the files come in.
            title=titles(ordered)[0] if title is None else title.strip(),
            team=_first_set(a.meta.team for a in ordered),
            facilitator=_first_set(a.meta.facilitator for a in ordered),
            stage=_first_set(a.meta.stage for a in ordered),
            created=min(a.meta.created for a in ordered),
            updated=max(a.meta.updated for a in ordered),
        )
        validated(meta)
        return meta
    except InvalidData as error:
        raise MergeError(f"merged assessment: {error}") from None


def _first_set(values: Iterable[str]) -> str:
    return next((value for value in values if value), "")


def _consensus(bank: Bank, people: dict[str, Participant]) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    for _, question in bank.iter_questions():
        given = [
            person.answers[question.id]
            for person in people.values()
            if question.id in person.answers
        ]
        chosen = [(answer.choice, answer) for answer in given if answer.choice is not None]
        if not chosen:
            continue
        choice = most_common(bank, question, [choice_id for choice_id, _ in chosen])
        # Only the people who gave the team's answer speak for its details: the owner of a
        # "partly" is not the owner of a "not in place".
        backing = [answer for choice_id, answer in chosen if choice_id == choice]
        evidence = _agreed(backing, lambda answer: answer.evidence) or ""
        if _is_not_applicable(bank, question, choice):
            # Nothing is left to do about a question that does not apply: no owner, no date.
            answers[question.id] = Answer(
                choice=choice, evidence=evidence, reason=backing[0].reason
            )
            continue
        # Every owner they named, and the soonest date any of them gave: a plan two people
        # own is still a plan (dropping both owners made it count as not in place, below what
        # each of them had answered), and the team is held to the earliest promise.
        owners = list(dict.fromkeys(answer.owner.strip() for answer in backing if answer.owner))
        dues = [answer.due for answer in backing if answer.due is not None]
        answers[question.id] = Answer(
            choice=choice,
            owner=_joined(owners),
            due=min(dues) if dues else None,
            evidence=evidence,
        )
    return answers


def _joined(owners: list[str]) -> str:
    """The owners as one line, within an answer's limit."""
    line = ", ".join(owners)
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def most_common(bank: Bank, question: Question, choices: list[str]) -> str:
    counts = Counter(choices)
    offered = bank.choices_for(question)
    order = {choice.id: (position, choice) for position, choice in enumerate(offered)}

    def caution(choice_id: str) -> tuple[float, bool, int]:
        # Choices the bank does not offer cannot reach here: every input was checked against it.
        position, choice = order[choice_id]
        points = float("inf") if choice.score is None else choice.score
        return points, not choice.unknown, position

    return min(counts, key=lambda choice_id: (-counts[choice_id], caution(choice_id)))


def _is_not_applicable(bank: Bank, question: Question, choice_id: str) -> bool:
    return any(c.not_applicable for c in bank.choices_for(question) if c.id == choice_id)


_Value = TypeVar("_Value")


def _agreed(answers: list[Answer], field: Callable[[Answer], _Value | None]) -> _Value | None:
    """The value everyone who set one agrees on; None when nobody set it or they differ."""
    values = {value for value in map(field, answers) if value}
    return values.pop() if len(values) == 1 else None


def spread(bank: Bank, question: Question, choices: Iterable[str | None]) -> float:
    """How far apart CHOICES (ids, one per person) are: the highest score minus the lowest, from
    0 (all agree) to 1 (as far apart as the scale goes). No answer, "not applicable" and choices
    the bank does not offer have no score and are not counted."""
    scale = {choice.id: choice.score for choice in bank.choices_for(question)}
    scores = [
        points
        for choice in choices
        if choice is not None and (points := scale.get(choice)) is not None
    ]
    return (max(scores) - min(scores)) / FULL_SCORE if scores else 0.0


def disagreements(bank: Bank, assessment: Assessment) -> list[Disagreement]:
    """The questions the participants answered differently, in a way that changes the score,
    most disputed first.

    Disputed: their scores are apart (a spread above 0), or some say the question does not apply
    while others score it (whether it counts at all). Different choices worth the same ("not in
    place" and "don't know", both 0) are not a dispute about the pilot: the score is the same
    whoever is right (and the report lists each "don't know" among its unknowns, with who).
    Most disputed: the widest spread of scores, then the most different choices, then bank order.
    Someone who gave no answer is not counted as a choice of their own.
    """
    if len(assessment.participants) < 2:
        return []
    people = sorted(
        ((person.name, pid, person) for pid, person in assessment.participants.items()),
        key=lambda entry: entry[:2],
    )
    found: list[tuple[int, Disagreement]] = []
    for order, (section, question) in enumerate(bank.iter_questions()):
        given = [
            (name, person.answers[question.id].choice if question.id in person.answers else None)
            for name, _, person in people
        ]
        distinct = {choice for _, choice in given if choice is not None}
        if len(distinct) < 2:
            continue
        apart = spread(bank, question, [choice for _, choice in given])
        applicability = _split_on_applying(bank, question, distinct)
        if not apart and not applicability:
            continue
        found.append(
            (
                order,
                Disagreement(
                    question=question.id,
                    section=section.id,
                    title=question.title,
                    answers=tuple(given),
                    spread=apart,
                    distinct=len(distinct),
                    applicability=applicability,
                ),
            )
        )
    found.sort(key=lambda pair: (-pair[1].spread, -pair[1].distinct, pair[0]))
    return [disagreement for _, disagreement in found]


def _split_on_applying(bank: Bank, question: Question, choices: Iterable[str]) -> bool:
    """Whether CHOICES hold both "not applicable" and a scored choice."""
    kinds = {choice.id: choice for choice in bank.choices_for(question)}
    found = [kinds[choice] for choice in choices if choice in kinds]
    return any(c.not_applicable for c in found) and any(c.score is not None for c in found)
