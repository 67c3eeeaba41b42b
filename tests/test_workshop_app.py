"""The facilitator's workshop screen and the participant's app, driven as people would."""

from __future__ import annotations

from pathlib import Path

from helpers import capture_notices, wait_until
from textual import events
from textual.content import Content
from textual.widgets import Input, Static

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.core.bank import Bank
from pilot_tui.core.workshop import open_question, reveal
from pilot_tui.store import Store
from pilot_tui.store.workshop import Workshop, open_state, workshop_folder
from pilot_tui.ui.app import PilotApp, WorkshopStart
from pilot_tui.ui.participant import ParticipantApp, VoteScreen
from pilot_tui.ui.screens.workshop import WorkshopScreen
from pilot_tui.ui.widgets.choice_list import ChoiceList

FIRST = "success-criteria-agreed"
SECOND = "eval-production-data"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def facilitator(store: Store, *, clock: Clock | None = None, **settings: object) -> PilotApp:
    name = "claims"
    if not store.exists(name):
        store.create(new_assessment(store.bank, "Claims bot", now=now_utc()), name)
    path = store.path_for(name)
    workshop = Workshop(workshop_folder(path))
    clock = clock or Clock()
    state = open_state(workshop, FIRST, now=clock(), **settings)  # type: ignore[arg-type]
    return PilotApp(
        store,
        open_name=name,
        open_path=path,
        open_assessment=store.load(name),
        remember_theme=False,
        workshop=WorkshopStart(workshop, state, "http://127.0.0.1:8000", clock=clock),
    )


def board(app: PilotApp) -> str:
    return str(app.screen.query_one("#board", Static).render())


def board_shown_whole(app: PilotApp) -> bool:
    """Whether the board's box is as tall as its text: it is re-laid out only when that changes."""
    widget = app.screen.query_one("#board", Static)
    text = widget.render()
    assert isinstance(text, Content)
    height = text.get_height(widget.styles.get_rules(), widget.content_region.width)
    return widget.content_region.height == height


def bar(app: PilotApp) -> str:
    return str(app.screen.query_one("#workshop-bar", Static).render())


def workshop_of(app: PilotApp) -> Workshop:
    screen = app.screen
    assert isinstance(screen, WorkshopScreen)
    return screen.workshop


async def test_the_room_votes_privately_then_sees_the_votes_and_decides(store: Store) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)) as pilot:
        workshop = workshop_of(app)
        state = workshop.read_state()
        assert state.code in bar(app) and "http://127.0.0.1:8000" in bar(app)
        ana = workshop.join("Ana", state.code)
        bo = workshop.join("Bo", state.code)
        workshop.join("Cy", state.code)
        ana.vote(FIRST, "met", state.round)
        bo.vote(FIRST, "not-met", state.round)
        await wait_until(lambda: "2 of 3 voted" in board(app))
        assert board_shown_whole(app)
        # Who voted, never what.
        assert "✓ Ana" in board(app) and "· Cy" in board(app)
        assert "In place" not in board(app) and "Not in place" not in board(app)
        assert "3 joined" in bar(app)
        # A room filling up wraps the names onto more lines: the board grows to show them all.
        for number in range(12):
            workshop.join(f"Participant number {number}", state.code)
        await wait_until(lambda: "15 joined" in bar(app))
        await pilot.pause()
        assert board_shown_whole(app)
        # The team's answer waits for the reveal: votes seen early sway people.
        await pilot.press("1")
        assert store.load("claims").answers == {}
        await pilot.press("r")
        assert "Ana" in board(app) and "Bo" in board(app)
        assert "spread 100%" in board(app)
        assert "Suggested team answer: Not in place" in board(app)
        await pilot.pause()
        assert board_shown_whole(app)
        assert workshop.read_state().phase == "reveal"
        await pilot.press("2")
        assert workshop.read_state().phase == "decide"
        await pilot.press("n")
        moved = workshop.read_state()
        assert (moved.question, moved.phase) == (SECOND, "vote")
        assert moved.round != state.round
    saved = store.load("claims")
    assert saved.answers[FIRST].choice == "partly"
    assert saved.participants["ana"].answers[FIRST].choice == "met"
    assert saved.participants["bo"].answers[FIRST].choice == "not-met"
    assert "cy" not in saved.participants  # joined, did not vote


async def test_an_anonymous_reveal_shows_counts_without_names(store: Store) -> None:
    app = facilitator(store, anonymous=True)
    async with app.run_test(size=(100, 40)) as pilot:
        workshop = workshop_of(app)
        state = workshop.read_state()
        workshop.join("Ana", state.code).vote(FIRST, "met", state.round)
        await wait_until(lambda: "1 of 1 voted" in board(app))
        await pilot.press("r")
        assert "1 vote" in board(app) and "Ana" not in board(app)
        await pilot.press("a")
        assert "Ana" in board(app)


