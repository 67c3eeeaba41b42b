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
from pilot_tui.core.scoring import ActionItem, Scorecard, action_plan, score
from pilot_tui.store import Store


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
        self.card = score(self.bank, self.assessment)
        self._revision += 1
        return True

    def replace(self, assessment: Assessment) -> None:
        """Take a whole new document (after a rename, say) and rescore it."""
        self.assessment = assessment
        self.card = score(self.bank, assessment)
        self._revision += 1

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
