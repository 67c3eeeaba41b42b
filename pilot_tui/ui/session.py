"""The assessment open in the app: its answers in memory, its scorecard, and its unsaved changes.

No Textual here: the app drives it, and the tests can too. The in-memory assessment is the truth;
saving writes a snapshot of it, so a failed save loses nothing and the next attempt catches up.

Someone else may save the same file meanwhile (another window, `pilot-tui answer`): each save
passes the store the version this session last read or wrote (its base), so their changes are
merged in, or, when both changed the same thing, ours goes to a conflicting copy that this
session then carries on with. Either way the app is told, in one line, by adopt_saved().
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pilot_tui.core.assessment import Answer, Assessment, now_utc, with_answer, with_context
from pilot_tui.core.bank import Bank, Question, Section
from pilot_tui.core.evidence import STALE_AFTER, EvidenceCheck, judge_evidence
from pilot_tui.core.merge import Disagreement, disagreements
from pilot_tui.core.milestones import (
    Change,
    Replaced,
    add_milestone,
    diff_answers,
    replaced_answers,
    sparkline,
    trends,
)
from pilot_tui.core.scoring import (
    ActionItem,
    Judged,
    Scorecard,
    action_plan,
    asked,
    context_options,
    is_critical,
    judge,
    score,
    utc_today,
)
from pilot_tui.core.waivers import unwaive, waive
from pilot_tui.core.writers import merge_assessments
from pilot_tui.store import SaveResult, Store
from pilot_tui.store.evidence import check_evidence, evidence_root, state_of


@dataclass(frozen=True)
class CardExtras:
    """What the card shows beyond the scores, all worked out by the core (see Session._extras)."""

    disputed: int = 0
    """Questions the participants answered differently (0 without participants)."""
    since: str = ""
    """The latest milestone's label, when there is one."""
    improved: int = 0
    regressed: int = 0
    trends: tuple[tuple[str, str], ...] = ()
    """(section id, sparkline over the milestones and now)."""


NO_EXTRAS = CardExtras()


@dataclass(frozen=True)
class Position:
    """Where the interview is: a section and a question in it, both counted from 0."""

    section: int
    question: int


