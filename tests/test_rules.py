"""The scoring rules, as data in a bank, through every path: the core, the command line and its
gate, merge, the reports and the app. Every number is worked out by hand from
tests/banks/rules.toml (its header lists the bank)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import Cli, app_for
from textual.content import Content
from textual.widgets import Static

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, with_answer, with_meta
from pilot_tui.core.bank import Bank
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.core.report import html_report, markdown_report
from pilot_tui.core.scoring import Scorecard, action_plan, score
from pilot_tui.store import Store, dumps_assessment, load_bank
from pilot_tui.ui.screens.interview import InterviewScreen

RULES = Path(__file__).parent / "banks" / "rules.toml"
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
STAFF_BATCH = {"kind": ["batch"], "audience": ["staff"]}
PUBLIC_BATCH = {"kind": ["batch"], "audience": ["public"]}
DUE = date(2027, 1, 15)


@pytest.fixture(scope="module")
def rules() -> Bank:
    return load_bank(RULES)


def assess(
    bank: Bank, context: dict[str, list[str]], answers: dict[str, str | Answer]
) -> Assessment:
    assessment = new_assessment(bank, "Rules pilot", context=context, now=NOW)
    for question_id, answer in answers.items():
        full = Answer(choice=answer) if isinstance(answer, str) else answer
        assessment = with_answer(assessment, question_id, full, now=NOW)
    return assessment


def ops(card: Scorecard) -> float | None:
    return card.sections[0].score


# ---------------------------------------------------------------------------- the core


def test_only_the_questions_of_the_context_count(rules: Bank) -> None:
    # batch, staff: ops = (2*100 + 2*50 + 1*100) / 5 = 80; web: nothing applies (left out).
    card = score(
        rules, assess(rules, STAFF_BATCH, {"gate": "met", "alarms": "partly", "docs": "met"})
    )

    assert (ops(card), card.sections[1].score, card.total) == (80.0, None, 3)
    assert (card.level, card.capped, card.blockers) == ("high", False, ())


def test_a_question_critical_in_a_context_caps_there(rules: Bank) -> None:
    answers: dict[str, str | Answer] = {"gate": "met", "alarms": "partly", "docs": "met"}
    # For the public, alarms are critical: partly holds the level at high (80 is high anyway).
    card = score(rules, assess(rules, PUBLIC_BATCH, answers))
    assert (card.level, [b.cap for b in card.blockers]) == ("high", ["high"])
    # All met but alarms partly, and docs met: (200 + 100 + 100) / 5 = 80 again; now with the
    # gate met and alarms not in place: (200 + 0 + 100) / 5 = 60, mid, held at mid.
    card = score(rules, assess(rules, PUBLIC_BATCH, {**answers, "alarms": "not-met"}))
    assert (ops(card), card.level, [b.cap for b in card.blockers]) == (60.0, "mid", ["mid"])


def test_not_applicable_on_a_critical_question_follows_the_banks_rule(rules: Bank) -> None:
    # gate n/a (it applies: it is critical everywhere): it scores 0 and holds the level at the
    # rule's level, low. ops = (0 + 200 + 100) / 5 = 60, which alone would reach mid.
    answers: dict[str, str | Answer] = {
        "gate": Answer(choice="na", reason="we ship by hand"),
        "alarms": "met",
        "docs": "met",
    }
    card = score(rules, assess(rules, STAFF_BATCH, answers))

    assert (ops(card), card.reached, card.level, card.capped) == (60.0, "mid", "low", True)
    [blocker] = card.blockers
    assert blocker.cap == "low"
    assert "we ship by hand" in blocker.reason


def test_a_plan_needs_an_owner_and_a_date(rules: Bank) -> None:
    base: dict[str, str | Answer] = {"alarms": "met", "docs": "met"}
    vague = score(rules, assess(rules, STAFF_BATCH, {**base, "gate": "planned"}))
    real = score(
        rules,
        assess(
            rules, STAFF_BATCH, {**base, "gate": Answer(choice="planned", owner="Ana", due=DUE)}
        ),
    )

    # Without: 0 points, held like unanswered (mid). With: 20 points, held at the plan's cap.
    assert (ops(vague), vague.blockers[0].cap) == (60.0, "mid")
    assert (ops(real), real.blockers[0].cap) == (68.0, "mid")  # (2*20 + 200 + 100) / 5
    assert vague.blockers[0].reason == (
        "critical and answered 'Planned' with no owner and no due date: it counts as not in place"
    )


def test_a_context_not_chosen_counts_every_option(rules: Bank) -> None:
    # Nothing chosen: online applies (waf, speed asked; waf critical) and public (alarms
    # critical). Everything met but the firewall unanswered: web = (0 + 100) / 2 = 50.
    answers: dict[str, str | Answer] = {
        "gate": "met",
        "alarms": "met",
        "docs": "met",
        "speed": "met",
    }
    card = score(rules, assess(rules, {}, answers))

    assert (card.total, card.score, card.level) == (5, 50.0, "mid")
    assert [b.question for b in card.blockers] == ["waf"]
    assert card.assumed == ("Kind", "Audience")
    # Choosing batch drops the web questions: the pilot reaches the top.
    chosen = score(rules, assess(rules, PUBLIC_BATCH, answers))
    assert (chosen.total, chosen.level, chosen.assumed) == (3, "top", ())


def test_the_plan_puts_the_lowest_cap_first(rules: Bank) -> None:
    answers: dict[str, str | Answer] = {
        "gate": Answer(choice="na", reason="we ship it by hand"),  # holds at low
        "alarms": "partly",  # critical for the public: holds at high
        "docs": "not-met",  # not critical, weight 1
    }
    plan = action_plan(rules, assess(rules, PUBLIC_BATCH, answers))

    assert [(item.question, item.blocker) for item in plan] == [
        ("gate", True),
        ("alarms", True),
        ("docs", False),
    ]


# ---------------------------------------------------------------------------- command line


def test_the_command_line_and_its_gate_apply_the_rules(cli: Cli, data_dir: Path) -> None:
    made = cli("new", "Rules pilot", "--bank", str(RULES), "--context", "batch,public")
    assert made.code == 0, made
    name = made.out.strip()
    for question, choice in (("gate", "met"), ("alarms", "not-met"), ("docs", "met")):
        assert cli("answer", name, question, choice, "--bank", str(RULES)).code == 0

    card = json.loads(cli("score", name, "--json", "--bank", str(RULES)).out)
    gate = cli("score", name, "--bank", str(RULES), "--require", "high")

    assert (card["score"], card["level"], card["total"]) == (60.0, "mid", 3)
    assert card["context"] == {"kind": ["batch"], "audience": ["public"]}
    assert card["blockers"][0]["holds_level_at"] == "mid"
    assert gate.code == 1
    assert "level 'Middle' is below 'High'" in gate.err
    # Not applicable on the critical gate: reason kept, blocker held at the rule's level.
    result = cli(
        "answer", name, "gate", "na", "--reason", "we ship it by hand", "--bank", str(RULES)
    )
    assert result.code == 0
    assert json.loads(cli("score", name, "--json", "--bank", str(RULES)).out)["level"] == "low"


def test_changing_the_context_is_recorded(cli: Cli) -> None:
    name = cli("new", "Rules pilot", "--bank", str(RULES), "--context", "batch").out.strip()

    refused = cli("context", name, "online,staff,public", "--bank", str(RULES))
    assert refused.code == 2
    assert "a change of context needs --reason" in refused.err
    result = cli(
        "context",
        name,
        "online,staff,public",
        "--reason",
        "it now answers the public online",
        "--bank",
        str(RULES),
    )

    assert result.code == 0, result
    assert "Kind: Online" in result.out
    assert "Audience: Staff, The public" in result.out
    assert "5 of 5 questions apply." in result.out
    assert "Kind: Batch; Audience: not chosen yet (every option counts) -> " in result.out
    assert "    why: it now answers the public online" in result.out
    bad = cli("context", name, "cloud", "--bank", str(RULES))
    assert bad.code == 2
    assert "'cloud' is not a context option of this bank" in bad.err


def test_bank_show_explains_the_rules(cli: Cli) -> None:
    out = cli("bank", "show", str(RULES)).out

    assert "    Partly: High" in out
    assert "    Planned: Middle; without an owner and a due date it counts as not in place" in out
    assert (
        "    Not applicable: Low (the question applies to the pilot, so it stays a blocker)" in out
    )
    assert "    Unanswered: Middle" in out
    assert "CRITICAL for The public" in out
    assert "only for: Online" in out


# ---------------------------------------------------------------------------- merge, reports


def test_a_merged_team_answer_is_held_by_the_same_rules(rules: Bank) -> None:
    people = []
    for who, choice in (("Ana", "na"), ("Bo", "na"), ("Cy", "met")):
        own = with_meta(
            new_assessment(rules, "Rules pilot", context=STAFF_BATCH, now=NOW),
            now=NOW,
            respondent=who,
        )
        answer = Answer(choice=choice, reason="we ship it by hand" if choice == "na" else "")
        own = with_answer(own, "gate", answer, now=NOW)
        own = with_answer(own, "alarms", Answer(choice="met"), now=NOW)
        own = with_answer(own, "docs", Answer(choice="met"), now=NOW)
        people.append(MergeInput(f"{who.lower()}.toml", own))

    merged = merge(rules, people, now=NOW)
    card = score(rules, merged)

    # Two of three say not applicable: the team answer is n/a, and it holds the level at low.
    assert merged.answers["gate"] == Answer(choice="na", reason="we ship it by hand")
    assert merged.context == STAFF_BATCH
    assert (card.level, card.blockers[0].cap) == ("low", "low")


def test_the_reports_say_what_holds_the_pilot_back(rules: Bank) -> None:
    assessment = assess(
        rules,
        STAFF_BATCH,
        {"gate": Answer(choice="na", reason="we ship it by hand"), "alarms": "met", "docs": "met"},
    )

    text = markdown_report(rules, assessment, generated=NOW)
    page = html_report(rules, assessment, generated=NOW)

    held = "held back by 1 blocker; the score alone reaches Middle"
    for rendered in (text, page):
        assert held in rendered
        assert "Holds the level at" in rendered
        assert "Kind: Batch; Audience: Staff" in rendered
    assert "| Low |" in text


# ---------------------------------------------------------------------------- the app


async def test_the_interview_marks_what_is_critical_here_and_why_na_does_not_help(
    data_dir: Path,
) -> None:
    bank = load_bank(RULES)
    store = Store(data_dir, bank)
    name = store.create(new_assessment(bank, "Rules pilot", context=PUBLIC_BATCH, now=NOW))
    app = app_for(store, name)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        await pilot.press("n")  # alarms: critical for the public
        await pilot.pause()
        title = screen.query_one("#question-title", Static).content
        assert isinstance(title, Content) and "CRITICAL" in title.plain
        await pilot.press("6")
        await pilot.pause()
        await pilot.press(*"quietalarms", "enter")
        await pilot.pause()
        note = screen.query_one("#answer-note", Static).content
        assert isinstance(note, Content) and "Still a blocker" in note.plain
        # Only the batch questions are asked: ops has three, web none.
        assert len(screen.session.positions()) == 3
        await pilot.press("ctrl+q")
    saved = store.load(name)
    assert saved.answers["alarms"] == Answer(choice="na", reason="quietalarms")
    assert score(bank, saved).blockers[0].question == "gate"
    assert (Path(data_dir) / f"{name}.toml").read_text() == dumps_assessment(saved)


# ---------------------------------------------------------------------------- no silent gaming


def test_a_context_change_is_never_silent(rules: Bank, store_for_rules: Store, cli: Cli) -> None:
    """Moving a pilot to a context where a failing question does not apply needs a reason,
    and the score, the report and the diff all say what changed and what it took out."""
    online = {"kind": ["online"], "audience": ["staff"]}
    assessment = assess(
        rules, online, {"gate": "met", "alarms": "met", "docs": "met", "waf": "not-met"}
    )
    name = store_for_rules.create(assessment)
    assert cli("milestone", name, "Before the move", "--bank", str(RULES)).code == 0
    moved = cli(
        "context", name, "batch", "--reason", "the web part is out of scope", "--bank", str(RULES)
    )
    assert moved.code == 0, moved

    text = cli("score", name, "--bank", str(RULES)).out
    report = cli("report", name, "--bank", str(RULES)).out
    diff = cli("diff", name, "--bank", str(RULES)).out

    assert "Context changed 1 time; the latest on " in text
    assert "the web part is out of scope" in text
    assert "Kept 1 answer to questions that do not apply to this context (not counted): waf" in (
        text
    )
    assert "Reason given: the web part is out of scope." in report
    assert "### Answers to questions that do not apply to this context" in report
    assert "The context changed: Kind: Online; Audience: Staff -> Kind: Batch; Audience: Staff" in (
        diff
    )


def test_not_applicable_is_counted_and_needs_a_real_reason(cli: Cli) -> None:
    name = cli("new", "Rules pilot", "--bank", str(RULES), "--context", "batch,staff").out.strip()

    short = cli("answer", name, "docs", "na", "--reason", ".", "--bank", str(RULES))
    good = cli("answer", name, "docs", "na", "--reason", "generated docs", "--bank", str(RULES))

    assert short.code == 2
    assert "needs a reason" in short.err
    assert good.code == 0
    assert "1 not applicable" in cli("score", name, "--bank", str(RULES)).out


def test_a_copy_of_the_built_in_bank_under_its_name_is_refused(cli: Cli, tmp_path: Path) -> None:
    shipped = (Path(__file__).parent.parent / "assets" / "default-bank.toml").read_text()
    lenient = tmp_path / "lenient.toml"
    lenient.write_text(shipped.replace("critical = true", "critical = false"))

    result = cli("--bank", str(lenient), "bank", "show")

    assert result.code == 2
    assert "has the id and version of the built-in bank" in result.err
    renamed = tmp_path / "ours.toml"
    renamed.write_text(
        shipped.replace("critical = true", "critical = false").replace(
            'id = "ai-pilot-to-production"', 'id = "our-lenient-bank"'
        )
    )
    assert cli("--bank", str(renamed), "bank", "show").code == 0


@pytest.fixture
def store_for_rules(data_dir: Path) -> Store:
    return Store(data_dir, load_bank(RULES))
