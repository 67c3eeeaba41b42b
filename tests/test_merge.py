"""Merging people's own answers into one team assessment, and where they disagree.

Three people answer the default bank on their own (default scale: met 100, partial 50,
not-met 0, unknown 0 and "don't know", na left out of the score):

    question               Ana                 Bo                  cy (no respondent: file name)
    success-criteria-agreed       met, owner Ana,     met, owner Ana      met, due 12-15, evidence
                           due 12-01
    eval-production-data   met                 not-met             partial
    edge-cases-tested      met                 met                 not-met
    criteria-met    partial             unknown             notes only, no choice
    operations-owner-named       na "vendor runs it" na "by the vendor"  met
    runbook                not-met             unknown             -
    escalation-path        na "batch job"      met                 -
    data-pipelines         met                 partial             na "requests come live"
    retired-question       -                   -                   orphaned: the bank has none

The team's answers (most common; a tie goes to the lower score, then to "don't know", and a
scored answer beats not applicable):

    success-criteria-agreed  met: everyone; owner Ana (all who set one agree); no due date (12-01
                           against 12-15); cy's evidence (nobody else set one)
    eval-production-data   not-met: a three-way tie, 0 is the lowest
    edge-cases-tested      met: two against one
    criteria-met    unknown: cy's notes are no choice, so partial (50) ties unknown (0)
    operations-owner-named       na: two against one, with the reason of the first by id, ana's
    runbook                unknown: a tie at 0, and "don't know" is also a risk of its own
    escalation-path        met: a tie, and a scored answer beats not applicable
    data-pipelines         partial: a three-way tie, 50 below 100 and n/a

Disagreements, most disputed first (spread = (highest - lowest score) / 100, n/a left out):

    eval-production-data   spread 1.0 (100 - 0), 3 different choices
    edge-cases-tested      spread 1.0 (100 - 0), 2
    data-pipelines         spread 0.5 (100 - 50), 3   (spread comes before the count)
    criteria-met    spread 0.5 (50 - 0), 2     (the count comes before bank order)
    operations-owner-named       spread 0.0 (only met is scored), 2: whether it applies
    escalation-path        spread 0.0 (only met is scored), 2: whether it applies (bank order)

    runbook (unknown and not-met, both 0) is no dispute: the score is the same whoever is right.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import stat
import subprocess
import sys
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import Cli, assert_one_error_line, folder_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from pilot_tui.core.assessment import (
    Answer,
    BankRef,
    Meta,
    Participant,
    check_against_bank,
    edit_answer,
    new_assessment,
    with_answer,
    with_meta,
)
from pilot_tui.core.bank import ID_RE, Bank
from pilot_tui.core.limits import MAX_PARTICIPANTS
from pilot_tui.core.merge import (
    Disagreement,
    MergeError,
    MergeInput,
    disagreements,
    merge,
    participant_id,
    titles,
)
from pilot_tui.core.scoring import score
from pilot_tui.store import dumps_assessment, load_assessment_file, parse_assessment
from pilot_tui.store.files import atomic_write

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
NOW = datetime(2026, 3, 20, 17, 0, tzinfo=UTC)
SMALL_BANK = Path(__file__).parent / "banks" / "small.toml"


def day(number: int) -> datetime:
    return START + timedelta(days=number)


def person(
    bank: Bank,
    source: str,
    answers: Mapping[str, str | Answer],
    *,
    respondent: str = "",
    title: str = "Claims bot",
    created: datetime = START,
    updated: datetime = START,
    **meta: str,
) -> MergeInput:
    """One person's own file: ANSWERS are a choice id or a full Answer."""
    assessment = new_assessment(bank, title, now=created)
    assessment = with_meta(assessment, now=created, respondent=respondent, **meta)
    for question_id, answer in answers.items():
        full = Answer(choice=answer) if isinstance(answer, str) else answer
        assessment = with_answer(assessment, question_id, full, now=updated)
    return MergeInput(source, assessment)


def ana(bank: Bank) -> MergeInput:
    return person(
        bank,
        "ana.toml",
        {
            "success-criteria-agreed": Answer(
                choice="met",
                notes="Signed by the product owner.\nSee the wiki.",
                owner="Ana",
                due=date(2026, 12, 1),
            ),
            "eval-production-data": "met",
            "training-serving-skew": "met",
            "criteria-met": "partly",
            "operations-owner-named": Answer(choice="na", reason="the vendor runs it"),
            "runbook": "not-met",
            "escalation-path": Answer(choice="na", reason="a batch job: nothing to escalate"),
            "data-pipelines": "met",
        },
        respondent="Ana",
        title="Claims bot (Ana's answers)",
        created=day(1),
        updated=day(5),
    )


