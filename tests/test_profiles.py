"""Realistic pilots, described by their facts and answered as their teams would, against the
verdict an experienced production-readiness reviewer gives them.

Each profile's answers follow from its facts alone; a question the facts say nothing about is
answered the way a team with that track record would answer it. The verdicts are the
reviewer's, not whatever the tool happened to say.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from helpers import Cli

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.scoring import action_plan, asked, score
from pilot_tui.store import Store

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
DUE = date(2027, 1, 31)


def answered(
    bank: Bank, title: str, context: dict[str, list[str]], answers: dict[str, str | Answer]
) -> Assessment:
    assessment = new_assessment(bank, title, context=context, now=NOW)
    for question_id, answer in answers.items():
        full = Answer(choice=answer) if isinstance(answer, str) else answer
        assessment = with_answer(assessment, question_id, full, now=NOW)
    return assessment


def asked_ids(bank: Bank, context: dict[str, list[str]]) -> list[str]:
    return [question.id for _, questions in asked(bank, context) for question in questions]


# ---------------------------------------------------------------------------- the assistant

SUPPORT_CONTEXT = {"system": ["llm-tools"], "serves": ["customers", "decisions"]}


def support_assistant(bank: Bank) -> Assessment:
    """A customer-support assistant built on a large language model, with retrieval over the
    help-centre articles and a tool that issues refunds (up to 500 euros, no person approves).
    The team has strong enterprise hygiene: a named operations owner, a runbook, on-call, an
    escalation path, a security review, a compliance assessment, legal sign-off, monitoring of
    errors, latency and sampled answer quality, dashboards, and an evaluation on real tickets
    that meets agreed criteria. What it lacks: nobody has tested prompt injection; the model is
    called through a "latest" alias; card numbers typed by customers go to the model provider,
    which keeps prompts for 30 days; there is no spending cap; nobody watches for abuse; and a
    rollback has never been rehearsed (they would "redeploy the old image").

    Reviewer's verdict: Pilot. A model that can be talked into issuing refunds is a no-go.
    """
    answers: dict[str, str | Answer] = {
        question: "met" for question in asked_ids(bank, SUPPORT_CONTEXT)
    }
    answers.update(
        {
            "prompt-injection": "not-met",
            "model-versions-pinned": "not-met",
            "personal-data-to-providers": "not-met",
            "cost-cap": "not-met",
            "abuse-monitoring": "not-met",
            "rollback-rehearsed": "not-met",
            # Refunds are capped in the tool, but nobody approves them: partly.
            "tool-permissions": "partly",
            # Answers are spot-checked for made-up facts, but no rate is measured yet.
            "unsupported-statements": "partly",
        }
    )
    return answered(bank, "Support assistant", SUPPORT_CONTEXT, answers)


def test_the_support_assistant_is_no_better_than_a_pilot(bank: Bank) -> None:
    assessment = support_assistant(bank)

    card = score(bank, assessment)

    assert card.level == "pilot"
    # Held there by its blockers whatever else the team improves.
    assert {blocker.cap for blocker in card.blockers} >= {"pilot"}
    blockers = {blocker.question for blocker in card.blockers}
    assert {"prompt-injection", "rollback-rehearsed", "personal-data-to-providers"} <= blockers
    # Prompt injection and rollback come first in the plan.
    plan = action_plan(bank, assessment)
    assert {plan[0].question, plan[1].question} == {"prompt-injection", "rollback-rehearsed"}
    assert all(item.blocker for item in plan[:3])


def test_the_gate_for_ready_fails_for_the_support_assistant(
    bank: Bank, store: Store, cli: Cli
) -> None:
    name = store.create(support_assistant(bank))

    ready = cli("score", name, "--require", "ready")
    candidate = cli("score", name, "--require", "candidate")

    assert ready.code == 1
    assert "level 'Pilot' is below 'Production ready'" in ready.err
    assert candidate.code == 1


def test_not_applicable_cannot_dodge_a_critical_question(bank: Bank) -> None:
    """The same team, answering 'not applicable' to prompt injection ("our users are nice")
    and to the rollback ("we never roll back"): the verdict does not move, and the reasons are
    shown on the blockers."""
    assessment = support_assistant(bank)
    dodges = {
        "prompt-injection": "our users are nice",
        "rollback-rehearsed": "we never roll back",
        "personal-data-to-providers": "the provider is trusted",
    }
    for question, reason in dodges.items():
        assessment = with_answer(assessment, question, Answer(choice="na", reason=reason), now=NOW)

    card = score(bank, assessment)

    assert card.level == "pilot"
    reasons = {blocker.question: blocker.reason for blocker in card.blockers}
    for question, reason in dodges.items():
        assert reason in reasons[question]
    assert card.score <= score(bank, support_assistant(bank)).score


def test_a_plan_is_not_half_of_doing_it(bank: Bank) -> None:
    """Deferring the integration to "phase 2" with an owner and a date earns far less than
    building part of it, and a plan without an owner and a date earns nothing."""
    base = support_assistant(bank)
    partly = with_answer(base, "data-pipelines", Answer(choice="partly"), now=NOW)
    planned = with_answer(
        base, "data-pipelines", Answer(choice="planned", owner="Ana", due=DUE), now=NOW
    )
    vague = with_answer(base, "data-pipelines", Answer(choice="planned"), now=NOW)

    def integration(assessment: Assessment) -> float:
        found = next(s for s in score(bank, assessment).sections if s.id == "integration")
        assert found.score is not None
        return found.score

    assert integration(vague) < integration(planned) < integration(partly)
    plan = {item.question: item for item in action_plan(bank, vague)}
    assert plan["data-pipelines"].answer == (
        "Planned, with an owner and a due date (no owner and no due date: counts as not in place)"
    )


# ---------------------------------------------------------------------------- the chatbot

CHATBOT_CONTEXT = {"system": ["llm-app"], "serves": ["customers"]}


def hackathon_chatbot(bank: Bank) -> Assessment:
    """A chatbot built in a two-day hackathon that answers customers' questions about their
    policies, demoed to the leadership team last week. It runs on a developer's laptop with the
    API key in the code; its "evaluation" is twenty questions the team picked; the knowledge
    base is a PDF uploaded by hand. Nobody owns it, nothing is monitored, and nobody has
    talked to security, compliance or legal. The team is honest about it.

    Reviewer's verdict: Demo.
    """
    answers: dict[str, str | Answer] = {
        question: "not-met" for question in asked_ids(bank, CHATBOT_CONTEXT)
    }
    answers.update(
        {
            "success-criteria-agreed": "not-met",
            "criteria-met": "unknown",
            "error-handling": "unknown",
            "model-versions-pinned": "unknown",
            "provider-capacity": "unknown",
            # "We will build a real pipeline after the demo" - but with nobody and no date.
            "data-pipelines": "planned",
            "api-connections": "partly",  # it calls the policy API's test endpoint
        }
    )
    return answered(bank, "Policy chatbot", CHATBOT_CONTEXT, answers)


def test_the_hackathon_chatbot_is_a_demo(bank: Bank) -> None:
    card = score(bank, hackathon_chatbot(bank))

    assert card.level == "demo"
    assert card.score < 40
    assert len(card.blockers) >= 10


# ---------------------------------------------------------------------------- classic ML

FORECAST_CONTEXT = {"system": ["classic-ml"], "serves": ["internal"]}


def mature_forecasting(bank: Bank) -> Assessment:
    """A demand-forecasting model that the replenishment planners use every morning, run by a
    mature machine-learning platform team: agreed and met criteria, evaluation on last year's
    real sales, features from a shared feature store with skew alerts, a named owner, runbook,
    on-call, rehearsed rollback, a kill switch back to last year's rules, automated pipelines,
    production authentication, reviews and sign-offs, monitoring of errors, latency and
    weekly forecast error, dashboards and a feedback channel; cost is a fixed cluster with a
    budget cap. Every question that applies is answered, none of them "not applicable".

    Reviewer's verdict: Production ready.
    """
    answers: dict[str, str | Answer] = {
        question: "met" for question in asked_ids(bank, FORECAST_CONTEXT)
    }
    return answered(bank, "Demand forecast", FORECAST_CONTEXT, answers)


def test_a_mature_classic_ml_team_can_reach_the_top_without_not_applicable(bank: Bank) -> None:
    assessment = mature_forecasting(bank)
    assert not any(answer.choice == "na" for answer in assessment.answers.values())
    # No language-model question is asked of a classic model.
    assert "prompt-injection" not in asked_ids(bank, FORECAST_CONTEXT)
    assert "training-serving-skew" in asked_ids(bank, FORECAST_CONTEXT)

    card = score(bank, assessment)

    assert (card.level, card.score, card.blockers) == ("ready", 100.0, ())


def test_the_top_is_reached_only_once_every_critical_item_is_met(bank: Bank) -> None:
    full = mature_forecasting(bank)
    # Everything else perfect, one critical question partly met: just below the top.
    partly = with_answer(full, "rollback-rehearsed", Answer(choice="partly"), now=NOW)
    assert score(bank, partly).level == "candidate"
    # A gap in a question that is not critical is allowed at the top if the score holds.
    gap = with_answer(full, "user-feedback", Answer(choice="partly"), now=NOW)
    assert score(bank, gap).level == "ready"


def test_a_late_team_can_still_reach_the_top(bank: Bank) -> None:
    """Bank 1 asked whether criteria were set at the start and an owner named before launch; a
    team that fixed both late could never meet them. Bank 2 asks whether they are in place."""
    texts = {question.id: question.text for _, question in bank.iter_questions()}
    for question in ("success-criteria-agreed", "operations-owner-named", "architecture-review"):
        assert "at the start" not in texts[question]
        assert "before" not in texts[question]


@pytest.mark.parametrize(
    ("context", "count"),
    [
        ({"system": ["classic-ml"], "serves": ["internal"]}, 29),
        ({"system": ["classic-ml"], "serves": ["customers", "decisions"]}, 32),
        ({"system": ["llm-app"], "serves": ["customers"]}, 34),
        ({"system": ["llm-tools"], "serves": ["customers", "decisions"]}, 37),
        ({"system": ["agent"], "serves": ["internal"]}, 36),
    ],
)
def test_a_workshop_asks_about_30_to_36_questions(
    bank: Bank, context: dict[str, list[str]], count: int
) -> None:
    assert len(asked_ids(bank, context)) == count


# ---------------------------------------------------------------------------- decisions

DECIDING_TOOL = {"system": ["llm-tools"], "serves": ["customers", "decisions"]}


def claims_autopayout(bank: Bank) -> Assessment:
    """A glass-damage claims assistant: a language model reads the customer's photos and
    invoices and pays out up to 1,500 euros on its own. Payouts cannot be undone, nobody
    approves them, and the per-claim limit sits in the payment tool but there is no daily total.
    The team tested prompt injection in chat messages, not in the uploaded documents. All else
    (evaluation, operations, integration, reviews, monitoring) is in place.

    Reviewer's verdict: Pilot. Irreversible money moves with no person in the loop.
    """
    answers: dict[str, str | Answer] = {
        question: "met" for question in asked_ids(bank, DECIDING_TOOL)
    }
    answers.update(
        {"human-review": "not-met", "tool-permissions": "partly", "prompt-injection": "partly"}
    )
    return answered(bank, "Glass claims payout", DECIDING_TOOL, answers)


CREDIT_CONTEXT = {"system": ["classic-ml"], "serves": ["customers", "decisions"]}


def credit_scoring(bank: Bank) -> Assessment:
    """A credit-scoring model for small-business loans, run by a strong MLOps team: evaluation
    on real applications, feature store, monitoring, rollback, reviews. Declines are automatic;
    applicants get no reasons and cannot ask for a person; nobody has measured differences in
    approval rates between groups.

    Reviewer's verdict: Pilot. Decisions about people without fairness testing or recourse.
    """
    answers: dict[str, str | Answer] = {
        question: "met" for question in asked_ids(bank, CREDIT_CONTEXT)
    }
    answers.update({"fairness-tested": "not-met", "human-review": "not-met"})
    return answered(bank, "SME credit score", CREDIT_CONTEXT, answers)


@pytest.mark.parametrize("profile", [claims_autopayout, credit_scoring])
def test_decisions_about_people_or_money_need_review_and_fairness(
    bank: Bank, profile: Callable[[Bank], Assessment]
) -> None:
    card = score(bank, profile(bank))

    assert card.level == "pilot"
    assert card.score >= 70  # strong everywhere else: the blockers, not the score, decide


def test_partly_in_place_is_not_enough_for_an_all_or_nothing_control(bank: Bank) -> None:
    only_limits = with_answer(
        claims_autopayout(bank), "human-review", Answer(choice="met"), now=NOW
    )

    card = score(bank, only_limits)

    # Tool limits and injection tests partly in place: still Pilot, and said why.
    assert card.level == "pilot"
    reasons = {blocker.question: blocker.reason for blocker in card.blockers}
    assert "all or nothing" in reasons["tool-permissions"]
    assert "all or nothing" in reasons["prompt-injection"]
