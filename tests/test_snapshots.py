"""Snapshot tests: how each screen looks at 80x24 and 120x40.

Deterministic by construction: a data folder of the test's own, named the same on every run,
fixed time stamps in the files, UTC, the dark theme pinned and not read from the user's settings,
and no focused text cursor.
Look at snapshot_report.html before accepting a change with --snapshot-update.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

import pytest
from helpers import app_for
from textual.pilot import Pilot
from textual.widgets import Input

from pilot_tui.core.assessment import Answer, new_assessment, with_answer, with_meta
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.core.milestones import add_milestone
from pilot_tui.store import Store, load_bank
from pilot_tui.store import workshop as store_workshop
from pilot_tui.store.workshop import Workshop, open_state, workshop_folder
from pilot_tui.ui import autosave
from pilot_tui.ui.app import PilotApp, WorkshopStart
from pilot_tui.ui.participant import ParticipantApp, VoteScreen

SnapCompare = Callable[..., bool]
SIZES = [(80, 24), (120, 40)]
FIXED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def utc() -> Iterator[None]:
    """The process's time zone is UTC during the test, and what it was again after it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()  # TZ is as it was: so is the time zone


@pytest.fixture
def fixed_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, utc: None) -> Store:
    # The empty state and the detail line show the data folder, so it must read the same on
    # every run: a path relative to the test's own folder, which is the working directory.
    monkeypatch.chdir(tmp_path)
    return Store(Path("pilot-tui-snapshots"), load_bank())


def fill(store: Store) -> str:
    """Two assessments, one half answered with notes, an owner and a due date."""
    bank = store.bank
    claims = new_assessment(
        bank,
        "Claims triage assistant",
        team="Claims AI",
        context={"system": ["llm-tools"], "serves": ["customers", "decisions"]},
        now=FIXED,
    )
    answers = {
        "success-criteria-agreed": Answer(choice="met", evidence="wiki/claims/criteria"),
        "eval-production-data": Answer(
            choice="partly", owner="Ana", due=date(2026, 12, 15), notes="Sampled 200 claims."
        ),
        "training-serving-skew": Answer(choice="unknown"),
        "operations-owner-named": Answer(choice="not-met", owner="Bo"),
        "runbook": Answer(choice="met"),
        "security-review": Answer(choice="met"),
        "cost-cap": Answer(choice="na", reason="Fixed-price contract"),
    }
    for question_id, answer in answers.items():
        claims = with_answer(claims, question_id, answer, now=FIXED)
    name = store.create(claims)
    store.create(new_assessment(bank, "Support chatbot", team="CX", now=FIXED))
    return name


async def settle(pilot: Pilot[None]) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class TestHome:
    @pytest.mark.parametrize("size", SIZES)
    def test_empty(
        self, snap_compare: SnapCompare, fixed_store: Store, size: tuple[int, int]
    ) -> None:
        assert snap_compare(app_for(fixed_store), terminal_size=size, run_before=settle)

    @pytest.mark.parametrize("size", [*SIZES, (160, 48)])
    def test_with_assessments(
        self, snap_compare: SnapCompare, fixed_store: Store, size: tuple[int, int]
    ) -> None:
        fill(fixed_store)
        (fixed_store.root / "broken.toml").write_text("not = [valid", encoding="utf-8")
        assert snap_compare(app_for(fixed_store), terminal_size=size, run_before=settle)


class TestInterview:
    @pytest.mark.parametrize("size", SIZES)
    def test_question(
        self, snap_compare: SnapCompare, fixed_store: Store, size: tuple[int, int]
    ) -> None:
        name = fill(fixed_store)
        assert snap_compare(app_for(fixed_store, name), terminal_size=size, run_before=settle)


class TestSummary:
    @pytest.mark.parametrize("size", SIZES)
    def test_summary(
        self, snap_compare: SnapCompare, fixed_store: Store, size: tuple[int, int]
    ) -> None:
        name = fill(fixed_store)
        assert snap_compare(
            app_for(fixed_store, name), terminal_size=size, press=["s"], run_before=settle
        )


def merged_workshop(fixed_store: Store) -> str:
    """Three people merged, a milestone, then a changed answer: disputes, don't knows, blockers
    and changes since the milestone."""
    bank = fixed_store.bank
    people = {
        "Ana": {"success-criteria-agreed": "met", "eval-production-data": "partly"},
        "Bo": {"success-criteria-agreed": "not-met", "eval-production-data": "partly"},
        "Cy": {"success-criteria-agreed": "met", "eval-production-data": "unknown"},
    }
    inputs = []
    for who, choices in people.items():
        own = with_meta(
            new_assessment(bank, "Claims triage assistant", now=FIXED),
            now=FIXED,
            respondent=who,
        )
        for question_id, choice in choices.items():
            own = with_answer(own, question_id, Answer(choice=choice), now=FIXED)
        inputs.append(MergeInput(f"{who.lower()}.toml", own))
    merged = add_milestone(merge(bank, inputs, now=FIXED), "Workshop 1", now=FIXED)
    merged = with_answer(merged, "eval-production-data", Answer(choice="met"), now=FIXED)
    return fixed_store.create(merged)


