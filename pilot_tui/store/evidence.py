"""Checking evidence paths against a repository, never looking outside it."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.evidence import EvidenceCheck, State, judge_evidence, kind_of, path_part


@lru_cache(maxsize=64)
def evidence_root(assessment_file: Path) -> Path:
    """Where evidence paths start: the repository the assessment file is in (the nearest folder
    above it holding .git), or else the file's own folder. Kept per file: the interview asks on
    every answer key, and a folder does not become a repository while a session is open."""
    folder = assessment_file.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def state_of(evidence: str, root: Path) -> State:
    """Where EVIDENCE stands in ROOT. A path that is absolute, climbs out with `..`, or passes
    through a link leading out of ROOT is never looked at: the answer is `outside`."""
    kind = kind_of(evidence)
    if kind == "url":
        return "unchecked"
    if kind == "text":
        return "words"
    relative = path_part(evidence)
    if os.path.isabs(relative) or relative.startswith("~"):
        return "outside"
    top = root.resolve()
    candidate = top / relative
    # Resolved (links followed) and compared: whatever the path or its links say, only what
    # is inside the repository counts.
    try:
        resolved = candidate.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return "outside"
    if resolved != top and top not in resolved.parents:
        return "outside"
    try:
        return "present" if os.path.lexists(resolved) and resolved.exists() else "missing"
    except OSError:
        return "missing"


def check_evidence(
    bank: Bank, assessment: Assessment, root: Path, *, today: date, max_age: int | None
) -> list[EvidenceCheck]:
    """Every answer's evidence (answers without any are left out), in the bank's order."""
    checks: list[EvidenceCheck] = []
    for _, question in bank.iter_questions():
        answer = assessment.answers.get(question.id)
        if answer is None or not answer.evidence.strip():
            continue
        state = state_of(answer.evidence, root)
        checks.append(
            judge_evidence(question.id, question.title, answer, state, today=today, max_age=max_age)
        )
    return checks
