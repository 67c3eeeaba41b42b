"""The interview: one root cause at a time, one question at a time, with the live scorecard.

Only the question on screen is built. Answer keys update the scorecard inside the key's own
action, so the new numbers are drawn in the same frame as the keystroke.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from pilot_tui.core.assessment import Answer, edit_answer
from pilot_tui.core.bank import Choice
from pilot_tui.core.limits import MIN_REASON
from pilot_tui.core.scoring import answer_choice
from pilot_tui.ui import keys
from pilot_tui.ui.commands import InterviewCommands
from pilot_tui.ui.focus import focus_at_once
from pilot_tui.ui.messages import (
    AdvanceChanged,
    AnswersChanged,
    JumpTo,
    LeaveInterview,
    SaveRequested,
)
from pilot_tui.ui.screens import question_text as text
from pilot_tui.ui.session import Position, Session
from pilot_tui.ui.widgets.choice_list import ChoiceList
from pilot_tui.ui.widgets.footer import Footer
from pilot_tui.ui.widgets.scorecard import (
    ScorecardPanel,
    SectionList,
    SummaryLine,
    summary_line,
)
from pilot_tui.ui.widgets.steady_text import SteadyText

if TYPE_CHECKING:
    from pilot_tui.ui.widgets.answer_form import AnswerForm


ADVANCE_PAUSE: Final = 0.4
"""Seconds the chosen answer shows marked before the next question comes."""


class InterviewScreen(Screen[None]):
    AUTO_FOCUS = None
    COMMANDS = {InterviewCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]

    BINDINGS = keys.INTERVIEW
    in_workshop = False
    """True on the workshop's screen, which is this screen with a vote board."""

    def __init__(
        self, session: Session, position: Position | None = None, *, advance: bool = False
    ) -> None:
        # The breakpoint class Textual would add on the first resize, given before the first
        # styling pass, so that the whole screen is not styled a second time. (Given here
        # rather than added: adding a class styles the screen at once.)
        width = self.app.size.width
        breakpoints = self.HORIZONTAL_BREAKPOINTS or []
        super().__init__(
            classes=next(name for edge, name in reversed(breakpoints) if width >= edge)
        )
        self.session = session
        self.position = position or session.first_position()
        self._form_error = ""
        self._form: AnswerForm | None = None
        self._note = Content("")
        self.advance = advance
        """Move to the next question once a choice makes the answer complete (the palette
        turns it off and on). Off on the workshop's screen: there the room decides, then n."""
        self._advance_timer: Timer | None = None

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        # Built with the first question already in place: the first frame needs no second pass.
        session = self.session
        question = session.question(self.position)
        with Horizontal(id="topbar"):
            yield Static(Content(session.assessment.meta.title), id="assessment-title")
            yield Static("", id="save-status")
        with Horizontal(id="interview-body"):
            yield SectionList(session.card, self.position.section, id="sections")
            with VerticalScroll(id="question-pane"):
                yield SummaryLine(summary_line(session.card, session.extras), id="summary-line")
                yield Static(text.position_line(self.session, self.position), id="position")
                yield Static(text.title(self.session, question), id="question-title")
                yield Static(Content(question.text), id="question-text")
                yield Static(text.why(question), id="question-why")
                yield ChoiceList(*self._choices(), id="choices")
                yield SteadyText(id="answer-note")
                yield Static(text.team_answers(self.session, self.position), id="team-answers")
                yield Static(text.fix(question), id="question-fix")
                # The answer's fields are mounted just after the first frame (see on_mount).
                yield Vertical(id="form-slot")
                yield Static("", id="form-error", classes="field-error")
            yield ScorecardPanel(session.card, session.extras, id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        # Who answered what is only there when several people's answers were merged.
        self.query_one("#team-answers").display = bool(self.session.assessment.participants)
        self._show_answer_note()
        self._show_reason_field()
        self.query_one(ChoiceList).focus(scroll_visible=False)
        self.sub_title = self.session.section(self.position).title
        # The text fields are a third of the screen's start-up cost and nobody types in the
        # first frame: the question and its choices go first, the fields right after.
        self.call_after_refresh(self._mount_form)

    async def _mount_form(self) -> None:
        # Imported here: the text area's module is a good part of the form's cost.
        from pilot_tui.ui.widgets.answer_form import AnswerForm

        position = self.position
        form = AnswerForm(self.session.answer(position))
        await self.query_one("#form-slot").mount(form)
        self._form = form
        if self.position != position:
            # A key moved to another question while the form was being mounted.
            form.load(self.session.answer(self.position))

    def _offered(self) -> tuple[Choice, ...]:
        """The choices a person picks from for the question on screen (retired ones left out)."""
        return self.session.bank.offered_choices(self.session.question(self.position))

    def _choices(self) -> tuple[list[str], int | None]:
        """The question's choice labels, and the index of the one answered (None if none)."""
        choices = self._offered()
        chosen = self.session.answer(self.position).choice
        ids = [choice.id for choice in choices]
        return [choice.label for choice in choices], ids.index(chosen) if chosen in ids else None

    # ------------------------------------------------------------------ showing a question

    async def _show(self, position: Position) -> None:
        """Put another question and its answer in the form."""
        self.position = position
        question = self.session.question(position)
        answer = self.session.answer(position)
        self.query_one("#position", Static).update(text.position_line(self.session, self.position))
        self.query_one("#question-title", Static).update(text.title(self.session, question))
        self.query_one("#question-text", Static).update(Content(question.text))
        self.query_one("#question-why", Static).update(text.why(question))
        self.query_one("#question-fix", Static).update(text.fix(question))
        self.query_one("#team-answers", Static).update(
            text.team_answers(self.session, self.position)
        )
        self._show_answer_note()
        choice_list = self.query_one(ChoiceList)
        choice_list.show(*self._choices())
        if self.focused is None:
            choice_list.focus(scroll_visible=False)
        if self._form is not None:
            self._form.load(answer)
        self._show_form_error("")
        self._show_reason_field()
        self.query_one(SectionList).show(self.session.card, position.section)
        # After layout, so that focusing the new choices cannot leave the question scrolled away.
        pane = self.query_one("#question-pane")
        self.call_after_refresh(pane.scroll_home, animate=False)
        self.sub_title = self.session.section(position).title

    def _show_reason_field(self) -> None:
        choice = self._current_choice()
        self.set_class(choice is not None and choice.not_applicable, "-not-applicable")

    def _current_choice(self) -> Choice | None:
        question = self.session.question(self.position)
        return answer_choice(self.session.bank, question, self.session.answer(self.position))

    async def show_adopted(self) -> None:
        """Show the session's document after a save took in another writer's changes (or
        moved ours to a conflicting copy): its title, its scores and the current answer.

        Not go_to(): that first records the form, which still shows the answer from before."""
        if not self.is_attached:
            return
        self.query_one("#assessment-title", Static).update(
            Content(self.session.assessment.meta.title)
        )
        self._refresh_scores()
        await self._show(self.position)

    def _refresh_scores(self) -> None:
        card = self.session.card
        self.query_one(ScorecardPanel).show(card, self.session.extras)
        self.query_one(SummaryLine).show_card(card, self.session.extras)

    def _refresh_progress(self) -> None:
        self.query_one(SectionList).show(self.session.card, self.position.section)
        self.query_one("#position", Static).update(
            text.position_line(self.session, self.position), layout=False
        )
        self._show_answer_note()

    def _show_answer_note(self) -> None:
        # Two lines kept for it (app.tcss), so a note coming and going lays nothing out again;
        # a longer one (a waiver, say) takes the lines it needs, and comes into sight.
        note = text.answer_note(self.session, self.position)
        if note != self._note:
            self._note = note
            shown = self.query_one("#answer-note", SteadyText)
            shown.show(note)
            if note.plain:
                self.call_after_refresh(shown.scroll_visible, animate=False)

    # ------------------------------------------------------------------ answering

    def _record(self, answer: Answer) -> None:
        """Keep an answer; the scorecard is redrawn in this same frame.

        Textual redraws everything inside the box around all that changed in a frame, so the
        progress marks, the section list and the save status (far from the scorecard) follow
        one frame later: the key's effect on the scorecard is not held up by them.
        """
        if self.session.set_answer(self.position, answer):
            self._refresh_scores()
            self._show_reason_field()
            self.call_after_refresh(self._refresh_progress)
            self.call_after_refresh(self._changed)

    def _changed(self) -> None:
        self.post_message(AnswersChanged())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "choose":
            count = len(self._offered())
            return isinstance(parameters[0], int) and parameters[0] <= count
        return True

    def action_choose(self, number: int) -> None:
        choices = self._offered()
        if not 1 <= number <= len(choices):
            return
        self._pick(choices[number - 1])

    def _pick(self, choice: Choice, reason: str | None = None) -> None:
        current = self._form_answer()
        if choice.not_applicable and not (reason or current.reason).strip():
            self._ask_reason(choice)
            return
        fields = {} if reason is None else {"reason": reason}
        try:
            answer = edit_answer(
                self.session.bank,
                self.session.question(self.position).id,
                current,
                choice=choice.id,
                **fields,
            )
        except ValueError as error:
            self.notify(f"Not recorded: {error}", severity="error", timeout=8)
            self._press(current.choice)
            return
        self._record(answer)
        if self._form is not None and (answer.owner, answer.due) != (current.owner, current.due):
            # Not applicable took the owner and due date away: the form shows what is kept.
            self._form.load(answer)
        # The choices follow a frame later, like the progress marks (see _record).
        self.call_after_refresh(self._press, choice.id)
        self._advance_soon()

    def _advance_soon(self) -> None:
        """After a choice, the next question, once the choice has been seen marked; not when
        the rules have something to say about the answer (a plan without an owner and a due
        date, not applicable on a critical question), nor when the person went on to write a
        note or opened a dialog meanwhile, nor after the last question."""
        if self._advance_timer is not None:
            self._advance_timer.stop()
            self._advance_timer = None
        if not self.advance or text.answer_note(self.session, self.position).plain:
            return
        position = self.position
        self._advance_timer = self.set_timer(ADVANCE_PAUSE, lambda: self._advance(position))

    def action_focus_step(self, step: int) -> None:
        focus_at_once(self, step)

    def on_screen_suspend(self) -> None:
        # A dialog opened (a milestone, say) after the choice: the person has moved on to
        # something else; the question stays when they come back.
        if self._advance_timer is not None:
            self._advance_timer.stop()
            self._advance_timer = None

    async def _advance(self, position: Position) -> None:
        self._advance_timer = None
        positions = self.session.positions()
        if (
            position != self.position
            or not self.is_current
            or not isinstance(self.focused, ChoiceList)
            or positions.index(position) + 1 >= len(positions)
        ):
            return
        await self.action_move(1)

    def action_toggle_advance(self) -> None:
        self.advance = not self.advance
        self.post_message(AdvanceChanged(self.advance))
        self.notify(
            "Moving on after an answer: on (a plan without an owner and a due date stays)."
            if self.advance
            else "Moving on after an answer: off (n goes to the next question).",
            timeout=4,
        )

    def _press(self, choice_id: str | None) -> None:
        """Mark the recorded choice (after a key, or a cancelled prompt)."""
        ids = [choice.id for choice in self._offered()]
        self.query_one(ChoiceList).select(ids.index(choice_id) if choice_id in ids else None)

    def _ask_reason(self, choice: Choice) -> None:
        from pilot_tui.ui.screens.dialogs import TextPrompt

        position = self.position

        def done(reason: str | None) -> None:
            if reason is None or position != self.position:
                self._press(self.session.answer(self.position).choice)
                return
            self._pick(choice, reason)
            if self._form is not None:
                self._form.load(self.session.answer(self.position))

        self.app.push_screen(
            TextPrompt(
                "Not applicable",
                label="Why does this question not apply? (kept with the answer)",
                min_length=MIN_REASON,
                accept="Record",
            ),
            callback=done,
        )

    @on(ChoiceList.Picked)
    def _choice_picked(self, event: ChoiceList.Picked) -> None:
        choices = self._offered()
        if not 0 <= event.index < len(choices):
            return
        if choices[event.index].id != self.session.answer(self.position).choice:
            self._pick(choices[event.index])

    def _form_answer(self) -> Answer:
        """The answer as the form shows it now; fields that are not valid keep their old value."""
        current = self.session.answer(self.position)
        if self._form is None:
            return current
        question = self.session.question(self.position)
        choice = answer_choice(self.session.bank, question, current)
        answer, error = self._form.read(
            self.session.bank,
            question.id,
            current,
            not_applicable=choice is not None and choice.not_applicable,
        )
        self._show_form_error(error)
        return answer

    def on_answer_form_edited(self) -> None:
        self._record(self._form_answer())

    @on(Input.Blurred, "#due")
    def _due_left(self) -> None:
        # The message under the form may be below the fold: leaving the field says it too.
        if self._form_error:
            self.notify(self._form_error, severity="warning", timeout=6)

    def commit(self, *, quiet: bool = False) -> str:
        """Keep what the form shows before leaving the question; say what could not be kept
        (unless QUIET: the app is ending and nobody would read it)."""
        self._record(self._form_answer())
        if self._form_error and not quiet:
            self.notify(self._form_error, severity="warning", timeout=8)
        return self._form_error

    # ------------------------------------------------------------------ moving

    async def action_move(self, step: int) -> None:
        positions = self.session.positions()
        index = positions.index(self.position) + step
        if 0 <= index < len(positions):
            self.commit()
            await self._show(positions[index])
        else:
            self.notify(
                "That was the last question: press s for the summary."
                if step > 0
                else "This is the first question.",
                timeout=3,
            )

    async def action_section(self, step: int) -> None:
        target = self.position.section + step
        # Past any section none of whose questions applies to this pilot.
        while 0 <= target < len(self.session.view):
            found = self.session.first_open_question(target)
            if found is not None:
                await self.go_to(found)
                return
            target += step

    async def go_to(self, position: Position) -> None:
        self.commit()
        await self._show(position)
        self.query_one(ChoiceList).focus(scroll_visible=False)

    async def on_jump_to(self, message: JumpTo) -> None:
        message.stop()
        await self.go_to(message.position)

    @on(SectionList.Picked)
    async def _section_picked(self, event: SectionList.Picked) -> None:
        found = self.session.first_open_question(event.index)
        if event.index != self.position.section and found is not None:
            await self.go_to(found)

    def action_back(self) -> None:
        focused = self.focused
        if focused is not None and self._form is not None and self._form in focused.ancestors:
            self.query_one(ChoiceList).focus()
            return
        self.commit()
        self.post_message(LeaveInterview())

    def action_summary(self) -> None:
        from pilot_tui.ui.screens.summary import SummaryScreen

        self.commit()
        self.app.push_screen(SummaryScreen(self.session))

    # The dialogs below are awaited in a worker (Textual's push_screen_wait), so each reads
    # top to bottom; the screen stays responsive meanwhile.

    @work(exclusive=True, group="interview-dialog")
    async def action_waive(self) -> None:
        """Accept the blocker on screen for a limited time (the palette's "Waive this
        blocker")."""
        from pilot_tui.ui.screens.dialogs import WaiverForm

        self.commit()
        question = self.session.question(self.position)
        request = await self.app.push_screen_wait(WaiverForm())
        if request is None:
            return
        try:
            self.session.waive(
                question.id,
                reason=request.reason,
                requester=request.requester,
                approver=request.approver,
                expires=request.expires,
            )
        except ValueError as problem:
            self.notify(f"Not waived: {problem}", severity="error", timeout=10)
            return
        self._refresh_scores()
        self._show_answer_note()
        self._changed()
        self.notify(
            f"{question.title}: waived until {request.expires.isoformat()}, approved by "
            f"{request.approver}. It is shown as waived everywhere.",
            timeout=8,
        )

    def action_unwaive(self) -> None:
        question = self.session.question(self.position)
        try:
            self.session.unwaive(question.id)
        except ValueError as problem:
            self.notify(str(problem), severity="error", timeout=8)
            return
        self._refresh_scores()
        self._show_answer_note()
        self._changed()
        self.notify(f"{question.title}: the waiver is removed; the blocker stands again.")

    @work(exclusive=True, group="interview-dialog")
    async def action_milestone(self) -> None:
        from pilot_tui.ui.screens.dialogs import TextPrompt

        self.commit()
        count = len(self.session.assessment.milestones)
        label = await self.app.push_screen_wait(
            TextPrompt(
                "Milestone",
                label="A name for this snapshot of the answers",
                value=f"Workshop {count + 1}",
                accept="Save",
            )
        )
        if label is None:
            return
        try:
            self.session.add_milestone(label)
        except ValueError as problem:
            self.notify(str(problem), severity="error", timeout=8)
            return
        self._refresh_scores()
        self._changed()
        self.notify(f"Milestone {label!r} saved: the scorecard now shows changes since it.")

    @work(exclusive=True, group="interview-dialog")
    async def action_context(self) -> None:
        from pilot_tui.ui.screens.dialogs import ContextForm, TextPrompt

        session = self.session
        if not session.bank.contexts:
            self.notify("This bank has no context questions: every question applies.")
            return
        self.commit()
        context = await self.app.push_screen_wait(
            ContextForm(session.bank.contexts, session.assessment.context, title="Context")
        )
        if context is None or context == session.assessment.context:
            return
        # A change drops or adds questions: it is kept in the file with its reason.
        reason = await self.app.push_screen_wait(
            TextPrompt(
                "Why does the context change?",
                label="Kept in the file and shown in the reports",
                min_length=MIN_REASON,
                accept="Change",
            )
        )
        if reason is None:
            return
        question = session.question(self.position)
        before = len(session.positions())
        try:
            changed = session.set_context(context, reason)
        except ValueError as problem:
            self.notify(str(problem), severity="error", timeout=8)
            return
        if changed:
            await self._show_new_context(question.id, before)

    async def _show_new_context(self, question_id: str, before: int) -> None:
        session = self.session
        # The same question if it is still asked, else the first open one.
        position = session.position_of(question_id) or session.first_position()
        self._refresh_scores()
        await self._show(position)
        self._changed()
        after = len(session.positions())
        dropped = len(session.card.unasked)
        kept = f"; {dropped} answered questions no longer count (kept)" if dropped else ""
        self.notify(
            f"Context changed (kept in the file with its reason): {after} questions apply now, "
            f"{before} before{kept}."
        )

    def action_save(self) -> None:
        self.commit()
        self.post_message(SaveRequested())

    def _show_form_error(self, error: str) -> None:
        # Every keystroke in a field passes here; an unchanged message must not cost a layout.
        if error != self._form_error:
            self._form_error = error
            self.query_one("#form-error", Static).update(Content(error))

    def show_save_status(self, text: Content) -> None:
        # The status has a fixed width, so changing it never moves anything else.
        self.query_one("#save-status", Static).update(text, layout=False)