def bo(bank: Bank) -> MergeInput:
    return person(
        bank,
        "bo.toml",
        {
            "success-criteria-agreed": Answer(choice="met", owner="Ana"),
            "eval-production-data": Answer(choice="not-met", notes="Curated samples only."),
            "training-serving-skew": "met",
            "criteria-met": "unknown",
            "operations-owner-named": Answer(choice="na", reason="operated by the vendor"),
            "runbook": "unknown",
            "escalation-path": "met",
            "data-pipelines": "partly",
        },
        respondent="Bo",
        created=day(0),
        updated=day(3),
        team="Claims AI",
        facilitator="Dee",
    )


def cy(bank: Bank) -> MergeInput:
    return person(
        bank,
        "cy.toml",
        {
            "success-criteria-agreed": Answer(
                choice="met", due=date(2026, 12, 15), evidence="https://wiki.example.com/criteria"
            ),
            "eval-production-data": "partly",
            "training-serving-skew": "not-met",
            "criteria-met": Answer(notes="Not sure what counts as results."),
            "operations-owner-named": "met",
            "data-pipelines": Answer(choice="na", reason="requests come in live"),
            "retired-question": Answer(choice="whatever-it-was", notes="from the old bank"),
        },
        created=day(2),
        updated=day(9),
        stage="pilot",
    )


def three(bank: Bank) -> list[MergeInput]:
    return [ana(bank), bo(bank), cy(bank)]


# ---------------------------------------------------------------------------- consensus


def test_three_people_merge_into_their_consensus(bank: Bank) -> None:
    inputs = three(bank)

    merged = merge(bank, inputs, now=NOW)

    assert merged.answers == {
        "success-criteria-agreed": Answer(
            # Ana's and Cy's dates differ: the sooner one.
            choice="met",
            owner="Ana",
            due=date(2026, 12, 1),
            evidence="https://wiki.example.com/criteria",
        ),
        "eval-production-data": Answer(choice="not-met"),
        "training-serving-skew": Answer(choice="met"),
        "criteria-met": Answer(choice="unknown"),
        "operations-owner-named": Answer(choice="na", reason="the vendor runs it"),
        "runbook": Answer(choice="unknown"),
        "escalation-path": Answer(choice="met"),
        "data-pipelines": Answer(choice="partly"),
    }
    assert list(merged.answers) == [
        "success-criteria-agreed",
        "eval-production-data",
        "criteria-met",
        "training-serving-skew",
        "operations-owner-named",
        "runbook",
        "escalation-path",
        "data-pipelines",
    ]
    assert check_against_bank(merged, bank) == []


def test_the_team_answer_takes_its_details_only_from_those_who_gave_it(bank: Bank) -> None:
    """Two say "partly" (owner Ana, due in December); one says "not in place" and names Bo.
    The team's "partly" never borrows Bo; where its backers name different owners it names
    them all (a plan two people own is still a plan), and keeps the soonest date."""
    inputs = [
        person(
            bank,
            "ana.toml",
            {"runbook": Answer(choice="partly", owner="Ana", due=date(2026, 12, 1))},
            respondent="Ana",
        ),
        person(bank, "cy.toml", {"runbook": Answer(choice="partly")}, respondent="Cy"),
        person(
            bank,
            "bo.toml",
            {"runbook": Answer(choice="not-met", owner="Bo", evidence="none yet")},
            respondent="Bo",
        ),
    ]
    assert merge(bank, inputs, now=NOW).answers["runbook"] == Answer(
        choice="partly", owner="Ana", due=date(2026, 12, 1)
    )
    # A second backer with another owner and a sooner date: both owners, the sooner date.
    inputs[1] = person(
        bank,
        "cy.toml",
        {"runbook": Answer(choice="partly", owner="Cy", due=date(2026, 11, 20))},
        respondent="Cy",
    )
    merged = merge(bank, inputs, now=NOW)
    assert merged.answers["runbook"] == Answer(
        choice="partly", owner="Ana, Cy", due=date(2026, 11, 20)
    )
    assert merged.participants["cy"].answers["runbook"].owner == "Cy"
    assert merged.participants["bo"].answers["runbook"].owner == "Bo"