class TestWorkshop:
    def test_merged_with_a_milestone(self, snap_compare: SnapCompare, fixed_store: Store) -> None:
        """Who answered what beside the question, disputes and changes since the milestone on
        the card, trends."""
        name = merged_workshop(fixed_store)
        assert snap_compare(app_for(fixed_store, name), terminal_size=(120, 40), run_before=settle)

    def test_the_narrow_summary_line_keeps_the_disputes(
        self, snap_compare: SnapCompare, fixed_store: Store
    ) -> None:
        """At 80x24 the card is two lines over the question: blockers, disputes and don't
        knows come before the coverage, so a cut end never hides a dispute."""
        name = merged_workshop(fixed_store)
        assert snap_compare(app_for(fixed_store, name), terminal_size=(80, 24), run_before=settle)


class TestNewDialog:
    def test_at_60x20_the_buttons_stay_in_sight(
        self, snap_compare: SnapCompare, fixed_store: Store
    ) -> None:
        async def open_dialog(pilot: Pilot[None]) -> None:
            await settle(pilot)
            await pilot.press("n")
            await pilot.pause()

        assert snap_compare(app_for(fixed_store), terminal_size=(60, 20), run_before=open_dialog)


class TestLiveWorkshop:
    """The facilitator's projector screen while the room votes and after the reveal, and a
    participant's page; the join code, the round and the clock are fixed."""

    OPENED = FIXED.timestamp()

    def facilitator(self, store: Store) -> PilotApp:
        name = store.create(new_assessment(store.bank, "Claims triage assistant", now=FIXED))
        path = store.path_for(name)
        workshop = Workshop(workshop_folder(path))
        state = open_state(workshop, "success-criteria-agreed", now=self.OPENED)
        state = replace(state, code="482913", round="r1")
        workshop.write_state(state)
        votes = {"Ana Lima": "met", "Bo Chen": "not-met", "Cara Diaz": None}
        for person, choice in votes.items():
            seat = workshop.join(person, state.code)
            if choice is not None:
                seat.vote(state.question, choice, state.round)
        return PilotApp(
            store,
            open_name=name,
            open_path=path,
            open_assessment=store.load(name),
            remember_theme=False,
            # 75 seconds into the question's three minutes.
            workshop=WorkshopStart(
                workshop, state, "http://127.0.0.1:8000", clock=lambda: self.OPENED + 75
            ),
        )

    @pytest.mark.parametrize("size", SIZES)
    def test_the_room_votes(
        self, snap_compare: SnapCompare, fixed_store: Store, size: tuple[int, int]
    ) -> None:
        app = self.facilitator(fixed_store)
        assert snap_compare(app, terminal_size=size, run_before=settle)

    @pytest.mark.parametrize("size", SIZES)
    def test_the_votes_revealed(
        self,
        snap_compare: SnapCompare,
        fixed_store: Store,
        size: tuple[int, int],
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        app = self.facilitator(fixed_store)

        class SavedAt(datetime):
            @classmethod
            def now(cls, tz: tzinfo | None = None) -> SavedAt:
                return cls(2026, 11, 2, 9, 31, 15)

        # The header says when the votes were saved: at a fixed time, on every run.
        monkeypatch.setattr(autosave, "datetime", SavedAt)

        async def reveal(pilot: Pilot[None]) -> None:
            await pilot.press("r")
            # The votes go into the assessment: saved now, not whenever the autosave's timer
            # fires, so the header's save indicator reads the same on every run.
            app.flush_save()
            await settle(pilot)

        assert snap_compare(app, terminal_size=size, run_before=reveal)

    def test_a_participant_has_voted(
        self, snap_compare: SnapCompare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(store_workshop, "new_pin", lambda: "4821")
        workshop = Workshop(tmp_path / "claims.workshop")
        state = open_state(workshop, "success-criteria-agreed", now=self.OPENED)
        workshop.write_state(replace(state, code="482913", round="r1"))

        async def join_and_vote(pilot: Pilot[None]) -> None:
            await pilot.pause(0.2)
            pilot.app.screen.query_one("#name", Input).value = "Ana Lima"
            pilot.app.screen.query_one("#code", Input).value = "482913"
            await pilot.click("#join-button")
            await pilot.pause(0.5)
            assert isinstance(pilot.app.screen, VoteScreen)
            await pilot.press("2")
            await pilot.pause(0.3)

        app = ParticipantApp(workshop, load_bank())
        assert snap_compare(app, terminal_size=(80, 24), run_before=join_and_vote)
