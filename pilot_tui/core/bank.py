"""The question bank: sections of questions, the answer scale, the readiness levels, the
contexts a question depends on, and the rules that hold a pilot back.

A bank is data (a TOML file); this module only describes and checks its shape. Reading the
file is the store's job, so the core stays free of I/O. What the rules mean for a score is
scoring's job (core/scoring.py); they are checked here so that no bank can make a critical
question stop counting.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Final

from pilot_tui.core.limits import MAX_ANSWERS, MAX_LINE, MAX_NOTES
from pilot_tui.core.problems import describe_location as describe_location
from pilot_tui.core.records import FORBID_EXTRA, Check, InvalidData, Length, Strict, validate
from pilot_tui.core.text import check_line, check_notes

BANK_SCHEMA: Final = "pilot-tui/bank"
BANK_SCHEMA_VERSION: Final = 2
"""Version 2 added contexts, caps, the rules table, retired questions and choices; a version 1
bank has none of them and gets the default rules (see Rules)."""
READABLE_BANK_VERSIONS: Final = (1, 2)
FULL_SCORE: Final = 100.0
ANSWER_FIELDS: Final = ("owner", "due")
"""What a choice may need filled in to count (see Choice.needs)."""

ID_PATTERN: Final = r"^[a-z0-9][a-z0-9._-]{0,63}$"
ID_RE: Final = re.compile(ID_PATTERN)
"""Use ID_RE.fullmatch: with .match, `$` also matches before a final newline, so "q1\n" passed."""


# Numbers and flags are strict: in lax mode pydantic reads `weight = true` as 1.0 and
# `critical = "no"` or `critical = 1` as flags, so a wrong type in a bank would pass unnoticed.
# (Strict floats still take TOML integers such as `score = 100`.)
_Number = Annotated[float, Strict()]
_Flag = Annotated[bool, Strict()]
# A bank's text reaches the terminal and the reports as it is written, so it obeys the same
# character rules as an assessment's (core/text.py): names and labels are one printable line,
# prose (the question, why, fix, evidence, descriptions) may have newlines but no escapes.
# Ids are checked against ID_PATTERN by check_bank, which says what an id may be.
_Id = Annotated[str, Length(min=1)]
_Label = Annotated[str, Length(min=1, max=MAX_LINE), Check(check_line)]
_Prose = Annotated[str, Length(min=1, max=MAX_NOTES), Check(check_notes)]
_OptionalLabel = Annotated[str, Length(max=MAX_LINE), Check(check_line)]
_OptionalProse = Annotated[str, Length(max=MAX_NOTES), Check(check_notes)]


# Unknown keys are refused (FORBID_EXTRA) so that a typo in a bank is reported, not ignored.
@dataclass(frozen=True, kw_only=True)
class Choice:
    """One answer a question accepts."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    label: _Label
    score: _Number | None = None
    """0 to 100; None only for the not-applicable choice, which is left out of the score."""
    unknown: _Flag = False
    """A "don't know" answer: scored like its score, and counted as a risk of its own."""
    not_applicable: _Flag = False
    """Left out of the score; the answer must carry a reason. On a critical question that
    applies to the pilot's context it is not allowed to drop out: see Rules."""
    needs: tuple[_Id, ...] = ()
    """Answer fields ("owner", "due") this choice counts only with: a plan without an owner and
    a date is no plan, and scores as not in place until they are given."""
    critical_cap: _Id | None = None
    """The id of the highest level a pilot can reach while a critical question has this answer.
    None: the default (the second level for a choice scoring 0 or "don't know", the level below
    the top for one scoring more). Never the top level: a critical question not fully met always
    holds a pilot back."""
    retired: _Flag = False
    """From an earlier version of the scale: still read in files and shown as written, scored
    as its score, but no longer offered as an answer."""


