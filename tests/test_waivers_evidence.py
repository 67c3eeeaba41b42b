"""Readiness as code: accepted risks (waivers) through their expiry with an injected clock, and
evidence checked against a temporary repository, hostile paths included."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import Cli, assert_one_error_line

from pilot_tui.core.assessment import Answer, Assessment, Waiver, new_assessment, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.evidence import discount_untrusted
from pilot_tui.core.records import InvalidData, validate
from pilot_tui.core.scoring import score
from pilot_tui.core.waivers import unwaive, waive
from pilot_tui.store import Store, dumps_assessment
from pilot_tui.store.evidence import check_evidence, evidence_root, state_of

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
BLOCKER = "legal-sign-off"
FORM_FIELDS = ("reason", "requester", "approver", "expires")


def all_met_but(bank: Bank, question: str, choice: str = "not-met") -> Assessment:
    assessment = new_assessment(bank, "Claims bot", now=NOW)
    for _, each in bank.iter_questions():
        answer = Answer(choice=choice if each.id == question else "met")
        assessment = with_answer(assessment, each.id, answer, now=NOW)
    return assessment


def waived(bank: Bank, assessment: Assessment, expires: date) -> Assessment:
    return waive(
        bank,
        assessment,
        BLOCKER,
        reason="Legal review booked for January",
        requester="Ana",
        approver="Bo Chief",
        expires=expires,
        now=NOW,
    )


# ---------------------------------------------------------------------------- waivers


def test_a_waiver_lifts_the_cap_until_it_expires_and_is_always_shown(bank: Bank) -> None:
    blocked = all_met_but(bank, BLOCKER)
    before = score(bank, blocked, today=TODAY)
    assert BLOCKER in {b.question for b in before.blockers} and before.capped

    accepted = waived(bank, blocked, TODAY + timedelta(days=30))
    holding = score(bank, accepted, today=TODAY + timedelta(days=30))  # the last day included
    assert BLOCKER not in {b.question for b in holding.blockers}
    assert [item.blocker.question for item in holding.waived] == [BLOCKER]
    assert holding.waived[0].waiver.approver == "Bo Chief"
    assert holding.level != before.level  # no longer held back by it

    expired = score(bank, accepted, today=TODAY + timedelta(days=31))
    assert expired.level == before.level
    [again] = [b for b in expired.blockers if b.question == BLOCKER]
    assert again.lapsed is not None and again.lapsed.expires == TODAY + timedelta(days=30)
    assert again.lapse == f"it expired on {(TODAY + timedelta(days=30)).isoformat()}"
    assert expired.waived == ()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"approver": " ana "}, "is the requester"),
        ({"expires": TODAY - timedelta(days=1)}, "would have expired already"),
        ({"question": "no-such-question"}, "no question 'no-such-question'"),
        ({"question": "runbook"}, "not a blocker now"),
        ({"reason": "ok"}, "at least 10 characters"),
    ],
)
def test_a_waiver_that_cannot_hold_is_refused_in_one_line(
    bank: Bank, change: dict[str, object], message: str
) -> None:
    fields: dict[str, object] = {
        "question": BLOCKER,
        "reason": "Legal review booked for January",
        "requester": "Ana",
        "approver": "Bo Chief",
        "expires": TODAY + timedelta(days=30),
        **change,
    }
    question = str(fields.pop("question"))
    with pytest.raises(ValueError, match=message) as raised:
        waive(bank, all_met_but(bank, BLOCKER), question, now=NOW, **fields)  # type: ignore[arg-type]
    assert "\n" not in str(raised.value)


def test_a_file_whose_waiver_is_approved_by_its_requester_does_not_load(bank: Bank) -> None:
    accepted = waived(bank, all_met_but(bank, BLOCKER), TODAY + timedelta(days=3))
    forged = replace(
        accepted, waivers={BLOCKER: replace(accepted.waivers[BLOCKER], approver="ANA")}
    )
    with pytest.raises(InvalidData, match="approved by its own requester"):
        validate(Assessment, forged.to_data())


def test_unwaive_puts_the_blocker_back(bank: Bank) -> None:
    accepted = waived(bank, all_met_but(bank, BLOCKER), TODAY + timedelta(days=3))
    back = unwaive(accepted, BLOCKER, now=NOW)
    assert BLOCKER in {b.question for b in score(bank, back, today=TODAY).blockers}
    with pytest.raises(ValueError, match="no waiver for 'runbook'"):
        unwaive(back, "runbook", now=NOW)


def test_waive_and_the_gate_on_the_command_line(cli: Cli, store: Store, bank: Bank) -> None:
    name = store.create(all_met_but(bank, BLOCKER))
    expires = (datetime.now(UTC).date() + timedelta(days=10)).isoformat()
    base = ("waive", name, BLOCKER, "--reason", "Legal review booked for January")
    refused = cli(*base, "--requester", "Ana", "--approver", "ana", "--expires", expires)
    assert_one_error_line(refused, contains="is the requester")

    done = cli(*base, "--requester", "Ana", "--approver", "Bo Chief", "--expires", expires)
    assert done.code == 0, done.err
    text = cli("score", name).out
    assert "1 blocker waived" in text
    assert f"waived until {expires}, approved by Bo Chief (asked by Ana)" in text
    data = json.loads(cli("score", name, "--json").out)
    assert [item["question"] for item in data["waived"]] == [BLOCKER]
    assert cli("score", name, "--require", "candidate").code == 0
    # Still a gap to close, first in the plan: accepted until a day.
    assert f"[{BLOCKER}] BLOCKER (waived until {expires})" in cli("plan", name).out


def test_an_expired_waiver_fails_the_gate_and_says_which(
    cli: Cli, store: Store, bank: Bank
) -> None:
    # Written while it held; read after it expired (the file keeps it, the verdict does not).
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    blocked = all_met_but(bank, BLOCKER)
    accepted = replace(
        blocked,
        waivers={
            BLOCKER: Waiver(
                reason="Legal review booked for January",
                requester="Ana",
                approver="Bo Chief",
                expires=yesterday,
                answer="not-met",
                granted=NOW,
            )
        },
    )
    name = store.create(accepted)
    result = cli("score", name, "--require", "pilot")
    assert result.code == 1
    assert (
        f"pilot-tui: gate failed: the waiver of {BLOCKER}, approved by Bo Chief, no longer "
        f"holds: it expired on {yesterday.isoformat()}"
    ) in result.err
    assert "expired on" in result.out  # the blocker itself says why it stands again


def test_a_waiver_holds_for_the_answer_it_was_granted_for_only(bank: Bank) -> None:
    # Accepted while the answer was "partly": "not in place" is a risk nobody accepted.
    partly = all_met_but(bank, BLOCKER, choice="partly")
    accepted = waived(bank, partly, TODAY + timedelta(days=30))
    assert accepted.waivers[BLOCKER].answer == "partly"
    worse = with_answer(accepted, BLOCKER, Answer(choice="not-met"), now=NOW)
    card = score(bank, worse, today=TODAY)
    [again] = [b for b in card.blockers if b.question == BLOCKER]
    assert again.lapse == (
        "it was granted while the answer was 'Partly in place', and the answer is now "
        "'Not in place'"
    )
    # Met now: the waiver is kept, not in use, and said to be.
    met = with_answer(accepted, BLOCKER, Answer(choice="met"), now=NOW)
    assert score(bank, met, today=TODAY).unused_waivers == (BLOCKER,)


def test_self_approval_is_refused_however_the_name_is_written(bank: Bank) -> None:
    fullwidth = "\uff21\uff2e\uff21"  # ANA in fullwidth letters
    for approver in (fullwidth, "  ana  ", "Ana"):
        with pytest.raises(ValueError, match="is the requester"):
            waive(
                bank,
                all_met_but(bank, BLOCKER),
                BLOCKER,
                reason="Legal review booked for January",
                requester="Ana",
                approver=approver,
                expires=TODAY + timedelta(days=3),
                now=NOW,
            )


# ---------------------------------------------------------------------------- evidence


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "runbooks").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / "runbooks" / "claims.md").write_text("# Runbook\n", encoding="utf-8")
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours", encoding="utf-8")
    os.symlink(outside, root / "runbooks" / "leak.md")
    os.symlink(root / "runbooks" / "claims.md", root / "runbooks" / "alias.md")
    (root / "assessments").mkdir()
    return root


@pytest.mark.parametrize(
    ("evidence", "state"),
    [
        ("runbooks/claims.md", "present"),
        ("runbooks/claims.md#on-call", "present"),
        ("runbooks/alias.md", "present"),  # a link that stays inside
        ("runbooks/missing.md", "missing"),
        ("runbooks/../runbooks/claims.md", "present"),
        ("../secret.txt", "outside"),
        ("runbooks/../../secret.txt", "outside"),
        ("runbooks/leak.md", "outside"),  # a link leading out
        ("/etc/passwd", "outside"),
        ("~/secret.txt", "outside"),
        ("https://wiki.example.com/a?b=1&c=2", "unchecked"),
        ("Signed by the product owner", "words"),
    ],
)
def test_evidence_paths_are_checked_inside_the_repository_only(
    repo: Path, evidence: str, state: str
) -> None:
    assert state_of(evidence, repo) == state


def test_the_repository_is_found_above_the_assessment_file(repo: Path) -> None:
    assert evidence_root(repo / "assessments" / "claims.toml") == repo


def test_stale_unverified_and_untrusted_evidence_count_as_partly_met_at_the_gate(
    repo: Path, bank: Bank
) -> None:
    assessment = new_assessment(bank, "Claims bot", now=NOW)
    answers = {
        "runbook": Answer(choice="met", evidence="runbooks/claims.md", verified=TODAY),
        "on-call": Answer(choice="met", evidence="runbooks/missing.md"),
        "legal-sign-off": Answer(choice="met", evidence="https://wiki.example.com/legal"),
        "security-review": Answer(
            choice="met", evidence="https://wiki.example.com/sec", verified=TODAY
        ),
        "cost-cap": Answer(
            choice="met", evidence="runbooks/claims.md", verified=TODAY - timedelta(days=400)
        ),
        "rollback-rehearsed": Answer(choice="met"),
    }
    for question, answer in answers.items():
        assessment = with_answer(assessment, question, answer, now=NOW)
    checks = check_evidence(bank, assessment, repo, today=TODAY, max_age=365)
    gated, discounted = discount_untrusted(bank, assessment, checks)
    assert {item.check.question for item in discounted} == {
        "on-call",
        "legal-sign-off",
        "cost-cap",
        "rollback-rehearsed",
    }
    assert all(item.after == "Partly in place" for item in discounted)
    assert gated.answers["runbook"].choice == "met"
    assert gated.answers["on-call"].choice == "partly"
    stale = next(item for item in discounted if item.check.question == "cost-cap")
    assert "400 days ago" in stale.check.problem


def test_evidence_on_the_command_line(cli: Cli, repo: Path, bank: Bank) -> None:
    assessment = new_assessment(bank, "Claims bot", now=NOW)
    for question, evidence in (("runbook", "runbooks/claims.md"), ("on-call", "../secret.txt")):
        answer = Answer(choice="met", evidence=evidence)
        assessment = with_answer(assessment, question, answer, now=NOW)
    path = repo / "assessments" / "claims.toml"
    path.write_text(dumps_assessment(assessment), encoding="utf-8")

    result = cli("evidence", str(path))
    assert result.code == 1
    assert "runbook: runbooks/claims.md: in the repository" in result.out
    assert "on-call: ../secret.txt: ../secret.txt leads outside the repository" in result.out
    data = json.loads(cli("evidence", str(path), "--json").out)
    assert [(item["question"], item["state"]) for item in data] == [
        ("runbook", "present"),
        ("on-call", "outside"),
    ]
    gate = cli("score", str(path), "--require-evidence", "--fail-under", "0")
    assert "on-call counts as 'Partly in place'" in gate.err
    assert_one_error_line(cli("evidence", str(path), "--root", str(repo / "nowhere")))
    assert cli("answer", str(path), "runbook", "met", "--verified", "today").code == 0
    fresh = cli("evidence", str(path), "--max-age", "30", "--json")
    assert json.loads(fresh.out)[0]["stale"] is False


# ---------------------------------------------------------------------------- in the app


async def test_waive_and_unwaive_from_the_app_and_evidence_beside_the_answer(
    store: Store, bank: Bank
) -> None:
    from helpers import app_for, wait_until
    from textual.widgets import Input, Static

    from pilot_tui.ui.screens.dialogs import WaiverForm
    from pilot_tui.ui.screens.interview import InterviewScreen

    blocked = all_met_but(bank, BLOCKER)
    blocked = with_answer(
        blocked, "runbook", Answer(choice="met", evidence="runbooks/gone.md"), now=NOW
    )
    name = store.create(blocked)
    app = app_for(store, name)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        screen.advance = False
        position = screen.session.position_of(BLOCKER)
        assert position is not None
        await screen.go_to(position)
        screen.action_waive()
        await wait_until(
            lambda: isinstance(app.screen, WaiverForm) and bool(app.screen.query("#waiver-expires"))
        )
        form = app.screen
        values = ("Legal review booked for January", "Ana", "ana", "2026-01-31")
        for field, value in zip(FORM_FIELDS, values, strict=True):
            form.query_one(f"#waiver-{field}", Input).value = value
        await pilot.press("enter")
        # The rule is the core's: an approver who is the requester is refused, and said.
        await wait_until(lambda: isinstance(app.screen, InterviewScreen))
        assert BLOCKER not in screen.session.assessment.waivers

        screen.action_waive()
        await wait_until(
            lambda: isinstance(app.screen, WaiverForm) and bool(app.screen.query("#waiver-expires"))
        )
        until = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
        values = ("Legal review booked for January", "Ana", "Bo Chief", until)
        for field, value in zip(FORM_FIELDS, values, strict=True):
            app.screen.query_one(f"#waiver-{field}", Input).value = value
        await pilot.press("enter")
        await wait_until(lambda: BLOCKER in screen.session.assessment.waivers)
        await pilot.pause()
        note = str(screen.query_one("#answer-note", Static).render())
        assert f"Waived: waived until {until}, approved by Bo Chief" in note
        assert [item.blocker.question for item in screen.session.card.waived] == [BLOCKER]

        screen.action_unwaive()
        assert BLOCKER in {b.question for b in screen.session.card.blockers}

        runbook = screen.session.position_of("runbook")
        assert runbook is not None
        await screen.go_to(runbook)
        await pilot.pause()
        note = str(screen.query_one("#answer-note", Static).render())
        assert "Evidence: runbooks/gone.md is not in the repository" in note


def test_reports_show_waived_blockers_and_the_evidence_to_look_at(
    cli: Cli, repo: Path, bank: Bank
) -> None:
    blocked = all_met_but(bank, BLOCKER)
    blocked = with_answer(
        blocked, "runbook", Answer(choice="met", evidence="runbooks/gone.md"), now=NOW
    )
    accepted = waived(bank, blocked, datetime.now(UTC).date() + timedelta(days=30))
    path = repo / "assessments" / "claims.toml"
    path.write_text(dumps_assessment(accepted), encoding="utf-8")
    for fmt in ("md", "html"):
        report = cli("report", str(path), "--format", fmt).out
        assert "Accepted risks (waivers)" in report
        assert "Bo Chief" in report and "Legal review booked for January" in report
        assert "Evidence to look at" in report
        assert "runbooks/gone.md is not in the repository" in report.replace("\\", "")


def test_with_nothing_between_yes_and_no_an_untrusted_yes_counts_for_nothing(
    bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A bank of one's own may offer only yes (100) and no (0): an untrusted "yes" must not
    # pass the evidence gate as met.
    real = type(bank).offered_choices

    def yes_or_no(self: Bank, question: object) -> tuple[object, ...]:
        return tuple(c for c in real(self, question) if c.id in ("met", "not-met"))  # type: ignore[arg-type]

    monkeypatch.setattr(type(bank), "offered_choices", yes_or_no)
    assessment = with_answer(
        new_assessment(bank, "Claims bot", now=NOW),
        "runbook",
        Answer(choice="met", evidence="does/not/exist.md"),
        now=NOW,
    )
    gated, discounted = discount_untrusted(bank, assessment, [])
    assert [item.after for item in discounted] == ["Not in place"]
    assert gated.answers["runbook"].choice == "not-met"


def test_a_diff_shows_waivers_and_evidence_that_changed(
    cli: Cli, bank: Bank, tmp_path: Path
) -> None:
    # A pull request that only waives a blocker must not read "no changes".
    older = all_met_but(bank, BLOCKER)
    expires = datetime.now(UTC).date() + timedelta(days=30)
    newer = waive(
        bank,
        older,
        BLOCKER,
        reason="Legal review booked for January",
        requester="Ana",
        approver="Bo Chief",
        expires=expires,
        now=datetime.now(UTC).replace(microsecond=0),
    )
    newer = with_answer(
        newer, "runbook", Answer(choice="met", evidence="runbooks/claims.md"), now=NOW
    )
    old_path, new_path = tmp_path / "old.toml", tmp_path / "new.toml"
    old_path.write_text(dumps_assessment(older), encoding="utf-8")
    new_path.write_text(dumps_assessment(newer), encoding="utf-8")
    granted = (
        f"waiver granted: Legal sign-off [{BLOCKER}], until {expires.isoformat()}, approved by "
        "Bo Chief (asked by Ana)"
    )
    text = cli("diff", str(old_path), str(new_path)).out
    assert granted in text
    assert "evidence: Runbook [runbook]: (none) -> runbooks/claims.md" in text
    data = json.loads(cli("diff", str(old_path), str(new_path), "--format", "json").out)
    assert any(line.startswith("waiver granted") for line in data["also"])
    markdown = cli("diff", str(old_path), str(new_path), "--format", "md").out
    assert "## Waivers and evidence" in markdown


def test_a_verified_day_still_to_come_is_refused(cli: Cli, store: Store, bank: Bank) -> None:
    name = store.create(all_met_but(bank, BLOCKER))
    later = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()
    refused = cli("answer", name, "runbook", "met", "--evidence", "x.md", "--verified", later)
    assert_one_error_line(refused, contains="a day still to come")
