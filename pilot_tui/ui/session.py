"""The assessment open in the app: its answers in memory, its scorecard, and its unsaved changes.

No Textual here: the app drives it, and the tests can too. The in-memory assessment is the truth;
saving writes a snapshot of it, so a failed save loses nothing and the next attempt catches up.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from pilot_tui.core.assessment import Answer, Assessment, now_utc, with_answer
from pilot_tui.core.bank import Bank, Question, Section
from pilot_tui.core.merge import Disagreement, disagreements
from pilot_tui.core.milestones import Change, add_milestone, diff_answers, sparkline, trends
from pilot_tui.core.scoring import ActionItem, Scorecard, action_plan, score
from pilot_tui.store import Store
from pilot_tui.ui.widgets.scorecard import CardExtras


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
        self.card: Scorecard = score(self.bank, assessment)
        self.disputes: list[Disagreement] = disagreements(self.bank, assessment)
        """Where the participants differ; fixed while the app runs (participants only change
        by a merge, which makes a new session)."""
        self.extras = self._extras()
        self._revision = 0
        self._saved_revision = 0
        self._save_lock = threading.Lock()

    # ------------------------------------------------------------------ reading

    @property
    def dirty(self) -> bool:
        return self._revision != self._saved_revision

    def section(self, position: Position) -> Section:
        return self.bank.sections[position.section]

    def question(self, position: Position) -> Question:
        return self.section(position).questions[position.question]

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
            for s, section in enumerate(self.bank.sections)
            for q in range(len(section.questions))
        ]

    def position_of(self, question_id: str) -> Position | None:
        return next(
            (p for p in self.positions() if self.question(p).id == question_id),
            None,
        )

    def first_open_question(self, section: int) -> Position:
        """The section's first unanswered question, or its first question when all are answered."""
        questions = self.bank.sections[section].questions
        for index, question in enumerate(questions):
            answer = self.assessment.answers.get(question.id)
            if answer is None or answer.choice is None:
                return Position(section, index)
        return Position(section, 0)

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

    def add_milestone(self, label: str) -> None:
        """Snapshot the team's answers under LABEL (ValueError for an empty or used label)."""
        self.replace(add_milestone(self.assessment, label, now=now_utc()))

    def _rescore(self) -> None:
        self.card = score(self.bank, self.assessment)
        # Only worth working out when there is something to show: it scores every milestone.
        if self.assessment.milestones or self.extras.disputed:
            self.extras = self._extras()
        self._revision += 1

    def replace(self, assessment: Assessment) -> None:
        """Take a whole new document (after a milestone, say) and rescore it."""
        self.assessment = assessment
        self.extras = self._extras()
        self._rescore()

    # ------------------------------------------------------------------ saving

    def save(self) -> bool:
        """Write the latest answers; safe to call from a worker thread. True when it wrote."""
        with self._save_lock:
            revision = self._revision
            if revision == self._saved_revision:
                return False
            self.store.save_file(self.path, self.assessment)
            self._saved_revision = revision
            return True