async def test_the_timebox_counts_down_and_says_when_time_is_up(store: Store) -> None:
    clock = Clock()
    app = facilitator(store, clock=clock, timebox=120)
    async with app.run_test(size=(100, 40)) as pilot:
        notices = capture_notices(app)
        assert "2:00 left" in bar(app)
        clock.now += 75
        await wait_until(lambda: "0:45 left" in bar(app), timeout=3)
        clock.now += 60
        await wait_until(lambda: "Time is up (0:15 over)" in bar(app), timeout=3)
        await wait_until(lambda: any("Time is up" in n.message for n in notices), timeout=3)
        # Nothing stops: the room can still vote and the facilitator reveal.
        await pilot.press("plus")
        assert workshop_of(app).read_state().timebox == 180
        assert "0:45 left" in bar(app)


async def test_a_show_of_hands_is_counted_and_kept_in_the_notes(store: Store) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("h")
        await wait_until(lambda: bool(app.screen.query("#hands-met")))
        app.screen.query_one("#hands-met", Input).value = "4"
        app.screen.query_one("#hands-partly", Input).value = "1"
        await pilot.click("#accept")
        await wait_until(lambda: "and 5 by show of hands" in board(app))
        await pilot.press("r")
        assert "5 votes" in board(app)
        assert "Suggested team answer: In place" in board(app)
        await pilot.press("enter")  # takes the suggestion
    saved = store.load("claims")
    assert saved.answers[FIRST].choice == "met"
    assert (
        "Show of hands: 4 In place and evidenced, 1 Partly in place." in saved.answers[FIRST].notes
    )


async def test_a_restarted_facilitator_resumes_where_the_workshop_was(store: Store) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)):
        workshop = workshop_of(app)
    state = workshop.read_state()
    workshop.write_state(reveal(open_question(state, SECOND, now=0), {"Ana": "not-met"}))
    again = facilitator(store)
    async with again.run_test(size=(100, 40)):
        screen = again.screen
        assert isinstance(screen, WorkshopScreen)
        assert screen.session.question(screen.position).id == SECOND
        assert "Ana" in board(again) and "Not in place" in board(again)
        assert workshop.read_state().code == state.code


async def test_a_garbage_ballot_is_named_in_a_warning_and_not_counted(store: Store) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)):
        notices = capture_notices(app)
        workshop = workshop_of(app)
        (workshop.ballots_folder / "mallory.toml").write_text("votes = [1, 2")
        await wait_until(lambda: any("mallory.toml" in n.message for n in notices))
        notice = next(n for n in notices if "mallory.toml" in n.message)
        assert notice.severity == "warning" and "not valid TOML" in notice.message
        assert "0 of 0 voted" in board(app)


async def test_a_vote_no_question_offers_is_not_counted_and_saving_goes_on(
    store: Store,
) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)) as pilot:
        notices = capture_notices(app)
        workshop = workshop_of(app)
        state = workshop.read_state()
        workshop.join("Ana", state.code).vote(FIRST, "met", state.round)
        # A ballot written by hand (or by a participant using another bank).
        (workshop.ballots_folder / "bogus.toml").write_text(
            f'name = "Bogus"\n[votes.{FIRST}]\nchoice = "banana"\nround = "{state.round}"\n'
        )
        await wait_until(lambda: any("banana" in n.message for n in notices))
        assert "1 of 2 voted" in board(app) and "· Bogus" in board(app)
        await pilot.press("r", "enter")
        app.flush_save()
    saved = store.load("claims")
    assert saved.participants["ana"].answers[FIRST].choice == "met"
    assert "bogus" not in saved.participants
    assert saved.answers[FIRST].choice == "met"


async def test_the_workshop_fits_a_small_terminal(store: Store) -> None:
    app = facilitator(store)
    async with app.run_test(size=(80, 24)):
        assert "Join at" in bar(app)
        assert app.screen.query_one("#board").region.height > 0


# ---------------------------------------------------------------------------- participants


async def test_a_participant_joins_votes_and_sees_the_votes_only_after_the_reveal(
    tmp_path: Path, bank: Bank
) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    state = open_state(workshop, FIRST, now=0)
    workshop.join("Bo", state.code).vote(FIRST, "not-met", state.round)
    app = ParticipantApp(workshop, bank)
    async with app.run_test(size=(60, 30)) as pilot:
        app.screen.query_one("#name", Input).value = "Ana"
        app.screen.query_one("#code", Input).value = "999999" if state.code != "999999" else "1"
        await pilot.click("#join-button")
        assert "not the join code" in str(app.screen.query_one("#join-error", Static).render())
        code = app.screen.query_one("#code", Input)
        code.value = state.code
        code.focus()
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, VoteScreen))
        await wait_until(lambda: "Production success criteria" in _shown(app, "#vote-title"))
        assert "Bo" not in _shown(app, "#vote-tally")
        await pilot.press("1")
        assert "Your vote: In place" in _shown(app, "#vote-status")
        assert workshop.read_ballot("Ana") is not None
        ballot = workshop.read_ballot("Ana")
        assert ballot is not None and ballot.votes[FIRST].choice == "met"
        # The facilitator reveals: the room's votes show, and voting is closed.
        workshop.write_state(reveal(state, {"Ana": "met", "Bo": "not-met"}))
        await wait_until(lambda: "Bo" in _shown(app, "#vote-tally"))
        await pilot.press("4")
        ballot = workshop.read_ballot("Ana")
        assert ballot is not None and ballot.votes[FIRST].choice == "met"
        # The facilitator moves on: the next question, with no vote yet.
        workshop.write_state(open_question(workshop.read_state(), SECOND, now=1))
        await wait_until(lambda: "Evaluation on real" in _shown(app, "#vote-title"))
        await wait_until(lambda: "Vote with the number keys" in _shown(app, "#vote-status"))


