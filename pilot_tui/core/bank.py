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

# Frameworks are other people's standards, named as they name themselves: a framework id keeps
# its capitals ("NIST-AI-RMF") and an item id its spaces ("MEASURE 2.7", "Monitor 1"). Both
# are typed on the command line and matched exactly in refs, so they start and end with a
# letter or digit (a stray space would make two ids that look the same) and hold no control or
# invisible characters. A framework id holds no ":", which separates it from the item in a ref.
FRAMEWORK_ID_PATTERN: Final = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
FRAMEWORK_ID_RE: Final = re.compile(FRAMEWORK_ID_PATTERN)
ITEM_ID_PATTERN: Final = r"^[A-Za-z0-9](?:[A-Za-z0-9 .:_/()-]{0,62}[A-Za-z0-9)])?$"
ITEM_ID_RE: Final = re.compile(ITEM_ID_PATTERN)
REF_SEPARATOR: Final = ":"
"""A question's ref is FRAMEWORK:ITEM ("NIST-AI-RMF:MEASURE 2.7"), split at the first ":"."""
# Far above any real crosswalk (the NIST AI RMF has 72 subcategories, NIST SP 800-53 about
# 1,200 controls and enhancements), low enough that a broken bank is refused quickly.
MAX_FRAMEWORKS: Final = 20
MAX_FRAMEWORK_ITEMS: Final = 2_000
MAX_REFS: Final = 64
"""Refs one question may carry."""


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
    refs: Annotated[tuple[_Label, ...], Length(max=MAX_REFS)] = ()
    """Items of other frameworks this question asks about, as FRAMEWORK:ITEM
    ("NIST-AI-RMF:MEASURE 2.7"): each names a framework of the bank and one of its items
    (checked by check_bank). Reports group answers by them (`report --by-framework`)."""


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
class FrameworkItem:
    """One item of a framework: a NIST AI RMF subcategory, a test of the ML Test Score."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    """A few words: what the item asks for, in the bank author's words."""


@dataclass(frozen=True, kw_only=True)
class Framework:
    """A framework people are audited against, declared once in the bank with every item that
    matters for coverage, so that questions' refs are checked against it and the items no
    question covers can be listed."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    id: _Id
    title: _Label
    url: _OptionalLabel = ""
    description: _OptionalProse = ""
    """What the bank declares of it and how the questions map to it, for the reports."""
    items: Annotated[tuple[FrameworkItem, ...], Length(max=MAX_FRAMEWORK_ITEMS)]


def split_ref(ref: str) -> tuple[str, str]:
    """A ref's framework id and item id ("NIST-AI-RMF", "MEASURE 2.7"); the item is empty when
    the ref has no separator (check_bank refuses such a ref)."""
    framework, _, item = ref.partition(REF_SEPARATOR)
    return framework, item


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
    frameworks: Annotated[tuple[Framework, ...], Length(max=MAX_FRAMEWORKS)] = ()
    """The frameworks questions' refs name (optional: a bank without refs needs none)."""

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

    def framework(self, framework_id: str) -> Framework | None:
        """The framework of that id, whatever its case: it is typed on the command line, and
        check_bank refuses two ids that differ only in case."""
        wanted = framework_id.casefold()
        return next((f for f in self.frameworks if f.id.casefold() == wanted), None)

    def crosswalk(self, framework: Framework) -> tuple[tuple[FrameworkItem, tuple[str, ...]], ...]:
        """Each item of FRAMEWORK in the framework's order, with the ids of the questions that
        refer to it in bank order (none: no question covers the item)."""
        covering: dict[str, list[str]] = {item.id: [] for item in framework.items}
        for _, question in self.iter_questions():
            for ref in question.refs:
                framework_id, item_id = split_ref(ref)
                found = covering.get(item_id) if framework_id == framework.id else None
                if found is not None and question.id not in found:
                    found.append(question.id)
        return tuple((item, tuple(covering[item.id])) for item in framework.items)