@dataclass(frozen=True, kw_only=True)
class Question:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    """A short label for lists and the command palette."""
    text: _Prose
    why: _Prose
    fix: _Prose
    evidence: _Prose
    weight: _Number = 1.0
    critical: _Flag = False
    """While not fully met, the question is a blocker and holds the level back (see Rules)."""
    critical_when: tuple[_Id, ...] = ()
    """Context options (ids) that make the question critical where it is not always."""
    all_or_nothing: _Flag = False
    """Where it is critical, anything short of fully met holds the pilot at the second level:
    a control that is partly in place (some tools limited, some injections tested) is one an
    attacker goes around."""
    applies_when: tuple[_Id, ...] = ()
    """Context options (ids) the question applies to; empty: to every pilot."""
    choices: tuple[Choice, ...] | None = None
    """Overrides the bank's default scale for this question."""


@dataclass(frozen=True, kw_only=True)
class Section:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    short_title: _OptionalLabel = ""
    """A few words for narrow places (the section list, the scorecard); the title if empty."""
    summary: _OptionalProse = ""
    questions: tuple[Question, ...]

    @property
    def label(self) -> str:
        return self.short_title or self.title


@dataclass(frozen=True, kw_only=True)
class Level:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    min: _Number
    """The lowest headline score (0 to 100) that reaches this level."""
    description: _OptionalProse = ""


@dataclass(frozen=True, kw_only=True)
class ContextOption:
    """One answer to a context question: "a language model that acts through tools"."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    label: _Label
    description: _OptionalProse = ""


@dataclass(frozen=True, kw_only=True)
class ContextFacet:
    """One thing about a pilot that decides which questions apply: what kind of system it is,
    whom it serves. Chosen when an assessment is created, changeable later (recorded)."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    question: _Prose
    multiple: _Flag = False
    """Several options may hold at once (it serves customers and decides about money)."""
    options: tuple[ContextOption, ...]


@dataclass(frozen=True, kw_only=True)
class Rules:
    """The caps that are not a choice's own (see Choice.critical_cap): level ids, or None for
    the default, the second level."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    unanswered_cap: _Id | None = None
    """A critical question nobody has answered yet."""
    not_applicable_cap: _Id | None = None
    """A critical question answered not applicable although it applies to the pilot's context:
    the answer stays a blocker, shown with its reason."""


@dataclass(frozen=True, kw_only=True)
class RetiredQuestion:
    """A question of an earlier version of the bank: its answers are kept and shown beside the
    questions that replaced it, so that a team sees what it said and answers the new one."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    text: _Prose
    version: _Label
    """The bank version it was last asked in."""
    replaced_by: tuple[_Id, ...] = ()
    """The current questions that ask what it asked, if any."""
    change: _Prose
    """Why it changed, in a sentence."""


@dataclass(frozen=True, kw_only=True)
class Bank:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    schema: str
    schema_version: Annotated[int, Strict()]
    id: _Id
    version: _Label
    title: _Label
    description: _OptionalProse = ""
    choices: tuple[Choice, ...]
    levels: tuple[Level, ...]
    rules: Rules = Rules()
    contexts: tuple[ContextFacet, ...] = ()
    sections: tuple[Section, ...]
    retired: tuple[RetiredQuestion, ...] = ()

    def iter_questions(self) -> Iterator[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question_index(self) -> dict[str, tuple[Section, Question]]:
        return {question.id: (section, question) for section, question in self.iter_questions()}

    def choices_for(self, question: Question) -> tuple[Choice, ...]:
        """Every choice an answer may hold, retired ones included."""
        return question.choices if question.choices is not None else self.choices

    def offered_choices(self, question: Question) -> tuple[Choice, ...]:
        """The choices a person picks from now: the retired ones left out."""
        return tuple(choice for choice in self.choices_for(question) if not choice.retired)

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels if level.id == level_id), None)

    def facet_of(self, option_id: str) -> ContextFacet | None:
        """The context question an option answers."""
        return next(
            (facet for facet in self.contexts if any(o.id == option_id for o in facet.options)),
            None,
        )

    def retired_question(self, question_id: str) -> RetiredQuestion | None:
        return next((old for old in self.retired if old.id == question_id), None)


