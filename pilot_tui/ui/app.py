"""The pilot-tui app: home, interview and summary screens over one store.

Saving is the autosave's (ui/autosave.py); leaving the interview, quitting, and a signal that
ends the process (the terminal closed: SIGHUP; SIGTERM; SIGINT) write whatever is pending first,
what is typed in the answer's fields included, and then restore the terminal.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen

from pilot_tui.collector import resume_collection
from pilot_tui.core.assessment import Assessment, new_assessment, now_utc
from pilot_tui.core.text import printable
from pilot_tui.store import Store, load_settings, save_settings
from pilot_tui.store.files import StoreError, shown
from pilot_tui.ui import keys
from pilot_tui.ui.autosave import Autosave
from pilot_tui.ui.messages import (
    AdvanceChanged,
    AnswersChanged,
    ExportAssessment,
    HighlightAssessment,
    LeaveInterview,
    NewAssessment,
    OpenAssessment,
    ReportFormat,
    ReportRequested,
    SaveRequested,
    StartWorkshop,
)
from pilot_tui.ui.outputs import Outputs, tell_failure

# The screens are imported where they are first needed: opening an assessment straight into
# its interview should not pay at start-up for the list or the dialogs' buttons, nor the list
# for the interview and its session.
if TYPE_CHECKING:
    from pilot_tui.core.workshop import WorkshopState
    from pilot_tui.store.workshop import Workshop
    from pilot_tui.ui.screens.dialogs import Setup
    from pilot_tui.ui.screens.interview import InterviewScreen
    from pilot_tui.ui.session import Position, Session


@dataclass(frozen=True)
class WorkshopStart:
    """Start on a live workshop's screen (`pilot-tui workshop`) rather than the interview."""

    workshop: Workshop
    state: WorkshopState
    join_url: str = ""
    server: subprocess.Popen[bytes] | None = None
    """The web server for participants' browsers, when this app started it."""
    clock: Callable[[], float] = time.time


ENDING_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGHUP", "SIGTERM", "SIGINT") if hasattr(signal, name)
)
EXIT_GRACE = 2.0
"""Seconds a signalled app has to restore the terminal once the answers are saved."""
THEMES = ("textual-dark", "textual-light")
ADVANCE_SETTING = "advance"
"""The settings file's key for moving on after an answer ("on" or "off")."""
HOME_MODE = "home"


class PilotApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pilot-tui"
    AUTO_FOCUS = None
    BINDINGS = keys.APP

    def __init__(
        self,
        store: Store,
        *,
        open_name: str | None = None,
        open_path: Path | None = None,
        open_assessment: Assessment | None = None,
        remember_theme: bool = True,
        workshop: WorkshopStart | None = None,
    ) -> None:
        super().__init__()
        self.workshop = workshop
        self.store = store
        self.session: Session | None = None
        self._open = (open_name, open_path, open_assessment)
        self.outputs = Outputs(self, store)
        self.autosave = Autosave(
            self, lambda: self.session, show_status=self._show_save_status, adopted=self._adopted
        )
        # Started straight in an interview, the list is a mode of its own to switch to, since
        # Textual cannot replace the first screen of a stack. Declared here rather than in MODES
        # because the list is given the store.
        self.add_mode(HOME_MODE, self._home_screen)
        self._remember_theme = remember_theme
        self._theme_ready = False
        self._validation_prepared = False
        self.advance_after_answer = True
        """Whether an interview moves to the next question once an answer is complete."""
        if remember_theme:
            settings = load_settings()
            theme = settings.get("theme")
            if theme in self.available_themes:
                self.theme = theme
            self.advance_after_answer = settings.get(ADVANCE_SETTING, "on") != "off"

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Messages here carry titles, paths and text from files: "[/red]" in a file must show
        # as written, not restyle the message, crash it, or become a clickable action; and a
        # file name's escape sequence must show as an escape, not act on the terminal.
        super().notify(
            printable(message), title=title, severity=severity, timeout=timeout, markup=False
        )

    def action_help_quit(self) -> None:
        # Textual's own hint uses markup, which this app's notify shows as written.
        self.notify("Press ctrl+q to quit the app.", title="Do you want to quit?")

    def get_default_screen(self) -> Screen[Any]:
        # Opening one assessment starts on its interview: the list is only built if asked for.
        name, path, assessment = self._open
        if path is not None and assessment is not None:
            from pilot_tui.ui.session import Session

            self.session = Session(self.store, path, assessment, name)
            if self.workshop is not None:
                from pilot_tui.ui.screens.workshop import WorkshopScreen

                start = self.workshop
                return WorkshopScreen(
                    self.session,
                    start.workshop,
                    start.state,
                    join_url=start.join_url,
                    server=start.server,
                    clock=start.clock,
                )
            return _interview()(self.session, advance=self.advance_after_answer)
        return self._home_screen()

    def _home_screen(self) -> Screen[Any]:
        from pilot_tui.ui.screens.home import HomeScreen

        return HomeScreen(self.store)

    def on_mount(self) -> None:
        # From here on a theme change is the user's choice, and is remembered.
        self._theme_ready = True
        if not self.is_headless:
            self._catch_ending_signals()
        # Paused by the `pilot-tui` command while the app loads (see pilot_tui/collector.py).
        self.call_after_refresh(resume_collection)
        # What a person types is validated by pydantic; loading it takes a quarter of a second,
        # so a worker does it just after the first frame rather than the first key. On the
        # list, once the list is shown (ListShown): both at once would take turns and hold up
        # the list by as much.
        started_on_the_list = self._open[2] is None
        if not started_on_the_list:
            self.call_after_refresh(self._prepare_validation)

    def on_list_shown(self) -> None:
        self._prepare_validation()

    def _prepare_validation(self) -> None:
        if not self._validation_prepared:
            self._validation_prepared = True
            self.run_worker(_prepare_validation, thread=True, exit_on_error=False, group="warm")

    def leave_interview(self) -> None:
        """Back to the list: written first, so the list shows the latest answers."""
        self.flush_save()
        left = self.session.name if self.session is not None else None
        if len(self.screen_stack) > 1:
            self.pop_screen()
            screen = self.screen
            if isinstance(screen, _interview()):
                # Back from a workshop on the same session: show what the room decided.
                self.call_later(screen.show_adopted)
            elif left is not None:
                screen.post_message(HighlightAssessment(left))
            return
        self.switch_mode(HOME_MODE)
        if left is not None:
            self.screen.post_message(HighlightAssessment(left))

    # ------------------------------------------------------------------ what the screens ask

    def on_open_assessment(self, message: OpenAssessment) -> None:
        self.open_assessment(message.name, message.path, message.assessment, message.position)

    def on_new_assessment(self, message: NewAssessment) -> None:
        self.new_assessment()

    def on_export_assessment(self, message: ExportAssessment) -> None:
        # The file written is the one on disk: what the screen shows goes there first.
        self.flush_save()
        self.export_assessment(message.name)

    def on_answers_changed(self, message: AnswersChanged) -> None:
        self.autosave.changed()

    def on_save_requested(self, message: SaveRequested) -> None:
        self.save_now()

    def on_leave_interview(self, message: LeaveInterview) -> None:
        self.leave_interview()

    def on_start_workshop(self, message: StartWorkshop) -> None:
        from pilot_tui.store.workshop import Workshop, open_state, workshop_folder
        from pilot_tui.ui.screens.workshop import WorkshopScreen

        session = self.session
        screen = self.screen
        if session is None or not isinstance(screen, _interview()):
            return
        screen.commit()
        self.flush_save()
        workshop = Workshop(workshop_folder(session.path))
        first = session.question(session.positions()[0]).id
        try:
            held = workshop.hold_facilitator()
        except StoreError as problem:
            self.notify(_one_line(problem), severity="error", timeout=12)
            return
        try:
            state = open_state(workshop, first, now=time.time())
        except StoreError as problem:
            held.release()
            self.notify(_one_line(problem), severity="error", timeout=12)
            return
        self.push_screen(WorkshopScreen(session, workshop, state, held=held))
        # The command names the data folder: this app may have been given another one.
        serve = shlex.join(
            ["pilot-tui", "--data-dir", str(self.store.root), "serve", session.name]
            if session.name
            else ["pilot-tui", "serve", str(session.path)]
        )
        self.notify(
            f"Workshop started: participants join with code {state.code} once `{serve}` runs "
            "in another terminal."
        )

    def on_report_requested(self, message: ReportRequested) -> None:
        self.deliver_report(message.format)

    # ------------------------------------------------------------------ assessments

    def open_assessment(
        self, name: str | None, path: Path, assessment: Assessment, position: Position | None = None
    ) -> None:
        self.flush_save()
        from pilot_tui.ui.session import Session

        self.session = Session(self.store, path, assessment, name)
        self.push_screen(_interview()(self.session, position, advance=self.advance_after_answer))

    def new_assessment(self) -> None:
        """The short form, then (for a bank with contexts) what kind of pilot it is."""
        from pilot_tui.ui.screens.dialogs import ContextForm, SetupForm

        def create(setup: Setup, context: dict[str, list[str]] | None) -> None:
            # Escape or "Decide later" keeps the title typed: the context stays open (every
            # question is asked) until it is chosen with k in the interview.
            context = context or {}
            try:
                assessment = new_assessment(
                    self.store.bank,
                    setup.title,
                    team=setup.team,
                    facilitator=setup.facilitator,
                    stage=setup.stage,
                    respondent=setup.respondent,
                    context=context,
                    now=now_utc(),
                )
                name = self.store.create(assessment)
            except (StoreError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=8)
                return
            self.open_assessment(name, self.store.path_for(name), assessment)

        def set_up(setup: Setup | None) -> None:
            if setup is None:
                return
            if not self.store.bank.contexts:
                create(setup, {})
                return
            self.push_screen(
                ContextForm(
                    self.store.bank.contexts,
                    {},
                    title="What kind of pilot is it?",
                    cancel="Decide later",
                ),
                callback=lambda context: create(setup, context),
            )

        self.push_screen(SetupForm(), callback=set_up)

    def export_assessment(self, name: str) -> None:
        """Ask where to write NAME's TOML; a file there is replaced only once the user says so."""
        self.outputs.export(name)

    # ------------------------------------------------------------------ saving

    def save_now(self) -> None:
        if self.flush_save():
            self.notify("Saved.", timeout=2)

    def flush_save(self) -> bool:
        """Write pending answers now, on this thread; False (and the user told) if it failed."""
        return self.autosave.flush()

    def _show_save_status(self, text: Content) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, _interview()):
                screen.show_save_status(text)

    def _adopted(self, session: Session, notice: str) -> None:
        """A save took in another writer's changes, or moved ours to a conflicting copy."""
        self.notify(f"{notice}.", severity="warning", timeout=12)
        for screen in self.screen_stack:
            if isinstance(screen, _interview()) and screen.session is session:
                # Later: a save on leaving the screen or on quitting lands here too.
                self.call_later(screen.show_adopted)

    # ------------------------------------------------------------------ ending

    def _catch_ending_signals(self) -> None:
        """A closed terminal (SIGHUP), `kill` (SIGTERM) or an interrupt sent from elsewhere
        (SIGINT: in the app Ctrl+C is a key) end the app as quitting does, minus the questions.

        Without this the process would end on the spot: answers shown on screen but not yet
        saved would be lost, and the terminal left in the app's screen with the mouse captured.
        """
        loop = asyncio.get_running_loop()
        for number in ENDING_SIGNALS:
            with suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(number, self._end_on_signal, number)

    def _end_on_signal(self, number: int) -> None:
        # The answers first: after a hang-up the terminal may be gone at any moment.
        screen = self.screen
        if isinstance(screen, _interview()):
            screen.commit(quiet=True)
        self.flush_save()
        # Restoring the terminal writes to it; should it be gone and the write hang, the process
        # still ends soon after (everything is saved by now).
        watchdog = threading.Timer(EXIT_GRACE, os._exit, (128 + number,))
        watchdog.daemon = True
        watchdog.start()
        self.exit(return_code=128 + number)

    def on_unmount(self) -> None:
        # However the app ends (quit key, a closed terminal, a test), pending answers are written.
        self.flush_save()

    async def action_quit(self) -> None:
        from pilot_tui.ui.screens.dialogs import Confirm

        # What is typed in the field being edited counts too, and a value that cannot be kept
        # (a due date that is not a date) is worth a second look before it is lost.
        screen = self.screen
        problem = screen.commit() if isinstance(screen, _interview()) else ""
        saved = self.flush_save()
        if saved and not problem:
            self.exit()
            return

        def decide(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        reason = problem or "The latest answers could not be saved (see the message)."
        self.push_screen(
            Confirm(
                "Quit without keeping everything?",
                f"{reason} Quit anyway?",
                yes="Quit",
                no="Stay",
            ),
            callback=decide,
        )

    # ------------------------------------------------------------------ help, theme, commands

    def action_help(self) -> None:
        from pilot_tui.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.store.bank))

    def action_toggle_theme(self) -> None:
        # Dark to light or back, from any theme: after a dark one chosen in the palette (nord,
        # say), going to the other dark one would look like nothing happened.
        dark, light = THEMES
        self.theme = light if self.current_theme.dark else dark

    def watch_theme(self, theme: str) -> None:
        if self._theme_ready:
            self._remember("theme", theme, "Theme")

    def on_advance_changed(self, message: AdvanceChanged) -> None:
        self.advance_after_answer = message.on
        self._remember(ADVANCE_SETTING, "on" if message.on else "off", "Moving on")

    def _remember(self, key: str, value: str, what: str) -> None:
        """Keep a preference in the settings file, beside the others there."""
        if not self._remember_theme:
            return
        try:
            save_settings({**load_settings(), key: value})
        except StoreError as error:
            self.notify(f"{what} not remembered: {_one_line(error)}", severity="warning")

    def deliver_report(self, fmt: ReportFormat) -> None:
        """Write the open assessment's report (md or html) where the user's downloads go."""
        session = self.session
        if session is None:
            return
        if isinstance(self.screen, _interview()):
            self.screen.commit()
        self.outputs.report(session, fmt)

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        self.notify("Report downloaded.", timeout=8)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        tell_failure(self, "Report not saved", event.exception)


