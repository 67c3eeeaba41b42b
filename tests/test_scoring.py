"""Scoring against a small bank, with every expected number worked out by hand.

The bank is tests/banks/small.toml:

    section "ops":   owner   weight 1, CRITICAL   (default scale)
                     runbook weight 4             (default scale)
                     review  weight 5             (own scale: yes 100, some 25, no 0)
    section "integ": pipes   weight 2, auth weight 2 (default scale, pipes listed first)
    default scale: met 100, partial 50, not-met 0, unknown 0 (don't know), na (left out)
    levels: low 0, mid 40, high 70, top 90

A section's score is sum(weight * points) / sum(weight) over its applicable questions.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, with_answer, with_meta
from pilot_tui.core.bank import Bank
from pilot_tui.core.bank_checks import parse_bank
from pilot_tui.core.render import plan_text, scorecard_text
from pilot_tui.core.scoring import (
    ActionItem,
    Scorecard,
    SectionScore,
    action_plan,
    level_for,
    score,
)

SMALL_BANK = Path(__file__).parent / "banks" / "small.toml"
NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


@pytest.fixture(scope="module")
def small() -> Bank:
    return parse_bank(tomllib.loads(SMALL_BANK.read_text(encoding="utf-8")))


def assess(bank: Bank, answers: Mapping[str, str | Answer]) -> Assessment:
    """An assessment with ANSWERS: a choice id, or a full Answer."""
    assessment = new_assessment(bank, "Test pilot", now=NOW)
    for question_id, answer in answers.items():
        full = Answer(choice=answer) if isinstance(answer, str) else answer
        assessment = with_answer(assessment, question_id, full, now=NOW)
    return assessment


def section(card: Scorecard, section_id: str) -> SectionScore:
    return next(s for s in card.sections if s.id == section_id)


def na(reason: str = "does not apply here") -> Answer:
    return Answer(choice="na", reason=reason)


# ---------------------------------------------------------------------------- answer sets


def test_everything_met_is_top_with_no_blockers(small: Bank) -> None:
    card = score(
        small,
        assess(
            small,
            {"owner": "met", "runbook": "met", "review": "yes", "pipes": "met", "auth": "met"},
        ),
    )

    assert (card.score, card.average, card.coverage) == (100.0, 100.0, 1.0)
    assert (card.level, card.level_title, card.capped) == ("top", "Top", False)
    assert card.status == "green"
    assert card.blockers == ()
    assert (card.answered, card.total, card.unknown) == (5, 5, 0)
    assert [(s.id, s.score, s.status) for s in card.sections] == [
        ("ops", 100.0, "green"),
        ("integ", 100.0, "green"),
    ]


def test_mixed_answers_partial_unknown_and_a_question_with_its_own_scale(small: Bank) -> None:
    card = score(
        small,
        assess(
            small,
            {
                "owner": "partly",
                "runbook": "unknown",
                "review": "some",
                "pipes": "met",
                "auth": "partly",
            },
        ),
    )

    ops, integ = section(card, "ops"), section(card, "integ")
    # ops:   (1*50 + 4*0 + 5*25) / (1+4+5) = 175 / 10 = 17.5
    assert ops.score == pytest.approx(17.5)
    # integ: (2*100 + 2*50) / (2+2) = 300 / 4 = 75
    assert integ.score == pytest.approx(75.0)
    # The headline is the weakest section, not the average.
    assert card.score == pytest.approx(17.5)
    assert card.weakest == "ops"
    # average of the section scores: (17.5 + 75) / 2 = 46.25
    assert card.average == pytest.approx(46.25)
    assert card.level == "low"  # 17.5 < 40
    assert card.status == "red"
    assert (ops.level, ops.status) == ("low", "red")
    assert (integ.level, integ.status) == ("high", "amber")  # 75 >= 70, and not top
    # "Don't know" scores 0 and is counted on its own.
    assert (ops.unknown, integ.unknown, card.unknown) == (1, 0, 1)
    assert (card.answered, card.total, card.coverage) == (5, 5, 1.0)
    assert [(b.question, b.section, b.reason) for b in card.blockers] == [
        ("owner", "ops", "critical and answered 'Partly'")
    ]
    assert (ops.blockers, integ.blockers) == (1, 0)


def test_not_applicable_is_left_out_and_unanswered_counts_as_zero(small: Bank) -> None:
    card = score(
        small,
        assess(small, {"owner": "met", "runbook": na(), "review": "yes", "pipes": "met"}),
    )

    ops, integ = section(card, "ops"), section(card, "integ")
    # ops leaves runbook out: (1*100 + 5*100) / (1+5) = 100. Counted as 0 it would be 60.
    assert ops.score == pytest.approx(100.0)
    assert (ops.answered, ops.not_applicable, ops.unknown) == (3, 1, 0)
    # integ: auth is unanswered and earns 0: (2*100 + 2*0) / 4 = 50
    assert integ.score == pytest.approx(50.0)
    assert (integ.answered, integ.total) == (1, 2)
    assert integ.coverage == pytest.approx(0.5)
    assert card.score == pytest.approx(50.0)
    assert card.weakest == "integ"
    assert card.average == pytest.approx(75.0)  # (100 + 50) / 2
    assert card.level == "mid"  # 40 <= 50 < 70
    # Not applicable counts as answered: 4 of 5 questions have a choice.
    assert (card.answered, card.total) == (4, 5)
    assert card.coverage == pytest.approx(0.8)
    assert card.blockers == ()


def test_nothing_answered_scores_zero_with_the_critical_question_blocking(small: Bank) -> None:
    card = score(small, assess(small, {}))

    assert (card.score, card.average, card.coverage) == (0.0, 0.0, 0.0)
    assert card.level == "low"
    assert [(s.id, s.score, s.answered) for s in card.sections] == [
        ("ops", 0.0, 0),
        ("integ", 0.0, 0),
    ]
    assert [(b.question, b.reason) for b in card.blockers] == [("owner", "critical and unanswered")]


def test_an_answer_with_notes_but_no_choice_is_unanswered(small: Bank) -> None:
    card = score(small, assess(small, {"pipes": Answer(notes="we will discuss", owner="Ana")}))

    assert section(card, "integ").answered == 0
    assert section(card, "integ").score == 0.0


def test_a_section_where_nothing_applies_is_left_out_of_headline_and_average(
    small: Bank,
) -> None:
    card = score(
        small,
        assess(
            small,
            {"owner": "met", "runbook": "partly", "review": "yes", "pipes": na(), "auth": na()},
        ),
    )

    assert section(card, "integ").score is None
    assert section(card, "integ").not_applicable == 2
    # ops: (100 + 4*50 + 5*100) / 10 = 80; the only scored section decides both numbers.
    assert card.score == pytest.approx(80.0)
    assert card.average == pytest.approx(80.0)
    assert card.weakest == "ops"
    assert card.level == "high"
    assert card.coverage == 1.0


# ---------------------------------------------------------------------------- blockers


@pytest.mark.parametrize(
    ("answer", "reason", "cap"),
    [
        (None, "critical and unanswered", "mid"),
        ("unknown", "critical and nobody knows whether it is in place", "mid"),
        ("not-met", "critical and answered 'Not in place'", "mid"),
        ("partly", "critical and answered 'Partly'", "high"),
        (
            "na",
            "critical, and it applies to this pilot; answered not applicable "
            "('does not apply here')",
            "mid",
        ),
    ],
)
def test_a_critical_question_not_fully_met_is_a_blocker(
    small: Bank, answer: str | None, reason: str, cap: str
) -> None:
    """A bank without a rules table (version 1) gets the default rules: not in place, don't
    know, unanswered and not applicable hold the level at the second level; partly below the
    top. Not applicable does not take a critical question out."""
    answers: dict[str, str | Answer] = {}
    if answer is not None:
        answers["owner"] = na() if answer == "na" else answer

    card = score(small, assess(small, answers))

    assert len(card.blockers) == 1
    blocker = card.blockers[0]
    assert (blocker.question, blocker.section, blocker.title) == (
        "owner",
        "ops",
        "Operations owner",
    )
    assert (blocker.reason, blocker.cap) == (reason, cap)


def test_a_critical_question_met_does_not_block(small: Bank) -> None:
    card = score(small, assess(small, {"owner": "met"}))

    assert card.blockers == ()
    assert section(card, "ops").blockers == 0


def test_not_applicable_on_a_critical_question_scores_nothing(small: Bank) -> None:
    # ops: owner (weight 1) n/a still counts, as 0: (0 + 4*100 + 5*100) / 10 = 90.
    everything_else = {"runbook": "met", "review": "yes"}
    card = score(small, assess(small, {**everything_else, "owner": na()}))

    assert section(card, "ops").score == pytest.approx(90.0)
    assert section(card, "ops").not_applicable == 1
    assert section(card, "ops").level == "mid"


def test_a_blocker_holds_the_level_at_its_cap(small: Bank) -> None:
    everything_else = {"runbook": "met", "review": "yes", "pipes": "met", "auth": "met"}

    card = score(small, assess(small, everything_else))

    # ops: (1*0 + 4*100 + 5*100) / 10 = 90, which reaches "top" (90), but the unanswered
    # critical owner holds it at the second level.
    assert card.score == pytest.approx(90.0)
    assert (card.level, card.reached, card.capped) == ("mid", "top", True)
    assert section(card, "ops").level == "mid"
    # The unblocked section reaches the top on its own.
    assert section(card, "integ").level == "top"

    # Partly met holds it below the top; fully met lifts the cap.
    card = score(small, assess(small, {**everything_else, "owner": "partly"}))
    assert (card.level, card.capped) == ("high", True)
    card = score(small, assess(small, {**everything_else, "owner": "met"}))
    assert (card.level, card.capped) == ("top", False)


def test_a_blocker_in_one_section_caps_the_headline_even_if_that_section_is_strong(
    small: Bank,
) -> None:
    # owner partly: ops = (50 + 400 + 500) / 10 = 95; integ = 100. Headline 95, held at high.
    card = score(
        small,
        assess(
            small,
            {"owner": "partly", "runbook": "met", "review": "yes", "pipes": "met", "auth": "met"},
        ),
    )

    assert card.score == pytest.approx(95.0)
    assert card.weakest == "ops"
    assert (card.level, card.capped, card.status) == ("high", True, "amber")


def test_a_blocker_below_the_level_reached_does_not_count_as_capping(small: Bank) -> None:
    card = score(small, assess(small, {"owner": "partly", "pipes": "met", "auth": "met"}))

    # ops: (50 + 0 + 0) / 10 = 5: already low, so nothing was held back.
    assert card.level == "low"
    assert card.capped is False
    assert len(card.blockers) == 1


# ---------------------------------------------------------------------------- levels


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0.0, "low"),
        (39.99, "low"),
        (40.0, "mid"),
        (69.9, "mid"),
        (70.0, "high"),
        (89.99, "high"),
        (90.0, "top"),
        (100.0, "top"),
    ],
)
def test_level_thresholds_are_inclusive_lower_bounds(small: Bank, value: float, level: str) -> None:
    reached, capped = level_for(small, value)

    assert reached.id == level
    assert capped is False


@pytest.mark.parametrize(
    ("value", "caps", "level", "capped"),
    [
        (100.0, ["high"], "high", True),
        (90.0, ["high", "mid"], "mid", True),
        (89.0, ["high"], "high", False),
        (75.0, ["mid"], "mid", True),
        (10.0, ["mid"], "low", False),
    ],
)
def test_the_lowest_cap_holds_the_level(
    small: Bank, value: float, caps: list[str], level: str, capped: bool
) -> None:
    reached, was_capped = level_for(small, value, caps)

    assert (reached.id, was_capped) == (level, capped)


# ---------------------------------------------------------------------------- orphans


def test_answers_to_questions_the_bank_lacks_are_listed_and_not_scored(small: Bank) -> None:
    card = score(
        small,
        assess(small, {"gone-question": "met", "pipes": "met", "also-gone": "whatever"}),
    )

    assert card.orphaned == ("gone-question", "also-gone")
    assert card.answered == 1
    assert section(card, "integ").score == pytest.approx(50.0)


def test_a_choice_the_question_does_not_offer_counts_as_unanswered(small: Bank) -> None:
    # "met" is on the default scale, but "review" has its own scale (yes/some/no).
    card = score(small, assess(small, {"review": "met"}))

    assert section(card, "ops").answered == 0


# ---------------------------------------------------------------------------- action plan


def test_action_plan_blockers_first_then_weight_times_gap_then_bank_order(small: Bank) -> None:
    assessment = assess(
        small,
        {
            "owner": "partly",  # blocker; gap 50, priority 1 * 50/100 = 0.5
            "runbook": Answer(notes="to discuss", owner="Bo"),  # no choice: gap 100, prio 4.0
            "review": "some",  # gap 75, priority 5 * 75/100 = 3.75
            "pipes": Answer(choice="partly", owner="Ana", due=date(2026, 12, 15)),  # prio 1.0
            "auth": Answer(choice="unknown"),  # gap 100, priority 2 * 1 = 2.0
        },
    )

    plan = action_plan(small, assessment)

    assert [item.question for item in plan] == ["owner", "runbook", "review", "auth", "pipes"]
    assert [item.priority for item in plan] == pytest.approx([0.5, 4.0, 3.75, 2.0, 1.0])
    assert [item.gap for item in plan] == [50.0, 100.0, 75.0, 100.0, 50.0]
    owner, runbook, review, auth, pipes = plan
    assert owner.blocker and not any(i.blocker for i in (runbook, review, auth, pipes))
    assert (owner.answer, runbook.answer, review.answer) == ("Partly", "Unanswered", "Some of it")
    assert auth.unknown and not pipes.unknown
    assert (pipes.owner, pipes.due) == ("Ana", "2026-12-15")
    assert (runbook.owner, runbook.due) == ("Bo", "")
    assert (review.owner, review.due) == ("", "")
    assert pipes.section == "integ"
    assert pipes.fix == "Build the pipelines."
    assert pipes.text == "Are the data pipelines real?"


def test_action_plan_ties_keep_bank_order_not_id_order(small: Bank) -> None:
    # pipes and auth both weigh 2 and are both partial: the same priority (1.0). pipes comes
    # first in the bank; auth would come first alphabetically.
    plan = action_plan(
        small,
        assess(
            small,
            {
                "owner": "met",
                "runbook": "met",
                "review": "yes",
                "pipes": "partly",
                "auth": "partly",
            },
        ),
    )

    assert [item.question for item in plan] == ["pipes", "auth"]


def test_action_plan_leaves_out_met_and_not_applicable_questions(small: Bank) -> None:
    plan = action_plan(
        small,
        assess(
            small,
            {"owner": "met", "runbook": na(), "review": "yes", "pipes": "met", "auth": "met"},
        ),
    )

    assert plan == []
    assert plan_text(plan) == "Nothing to fix: every applicable question is fully met."


def test_an_unanswered_critical_question_leads_the_plan(small: Bank) -> None:
    plan = action_plan(small, assess(small, {}))

    assert [item.question for item in plan] == ["owner", "review", "runbook", "pipes", "auth"]
    assert all(isinstance(item, ActionItem) and item.gap == 100.0 for item in plan)


# ---------------------------------------------------------------------------- text


def test_scorecard_text_shows_the_verdict_sections_and_blockers(small: Bank) -> None:
    card = score(
        small,
        assess(
            small,
            {
                "owner": "partly",
                "runbook": "met",
                "review": "some",
                "pipes": "met",
                "auth": "gone",
            },
        ),
    )
    # ops: (1*50 + 4*100 + 5*25) / 10 = 57.5; integ: auth's "gone" is no choice of its, so it is
    # unanswered: (2*100 + 0) / 4 = 50. Average (57.5 + 50) / 2 = 53.75.

    text = scorecard_text(small, card, with_meta(assess(small, {}), now=NOW, title="Claims bot"))
    lines = text.splitlines()

    assert lines[0] == "Claims bot"
    assert "Readiness: Middle" in text
    assert "Score 50/100 (weakest section: Integration), average 53/100" in text
    assert "Answered 4 of 5 (80%), 0 don't know, 0 not applicable, 1 blocker" in text
    assert any(line.startswith("Operations ") and "1 blocker" in line for line in lines)
    assert "  - Operations owner [owner]: critical and answered 'Partly'; holds it at High" in lines


def test_plan_text_numbers_items_and_tags_blockers_and_unknowns(small: Bank) -> None:
    plan = action_plan(
        small,
        assess(
            small,
            {
                "owner": "partly",
                "runbook": "met",
                "review": "yes",
                "pipes": Answer(choice="unknown", owner="ana", due=date(2026, 3, 1)),
                "auth": "met",
            },
        ),
    )

    assert plan_text(plan).splitlines() == [
        "1. Operations owner [owner] BLOCKER",
        "   Now: Partly. Fix: Name an operations owner.",
        "2. Data pipelines [pipes] DON'T KNOW",
        "   Now: Don't know. Fix: Build the pipelines.",
        "   Owner ana, due 2026-03-01",
    ]


# ---------------------------------------------------------------------------- ties


def test_sections_at_the_same_lowest_score_are_tied(small: Bank) -> None:
    # ops: (1*50 + 4*50 + 5*100) / 10 = 75; integ: (2*100 + 2*50) / 4 = 75.
    tied = assess(
        small,
        {"owner": "partly", "runbook": "partly", "review": "yes", "pipes": "met", "auth": "partly"},
    )
    card = score(small, tied)
    assert (card.score, card.lowest, card.tied) == (75.0, ("ops", "integ"), True)
    # integ at 100: ops alone is the weakest.
    alone = score(small, with_answer(tied, "auth", Answer(choice="met"), now=NOW))
    assert (alone.lowest, alone.tied, alone.weakest) == (("ops",), False, "ops")


def test_scores_apart_only_by_rounding_are_tied(small: Bank) -> None:
    # The same share, one sixth, reached through weights that floating point cannot hold
    # exactly: ops (0.1*100) / (0.1+0.2+0.3) = 16.666666666666664, integ 100 / 6 =
    # 16.666666666666668. Naming ops the weakest would rest on a rounding error.
    data = tomllib.loads(SMALL_BANK.read_text(encoding="utf-8"))
    weights = {"owner": 0.1, "runbook": 0.2, "review": 0.3, "pipes": 1, "auth": 5}
    for part in data["sections"]:
        for question in part["questions"]:
            question["weight"] = weights[question["id"]]
    bank = parse_bank(data)
    answers = {"owner": "met", "runbook": "not-met", "review": "no", "pipes": "met"}
    card = score(bank, assess(bank, answers | {"auth": "not-met"}))
    ops, integ = section(card, "ops"), section(card, "integ")
    assert ops.score != integ.score and ops.score == pytest.approx(integ.score)
    assert card.lowest == ("ops", "integ") and card.tied


def test_a_section_with_no_answer_is_unanswered_not_found_wanting(small: Bank) -> None:
    card = score(small, assess(small, {"pipes": "met"}))
    assert [s.id for s in card.unanswered_sections] == ["ops"]
    nothing = score(small, assess(small, {}))
    assert nothing.unanswered_sections == nothing.sections
