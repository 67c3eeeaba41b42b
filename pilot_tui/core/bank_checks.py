"""Reading a bank's data into a Bank, and every check that makes its scores meaningful: ids,
scales, levels, contexts, the rules and retired questions, and the frameworks questions refer
to. A bank that fails is refused with every problem, each on one line (BankError).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pilot_tui.core.bank import (
    ANSWER_FIELDS,
    BANK_SCHEMA,
    FRAMEWORK_ID_RE,
    FULL_SCORE,
    ID_RE,
    ITEM_ID_RE,
    READABLE_BANK_VERSIONS,
    Bank,
    Choice,
    ContextFacet,
    ContextOption,
    Framework,
    Level,
    Question,
    RetiredQuestion,
    Rules,
    split_ref,
)
from pilot_tui.core.limits import MAX_ANSWERS
from pilot_tui.core.records import InvalidData, validate


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
    items = _check_frameworks(bank.frameworks, problems)
    if not bank.sections:
        problems.append("sections: the bank has no sections")
    section_ids: set[str] = set()
    question_ids: dict[str, str] = {}
    for section in bank.sections:
        where = f"section {section.id!r}"
        _check_group(problems, where, section.id, section_ids, "section", section.questions)
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
            problems += _check_refs(qwhere, question.refs, items)
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
        _check_group(problems, where, facet.id, facet_ids, "context", facet.options)
        for option in facet.options:
            owhere = f"{where}, option {option.id!r}"
            _check_id(problems, owhere, option.id)
            if option.id in options:
                # Questions name options alone, so an option id means one thing in the bank.
                problems.append(f"{owhere}: duplicate option id (option ids are bank-wide)")
            options.add(option.id)
    return options


def _check_frameworks(
    frameworks: tuple[Framework, ...], problems: list[str]
) -> dict[str, set[str]]:
    """Check the declared frameworks; the ids of each one's items, by framework id."""
    items: dict[str, set[str]] = {}
    folded: dict[str, str] = {}
    for framework in frameworks:
        where = f"framework {framework.id!r}"
        if not FRAMEWORK_ID_RE.fullmatch(framework.id):
            problems.append(
                f"{where}: id must be 1 to 64 letters, digits, '.', '_' or '-', starting with a "
                "letter or digit"
            )
        # `report --by-framework` finds a framework whatever the case it is typed in, so two
        # ids that differ only in case would be one name for two frameworks.
        first = folded.setdefault(framework.id.casefold(), framework.id)
        if first != framework.id:
            problems.append(f"{where}: the same id as framework {first!r} but for its case")
        elif framework.id in items:
            problems.append(f"{where}: duplicate framework id")
        if not framework.items:
            problems.append(f"{where}: has no items (declare those the questions refer to)")
        own: set[str] = set()
        for item in framework.items:
            iwhere = f"{where}, item {item.id!r}"
            if not ITEM_ID_RE.fullmatch(item.id):
                problems.append(
                    f"{iwhere}: id must be 1 to 64 letters, digits, spaces or '.:_/()-', "
                    "starting with a letter or digit and ending with one or ')'"
                )
            if item.id in own:
                problems.append(f"{iwhere}: duplicate item id")
            own.add(item.id)
        items.setdefault(framework.id, own)  # refs are checked against the first of an id
    return items


def _check_refs(where: str, refs: tuple[str, ...], items: Mapping[str, set[str]]) -> list[str]:
    """A question's refs: each FRAMEWORK:ITEM naming a declared framework and one of its
    items, once."""
    problems: list[str] = []
    seen: set[str] = set()
    for ref in refs:
        framework_id, item_id = split_ref(ref)
        if not item_id:
            problems.append(
                f"{where}: ref {ref!r} must be FRAMEWORK:ITEM, e.g. 'NIST-AI-RMF:MEASURE 2.7'"
            )
            continue
        if ref in seen:
            problems.append(f"{where}: ref {ref!r} is given twice")
        seen.add(ref)
        known = items.get(framework_id)
        if known is None:
            declared = ", ".join(items) or "none is declared: add a [[frameworks]] table"
            problems.append(
                f"{where}: ref {ref!r} names {framework_id!r}, not a framework of this bank "
                f"({declared})"
            )
        elif item_id not in known:
            problems.append(
                f"{where}: ref {ref!r} names {item_id!r}, not an item of framework {framework_id!r}"
            )
    return problems


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


def _check_group(
    problems: list[str],
    where: str,
    group_id: str,
    seen: set[str],
    kind: str,
    members: tuple[Question, ...] | tuple[ContextOption, ...],
) -> None:
    """A section (of questions) or a context (of options): its id valid and its own, and
    something in it."""
    _check_id(problems, where, group_id)
    if group_id in seen:
        problems.append(f"{where}: duplicate {kind} id")
    seen.add(group_id)
    if not members:
        problems.append(f"{where}: has no {'questions' if kind == 'section' else 'options'}")


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
