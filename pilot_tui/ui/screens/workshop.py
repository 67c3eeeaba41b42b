"""The facilitator's screen of a live workshop, built for a projector.

One question at a time, in three phases: the room votes privately (the screen shows who has
joined and how many voted, never what); the facilitator reveals the votes together (a bar per
choice, the spread, the "don't know"s, the answer the merge rule would pick); the team decides
its answer with the number keys and the interview's own form (notes, owner, due date), and moves
on. A timebox counts down and says when time is up, without stopping anything.

It is the interview screen with a vote board: answering, the form and saving are the
interview's, so a team answer set in a workshop follows every rule one set in the interview does.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Callable
from dataclasses import replace

from textual import work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from pilot_tui.core.assessment import Answer, now_utc
from pilot_tui.core.bank import Choice
from pilot_tui.core.workshop import (
    MAX_TIMEBOX,
    MAX_WRONG_CODES,
    MIN_TIMEBOX,
    Ballot,
    Outcome,
    WorkshopState,
    current_votes,
    new_code,
    open_question,
    remaining,
    reveal,
    tally,
    votable_choices,
    vote_again,
    with_hands,
    with_votes,
)
from pilot_tui.store import StoreError
from pilot_tui.store.workshop import FacilitatorLock, Workshop
from pilot_tui.ui import keys
from pilot_tui.ui.screens import question_text as text
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.session import Position, Session
from pilot_tui.ui.widgets.choice_list import ChoiceList
from pilot_tui.ui.widgets.footer import Footer
from pilot_tui.ui.widgets.scorecard import ScorecardPanel, SectionList, SummaryLine, summary_line
from pilot_tui.ui.widgets.steady_text import SteadyText
from pilot_tui.ui.widgets.tally import tally_lines

POLL_SECONDS = 0.2
"""How often the ballots are read: a vote shows on the projector within a fifth of a second."""
HANDS_NOTE = "Show of hands:"


class WorkshopScreen(InterviewScreen):
    BINDINGS = keys.WORKSHOP
    in_workshop = True
    # A short terminal keeps the board (the room's votes) in view rather than "why it matters".
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    def __init__(
        self,
        session: Session,
        workshop: Workshop,
        state: WorkshopState,
        *,
        clock: Callable[[], float] = time.time,
        join_url: str = "",
        server: subprocess.Popen[bytes] | None = None,
        held: FacilitatorLock | None = None,
    ) -> None:
        position = session.position_of(state.question) or session.first_position()
        super().__init__(session, position)
        self.workshop = workshop
        self.state = state
        self.clock = clock
        self.join_url = join_url
        self.server = server
        self._held = held
        """The facilitator's lock when this screen took it (from the app's palette)."""
        self._server_told = False
        self.ballots: list[Ballot] = []
        self._problems: set[str] = set()
        self._time_up_told = False
        self._state_unwritten = False

    def compose(self) -> ComposeResult:
        session = self.session
        question = session.question(self.position)
        with Horizontal(id="topbar"):
            yield Static(Content(session.assessment.meta.title), id="assessment-title")
            yield Static("", id="save-status")
        yield SteadyText(id="workshop-bar")
        with Horizontal(id="interview-body"):
            # The interview's lists are kept (its code updates them) but not shown: the
            # projector shows the question and the room, nothing else.
            yield SectionList(session.card, self.position.section, id="sections")
            with VerticalScroll(id="question-pane"):
                yield SummaryLine(summary_line(session.card, session.extras), id="summary-line")
                yield Static(text.position_line(session, self.position), id="position")
                yield Static(text.title(session, question), id="question-title")
                yield Static(Content(question.text), id="question-text")
                yield Static(text.why(question), id="question-why")
                yield SteadyText(id="board")
                with Vertical(id="decide"):
                    yield Static(Content.styled("Team answer", "bold"), id="decide-title")
                    yield ChoiceList(*self._choices(), id="choices")
                    yield SteadyText(id="answer-note")
                    yield Static("", id="team-answers")
                    yield Static(text.fix(question), id="question-fix")
                    yield Vertical(id="form-slot")
                    yield Static("", id="form-error", classes="field-error")
            yield ScorecardPanel(session.card, session.extras, id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        # (Textual runs the interview's on_mount after this one, as it does every class's.)
        self.call_after_refresh(self._hide_team_answers)
        self._poll()
        self._show_phase()
        self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(1.0, self._show_bar)

    def on_unmount(self) -> None:
        if self._held is not None:
            self._held.release()

    def on_resize(self) -> None:
        # The bars are drawn to the board's width.
        self.call_after_refresh(self._show_board)

    def _hide_team_answers(self) -> None:
        # Who answered what is the board's, after the reveal.
        self.query_one("#team-answers").display = False

    # ------------------------------------------------------------------ the workshop's state

    def _write_state(self, state: WorkshopState) -> None:
        self.state = state
        self._show_phase()
        # Written just after the frame: the key's effect is on the projector first, and the
        # participants read the file a moment later anyway.
        self.call_after_refresh(self._store_state, state)

    def _store_state(self, state: WorkshopState) -> None:
        try:
            self.workshop.write_state(state)
        except StoreError as problem:
            # The participants keep the last state they read; the facilitator must know, once,
            # and the write is tried again every second until the folder takes it.
            if not self._state_unwritten:
                self.notify(
                    f"The workshop could not be updated: {problem}; trying again every second",
                    severity="error",
                    timeout=12,
                )
            self._state_unwritten = True
            return
        if self._state_unwritten:
            self._state_unwritten = False
            self.notify("The workshop is updated again: the participants see this screen's step.")

    def _poll(self) -> None:
        ballots, problems = self.workshop.ballots()
        _, refused = current_votes(
            self.session.bank, self.session.question(self.position), self.state, ballots
        )
        problems = [*problems, *refused]
        for problem in sorted(set(problems) - self._problems):
            self.notify(f"Ballot not counted: {problem}", severity="warning", timeout=8)
        self._problems = set(problems)
        if ballots != self.ballots:
            self.ballots = ballots
            if self.state.phase == "vote":
                self._show_board()
            self._show_bar()

    def _show_phase(self) -> None:
        voting = self.state.phase == "vote"
        self.set_class(voting, "-voting")
        self._show_board()
        self._show_bar()
        if not voting:
            self.query_one(ChoiceList).focus(scroll_visible=False)

    def _show_bar(self) -> None:
        state = self.state
        if self._state_unwritten:
            self._store_state(state)
        if self.server is not None and self.server.poll() is not None and not self._server_told:
            self._server_told = True
            self.join_url = ""
            log = self.workshop.folder / "server.log"
            self.notify(
                f"The web server for participants stopped: see {log}", severity="error", timeout=30
            )
        left = remaining(state, self.clock())
        box = f"{state.timebox // 60}:{state.timebox % 60:02d}"
        if left >= 0:
            # The timebox beside it: + and - change it, and the change shows here.
            timer = Content.assemble(
                (f"{int(left) // 60}:{int(left) % 60:02d} left", "bold"), f" of {box}"
            )
            self._time_up_told = False
        else:
            over = -int(left)
            timer = Content.styled(f"Time is up ({over // 60}:{over % 60:02d} over)", "bold $error")
            if not self._time_up_told and state.phase == "vote":
                self._time_up_told = True
                self.notify("Time is up on this question: reveal when the room is ready.")
        where = f"Join at {self.join_url} with code " if self.join_url else "Join code "
        wrong = self.workshop.wrong_codes_now(state)
        closed = (
            Content.assemble(
                "  ·  ", ("Joining closed: too many wrong codes (c: new code)", "bold $error")
            )
            if wrong >= MAX_WRONG_CODES
            else Content(
                f"  ({wrong} wrong {'code' if wrong == 1 else 'codes'} tried)" if wrong else ""
            )
        )
        joined = len(self.ballots)
        self.query_one("#workshop-bar", SteadyText).show(
            Content.assemble(
                where,
                (state.code, "bold"),
                closed,
                f"  ·  {joined} joined  ·  ",
                "reveal: counts only" if state.anonymous else "reveal with names",
                "  ·  ",
                timer,
            ),
        )

    def _show_board(self) -> None:
        state = self.state
        question = self.session.question(self.position)
        board = self.query_one("#board", SteadyText)
        if state.phase == "vote":
            votes, _ = current_votes(self.session.bank, question, state, self.ballots)
            hands = sum(state.hands.values())
            lines = [
                Content.styled(f"{len(votes)} of {len(self.ballots)} voted", "bold"),
            ]
            if hands:
                lines.append(Content(f"and {hands} by show of hands"))
            lines.append(
                Content(
                    "   ".join(
                        ("✓ " if ballot.name in votes else "· ") + ballot.name
                        for ballot in sorted(self.ballots, key=lambda b: b.name.casefold())
                    )
                )
                if self.ballots
                else Content("Nobody has joined yet.")
            )
            lines.append(Content.styled("r: reveal the votes   h: show of hands", "dim"))
            board.show(Content("\n").join(lines))
            return
        outcome = state.outcomes.get(state.question, Outcome())
        result = tally(self.session.bank, question, outcome)
        board.show(
            # Two columns to spare for the scrollbar the bars may bring with them.
            tally_lines(
                result, names=not state.anonymous, width=max(0, board.content_region.width - 2)
            ),
        )
        if state.phase == "reveal" and result.suggested is not None:
            ids = [choice.id for choice in self._offered()]
            if result.suggested in ids and self.session.answer(self.position).choice is None:
                # Enter takes the suggestion; a number key picks another answer.
                choice_list = self.query_one(ChoiceList)
                choice_list.highlighted = ids.index(result.suggested)
                choice_list.refresh()

    # ------------------------------------------------------------------ the facilitator's keys

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose" and self.state.phase == "vote":
            # The team's answer is set after the reveal: votes seen early sway people.
            return False
        return super().check_action(action, parameters)

    def action_reveal(self) -> None:
        if self.state.phase != "vote":
            self.notify("Already revealed: v opens the question for a new vote.")
            return
        votes, _ = current_votes(
            self.session.bank, self.session.question(self.position), self.state, self.ballots
        )
        state = reveal(self.state, votes)
        question_id = self.state.question
        try:
            assessment = with_votes(self.session.assessment, question_id, votes, now=now_utc())
        except ValueError as problem:
            self.notify(f"Votes not recorded: {problem}", severity="error")
            return
        self.session.replace(assessment)
        self._note_hands(state.outcomes[question_id])
        self._write_state(state)
        self._refresh_scores()
        self._changed()

    def _note_hands(self, outcome: Outcome) -> None:
        """A show of hands goes into the team answer's notes, so the report keeps it."""
        current = self.session.answer(self.position)
        kept = [line for line in current.notes.splitlines() if not line.startswith(HANDS_NOTE)]
        if outcome.hands:
            labels = {
                c.id: c.label
                for c in self.session.bank.choices_for(self.session.question(self.position))
            }
            counted = ", ".join(
                f"{count} {labels.get(cid, cid)}" for cid, count in outcome.hands.items()
            )
            kept.append(f"{HANDS_NOTE} {counted}.")
        notes = "\n".join(kept)
        if notes != current.notes:
            self.session.set_answer(self.position, replace(current, notes=notes))
            if self._form is not None:
                self._form.load(self.session.answer(self.position))

    def _pick(self, choice: Choice, reason: str | None = None) -> None:
        if self.state.phase == "vote":
            self.notify("Reveal the votes first (r): the team answers after the room has voted.")
            return
        super()._pick(choice, reason)

    def _record(self, answer: Answer) -> None:
        super()._record(answer)
        if self.state.phase == "reveal" and answer.choice is not None:
            self._write_state(replace(self.state, phase="decide"))

    def action_vote_again(self) -> None:
        if self.state.phase == "vote":
            self.notify("The room is voting on this question now.")
            return
        # The dropped round's votes and show of hands leave the assessment with it; the team's
        # answer stays until the room decides again.
        question_id = self.state.question
        try:
            assessment = with_votes(self.session.assessment, question_id, {}, now=now_utc())
        except ValueError as problem:
            self.notify(f"Votes not dropped: {problem}", severity="error")
            return
        self.session.replace(assessment)
        self._note_hands(Outcome())
        self._write_state(vote_again(self.state, now=self.clock()))
        self._refresh_scores()
        self._changed()

    async def _show(self, position: Position) -> None:
        await super()._show(position)
        question_id = self.session.question(position).id
        if question_id != self.state.question:
            self._write_state(open_question(self.state, question_id, now=self.clock()))

    def action_anonymous(self) -> None:
        state = replace(self.state, anonymous=not self.state.anonymous)
        # The bar at the top says it: "reveal: counts only" or "reveal with names".
        self._write_state(state)

    def action_timebox(self, step: int) -> None:
        seconds = min(MAX_TIMEBOX, max(MIN_TIMEBOX, self.state.timebox + step * 60))
        # The top line shows it ("2:10 left of 4:00"): no message to pile up on the projector.
        self._write_state(replace(self.state, timebox=seconds))

    def action_new_code(self) -> None:
        state = replace(self.state, code=new_code(), wrong_codes_before=self.workshop.wrong_codes())
        self._write_state(state)
        self.notify(f"New join code {state.code}: those who joined stay in.")

    @work(exclusive=True, group="workshop-dialog")
    async def action_hands(self) -> None:
        from pilot_tui.ui.screens.dialogs import HandsForm

        bank = self.session.bank
        question = self.session.question(self.position)
        choices = votable_choices(bank, question)
        before = (
            self.state.hands
            if self.state.phase == "vote"
            else self.state.outcomes.get(self.state.question, Outcome()).hands
        )
        counts = await self.app.push_screen_wait(HandsForm(choices, before))
        if counts is None:
            return
        try:
            hands = with_hands(bank, question, counts)
        except ValueError as problem:
            self.notify(str(problem), severity="error")
            return
        if self.state.phase == "vote":
            self._write_state(replace(self.state, hands=hands))
            return
        outcome = replace(self.state.outcomes.get(self.state.question, Outcome()), hands=hands)
        state = replace(self.state, outcomes={**self.state.outcomes, self.state.question: outcome})
        self._note_hands(outcome)
        self._write_state(state)
        self._changed()
