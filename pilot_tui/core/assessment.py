"""The assessment document: one team's answers to a bank, as kept in one TOML file."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Final, TypeVar

from pilot_tui.core.bank import ID_RE, Bank
from pilot_tui.core.limits import (
    MAX_ANSWERS,
    MAX_CONTEXT_CHANGES,
    MAX_LINE,
    MAX_MILESTONES,
    MAX_NOTES,
    MAX_PARTICIPANTS,
    MAX_TITLE,
    MIN_REASON,
)
from pilot_tui.core.records import FORBID_EXTRA, Check, Length, to_data, validated
from pilot_tui.core.text import check_line, check_notes

_Keyed = TypeVar("_Keyed")
"""What a dict keyed by question ids holds (answers, waivers)."""

ASSESSMENT_SCHEMA: Final = "pilot-tui/assessment"
ASSESSMENT_SCHEMA_VERSION: Final = 2
"""Version 2 added the pilot's context, its recorded changes, and milestones' context and bank
version; a version 1 file has none of them and reads as it always did."""

# What text a field may hold (no escape sequences, no text-direction tricks, no invisible
# characters in one-line fields) is decided in core/text.py, for banks and assessments alike.
Line = Annotated[str, Length(max=MAX_LINE), Check(check_line)]
Notes = Annotated[str, Length(max=MAX_NOTES), Check(check_notes)]
Title = Annotated[str, Length(min=1, max=MAX_TITLE), Check(check_line)]


def _as_utc(value: datetime) -> datetime:
    # TOML allows local date-times; they are taken to be UTC so every stamp compares.
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # 0001-01-01T00:00:00+01:00 is a valid TOML date-time but falls before year 1 in UTC;
        # pydantic passes only ValueError on as a validation error, so this would escape.
        raise ValueError("is out of range once converted to UTC") from None


Stamp = Annotated[datetime, Check(_as_utc)]

# The records below are made from outside data (a file) only through records.validate, and
# from values of the right types (what a person typed) by their constructor followed by
# records.check; both apply every annotation. The store checks a document once more before
# writing it, and reads the bytes back to compare, so a file it
# wrote always loads. Unknown keys are refused (FORBID_EXTRA).


@dataclass(frozen=True, kw_only=True)
class Answer:
    """What a team said about one question."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    choice: Line | None = None
    """The id of one of the question's choices; None while only notes are written.

    A Line, not any text: an answer to a question the bank does not have is kept and shown in
    reports with its choice as written, so it must not carry escape sequences either."""
    notes: Notes = ""
    owner: Line = ""
    due: date | None = None
    evidence: Line = ""
    """What shows the answer is true: a path in the repository, a web address, or words."""
    verified: date | None = None
    """When someone last checked that the evidence still shows it (evidence goes stale)."""
    reason: Line = ""
    """Why the question does not apply, when the choice is not applicable."""


@dataclass(frozen=True, kw_only=True)
class BankRef:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: Line
    version: Line


@dataclass(frozen=True, kw_only=True)
class Meta:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    title: Title
    team: Line = ""
    facilitator: Line = ""
    stage: Line = ""
    respondent: Line = ""
    """Who answered, when one person fills in a copy on their own (names them in a merge)."""
    created: Stamp
    updated: Stamp


def check_question_ids(answers: dict[str, _Keyed]) -> dict[str, _Keyed]:
    for key in answers:
        if not ID_RE.fullmatch(key):  # not .match: see ID_RE
            raise ValueError(f"question id {key[:40]!r} is not a valid id")
    return answers


Answers = Annotated[dict[str, Answer], Length(max=MAX_ANSWERS), Check(check_question_ids)]
"""Keyed by question id; answers to questions the bank does not know are kept as they are."""