def test_a_team_not_applicable_has_no_owner_or_due_date(bank: Bank) -> None:
    inputs = [
        person(
            bank,
            f"{who}.toml",
            {
                "runbook": Answer(
                    choice="na",
                    reason="the vendor runs it",
                    owner="Ana",
                    due=date(2026, 12, 1),
                    evidence="contract, section 4",
                )
            },
            respondent=who,
        )
        for who in ("Ana", "Bo")
    ]
    assert merge(bank, inputs, now=NOW).answers["runbook"] == Answer(
        choice="na", reason="the vendor runs it", evidence="contract, section 4"
    )


def test_the_merge_keeps_every_answer_verbatim_under_its_person(bank: Bank) -> None:
    inputs = three(bank)

    merged = merge(bank, inputs, now=NOW)

    assert merged.participants == {
        "ana": Participant(name="Ana", source="ana.toml", answers=inputs[0].assessment.answers),
        "bo": Participant(name="Bo", source="bo.toml", answers=inputs[1].assessment.answers),
        "cy": Participant(name="cy", source="cy.toml", answers=inputs[2].assessment.answers),
    }
    notes = {
        (pid, question): answer.notes
        for pid, person in merged.participants.items()
        for question, answer in person.answers.items()
        if answer.notes
    }
    assert notes == {
        ("ana", "success-criteria-agreed"): "Signed by the product owner.\nSee the wiki.",
        ("bo", "eval-production-data"): "Curated samples only.",
        ("cy", "criteria-met"): "Not sure what counts as results.",
        ("cy", "retired-question"): "from the old bank",
    }
    # The orphaned answer stays with its person; the team's answers are the bank's questions.
    assert merged.participants["cy"].answers["retired-question"].choice == "whatever-it-was"
    assert "retired-question" not in merged.answers
    assert all(not answer.notes for answer in merged.answers.values())


def test_the_metadata_comes_from_the_inputs_in_participant_order(bank: Bank) -> None:
    merged = merge(bank, [cy(bank), bo(bank), ana(bank)], now=NOW)

    assert merged.meta == Meta(
        title="Claims bot",  # the one most files have (Ana's also says whose answers they are)
        team="Claims AI",  # ana has none, bo is next
        facilitator="Dee",
        stage="pilot",  # only cy's file has one
        created=day(0),  # the earliest: bo's
        updated=day(9),  # the latest: cy's, not NOW, so the same files give the same file
        respondent="",
    )
    assert merged.bank == BankRef(id=bank.id, version=bank.version)
    assert merged.milestones == []


def test_a_title_can_be_given(bank: Bank) -> None:
    assert merge(bank, three(bank), title="  Claims team  ", now=NOW).meta.title == "Claims team"
    with pytest.raises(MergeError, match=r"^merged assessment: title: must not be empty"):
        merge(bank, three(bank), title=" ", now=NOW)


def test_disagreements_most_disputed_first(bank: Bank) -> None:
    merged = merge(bank, three(bank), now=NOW)

    found = disagreements(bank, merged)

    assert [(d.question, d.spread, d.distinct, d.applicability) for d in found] == [
        ("eval-production-data", 1.0, 3, False),
        ("training-serving-skew", 1.0, 2, False),
        ("data-pipelines", 0.5, 3, True),
        ("criteria-met", 0.5, 2, False),
        ("operations-owner-named", 0.0, 2, True),
        ("escalation-path", 0.0, 2, True),
    ]
    # Names sort with uppercase first, as Python sorts them: Ana, Bo, cy.
    assert found[0] == Disagreement(
        question="eval-production-data",
        section="demo",
        title="Evaluation on real production data",
        answers=(("Ana", "met"), ("Bo", "not-met"), ("cy", "partly")),
        spread=1.0,
        distinct=3,
    )
    assert found[3].answers == (("Ana", "partly"), ("Bo", "unknown"), ("cy", None))


def test_no_disagreements_without_two_participants(bank: Bank) -> None:
    alone = merge(bank, [ana(bank)], now=NOW)

    assert list(alone.participants) == ["ana"]
    assert alone.answers == ana(bank).assessment.answers | {
        # One person's n/a keeps its reason; their notes stay with them.
        "success-criteria-agreed": Answer(choice="met", owner="Ana", due=date(2026, 12, 1)),
    }
    assert disagreements(bank, alone) == []
    assert disagreements(bank, ana(bank).assessment) == []


