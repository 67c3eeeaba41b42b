"""Milestones: snapshots of the team's answers, the changes between them, and section trends.

The default bank's section weights (each question's weight summed) used below, for an
assessment without a context (every question applies):
    demo (Built for the demo) 31: success-criteria-agreed 5, eval-production-data 5,
        criteria-met 5, repeatable-evaluation 3, unsupported-statements 4,
        fairness-tested 5, training-serving-skew 4
    operations 33: operations-owner-named 5 (critical), rollback-rehearsed 5 (critical),
        fallback-switch 4 (critical for some contexts, so here), others 19
    integration 37 (data-pipelines 4)
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import Cli, assert_one_error_line, folder_snapshot

from pilot_tui.core.assessment import Answer, Assessment, Milestone, new_assessment, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_MILESTONES
from pilot_tui.core.milestones import (
    Change,
    SectionTrend,
    add_milestone,
    diff_answers,
    milestone_answers,
    sparkline,
    trends,
)
from pilot_tui.store import Store, dumps_assessment, parse_assessment

START = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
OPERATIONS = (
    "operations-owner-named",
    "runbook",
    "escalation-path",
    "on-call",
    "drift-response",
    "operating-team-ready",
)


def at(hours: int) -> datetime:
    return START + timedelta(hours=hours)


def answered(
    bank: Bank, answers: Mapping[str, str | Answer], base: Assessment | None = None
) -> Assessment:
    """BASE (or a new assessment) with ANSWERS set: a choice id, or a full Answer."""
    assessment = base or new_assessment(bank, "Claims bot", now=START)
    for question_id, answer in answers.items():
        full = Answer(choice=answer) if isinstance(answer, str) else answer
        assessment = with_answer(assessment, question_id, full, now=START)
    return assessment


def na(reason: str = "the vendor runs it") -> Answer:
    return Answer(choice="na", reason=reason)


# ---------------------------------------------------------------------------- add_milestone


def test_a_milestone_is_a_snapshot_of_the_team_answers(bank: Bank) -> None:
    assessment = answered(bank, {"runbook": Answer(choice="partly", notes="draft in the wiki")})

    saved = add_milestone(assessment, "  Workshop 1 ", now=at(1))
    later = answered(bank, {"runbook": "met", "on-call": "met"}, saved)
    saved.answers["runbook"] = Answer(choice="met")  # the snapshot's dict is its own

    assert saved.milestones == [
        Milestone(
            label="Workshop 1",
            created=at(1),
            answers={"runbook": Answer(choice="partly", notes="draft in the wiki")},
            # The context and the bank version of the moment: later scores of the snapshot
            # count the questions that applied then.
            context={},
            bank_version="2.1.0",
        )
    ]
    assert later.milestones == saved.milestones
    assert saved.meta.updated == at(1)
    assert assessment.milestones == []  # the original is unchanged


def test_milestones_keep_their_order_and_round_trip(bank: Bank) -> None:
    first = add_milestone(answered(bank, {"runbook": "partly"}), "Kick-off", now=at(1))
    second = add_milestone(answered(bank, {"runbook": "met"}, first), "Workshop 1", now=at(2))

    text = dumps_assessment(second)
    loaded = parse_assessment(tomllib.loads(text), Path("x.toml"))

    assert loaded == second
    assert [m.label for m in loaded.milestones] == ["Kick-off", "Workshop 1"]
    assert text.count("[[milestones]]") == 2


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "a milestone needs a label, e.g. 'Workshop 1'"),
        ("   ", "a milestone needs a label, e.g. 'Workshop 1'"),
        ("Kick-off", "a milestone labelled 'Kick-off' already exists; choose another label"),
        (" Kick-off ", "a milestone labelled 'Kick-off' already exists; choose another label"),
        (
            "two\nlines",
            "milestone label: must be one line without control, invisible or text-direction "
            "characters (found U+000A LINE FEED)",
        ),
        ("x" * 201, "milestone label: is too long: at most 200 characters"),
    ],
)
def test_a_bad_milestone_label_is_refused(bank: Bank, label: str, message: str) -> None:
    assessment = add_milestone(answered(bank, {}), "Kick-off", now=at(1))

    with pytest.raises(ValueError) as raised:
        add_milestone(assessment, label, now=at(2))

    assert str(raised.value) == message


def test_milestones_stop_at_the_limit(bank: Bank) -> None:
    assessment = answered(bank, {})
    milestones = [Milestone(label=f"m{n}", created=START) for n in range(MAX_MILESTONES)]
    full = dataclasses.replace(assessment, milestones=milestones)

    with pytest.raises(ValueError, match=f"already has {MAX_MILESTONES} milestones, the limit"):
        add_milestone(full, "one more", now=at(1))


def test_milestone_answers_by_label(bank: Bank) -> None:
    first = add_milestone(answered(bank, {"runbook": "partly"}), "Kick-off", now=at(1))
    second = add_milestone(answered(bank, {"runbook": "met"}, first), "Workshop 1", now=at(2))

    assert milestone_answers(second, "Kick-off") == {"runbook": Answer(choice="partly")}
    assert milestone_answers(second, "Workshop 1") == {"runbook": Answer(choice="met")}
    with pytest.raises(ValueError) as raised:
        milestone_answers(second, "Workshop 2")
    assert str(raised.value) == "no milestone 'Workshop 2' (milestones: Kick-off, Workshop 1)"
    with pytest.raises(ValueError) as raised:
        milestone_answers(answered(bank, {}), "Kick-off")
    assert str(raised.value) == "no milestone 'Kick-off' (there are no milestones yet)"


# ---------------------------------------------------------------------------- diff_answers


def test_diff_lists_changed_choices_in_bank_order_with_their_direction(bank: Bank) -> None:
    before = {
        "success-criteria-agreed": Answer(choice="met", notes="old notes"),
        "eval-production-data": Answer(choice="not-met"),
        "training-serving-skew": Answer(choice="met"),
        "criteria-met": Answer(choice="not-met"),
        "operations-owner-named": na(),
        "runbook": Answer(choice="partly"),
        "drift-response": Answer(choice="met"),
        "operating-team-ready": Answer(notes="not decided"),
        "retired-question": Answer(choice="met"),
    }
    after = {
        "success-criteria-agreed": Answer(
            choice="met", notes="new notes", owner="Ana"
        ),  # same choice
        "eval-production-data": Answer(choice="met"),  # 0 -> 100
        "training-serving-skew": Answer(choice="partly"),  # 100 -> 50
        "criteria-met": Answer(choice="unknown"),  # 0 -> 0, another choice
        "operations-owner-named": Answer(choice="met"),  # from n/a
        "runbook": na(),  # to n/a
        "escalation-path": Answer(choice="partly"),  # unanswered (0) -> 50
        "on-call": Answer(choice="not-met"),  # unanswered (0) -> 0
        # drift-response: removed, 100 -> unanswered (0)
        "operating-team-ready": Answer(notes="still not decided"),  # no choice either side
        "retired-question": Answer(choice="partly"),  # not in the bank: not listed
    }

    changes = diff_answers(bank, before, after)

    met, partial, not_met = (
        "In place and evidenced",
        "Partly in place",
        "Not in place",
    )
    assert [(c.question, c.before, c.after, c.direction) for c in changes] == [
        ("eval-production-data", not_met, met, "improved"),
        ("criteria-met", not_met, "Don't know", "changed"),
        ("training-serving-skew", met, partial, "regressed"),
        ("operations-owner-named", "Not applicable", met, "changed"),
        ("runbook", partial, "Not applicable", "changed"),
        ("escalation-path", "Unanswered", partial, "improved"),
        ("on-call", "Unanswered", not_met, "changed"),
        ("drift-response", met, "Unanswered", "regressed"),
    ]
    assert changes[0] == Change(
        question="eval-production-data",
        section="demo",
        title="Evaluation on real production data",
        before=not_met,
        after=met,
        direction="improved",
    )
    assert diff_answers(bank, after, after) == []


def test_diff_lists_a_plan_that_lost_or_gained_what_it_needs(bank: Bank) -> None:
    # Same choice, but it no longer counts as a plan: the score fell, and a diff (a pull
    # request's comment, say) must not read "no changes".
    planned = Answer(choice="planned", owner="Bo", due=date(2027, 2, 1))
    bare = Answer(choice="planned")
    lost = diff_answers(bank, {"legal-sign-off": planned}, {"legal-sign-off": bare})
    assert [(c.question, c.before, c.after, c.direction) for c in lost] == [
        (
            "legal-sign-off",
            "Planned, with an owner and a due date",
            "Planned, with an owner and a due date (no owner and no due date: counts as not "
            "in place)",
            "regressed",
        )
    ]
    gained = diff_answers(bank, {"legal-sign-off": bare}, {"legal-sign-off": planned})
    assert [c.direction for c in gained] == ["improved"]
    # From unanswered to a plan without an owner: another answer, worth the same (nothing).
    started = diff_answers(bank, {}, {"legal-sign-off": bare})
    assert [c.direction for c in started] == ["changed"]


def test_diff_shows_a_choice_the_bank_no_longer_offers_as_written(bank: Bank) -> None:
    changes = diff_answers(
        bank, {"runbook": Answer(choice="maybe")}, {"runbook": Answer(choice="met")}
    )

    assert [(c.before, c.after, c.direction) for c in changes] == [
        ("maybe", "In place and evidenced", "changed")
    ]


# ---------------------------------------------------------------------------- trends


def test_trends_score_each_milestone_then_now(bank: Bank) -> None:
    kick_off = add_milestone(answered(bank, {}), "Kick-off", now=at(1))
    workshop = answered(
        bank,
        {"success-criteria-agreed": "met", "eval-production-data": "partly"}
        | {question: na() for question in OPERATIONS},
        kick_off,
    )
    workshop = add_milestone(workshop, "Workshop 1", now=at(2))
    now = answered(
        bank,
        {
            "training-serving-skew": "met",
            "eval-production-data": "met",
            "criteria-met": "met",
            "repeatable-evaluation": "met",
            "operations-owner-named": "met",
            "data-pipelines": "met",
        },
        workshop,
    )

    found = trends(bank, now)

    assert [trend.section for trend in found] == [s.id for s in bank.sections]
    assert found[0] == SectionTrend(
        section="demo",
        title="Built for the demo, not for production",
        # 5*100 + 5*50 over 31; then 22 of the 31 points' weight met
        points=(0.0, 750 / 31, 2200 / 31),
    )
    # Not applicable leaves the questions that are not critical out; the critical ones (the
    # owner, n/a; rollback and the switch, unanswered) still count, as 0. Then the owner met.
    assert found[1].points == (0.0, 0.0, 500 / 14)
    assert found[2].points == (0.0, 0.0, 400 / 37)  # data-pipelines (weight 4) met
    assert found[3].points == found[4].points == (0.0, 0.0, 0.0)
    assert [sparkline(trend.points) for trend in found] == ["▁▂▆", "▁▁▃", "▁▁▁", "▁▁▁", "▁▁▁"]


def test_trends_without_milestones_is_now_alone(bank: Bank) -> None:
    found = trends(bank, answered(bank, {"success-criteria-agreed": "met"}))

    assert found[0].points == (500 / 31,)


@pytest.mark.parametrize(
    ("points", "line"),
    [
        ([], ""),
        ([0, 12.4, 12.5, 50, 87.4, 87.5, 99.9, 100], "▁▁▂▅▇███"),
        ([None, 30.0, None], " ▃ "),
        ([-5, 150], "▁█"),  # out of range is drawn at the nearest end, never an error
    ],
)
def test_sparkline(points: list[float | None], line: str) -> None:
    assert sparkline(points) == line


# ---------------------------------------------------------------------------- the command line


@pytest.fixture
def name(cli: Cli) -> str:
    """An assessment with two milestones: Kick-off, then Workshop 1, then answers since."""
    created = cli("new", "Claims bot").out.strip()
    for command in (
        ("answer", created, "success-criteria-agreed", "not-met"),
        ("answer", created, "runbook", "partly"),
        ("milestone", created, "Kick-off"),
        ("answer", created, "success-criteria-agreed", "met"),
        ("answer", created, "on-call", "unknown"),
        ("milestone", created, "Workshop 1"),
        ("answer", created, "runbook", "na", "--reason", "the vendor runs it"),
        ("answer", created, "escalation-path", "met"),
    ):
        assert cli(*command).code == 0, command
    return created


def test_cli_milestone_saves_a_snapshot(cli: Cli, store: Store) -> None:
    created = cli("new", "Claims bot").out.strip()
    cli("answer", created, "runbook", "partly")

    result = cli("milestone", created, "Workshop 1")

    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "claims-bot: milestone 'Workshop 1' saved with 1 answer; "
        "`pilot-tui diff claims-bot` shows what changes from here\n"
    )
    saved = store.load(created)
    assert [(m.label, m.answers) for m in saved.milestones] == [
        ("Workshop 1", {"runbook": Answer(choice="partly")})
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Kick-off",), "a milestone labelled 'Kick-off' already exists; choose another label"),
        (("",), "a milestone needs a label"),
        (
            ("two\nlines",),
            "milestone label: must be one line without control, invisible or text-direction "
            "characters (found U+000A LINE FEED)",
        ),
        (("ghost", "Label"), "no assessment named 'ghost'"),
        ((), "milestone: the following arguments are required: LABEL"),
    ],
)
def test_cli_milestone_errors_change_nothing(
    cli: Cli, data_dir: Path, name: str, args: tuple[str, ...], message: str
) -> None:
    before = folder_snapshot(data_dir)
    command = ("milestone", *args) if args[:1] == ("ghost",) else ("milestone", name, *args)

    assert_one_error_line(cli(*command), contains=message)
    assert folder_snapshot(data_dir) == before


def test_cli_diff_since_the_latest_milestone(cli: Cli, name: str) -> None:
    result = cli("diff", name)

    assert (result.code, result.err) == (0, "")
    assert result.out.splitlines() == [
        "From 'Workshop 1' to now: 1 improved, 0 regressed, 1 changed",
        "changed    Runbook [runbook]: Partly in place -> Not applicable",
        "improved   Escalation path [escalation-path]: Unanswered -> In place and evidenced",
    ]


def test_cli_diff_between_two_milestones(cli: Cli, name: str) -> None:
    result = cli("diff", name, "--from", "Kick-off", "--to", "Workshop 1")

    assert result.out.splitlines() == [
        "From 'Kick-off' to 'Workshop 1': 1 improved, 0 regressed, 1 changed",
        "improved   Production success criteria agreed [success-criteria-agreed]: Not in place -> "
        "In place and evidenced",
        "changed    On-call process [on-call]: Unanswered -> Don't know",
    ]
    reverse = json.loads(
        cli("diff", name, "--from", "Workshop 1", "--to", "Kick-off", "--json").out
    )
    assert reverse == {
        "from": "Workshop 1",
        "to": "Kick-off",
        "changes": [
            {
                "question": "success-criteria-agreed",
                "section": "demo",
                "title": "Production success criteria agreed",
                "before": "In place and evidenced",
                "after": "Not in place",
                "direction": "regressed",
            },
            {
                "question": "on-call",
                "section": "operations",
                "title": "On-call process",
                "before": "Don't know",
                "after": "Unanswered",
                "direction": "changed",
            },
        ],
        "replaced": [],
        "context": {"from": {}, "to": {}},
        "also": [],
    }


def test_cli_diff_from_a_milestone_to_now_as_json(cli: Cli, name: str) -> None:
    data = json.loads(cli("diff", name, "--from", "Kick-off", "--json").out)

    assert data["from"] == "Kick-off" and data["to"] is None
    assert [(c["question"], c["direction"]) for c in data["changes"]] == [
        ("success-criteria-agreed", "improved"),
        ("runbook", "changed"),
        ("escalation-path", "improved"),
        ("on-call", "changed"),
    ]


def test_cli_diff_with_no_changes(cli: Cli, name: str) -> None:
    cli("milestone", name, "Workshop 2")

    result = cli("diff", name)

    assert result.out == "No changes between 'Workshop 2' and now.\n"
    assert cli("diff", name, "--from", "Workshop 2", "--to", "Workshop 2").code == 0


def test_cli_diff_of_a_file(cli: Cli, name: str, tmp_path: Path) -> None:
    exported = tmp_path / "shared.toml"
    cli("export", name, "-o", str(exported))

    assert cli("diff", str(exported)).out == cli("diff", name).out


def test_cli_diff_errors_change_nothing(cli: Cli, data_dir: Path, name: str) -> None:
    fresh = cli("new", "No milestones").out.strip()
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("diff", fresh))
    assert error == (
        "pilot-tui: error: no-milestones has no milestones yet; save one with "
        "`pilot-tui milestone NAME LABEL`, or give two files to compare"
    )
    error = assert_one_error_line(cli("diff", name, "--from", "Workshop 9"))
    assert error == (
        "pilot-tui: error: no milestone 'Workshop 9' (milestones: Kick-off, Workshop 1)"
    )
    assert_one_error_line(cli("diff", name, "--to", "later"), contains="no milestone 'later'")
    assert_one_error_line(cli("diff", "ghost"), contains="no assessment named 'ghost'")
    assert folder_snapshot(data_dir) == before
