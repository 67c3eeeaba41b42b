"""The question bank: sections of questions, the answer scale, the readiness levels, the
contexts a question depends on, and the rules that hold a pilot back.

A bank is data (a TOML file); this module only describes its shape, and bank_checks.py reads
data into it and checks it (so that no bank can make a critical question stop counting).
Reading the file is the store's job, so the core stays free of I/O. What the rules mean for a
score is scoring's job (core/scoring.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, ClassVar, Final

from pilot_tui.core.limits import MAX_LINE, MAX_NOTES
from pilot_tui.core.problems import describe_location as describe_location
from pilot_tui.core.records import FORBID_EXTRA, Check, Length, Strict
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
# Ids are checked against ID_PATTERN by check_bank (core/bank_checks.py), which says what an
# id may be.
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
