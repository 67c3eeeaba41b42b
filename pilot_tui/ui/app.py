"""The pilot-tui app: home, interview and summary screens over one store.

Saving: every change marks the session dirty and (re)starts a short timer; when it fires, a
worker thread writes the latest answers atomically. A failed save keeps the answers in memory,
says so, and tries again; leaving the interview or quitting writes whatever is pending first.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.content import Content
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer

from pilot_tui.core.assessment import Assessment, new_assessment, now_utc
from pilot_tui.files import StoreError, atomic_write
from pilot_tui.startup import resume_collection
from pilot_tui.store import Store, dumps_assessment, load_settings, save_settings
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.session import Position, Session

# The other screens are imported where they are first needed: opening an assessment straight
# into its interview should not pay at start-up for the list's table or the dialogs' buttons.
if TYPE_CHECKING:
    from pilot_tui.ui.screens.dialogs import Setup

SAVE_DELAY = 0.4
"""Seconds of quiet before a save: typing a note does not write on every key."""
RETRY_DELAY = 3.0
THEMES = ("textual-dark", "textual-light")
HOME_MODE = "home"


class PilotApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "pilot-tui"
    AUTO_FOCUS = None
    BINDINGS = [
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            key_display="?",
            tooltip="Every key, explained",
            id="app.help",
        ),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            tooltip="Save anything pending and quit",
            id="app.quit",
        ),
        Binding(
            "ctrl+t",
            "toggle_theme",
            "Theme",
            show=False,
            tooltip="Switch between the light and the dark theme",
            id="app.theme",
        ),
    ]

    def __init__(
        self,
        store: Store,
        *,
        open_name: str | None = None,
        open_path: Path | None = None,
        open_assessment: Assessment | None = None,
        remember_theme: bool = True,
    ) -> None:
        super().__init__()
        self.store = store
        self.session: Session | None = None
        self._open = (open_name, open_path, open_assessment)
        self._save_timer: Timer | None = None
        self._save_failing = False
        self._remember_theme = remember_theme
        self._theme_ready = False
        if remember_theme:
            theme = load_settings().get("theme")
            if theme in self.available_themes:
                self.theme = theme

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
        # as written, not restyle the message, crash it, or become a clickable action.
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def get_default_screen(self) -> Screen[Any]:
        # Opening one assessment starts on its interview: the list is only built if asked for.
        name, path, assessment = self._open
        if path is not None and assessment is not None:
            self.session = Session(self.store, path, assessment, name)
            return InterviewScreen(self.session)
        from pilot_tui.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        # From here on a theme change is the user's choice, and is remembered.
        self._theme_ready = True
        # Paused by the `pilot-tui` command while the app loads (see pilot_tui/startup.py).
        self.call_after_refresh(resume_collection)

    def leave_interview(self) -> None:
        """Back to the list: written first, so the list shows the latest answers."""
        self.flush_save()
        if len(self.screen_stack) > 1:
            self.pop_screen()
            return
        # Started straight in an interview: the list lives in a mode of its own, since Textual
        # cannot replace the first screen of a stack.
        if HOME_MODE not in self._modes:
            self.add_mode(HOME_MODE, _home_screen)
        self.switch_mode(HOME_MODE)

    # ------------------------------------------------------------------ assessments

    def open_assessment(
        self, name: str | None, path: Path, assessment: Assessment, position: Position | None = None
    ) -> None:
        self.flush_save()
        self.session = Session(self.store, path, assessment, name)
        self.push_screen(InterviewScreen(self.session, position))

    def new_assessment(self) -> None:
        from pilot_tui.ui.screens.dialogs import SetupForm

        def create(setup: Setup | None) -> None:
            if setup is None:
                return
            try:
                assessment = new_assessment(
                    self.store.bank,
                    setup.title,
                    team=setup.team,
                    facilitator=setup.facilitator,
                    stage=setup.stage,
                    respondent=setup.respondent,
                    now=now_utc(),
                )
                name = self.store.create(assessment)
            except (StoreError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=8)
                return
            self.open_assessment(name, self.store.path_for(name), assessment)

        self.push_screen(SetupForm(), callback=create)

    def export_assessment(self, name: str) -> None:
        from pilot_tui.ui.screens.dialogs import Confirm, TextPrompt

        def write(target: str | None) -> None:
            if target is None:
                return
            path = Path(target).expanduser()
            if path.is_dir():
                path = path / f"{name}.toml"
            if path.exists():
                self.push_screen(
                    Confirm(
                        "Replace file?", f"{path} exists. Replace it?", yes="Replace", no="Cancel"
                    ),
                    callback=lambda yes: self._write_export(name, path) if yes else None,
                )
                return
            self._write_export(name, path)

        self.push_screen(
            TextPrompt(
                "Export",
                label="Write the assessment's TOML to",
                value=str(Path.cwd() / f"{name}.toml"),
                accept="Export",
            ),
            callback=write,
        )

    def _write_export(self, name: str, path: Path) -> None:
        try:
            atomic_write(path, dumps_assessment(self.store.load(name)), private=False)
        except StoreError as error:
            self.notify(_one_line(error), severity="error", timeout=8)
            return
        self.notify(f"Exported to {path}", timeout=5)

    # ------------------------------------------------------------------ saving

    def schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._show_save_status(Content.styled("● editing", "dim"))
        self._save_timer = self.set_timer(SAVE_DELAY, self._save_in_background)

    def _save_in_background(self) -> None:
        self._save_timer = None
        self._save_worker()

    @work(thread=True, exit_on_error=False, group="save")
    def _save_worker(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            session.save()
        except StoreError as error:
            self.call_from_thread(self._save_failed, _one_line(error))
            return
        self.call_from_thread(self._saved, session)

    def _saved(self, session: Session) -> None:
        if self._save_failing:
            self.notify("Saved again: every answer is on disk.", timeout=4)
        self._save_failing = False
        # Someone else saved the same file meanwhile: their answers were merged in, or ours went
        # to a conflicting copy. Either way the user sees it here, and the screen shows it.
        notice = session.adopt_saved()
        if notice:
            # Not markup: a file opened by path may have brackets in its name.
            self.notify(f"{notice}.", severity="warning", timeout=12, markup=False)

            for screen in self.screen_stack:
                if isinstance(screen, InterviewScreen) and screen.session is session:
                    # Later: a save on leaving the screen or on quitting lands here too.
                    self.call_later(screen.show_adopted)
        if not session.dirty:
            stamp = datetime.now().strftime("%H:%M:%S")
            self._show_save_status(Content.styled(f"✓ saved {stamp}", "$text-success"))

    def _save_failed(self, reason: str) -> None:
        if not self._save_failing:
            self.notify(
                f"Not saved: {reason}. Your answers are kept here; retrying.",
                severity="error",
                timeout=10,
            )
        self._save_failing = True
        self._show_save_status(Content.styled("✗ not saved, retrying", "bold $text-error"))
        if self._save_timer is None:
            self._save_timer = self.set_timer(RETRY_DELAY, self._save_in_background)

    def save_now(self) -> None:
        if self.flush_save():
            self.notify("Saved.", timeout=2)

    def flush_save(self) -> bool:
        """Write pending answers now, on this thread; False (and the user told) if it failed."""
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        session = self.session
        if session is None or not session.dirty:
            return True
        try:
            session.save()
        except StoreError as error:
            self._save_failed(_one_line(error))
            return False
        self._saved(session)
        return True

    def _show_save_status(self, text: Content) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, InterviewScreen):
                screen.show_save_status(text)

    def on_unmount(self) -> None:
        # However the app ends (quit key, a closed terminal, a test), pending answers are written.
        self.flush_save()

    async def action_quit(self) -> None:
        from pilot_tui.ui.screens.dialogs import Confirm

        # What is typed in the field being edited counts too, and a value that cannot be kept
        # (a due date that is not a date) is worth a second look before it is lost.
        screen = self.screen
        problem = screen.commit() if isinstance(screen, InterviewScreen) else ""
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
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = THEMES[1] if self.theme == THEMES[0] else THEMES[0]

    def watch_theme(self, theme: str) -> None:
        if not (self._remember_theme and self._theme_ready):
            return
        try:
            save_settings({"theme": theme})
        except StoreError as error:
            self.notify(f"Theme not remembered: {_one_line(error)}", severity="warning")

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        from pilot_tui.ui.screens.home import HomeScreen

        yield from super().get_system_commands(screen)
        if isinstance(screen, HomeScreen):
            yield SystemCommand("New assessment", "Start a new assessment", self.new_assessment)
            return
        if not isinstance(screen, InterviewScreen):
            return
        session = screen.session
        yield SystemCommand(
            "Summary", "The full scorecard and the action plan", screen.action_summary
        )
        for fmt, label in (
            ("md", "Markdown, for a wiki or a pull request"),
            ("html", "HTML, for stakeholders"),
        ):
            yield SystemCommand(
                f"Report: {label.split(',')[0]}",
                f"Save the full report as {label}",
                _report(self, fmt),
            )
        if session.name is not None:
            name = session.name
            yield SystemCommand(
                "Export assessment",
                "Write this assessment's TOML to a file",
                lambda: self._export_current(name),
            )
        for index, section in enumerate(session.bank.sections):
            yield SystemCommand(
                # Numbered, so the palette (which sorts by title) lists them in bank order.
                f"Jump to section {index + 1}: {section.title}",
                section.summary or "First open question of this root cause",
                _jump(screen, session.first_open_question(index)),
            )
        for position in session.positions():
            question = session.question(position)
            yield SystemCommand(
                f"Jump to question: {question.title}",
                question.text,
                _jump(screen, position),
                discover=False,
            )

    def deliver_report(self, fmt: str) -> None:
        """Write the open assessment's report (md or html) where the user's downloads go."""
        from pilot_tui.core.report import html_report, markdown_report, report_rows

        session = self.session
        if session is None:
            return
        if isinstance(self.screen, InterviewScreen):
            self.screen.commit()
        disputes, trend = report_rows(session.bank, session.assessment)
        render = markdown_report if fmt == "md" else html_report
        text = render(
            session.bank, session.assessment, disputes=disputes, trend=trend, generated=now_utc()
        )
        # Textual saves to the downloads folder, which a fresh account may not have yet.
        from platformdirs import user_downloads_dir

        folder = Path(user_downloads_dir())
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.notify(f"Report not saved: {folder}: {error.strerror}", severity="error")
            return
        self.deliver_text(
            io.StringIO(text),
            save_directory=folder,
            save_filename=f"{session.path.stem}-report.{fmt}",
            encoding="utf-8",
        )

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        where = f" to {event.path}" if event.path else ""
        self.notify(f"Report saved{where}.", timeout=8)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        self.notify(f"Report not saved: {event.exception}", severity="error", timeout=10)

    def _export_current(self, name: str) -> None:
        self.flush_save()
        self.export_assessment(name)


def _jump(screen: InterviewScreen, position: Position) -> Callable[[], Awaitable[None]]:
    async def jump() -> None:
        await screen.go_to(position)

    return jump


def _home_screen() -> Screen[Any]:
    from pilot_tui.ui.screens.home import HomeScreen

    return HomeScreen()


def _report(app: PilotApp, fmt: str) -> Callable[[], None]:
    return lambda: app.deliver_report(fmt)


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def run_app(store: Store, reference: str | None = None) -> int:
    """Start the app, on the home screen or straight in one assessment's interview."""
    name: str | None = None
    path: Path | None = None
    assessment: Assessment | None = None
    if reference is not None:
        assessment, path = store.load_reference(reference)
        if path.parent.resolve() == store.root.resolve():
            name = path.stem
    app = PilotApp(store, open_name=name, open_path=path, open_assessment=assessment)
    app.run()
    session = app.session
    if session is not None and session.dirty:
        print(
            f"pilot-tui: error: the latest answers could not be saved to {session.path}",
            file=sys.stderr,
        )
        return 1
    return app.return_code or 0
