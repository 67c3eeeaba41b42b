"""Assessments kept in git: `pilot-tui git-merge` as git's merge driver, with real git in a
temporary repository: branches that changed different questions merge cleanly; the same
question answered differently is a conflict git reports, with both versions kept in a file that
loads; a file that cannot be read is never merged into."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import Cli

from pilot_tui.core.assessment import Answer, new_assessment, now_utc, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.writers import CLASH_NOTE
from pilot_tui.store import load_bank
from pilot_tui.store.format import dumps_assessment, load_assessment_file

FIRST = "success-criteria-agreed"
SECOND = "eval-production-data"
THIRD = "runbook"


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=check, timeout=60
    )


@pytest.fixture
def repo(tmp_path: Path, bank: Bank) -> Path:
    """A repository with one assessment committed on main and the merge driver configured as
    the README says (the driver run with this test's Python)."""
    if not any(
        (Path(folder) / "git").exists() for folder in os.environ.get("PATH", "").split(os.pathsep)
    ):
        pytest.fail("git is needed for these tests")
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.name", "Test")
    git(root, "config", "user.email", "test@example.invalid")
    driver = f"{shlex.quote(sys.executable)} -m pilot_tui git-merge %O %A %B %P"
    git(root, "config", "merge.pilot-tui.name", "pilot-tui assessments, question by question")
    git(root, "config", "merge.pilot-tui.driver", driver)
    (root / ".gitattributes").write_text("assessments/*.toml merge=pilot-tui\n")
    (root / "assessments").mkdir()
    assessment = new_assessment(bank, "Claims bot", now=now_utc())
    assessment = with_answer(assessment, THIRD, Answer(choice="planned"), now=now_utc())
    write(root, assessment)
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "claims bot")
    return root


def path_of(root: Path) -> Path:
    return root / "assessments" / "claims.toml"


def write(root: Path, assessment: object) -> None:
    path_of(root).write_text(dumps_assessment(assessment), encoding="utf-8")  # type: ignore[arg-type]


def answer_on_branch(
    root: Path, bank: Bank, branch: str, question: str, answer: Answer, *, new: bool = True
) -> None:
    git(root, "checkout", "-q", *(["-b"] if new else []), branch)
    current = load_assessment_file(path_of(root), bank)
    write(root, with_answer(current, question, answer, now=now_utc()))
    git(root, "commit", "-q", "-am", f"{question} on {branch}")


def test_branches_that_answered_different_questions_merge_cleanly(repo: Path, bank: Bank) -> None:
    answer_on_branch(repo, bank, "ana", FIRST, Answer(choice="met", notes="Signed in May."))
    answer_on_branch(repo, bank, "main", SECOND, Answer(choice="partly"), new=False)
    merged = git(repo, "merge", "-q", "--no-edit", "ana", check=False)
    assert merged.returncode == 0, merged.stderr
    assessment = load_assessment_file(path_of(repo), bank)
    assert assessment.answers[FIRST].choice == "met"
    assert assessment.answers[FIRST].notes == "Signed in May."
    assert assessment.answers[SECOND].choice == "partly"
    assert assessment.answers[THIRD].choice == "planned"
    assert git(repo, "status", "--porcelain").stdout == ""


def test_the_same_question_answered_differently_is_a_conflict_with_both_versions(
    repo: Path, bank: Bank, cli: Cli
) -> None:
    answer_on_branch(
        repo, bank, "ana", THIRD, Answer(choice="met", evidence="ops/runbook.md", notes="Done.")
    )
    answer_on_branch(
        repo,
        bank,
        "main",
        THIRD,
        Answer(choice="not-met", notes="The runbook was\nnever reviewed."),
        new=False,
    )
    answer_on_branch(repo, bank, "main", FIRST, Answer(choice="partly"), new=False)
    merged = git(repo, "merge", "--no-edit", "ana", check=False)
    assert merged.returncode != 0
    # git names the file as conflicted, and the driver says what to do, in its own lines.
    assert git(repo, "diff", "--name-only", "--diff-filter=U").stdout.split() == [
        "assessments/claims.toml"
    ]
    said = [line for line in merged.stderr.splitlines() if "pilot-tui git-merge" in line]
    assert len(said) == 1 and THIRD in said[0] and "left open" in said[0]
    # The file loads; the disputed answer is open (no choice counts), both versions in its notes.
    assessment = load_assessment_file(path_of(repo), bank)
    open_answer = assessment.answers[THIRD]
    assert open_answer.choice is None
    assert open_answer.notes.startswith(CLASH_NOTE)
    assert "Ours: Not in place." in open_answer.notes
    assert "never reviewed." in open_answer.notes
    assert "Theirs: In place and evidenced. Evidence: ops/runbook.md." in open_answer.notes
    assert assessment.answers[FIRST].choice == "partly"  # what only one side changed stays
    # Settled from the command line, then committed as any resolved file.
    settled = cli("answer", str(path_of(repo)), THIRD, "partly", "--notes", "Draft exists.")
    assert settled.code == 0, settled.err
    git(repo, "add", "assessments/claims.toml")
    git(repo, "commit", "-q", "--no-edit")
    final = load_assessment_file(path_of(repo), bank)
    assert final.answers[THIRD].choice == "partly"
    assert git(repo, "status", "--porcelain").stdout == ""