class BankError(ValueError):
    """A bank that cannot be used; `problems` holds one line for each thing wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems")
        self.problems = problems


def parse_bank(data: Mapping[str, Any]) -> Bank:
    """Validate raw bank data (as read from TOML), or raise BankError with every problem."""
    schema = data.get("schema")
    version = data.get("schema_version")
    if schema != BANK_SCHEMA:
        raise BankError([f"schema: expected {BANK_SCHEMA!r}, found {schema!r}; this is not a bank"])
    # `True == 1` in Python, so a boolean is refused by type as well as by value.
    if version not in READABLE_BANK_VERSIONS or isinstance(version, bool):
        readable = " and ".join(map(str, READABLE_BANK_VERSIONS))
        raise BankError(
            [f"schema_version: this pilot-tui reads versions {readable}, found {version!r}"]
        )
    try:
        bank = validate(Bank, data)
    except InvalidData as error:
        raise BankError(error.problems) from None
    problems = check_bank(bank)
    if problems:
        raise BankError(problems)
    return bank


def check_bank(bank: Bank) -> list[str]:
    """Every problem in a well-typed bank that would make its scores meaningless."""
    problems: list[str] = []
    _check_id(problems, "bank", bank.id)
    levels = [level.id for level in bank.levels]
    problems += _check_scale("default choices", bank.choices, levels)
    problems += _check_levels(bank.levels)
    problems += _check_rules(bank.rules, levels)
    options = _check_contexts(bank.contexts, problems)
    if not bank.sections:
        problems.append("sections: the bank has no sections")
    section_ids: set[str] = set()
    question_ids: dict[str, str] = {}
    for section in bank.sections:
        where = f"section {section.id!r}"
        _check_id(problems, where, section.id)
        if section.id in section_ids:
            problems.append(f"{where}: duplicate section id")
        section_ids.add(section.id)
        if not section.questions:
            problems.append(f"{where}: has no questions")
        for question in section.questions:
            qwhere = f"{where}, question {question.id!r}"
            _check_id(problems, qwhere, question.id)
            if question.id in question_ids:
                problems.append(
                    f"{qwhere}: duplicate question id (also in section "
                    f"{question_ids[question.id]!r})"
                )
            question_ids.setdefault(question.id, section.id)
            if not 0 < question.weight <= 100:
                problems.append(f"{qwhere}: weight must be above 0 and at most 100")
            if question.choices is not None:
                problems += _check_scale(f"{qwhere} choices", question.choices, levels)
            for key in ("applies_when", "critical_when"):
                for option in getattr(question, key):
                    if option not in options:
                        problems.append(f"{qwhere}: {key} names {option!r}, not a context option")
    if len(question_ids) > MAX_ANSWERS:
        # An assessment holds at most MAX_ANSWERS answers: a longer bank could never be finished.
        problems.append(
            f"sections: {len(question_ids)} questions are more than the {MAX_ANSWERS} answers "
            "an assessment can hold"
        )
    problems += _check_retired(bank.retired, question_ids)
    return problems


def _check_contexts(facets: tuple[ContextFacet, ...], problems: list[str]) -> set[str]:
    """Check the context questions; the ids of their options (which questions refer to)."""
    facet_ids: set[str] = set()
    options: set[str] = set()
    for facet in facets:
        where = f"context {facet.id!r}"
        _check_id(problems, where, facet.id)
        if facet.id in facet_ids:
            problems.append(f"{where}: duplicate context id")
        facet_ids.add(facet.id)
        if not facet.options:
            problems.append(f"{where}: has no options")
        for option in facet.options:
            owhere = f"{where}, option {option.id!r}"
            _check_id(problems, owhere, option.id)
            if option.id in options:
                # Questions name options alone, so an option id means one thing in the bank.
                problems.append(f"{owhere}: duplicate option id (option ids are bank-wide)")
            options.add(option.id)
    return options


def _check_rules(rules: Rules, levels: list[str]) -> list[str]:
    problems: list[str] = []
    for key in ("unanswered_cap", "not_applicable_cap"):
        cap = getattr(rules, key)
        if cap is not None:
            problems += _check_cap(f"rules, {key}", cap, levels)
    return problems


def _check_cap(where: str, cap: str, levels: list[str]) -> list[str]:
    if cap not in levels:
        return [f"{where}: {cap!r} is not a level of this bank ({', '.join(levels)})"]
    if levels and cap == levels[-1]:
        # A cap at the top holds nothing back: the critical question would stop counting.
        return [f"{where}: a critical question not fully met must hold the level below the top"]
    return []


def _check_retired(retired: tuple[RetiredQuestion, ...], current: Mapping[str, str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for old in retired:
        where = f"retired question {old.id!r}"
        _check_id(problems, where, old.id)
        if old.id in current:
            problems.append(f"{where}: is also a current question; a retired id is not reused")
        if old.id in seen:
            problems.append(f"{where}: duplicate retired question id")
        seen.add(old.id)
        problems += [
            f"{where}: replaced_by names {new!r}, not a current question"
            for new in old.replaced_by
            if new not in current
        ]
    return problems


def _check_id(problems: list[str], where: str, value: str) -> None:
    if not ID_RE.fullmatch(value):
        problems.append(
            f"{where}: id {value!r} must be 1 to 64 lowercase letters, digits, '.', '_' or '-'"
        )


def _check_scale(where: str, choices: tuple[Choice, ...], levels: list[str]) -> list[str]:
    problems: list[str] = []
    if not choices:
        return [f"{where}: no choices"]
    seen: set[str] = set()
    for choice in choices:
        cwhere = f"{where}, choice {choice.id!r}"
        if not ID_RE.fullmatch(choice.id):
            problems.append(f"{cwhere}: id must be lowercase letters, digits, '.', '_' or '-'")
        if choice.id in seen:
            problems.append(f"{cwhere}: duplicate choice id")
        seen.add(choice.id)
        if choice.not_applicable:
            if choice.score is not None:
                problems.append(f"{cwhere}: a not-applicable choice takes no score")
            if choice.unknown:
                problems.append(f"{cwhere}: cannot be both unknown and not applicable")
        elif choice.score is None:
            problems.append(f"{cwhere}: has no score (give 0 to 100, or not_applicable = true)")
        elif not 0 <= choice.score <= FULL_SCORE:
            problems.append(f"{cwhere}: score must be from 0 to 100")
        elif choice.unknown and choice.score == FULL_SCORE:
            problems.append(f'{cwhere}: "don\'t know" cannot score 100, as if it were met')
        for field in choice.needs:
            if field not in ANSWER_FIELDS:
                problems.append(f"{cwhere}: needs {field!r}; a choice can need {ANSWER_FIELDS}")
        if choice.critical_cap is not None:
            if choice.score == FULL_SCORE:
                problems.append(f"{cwhere}: scores 100, so it meets a question; it takes no cap")
            else:
                problems += _check_cap(f"{cwhere}, critical_cap", choice.critical_cap, levels)
    offered = [choice for choice in choices if not choice.retired]
    if not any(choice.score == FULL_SCORE for choice in offered):
        problems.append(f"{where}: no choice scores 100, so the question can never be met")
    return problems


def _check_levels(levels: tuple[Level, ...]) -> list[str]:
    problems: list[str] = []
    if len(levels) < 2:
        problems.append("levels: at least two readiness levels are needed")
    if not levels:
        return problems
    if levels[0].min != 0:
        problems.append(
            f"level {levels[0].id!r}: the lowest level must start at min = 0, "
            f"or low scores have no level (found {levels[0].min:g})"
        )
    seen: set[str] = set()
    for previous, level in zip((None, *levels), levels, strict=False):
        if level.id in seen:
            problems.append(f"level {level.id!r}: duplicate level id")
        seen.add(level.id)
        if not 0 <= level.min <= FULL_SCORE:
            problems.append(f"level {level.id!r}: min must be from 0 to 100")
        if previous is not None and level.min <= previous.min:
            problems.append(
                f"level {level.id!r}: min {level.min:g} overlaps level {previous.id!r} "
                f"(min {previous.min:g}); list levels lowest first with rising thresholds"
            )
    return problems
