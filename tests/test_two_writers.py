"""Two writers on one assessment (two stores, the app and `pilot-tui answer`): no lost update.

Different questions are merged; the same question changed both ways leaves the file as the other
writer saved it and puts ours in a visible, loadable conflicting copy, and the writer is told.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import Cli, app_for, capture_notifications, folder_snapshot, wait_until
from textual.widgets import Static

from pilot_tui.cli import main
from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    new_assessment,
    now_utc,
    with_answer,
    with_context,
    with_meta,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import add_milestone
from pilot_tui.core.writers import merge_assessments
from pilot_tui.store import Store, load_assessment_file
from pilot_tui.store import format as store_module
from pilot_tui.store.files import RefusedSave, StoreError, atomic_write
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.session import Position, Session
from pilot_tui.ui.widgets.scorecard import ScorecardPanel

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
FIRST = Position(0, 0)  # success-criteria-agreed
SECOND = Position(0, 1)  # eval-production-data


def answered(assessment: Assessment, question: str, choice: str, notes: str = "") -> Assessment:
    return with_answer(assessment, question, Answer(choice=choice, notes=notes), now=now_utc())


@pytest.fixture
def name(store: Store) -> str:
    return store.create(new_assessment(store.bank, "Claims triage bot", team="Claims AI", now=NOW))


def other_store(store: Store) -> Store:
    """A second writer: its own Store, so nothing is shared in memory (like another process)."""
    return Store(store.root, store.bank)


def conflict_copies(store: Store, name: str) -> list[str]:
    return [n for n in store.names() if n.startswith(f"{name}-conflict-")]


# ---------------------------------------------------------------------------- the store


def test_an_unchanged_file_is_simply_written(store: Store, name: str) -> None:
    base = store.load(name)
    result = store.save(name, answered(base, "success-criteria-agreed", "met"), base=base)
    assert result.path == store.path_for(name)
    assert (result.merged, result.conflicts, result.conflict_path) == ((), (), None)
    assert store.load(name).answers["success-criteria-agreed"].choice == "met"
    # And again, from the version just written: still a plain write.
    again = store.save(
        name, answered(result.assessment, "runbook", "partly"), base=result.assessment
    )
    assert (again.merged, again.conflicts) == ((), ())
    assert set(store.load(name).answers) == {"success-criteria-agreed", "runbook"}
    assert conflict_copies(store, name) == []


def test_a_file_touched_but_not_changed_is_simply_written(store: Store, name: str) -> None:
    base = store.load(name)
    path = store.path_for(name)
    # Another program rewrites the same content (new mtime, same bytes): nothing to merge.
    atomic_write(path, path.read_bytes())
    result = store.save(name, answered(base, "success-criteria-agreed", "met"), base=base)
    assert (result.merged, result.conflicts) == ((), ())


def test_different_questions_from_two_stores_are_merged(store: Store, name: str) -> None:
    other = other_store(store)
    ours_base = store.load(name)
    theirs_base = other.load(name)
    other.save(name, answered(theirs_base, "runbook", "met", "theirs"), base=theirs_base)
    result = store.save(
        name, answered(ours_base, "success-criteria-agreed", "partly"), base=ours_base
    )
    assert result.merged == ("answer runbook",)
    assert result.conflicts == ()
    on_disk = store.load(name)
    assert on_disk == result.assessment
    assert on_disk.answers["success-criteria-agreed"].choice == "partly"
    assert on_disk.answers["runbook"] == Answer(choice="met", notes="theirs")
    assert conflict_copies(store, name) == []
    # The other writer, saving again from its own base, merges ours back in too.
    mine = other.load(name)
    assert mine.answers["success-criteria-agreed"].choice == "partly"


def test_the_same_question_changed_both_ways_makes_a_conflicting_copy(
    store: Store, name: str
) -> None:
    other = other_store(store)
    ours_base = store.load(name)
    theirs_base = other.load(name)
    other.save(name, answered(theirs_base, "success-criteria-agreed", "met"), base=theirs_base)
    theirs_bytes = store.path_for(name).read_bytes()
    ours = answered(answered(ours_base, "success-criteria-agreed", "not-met"), "runbook", "partly")
    result = store.save(name, ours, base=ours_base)

    assert result.conflicts == ("answer success-criteria-agreed",)
    assert result.conflict_path == result.path != store.path_for(name)
    # The file keeps the other writer's version, byte for byte.
    assert store.path_for(name).read_bytes() == theirs_bytes
    # Ours is a normal assessment in the list, loadable by name, its title saying what it is.
    copies = conflict_copies(store, name)
    assert copies == [result.path.stem]
    copy = store.load(copies[0])
    assert copy == result.assessment
    assert copy.meta.title.startswith("Claims triage bot (conflicting copy ")
    assert copy.answers == ours.answers
    assert {entry.name: entry.error for entry in store.listing()} == {name: None, copies[0]: None}
    # Both versions load: nothing lost.
    assert store.load(name).answers["success-criteria-agreed"].choice == "met"


def test_both_making_the_same_change_is_no_conflict(store: Store, name: str) -> None:
    other = other_store(store)
    base = store.load(name)
    other.save(name, answered(other.load(name), "runbook", "met"), base=base)
    result = store.save(name, answered(base, "runbook", "met"), base=base)
    assert (result.merged, result.conflicts) == ((), ())
    assert conflict_copies(store, name) == []


def test_without_a_base_the_file_is_replaced_as_before(store: Store, name: str) -> None:
    other = other_store(store)
    base = store.load(name)
    other.save(name, answered(other.load(name), "runbook", "met"), base=base)
    result = store.save(name, answered(base, "success-criteria-agreed", "met"))
    assert (result.merged, result.conflicts) == ((), ())
    assert "runbook" not in store.load(name).answers


def test_an_unreadable_file_is_never_overwritten_even_with_a_base(store: Store, name: str) -> None:
    base = store.load(name)
    path = store.path_for(name)
    path.write_text("schema = 'pilot-tui/assessment'\nbroken = [", encoding="utf-8")
    before = folder_snapshot(store.root)
    with pytest.raises(StoreError, match="not overwritten"):
        store.save(name, answered(base, "success-criteria-agreed", "met"), base=base)
    assert folder_snapshot(store.root) == before


def test_metadata_and_milestones_merge_like_answers(bank: Bank) -> None:
    base = new_assessment(bank, "Claims triage bot", team="Claims AI", now=NOW)
    ours = add_milestone(answered(base, "runbook", "met"), "Workshop 1", now=NOW)
    theirs = with_meta(base, now=now_utc(), team="Claims Platform")
    merged, taken, clashes = merge_assessments(base, ours, theirs)
    assert (taken, clashes) == (["team"], [])
    assert merged.meta.team == "Claims Platform"
    assert [m.label for m in merged.milestones] == ["Workshop 1"]
    assert merged.answers["runbook"].choice == "met"
    # Both renamed it differently: a clash, ours kept in the merged document.
    _, _, clashes = merge_assessments(
        base, with_meta(base, now=NOW, title="A"), with_meta(base, now=NOW, title="B")
    )
    assert clashes == ["title"]
    # An answer removed on one side and left alone on the other is removed.
    answered_base = answered(base, "runbook", "met")
    removed = with_answer(answered_base, "runbook", None, now=NOW)
    merged, _, clashes = merge_assessments(
        answered_base, removed, answered(answered_base, "on-call", "partly")
    )
    assert clashes == []
    assert set(merged.answers) == {"on-call"}


def test_retitle_from_the_list_keeps_answers_saved_meanwhile(store: Store, name: str) -> None:
    listed = store.load(name)
    other_store(store).save(name, answered(listed, "runbook", "met"), base=listed)
    renamed = store.retitle(name, listed, "Claims bot v2")
    assert renamed.meta.title == "Claims bot v2"
    on_disk = store.load(name)
    assert on_disk.meta.title == "Claims bot v2"
    assert on_disk.answers["runbook"].choice == "met"


# ---------------------------------------------------------------------------- session and CLI


def test_cli_answer_while_a_session_holds_the_assessment(store: Store, name: str, cli: Cli) -> None:
    session = Session(store, store.path_for(name), store.load(name), name)
    assert session.set_answer(FIRST, Answer(choice="met"))
    assert cli("answer", name, "runbook", "partly").code == 0
    assert session.save()
    assert session.adopt_saved() == "Merged changes saved elsewhere meanwhile (answer runbook)"
    # The session now shows both, is rescored, and has nothing left to save.
    assert session.assessment.answers["runbook"].choice == "partly"
    assert session.card.answered == 2
    assert not session.dirty
    on_disk = store.load(name)
    assert on_disk.answers["success-criteria-agreed"].choice == "met"
    assert on_disk.answers["runbook"].choice == "partly"
    # A later change is saved over the merged version as usual.
    session.set_answer(SECOND, Answer(choice="partly"))
    assert session.save()
    assert session.adopt_saved() == ""
    assert set(store.load(name).answers) == {
        "success-criteria-agreed",
        "runbook",
        "eval-production-data",
    }


def test_cli_answer_to_the_same_question_makes_the_session_move_to_a_copy(
    store: Store, name: str, cli: Cli
) -> None:
    session = Session(store, store.path_for(name), store.load(name), name)
    session.set_answer(FIRST, Answer(choice="met"))
    assert cli("answer", name, "success-criteria-agreed", "not-met").code == 0
    assert session.save()
    notice = session.adopt_saved()
    copy = conflict_copies(store, name)
    assert len(copy) == 1
    assert notice.startswith("Changed elsewhere at the same time (answer success-criteria-agreed)")
    assert f"{copy[0]}.toml" in notice
    # The file keeps the CLI's answer; the session goes on in its own copy.
    assert store.load(name).answers["success-criteria-agreed"].choice == "not-met"
    assert session.path == store.path_for(copy[0]) and session.name == copy[0]
    assert "conflicting copy" in session.assessment.meta.title
    assert not session.dirty
    session.set_answer(SECOND, Answer(choice="met"))
    assert session.save()
    assert session.adopt_saved() == ""  # no second copy: the session saves to its own now
    assert conflict_copies(store, name) == copy
    saved_copy = store.load(copy[0])
    assert saved_copy.answers["success-criteria-agreed"].choice == "met"
    assert saved_copy.answers["eval-production-data"].choice == "met"
    assert "conflicting copy" in saved_copy.meta.title


def test_cli_answer_that_clashes_with_a_save_says_where_its_answer_went(
    store: Store, name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The app saves the same question between the CLI's load and its save.
    real_load = Store.load

    def load_then_race(self: Store, loaded: str) -> Assessment:
        result = real_load(self, loaded)
        other = other_store(self)
        other.save(loaded, answered(real_load(other, loaded), "success-criteria-agreed", "met"))
        return result

    monkeypatch.setattr(Store, "load", load_then_race)
    code = main(["answer", name, "success-criteria-agreed", "not-met"])
    err = capsys.readouterr().err
    monkeypatch.undo()
    assert code == 2
    assert err.count("\n") == 1 and "changed elsewhere at the same time" in err
    copy = conflict_copies(store, name)
    assert len(copy) == 1 and f"{copy[0]}.toml" in err
    assert store.load(name).answers["success-criteria-agreed"].choice == "met"
    assert store.load(copy[0]).answers["success-criteria-agreed"].choice == "not-met"


async def test_app_and_cli_answer_different_questions(store: Store, name: str) -> None:
    app = app_for(store, name)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        messages = capture_notifications(app)
        await pilot.pause()
        await pilot.press("1")  # success-criteria-agreed: met, in the app
        assert main(["answer", name, "runbook", "partly", "--owner", "Ana"]) == 0
        assert app.flush_save()
        await pilot.pause()
        assert any("Merged changes saved elsewhere" in m and "runbook" in m for m in messages), (
            messages
        )
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        assert screen.session.assessment.answers["runbook"].owner == "Ana"
        assert "2/38 answered" in screen.query_one(ScorecardPanel).text
    on_disk = store.load(name)
    assert on_disk.answers["success-criteria-agreed"].choice == "met"
    assert on_disk.answers["runbook"] == Answer(choice="partly", owner="Ana")
    assert conflict_copies(store, name) == []


async def test_app_and_cli_answer_the_same_question(store: Store, name: str) -> None:
    app = app_for(store, name)
    # The app saves only when told, after the command line has written: on a busy machine the
    # command (validating its file in full, the first time) could take longer than the
    # autosave's pause, and the two writes would not overlap at all.
    app.autosave.delay = app.autosave.ceiling = 60
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        messages = capture_notifications(app)
        await pilot.pause()
        await pilot.press("1")  # success-criteria-agreed: met, in the app
        assert main(["answer", name, "success-criteria-agreed", "not-met"]) == 0
        app.flush_save()
        # The app's write finds the other, and the app says where its answer went.
        await wait_until(lambda: any("Changed elsewhere" in m for m in messages))
        await app.workers.wait_for_complete()
        await pilot.pause()
        copy = conflict_copies(store, name)
        assert len(copy) == 1
        assert any("Changed elsewhere" in m and f"{copy[0]}.toml" in m for m in messages), messages
        title = app.screen.query_one("#assessment-title", Static).render()
        assert "conflicting copy" in str(title)
    assert store.load(name).answers["success-criteria-agreed"].choice == "not-met"
    assert store.load(copy[0]).answers["success-criteria-agreed"].choice == "met"


def test_two_sessions_each_answer_and_nothing_is_lost(store: Store, name: str) -> None:
    first = Session(store, store.path_for(name), store.load(name), name)
    second = Session(other_store(store), store.path_for(name), store.load(name), name)
    for step, (position, choice) in enumerate([(FIRST, "met"), (SECOND, "partly")]):
        first.set_answer(Position(1, step), Answer(choice="met"))
        second.set_answer(position, Answer(choice=choice))
        assert first.save() and second.save()
        first.adopt_saved()
        second.adopt_saved()
    on_disk = load_assessment_file(store.path_for(name), store.bank)
    assert len(on_disk.answers) == 4
    assert conflict_copies(store, name) == []


def test_a_conflicting_copy_of_a_file_outside_the_store(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "Shared Claims.toml"
    base = new_assessment(store.bank, "Claims", now=NOW)
    store.save_file(path, base)
    loaded, _ = store.load_reference(str(path))
    Store(tmp_path, store.bank).save_file(path, answered(loaded, "runbook", "met"), base=loaded)
    result = store.save_file(path, answered(loaded, "runbook", "not-met"), base=loaded)
    assert result.path.parent == tmp_path
    assert result.path.name.startswith("Shared Claims-conflict-")
    assert load_assessment_file(result.path, store.bank).answers["runbook"].choice == "not-met"
    assert load_assessment_file(path, store.bank).answers["runbook"].choice == "met"


# ---------------------------------------------------------------------------- the guards


def test_the_folder_lock_keeps_a_second_writer_out_between_check_and_write(
    store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writer A has checked the file and is about to write when writer B saves: B must wait,
    then merge A's change, or A's write would wipe out B's answer."""
    fcntl = pytest.importorskip("fcntl", reason="the folder lock is flock")
    first, second = store, other_store(store)
    base_a, base_b = first.load(name), second.load(name)
    checked, done = threading.Event(), threading.Event()
    # B found the lock taken (and waits for it), or B is done: either way A may write now.
    b_held_or_done, b_held = threading.Event(), threading.Event()
    check = Store._changed_on_disk
    flock = fcntl.flock

    def slow_check(self: Store, path: Path, base: Assessment | None) -> Assessment | None:
        found = check(self, path, base)
        if self is first:
            checked.set()
            b_held_or_done.wait(5)  # B tries to save now
        return found

    def flock_telling_who_waits(descriptor: int, operation: int) -> None:
        if operation == fcntl.LOCK_EX:
            try:
                flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                b_held.set()  # only B can find it taken: A holds it
                b_held_or_done.set()
        flock(descriptor, operation)

    monkeypatch.setattr(Store, "_changed_on_disk", slow_check)
    monkeypatch.setattr(fcntl, "flock", flock_telling_who_waits)

    def save_b() -> None:
        checked.wait(5)
        try:
            second.save(name, answered(base_b, "runbook", "met"), base=base_b)
            done.set()
        finally:
            b_held_or_done.set()

    writer_b = threading.Thread(target=save_b)
    writer_b.start()
    first.save(name, answered(base_a, "success-criteria-agreed", "met"), base=base_a)
    writer_b.join(5)

    assert done.is_set()
    assert b_held.is_set(), "B was never held at the lock while A was between check and write"
    answers = store.load(name).answers
    assert {qid: answer.choice for qid, answer in answers.items()} == {
        "success-criteria-agreed": "met",
        "runbook": "met",
    }


