"""A participant's app in a live workshop: join with a name and the code, vote, see the reveal.

`pilot-tui serve` starts one of these per browser (`python -m pilot_tui.ui.participant FOLDER`).
It is given the workshop's folder and nothing else: it reads the facilitator's state file and
writes its own ballot, and offers no way to open, import or export anything. Votes are private
until the facilitator reveals them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from pilot_tui.core.bank import Bank, Question
from pilot_tui.core.workshop import (
    Outcome,
    WorkshopState,
    check_vote,
    tally,
    votable_choices,
)
from pilot_tui.store import StoreError, load_bank
from pilot_tui.store.workshop import Seat, Workshop
from pilot_tui.ui.widgets.choice_list import ChoiceList
from pilot_tui.ui.widgets.tally import tally_lines

POLL_SECONDS = 0.25
"""How often the facilitator's state is read: a new question shows within a quarter second."""


class JoinScreen(Screen[None]):
    AUTO_FOCUS = "#name"
    # Enter is taken as the app reads the keys, in their order: as a message from the field it
    # would come after the keys typed just behind it (quick typists, pasted text), which would
    # then land in the name instead of the code.
    BINDINGS = [Binding("enter", "submit", show=False, priority=True)]

    def compose(self) -> ComposeResult:
        with Vertical(id="join"):
            yield Static(Content.styled("Join the workshop", "bold"), id="join-title")
            yield Label("Your name, as the room knows you")
            yield Input(id="name", max_length=60)
            yield Label("The join code on the facilitator's screen")
            yield Input(id="code", max_length=7, restrict=r"[0-9 ]*")
            yield Label("Your seat PIN, only when coming back (it was shown when you joined)")
            yield Input(id="pin", max_length=5, restrict=r"[0-9 ]*")
            yield Button("Join", id="join-button", variant="primary")
            yield Static("", id="join-error")

    def action_submit(self) -> None:
        name, code = self.query_one("#name", Input), self.query_one("#code", Input)
        pin = self.query_one("#pin", Input)
        if self.focused is name:
            # At once (widget.focus() waits its turn behind the keys already read).
            self.set_focus(code)
        else:
            # Each field takes its keys from a queue of its own: the join waits behind the keys
            # typed before this Enter, in each field's queue in turn.
            name.call_later(code.call_later, pin.call_later, self._join)

    @on(Button.Pressed, "#join-button")
    def _join(self) -> None:
        app = self.app
        assert isinstance(app, ParticipantApp)
        name = self.query_one("#name", Input).value
        code = self.query_one("#code", Input).value
        pin = self.query_one("#pin", Input)
        try:
            seat = app.workshop.join(name, code, pin.value)
        except StoreError as refused:
            self.query_one("#join-error", Static).update(Content(str(refused)))
            if "seat PIN" in str(refused):
                pin.value = ""
                self.set_focus(pin)
            else:
                self.query_one("#code", Input).value = ""
                self.set_focus(self.query_one("#code", Input))
            return
        app.seated(seat)


