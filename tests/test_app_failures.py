"""In the app, nothing the user saw is lost and no failure is silent."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Awaitable
from pathlib import Path
from typing import Any

import pytest
from helpers import app_for, capture_notifications, wait_until
from textual.widgets import Input, Static, TextArea

from pilot_tui.core.assessment import Answer, new_assessment, now_utc, with_answer
from pilot_tui.store import Store
from pilot_tui.ui.screens.dialogs import Confirm, TextPrompt
from pilot_tui.ui.screens.home import HomeScreen
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.session import Session
from pilot_tui.ui.widgets.answer_form import AnswerForm
from pilot_tui.ui.widgets.row_list import RowList

SIZE = (120, 40)


def make(store: Store, title: str = "Claims triage bot") -> str:
    return store.create(new_assessment(store.bank, title, now=now_utc()))


def first_question(store: Store) -> str:
    return store.bank.sections[0].questions[0].id


def status(app_screen: object) -> str:
    assert isinstance(app_screen, InterviewScreen)
    return str(app_screen.query_one("#save-status", Static).render())


async def test_text_typed_without_a_pause_is_on_disk_within_two_seconds(store: Store) -> None:
    name = make(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.screen.query(AnswerForm)))
        app.screen.query_one("#notes", TextArea).focus()
        await pilot.pause()
        started = time.monotonic()
        on_disk_after = None
        # A key every tenth of a second, faster than the quiet spell a save waits for.
        while time.monotonic() - started < 3.0:
            await pilot.press("x")
            await pilot.pause(0.1)
            if store.load(name).answers.get(first_question(store), Answer()).notes:
                on_disk_after = time.monotonic() - started
                break
        assert on_disk_after is not None and on_disk_after <= 2.0, on_disk_after


async def test_an_unexpected_save_failure_is_told_and_not_retried_in_a_loop(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make(store)
    app = app_for(store, name)
    app.autosave.retry = 0.02
    attempts: list[int] = []
    real_save = Session.save

    def broken_save(session: Session) -> bool:
        attempts.append(1)
        raise RuntimeError("disk gremlin")

    monkeypatch.setattr(Session, "save", broken_save)
    async with app.run_test(size=SIZE) as pilot:
        told = capture_notifications(app)
        await pilot.pause()
        await pilot.press("1")
        await wait_until(lambda: status(app.screen).endswith("not saved"))
        assert any("unexpected RuntimeError: disk gremlin" in m for m in told), told
        # Nothing to wait for: a retry would come within a retry interval. Ten of them pass.
        await pilot.pause(10 * app.autosave.retry)
        assert len(attempts) == 1  # told once, not tried again and again
        assert status(app.screen).endswith("not saved")
        assert app.session is not None
        assert app.session.assessment.answers[first_question(store)].choice == "met"
        # The cause goes away; Ctrl+S catches up.
        monkeypatch.setattr(Session, "save", real_save)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "saved" in status(app.screen) and "not" not in status(app.screen)
    assert store.load(name).answers[first_question(store)].choice == "met"


async def test_a_read_only_file_is_told_once_and_not_retried(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make(store)
    path = store.path_for(name)
    path.chmod(0o400)
    before = path.read_bytes()
    app = app_for(store, name)
    app.autosave.retry = 0.02
    attempts: list[int] = []
    real_save = Session.save

    def counted_save(session: Session) -> bool:
        attempts.append(1)
        return real_save(session)

    monkeypatch.setattr(Session, "save", counted_save)
    async with app.run_test(size=SIZE) as pilot:
        told = capture_notifications(app)
        await pilot.pause()
        await pilot.press("1")
        await wait_until(lambda: any("is read-only" in m for m in told))
        await pilot.press("2")
        # The change's own save is tried (the status says "editing" only for a moment, too short
        # to be sure to see on a busy machine), and fails the same way: the status says so,
        # the user is not told again, and no retry follows (ten retry intervals pass).
        await wait_until(lambda: len(attempts) == 2)
        await wait_until(lambda: status(app.screen).endswith("not saved"))
        assert len(attempts) == 2
        await pilot.pause(10 * app.autosave.retry)
        assert len(attempts) == 2
        assert [m for m in told if "is read-only" in m] == [told[0]]
        assert "the next change or Ctrl+S tries again" in told[0]
        assert status(app.screen).endswith("not saved")
        quit_dialog = app.run_action("quit")
        await quit_dialog
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # quitting would lose the answers: it asks
        await pilot.press("y")
    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


async def test_a_list_that_cannot_be_read_says_so_instead_of_loading_for_ever(
    store: Store,
) -> None:
    store.root.parent.mkdir(parents=True, exist_ok=True)
    store.root.write_text("a file where the data folder should be")
    app = app_for(store)
    # From the start: the list is read by a worker as soon as the screen shows, and fails fast.
    told = capture_notifications(app)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: any("Cannot list the assessments" in m for m in told))
        await pilot.pause()
        message = str(app.screen.query_one("#empty-state", Static).render())
        assert "cannot be listed" in message and "is not a folder" in message


async def test_hostile_file_names_are_drawn_escaped(store: Store) -> None:
    make(store)
    (store.root / "x\x1b]0;pwned\x07.toml").write_text("")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#assessments", RowList)
        cells = [cell for row in range(table.row_count) for cell in table.row_text(row)]
        assert any("x\\x1b]0;pwned\\x07.toml" in cell for cell in cells), cells
        assert not any("\x1b" in cell for cell in cells)


async def test_export_never_replaces_a_data_folder_file_and_asks_before_others(
    store: Store, tmp_path: Path
) -> None:
    name = make(store)
    other = make(store, "Another pilot")
    theirs = store.path_for(other).read_bytes()
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        told = capture_notifications(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)

        async def export_to(target: Path) -> None:
            app.export_assessment(name)
            await pilot.pause()
            assert isinstance(app.screen, TextPrompt)
            app.screen.query_one(Input).value = str(target)
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()

        await export_to(store.path_for(other))
        assert any("is in the data folder" in m for m in told), told
        assert store.path_for(other).read_bytes() == theirs

        kept = tmp_path / "kept.toml"
        kept.write_text("someone's file\n")
        kept.chmod(0o640)
        await export_to(kept)
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")
        await pilot.pause()
        assert kept.read_text() == "someone's file\n"
        await export_to(kept)
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert kept.read_bytes() == store.path_for(name).read_bytes()
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640

        pipe = tmp_path / "pipe.toml"
        os.mkfifo(pipe)
        await export_to(pipe)  # nobody reads it: told at once, the app goes on
        assert any("nothing reads from" in m for m in told), told


async def test_reports_get_a_new_name_and_never_replace_an_earlier_one(
    store: Store, isolated_home: Path
) -> None:
    name = make(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        told = capture_notifications(app)
        await pilot.pause()
        app.deliver_report("md")
        await wait_until(lambda: any("Report saved" in m for m in told))
        app.deliver_report("md")
        await wait_until(lambda: sum("Report saved" in m for m in told) == 2)
    reports = sorted(path.name for path in isolated_home.rglob(f"{name}-report*.md"))
    assert reports == [f"{name}-report-2.md", f"{name}-report.md"]


async def test_a_key_pressed_while_the_form_mounts_shows_that_questions_answer(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make(store)
    questions = store.bank.sections[0].questions
    assessment = store.load(name)
    # The first question has only notes, so the interview opens on it.
    for question, answer in zip(
        questions[:2],
        (Answer(notes="first notes"), Answer(choice="met", notes="second notes")),
        strict=True,
    ):
        assessment = with_answer(assessment, question.id, answer, now=now_utc())
    store.save(name, assessment)
    mount_form = InterviewScreen._mount_form

    async def mount_with_a_key_in_between(screen: InterviewScreen) -> None:
        # "n" is handled while the form is being mounted (the key's action runs on the app's
        # task while the screen waits for the mount), as on a slow laptop.
        slot = screen.query_one("#form-slot")
        mount = slot.mount

        def mount_and_press_n(*widgets: Any, **options: Any) -> Awaitable[None]:
            mounting = mount(*widgets, **options)

            async def key_then_mounted() -> None:
                await screen.action_move(1)
                await mounting

            return key_then_mounted()

        monkeypatch.setattr(slot, "mount", mount_and_press_n)
        await mount_form(screen)

    monkeypatch.setattr(InterviewScreen, "_mount_form", mount_with_a_key_in_between)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.screen.query(AnswerForm)))
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.position.question == 1
        assert screen.query_one("#notes", TextArea).text == "second notes"


async def test_a_save_due_at_once_still_happens(store: Store) -> None:
    """Past the ceiling a save is due at once; a timer of 0 seconds never fires in Textual, so
    the save must still be made (typing on must not hold it off for ever)."""
    name = make(store)
    app = app_for(store, name)
    app.autosave.ceiling = 0.0  # every change is already due
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(lambda: bool(app.screen.query(AnswerForm)))
        app.screen.query_one("#notes", TextArea).focus()
        await pilot.pause()

        async def type_and_see_it_saved(typed: str) -> None:
            await pilot.press(typed[-1])
            await wait_until(
                lambda: store.load(name).answers.get(first_question(store), Answer()).notes == typed
            )

        # Each change is due at once: it is on disk before the next key.
        for typed in ("a", "ab", "abc"):
            await type_and_see_it_saved(typed)
        await wait_until(lambda: "✓ saved" in status(app.screen))


async def test_deleting_a_link_says_the_target_stays(store: Store, tmp_path: Path) -> None:
    made = make(store, "Linked pilot")
    target = tmp_path / "elsewhere.toml"
    store.path_for(made).rename(target)
    store.path_for("linked").symlink_to(target)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        message = str(app.screen.query(Static)[1].render())
        assert "Remove the link linked.toml? The file it points to stays" in message
        await pilot.press("y")
        await pilot.pause()
    assert target.exists() and not os.path.lexists(store.path_for("linked"))
