"""The command palette's own commands (Ctrl+P), next to Textual's (theme, quit, keys).

Each screen names its provider in COMMANDS. A command does what a key would: it runs the screen's
action or posts the message the key would post, so the palette adds no second way of doing
anything.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from functools import partial
from typing import NamedTuple

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.message import Message

from pilot_tui.ui.messages import (
    ExportAssessment,
    JumpTo,
    NewAssessment,
    ReportFormat,
    ReportRequested,
    StartWorkshop,
)


class Command(NamedTuple):
    title: str
    help: str
    message: Callable[[], Message] | None = None
    """Makes the message posted to the screen (bubbling up to the app) when chosen."""
    action: str = ""
    """Or the screen's action run when chosen."""
    discover: bool = True
    """Listed before anything is typed; the others show only when searched for."""


class _Commands(Provider):
    """Commands worked out when the palette opens, matched fuzzily as Textual's own are."""

    def commands(self) -> Iterator[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for command in self.commands():
            if command.discover:
                yield DiscoveryHit(command.title, self._runner(command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            if (match := matcher.match(command.title)) > 0:
                yield Hit(
                    match,
                    matcher.highlight(command.title),
                    self._runner(command),
                    help=command.help,
                )

    def _runner(self, command: Command) -> Callable[[], Awaitable[None]]:
        screen = self.screen

        async def run() -> None:
            if command.message is not None:
                screen.post_message(command.message())
            if command.action:
                await screen.run_action(command.action)

        return run


class HomeCommands(_Commands):
    def commands(self) -> Iterator[Command]:
        yield Command("New assessment", "Start a new assessment", NewAssessment)


class InterviewCommands(_Commands):
    def commands(self) -> Iterator[Command]:
        from pilot_tui.ui.session import Session  # loaded by now: this is the interview

        session = getattr(self.screen, "session", None)
        if not isinstance(session, Session):
            return
        yield Command("Summary", "The full scorecard and the action plan", action="summary")
        shown = getattr(self.screen, "position", None)
        if shown is not None:
            on_screen = session.question(shown).id
            if on_screen in session.assessment.waivers:
                yield Command(
                    "Remove this waiver",
                    "The blocker on screen stands again",
                    action="unwaive",
                )
            elif on_screen in {blocker.question for blocker in session.card.blockers}:
                yield Command(
                    "Waive this blocker",
                    "Accept its risk until a day, approved by someone other than who asks: it "
                    "stops holding the level back, and is shown as waived everywhere",
                    action="waive",
                )
        if not getattr(self.screen, "in_workshop", False):
            on = bool(getattr(self.screen, "advance", False))
            yield Command(
                f"Move on after an answer: turn {'off' if on else 'on'}",
                "Go to the next question once a number key makes the answer complete"
                if not on
                else "Stay on the question after an answer; n goes to the next one",
                action="toggle_advance",
            )
        if not getattr(self.screen, "in_workshop", False):
            yield Command(
                "Live workshop",
                "Run a workshop on this assessment: the room votes, the votes are revealed, the "
                "team decides",
                StartWorkshop,
            )
        reports: tuple[tuple[ReportFormat, str], ...] = (
            ("md", "Markdown, for a wiki or a pull request"),
            ("html", "HTML, for stakeholders"),
        )
        for fmt, label in reports:
            yield Command(
                f"Report: {label.split(',')[0]}",
                f"Save the full report as {label}",
                partial(ReportRequested, fmt),
            )
        if session.name is not None:
            yield Command(
                "Export assessment",
                "Write this assessment's TOML to a file",
                partial(ExportAssessment, session.name),
            )
        for index, section in enumerate(session.bank.sections):
            first = session.first_open_question(index)
            if first is None:
                continue  # none of its questions applies to this pilot
            yield Command(
                # Numbered, so that the list reads in bank order.
                f"Jump to section {index + 1}: {section.title}",
                section.summary or "First open question of this root cause",
                partial(JumpTo, first),
            )
        for position in session.positions():
            question = session.question(position)
            yield Command(
                f"Jump to question: {question.title}",
                question.text,
                partial(JumpTo, position),
                discover=False,
            )
