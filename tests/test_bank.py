"""The question bank: parsing, and every problem validation must report, with where it is."""

from __future__ import annotations

import dataclasses
import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from pilot_tui.core.bank import BANK_SCHEMA, BANK_SCHEMA_VERSION, Bank, describe_location
from pilot_tui.core.bank_checks import BankError, check_bank, parse_bank
from pilot_tui.core.records import build
from pilot_tui.store import default_bank_text, load_bank

Data = dict[str, Any]


def question(qid: str, **extra: Any) -> Data:
    return {
        "id": qid,
        "title": f"Title of {qid}",
        "text": f"Is {qid} in place?",
        "why": "Because.",
        "fix": f"Put {qid} in place.",
        "evidence": "A link.",
        **extra,
    }


def tiny_bank() -> Data:
    """A small valid bank as raw TOML data; each test mutates its own fresh copy."""
    return {
        "schema": BANK_SCHEMA,
        "schema_version": BANK_SCHEMA_VERSION,
        "id": "tiny",
        "version": "1",
        "title": "Tiny bank",
        "choices": [
            {"id": "met", "label": "Met", "score": 100},
            {"id": "partly", "label": "Partly", "score": 50},
            {"id": "unknown", "label": "Don't know", "score": 0, "unknown": True},
            {"id": "na", "label": "Not applicable", "not_applicable": True},
        ],
        "levels": [
            {"id": "low", "title": "Low", "min": 0},
            {"id": "high", "title": "High", "min": 80},
        ],
        "sections": [
            {
                "id": "one",
                "title": "Section one",
                "questions": [question("q1", weight=2, critical=True), question("q2")],
            },
            {
                "id": "two",
                "title": "Section two",
                "questions": [
                    question(
                        "q3",
                        choices=[
                            {"id": "yes", "label": "Yes", "score": 100},
                            {"id": "no", "label": "No", "score": 0},
                        ],
                    )
                ],
            },
        ],
    }


def problems_of(data: Data) -> list[str]:
    with pytest.raises(BankError) as caught:
        parse_bank(data)
    return caught.value.problems


# ---------------------------------------------------------------------------- valid banks


def test_tiny_bank_parses_into_the_model() -> None:
    bank = parse_bank(tiny_bank())

    assert bank.id == "tiny"
    assert [s.id for s in bank.sections] == ["one", "two"]
    assert [(s.id, q.id) for s, q in bank.iter_questions()] == [
        ("one", "q1"),
        ("one", "q2"),
        ("two", "q3"),
    ]
    q1 = bank.question_index()["q1"][1]
    assert q1.weight == 2.0
    assert q1.critical is True
    assert bank.question_index()["q2"][1].weight == 1.0  # the default weight
    assert bank.question_index()["q2"][1].critical is False
    assert [c.id for c in bank.choices_for(q1)] == ["met", "partly", "unknown", "na"]
    q3 = bank.question_index()["q3"][1]
    assert [c.id for c in bank.choices_for(q3)] == ["yes", "no"]
    na = bank.choices[3]
    assert na.score is None and na.not_applicable
    assert bank.level("high") is bank.levels[1]
    assert bank.level("nope") is None
    assert check_bank(bank) == []


def test_the_shipped_default_bank_is_valid_and_covers_the_five_root_causes() -> None:
    bank = parse_bank(tomllib.loads(default_bank_text()))

    assert check_bank(bank) == []
    assert [s.id for s in bank.sections] == [
        "demo",
        "operations",
        "integration",
        "security",
        "monitoring",
    ]
    assert all(section.questions for section in bank.sections)
    # Every section has a critical question, so each root cause can block production.
    assert all(any(q.critical for q in s.questions) for s in bank.sections)
    ids = [q.id for _, q in bank.iter_questions()]
    assert len(ids) == len(set(ids))
    assert [level.min for level in bank.levels] == sorted(level.min for level in bank.levels)
    assert bank.levels[0].min == 0
    scores = {c.id: c.score for c in bank.choices if not c.retired}
    # A plan scores well below what is partly done: deferring is not half of doing.
    assert scores == {
        "met": 100,
        "partly": 50,
        "planned": 20,
        "not-met": 0,
        "unknown": 0,
        "na": None,
    }


# ---------------------------------------------------------------------------- schema


@pytest.mark.parametrize("schema", ["pilot-tui/assessment", None, "PILOT-TUI/BANK", 1])
def test_a_file_that_is_not_a_bank_is_refused_at_once(schema: object) -> None:
    data = tiny_bank()
    if schema is None:
        del data["schema"]
    else:
        data["schema"] = schema

    assert problems_of(data) == [
        f"schema: expected 'pilot-tui/bank', found {schema!r}; this is not a bank"
    ]


@pytest.mark.parametrize("version", [3, 0, "1", True, None])
def test_an_unknown_schema_version_is_refused(version: object) -> None:
    data = tiny_bank()
    data["schema_version"] = version

    problems = problems_of(data)

    assert len(problems) == 1
    assert problems[0].startswith("schema_version: this pilot-tui reads versions 1 and 2, found ")
    assert repr(version) in problems[0]