class Session:
    def __init__(self, store: Store, path: Path, assessment: Assessment, name: str | None) -> None:
        self.store = store
        self.bank: Bank = store.bank
        self.path = path
        self.name = name
        """The name in the store, or None for a file opened from elsewhere."""
        self.assessment = assessment
        self.view = asked(self.bank, assessment.context)
        """Each section with the questions that apply to this pilot's context: what is asked."""
        self.card: Scorecard = score(self.bank, assessment)
        self.disputes: list[Disagreement] = disagreements(self.bank, assessment)
        """Where the participants differ; fixed while the app runs (participants only change
        by a merge, which makes a new session)."""
        self.extras = self._extras()
        self._revision = 0
        self._saved_revision = 0
        self._save_lock = threading.Lock()
        self.base = assessment
        """The version last read from the file or written to it: what a save merges against.
        Changed only under the save lock, by save()."""
        self._brought_back: list[tuple[Assessment, SaveResult]] = []
        """Saves that wrote more than our snapshot (a merge) or elsewhere (a conflicting copy),
        with that snapshot: for adopt_saved() to take in on the app's thread."""

    # ------------------------------------------------------------------ reading

    @property
    def dirty(self) -> bool:
        return self._revision != self._saved_revision

    def section(self, position: Position) -> Section:
        return self.view[position.section][0]

    def questions(self, section: int) -> list[Question]:
        """The questions of a section that are asked (those that apply to the context)."""
        return self.view[section][1]

    def question(self, position: Position) -> Question:
        return self.questions(position.section)[position.question]

    def is_critical(self, question: Question) -> bool:
        return is_critical(question, context_options(self.bank, self.assessment.context))

    def judged(self, position: Position) -> Judged:
        """How the answer on screen counts (the core's rules): its cap, what it lacks."""
        question = self.question(position)
        answer = self.assessment.answers.get(question.id)
        return judge(self.bank, question, answer, critical=self.is_critical(question))

    def replaced(self, question_id: str) -> list[Replaced]:
        """Answers to retired questions that QUESTION_ID replaced: what the team said before."""
        return [
            item
            for item in replaced_answers(self.bank, self.assessment.answers)
            if any(new == question_id for new, _, _ in item.replaced_by)
        ]

    def answer(self, position: Position) -> Answer:
        return self.assessment.answers.get(self.question(position).id) or Answer()

    def plan(self) -> list[ActionItem]:
        return action_plan(self.bank, self.assessment)

    def dispute(self, question_id: str) -> Disagreement | None:
        return next((d for d in self.disputes if d.question == question_id), None)

    def participant_answers(self, question_id: str) -> list[tuple[str, Answer | None]]:
        """Each participant's own answer to a question, by name."""
        return sorted(
            (p.name, p.answers.get(question_id)) for p in self.assessment.participants.values()
        )

    def changes_since_last_milestone(self) -> tuple[str, list[Change]] | None:
        milestones = self.assessment.milestones
        if not milestones:
            return None
        latest = milestones[-1]
        return latest.label, diff_answers(self.bank, latest.answers, self.assessment.answers)

    def _extras(self) -> CardExtras:
        since = self.changes_since_last_milestone()
        section_trends: tuple[tuple[str, str], ...] = ()
        if self.assessment.milestones:
            section_trends = tuple(
                (trend.section, sparkline(trend.points))
                for trend in trends(self.bank, self.assessment)
            )
        return CardExtras(
            disputed=len(self.disputes),
            since=since[0] if since else "",
            improved=sum(c.direction == "improved" for c in since[1]) if since else 0,
            regressed=sum(c.direction == "regressed" for c in since[1]) if since else 0,
            trends=section_trends,
        )

    def positions(self) -> list[Position]:
        return [
            Position(s, q)
            for s, (_, questions) in enumerate(self.view)
            for q in range(len(questions))
        ]

    def position_of(self, question_id: str) -> Position | None:
        return next(
            (p for p in self.positions() if self.question(p).id == question_id),
            None,
        )

    def first_open_question(self, section: int) -> Position | None:
        """The section's first unanswered question, its first question when all are answered,
        or None when none of its questions applies to this pilot."""
        questions = self.questions(section)
        if not questions:
            return None
        for index, question in enumerate(questions):
            answer = self.assessment.answers.get(question.id)
            if answer is None or answer.choice is None:
                return Position(section, index)
        return Position(section, 0)

    def first_position(self) -> Position:
        """Where an interview opens: the first open question of the first section asked."""
        for section in range(len(self.view)):
            found = self.first_open_question(section)
            if found is not None:
                return found
        raise ValueError("no question of this bank applies to this pilot")

    # ------------------------------------------------------------------ changing

    def set_answer(self, position: Position, answer: Answer) -> bool:
        """Record an answer and rescore; False when nothing changed."""
        question_id = self.question(position).id
        current = self.assessment.answers.get(question_id)
        if answer == (current or Answer()):
            return False
        empty = answer == Answer()
        self.assessment = with_answer(
            self.assessment, question_id, None if empty else answer, now=now_utc()
        )
        self._rescore()
        return True

    def waive(
        self, question_id: str, *, reason: str, requester: str, approver: str, expires: date
    ) -> None:
        """Accept the blocker of QUESTION_ID until EXPIRES (ValueError, in one line, when the
        waiver cannot hold: see core.waivers.waive)."""
        self.replace(
            waive(
                self.bank,
                self.assessment,
                question_id,
                reason=reason,
                requester=requester,
                approver=approver,
                expires=expires,
                now=now_utc(),
            )
        )

    def unwaive(self, question_id: str) -> None:
        self.replace(unwaive(self.assessment, question_id, now=now_utc()))

    def evidence(self, question_id: str) -> EvidenceCheck | None:
        """The answer's evidence, checked in the repository the file is in (never outside it);
        judged stale after a year (None: no evidence given)."""
        answer = self.assessment.answers.get(question_id)
        if answer is None or not answer.evidence.strip():
            return None
        state = state_of(answer.evidence, evidence_root(self.path))
        question = self.bank.question_index()[question_id][1]
        return judge_evidence(
            question_id, question.title, answer, state, today=utc_today(), max_age=STALE_AFTER
        )

    def evidence_checks(self) -> list[EvidenceCheck]:
        """Every answer's evidence, checked as for the answer note (see evidence)."""
        return check_evidence(
            self.bank,
            self.assessment,
            evidence_root(self.path),
            today=utc_today(),
            max_age=STALE_AFTER,
        )

    def add_milestone(self, label: str) -> None:
        """Snapshot the team's answers under LABEL (ValueError for an empty or used label)."""
        self.replace(add_milestone(self.assessment, label, now=now_utc()))

    def set_context(self, context: dict[str, list[str]], reason: str) -> bool:
        """Change the pilot's context (recorded in the file with REASON); False when nothing
        changed. ValueError for a context the bank does not offer, or a reason that says
        nothing."""
        updated = with_context(self.assessment, self.bank, context, reason=reason, now=now_utc())
        if updated is self.assessment:
            return False
        self.replace(updated)
        return True

    def _rescore(self) -> None:
        self.card = score(self.bank, self.assessment)
        # Only worth working out when there is something to show: it scores every milestone.
        if self.assessment.milestones or self.extras.disputed:
            self.extras = self._extras()
        self._revision += 1

    def replace(self, assessment: Assessment) -> None:
        """Take a whole new document (after a milestone, say) and rescore it."""
        self.assessment = assessment
        self.view = asked(self.bank, assessment.context)
        self.extras = self._extras()
        self._rescore()

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Write the latest answers; safe to call from a worker thread. True when it wrote.

        Only the file's side changes here (base, and path after a conflict); the answers in
        memory belong to the app's thread, which takes in what came back with adopt_saved().
        """
        with self._save_lock:
            revision = self._revision
            if revision == self._saved_revision:
                return False
            snapshot = self.assessment
            result = self.store.save_file(self.path, snapshot, base=self.base)
            self.base = result.assessment
            if result.conflicts:
                # From now on this session is the conflicting copy: saving to the original again
                # would only clash again, and make a new copy every time.
                self.path = result.path
                self.name = result.path.stem if result.path.parent == self.store.root else None
            if result.merged or result.conflicts:
                self._brought_back.append((snapshot, result))
            self._saved_revision = revision
            return True

    def adopt_saved(self) -> str:
        """Take in what saves brought back; call on the app's thread. The notice to show, or "".

        A merge brings the other writer's answers; a conflict the copy's new title. Changes
        made here after the save's snapshot stay on top (a three-way merge against it; where
        they touch the same thing, the newer edit here wins and is saved next).
        """
        with self._save_lock:
            brought_back, self._brought_back = self._brought_back, []
            if not brought_back:
                return ""
            for snapshot, result in brought_back:
                self.assessment = merge_assessments(snapshot, self.assessment, result.assessment)[0]
            self.view = asked(self.bank, self.assessment.context)
            self.extras = self._extras()
            self._rescore()
            if self.assessment == self.base:
                self._saved_revision = self._revision
        return "; ".join(_notice(result) for _, result in brought_back)


def _notice(result: SaveResult) -> str:
    if result.conflicts:
        return (
            f"Changed elsewhere at the same time ({_listed(result.conflicts)}): that version is "
            f"left in the file, and yours is saved as {result.path.name}, open here now"
        )
    return f"Merged changes saved elsewhere meanwhile ({_listed(result.merged)})"


def _listed(things: tuple[str, ...]) -> str:
    shown = ", ".join(things[:3])
    return shown if len(things) <= 3 else f"{shown} and {len(things) - 3} more"
