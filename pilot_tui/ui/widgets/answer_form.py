"""The fields that go with an answer: notes, owner, due date, evidence, and the N/A reason.

Imported only when the form is mounted, just after the interview's first frame: the text
area's module alone is a noticeable part of the start-up.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, TextArea

from pilot_tui.core.assessment import Answer
from pilot_tui.core.limits import MAX_LINE


class AnswerForm(Vertical):
    """Shows one answer's details; reading them back (and checking them) is the screen's job."""

    class Edited(Message):
        """A field was changed: the screen reads the form again."""

    def __init__(self, answer: Answer) -> None:
        super().__init__(id="answer-form")
        self._answer = answer

    def compose(self) -> ComposeResult:
        answer = self._answer
        yield Label("Notes", classes="field-label")
        yield TextArea(answer.notes, id="notes", soft_wrap=True, show_line_numbers=False)
        with Horizontal(classes="field-row"):
            with Vertical():
                yield Label("Owner", classes="field-label")
                yield Input(
                    answer.owner, placeholder="who will fix it", max_length=MAX_LINE, id="owner"
                )
            with Vertical():
                yield Label("Due date", classes="field-label")
                yield Input(
                    _due_text(answer),
                    placeholder="YYYY-MM-DD",
                    max_length=10,
                    restrict=r"[0-9-]*",
                    id="due",
                )
        yield Label("Evidence", classes="field-label")
        yield Input(
            answer.evidence,
            placeholder="a link or where to find it",
            max_length=MAX_LINE,
            id="evidence",
        )
        yield Label("Why it does not apply", classes="field-label reason")
        yield Input(answer.reason, max_length=MAX_LINE, id="reason", classes="reason")

    def load(self, answer: Answer) -> None:
        self._answer = answer
        self.query_one("#notes", TextArea).load_text(answer.notes)
        self.query_one("#owner", Input).value = answer.owner
        self.query_one("#due", Input).value = _due_text(answer)
        self.query_one("#evidence", Input).value = answer.evidence
        self.query_one("#reason", Input).value = answer.reason

    @on(Input.Changed)
    @on(TextArea.Changed)
    def _edited(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Edited())

    def field(self, field_id: str) -> str:
        if field_id == "notes":
            return self.query_one("#notes", TextArea).text
        return self.query_one(f"#{field_id}", Input).value.strip()


def _due_text(answer: Answer) -> str:
    return answer.due.isoformat() if answer.due else ""