# ---------------------------------------------------------------------------- one problem each

Mutation = Callable[[Data], None]


def _q(data: Data, section: int, index: int) -> Data:
    result: Data = data["sections"][section]["questions"][index]
    return result


def _set(*path: str | int, value: Any) -> Mutation:
    def mutate(data: Data) -> None:
        node: Any = data
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = value

    return mutate


def _delete(*path: str | int) -> Mutation:
    def mutate(data: Data) -> None:
        node: Any = data
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]

    return mutate


def _duplicate_section(data: Data) -> None:
    data["sections"][1]["id"] = "one"


def _duplicate_question(data: Data) -> None:
    _q(data, 1, 0)["id"] = "q1"


def _duplicate_choice(data: Data) -> None:
    data["choices"][1]["id"] = "met"


def _single_level(data: Data) -> None:
    data["levels"] = data["levels"][:1]


def _no_sections(data: Data) -> None:
    data["sections"] = []


def _empty_section(data: Data) -> None:
    data["sections"][1]["questions"] = []


QUESTION_Q2 = ("sections", 0, "questions", 1)

SINGLE_PROBLEMS: list[tuple[str, Mutation, str]] = [
    (
        "duplicate section id",
        _duplicate_section,
        "section 'one': duplicate section id",
    ),
    (
        "duplicate question id",
        _duplicate_question,
        "section 'two', question 'q1': duplicate question id (also in section 'one')",
    ),
    (
        "duplicate choice id",
        _duplicate_choice,
        "default choices, choice 'met': duplicate choice id",
    ),
    (
        "missing text",
        _delete(*QUESTION_Q2, "text"),
        "section 'one', question 'q2', text: Field required",
    ),
    (
        "empty text",
        _set(*QUESTION_Q2, "text", value=""),
        "section 'one', question 'q2', text: must not be empty",
    ),
    (
        "missing section title",
        _delete("sections", 1, "title"),
        "section 'two', title: Field required",
    ),
    (
        "zero weight",
        _set(*QUESTION_Q2, "weight", value=0),
        "section 'one', question 'q2': weight must be above 0 and at most 100",
    ),
    (
        "negative weight",
        _set(*QUESTION_Q2, "weight", value=-1),
        "section 'one', question 'q2': weight must be above 0 and at most 100",
    ),
    (
        "weight over 100",
        _set(*QUESTION_Q2, "weight", value=101),
        "section 'one', question 'q2': weight must be above 0 and at most 100",
    ),
    (
        "weight not a number",
        _set(*QUESTION_Q2, "weight", value=float("nan")),
        "section 'one', question 'q2': weight must be above 0 and at most 100",
    ),
    (
        "weight a string",
        _set(*QUESTION_Q2, "weight", value="heavy"),
        "section 'one', question 'q2', weight: Input should be a valid number",
    ),
    (
        "weight a boolean",
        _set(*QUESTION_Q2, "weight", value=True),
        "section 'one', question 'q2', weight: Input should be a valid number",
    ),
    (
        "critical a string",
        _set(*QUESTION_Q2, "critical", value="no"),
        "section 'one', question 'q2', critical: Input should be a valid boolean",
    ),
    (
        "critical an integer",
        _set(*QUESTION_Q2, "critical", value=1),
        "section 'one', question 'q2', critical: Input should be a valid boolean",
    ),
    (
        "a typo in a key",
        _set(*QUESTION_Q2, "wieght", value=3),
        "section 'one', question 'q2', wieght: Extra inputs are not permitted",
    ),
    (
        "choice without a score",
        _delete("choices", 1, "score"),
        "default choices, choice 'partly': has no score (give 0 to 100, or not_applicable = true)",
    ),
    (
        "choice score out of range",
        _set("choices", 1, "score", value=150),
        "default choices, choice 'partly': score must be from 0 to 100",
    ),
    (
        "not applicable with a score",
        _set("choices", 3, "score", value=0),
        "default choices, choice 'na': a not-applicable choice takes no score",
    ),
    (
        "unknown and not applicable",
        _set("choices", 3, "unknown", value=True),
        "default choices, choice 'na': cannot be both unknown and not applicable",
    ),
    (
        "no choice scores 100",
        _set("choices", 0, "score", value=90),
        "default choices: no choice scores 100, so the question can never be met",
    ),
    (
        "question's own choice without a score",
        _delete("sections", 1, "questions", 0, "choices", 1, "score"),
        "section 'two', question 'q3' choices, choice 'no': has no score",
    ),
    (
        "overlapping levels",
        _set("levels", 1, "min", value=0),
        "level 'high': min 0 overlaps level 'low' (min 0); list levels lowest first",
    ),
    (
        "lowest level above 0",
        _set("levels", 0, "min", value=10),
        "level 'low': the lowest level must start at min = 0, or low scores have no level "
        "(found 10)",
    ),
    (
        "missing level threshold",
        _delete("levels", 1, "min"),
        "level 'high', min: Field required",
    ),
    (
        "level threshold over 100",
        _set("levels", 1, "min", value=120),
        "level 'high': min must be from 0 to 100",
    ),
    (
        "only one level",
        _single_level,
        "levels: at least two readiness levels are needed",
    ),
    (
        "duplicate level id",
        _set("levels", 1, "id", value="low"),
        "level 'low': duplicate level id",
    ),
    (
        "bad id",
        _set(*QUESTION_Q2, "id", value="Q 2"),
        "section 'one', question 'Q 2': id 'Q 2' must be 1 to 64 lowercase letters",
    ),
    (
        "id with a trailing newline",
        _set(*QUESTION_Q2, "id", value="q2\n"),
        "section 'one', question 'q2\\n': id 'q2\\n' must be 1 to 64 lowercase letters",
    ),
    (
        "choice id with a trailing newline",
        _set("choices", 1, "id", value="partial\n"),
        "default choices, choice 'partial\\n': id must be lowercase letters",
    ),
    (
        "bad bank id",
        _set("id", value="../evil"),
        "bank: id '../evil' must be 1 to 64 lowercase letters",
    ),
    (
        "no sections",
        _no_sections,
        "sections: the bank has no sections",
    ),
    (
        "a section without questions",
        _empty_section,
        "section 'two': has no questions",
    ),
    (
        "sections of the wrong type",
        _set("sections", value="all of them"),
        "sections: Input should be a valid tuple",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [pytest.param(m, e, id=name) for name, m, e in SINGLE_PROBLEMS],
)
def test_each_problem_is_reported_once_with_where_it_is(mutate: Mutation, expected: str) -> None:
    data = tiny_bank()
    mutate(data)

    problems = problems_of(data)

    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems
    assert "\n" not in problems[0]


def test_levels_listed_highest_first_are_reported() -> None:
    data = tiny_bank()
    data["levels"].reverse()

    assert problems_of(data) == [
        "level 'high': the lowest level must start at min = 0, or low scores have no level "
        "(found 80)",
        "level 'low': min 0 overlaps level 'high' (min 80); list levels lowest first with "
        "rising thresholds",
    ]


def test_every_problem_in_a_well_typed_bank_is_reported_at_once() -> None:
    data = tiny_bank()
    _duplicate_question(data)
    _set(*QUESTION_Q2, "weight", value=0)(data)
    _set("levels", 1, "min", value=0)(data)
    _delete("choices", 1, "score")(data)

    problems = problems_of(data)

    assert problems == [
        "default choices, choice 'partly': has no score (give 0 to 100, or not_applicable = true)",
        "level 'high': min 0 overlaps level 'low' (min 0); list levels lowest first with "
        "rising thresholds",
        "section 'one', question 'q2': weight must be above 0 and at most 100",
        "section 'two', question 'q1': duplicate question id (also in section 'one')",
    ]


def test_every_type_problem_is_reported_at_once() -> None:
    data = tiny_bank()
    _delete(*QUESTION_Q2, "text")(data)
    _set("sections", 1, "questions", 0, "weight", value="heavy")(data)

    problems = problems_of(data)

    assert problems == [
        "section 'one', question 'q2', text: Field required",
        "section 'two', question 'q3', weight: Input should be a valid number",
    ]


def test_the_shipped_bank_is_built_exactly_as_validation_would_make_it() -> None:
    # load_bank() trusts the shipped bank (no pydantic at start-up); this test is its check.
    data = tomllib.loads(default_bank_text())

    validated = parse_bank(data)

    assert load_bank() == validated
    assert build(Bank, data) == validated
    scores = [choice.score for choice in validated.choices if choice.score is not None]
    assert all(type(score) is float for score in scores)
    assert all(type(choice.score) is float for choice in load_bank().choices if choice.score)


def test_bank_error_message_is_the_problem_or_the_count() -> None:
    assert str(BankError(["only this"])) == "only this"
    assert str(BankError(["one", "two", "three"])) == "3 problems"


def test_a_bank_model_is_frozen() -> None:
    bank = parse_bank(tiny_bank())

    with pytest.raises(dataclasses.FrozenInstanceError):
        bank.sections[0].questions[0].weight = 5  # type: ignore[misc]
    assert isinstance(bank, Bank)


# ---------------------------------------------------------------------------- locations


def test_locations_name_list_items_by_id_or_by_position() -> None:
    data: Data = {
        "sections": [
            {"id": "alpha", "questions": [{"id": "q1"}, {"no": "id"}]},
            {"title": "no id"},
        ]
    }

    assert describe_location(data, ("sections", 0, "questions", 0, "text")) == (
        "section 'alpha', question 'q1', text"
    )
    assert describe_location(data, ("sections", 0, "questions", 1, "text")) == (
        "section 'alpha', question #2, text"
    )
    assert describe_location(data, ("sections", 1)) == "section #2"
    assert describe_location(data, ("sections", 7, "id")) == "section #8, id"
    assert describe_location(data, ()) == "top level"
