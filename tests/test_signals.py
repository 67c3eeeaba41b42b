"""A closed terminal, `kill` or an interrupt from elsewhere keeps every answer the screen showed.

Real processes on a pseudo-terminal: keys, then the signal as soon as the screen shows them (well
within the autosave's quiet spell: the signal's own save must keep what was typed last), then the
file.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from terminal import LEAVE_ALTERNATE_SCREEN, MOUSE_OFF, Terminal, app_environment

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.store import Store

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")


@pytest.fixture
def running(store: Store, isolated_home: Path) -> Iterator[tuple[Terminal, str]]:
    name = store.create(new_assessment(store.bank, "Signals pilot", now=now_utc()))
    terminal = Terminal(["open", name], app_environment(store.root, isolated_home), size=(120, 40))
    try:
        terminal.wait_for(store.bank.sections[0].questions[0].title)
        yield terminal, name
    finally:
        terminal.close()


NOTE = "runbook draft in the wiki"


def answer_three_and_type_a_note(terminal: Terminal) -> None:
    """Three answers in a row, then a note on the third question, as fast as a person types."""
    terminal.type("1n2n3")
    # The third question's form is up with its answer chosen: Tab goes to its notes.
    terminal.wait_for("● 3 Planned")
    terminal.type("\t")  # to the notes
    terminal.type(NOTE, pause=0.01)
    # What the screen shows is what must be on disk.
    terminal.wait_for(NOTE)


def expected_answers(store: Store) -> dict[str, str | None]:
    first = store.bank.sections[0].questions
    return {first[0].id: "met", first[1].id: "partly", first[2].id: "planned"}


@pytest.mark.parametrize(
    ("number", "code"),
    [(signal.SIGTERM, 143), (signal.SIGINT, 130), (signal.SIGHUP, 129)],
    ids=["SIGTERM", "SIGINT", "SIGHUP"],
)
def test_a_signal_saves_what_the_screen_showed_and_restores_the_terminal(
    running: tuple[Terminal, str], store: Store, number: int, code: int
) -> None:
    terminal, name = running
    answer_three_and_type_a_note(terminal)

    terminal.signal(number)

    assert terminal.wait(timeout=5) == code
    saved = store.load(name).answers
    assert {qid: saved[qid].choice for qid in expected_answers(store)} == expected_answers(store)
    third = store.bank.sections[0].questions[2].id
    assert saved[third].notes == NOTE
    # The terminal is given back as it was: the app's screen left, the mouse released.
    tail = terminal.output_to_the_end()[-400:]
    assert LEAVE_ALTERNATE_SCREEN in tail
    assert MOUSE_OFF in tail


def test_closing_the_terminal_window_saves_what_the_screen_showed(
    running: tuple[Terminal, str], store: Store
) -> None:
    terminal, name = running
    answer_three_and_type_a_note(terminal)

    terminal.hang_up()

    # With the terminal gone there is nothing to restore; the process still ends soon.
    assert terminal.wait(timeout=5) == 129
    saved = store.load(name).answers
    assert {qid: saved[qid].choice for qid in expected_answers(store)} == expected_answers(store)
    third = store.bank.sections[0].questions[2].id
    assert saved[third].notes == NOTE
