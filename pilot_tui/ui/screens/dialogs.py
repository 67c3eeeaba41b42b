"""Small modal dialogs: a one-field prompt, a yes/no question, and the new-assessment form."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from pilot_tui.core.limits import MAX_LINE, MAX_TITLE


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
    ) -> None:
        super().__init__()
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


class SetupForm(ModalScreen[Setup | None]):
    """The short form that starts an assessment: only the title is required."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", tooltip="Close without creating anything")]

    FIELDS = (
        ("title", "Title *", "required, e.g. Claims triage assistant", MAX_TITLE),
        ("team", "Team", "who owns the pilot", MAX_LINE),
        ("facilitator", "Facilitator", "who runs this assessment", MAX_LINE),
        ("stage", "Stage", "e.g. pilot, pre-production", MAX_LINE),
        ("respondent", "Your name", "if you answer alone, to merge with others later", MAX_LINE),
    )

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("New assessment", classes="dialog-title")
            for field, label, placeholder, limit in self.FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label)
                    yield Input(placeholder=placeholder, max_length=limit, id=f"setup-{field}")
            yield Static("", id="setup-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Create", variant="primary", id="create")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#setup-title", Input).focus()

    def _value(self, field: str) -> str:
        return self.query_one(f"#setup-{field}", Input).value.strip()

    @on(Input.Submitted)
    @on(Button.Pressed, "#create")
    def _create(self) -> None:
        if not self._value("title"):
            self.query_one("#setup-error", Static).update("A title is required.")
            self.query_one("#setup-title", Input).focus()
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

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
