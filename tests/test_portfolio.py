"""Many pilots at once: the portfolio's figures, and `pilot-tui portfolio` in each format, over
folders with unreadable, foreign and hostile files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from helpers import Cli
from test_report import StrictParser, assert_offline_and_scriptless, parse_html, tables

from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    new_assessment,
    now_utc,
    with_answer,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import add_milestone
from pilot_tui.core.portfolio import build_portfolio, pilot_row
from pilot_tui.store import Store, dumps_assessment

NOW = now_utc()


def every_answer(bank: Bank, assessment: Assessment, choice: str) -> Assessment:
    for _, question in bank.iter_questions():
        assessment = with_answer(assessment, question.id, Answer(choice=choice), now=NOW)
    return assessment


@pytest.fixture
def pilots(store: Store, bank: Bank) -> Store:
    """Three pilots: one ready, one half way with a milestone, one not started and stale; a
    broken file; a file named as no assessment can be."""
    ready = every_answer(bank, new_assessment(bank, "Claims bot", team="Claims", now=NOW), "met")
    store.create(ready, "claims-bot")
    half = new_assessment(bank, "Fraud model", team="Risk", now=NOW)
    half = with_answer(half, "on-call", Answer(choice="not-met"), now=NOW)
    half = add_milestone(half, "Workshop 1", now=NOW)
    half = with_answer(half, "on-call", Answer(choice="met"), now=NOW)
    half = with_answer(half, "runbook", Answer(choice="partly"), now=NOW)
    store.create(half, "fraud-model")
    old = NOW - timedelta(days=200)
    store.create(new_assessment(bank, "Support <b>chat</b> | bot", now=old), "support-chat")
    (store.root / "broken.toml").write_text("answers = [", encoding="utf-8")
    return store


def test_the_portfolio_orders_pilots_and_counts_what_holds_them_back(
    pilots: Store, bank: Bank
) -> None:
    found = [
        pilot_row(bank, entry.name, str(entry.path), pilots.load(entry.name))
        for entry in pilots.listing()
        if entry.glance is not None
    ]
    portfolio = build_portfolio(bank, found, [("broken.toml", "not valid TOML")], now=NOW)
    names = [pilot.name for pilot in portfolio.pilots]
    assert names[0] == "claims-bot"  # the most ready first
    assert set(names) == {"claims-bot", "fraud-model", "support-chat"}
    ready = portfolio.pilots[0]
    assert ready.card.level == bank.levels[-1].id and not ready.card.blockers
    # "N of M pilots have no on-call rotation": blockers counted across pilots.
    counted = {held.id: held.pilots for held in portfolio.by_blocker}
    assert "claims-bot" not in {name for names_ in counted.values() for name in names_}
    assert counted and all(len(names_) <= 2 for names_ in counted.values())
    # Each root cause holds back the pilots below the top level in it; one with nothing
    # answered is in no level and held back by nothing known.
    assert portfolio.not_assessed == ("support-chat",)
    assert portfolio.pilots[-1].name == "support-chat"
    for held in portfolio.by_section:
        assert "claims-bot" not in held.pilots
        assert "support-chat" not in held.pilots
    assert sum(count for _, _, count in portfolio.levels) == 2
    assert dict((title, count) for _, title, count in portfolio.levels)[bank.levels[-1].title] == 1
    fraud = next(pilot for pilot in portfolio.pilots if pilot.name == "fraud-model")
    assert (fraud.milestone, fraud.improved, fraud.regressed) == ("Workshop 1", 2, 0)
    assert [item.name for item in portfolio.stale] == ["support-chat"]
    assert portfolio.stale[0].days >= 199
    assert [item.source for item in portfolio.set_aside] == ["broken.toml"]


def test_a_pilot_of_another_bank_is_set_aside_never_scored(store: Store, bank: Bank) -> None:
    foreign = new_assessment(bank, "Vision model", now=NOW)
    foreign = type(foreign)(
        **{**foreign.__dict__, "bank": type(foreign.bank)(id="vision", version="1")}
    )
    portfolio = build_portfolio(
        bank, [pilot_row(bank, "vision", "vision.toml", foreign)], [], now=NOW
    )
    assert portfolio.pilots == ()
    assert "answered against the bank 'vision'" in portfolio.set_aside[0].reason


def test_files_of_other_banks_are_grouped_by_bank_in_every_format(
    pilots: Store, bank: Bank, cli: Cli
) -> None:
    # Two teams assessed with their own editions of a bank: their files are in the folder too.
    for name, bank_id, version in (
        ("vision-a", "vision", "1"),
        ("vision-b", "vision", "1"),
        ("speech", "speech", "2.0"),
    ):
        foreign = new_assessment(bank, name, now=NOW)
        foreign = type(foreign)(
            **{**foreign.__dict__, "bank": type(foreign.bank)(id=bank_id, version=version)}
        )
        (pilots.root / f"{name}.toml").write_text(dumps_assessment(foreign), encoding="utf-8")

    data = json.loads(cli("portfolio", "--format", "json").out)
    assert len(data["pilots"]) == 3  # never scored against the wrong questions
    assert [(item["source"].rsplit("/", 1)[-1], item["bank"]) for item in data["set_aside"]] == [
        ("speech.toml", "speech 2.0"),
        ("vision-a.toml", "vision 1"),
        ("vision-b.toml", "vision 1"),
        ("broken.toml", None),
    ]
    text = cli("portfolio").out
    assert "bank speech 2.0 (1 file); bank vision 1 (2 files)" in " ".join(text.split())
    page = cli("portfolio", "--format", "html").out
    assert "bank vision 1 (2 files)" in page
    # The data folder's own list says why, file by file.
    listed = cli("list").out
    assert "answered against bank 'vision'" in listed


def test_the_cli_text_fits_a_terminal_and_lists_what_it_set_aside(pilots: Store, cli: Cli) -> None:
    result = cli("portfolio")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].startswith("3 pilots")
    assert all(len(line) <= 100 for line in lines[:12])
    assert any(line.startswith("claims-bot") and "100G" in line for line in lines)
    assert "broken.toml" in result.out and "Not updated for 60 days" in result.out
    assert "fraud-model (Workshop 1): score +0, 2 improved, 0 regressed" in result.out


def test_the_json_has_its_documented_shape(pilots: Store, cli: Cli) -> None:
    data = json.loads(cli("portfolio", "--format", "json").out)
    assert set(data) == {
        "bank",
        "generated",
        "stale_days",
        "levels",
        "not_assessed",
        "pilots",
        "held_back",
        "stale",
        "set_aside",
    }
    pilot = data["pilots"][0]
    assert set(pilot) == {
        "name",
        "source",
        "title",
        "team",
        "assessed",
        "level",
        "level_title",
        "status",
        "score",
        "coverage",
        "blockers",
        "sections",
        "updated",
        "milestone",
        "since_milestone",
        "improved",
        "regressed",
    }
    assert pilot["name"] == "claims-bot" and pilot["score"] == 100
    assert {section["status"] for section in pilot["sections"]} == {"green"}
    assert set(data["held_back"]) == {"sections", "blockers"}
    assert data["set_aside"][0]["source"].endswith("broken.toml")


def test_markdown_and_html_follow_the_reports_rules(
    pilots: Store, cli: Cli, tmp_path: Path
) -> None:
    markdown = cli("portfolio", "--format", "md").out
    found = tables(markdown)  # every table well formed, every pipe escaped
    assert found[1][0][:2] == ["Pilot", "Level"]
    # A title is text, not markup: its tags shown as written, its pipe no cell border.
    assert "| Support \\<b\\>chat\\</b\\> \\| bot (support-chat) | Not assessed yet |" in markdown
    out = tmp_path / "portfolio.html"
    assert cli("portfolio", "--format", "html", "-o", str(out)).code == 0
    page = out.read_text(encoding="utf-8")
    parser = parse_html(page)
    assert isinstance(parser, StrictParser)
    assert_offline_and_scriptless(page, parser)
    assert "Support &lt;b&gt;chat&lt;/b&gt; | bot" in page
    # An existing file is never replaced without --force.
    again = cli("portfolio", "--format", "html", "-o", str(out))
    assert again.code == 2 and "--force" in again.err


def test_folders_and_files_with_hostile_and_missing_paths(
    pilots: Store, cli: Cli, tmp_path: Path, bank: Bank
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "Team A.toml").write_text(
        dumps_assessment(new_assessment(bank, "Team A pilot", now=NOW)), encoding="utf-8"
    )
    (shared / ".hidden.toml").write_text("x", encoding="utf-8")
    (shared / "notes.txt").write_text("not an assessment", encoding="utf-8")
    (shared / "huge.toml").write_bytes(b"#" * (9 * 1024 * 1024))
    (shared / "link.toml").symlink_to("/etc/passwd")
    # The same pilot reached twice (a link to a file also named): one pilot.
    (shared / "again.toml").symlink_to(pilots.root / "claims-bot.toml")
    # A name that would act on a terminal or a page where it is shown.
    hostile = new_assessment(bank, "Hostile name", now=NOW)
    (shared / "a\x1b]0;pwn\x07\u202e.toml").write_text(dumps_assessment(hostile))
    result = cli(
        "portfolio",
        str(shared),
        str(pilots.root / "claims-bot.toml"),
        "--format",
        "json",
    )
    assert result.code == 0, result.err
    data = json.loads(result.out)
    names = sorted(pilot["name"] for pilot in data["pilots"])
    assert names == ["Team A", "a\\x1b]0;pwn\\x07\\u202e", "claims-bot"]
    reasons = {Path(item["source"]).name: item["reason"] for item in data["set_aside"]}
    assert set(reasons) == {"huge.toml", "link.toml"}
    for fmt in ("md", "html", "text"):
        shown = cli("portfolio", str(shared), "--format", fmt).out
        assert "\x1b" not in shown and "\u202e" not in shown and "\x07" not in shown
    # A path named on purpose that is not there is a typo, not "no pilots".
    missing = cli("portfolio", str(tmp_path / "gone"))
    assert missing.code == 2 and "gone: no such file or folder" in missing.err
    assert cli("portfolio", "--stale-days", "0").code == 2


def test_files_of_one_name_in_different_folders_are_told_apart(
    pilots: Store, bank: Bank, cli: Cli, tmp_path: Path
) -> None:
    # A repository where each team's folder holds its own assessment.toml.
    for team, source in (("claims", "claims-bot"), ("fraud", "fraud-model")):
        folder = tmp_path / "teams" / team
        folder.mkdir(parents=True)
        (folder / "assessment.toml").write_bytes((pilots.root / f"{source}.toml").read_bytes())
    paths = [str(tmp_path / "teams" / team / "assessment.toml") for team in ("claims", "fraud")]
    data = json.loads(cli("portfolio", *paths, "--format", "json").out)
    assert sorted(pilot["name"] for pilot in data["pilots"]) == [
        "claims/assessment",
        "fraud/assessment",
    ]
    held = {name for item in data["held_back"]["sections"] for name in item["pilots"]}
    assert held <= {"claims/assessment", "fraud/assessment"}
    text = cli("portfolio", *paths).out
    assert "claims/assessment" in text and "fraud/assessment" in text
