"""Small modal dialogs: a one-field prompt, a yes/no question, the new-assessment form, and the
pilot's context."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final, TypeVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from pilot_tui.core.bank import Choice, ContextFacet
from pilot_tui.core.limits import MAX_LINE, MAX_TITLE
from pilot_tui.ui.focus import focus_at_once


class TextPrompt(ModalScreen[str | None]):
    """Asks for one line of text; Enter accepts (when not blank), Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything")]

    def __init__(
        self,
        title: str,
        *,
        label: str,
        value: str = "",
        placeholder: str = "",
        accept: str = "OK",
        max_length: int = MAX_LINE,
        min_length: int = 1,
    ) -> None:
        super().__init__()
        self._min_length = min_length
        self._title = title
        self._label = label
        self._value = value
        self._placeholder = placeholder
        self._accept = accept
        self._max_length = max_length

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Label(Content(self._label))
            yield Input(
                self._value,
                placeholder=self._placeholder,
                max_length=self._max_length,
                id="prompt-value",
            )
            yield Static("", id="prompt-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._accept, variant="primary", id="accept")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#accept")
    def _accept_value(self) -> None:
        value = self.query_one(Input).value.strip()
        if not value:
            self.query_one("#prompt-error", Static).update("Please fill this in, or press Escape.")
            return
        if len(value) < self._min_length:
            # Kept open with what was typed: closing would lose it, and send the rest of the
            # sentence to the screen below as keys.
            self.query_one("#prompt-error", Static).update(
                f"At least {self._min_length} characters, please: say why, in a few words."
            )
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class Confirm(ModalScreen[bool]):
    """A yes/no question; y or Enter on the yes button confirms, n or Escape declines."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", tooltip="Do not do it"),
        Binding("y", "answer(True)", "Yes", tooltip="Go ahead"),
    ]

    def __init__(self, title: str, message: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self._title = title
        self._message = message
        self._yes = yes
        self._no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            yield Static(Content(self._message))
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self._yes} (y)", variant="error", id="yes")
                yield Button(f"{self._no} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


@dataclass(frozen=True)
class Setup:
    """What the new-assessment form collects."""

    title: str
    team: str
    facilitator: str
    stage: str
    respondent: str


_Result = TypeVar("_Result")

SHORT_TERMINAL: Final = 24
"""Rows from which the New dialog shows all its fields and buttons without scrolling."""


class FieldsForm(ModalScreen[_Result]):
    """A dialog of one-line fields with a button to accept them and one to cancel; a subclass
    names its fields and says what accepting makes of them."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything"),
        # Taken as the app reads the keys, in their order. Left to the fields and the screen,
        # a move to the next field (a message, or a focus that waits its turn) would come after
        # the keys typed just behind it, at a quick typist's or a paste's speed, and those would
        # land in the field before.
        Binding("tab", "next_field", show=False, priority=True),
        Binding("shift+tab", "previous_field", show=False, priority=True),
        Binding("enter", "submit", show=False, priority=True),
    ]
    # Below this many rows the fields scroll and the buttons stay in sight (app.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (SHORT_TERMINAL, "-tall")]

    HEADING = ""
    PREFIX = ""
    """Of the fields' ids (PREFIX-field) and of the error line's (PREFIX-error)."""
    ACCEPT = ("", "")
    """The accepting button's label and id."""
    FIELDS: tuple[tuple[str, str, str, int], ...] = ()
    """(field, label, placeholder, most characters) each."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.HEADING, classes="dialog-title")
            # The fields scroll on a short terminal; the buttons below them stay in sight.
            with VerticalScroll(classes="dialog-fields"):
                for field, label, placeholder, limit in self.FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(label)
                        yield Input(
                            placeholder=placeholder,
                            max_length=limit,
                            id=f"{self.PREFIX}-{field}",
                        )
            yield Static("", id=f"{self.PREFIX}-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.ACCEPT[0], variant="primary", id=self.ACCEPT[1])
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{self.PREFIX}-{field}", Input).value.strip()

    def _refuse(self, field: str, message: str) -> None:
        """Say why the form cannot be accepted, and go to the field to change."""
        self.query_one(f"#{self.PREFIX}-error", Static).update(message)
        self.query_one(f"#{self.PREFIX}-{field}", Input).focus()

    def action_next_field(self) -> None:
        focus_at_once(self, 1)

    def action_previous_field(self) -> None:
        focus_at_once(self, -1)

    def action_submit(self) -> None:
        if isinstance(self.focused, Button):
            self.focused.press()
            return
        # Each field takes its keys from a queue of its own: the form is read once every
        # field has taken the keys typed before this Enter, each queue in turn.
        fields = list(self.query(Input))
        first, *others = fields
        first.call_later(*(field.call_later for field in others), self.accept)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "cancel":
            self.dismiss(None)
        else:
            self.accept()

    def accept(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        self.dismiss(None)


class SetupForm(FieldsForm[Setup | None]):
    """The short form that starts an assessment: only the title is required."""

    HEADING = "New assessment"
    PREFIX = "setup"
    ACCEPT = ("Create", "create")
    FIELDS = (
        ("title", "Title *", "required, e.g. Claims triage assistant", MAX_TITLE),
        ("team", "Team", "who owns the pilot", MAX_LINE),
        ("facilitator", "Facilitator", "who runs this assessment", MAX_LINE),
        ("stage", "Stage", "e.g. pilot, pre-production", MAX_LINE),
        ("respondent", "Your name", "if you answer alone, to merge with others later", MAX_LINE),
    )

    def accept(self) -> None:
        if not self._value("title"):
            self._refuse("title", "A title is required.")
            return
        self.dismiss(
            Setup(
                title=self._value("title"),
                team=self._value("team"),
                facilitator=self._value("facilitator"),
                stage=self._value("stage"),
                respondent=self._value("respondent"),
            )
        )


@dataclass(frozen=True)
class WaiverRequest:
    reason: str
    requester: str
    approver: str
    expires: date


class WaiverForm(FieldsForm[WaiverRequest | None]):
    """Who accepts a blocker's risk, why, and until when. The rules (an approver who is not
    the requester, a day still to come) are core.waivers'; what is typed is only read here."""

    HEADING = "Waive this blocker: accept the risk for a limited time"
    PREFIX = "waiver"
    ACCEPT = ("Waive", "waive")
    FIELDS = (
        ("reason", "Why *", "why the risk is accepted, and what is planned", MAX_LINE),
        ("requester", "Asked by *", "who asks for the waiver", MAX_TITLE),
        ("approver", "Approved by *", "who accepts the risk (not the requester)", MAX_TITLE),
        ("expires", "Until *", "the last day it holds: YYYY-MM-DD", 10),
    )

    def accept(self) -> None:
        for field, label, _, _ in self.FIELDS:
            if not self._value(field):
                self._refuse(field, f"{label.rstrip(' *')} is needed.")
                return
        try:
            expires = date.fromisoformat(self._value("expires"))
        except ValueError:
            self._refuse("expires", "Give the last day as YYYY-MM-DD.")
            return
        self.dismiss(
            WaiverRequest(
                reason=self._value("reason"),
                requester=self._value("requester"),
                approver=self._value("approver"),
                expires=expires,
            )
        )