def test_a_version_that_cannot_be_read_is_never_merged_into(repo: Path, bank: Bank) -> None:
    git(repo, "checkout", "-q", "-b", "broken")
    path_of(repo).write_text('schema = "pilot-tui/assessment"\nanswers = [oops\n')
    git(repo, "commit", "-q", "-am", "broken by hand")
    answer_on_branch(repo, bank, "main", FIRST, Answer(choice="met"), new=False)
    ours = path_of(repo).read_bytes()
    merged = git(repo, "merge", "--no-edit", "broken", check=False)
    assert merged.returncode != 0
    assert path_of(repo).read_bytes() == ours  # left as it was, for a person to merge
    said = [line for line in merged.stderr.splitlines() if "pilot-tui git-merge" in line]
    assert len(said) == 1 and "not merged, ours left as it is" in said[0]


def test_two_branches_adding_the_same_file_about_different_pilots_conflict(
    tmp_path: Path, cli: Cli, bank: Bank
) -> None:
    empty = tmp_path / "base.toml"
    empty.write_text("")
    ours, theirs = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    ours.write_text(dumps_assessment(new_assessment(bank, "Claims bot", now=now_utc())))
    theirs.write_text(dumps_assessment(new_assessment(bank, "Fraud model", now=now_utc())))
    before = ours.read_bytes()
    result = cli("git-merge", str(empty), str(ours), str(theirs), "claims.toml")
    assert result.code == 1
    assert "different pilots" in result.err and result.err.count("\n") == 1
    assert ours.read_bytes() == before


def test_the_same_pilot_added_on_two_branches_merges_what_agrees(
    tmp_path: Path, cli: Cli, bank: Bank
) -> None:
    empty = tmp_path / "base.toml"
    empty.write_text("")
    start = new_assessment(bank, "Claims bot", now=now_utc())
    ours, theirs = tmp_path / "ours.toml", tmp_path / "theirs.toml"
    ours.write_text(
        dumps_assessment(with_answer(start, FIRST, Answer(choice="met"), now=now_utc()))
    )
    theirs.write_text(
        dumps_assessment(with_answer(start, SECOND, Answer(choice="met"), now=now_utc()))
    )
    result = cli("git-merge", str(empty), str(ours), str(theirs))
    assert result.code == 0, result.err
    merged = load_assessment_file(ours, load_bank())
    assert {FIRST, SECOND} <= set(merged.answers)


def test_diff_compares_a_committed_version_with_the_working_copy_in_markdown(
    repo: Path, bank: Bank, cli: Cli, tmp_path: Path
) -> None:
    current = load_assessment_file(path_of(repo), bank)
    changed = with_answer(
        current, THIRD, Answer(choice="met", notes="Runbook | reviewed & signed"), now=now_utc()
    )
    write(repo, with_answer(changed, FIRST, Answer(choice="not-met"), now=now_utc()))
    older = tmp_path / "main.toml"
    older.write_text(git(repo, "show", "main:assessments/claims.toml").stdout)
    result = cli("diff", str(older), str(path_of(repo)), "--format", "md")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    # Paths as Markdown text: their underscores escaped, so nothing turns to italics.
    assert lines[0].startswith("# Readiness: ") and lines[0].endswith("claims.toml")
    assert "main.toml → " in lines[0]
    assert "| Section | Before | After | Change |" in lines
    # A plan without an owner and a due date is said to count as not in place.
    runbook = (
        "| improved | Runbook (runbook) | Planned, with an owner and a due date (no owner and no "
        "due date: counts as not in place) | In place and evidenced |"
    )
    assert runbook in lines
    criteria = [line for line in lines if "(success-criteria-agreed)" in line]
    assert criteria == [
        "| changed | Production success criteria agreed (success-criteria-agreed) "
        "| Unanswered | Not in place |"
    ]
    text = cli("diff", str(older), str(path_of(repo)))
    assert "improved   Runbook [runbook]" in text.out
    as_json = cli("diff", str(older), str(path_of(repo)), "--json")
    assert '"question": "runbook"' in as_json.out
    refused = cli("diff", str(older), str(path_of(repo)), "--to", "Workshop 1")
    assert refused.code == 2 and "two files" in refused.err