def _interview() -> type[InterviewScreen]:
    """The interview screen's class, loaded when first asked for."""
    from pilot_tui.ui.screens.interview import InterviewScreen

    return InterviewScreen


def _prepare_validation() -> None:
    from pilot_tui.core.assessment import Answer, Assessment, ContextChange, Meta, Milestone
    from pilot_tui.core.records import prepare

    prepare(Answer, Meta, Milestone, ContextChange, Assessment)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def run_app(store: Store, reference: str | None = None) -> int:
    """Start the app, on the home screen or straight in one assessment's interview."""
    name: str | None = None
    path: Path | None = None
    assessment: Assessment | None = None
    if reference is not None:
        assessment, path = store.load_reference(reference)
        name = _name_in(store, path)
    app = PilotApp(store, open_name=name, open_path=path, open_assessment=assessment)
    app.run()
    return _exit_code(app)


def run_workshop(
    store: Store,
    reference: str,
    *,
    timebox: int | None,
    anonymous: bool | None,
    limit: int | None,
    serve: tuple[str, int] | None,
    bank_path: Path | None,
) -> int:
    """Start the app on a live workshop of one assessment, resumed where it was left; with SERVE
    (host, port), also the web server that gives participants' browsers their app."""
    import time

    from pilot_tui.store.workshop import Workshop, open_state, workshop_folder
    from pilot_tui.store.workshop import join_url as participants_url

    assessment, path = store.load_reference(reference)
    name = _name_in(store, path)
    from pilot_tui.ui.session import Session

    first = Session(store, path, assessment, name)
    first_question = first.question(first.positions()[0]).id
    workshop = Workshop(workshop_folder(path))
    held = workshop.hold_facilitator()
    state = open_state(
        workshop,
        first_question,
        now=time.time(),
        timebox=timebox,
        anonymous=anonymous,
        limit=limit,
    )
    server = None
    join_url = ""
    if serve is not None:
        host, port = serve
        server = _start_server(workshop, path, host, port, bank_path)
        join_url = participants_url(host, port)
    app = PilotApp(
        store,
        open_name=name,
        open_path=path,
        open_assessment=assessment,
        workshop=WorkshopStart(workshop, state, join_url, server),
    )
    try:
        app.run()
    finally:
        held.release()
        if server is not None:
            server.terminate()
            with suppress(subprocess.TimeoutExpired):
                server.wait(timeout=5)
    return _exit_code(app)


def _name_in(store: Store, path: Path) -> str | None:
    """PATH's name when it is a file of the data folder; None for a file elsewhere."""
    return path.stem if path.parent.resolve() == store.root.resolve() else None


def _exit_code(app: PilotApp) -> int:
    """1, said in one line, when the latest answers could not be saved; else the app's code."""
    session = app.session
    if session is not None and session.dirty:
        print(
            f"pilot-tui: error: the latest answers could not be saved to {shown(session.path)}",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0


def _start_server(
    workshop: Workshop, path: Path, host: str, port: int, bank_path: Path | None
) -> subprocess.Popen[bytes]:
    """`pilot-tui serve` in a process of its own, its output in the workshop's folder."""
    command = [sys.executable, "-m", "pilot_tui", "serve", str(path), "--host", host]
    # Ended with this process even when it is killed outright: a server left behind would hold
    # the port, and the facilitator's next start could not serve.
    command += ["--port", str(port), "--exit-with", str(os.getpid())]
    if bank_path is not None:
        command += ["--bank", str(bank_path)]
    # Its log names participants' addresses: for the facilitator's eyes only.
    descriptor = os.open(
        workshop.folder / "server.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600
    )
    log = os.fdopen(descriptor, "wb")
    with log:
        return subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
        )
