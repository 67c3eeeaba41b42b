"""The `pilot-tui` command line: every command, its output and its exit codes.

Exit codes: 0 ok, 1 a gate failed, 2 a usage or input error reported as one line on stderr that
starts with "pilot-tui: error:". A failed command leaves every file in the data dir as it was.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import Cli, assert_one_error_line, folder_snapshot

from pilot_tui.core.bank import Bank
from pilot_tui.store import default_bank_text

BANKS = Path(__file__).parent / "banks"
SMALL = str(BANKS / "small.toml")
BROKEN = str(BANKS / "broken.toml")


def read(data_dir: Path, name: str) -> dict[str, Any]:
    return tomllib.loads((data_dir / f"{name}.toml").read_text(encoding="utf-8"))


def new(cli: Cli, title: str = "Claims triage bot", *options: str) -> str:
    result = cli("new", title, *options)
    assert result.code == 0, result
    return result.out.strip()


@pytest.fixture
def small_name(cli: Cli) -> str:
    """An assessment on the small bank; the numbers are worked out in tests/test_scoring.py.

    owner met, runbook n/a, review yes -> ops 100; pipes met, auth unanswered -> integ 50.
    Headline 50 (Middle), average 75, coverage 4/5.
    """
    name = new(cli, "Small pilot", "--bank", SMALL)
    for args in (
        ("owner", "met"),
        ("runbook", "na", "--reason", "no operations yet"),
        ("review", "yes"),
        ("pipes", "met"),
    ):
        assert cli("answer", name, *args, "--bank", SMALL).code == 0
    return name


# ---------------------------------------------------------------------------- new


def test_new_prints_the_name_and_writes_the_file(cli: Cli, data_dir: Path) -> None:
    result = cli(
        "new",
        "Claims triage bot",
        "--team",
        "Claims AI",
        "--facilitator",
        "Ana",
        "--stage",
        "pilot",
    )

    assert (result.code, result.out, result.err) == (0, "claims-triage-bot\n", "")
    data = read(data_dir, "claims-triage-bot")
    assert data["bank"] == {"id": "ai-pilot-to-production", "version": "2.1.0"}
    meta = data["meta"]
    assert (meta["title"], meta["team"], meta["facilitator"], meta["stage"]) == (
        "Claims triage bot",
        "Claims AI",
        "Ana",
        "pilot",
    )
    assert meta["created"] == meta["updated"]
    assert "answers" not in data


def test_new_gives_titles_that_slug_alike_distinct_names(cli: Cli, data_dir: Path) -> None:
    assert new(cli, "Claims bot") == "claims-bot"
    assert new(cli, "claims / BOT") == "claims-bot-2"
    assert read(data_dir, "claims-bot")["meta"]["title"] == "Claims bot"
    assert read(data_dir, "claims-bot-2")["meta"]["title"] == "claims / BOT"


@pytest.mark.parametrize(
    ("title", "name"),
    [("../../etc/passwd", "etc-passwd"), ("/", "assessment"), ("C:\\x\\..\\y", "c-x-y")],
)
def test_new_with_a_title_full_of_separators_stays_in_the_data_dir(
    cli: Cli, data_dir: Path, tmp_path: Path, title: str, name: str
) -> None:
    assert new(cli, title) == name
    assert sorted(p.name for p in data_dir.iterdir()) == [f"{name}.toml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home"]


@pytest.mark.parametrize(
    ("title", "message"),
    [
        ("", "title: must not be empty"),
        ("   ", "title: must not be empty"),
        (
            "two\nlines",
            "title: must be one line without control, invisible or text-direction characters "
            "(found U+000A LINE FEED)",
        ),
        (
            "\x1b[2Jclear",
            "title: must be one line without control, invisible or text-direction characters "
            "(found U+001B ESCAPE)",
        ),
        ("x" * 201, "title: is too long: at most 200 characters"),
    ],
)
def test_new_refuses_a_bad_title(cli: Cli, data_dir: Path, title: str, message: str) -> None:
    error = assert_one_error_line(cli("new", title))

    assert error == f"pilot-tui: error: {message}"
    assert not data_dir.exists()


# ---------------------------------------------------------------------------- list


def test_list_with_no_assessments_says_how_to_start(cli: Cli, data_dir: Path) -> None:
    result = cli("list")

    assert result.code == 0
    assert result.out == (f'No assessments in {data_dir} yet. Create one: pilot-tui new "Title"\n')
    assert cli("list", "--json").out == "[]\n"


def test_list_shows_assessments_and_unreadable_files(cli: Cli, data_dir: Path) -> None:
    name = new(cli, "Claims triage bot", "--team", "Claims AI")
    cli("answer", name, "success-criteria-agreed", "met")
    (data_dir / "broken.toml").write_text("title = [", encoding="utf-8")
    before = folder_snapshot(data_dir)

    result = cli("list")

    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert (
        lines[0]
        == "broken             UNREADABLE: not valid TOML: Invalid value (at end of document)"
    )
    assert lines[1].startswith("claims-triage-bot  Claims triage bot  (updated ")
    assert lines[1].endswith(", 2% answered, Demo)")  # 1 of 38, rounded down
    assert folder_snapshot(data_dir) == before

    rows = json.loads(cli("list", "--json").out)
    assert rows[0] == {
        "name": "broken",
        "path": str(data_dir / "broken.toml"),
        "error": "not valid TOML: Invalid value (at end of document)",
    }
    good = rows[1]
    assert {k: good[k] for k in ("name", "title", "team", "level", "level_title", "score")} == {
        "name": "claims-triage-bot",
        "title": "Claims triage bot",
        "team": "Claims AI",
        "level": "demo",
        "level_title": "Demo",
        "score": 0.0,
    }
    assert good["coverage"] == round(1 / 38, 3)
    assert good["path"] == str(data_dir / "claims-triage-bot.toml")
    assert folder_snapshot(data_dir) == before


# ---------------------------------------------------------------------------- answer


def test_answer_with_every_option_is_saved(cli: Cli, data_dir: Path) -> None:
    name = new(cli)

    result = cli(
        "answer",
        name,
        "success-criteria-agreed",
        "partly",
        "--notes",
        "Draft exists.\nSponsor signs Friday ✓",
        "--owner",
        "Åsa",
        "--due",
        "2026-12-15",
        "--evidence",
        "https://wiki.example.com/criteria",
    )

    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "claims-triage-bot: success-criteria-agreed = partly (Partly in place); Demo, "
        "1/38 answered\n"
    )
    answer = read(data_dir, name)["answers"]["success-criteria-agreed"]
    assert answer == {
        "choice": "partly",
        "notes": "Draft exists.\nSponsor signs Friday ✓",
        "owner": "Åsa",
        "due": tomllib.loads("d = 2026-12-15")["d"],
        "evidence": "https://wiki.example.com/criteria",
    }

    # Answering again changes the choice and keeps what was not given again.
    assert cli("answer", name, "success-criteria-agreed", "met").code == 0
    answer = read(data_dir, name)["answers"]["success-criteria-agreed"]
    assert answer["choice"] == "met" and answer["owner"] == "Åsa" and "due" in answer

    # An empty --due clears the date.
    assert cli("answer", name, "success-criteria-agreed", "met", "--due", "").code == 0
    assert "due" not in read(data_dir, name)["answers"]["success-criteria-agreed"]


def test_answer_not_applicable_with_a_reason(cli: Cli, data_dir: Path) -> None:
    name = new(cli)

    result = cli("answer", name, "cost-cap", "na", "--reason", "fixed-price contract")

    assert result.code == 0
    assert read(data_dir, name)["answers"]["cost-cap"] == {
        "choice": "na",
        "reason": "fixed-price contract",
    }


def test_answer_keeps_answers_to_questions_the_bank_does_not_have(cli: Cli, data_dir: Path) -> None:
    name = new(cli)
    path = data_dir / f"{name}.toml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + '\n[answers.retired-question]\nchoice = "gone"\nnotes = "from bank 0.9"\n',
        encoding="utf-8",
    )

    assert cli("answer", name, "runbook", "met").code == 0

    answers = read(data_dir, name)["answers"]
    assert answers["retired-question"] == {"choice": "gone", "notes": "from bank 0.9"}
    assert answers["runbook"] == {"choice": "met"}
    score = json.loads(cli("score", name, "--json").out)
    assert score["orphaned"] == ["retired-question"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("nope", "met"),
            "no question 'nope' in bank 'ai-pilot-to-production' (`pilot-tui bank show` lists "
            "them)",
        ),
        (
            ("runbook", "yes"),
            "choice 'yes' is not one of met, partly, planned, not-met, unknown, na",
        ),
        (("runbook", "na"), "'Not applicable' needs a reason: why does the question not apply?"),
        (("runbook", "na", "--reason", "   "), "'Not applicable' needs a reason"),
        (
            ("runbook", "met", "--due", "2026-02-30"),
            "--due '2026-02-30' is not a date in the form YYYY-MM-DD",
        ),
        (
            ("runbook", "met", "--due", "next week"),
            "--due 'next week' is not a date in the form YYYY-MM-DD",
        ),
        (
            ("runbook", "met", "--owner", "Ana\nBo"),
            "owner: must be one line without control, invisible or text-direction characters",
        ),
        (
            ("runbook", "met", "--notes", "\x1b]0;pwned\x07"),
            "notes: contains a control or text-direction character (found U+001B ESCAPE)",
        ),
        (("runbook", "met", "--evidence", "x" * 2001), "evidence: is too long: at most 2000"),
    ],
)
def test_answer_errors_change_nothing(
    cli: Cli, data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    name = new(cli)
    cli("answer", name, "runbook", "partly", "--owner", "Ana")
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("answer", name, *args))

    assert error.startswith(f"pilot-tui: error: {message}")
    assert folder_snapshot(data_dir) == before


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("ghost", "no assessment named 'ghost' in {data_dir} (`pilot-tui list`)"),
        # A path is a file to answer in (one kept in a repository): never created, and a file
        # that is not an assessment is left as it is.
        ("../escape", "../escape: no such file"),
        ("/etc/passwd", "/etc/passwd: not valid TOML"),
    ],
)
def test_answer_to_a_missing_or_hostile_name(
    cli: Cli, data_dir: Path, name: str, message: str
) -> None:
    new(cli)
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("answer", name, "runbook", "met"))

    assert message.format(data_dir=data_dir) in error
    assert folder_snapshot(data_dir) == before


def test_answer_never_overwrites_an_unreadable_file(cli: Cli, data_dir: Path) -> None:
    new(cli)
    (data_dir / "broken.toml").write_bytes(
        b"schema = 'pilot-tui/assessment'\nschema_version = 99\n"
    )
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("answer", "broken", "runbook", "met"))

    assert error.startswith(f"pilot-tui: error: {data_dir / 'broken.toml'}: written by a newer")
    assert folder_snapshot(data_dir) == before


# ---------------------------------------------------------------------------- score


def test_score_text(cli: Cli, small_name: str) -> None:
    result = cli("score", small_name, "--bank", SMALL)

    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[:5] == [
        "Small pilot",
        "",
        "Readiness: Middle",
        "Score 50/100 (weakest section: Integration), average 75/100",
        "Answered 4 of 5 (80%), 0 don't know, 1 not applicable, 0 blockers",
    ]
    assert lines[6].startswith("Operations   ████████████████████ 100  GREEN  3/3 answered")
    assert lines[7].startswith("Integration  ██████████░░░░░░░░░░  50  AMBER  1/2 answered")


def test_score_json(cli: Cli, small_name: str) -> None:
    result = cli("score", small_name, "--json", "--bank", SMALL)

    assert result.code == 0 and result.err == ""
    card = json.loads(result.out)
    assert card["level"] == "mid"
    assert card["level_title"] == "Middle"
    assert (card["score"], card["average"], card["coverage"]) == (50.0, 75.0, 0.8)
    assert (card["answered"], card["total"], card["unknown"]) == (4, 5, 0)
    assert card["weakest"] == "integ"
    assert card["capped_by_blockers"] is False
    assert card["blockers"] == []
    assert card["bank"] == {"id": "small-test-bank", "version": "0.1"}
    assert [
        {k: s[k] for k in ("id", "title", "score", "answered", "total", "unknown")}
        for s in card["sections"]
    ] == [
        {
            "id": "ops",
            "title": "Operations",
            "score": 100.0,
            "answered": 3,
            "total": 3,
            "unknown": 0,
        },
        {
            "id": "integ",
            "title": "Integration",
            "score": 50.0,
            "answered": 1,
            "total": 2,
            "unknown": 0,
        },
    ]
    assert card["sections"][0]["not_applicable"] == 1


def test_score_json_blockers_and_unknowns(cli: Cli) -> None:
    name = new(cli, "Blocked", "--bank", SMALL)
    for question, choice in (("owner", "unknown"), ("runbook", "met"), ("review", "yes")):
        cli("answer", name, question, choice, "--bank", SMALL)
    for question in ("pipes", "auth"):
        cli("answer", name, question, "met", "--bank", SMALL)

    card = json.loads(cli("score", name, "--json", "--bank", SMALL).out)

    # ops: (1*0 + 4*100 + 5*100) / 10 = 90 reaches "top", but a critical "don't know" holds
    # the level at the second one (the default rule of a bank without a rules table).
    assert (card["score"], card["level"], card["capped_by_blockers"]) == (90.0, "mid", True)
    assert card["level_reached_by_score"] == "top"
    assert card["unknown"] == 1
    assert card["blockers"] == [
        {
            "question": "owner",
            "section": "ops",
            "title": "Operations owner",
            "reason": "critical and nobody knows whether it is in place",
            "holds_level_at": "mid",
            "lapsed_waiver": None,
        }
    ]
    text = cli("score", name, "--bank", SMALL).out
    assert "Readiness: Middle (held back by 1 blocker; the score alone reaches Top)" in text


@pytest.mark.parametrize(
    ("gate", "code", "failures"),
    [
        (("--fail-under", "50"), 0, []),
        (("--fail-under", "0"), 0, []),
        (("--fail-under", "50.1"), 1, ["score 50 is below 50.1"]),
        (("--fail-under", "100"), 1, ["score 50 is below 100"]),
        (("--require", "low"), 0, []),
        (("--require", "mid"), 0, []),
        (("--require", "high"), 1, ["level 'Middle' is below 'High'"]),
        (
            ("--require", "top", "--fail-under", "70"),
            1,
            ["score 50 is below 70", "level 'Middle' is below 'Top'"],
        ),
    ],
)
def test_score_gates(
    cli: Cli, small_name: str, gate: tuple[str, ...], code: int, failures: list[str]
) -> None:
    result = cli("score", small_name, "--bank", SMALL, *gate)

    assert result.code == code
    assert result.out.startswith("Small pilot\n")  # the scorecard is printed either way
    assert result.err.splitlines() == [f"pilot-tui: gate failed: {f}" for f in failures]


def test_score_gate_with_json(cli: Cli, small_name: str) -> None:
    result = cli("score", small_name, "--bank", SMALL, "--json", "--require", "top")

    assert result.code == 1
    assert json.loads(result.out)["level"] == "mid"
    assert result.err == "pilot-tui: gate failed: level 'Middle' is below 'Top'\n"


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        (
            ("--require", "nope"),
            "--require 'nope' is not a level of this bank (low, mid, high, top)",
        ),
        (("--fail-under", "101"), "--fail-under takes a score from 0 to 100"),
        (("--fail-under", "-1"), "--fail-under takes a score from 0 to 100"),
        (("--fail-under", "nan"), "--fail-under takes a score from 0 to 100"),
    ],
)
def test_score_gate_usage_errors(
    cli: Cli, small_name: str, gate: tuple[str, ...], message: str
) -> None:
    error = assert_one_error_line(cli("score", small_name, "--bank", SMALL, *gate))

    assert error == f"pilot-tui: error: {message}"


def test_score_by_file_path(cli: Cli, small_name: str, tmp_path: Path) -> None:
    exported = tmp_path / "shared.toml"
    assert cli("export", small_name, "-o", str(exported), "--bank", SMALL).code == 0
    moved = tmp_path / "elsewhere" / "copy.toml"
    moved.parent.mkdir()
    exported.rename(moved)

    by_path = cli("score", str(moved), "--json", "--bank", SMALL)
    by_name = cli("score", small_name, "--json", "--bank", SMALL)

    assert by_path.code == 0
    assert json.loads(by_path.out) == json.loads(by_name.out)


@pytest.mark.parametrize("reference", ["missing.toml", "sub/missing"])
def test_score_of_a_missing_file(cli: Cli, reference: str) -> None:
    error = assert_one_error_line(cli("score", reference))

    assert error == f"pilot-tui: error: {reference}: no such file"


def test_score_with_the_wrong_bank_says_which_bank(cli: Cli, small_name: str) -> None:
    error = assert_one_error_line(cli("score", small_name))

    assert error.endswith(
        "answered against bank 'small-test-bank', but the bank in use is "
        "'ai-pilot-to-production' (choose the right one with --bank)"
    )


# ---------------------------------------------------------------------------- plan


def test_plan_text(cli: Cli) -> None:
    name = new(cli, "Plan", "--bank", SMALL)
    cli("answer", name, "owner", "partly", "--bank", SMALL)
    cli("answer", name, "runbook", "met", "--bank", SMALL)
    cli("answer", name, "review", "yes", "--bank", SMALL)
    cli("answer", name, "pipes", "met", "--bank", SMALL)
    cli("answer", name, "auth", "unknown", "--owner", "Ana", "--due", "2026-03-01", "--bank", SMALL)

    result = cli("plan", name, "--bank", SMALL)

    assert result.code == 0 and result.err == ""
    assert result.out.splitlines() == [
        "1. Operations owner [owner] BLOCKER",
        "   Now: Partly. Fix: Name an operations owner.",
        "2. Authentication [auth] DON'T KNOW",
        "   Now: Don't know. Fix: Use the company's identity provider.",
        "   Owner Ana, due 2026-03-01",
    ]


def test_plan_json(cli: Cli, small_name: str) -> None:
    result = cli("plan", small_name, "--json", "--bank", SMALL)

    assert result.code == 0
    items = json.loads(result.out)
    assert items == [
        {
            "question": "auth",
            "section": "integ",
            "title": "Authentication",
            "text": "Is authentication real?",
            "fix": "Use the company's identity provider.",
            "answer": "Unanswered",
            "gap": 100.0,
            "priority": 2.0,
            "blocker": False,
            "unknown": False,
            "owner": "",
            "due": "",
            "earlier": "",
            "waived_until": None,
        }
    ]


def test_plan_with_nothing_to_fix(cli: Cli) -> None:
    name = new(cli, "Done", "--bank", SMALL)
    for question, choice in (("owner", "met"), ("runbook", "met"), ("review", "yes")):
        cli("answer", name, question, choice, "--bank", SMALL)
    for question in ("pipes", "auth"):
        cli("answer", name, question, "na", "--reason", "batch only", "--bank", SMALL)

    result = cli("plan", name, "--bank", SMALL)

    assert result.out == "Nothing to fix: every applicable question is fully met.\n"


# ---------------------------------------------------------------------------- export


def test_export_to_stdout_is_the_file(cli: Cli, data_dir: Path) -> None:
    name = new(cli)
    cli("answer", name, "runbook", "met", "--notes", "two\nlines")

    result = cli("export", name)

    assert result.code == 0 and result.err == ""
    assert result.out == (data_dir / f"{name}.toml").read_text(encoding="utf-8")


@pytest.fixture
def umask_022() -> Iterator[None]:
    original = os.umask(0o022)
    yield
    os.umask(original)


@pytest.mark.usefixtures("umask_022")
def test_export_to_a_file_uses_normal_permissions(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    name = new(cli)
    target = tmp_path / "claims.toml"

    result = cli("export", name, "-o", str(target))

    # Said, so the user knows it happened and where.
    assert (result.code, result.out, result.err) == (0, f"wrote {target}\n", "")
    assert target.read_bytes() == (data_dir / f"{name}.toml").read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert stat.S_IMODE((data_dir / f"{name}.toml").stat().st_mode) == 0o600


def test_export_errors(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    name = new(cli)
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("export", name, "-o", str(tmp_path)))
    assert error == f"pilot-tui: error: {tmp_path}: is a folder; give a file name"
    missing = tmp_path / "no" / "such" / "x.toml"
    error = assert_one_error_line(cli("export", name, "-o", str(missing)))
    assert error == (
        f"pilot-tui: error: {missing}: cannot write: the folder {missing.parent} does not exist"
    )
    assert_one_error_line(cli("export", "ghost"), contains="no assessment named 'ghost'")

    assert folder_snapshot(data_dir) == before


# ---------------------------------------------------------------------------- import


@pytest.fixture
def exported(cli: Cli, data_dir: Path, tmp_path: Path) -> Path:
    """A shared file of an assessment titled "Claims bot" with one answer; the data dir is left
    holding nothing."""
    name = new(cli, "Claims bot")
    cli("answer", name, "runbook", "partly", "--owner", "Bo")
    target = tmp_path / "shared.toml"
    assert cli("export", name, "-o", str(target)).code == 0
    (data_dir / f"{name}.toml").unlink()
    return target


def test_import_validates_and_copies_in(cli: Cli, data_dir: Path, exported: Path) -> None:
    result = cli("import", str(exported))

    assert (result.code, result.out, result.err) == (0, "claims-bot\n", "")
    assert (data_dir / "claims-bot.toml").read_bytes() == exported.read_bytes()
    assert stat.S_IMODE((data_dir / "claims-bot.toml").stat().st_mode) == 0o600


def test_import_an_existing_name_needs_force(cli: Cli, data_dir: Path, exported: Path) -> None:
    cli("import", str(exported))
    cli("answer", "claims-bot", "runbook", "met")
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("import", str(exported)))

    assert error == (
        "pilot-tui: error: an assessment named 'claims-bot' already exists; use --force to "
        "replace it, or --as NAME to import under another name"
    )
    assert folder_snapshot(data_dir) == before

    replaced = (data_dir / "claims-bot.toml").read_bytes()
    result = cli("import", str(exported), "--force")
    assert (result.code, result.out) == (0, "claims-bot\n")
    assert read(data_dir, "claims-bot")["answers"]["runbook"]["choice"] == "partly"
    # What --force replaced is kept as a backup copy.
    backups = list((data_dir / ".backup").glob("claims-bot-*.toml"))
    assert [b.read_bytes() for b in backups] == [replaced]


def test_a_reason_is_only_for_not_applicable(cli: Cli, data_dir: Path) -> None:
    name = new(cli)
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("answer", name, "runbook", "met", "--reason", "why"))

    assert error == "pilot-tui: error: a reason is only for a not-applicable answer, not 'met'"
    assert folder_snapshot(data_dir) == before
    cli("answer", name, "runbook", "na", "--reason", "no model in production")
    cli("answer", name, "runbook", "partly")
    assert "reason" not in read(data_dir, name)["answers"]["runbook"]


def test_import_as_another_name(cli: Cli, data_dir: Path, exported: Path) -> None:
    cli("import", str(exported))

    result = cli("import", str(exported), "--as", "claims-copy")

    assert (result.code, result.out) == (0, "claims-copy\n")
    assert sorted(p.name for p in data_dir.iterdir()) == ["claims-bot.toml", "claims-copy.toml"]


@pytest.mark.parametrize(
    "bad_name", ["../escape", "/tmp/abs", "a/b", "Name", "x.toml", "..", "con", "x\n", "\x1b[2J"]
)
def test_import_as_a_bad_name_changes_nothing(
    cli: Cli, data_dir: Path, tmp_path: Path, exported: Path, bad_name: str
) -> None:
    outside = folder_snapshot(tmp_path)

    assert_one_error_line(
        cli("import", str(exported), "--as", bad_name), contains="is not a valid assessment name"
    )

    assert folder_snapshot(tmp_path) == outside


HOSTILE_FILES: list[tuple[str, str, str]] = [
    ("bad toml", "schema = 'pilot-tui/assessment'\nmeta = {", "not valid TOML: "),
    (
        "wrong types",
        "schema = 'pilot-tui/assessment'\nschema_version = 1\nbank = 'default'\n",
        "bank: Input should be a valid dictionary (and 1 more problem)",
    ),
    (
        "unknown schema version",
        "schema = 'pilot-tui/assessment'\nschema_version = 3\n",
        "written by a newer pilot-tui (schema version 3; this one reads up to 2); upgrade "
        "pilot-tui to open it",
    ),
    (
        "not an assessment",
        "title = 'hello'\n",
        "not a pilot-tui assessment (it has no schema line; "
        "expected schema = 'pilot-tui/assessment')",
    ),
    (
        "a choice the question does not have",
        "{good}\n[answers.on-call]\nchoice = 'absolutely'\n",
        "answers, on-call: choice 'absolutely' is not one of met, partly, planned, not-met, "
        "unknown, na",
    ),
    (
        "a question id that is a path",
        "{good}\n[answers.'../../etc']\nchoice = 'met'\n",
        "answers: question id '../../etc' is not a valid id",
    ),
    (
        "a terminal escape in the notes",
        '{good}\n[answers.on-call]\nnotes = "\\u001b[2J"\n',
        "answers, on-call, notes: contains a control or text-direction character",
    ),
    ("not UTF-8", "title = '\udcff'", "not UTF-8 text (bad byte at offset 9)"),
]


@pytest.mark.parametrize(
    ("content", "problem"), [pytest.param(c, p, id=i) for i, c, p in HOSTILE_FILES]
)
def test_import_of_a_hostile_file_is_one_line_naming_the_file(
    cli: Cli, data_dir: Path, tmp_path: Path, exported: Path, content: str, problem: str
) -> None:
    cli("import", str(exported))
    good = exported.read_text(encoding="utf-8")
    hostile = tmp_path / "hostile.toml"
    hostile.write_bytes(content.replace("{good}", good).encode("utf-8", errors="surrogateescape"))
    before = folder_snapshot(data_dir)

    for extra in ((), ("--force",), ("--as", "claims-bot", "--force"), ("--as", "fresh")):
        error = assert_one_error_line(cli("import", str(hostile), *extra))
        assert error.startswith(f"pilot-tui: error: {hostile}: {problem}"), error

    assert folder_snapshot(data_dir) == before


def test_import_of_a_file_over_the_size_limit(
    cli: Cli, data_dir: Path, tmp_path: Path, exported: Path
) -> None:
    huge = tmp_path / "huge.toml"
    huge.write_text(exported.read_text(encoding="utf-8") + "#" * (3 * 1024 * 1024), "utf-8")

    error = assert_one_error_line(cli("import", str(huge)))

    assert error == f"pilot-tui: error: {huge}: larger than the 2 MiB limit"
    assert folder_snapshot(data_dir) == {}


def test_import_of_a_title_full_of_separators_gets_a_safe_name(
    cli: Cli, data_dir: Path, tmp_path: Path, exported: Path
) -> None:
    text = exported.read_text(encoding="utf-8")
    hostile = tmp_path / "sneaky.toml"
    hostile.write_text(
        text.replace('title = "Claims bot"', 'title = "../../../../tmp/x/..\\\\..\\\\evil"'),
        encoding="utf-8",
    )
    outside = {k: v for k, v in folder_snapshot(tmp_path).items() if not k.startswith("data")}

    result = cli("import", str(hostile))

    assert (result.code, result.out) == (0, "tmp-x-evil\n")
    assert sorted(p.name for p in data_dir.iterdir()) == ["tmp-x-evil.toml"]
    assert read(data_dir, "tmp-x-evil")["meta"]["title"] == "../../../../tmp/x/..\\..\\evil"
    assert {
        k: v for k, v in folder_snapshot(tmp_path).items() if not k.startswith("data")
    } == outside


def test_import_never_replaces_an_unreadable_file(cli: Cli, data_dir: Path, exported: Path) -> None:
    (data_dir / "claims-bot.toml").write_text("half a fi", encoding="utf-8")
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("import", str(exported), "--force"))

    assert error.startswith(f"pilot-tui: error: {data_dir / 'claims-bot.toml'}: not valid TOML")
    assert error.endswith("; not overwritten (move or fix the file first)")
    assert folder_snapshot(data_dir) == before


# ---------------------------------------------------------------------------- bank


def test_bank_show_text(cli: Cli) -> None:
    result = cli("bank", "show", SMALL)

    assert result.code == 0 and result.err == ""
    lines = result.out.splitlines()
    assert lines[0] == "Small test bank (bank small-test-bank, version 0.1)"
    assert any("Low from 0, Middle from 40, High from 70, Top from 90" in line for line in lines)
    # The rules, from the bank's own data (a bank without a rules table gets the defaults).
    assert "    Partly: High" in lines
    assert "    Not in place: Middle" in lines
    assert "    Don't know: Middle" in lines
    assert "    Unanswered: Middle" in lines
    assert "  partly     Partly (50)" in lines
    assert "  na         Not applicable" in lines
    assert "[ops] Operations" in lines
    assert any(
        line.startswith("  owner ") and "w1  CRITICAL  Is there a named operations owner?" in line
        for line in lines
    )
    assert "    choices: yes, some, no" in lines


def test_bank_show_json_of_the_default_bank(cli: Cli, bank: Bank) -> None:
    result = cli("bank", "show", "--json")

    assert result.code == 0
    data = json.loads(result.out)
    assert data["id"] == "ai-pilot-to-production"
    assert [s["id"] for s in data["sections"]] == [
        "demo",
        "operations",
        "integration",
        "security",
        "monitoring",
    ]
    questions = [q for s in data["sections"] for q in s["questions"]]
    assert [q["id"] for q in questions] == [q.id for _, q in bank.iter_questions()]
    first = data["sections"][0]["questions"][0]
    assert {k: first[k] for k in ("id", "weight", "critical")} == {
        "id": "success-criteria-agreed",
        "weight": 5.0,
        "critical": True,
    }
    assert first["text"].startswith("Are production success criteria written down")
    assert all(s["title"] for s in data["sections"])
    assert [(c["id"], c["score"], c["critical_cap"]) for c in first["choices"]] == [
        ("met", 100.0, None),
        ("partly", 50.0, "candidate"),
        ("planned", 20.0, "pilot"),
        ("not-met", 0.0, "pilot"),
        ("unknown", 0.0, "pilot"),
        ("na", None, None),
        ("partial", 20.0, "pilot"),
    ]
    assert [c["id"] for c in first["choices"] if c["retired"]] == ["partial"]
    assert data["rules"] == {"unanswered_cap": "pilot", "not_applicable_cap": "pilot"}
    assert [f["id"] for f in data["contexts"]] == ["system", "serves"]
    assert all(c["label"] for q in questions for c in q["choices"])


def test_bank_show_json_uses_a_questions_own_choices(cli: Cli) -> None:
    data = json.loads(cli("--bank", SMALL, "bank", "show", "--json").out)

    review = data["sections"][0]["questions"][2]
    assert review["id"] == "review"
    plain = {"unknown": False, "not_applicable": False, "needs": [], "retired": False}
    # A bank without caps gets the default ones: below the top for a partial answer, the
    # second level for one scoring 0.
    assert review["choices"] == [
        {"id": "yes", "label": "Yes", "score": 100.0, "critical_cap": None, **plain},
        {"id": "some", "label": "Some of it", "score": 25.0, "critical_cap": "high", **plain},
        {"id": "no", "label": "No", "score": 0.0, "critical_cap": "mid", **plain},
    ]
    assert data["levels"][1] == {"id": "mid", "title": "Middle", "min": 40.0}


def test_bank_validate_a_good_bank(cli: Cli, bank: Bank) -> None:
    questions = sum(len(s.questions) for s in bank.sections)

    built_in = cli("bank", "validate")
    small = cli("bank", "validate", SMALL)

    assert (built_in.code, built_in.err) == (0, "")
    assert built_in.out == (
        "built-in bank: valid bank 'ai-pilot-to-production' version 2.1.0: "
        f"5 sections, {questions} questions, 4 levels\n"
    )
    assert small.out == (
        f"{SMALL}: valid bank 'small-test-bank' version 0.1: 2 sections, 5 questions, 4 levels\n"
    )


def test_bank_validate_checks_the_built_in_bank_in_full(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The app trusts the shipped bank at start-up; this command is where it is checked.
    from pilot_tui.cli import banks as cli_module

    broken = default_bank_text().replace("weight = 3", "weight = true", 1)
    monkeypatch.setattr(cli_module, "default_bank_text", lambda: broken)

    result = cli("bank", "validate")

    assert result.code == 2
    assert "weight: Input should be a valid number" in result.err


def test_bank_validate_lists_every_problem_one_line_each(cli: Cli) -> None:
    result = cli("bank", "validate", BROKEN)

    assert result.code == 2
    assert result.out == ""
    assert result.err.splitlines() == [
        f"{BROKEN}: default choices, choice 'partial': has no score (give 0 to 100, or "
        "not_applicable = true)",
        f"{BROKEN}: level 'low': the lowest level must start at min = 0, or low scores have no "
        "level (found 10)",
        f"{BROKEN}: level 'high': min 30 overlaps level 'mid' (min 40); list levels lowest first "
        "with rising thresholds",
        f"{BROKEN}: section 'ops', question 'runbook': weight must be above 0 and at most 100",
        f"{BROKEN}: section 'integ', question 'owner': duplicate question id (also in section "
        "'ops')",
        f"{BROKEN}: invalid bank, 5 problems",
    ]


def test_bank_validate_takes_the_bank_option_too(cli: Cli) -> None:
    result = cli("bank", "validate", "--bank", BROKEN)

    assert result.code == 2
    assert len(result.err.splitlines()) == 6


@pytest.mark.parametrize("action", ["show", "validate"])
def test_bank_of_a_file_that_cannot_be_read(cli: Cli, tmp_path: Path, action: str) -> None:
    bad = tmp_path / "bank.toml"
    bad.write_text("schema = ", encoding="utf-8")

    error = assert_one_error_line(cli("bank", action, str(bad)))
    assert error.startswith(f"pilot-tui: error: {bad}: not valid TOML")

    missing = tmp_path / "missing.toml"
    error = assert_one_error_line(cli("bank", action, str(missing)))
    assert error == f"pilot-tui: error: {missing}: no such file"


def test_an_invalid_bank_given_to_other_commands_is_one_line(cli: Cli, data_dir: Path) -> None:
    error = assert_one_error_line(cli("new", "X", "--bank", BROKEN))

    assert error == (
        f"pilot-tui: error: {BROKEN}: invalid bank (5 problems; `pilot-tui bank validate "
        f"{BROKEN}` lists them)"
    )
    error = assert_one_error_line(cli("bank", "show", BROKEN))
    assert "invalid bank (5 problems;" in error
    assert not data_dir.exists()


# ---------------------------------------------------------------------------- global options


def test_data_dir_before_or_after_the_command(cli: Cli, data_dir: Path, tmp_path: Path) -> None:
    before_dir, after_dir = tmp_path / "before", tmp_path / "after"

    assert cli("--data-dir", str(before_dir), "new", "First").out == "first\n"
    assert cli("new", "Second", "--data-dir", str(after_dir)).out == "second\n"

    assert [p.name for p in before_dir.iterdir()] == ["first.toml"]
    assert [p.name for p in after_dir.iterdir()] == ["second.toml"]
    assert not data_dir.exists()
    assert json.loads(cli("list", "--json", "--data-dir", str(before_dir)).out)[0]["name"] == (
        "first"
    )
    # Given both ways, the one after the command wins.
    both = cli("--data-dir", str(before_dir), "list", "--json", "--data-dir", str(after_dir))
    assert [row["name"] for row in json.loads(both.out)] == ["second"]


def test_bank_before_or_after_the_command(cli: Cli) -> None:
    before = cli("--bank", SMALL, "bank", "show", "--json")
    after = cli("bank", "show", "--json", "--bank", SMALL)

    assert json.loads(before.out)["id"] == json.loads(after.out)["id"] == "small-test-bank"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("score",), "score: the following arguments are required: NAME|FILE"),
        (("score", "x", "--fail-under", "abc"), "score: argument --fail-under: invalid float"),
        (("frobnicate",), "argument COMMAND: invalid choice: 'frobnicate'"),
        (("bank", "list"), "bank: argument action: invalid choice: 'list'"),
        (("list", "--yaml"), "unrecognized arguments: --yaml"),
        (("--data-dir",), "argument --data-dir: expected one argument"),
    ],
)
def test_command_line_usage_errors_are_one_line(
    cli: Cli, data_dir: Path, args: tuple[str, ...], message: str
) -> None:
    error = assert_one_error_line(cli(*args))

    assert error.startswith(f"pilot-tui: error: {message}"), error
    assert not data_dir.exists()


def test_version(cli: Cli) -> None:
    result = cli("--version")

    assert result.code == 0
    assert result.out.startswith("pilot-tui 0.")


# ---------------------------------------------------------------------------- subprocesses


def _run_module(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=os.environ.copy(),
    )


def _imported_modules(importtime_stderr: str) -> set[str]:
    return {
        line.rsplit("|", 1)[-1].strip()
        for line in importtime_stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


@pytest.mark.parametrize(
    "command",
    [
        ("score", "{name}"),
        ("score", "{name}", "--json", "--require", "ready"),
        ("plan", "{name}"),
        ("list",),
        ("export", "{name}"),
        ("answer", "{name}", "runbook", "met"),
        ("bank", "show"),
        ("milestone", "{name}", "Workshop 1"),
        ("disputes", "{name}"),
        ("report", "{name}", "--format", "html"),
    ],
    ids=lambda c: " ".join(c),
)
def test_headless_commands_do_not_import_textual(cli: Cli, command: tuple[str, ...]) -> None:
    name = new(cli)

    result = _run_module(
        "-X", "importtime", "-m", "pilot_tui", *(a.format(name=name) for a in command)
    )

    modules = _imported_modules(result.stderr)
    # The check can see imports at all: the CLI and the core show up.
    assert "pilot_tui.cli" in modules and "pilot_tui.core.scoring" in modules
    assert sorted(m for m in modules if m == "textual" or m.startswith("textual.")) == []
    assert result.returncode == (1 if "--require" in command else 0), result.stderr
    assert "Traceback" not in result.stderr


def test_score_in_a_subprocess_prints_the_scorecard(cli: Cli) -> None:
    name = new(cli)

    result = _run_module("-m", "pilot_tui", "score", name)

    assert result.returncode == 0
    assert result.stderr == ""
    assert "Readiness: Demo" in result.stdout


@pytest.mark.parametrize(
    "command",
    [("score", "ghost"), ("import", "/nonexistent/file.toml"), ("new", ""), ("score",)],
    ids=lambda c: " ".join(c) or "empty",
)
def test_an_error_in_a_subprocess_is_one_line_without_traceback(command: tuple[str, ...]) -> None:
    result = _run_module("-m", "pilot_tui", *command)

    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("pilot-tui: error: ")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_to_a_file_and_to_standard_output(cli: Cli, tmp_path: Path, fmt: str) -> None:
    name = new(cli)
    cli("answer", name, "runbook", "partly", "--owner", "Bo", "--notes", "Draft | v2")
    target = tmp_path / f"report.{fmt}"

    written = cli("report", name, "--format", fmt, "-o", str(target))
    printed = cli("report", name, "--format", fmt)

    assert (written.code, written.out, written.err) == (0, f"wrote {target}\n", "")
    text = target.read_text(encoding="utf-8")
    assert printed.out == text
    assert "Claims triage bot" in text and "Bo" in text
    assert ("Draft \\| v2" if fmt == "md" else "Draft | v2") in text


def test_report_of_a_missing_assessment_is_one_line(cli: Cli) -> None:
    assert_one_error_line(cli("report", "ghost"), contains="no assessment named 'ghost'")


def test_list_and_score_show_the_same_coverage(cli: Cli, bank: Bank) -> None:
    # 15 of 38 questions is 39.47%: 39% everywhere. The list rounded the JSON's 0.395 again and
    # showed 40%, where the app and `score` showed 39%.
    name = new(cli)
    questions = [question.id for _, question in bank.iter_questions()]
    assert len(questions) == 38
    for question in questions[:15]:
        cli("answer", name, question, "met")
    assert "Answered 15 of 38 (39%)" in cli("score", name).out
    assert "39% answered" in cli("list").out


def test_tied_sections_are_said_to_be_tied_not_one_named_as_the_weakest(
    cli: Cli, bank: Bank
) -> None:
    name = new(cli)
    assert "(weakest section: all 5 tied)" in cli("score", name).out
    # Every question of all but two sections met: those two tie at 0, and are both named.
    tied = {bank.sections[1].id, bank.sections[3].id}
    for section in bank.sections:
        if section.id not in tied:
            for question in section.questions:
                cli("answer", name, question.id, "met")
    text = cli("score", name).out
    first, second = (s.title for s in bank.sections if s.id in tied)
    assert f"(weakest section: tied: {first} and {second})" in text
    assert sorted(json.loads(cli("score", name, "--json").out)["lowest"]) == sorted(tied)