@dataclass(frozen=True, kw_only=True)
class Participant:
    """One person's own answers, kept beside the team's after a merge."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    name: Title
    source: Line = ""
    """The file the answers were merged from."""
    answers: Answers = field(default_factory=dict)


def _check_context(context: dict[str, list[str]]) -> dict[str, list[str]]:
    for facet, options in context.items():
        for value in (facet, *options):
            if not ID_RE.fullmatch(value):
                raise ValueError(f"context id {value[:40]!r} is not a valid id")
        if len(set(options)) != len(options):
            raise ValueError(f"context {facet!r} names an option twice")
    return context


Context = Annotated[dict[str, list[str]], Length(max=50), Check(_check_context)]
"""What the pilot is, by the bank's context questions: facet id -> the option ids that hold
("system" -> ["llm-tools"], "serves" -> ["customers", "decisions"]). A facet left out is not
known yet: every option of it is assumed, so no question drops out on a guess."""


@dataclass(frozen=True, kw_only=True)
class ContextChange:
    """A change of the pilot's context, kept: it changes which questions count."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    at: Stamp
    before: Context = field(default_factory=dict)
    after: Context = field(default_factory=dict)
    reason: Line = ""
    """Why it changed: a change drops or adds questions, so it is never silent."""


@dataclass(frozen=True, kw_only=True)
class Milestone:
    """A named snapshot of the team's answers, to compare progress between workshops."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    label: Title
    created: Stamp
    answers: Answers = field(default_factory=dict)
    context: Context = field(default_factory=dict)
    """The context when the snapshot was taken (its scores are worked out with it)."""
    bank_version: Line = ""
    """The bank version the answers were given to; empty in files written before it was kept."""


@dataclass(frozen=True, kw_only=True)
class Waiver:
    """A blocker the organisation accepts on purpose, for a limited time: it no longer holds the
    level back, but it is always shown as waived, with who approved it and until when; once it
    expires the blocker stands again."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    reason: Annotated[str, Length(min=MIN_REASON, max=MAX_LINE), Check(check_line)]
    requester: Title
    """Who asks for the waiver (the pilot's owner, say)."""
    approver: Title
    """Who accepts the risk: never the requester."""
    expires: date
    """The last day the waiver holds."""
    answer: Line
    """The choice the question was answered with when the risk was accepted ("" for none):
    the waiver holds for that answer only."""
    granted: Stamp


def same_person(one: str, other: str) -> bool:
    """Whether two names are one person's, however spaced, capitalised or encoded ("Ana" and
    " ana ", fullwidth letters, accents composed or not)."""

    def key(name: str) -> str:
        return " ".join(unicodedata.normalize("NFKC", name).casefold().split())

    return key(one) == key(other)


def _check_waivers(waivers: dict[str, Waiver]) -> dict[str, Waiver]:
    check_question_ids(waivers)
    for question, waiver in waivers.items():
        if same_person(waiver.requester, waiver.approver):
            raise ValueError(
                f"the waiver of {question!r} is approved by its own requester "
                f"({waiver.approver!r}): someone else must accept the risk"
            )
    return waivers


def _check_participant_ids(participants: dict[str, Participant]) -> dict[str, Participant]:
    for key in participants:
        if not ID_RE.fullmatch(key):
            raise ValueError(f"participant id {key[:40]!r} is not a valid id")
    return participants


def _check_milestone_labels(milestones: list[Milestone]) -> list[Milestone]:
    labels = [milestone.label for milestone in milestones]
    duplicates = sorted({label for label in labels if labels.count(label) > 1})
    if duplicates:
        raise ValueError(f"milestone label {duplicates[0]!r} is used twice")
    return milestones


@dataclass(frozen=True, kw_only=True)
class Assessment:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    schema: str = ASSESSMENT_SCHEMA
    schema_version: int = ASSESSMENT_SCHEMA_VERSION
    bank: BankRef
    meta: Meta
    answers: Answers = field(default_factory=dict)
    """The team's answers (the consensus, after a merge)."""
    participants: Annotated[
        dict[str, Participant], Length(max=MAX_PARTICIPANTS), Check(_check_participant_ids)
    ] = field(default_factory=dict)
    """Each person's own answers, keyed by a participant id made from their name."""
    milestones: Annotated[
        list[Milestone], Length(max=MAX_MILESTONES), Check(_check_milestone_labels)
    ] = field(default_factory=list)
    """Oldest first."""
    context: Context = field(default_factory=dict)
    context_changes: Annotated[list[ContextChange], Length(max=MAX_CONTEXT_CHANGES)] = field(
        default_factory=list
    )
    """Oldest first."""
    waivers: Annotated[dict[str, Waiver], Length(max=MAX_ANSWERS), Check(_check_waivers)] = field(
        default_factory=dict
    )
    """Accepted risks, keyed by the question whose blocker they waive."""

    def to_data(self) -> dict[str, Any]:
        """The document as plain data for TOML: native dates kept, empty fields left out."""
        data: dict[str, Any] = to_data(self)
        # The schema lines are written even though they hold their defaults: they say what
        # the file is.
        return {"schema": self.schema, "schema_version": self.schema_version, **data}