def test_people_who_agree_have_no_disagreement(bank: Bank) -> None:
    first = person(bank, "a.toml", {"runbook": "met", "on-call": "partly"})
    second = person(bank, "b.toml", {"runbook": "met", "on-call": Answer(notes="ask Bo")})

    merged = merge(bank, [first, second], now=NOW)

    assert disagreements(bank, merged) == []
    assert merged.answers == {"runbook": Answer(choice="met"), "on-call": Answer(choice="partly")}


def test_only_answers_that_would_score_differently_are_disputed(bank: Bank) -> None:
    # "Not in place" and "don't know" both score 0: whoever is right, the score is the same.
    # "Not applicable" against a scored answer decides whether the question counts at all.
    not_applicable = Answer(choice="na", reason="Fixed-price contract")
    first = person(
        bank, "a.toml", {"runbook": "not-met", "cost-cap": not_applicable, "on-call": "met"}
    )
    second = person(bank, "b.toml", {"runbook": "unknown", "cost-cap": "met", "on-call": "partly"})

    found = disagreements(bank, merge(bank, [first, second], now=NOW))

    assert [(d.question, d.spread, d.applicability) for d in found] == [
        ("on-call", 0.5, False),
        ("cost-cap", 0.0, True),
    ]


# ---------------------------------------------------------------------------- order and round trips


def test_any_order_of_the_inputs_gives_the_same_file(bank: Bank) -> None:
    texts = {
        dumps_assessment(merge(bank, list(order), now=NOW))
        for order in itertools.permutations(three(bank))
    }

    assert len(texts) == 1


def test_merging_the_same_files_later_gives_the_same_file(bank: Bank) -> None:
    later = NOW + timedelta(days=30)

    assert merge(bank, three(bank), now=NOW) == merge(bank, three(bank), now=later)


def test_a_merged_file_round_trips_through_toml(bank: Bank) -> None:
    merged = merge(bank, three(bank), now=NOW)

    text = dumps_assessment(merged)
    loaded = parse_assessment(tomllib.loads(text), Path("team.toml"))

    assert loaded == merged
    assert list(loaded.participants) == ["ana", "bo", "cy"]
    assert "[participants.cy.answers.retired-question]" in text


_QUESTIONS = ("success-criteria-agreed", "runbook", "escalation-path", "data-pipelines", "cost-cap")
_NAMES = ("Ana", "Bo", "Cy", "Dee", "Eli", "Åsa")
_ANSWERS = st.builds(
    lambda choice, owner, notes: Answer(
        choice=choice,
        owner=owner,
        notes=notes,
        reason="out of scope" if choice == "na" else "",
    ),
    st.sampled_from([None, "met", "partly", "not-met", "unknown", "na"]),
    st.sampled_from(["", "Ana", "Bo"]),
    st.sampled_from(["", "a note"]),
)
_PEOPLE = st.lists(
    st.tuples(
        st.sampled_from(_NAMES),
        st.dictionaries(st.sampled_from(_QUESTIONS), _ANSWERS, max_size=len(_QUESTIONS)),
    ),
    min_size=1,
    max_size=len(_NAMES),
    unique_by=lambda entry: entry[0],
)


@settings(max_examples=100, deadline=None)
@given(people=_PEOPLE, data=st.data())
def test_any_order_gives_the_same_merge(
    bank: Bank, people: list[tuple[str, dict[str, Answer]]], data: st.DataObject
) -> None:
    inputs = [
        person(bank, f"{name}.toml", answers, respondent=name, updated=day(number))
        for number, (name, answers) in enumerate(people)
    ]
    shuffled = data.draw(st.permutations(inputs))

    merged = merge(bank, inputs, now=NOW)

    assert dumps_assessment(merge(bank, shuffled, now=NOW)) == dumps_assessment(merged)
    for question, answer in merged.answers.items():
        given_choices = {
            p.answers[question].choice
            for p in merged.participants.values()
            if question in p.answers
        }
        assert answer.choice in given_choices


# ---------------------------------------------------------------------------- participants


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Ana", "ana"),
        ("Åsa Lindqvist", "asa-lindqvist"),
        ("O'Brien, Pat (ops)", "o-brien-pat-ops"),
        ("x" * 80, "x" * 64),
        ("-- Bo --", "bo"),
    ],
)
def test_participant_ids(name: str, expected: str) -> None:
    assert participant_id(name) == expected