async def test_a_vote_for_a_question_the_facilitator_left_is_not_recorded(
    tmp_path: Path, bank: Bank
) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    state = open_state(workshop, FIRST, now=0)
    app = ParticipantApp(workshop, bank)
    async with app.run_test(size=(60, 30)) as pilot:
        app.screen.query_one("#name", Input).value = "Ana"
        app.screen.query_one("#code", Input).value = state.code
        await pilot.click("#join-button")
        await wait_until(lambda: isinstance(app.screen, VoteScreen))
        screen = app.screen
        assert isinstance(screen, VoteScreen)
        await wait_until(lambda: screen.state is not None)
        # The facilitator moves on between the screen being drawn and the key.
        workshop.write_state(open_question(state, SECOND, now=1))
        screen.action_vote(1)
        ballot = workshop.read_ballot("Ana")
        assert ballot is not None and ballot.votes == {}


def _shown(app: ParticipantApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_a_participant_typing_at_paste_speed_joins_with_the_right_name_and_code(
    tmp_path: Path, bank: Bank
) -> None:
    # Every key arrives before the app has handled the first: Enter must still move on first.
    workshop = Workshop(tmp_path / "claims.workshop")
    state = open_state(workshop, FIRST, now=0)
    app = ParticipantApp(workshop, bank)
    async with app.run_test(size=(60, 30)) as pilot:
        await pilot.pause()
        for character in f"Ana\r{state.code}\r":
            key = "enter" if character == "\r" else character
            app.post_message(events.Key(key, character))
        await wait_until(lambda: isinstance(app.screen, VoteScreen))
        assert workshop.read_ballot("Ana") is not None
        assert workshop.wrong_codes() == 0


async def test_on_a_phone_every_choice_shows_and_a_tap_picks_the_one_under_it(
    tmp_path: Path, bank: Bank
) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    state = open_state(workshop, FIRST, now=0)
    app = ParticipantApp(workshop, bank)
    async with app.run_test(size=(36, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one("#name", Input).value = "Ana"
        app.screen.query_one("#code", Input).value = state.code
        await pilot.click("#join-button")
        await wait_until(lambda: isinstance(app.screen, VoteScreen))
        await wait_until(lambda: "Production success criteria" in _shown(app, "#vote-title"))
        await pilot.pause()
        choices = app.screen.query_one(ChoiceList)
        # "Planned, with an owner and a due date" wraps: five choices take more than five lines.
        assert choices.region.height > 5
        await pilot.click(ChoiceList, offset=(4, choices.region.height - 1))
        assert "Your vote: Don't know" in _shown(app, "#vote-status")
        # After a reveal and the next question, the arrows and Enter work again.
        workshop.write_state(reveal(workshop.read_state(), {"Ana": "unknown"}))
        await wait_until(lambda: "Revealed" in _shown(app, "#vote-status"))
        workshop.write_state(open_question(workshop.read_state(), SECOND, now=1))
        await wait_until(lambda: "Vote with the number keys" in _shown(app, "#vote-status"))
        await pilot.press("down", "enter")
        assert "Your vote: Partly in place" in _shown(app, "#vote-status")


async def test_voting_again_drops_the_last_rounds_votes_from_the_assessment(
    store: Store,
) -> None:
    app = facilitator(store)
    async with app.run_test(size=(100, 40)) as pilot:
        workshop = workshop_of(app)
        state = workshop.read_state()
        ana = workshop.join("Ana", state.code)
        ana.vote(FIRST, "met", state.round)
        await wait_until(lambda: "1 of 1 voted" in board(app))
        await pilot.press("r", "1")
        assert app.session is not None
        assert app.session.assessment.participants["ana"].answers[FIRST].choice == "met"
        await pilot.press("v")
        again = workshop.read_state()
        assert (again.phase, again.round != state.round) == ("vote", True)
        assert FIRST not in app.session.assessment.participants["ana"].answers
        ana.vote(FIRST, "partly", again.round)
        await wait_until(lambda: "1 of 1 voted" in board(app))
        await pilot.press("r")
        app.flush_save()
    saved = store.load("claims")
    assert saved.participants["ana"].answers[FIRST].choice == "partly"