CONTEXT_HINT = (
    "Space ticks an option. Questions that do not apply are left out; a question left "
    "unanswered counts every option."
)


class ContextForm(ModalScreen[dict[str, list[str]] | None]):
    """What the pilot is, by the bank's context questions: which questions apply depends on it.

    Dismissed with the chosen context (a question left without a choice is left out: every one
    of its options then counts), or None when cancelled.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything")]

    def __init__(
        self,
        facets: tuple[ContextFacet, ...],
        context: dict[str, list[str]],
        *,
        title: str,
        cancel: str = "Cancel",
    ) -> None:
        super().__init__()
        self._cancel = cancel
        self._facets = facets
        self._chosen = context
        self._title = title
        self._descriptions = {
            option.id: option.description for facet in facets for option in facet.options
        }

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog context-dialog"):
            yield Static(Content(self._title), classes="dialog-title")
            for facet in self._facets:
                chosen = self._chosen.get(facet.id, [])
                how = "choose one or more" if facet.multiple else "choose one"
                yield Label(Content.assemble((facet.question, "bold"), (f"  ({how})", "dim")))
                yield SelectionList[str](
                    *((Content(o.label), o.id, o.id in chosen) for o in facet.options),
                    id=f"context-{facet.id}",
                    classes="context-options",
                )
            yield Static(Content(CONTEXT_HINT), id="context-description", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button(self._cancel, id="cancel")

    def on_mount(self) -> None:
        self.query(SelectionList).first().focus()

    @on(SelectionList.SelectionHighlighted)
    def _describe(self, event: SelectionList.SelectionHighlighted[str]) -> None:
        if not event.selection_list.has_focus:
            return  # (each list highlights its first option when it is mounted)
        description = self._descriptions.get(event.selection.value, "") or CONTEXT_HINT
        self.query_one("#context-description", Static).update(Content(description))

    @on(SelectionList.SelectionToggled)
    def _one_where_one(self, event: SelectionList.SelectionToggled[str]) -> None:
        # A question with one answer keeps only the option just ticked.
        facet = next(f for f in self._facets if f"context-{f.id}" == event.selection_list.id)
        value = event.selection.value
        if not facet.multiple and value in event.selection_list.selected:
            for other in list(event.selection_list.selected):
                if other != value:
                    event.selection_list.deselect(other)

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        context: dict[str, list[str]] = {}
        for facet in self._facets:
            chosen = self.query_one(f"#context-{facet.id}", SelectionList).selected
            if chosen:
                # In the bank's order, whatever order they were ticked in.
                order = [option.id for option in facet.options]
                context[facet.id] = sorted(map(str, chosen), key=order.index)
        self.dismiss(context)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class HandsForm(ModalScreen[dict[str, int] | None]):
    """A show of hands in the room: how many hands went up for each choice."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without changing anything")]

    def __init__(self, choices: tuple[Choice, ...], counts: dict[str, int]) -> None:
        super().__init__()
        self._choices = choices
        self._counts = counts

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Show of hands", classes="dialog-title")
            yield Label("Hands up for each answer (they add to the votes from devices)")
            for choice in self._choices:
                with Horizontal(classes="hands-row"):
                    yield Label(Content(choice.label), classes="hands-label")
                    yield Input(
                        str(self._counts.get(choice.id, "")),
                        restrict=r"[0-9]*",
                        max_length=4,
                        id=f"hands-{choice.id}",
                        classes="hands-count",
                    )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Record", variant="primary", id="accept")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#accept")
    def _accept(self) -> None:
        counts = {
            choice.id: int(self.query_one(f"#hands-{choice.id}", Input).value or 0)
            for choice in self._choices
        }
        self.dismiss(counts)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