def test_names_without_ascii_letters_get_distinct_stable_ids() -> None:
    first, second = participant_id("李明"), participant_id("王芳")

    assert first != second
    assert first == participant_id("李明")
    assert ID_RE.fullmatch(first) and ID_RE.fullmatch(second)


@settings(max_examples=200, deadline=None)
@given(name=st.text(min_size=1, max_size=120))
def test_every_name_gives_a_valid_id(name: str) -> None:
    assert ID_RE.fullmatch(participant_id(name))


def test_without_a_respondent_the_file_name_names_the_person(bank: Bank) -> None:
    first = person(bank, "Cy Smith.toml", {"runbook": "met"})
    second = person(bank, "notes", {"runbook": "met"})

    merged = merge(bank, [first, second], now=NOW)

    assert {pid: p.name for pid, p in merged.participants.items()} == {
        "cy-smith": "Cy Smith",
        "notes": "notes",
    }


@pytest.mark.parametrize(
    ("second", "message"),
    [
        ("ana.toml", "two files from participant 'ana': ana.toml and ana.toml"),
        ("laptop.toml", "two files from participant 'ana': ana.toml and laptop.toml"),
    ],
)
def test_two_files_from_one_person_are_refused(bank: Bank, second: str, message: str) -> None:
    again = person(bank, second, {"runbook": "partly"}, respondent="  ANA ")

    with pytest.raises(MergeError) as raised:
        merge(bank, [ana(bank), bo(bank), again], now=NOW)

    assert str(raised.value) == message


def test_merging_a_file_with_itself_is_refused(bank: Bank) -> None:
    with pytest.raises(MergeError, match=r"^two files from participant 'bo': bo.toml and bo.toml$"):
        merge(bank, [bo(bank), bo(bank)], now=NOW)


def test_a_file_answered_against_another_bank_is_refused(bank: Bank) -> None:
    other = bo(bank)
    other = MergeInput(
        "bo.toml", dataclasses.replace(other.assessment, bank=BankRef(id="other", version="1"))
    )

    with pytest.raises(MergeError) as raised:
        merge(bank, [ana(bank), other], now=NOW)

    assert str(raised.value) == (
        "bo.toml: answered against bank 'other', but the bank in use is "
        "'ai-pilot-to-production' (choose the right one with --bank)"
    )


def test_a_file_with_a_choice_the_bank_does_not_offer_is_refused(bank: Bank) -> None:
    odd = person(bank, "odd.toml", {"runbook": "maybe", "on-call": "perhaps"})

    with pytest.raises(MergeError) as raised:
        merge(bank, [ana(bank), odd], now=NOW)

    assert str(raised.value) == (
        "odd.toml: answers, runbook: choice 'maybe' is not one of met, partly, planned, "
        "not-met, unknown, na (and 1 more problem)"
    )


def test_a_name_too_long_for_a_participant_is_refused(bank: Bank) -> None:
    long_name = person(bank, "long.toml", {}, respondent="x" * 201)

    with pytest.raises(MergeError, match=r"^long.toml: participant name: is too long: at most"):
        merge(bank, [long_name], now=NOW)


def test_more_people_than_an_assessment_holds_are_refused_naming_the_files(bank: Bank) -> None:
    people = [
        person(bank, f"p{number:03}.toml", {}, respondent=f"Person {number}")
        for number in range(MAX_PARTICIPANTS + 1)
    ]
    with pytest.raises(
        MergeError,
        match=rf"^p000.toml, p001.toml, p002.toml and {MAX_PARTICIPANTS - 2} more: "
        rf"{MAX_PARTICIPANTS + 1} participants are more than the {MAX_PARTICIPANTS}",
    ):
        merge(bank, people, now=NOW)
    # One fewer is fine.
    assert len(merge(bank, people[:-1], now=NOW).participants) == MAX_PARTICIPANTS


def test_nothing_to_merge_is_refused(bank: Bank) -> None:
    with pytest.raises(MergeError, match="nothing to merge"):
        merge(bank, [], now=NOW)


# ---------------------------------------------------------------------- merged files as inputs


