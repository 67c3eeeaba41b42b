"""The fields that go with an answer: notes, owner, due date, evidence, and the N/A reason.

Imported only when the form is mounted, just after the interview's first frame: the text
area's module alone is a noticeable part of the start-up.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import date
from typing import Any

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Input, Label, TextArea

from pilot_tui.core.assessment import Answer, edit_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_LINE


class AnswerForm(Vertical):
    """Shows one answer's details, and reads them back through the one answer rule."""

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

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Tab into the notes continues them: the cursor goes to the end, not before the text.
        if isinstance(event.widget, TextArea):
            event.widget.move_cursor(event.widget.document.end)

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

    def read(
        self, bank: Bank, question_id: str, current: Answer, *, not_applicable: bool
    ) -> tuple[Answer, str]:
        """CURRENT with what the fields show now, and what could not be kept ("" if all was).

        A field that is not valid keeps its old value; each field valid on its own is kept."""
        due_text = self.field("due")
        error = ""
        due = current.due
        if not due_text:
            due = None
        else:
            try:
                due = date.fromisoformat(due_text)
            except ValueError:
                error = f"Due date {due_text!r} is not a date (YYYY-MM-DD), so it is not saved."
        fields: dict[str, Any] = {"notes": self.field("notes"), "evidence": self.field("evidence")}
        if not_applicable:
            # Not applicable has a reason, and no owner or due date (their fields are hidden).
            fields["reason"] = self.field("reason")
            if not fields["reason"]:
                error = "Not applicable needs a reason; the last one is kept."
                fields["reason"] = current.reason
        else:
            fields.update(owner=self.field("owner"), due=due)
        try:
            return edit_answer(bank, question_id, current, **fields), error
        except ValueError as problem:
            answer = current
            for key, value in fields.items():
                with suppress(ValueError):
                    answer = edit_answer(bank, question_id, answer, **{key: value})
            return answer, f"Not saved: {problem}"

    def field(self, field_id: str) -> str:
        if field_id == "notes":
            return self.query_one("#notes", TextArea).text
        return self.query_one(f"#{field_id}", Input).value.strip()


def _due_text(answer: Answer) -> str:
    return answer.due.isoformat() if answer.due else ""