class VoteScreen(Screen[None]):
    """The question the facilitator is on: vote on it, then see the room's votes."""

    AUTO_FOCUS = None
    BINDINGS = [Binding(str(n), f"vote({n})", "Vote", show=False) for n in range(1, 10)]

    def __init__(self, seat: Seat, bank: Bank) -> None:
        super().__init__()
        self.seat = seat
        self.bank = bank
        self.state: WorkshopState | None = None
        self._choice_ids: list[str] = []
        self._shown_question = ""

    def on_mount(self) -> None:
        # Not scrolled to the choices: the question above them is what is read first.
        self.query_one(ChoiceList).focus(scroll_visible=False)

    def compose(self) -> ComposeResult:
        yield Static(
            Content.assemble(
                f"You are {self.seat.name}  ·  seat PIN ",
                (self.seat.ballot.pin, "bold"),
                " (to rejoin as you)",
            ),
            id="who",
        )
        with VerticalScroll(id="vote-pane"):
            yield Static("", id="vote-position")
            yield Static("", id="vote-title")
            yield Static("", id="vote-text")
            yield ChoiceList([], None, id="choices")
            yield Static("", id="vote-status")
            yield Static("", id="vote-tally")

    def show(self, state: WorkshopState | None) -> None:
        self.state = state
        if state is None:
            self._status("Waiting for the facilitator…")
            return
        found = self.bank.question_index().get(state.question)
        if found is None:
            self._status("The facilitator is on a question this bank does not have.")
            return
        section, question = found
        self.query_one("#vote-position", Static).update(Content(section.title))
        self.query_one("#vote-title", Static).update(Content.styled(question.title, "bold"))
        self.query_one("#vote-text", Static).update(Content(question.text))
        if question.id != self._shown_question:
            self._shown_question = question.id
            self.query_one("#vote-pane").scroll_home(animate=False)
        choices = votable_choices(self.bank, question)
        self._choice_ids = [choice.id for choice in choices]
        mine = self._my_vote(state)
        choice_list = self.query_one(ChoiceList)
        choice_list.show(
            [choice.label for choice in choices],
            self._choice_ids.index(mine) if mine in self._choice_ids else None,
        )
        voting = state.phase == "vote"
        choice_list.disabled = not voting
        if voting and self.focused is None:
            # Disabled at the reveal, it lost the focus: back for the arrows and Enter.
            choice_list.focus(scroll_visible=False)
        if voting:
            said = (
                f"Your vote: {self._label(question, mine)}. You can change it until the reveal."
                if mine
                else "Vote with the number keys, the arrows and Enter, or a tap. "
                "Nobody sees your vote until the facilitator reveals them all."
            )
            # What the room will see, and what is kept: "counts only" is for the screens.
            kept = (
                "The reveal shows counts only; the assessment keeps your answer under your name."
                if state.anonymous
                else "The reveal shows each vote with its name."
            )
            self.query_one("#vote-status", Static).update(
                Content.assemble((said, "bold"), "\n", (kept, "dim"))
            )
            self.query_one("#vote-tally", Static).update("")
        else:
            self._status("Revealed: what the room voted.")
            outcome = state.outcomes.get(state.question, Outcome())
            shown = self.query_one("#vote-tally", Static)
            lines = tally_lines(
                tally(self.bank, question, outcome),
                names=not state.anonymous,
                width=max(0, shown.content_region.width - 2),  # a scrollbar may come
            )
            shown.update(lines)

    def _my_vote(self, state: WorkshopState) -> str | None:
        if state.phase != "vote":
            return state.outcomes.get(state.question, Outcome()).votes.get(self.seat.name)
        vote = self.seat.ballot.votes.get(state.question)
        return vote.choice if vote is not None and vote.round == state.round else None

    def _label(self, question: Question, choice_id: str | None) -> str:
        labels = {choice.id: choice.label for choice in self.bank.choices_for(question)}
        return labels.get(choice_id or "", "none")

    def _status(self, text: str, *, more: bool = False) -> None:
        """TEXT under the choices; with MORE, on a line of its own after what is there."""
        status = self.query_one("#vote-status", Static)
        if more:
            shown = status.render()
            status.update(
                Content("\n").join([Content(str(shown)), Content.styled(text, "not bold dim")])
            )
        else:
            status.update(Content(text))

    def action_vote(self, number: int) -> None:
        if 1 <= number <= len(self._choice_ids):
            self._vote(self._choice_ids[number - 1])

    @on(ChoiceList.Picked)
    def _picked(self, event: ChoiceList.Picked) -> None:
        if 0 <= event.index < len(self._choice_ids):
            self._vote(self._choice_ids[event.index])

    def _vote(self, choice_id: str) -> None:
        app = self.app
        assert isinstance(app, ParticipantApp)
        # The state as it is now, not as it was drawn: the facilitator may have moved on.
        state = app.read_state()
        if state is None or self.state is None or state.question != self.state.question:
            self.notify("The facilitator has moved on: vote on the question now shown.")
            app.refresh_state(force=True)
            return
        if state.phase != "vote":
            self.notify("The votes on this question are revealed: voting is closed.")
            return
        found = self.bank.question_index()[state.question]
        try:
            check_vote(self.bank, found[1], choice_id)
            self.seat.vote(state.question, choice_id, state.round)
        except (ValueError, StoreError) as problem:
            self.notify(f"Your vote was not recorded: {problem}", severity="error")
            return
        self.show(state)


class ParticipantApp(App[None]):
    CSS_PATH = "participant.tcss"
    TITLE = "pilot-tui workshop"
    ENABLE_COMMAND_PALETTE = False
    # Nothing to quit to: closing the browser tab ends the app and frees the seat.
    BINDINGS = [Binding("ctrl+q", "noop", show=False, priority=True)]

    def __init__(self, workshop: Workshop, bank: Bank) -> None:
        super().__init__()
        self.workshop = workshop
        self.bank = bank
        self.seat: Seat | None = None
        self._stamp = -1

    def get_default_screen(self) -> Screen[None]:
        return JoinScreen()

    def action_noop(self) -> None:
        """Nothing: the browser tab is closed to leave."""

    def seated(self, seat: Seat) -> None:
        self.seat = seat
        # Pushed over the join screen, which stays underneath: nothing leads back to it.
        self.push_screen(VoteScreen(seat, self.bank))
        self.call_after_refresh(self.refresh_state, force=True)
        self.set_interval(POLL_SECONDS, self.refresh_state)

    def read_state(self) -> WorkshopState | None:
        try:
            return self.workshop.read_state()
        except StoreError:
            return None

    def refresh_state(self, *, force: bool = False) -> None:
        stamp = self.workshop.state_stamp()
        if stamp == self._stamp and not force:
            return
        self._stamp = stamp
        screen = self.screen
        if isinstance(screen, VoteScreen):
            screen.show(self.read_state())

    def on_unmount(self) -> None:
        if self.seat is not None:
            self.seat.leave()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="pilot-tui-participant")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--bank", type=Path)
    args = parser.parse_args(argv)
    try:
        bank = load_bank(args.bank)
    except StoreError as problem:
        print(f"pilot-tui: {problem}", file=sys.stderr)
        return 1
    ParticipantApp(Workshop(args.folder), bank).run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