def test_a_merged_file_brings_its_people_not_its_consensus(bank: Bank) -> None:
    pair = merge(bank, [ana(bank), bo(bank)], now=NOW)
    # The facilitator settled a question in the pair's file; the new merge works it out again.
    runbook = edit_answer(bank, "runbook", pair.answers.get("runbook"), choice="met")
    settled = with_answer(pair, "runbook", runbook, now=day(6))

    merged = merge(bank, [cy(bank), MergeInput("pair.toml", settled)], now=NOW)

    assert merged == merge(bank, three(bank), now=NOW)
    assert merged.participants["ana"].source == "ana.toml"


def test_a_merged_file_and_one_of_its_people_are_refused(bank: Bank) -> None:
    pair = merge(bank, [ana(bank), bo(bank)], now=NOW)

    with pytest.raises(
        MergeError, match=r"^two files from participant 'bo': pair.toml and bo.toml$"
    ):
        merge(bank, [MergeInput("pair.toml", pair), bo(bank)], now=NOW)


def test_a_merged_participant_without_a_source_takes_the_files(bank: Bank) -> None:
    pair = merge(bank, [ana(bank), bo(bank)], now=NOW)
    people = {pid: dataclasses.replace(p, source="") for pid, p in pair.participants.items()}
    pair = dataclasses.replace(pair, participants=people)

    merged = merge(bank, [MergeInput("pair.toml", pair), cy(bank)], now=NOW)

    assert [p.source for p in merged.participants.values()] == ["pair.toml", "pair.toml", "cy.toml"]


# ---------------------------------------------------------------------------- the command line


def write(folder: Path, item: MergeInput) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / item.source
    atomic_write(path, dumps_assessment(item.assessment), private=False)
    return path


@pytest.fixture
def files(tmp_path: Path, bank: Bank) -> list[Path]:
    """The three people's files, in tmp_path/in."""
    return [write(tmp_path / "in", item) for item in three(bank)]


def test_cli_merge_writes_the_merged_file(
    cli: Cli, bank: Bank, tmp_path: Path, files: list[Path]
) -> None:
    before = folder_snapshot(tmp_path / "in")
    output = tmp_path / "team.toml"

    result = cli("merge", *map(str, files), "-o", str(output))

    assert (result.code, result.err) == (0, "")
    assert result.out == f"merged 3 participants into {output}; the team disagrees on 6 questions\n"
    assert load_assessment_file(output, bank) == merge(bank, three(bank), now=NOW)
    assert folder_snapshot(tmp_path / "in") == before
    mask = os.umask(0o022)
    os.umask(mask)
    assert stat.S_IMODE(output.stat().st_mode) == 0o666 & ~mask


def test_cli_merge_with_a_title_and_force(
    cli: Cli, bank: Bank, tmp_path: Path, files: list[Path]
) -> None:
    output = tmp_path / "team.toml"
    output.write_text("an old file", encoding="utf-8")

    result = cli("merge", *map(str, files[:2]), "-o", str(output), "--title", "Team", "--force")

    assert result.code == 0, result
    assert result.out == f"merged 2 participants into {output}; the team disagrees on 4 questions\n"
    assert load_assessment_file(output, bank).meta.title == "Team"


def test_the_title_is_the_one_most_files_have_whatever_their_order(bank: Bank) -> None:
    inputs = [
        person(bank, "ana.toml", {}, respondent="Ana", title="Fraud model"),
        person(bank, "bo.toml", {}, respondent="Bo", title="claims  BOT"),
        person(bank, "cy.toml", {}, respondent="Cy", title="Claims bot"),
    ]
    assert titles([item.assessment for item in inputs]) == ["claims  BOT", "Fraud model"]
    for order in (inputs, inputs[::-1], inputs[1:] + inputs[:1]):
        assert merge(bank, order, now=NOW).meta.title == "claims  BOT".strip()
    # A tie: alphabetical, so still the same whatever the order.
    assert merge(bank, inputs[:2], now=NOW).meta.title == "claims  BOT"
    assert merge(bank, inputs[1::-1], now=NOW).meta.title == "claims  BOT"


def test_cli_merge_of_files_about_different_pilots_warns(
    cli: Cli, bank: Bank, tmp_path: Path
) -> None:
    paths = [
        write(tmp_path / "in", person(bank, "ana.toml", {}, respondent="Ana", title="Claims bot")),
        write(tmp_path / "in", person(bank, "bo.toml", {}, respondent="Bo", title="Fraud model")),
    ]
    output = tmp_path / "team.toml"

    result = cli("merge", *map(str, paths), "-o", str(output))

    assert result.code == 0, result
    assert result.err == (
        "pilot-tui: warning: the files have different titles ('Claims bot', 'Fraud model'): "
        "check they are about the same pilot; the merged title is 'Claims bot' (--title sets "
        "another)\n"
    )
    # Given a title, the user has decided: no warning.
    again = cli("merge", *map(str, paths), "-o", str(output), "--force", "--title", "Team")
    assert (again.code, again.err) == (0, "")