def now_utc() -> datetime:
    """The time stamps in files carry whole seconds: they are for people, not ordering."""
    return datetime.now(UTC).replace(microsecond=0)


def new_assessment(
    bank: Bank,
    title: str,
    *,
    team: str = "",
    facilitator: str = "",
    stage: str = "",
    respondent: str = "",
    context: dict[str, list[str]] | None = None,
    now: datetime,
) -> Assessment:
    meta = Meta(
        title=title.strip(),
        team=team.strip(),
        facilitator=facilitator.strip(),
        stage=stage.strip(),
        respondent=respondent.strip(),
        created=now,
        updated=now,
    )
    validated(meta)
    chosen = dict(context or {})
    problems = context_problems(bank, chosen)
    if problems:
        raise ValueError(problems[0])
    # The bank's id and version passed its own validation.
    return Assessment(bank=BankRef(id=bank.id, version=bank.version), meta=meta, context=chosen)


def with_context(
    assessment: Assessment,
    bank: Bank,
    context: dict[str, list[str]],
    *,
    reason: str,
    now: datetime,
) -> Assessment:
    """A copy with the pilot's context changed, and the change recorded with its REASON
    (ValueError for a context the bank does not offer, a reason that says nothing, or when it
    is full of recorded changes)."""
    problems = context_problems(bank, context)
    if problems:
        raise ValueError(problems[0])
    if context == assessment.context:
        return assessment
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValueError(
            "a change of context needs a reason (it changes which questions count): say why, "
            f"in {MIN_REASON} characters or more"
        )
    if len(assessment.context_changes) >= MAX_CONTEXT_CHANGES:
        raise ValueError(f"the context has been changed {MAX_CONTEXT_CHANGES} times, the limit")
    change = ContextChange(at=now, before=assessment.context, after=dict(context), reason=reason)
    validated(change)
    return replace(
        assessment,
        context=dict(context),
        context_changes=[*assessment.context_changes, change],
        meta=replace(assessment.meta, updated=now),
    )


def context_problems(bank: Bank, context: dict[str, list[str]]) -> list[str]:
    """What makes a context meaningless for BANK, one line each."""
    problems: list[str] = []
    facets = {facet.id: facet for facet in bank.contexts}
    for facet_id, options in context.items():
        facet = facets.get(facet_id)
        if facet is None:
            known = ", ".join(facets) or "none"
            problems.append(f"context {facet_id!r} is not one of this bank's ({known})")
            continue
        offered = [option.id for option in facet.options]
        for option in options:
            if option not in offered:
                problems.append(
                    f"context {facet_id}: {option!r} is not one of {', '.join(offered)}"
                )
        if not options:
            problems.append(f"context {facet_id}: choose at least one of {', '.join(offered)}")
        elif not facet.multiple and len(options) > 1:
            problems.append(f"context {facet_id}: choose one of {', '.join(offered)}, not several")
    return problems


def with_answer(
    assessment: Assessment, question_id: str, answer: Answer | None, *, now: datetime
) -> Assessment:
    """A copy of the assessment with one answer set (or removed, given None)."""
    answers = dict(assessment.answers)
    if answer is None:
        answers.pop(question_id, None)
    else:
        answers[question_id] = answer
    return replace(assessment, answers=answers, meta=replace(assessment.meta, updated=now))


_KEEP: Final = object()