def test_a_serializer_fault_never_reaches_the_disk(
    store: Store, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What is about to be written is read back and compared first: text that would not load
    as the very same assessment is refused, and the file stays as it was."""
    base = store.load(name)
    before = store.path_for(name).read_bytes()
    dumps = store_module.dumps_assessment

    def loses_the_notes(assessment: Assessment) -> str:
        return dumps(replace(assessment, answers={}))

    monkeypatch.setattr(store_module, "dumps_assessment", loses_the_notes)
    changed = answered(base, "runbook", "met", notes="kept on disk or not at all")

    with pytest.raises(RefusedSave, match="would not read back as it is"):
        store.save(name, changed, base=base)
    assert store.path_for(name).read_bytes() == before


def test_a_change_of_context_survives_a_save_from_another_writer(store: Store, name: str) -> None:
    """One writer sets the context while another answers a question: both are kept."""
    first, second = store, other_store(store)
    base_a, base_b = first.load(name), second.load(name)
    bank = store.bank
    context = {"system": ["llm-app"], "serves": ["internal"]}
    first.save(
        name,
        with_context(base_a, bank, context, reason="an internal helper, no tools", now=NOW),
        base=base_a,
    )

    result = second.save(name, answered(base_b, "runbook", "met"), base=base_b)

    assert result.conflicts == ()
    saved = store.load(name)
    assert saved.context == context
    assert [c.reason for c in saved.context_changes] == ["an internal helper, no tools"]
    assert saved.answers["runbook"].choice == "met"