def test_cli_merge_of_one_file_says_so_in_the_singular(
    cli: Cli, tmp_path: Path, files: list[Path]
) -> None:
    output = tmp_path / "alone.toml"

    result = cli("merge", str(files[0]), "-o", str(output))

    assert result.out == f"merged 1 participant into {output}; the team disagrees on 0 questions\n"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("exists", "{out}: already exists; use --force to replace it"),
        (
            "output is an input",
            "{in}/ana.toml: is one of the files this command reads; write elsewhere",
        ),
        ("output is a folder", "{in}: is a folder; give a file name"),
        ("missing", "{in}/nobody.toml: no such file"),
        ("not toml", "{in}/junk.toml: not valid TOML: "),
        ("a bank", "{bank}: not a pilot-tui assessment (its schema is 'pilot-tui/bank'"),
        ("another bank", "{in}/other.toml: answered against bank 'small-test-bank'"),
        ("same person twice", "two files from participant 'bo': bo.toml and bo.toml"),
        ("same person, two files", "two files from participant 'ana': laptop.toml and ana.toml"),
        ("empty title", "merged assessment: title: must not be empty"),
        ("no output", "merge: the following arguments are required: -o/--output"),
        ("no files", "merge: the following arguments are required: FILE"),
    ],
)
def test_cli_merge_errors_are_one_line_and_write_nothing(
    cli: Cli, bank: Bank, tmp_path: Path, files: list[Path], case: str, message: str
) -> None:
    folder = tmp_path / "in"
    output = tmp_path / "team.toml"
    args = [*map(str, files), "-o", str(output)]
    if case == "exists":
        output.write_text("keep me", encoding="utf-8")
    elif case == "output is an input":
        args = [*map(str, files), "-o", str(files[0]), "--force"]
    elif case == "output is a folder":
        args = [*map(str, files), "-o", str(folder)]
    elif case == "missing":
        args.insert(0, str(folder / "nobody.toml"))
    elif case == "not toml":
        (folder / "junk.toml").write_text("title = [", encoding="utf-8")
        args.insert(0, str(folder / "junk.toml"))
    elif case == "a bank":
        args.insert(0, str(SMALL_BANK))
    elif case == "another bank":
        small = tomllib.loads(SMALL_BANK.read_text(encoding="utf-8"))
        other = person(bank, "other.toml", {}).assessment
        other = dataclasses.replace(other, bank=BankRef(id=small["id"], version="0.1"))
        args.insert(0, str(write(folder, MergeInput("other.toml", other))))
    elif case == "same person twice":
        args.insert(0, str(files[1]))
    elif case == "same person, two files":
        laptop = person(bank, "laptop.toml", {"runbook": "met"}, respondent="Ana")
        args.insert(0, str(write(folder, laptop)))
    elif case == "empty title":
        args += ["--title", ""]
    elif case == "no output":
        args = list(map(str, files))
    elif case == "no files":
        args = ["-o", str(output)]
    before = folder_snapshot(tmp_path)

    error = assert_one_error_line(cli("merge", *args))

    expected = message.format(out=output, bank=SMALL_BANK, **{"in": folder})
    assert expected in error
    assert folder_snapshot(tmp_path) == before


def test_cli_disputes(cli: Cli, tmp_path: Path, files: list[Path]) -> None:
    output = tmp_path / "team.toml"
    assert cli("merge", *map(str, files), "-o", str(output)).code == 0

    result = cli("disputes", str(output))

    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[:6] == [
        "The 3 participants disagree on 6 questions, most disputed first:",
        "",
        "1. Evaluation on real production data [eval-production-data]: 3 different answers, "
        "scores 100 points apart",
        "   Ana: In place and evidenced",
        "   Bo:  Not in place",
        "   cy:  Partly in place",
    ]
    assert lines[-4:] == [
        "6. Escalation path [escalation-path]: 2 different answers",
        "   Ana: Not applicable",
        "   Bo:  In place and evidenced",
        "   cy:  (no answer)",
    ]
    rows = [
        (row["question"], row["spread"], row["distinct"])
        for row in json.loads(cli("disputes", str(output), "--json").out)
    ]
    assert rows[:3] == [
        ("eval-production-data", 1.0, 3),
        ("training-serving-skew", 1.0, 2),
        ("data-pipelines", 0.5, 3),
    ]


