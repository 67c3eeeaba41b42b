"""What an answer's evidence is, and whether it can be trusted for the gate.

Evidence is a path in the repository ("runbooks/claims.md"), a web address, or words. A path is
checked (by the store: it reads the file system); a web address is never fetched (pilot-tui
makes no network calls), so it is trusted only with a date someone verified it on; words are
never proof. Evidence verified longer ago than the maximum age is stale.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Final, Literal

from pilot_tui.core.assessment import Answer, Assessment
from pilot_tui.core.bank import FULL_SCORE, Bank, Choice, Question
from pilot_tui.core.scoring import answer_choice

Kind = Literal["path", "url", "text"]
State = Literal["present", "missing", "outside", "unchecked", "words"]
"""present: the file is there; missing: it is not; outside: the path leads out of the
repository (absolute, `..`, or a link out), so it was not looked at; unchecked: a web address;
words: not something that can be checked."""

STALE_AFTER: Final = 365
"""Days after which the app and the reports call evidence verified on a day stale (the command
line's `evidence` and gate take --max-age)."""

URL: Final = re.compile(r"^https?://\S+$", re.IGNORECASE)
PATH: Final = re.compile(r"^[^\s]+$")
"""One word: a path like runbooks/claims.md, docs/slo.yaml#latency or ./eval/report.html."""


def kind_of(evidence: str) -> Kind:
    text = evidence.strip()
    if URL.match(text):
        return "url"
    if PATH.match(text) and ("/" in text or "." in text):
        return "path"
    return "text"


def path_part(evidence: str) -> str:
    """The file a path points at, without a fragment ("docs/slo.md#latency" -> docs/slo.md)."""
    return evidence.strip().split("#", 1)[0]


@dataclass(frozen=True)
class EvidenceCheck:
    """One answer's evidence, as checked."""

    question: str
    title: str
    evidence: str
    kind: Kind
    state: State
    verified: date | None
    age: int | None
    """Days since it was verified (None: never said)."""
    stale: bool
    """Verified longer ago than the maximum age, or never, when a maximum age is asked for."""

    @property
    def trusted(self) -> bool:
        """Whether it shows a "met" answer true, for the gate: a file that is there, or a web
        address someone verified; fresh either way. Words never are."""
        if self.stale:
            return False
        if self.state == "present":
            return True
        return self.state == "unchecked" and self.verified is not None

    @property
    def worth_saying(self) -> bool:
        """Whether the app and a report should point at it unasked: a file that is not there,
        a path leading out of the repository, or a verification long ago. (A web address or
        words without a date are the gate's to weigh, when asked: flagging every one of them
        would drown the rest.)"""
        if self.state in ("missing", "outside"):
            return True
        return self.stale and self.verified is not None

    @property
    def problem(self) -> str:
        """Why it is not trusted, in words ("" when it is)."""
        if self.state == "missing":
            return f"{path_part(self.evidence)} is not in the repository"
        if self.state == "outside":
            return f"{path_part(self.evidence)} leads outside the repository; not looked at"
        if self.stale:
            if self.verified is None:
                return "never verified"
            if self.age is not None and self.age < 0:
                return f"verified on a day still to come ({self.verified.isoformat()})"
            return f"verified {self.age} days ago ({self.verified.isoformat()}): stale"
        if self.state == "unchecked" and self.verified is None:
            return "a web address, not checked (no network): give the date it was verified"
        if self.state == "words":
            return "words, not something that can be checked"
        return ""


def judge_evidence(
    question: str,
    title: str,
    answer: Answer,
    state: State,
    *,
    today: date,
    max_age: int | None,
) -> EvidenceCheck:
    """ANSWER's evidence, found in STATE, judged on TODAY against MAX_AGE days."""
    verified = answer.verified
    age = (today - verified).days if verified is not None else None
    # A day still to come is no verification (a typo, or a hand-edited file): never fresh.
    stale = (age is not None and age < 0) or (
        max_age is not None and (age is None or age > max_age)
    )
    return EvidenceCheck(
        question=question,
        title=title,
        evidence=answer.evidence,
        kind=kind_of(answer.evidence),
        state=state,
        verified=verified,
        age=age,
        stale=stale,
    )


@dataclass(frozen=True)
class Discounted:
    """A "met" answer that counts for less at the gate, because its evidence is not trusted."""

    check: EvidenceCheck
    before: str
    """The choice's label as answered."""
    after: str
    """The label of the choice it counts as."""


def discount_untrusted(
    bank: Bank, assessment: Assessment, checks: Sequence[EvidenceCheck]
) -> tuple[Assessment, list[Discounted]]:
    """ASSESSMENT with each fully met answer whose evidence is not trusted (none at all
    included) counting as the question's partly-in-place choice, for a gate that requires
    evidence; and what was discounted, each with why."""
    by_question = {check.question: check for check in checks}
    answers = dict(assessment.answers)
    discounted: list[Discounted] = []
    for _, question in bank.iter_questions():
        answer = answers.get(question.id)
        choice = answer_choice(bank, question, answer)
        if answer is None or choice is None or (choice.score or 0) < FULL_SCORE:
            continue
        check = by_question.get(question.id) or EvidenceCheck(
            question.id, question.title, "", "text", "words", None, None, False
        )
        if check.trusted:
            continue
        partly = _partly(bank, question)
        # A bank whose question has nothing between yes and no: the answer counts for nothing
        # at the gate (unanswered), never as met.
        answers[question.id] = replace(answer, choice=None if partly is None else partly.id)
        discounted.append(
            Discounted(check, choice.label, "Unanswered" if partly is None else partly.label)
        )
    return replace(assessment, answers=answers), discounted


def _partly(bank: Bank, question: Question) -> Choice | None:
    """The question's best choice short of fully met that needs nothing more (the bank's
    "partly in place"; "no" on a yes-or-no question), or None when it has none."""
    partial = [
        choice
        for choice in bank.offered_choices(question)
        if choice.score is not None
        and choice.score < FULL_SCORE
        and not choice.unknown
        and not choice.needs
    ]
    return max(partial, key=lambda choice: choice.score or 0.0, default=None)
