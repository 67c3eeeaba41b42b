"""The question bank: sections of questions, the answer scale and the readiness levels.

A bank is data (a TOML file); this module only describes and checks its shape. Reading the
file is the store's job, so the core stays free of I/O.
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
BANK_SCHEMA_VERSION: Final = 1
FULL_SCORE: Final = 100.0

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
    """Left out of the score; the answer must carry a reason."""


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
    """While not fully met, the question is a blocker."""
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
    sections: tuple[Section, ...]

    def iter_questions(self) -> Iterator[tuple[Section, Question]]:
        for section in self.sections:
            for question in section.questions:
                yield section, question

    def question_index(self) -> dict[str, tuple[Section, Question]]:
        return {question.id: (section, question) for section, question in self.iter_questions()}

    def choices_for(self, question: Question) -> tuple[Choice, ...]:
        return question.choices if question.choices is not None else self.choices

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels if level.id == level_id), None)


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
    if version != BANK_SCHEMA_VERSION or isinstance(version, bool):
        raise BankError(
            [
                f"schema_version: this pilot-tui reads version {BANK_SCHEMA_VERSION}, "
                f"found {version!r}"
            ]
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
    problems += _check_scale("default choices", bank.choices)
    problems += _check_levels(bank.levels)
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
                problems += _check_scale(f"{qwhere} choices", question.choices)
    if len(question_ids) > MAX_ANSWERS:
        # An assessment holds at most MAX_ANSWERS answers: a longer bank could never be finished.
        problems.append(
            f"sections: {len(question_ids)} questions are more than the {MAX_ANSWERS} answers "
            "an assessment can hold"
        )
    return problems


def _check_id(problems: list[str], where: str, value: str) -> None:
    if not ID_RE.fullmatch(value):
        problems.append(
            f"{where}: id {value!r} must be 1 to 64 lowercase letters, digits, '.', '_' or '-'"
        )


def _check_scale(where: str, choices: tuple[Choice, ...]) -> list[str]:
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
    if not any(choice.score == FULL_SCORE for choice in choices):
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