def test_cli_disputes_by_name_after_import(cli: Cli, tmp_path: Path, files: list[Path]) -> None:
    output = tmp_path / "team.toml"
    cli("merge", *map(str, files[:2]), "-o", str(output))
    assert cli("import", str(output), "--as", "team").out == "team\n"

    rows = json.loads(cli("disputes", "team", "--json").out)

    assert rows[0] == {
        "question": "eval-production-data",
        "section": "demo",
        "title": "Evaluation on real production data",
        "spread": 1.0,
        "distinct": 2,
        "answers": [
            {"participant": "Ana", "choice": "met"},
            {"participant": "Bo", "choice": "not-met"},
        ],
    }


def test_cli_disputes_without_people_to_compare(cli: Cli) -> None:
    name = cli("new", "Claims bot").out.strip()

    result = cli("disputes", name)

    assert result.code == 0
    assert result.out.startswith("No disputes: no participants to compare.")
    assert cli("disputes", name, "--json").out == "[]\n"


def test_cli_disputes_when_everyone_agrees(cli: Cli, bank: Bank, tmp_path: Path) -> None:
    first = write(tmp_path, person(bank, "a.toml", {"runbook": "met"}))
    second = write(tmp_path, person(bank, "b.toml", {"runbook": "met"}))
    cli("merge", str(first), str(second), "-o", str(tmp_path / "team.toml"))

    result = cli("disputes", str(tmp_path / "team.toml"))

    assert result.out == "No disputes: the 2 participants agree on every question they answered.\n"


def test_the_sharing_commands_do_not_load_the_terminal_ui(
    tmp_path: Path, files: list[Path]
) -> None:
    # One process runs them all: each is a call of main, and textual must be absent after each.
    team = str(tmp_path / "team.toml")
    commands = [
        ["merge", *map(str, files), "-o", team],
        ["disputes", team],
        ["import", team, "--as", "team"],
        ["milestone", "team", "Workshop 1"],
        ["diff", "team"],
    ]
    script = (
        "import sys\n"
        "from pilot_tui.cli import main\n"
        f"for command in {commands!r}:\n"
        "    assert main(command) == 0, command\n"
        "    assert 'textual' not in sys.modules, command\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr


def test_a_plan_two_people_own_stays_a_plan_never_below_both(bank: Bank) -> None:
    # Each planned it, each with an owner and a date: the team's plan must not lose its owner
    # and count as not in place, below what each of them answered.
    inputs = [
        person(
            bank,
            "a.toml",
            {"cost-cap": Answer(choice="planned", owner="Al", due=date(2027, 1, 1))},
            respondent="A",
        ),
        person(
            bank,
            "b.toml",
            {"cost-cap": Answer(choice="planned", owner="Bea", due=date(2027, 2, 1))},
            respondent="B",
        ),
    ]
    merged = merge(bank, inputs, now=NOW)
    team = merged.answers["cost-cap"]
    assert (team.owner, team.due) == ("Al, Bea", date(2027, 1, 1))
    lowest = {
        section.id: min(
            score(bank, item.assessment).sections[number].score or 0.0 for item in inputs
        )
        for number, section in enumerate(bank.sections)
    }
    for section in score(bank, merged).sections:
        assert (section.score or 0.0) >= lowest[section.id]


def test_cli_merge_of_files_with_different_contexts_says_so(
    cli: Cli, bank: Bank, tmp_path: Path
) -> None:
    ana = person(bank, "ana.toml", {}, respondent="Ana")
    eve = person(bank, "eve.toml", {}, respondent="Eve")
    system = bank.contexts[0]
    first, second = (option.id for option in system.options[:2])
    ana = MergeInput(ana.source, dataclasses.replace(ana.assessment, context={system.id: [first]}))
    eve = MergeInput(eve.source, dataclasses.replace(eve.assessment, context={system.id: [second]}))
    paths = [write(tmp_path / "in", ana), write(tmp_path / "in", eve)]

    result = cli("merge", *map(str, paths), "-o", str(tmp_path / "team.toml"))

    assert result.code == 0, result
    assert f"different answers to {system.title}: left not chosen" in result.err