def edit_answer(
    bank: Bank, question_id: str, current: Answer | None, *, choice: object = _KEEP, **fields: Any
) -> Answer:
    """CURRENT with a new CHOICE (a choice id, or None for none) and FIELDS (notes, owner,
    due, evidence, reason) changed: the one place the rules of an answer are kept.

    - The choice must be one the question offers now (an answer already on a retired choice
      of an earlier scale may keep it, but not take it up anew).
    - A reason belongs to a not-applicable answer only, which needs one; another choice drops it.
    - Not applicable leaves nothing to do: it takes no owner or due date, and drops any it had.
    - New evidence has not been verified: the old evidence's date goes, unless one is given.
    - Every field within its limits (records.check).
    Raises ValueError with one line saying what is wrong.
    """
    found = bank.question_index().get(question_id)
    if found is None:
        raise ValueError(f"no question {question_id!r} in bank {bank.id!r}")
    question = found[1]
    base = current or Answer()
    choice_id = base.choice if choice is _KEEP else choice
    if choice_id is not None and not isinstance(choice_id, str):
        raise ValueError("a choice is a choice id")
    picked = None
    if choice_id is not None:
        offered = {c.id: c for c in bank.choices_for(question)}
        picked = offered.get(choice_id)
        if picked is None or (picked.retired and choice_id != base.choice):
            now_offered = ", ".join(c.id for c in bank.offered_choices(question))
            raise ValueError(f"choice {choice_id!r} is not one of {now_offered}")
    label = picked.label if picked is not None else ""
    not_applicable = picked is not None and picked.not_applicable
    if fields.get("reason") and not not_applicable:
        raise ValueError(f"a reason is only for a not-applicable answer, not {choice_id!r}")
    if not_applicable and (fields.get("owner") or fields.get("due")):
        raise ValueError(f"{label!r} takes no owner or due date: nothing is left to do")
    changes: dict[str, Any] = {"choice": choice_id, **fields}
    if "evidence" in fields and fields["evidence"] != base.evidence and "verified" not in fields:
        # The day someone checked the old evidence says nothing about the new.
        changes["verified"] = None
    if not_applicable:
        changes.update(owner="", due=None)
    else:
        changes["reason"] = ""
    answer = replace(base, **changes)
    validated(answer)
    if not_applicable and len(answer.reason.strip()) < MIN_REASON:
        raise ValueError(
            f"{label!r} needs a reason: why does the question not apply? (in {MIN_REASON} "
            "characters or more)"
        )
    return answer


def with_meta(assessment: Assessment, *, now: datetime, **changes: str) -> Assessment:
    """A copy with metadata fields changed (title, team, facilitator, stage), checked."""
    meta = replace(assessment.meta, **changes, updated=now)  # type: ignore[arg-type]
    validated(meta)
    return replace(assessment, meta=meta)


def check_against_bank(assessment: Assessment, bank: Bank) -> list[str]:
    """Problems that make the answers meaningless for this bank, one line each.

    Answers to questions the bank does not know are not problems: they are kept (orphaned).
    """
    if assessment.bank.id != bank.id:
        return [
            f"answered against bank {assessment.bank.id!r}, but the bank in use is {bank.id!r} "
            "(choose the right one with --bank)"
        ]
    problems: list[str] = list(context_problems(bank, assessment.context))
    problems += _check_answers(bank, "answers", assessment.answers)
    for participant_id, participant in assessment.participants.items():
        problems += _check_answers(
            bank, f"participants, {participant_id}, answers", participant.answers
        )
    return problems


def _check_answers(bank: Bank, where: str, answers: dict[str, Answer]) -> list[str]:
    problems: list[str] = []
    index = bank.question_index()
    for question_id, answer in answers.items():
        found = index.get(question_id)
        if found is None or answer.choice is None:
            continue
        choices = {choice.id: choice for choice in bank.choices_for(found[1])}
        choice = choices.get(answer.choice)
        if choice is None:
            # (A retired choice still reads; the ones named are those a person picks now.)
            offered = ", ".join(c.id for c in bank.offered_choices(found[1]))
            problems.append(
                f"{where}, {question_id}: choice {answer.choice!r} is not one of {offered}"
            )
        elif choice.not_applicable and not answer.reason.strip():
            problems.append(f"{where}, {question_id}: not applicable needs a reason")
    return problems


def orphaned_answers(assessment: Assessment, bank: Bank) -> list[str]:
    """Question ids answered in the file that the bank does not have, in file order."""
    index = bank.question_index()
    return [question_id for question_id in assessment.answers if question_id not in index]
