"""A live workshop's rules and files: the tally, rounds, joining, ballots, resuming."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from helpers import Cli

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.core.bank import Bank
from pilot_tui.core.workshop import (
    MAX_WRONG_CODES,
    Ballot,
    Outcome,
    Vote,
    current_votes,
    open_question,
    reveal,
    start_state,
    tally,
    votable_choices,
    vote_again,
    with_hands,
    with_votes,
)
from pilot_tui.store import Store, StoreError
from pilot_tui.store import workshop as store_workshop
from pilot_tui.store.workshop import (
    JoinRefused,
    Workshop,
    join_url,
    open_state,
    workshop_folder,
)
from pilot_tui.ui.widgets.tally import tally_lines

QUESTION = "success-criteria-agreed"
OTHER = "eval-production-data"


def question(bank: Bank, question_id: str = QUESTION):  # type: ignore[no-untyped-def]
    return bank.question_index()[question_id][1]


@pytest.fixture
def workshop(tmp_path: Path) -> Workshop:
    found = Workshop(workshop_folder(tmp_path / "claims.toml"))
    open_state(found, QUESTION, now=1000.0)
    return found


# ---------------------------------------------------------------------------- the tally


def test_the_tally_counts_each_choice_with_names_the_spread_and_the_unknowns(bank: Bank) -> None:
    outcome = Outcome(votes={"Ana": "met", "Bo": "not-met", "Cy": "unknown", "Dee": "met"})
    result = tally(bank, question(bank), outcome)
    counts = {row.choice.id: (row.count, row.names) for row in result.counts}
    assert counts["met"] == (2, ("Ana", "Dee"))
    assert counts["not-met"] == (1, ("Bo",))
    assert counts["partly"] == (0, ())
    assert result.total == 4
    assert result.unknown == 1
    assert result.spread == 1.0
    assert result.distinct == 3
    assert result.suggested == "met"


def test_different_answers_worth_the_same_are_not_called_agreement(bank: Bank) -> None:
    # "Not in place" and "don't know" both score 0: no spread, but the room did not agree.
    result = tally(bank, question(bank), Outcome(votes={"Ana": "not-met", "Bo": "unknown"}))
    assert (result.spread, result.distinct) == (0.0, 2)
    shown = str(tally_lines(result, names=True))
    assert "different answers worth the same" in shown and "all the same" not in shown
    alike = tally(bank, question(bank), Outcome(votes={"Ana": "met", "Bo": "met"}))
    assert "2 votes, all the same." in str(tally_lines(alike, names=True))


def test_a_tie_suggests_the_more_cautious_answer_as_the_merge_does(bank: Bank) -> None:
    result = tally(bank, question(bank), Outcome(votes={"Ana": "met", "Bo": "partly"}))
    assert result.suggested == "partly"
    assert result.spread == 0.5


def test_a_show_of_hands_adds_to_the_votes_without_names(bank: Bank) -> None:
    hands = with_hands(bank, question(bank), {"not-met": 3, "met": 0})
    assert hands == {"not-met": 3}
    result = tally(bank, question(bank), Outcome(votes={"Ana": "met"}, hands=hands))
    assert result.total == 4
    assert result.suggested == "not-met"
    row = next(row for row in result.counts if row.choice.id == "not-met")
    assert (row.count, row.names) == (3, ())


def test_hands_for_a_choice_that_is_not_a_vote_are_refused(bank: Bank) -> None:
    with pytest.raises(ValueError, match="not a vote"):
        with_hands(bank, question(bank), {"na": 2})
    with pytest.raises(ValueError, match="0 to"):
        with_hands(bank, question(bank), {"met": 10**6})


def test_not_applicable_is_the_rooms_decision_not_a_vote(bank: Bank) -> None:
    ids = [choice.id for choice in votable_choices(bank, question(bank))]
    assert "na" not in ids and "met" in ids


def test_no_votes_suggest_nothing(bank: Bank) -> None:
    result = tally(bank, question(bank), Outcome())
    assert (result.total, result.suggested, result.spread) == (0, None, 0)


# ---------------------------------------------------------------------------- rounds


def test_only_votes_cast_in_the_current_round_count(bank: Bank) -> None:
    state = start_state(QUESTION, now=0, timebox=180, anonymous=False, limit=30)
    ballots = [
        Ballot(name="Ana", votes={QUESTION: Vote(choice="met", round=state.round)}),
        # Written by hand before the question was opened: another round's token.
        Ballot(name="Bo", votes={QUESTION: Vote(choice="not-met", round="guessed")}),
        Ballot(name="Cy", votes={OTHER: Vote(choice="met", round=state.round)}),
    ]
    assert current_votes(bank, question(bank), state, ballots) == ({"Ana": "met"}, [])


def test_a_vote_that_is_no_choice_of_the_question_is_named_and_not_counted(bank: Bank) -> None:
    # Counted, it would make the assessment fail to save from then on.
    state = start_state(QUESTION, now=0, timebox=180, anonymous=False, limit=30)
    ballots = [
        Ballot(name="Ana", votes={QUESTION: Vote(choice="met", round=state.round)}),
        Ballot(name="Bogus", votes={QUESTION: Vote(choice="banana", round=state.round)}),
        # Not applicable needs a reason: the room decides it, nobody votes it.
        Ballot(name="Cy", votes={QUESTION: Vote(choice="na", round=state.round)}),
    ]
    votes, refused = current_votes(bank, question(bank), state, ballots)
    assert votes == {"Ana": "met"}
    assert refused == [
        "Bogus's vote 'banana' is not a choice of this question",
        "Cy's vote 'na' is not a choice of this question",
    ]


def test_a_reveal_freezes_the_votes_and_a_later_visit_shows_them_to_decide() -> None:
    state = start_state(QUESTION, now=0, timebox=180, anonymous=False, limit=30)
    revealed = reveal(state, {"Ana": "met"})
    assert revealed.phase == "reveal"
    assert revealed.outcomes[QUESTION].votes == {"Ana": "met"}
    moved = open_question(revealed, OTHER, now=10)
    assert (moved.phase, moved.question) == ("vote", OTHER)
    assert moved.round != revealed.round
    back = open_question(moved, QUESTION, now=20)
    assert back.phase == "decide"
    again = vote_again(back, now=30)
    assert again.phase == "vote" and QUESTION not in again.outcomes


def test_a_question_left_before_its_reveal_keeps_its_votes_for_the_return() -> None:
    state = start_state(QUESTION, now=0, timebox=180, anonymous=False, limit=30)
    away = open_question(state, OTHER, now=10)  # p or n before the reveal
    assert away.round != state.round
    back = open_question(away, QUESTION, now=20)
    assert (back.phase, back.round) == ("vote", state.round)  # the votes cast count again
    assert back.rounds == {OTHER: away.round}
    # Once revealed, a question is decided on a return, not voted afresh.
    assert open_question(reveal(back, {}), OTHER, now=30).round == away.round


def test_votes_become_the_participants_answers_and_a_new_round_replaces_the_last(
    bank: Bank,
) -> None:
    assessment = new_assessment(bank, "Claims bot", now=now_utc())
    first = with_votes(assessment, QUESTION, {"Ana": "met", "Bo": "partly"}, now=now_utc())
    assert first.participants["ana"].answers[QUESTION].choice == "met"
    assert first.participants["bo"].answers[QUESTION].choice == "partly"
    second = with_votes(first, QUESTION, {"Ana": "not-met"}, now=now_utc())
    assert second.participants["ana"].answers[QUESTION].choice == "not-met"
    assert QUESTION not in second.participants["bo"].answers
    assert second.answers == {}, "votes never set the team's answer by themselves"


# ---------------------------------------------------------------------------- joining


def test_joining_with_the_code_writes_an_empty_ballot(workshop: Workshop) -> None:
    seat = workshop.join("  Ana   Lopez ", workshop.read_state().code)
    assert seat.name == "Ana Lopez"
    assert len(seat.ballot.pin) == 4 and seat.ballot.pin.isdigit()
    assert workshop.read_ballot("Ana Lopez") == Ballot(name="Ana Lopez", pin=seat.ballot.pin)
    assert oct(os.stat(workshop.ballot_path("Ana Lopez")).st_mode & 0o777) == "0o600"


def test_a_wrong_code_is_refused_and_counted(workshop: Workshop) -> None:
    with pytest.raises(JoinRefused, match="not the join code"):
        workshop.join("Ana", "000000" if workshop.read_state().code != "000000" else "111111")
    assert workshop.wrong_codes_now(workshop.read_state()) == 1
    assert workshop.ballots() == ([], [])


def test_guessing_closes_joining_until_a_new_code(workshop: Workshop) -> None:
    state = workshop.read_state()
    wrong = "000000" if state.code != "000000" else "111111"
    for _ in range(MAX_WRONG_CODES):
        with pytest.raises(JoinRefused):
            workshop.join("Mallory", wrong)
    with pytest.raises(JoinRefused, match="too many wrong codes"):
        workshop.join("Ana", state.code)  # even the right code, now
    from dataclasses import replace

    workshop.write_state(replace(state, code="424242", wrong_codes_before=workshop.wrong_codes()))
    assert workshop.join("Ana", "424242").name == "Ana"


def test_a_second_person_with_the_same_name_is_refused_while_the_first_is_in(
    workshop: Workshop,
) -> None:
    code = workshop.read_state().code
    first = workshop.join("Ana", code)
    with pytest.raises(JoinRefused, match="already joined"):
        workshop.join("ANA", code)
    first.vote(QUESTION, "met", workshop.read_state().round)
    first.leave()  # the browser closed
    back = workshop.join("Ana", code, first.ballot.pin)
    assert back.ballot.votes[QUESTION].choice == "met", "votes come back on reconnecting"


def test_coming_back_to_a_seat_needs_its_pin(workshop: Workshop) -> None:
    # Without it, anyone could take a seat (and change its secret vote) while its owner is away,
    # by typing a name that reads the same: "ANA", "Ana 😀".
    code = workshop.read_state().code
    first = workshop.join("Ana", code)
    first.vote(QUESTION, "met", workshop.read_state().round)
    first.leave()
    for name, pin in (
        ("ANA", ""),
        ("Ana 😀", ""),
        ("Ana", "0000" if first.ballot.pin != "0000" else "1111"),
    ):
        with pytest.raises(JoinRefused, match="type the seat PIN"):
            workshop.join(name, code, pin)
    # An empty PIN is a question, not a guess; a wrong one counts as a wrong code.
    assert workshop.wrong_codes_now(workshop.read_state()) == 1
    back = workshop.join("ana", code, f" {first.ballot.pin} ")
    assert back.name == "Ana" and back.ballot.votes[QUESTION].choice == "met"


def test_an_empty_or_short_code_is_a_slip_not_a_guess(workshop: Workshop) -> None:
    for slip in ("", "  ", "12345", "1234567", "abcdef"):
        with pytest.raises(JoinRefused, match="6-digit join code"):
            workshop.join("Ana", slip)
    assert workshop.wrong_codes_now(workshop.read_state()) == 0


def test_a_second_facilitator_is_refused_while_the_first_runs(workshop: Workshop) -> None:
    held = workshop.hold_facilitator()
    with pytest.raises(StoreError, match="another facilitator's screen"):
        workshop.hold_facilitator()
    held.release()
    workshop.hold_facilitator().release()


def test_more_participants_than_the_limit_are_refused(tmp_path: Path) -> None:
    workshop = Workshop(tmp_path / "small.workshop")
    state = open_state(workshop, QUESTION, now=0, limit=2)
    workshop.join("Ana", state.code)
    workshop.join("Bo", state.code)
    with pytest.raises(JoinRefused, match=r"full \(2 participants\)"):
        workshop.join("Cy", state.code)


@pytest.mark.parametrize(
    "name", ["", "   ", "x" * 61, "Eve\x1b]0;owned\x07", "Eve\u202eevil", "Zero\u200bwidth"]
)
def test_names_that_are_not_one_printable_line_are_refused(workshop: Workshop, name: str) -> None:
    with pytest.raises(JoinRefused):
        workshop.join(name, workshop.read_state().code)
    assert workshop.ballots() == ([], [])


def test_a_name_with_markup_is_kept_as_written(workshop: Workshop) -> None:
    seat = workshop.join("[bold red]Eve[/]", workshop.read_state().code)
    assert workshop.ballots()[0] == [Ballot(name="[bold red]Eve[/]", pin=seat.ballot.pin)]
    assert seat.name == "[bold red]Eve[/]"


def test_joining_before_the_workshop_started_says_so(tmp_path: Path) -> None:
    with pytest.raises(JoinRefused, match="not started"):
        Workshop(tmp_path / "none.workshop").join("Ana", "123456")


# ---------------------------------------------------------------------------- ballots


def test_garbage_ballots_are_named_and_not_counted(workshop: Workshop) -> None:
    code = workshop.read_state().code
    workshop.join("Ana", code).vote(QUESTION, "met", workshop.read_state().round)
    folder = workshop.ballots_folder
    (folder / "junk.toml").write_bytes(b"\x00\xff not toml")
    (folder / "typed.toml").write_text('name = "Typed"\nvotes = "all of them"\n')
    # A ballot in another's name, to vote twice.
    (folder / "bo.toml").write_text('name = "Ana"\n')
    ballots, problems = workshop.ballots()
    assert [ballot.name for ballot in ballots] == ["Ana"]
    assert len(problems) == 3
    assert any("junk.toml" in line and "UTF-8" in line for line in problems)
    assert any("typed.toml" in line for line in problems)
    assert any("bo.toml" in line and "ballot of 'Ana'" in line for line in problems)
    assert all("\n" not in line for line in problems)


def test_a_huge_ballot_is_refused_without_reading_it_all(workshop: Workshop) -> None:
    workshop.ballots_folder.mkdir(exist_ok=True)
    (workshop.ballots_folder / "big.toml").write_bytes(b"#" * (1024 * 1024))
    ballots, problems = workshop.ballots()
    assert ballots == [] and "limit" in problems[0]


def test_a_named_pipe_among_the_ballots_does_not_hang(workshop: Workshop) -> None:
    os.mkfifo(workshop.ballots_folder / "pipe.toml")
    assert workshop.ballots() == ([], [])  # not a file: not a ballot


# ---------------------------------------------------------------------------- resuming


def test_a_restart_resumes_the_state_with_the_settings_given(tmp_path: Path) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    first = open_state(workshop, QUESTION, now=0)
    moved = reveal(open_question(first, OTHER, now=5), {"Ana": "met"})
    workshop.write_state(moved)
    resumed = open_state(workshop, QUESTION, now=99, timebox=300, anonymous=True)
    assert resumed.question == OTHER and resumed.phase == "reveal"
    assert resumed.code == first.code
    assert (resumed.timebox, resumed.anonymous) == (300, True)


def test_an_unreadable_state_is_never_overwritten(tmp_path: Path) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    workshop.create_folders()
    workshop.state_path.write_text("question = [broken")
    with pytest.raises(StoreError, match=r"state\.toml: not valid TOML.*move the file away"):
        open_state(workshop, QUESTION, now=0)
    assert workshop.state_path.read_text() == "question = [broken"


@pytest.mark.parametrize("moment", ["nan", "inf", "1e308", "-1.0"])
def test_a_hand_edited_moment_that_is_no_time_is_refused_not_a_crash(
    tmp_path: Path, moment: str
) -> None:
    workshop = Workshop(tmp_path / "claims.workshop")
    open_state(workshop, QUESTION, now=1000)
    text = workshop.state_path.read_text()
    edited = "\n".join(
        f"opened = {moment}" if line.startswith("opened") else line for line in text.splitlines()
    )
    workshop.state_path.write_text(edited)
    with pytest.raises(StoreError, match="opened: a moment is seconds since 1970") as refused:
        open_state(workshop, QUESTION, now=0)
    assert "\n" not in str(refused.value)
    assert workshop.state_path.read_text() == edited


def test_settings_out_of_range_are_refused_in_one_line(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="participant limit"):
        open_state(Workshop(tmp_path / "w.workshop"), QUESTION, now=0, limit=0)
    with pytest.raises(StoreError, match="timebox"):
        open_state(Workshop(tmp_path / "w.workshop"), QUESTION, now=0, timebox=5)


# ---------------------------------------------------------------------------- the address


def test_the_join_address_is_one_participants_can_reach(monkeypatch: pytest.MonkeyPatch) -> None:
    assert join_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert join_url("::1", 8001) == "http://[::1]:8001"
    # Listening on every interface: "0.0.0.0" in a phone's browser is the phone itself.
    monkeypatch.setattr(store_workshop, "own_address", lambda ipv6=False: "192.168.4.20")
    assert join_url("0.0.0.0", 8000) == "http://192.168.4.20:8000"


def test_this_machines_own_address_is_never_a_wildcard() -> None:
    found = store_workshop.own_address()
    assert found and found not in ("0.0.0.0", "") and not found.startswith("127.")


def test_serve_gives_the_page_the_address_participants_reach(
    cli: Cli, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_module = pytest.importorskip("textual_serve.server")
    store.create(new_assessment(store.bank, "Claims bot", now=now_utc()), "claims")
    started: list[dict[str, object]] = []

    class Recorded:
        def __init__(self, command: str, **settings: object) -> None:
            started.append({"command": command, **settings})

        def serve(self) -> None:
            pass

    monkeypatch.setattr(server_module, "Server", Recorded)
    monkeypatch.setattr(store_workshop, "own_address", lambda ipv6=False: "192.168.4.20")
    result = cli("serve", "claims", "--host", "0.0.0.0", "--port", "8123")
    assert result.code == 0
    assert started[0]["public_url"] == "http://192.168.4.20:8123"
    assert started[0]["host"] == "0.0.0.0"
    assert "pilot_tui.ui.participant" in str(started[0]["command"])
    line = result.err.strip()
    assert "\n" not in line and "http://192.168.4.20:8123" in line and "not encrypted" in line
    result = cli("serve", "claims", "--port", "8124")
    assert started[1]["public_url"] == "http://127.0.0.1:8124" and result.err == ""


async def test_the_server_refuses_pages_beyond_its_cap_before_starting_their_apps() -> None:
    server_module = pytest.importorskip("textual_serve.server")
    from pilot_tui.cli.workshop import capped

    started: list[str] = []
    release = asyncio.Event()

    class Stub(server_module.Server):  # type: ignore[misc,name-defined]
        async def handle_websocket(self, request: object) -> str:
            started.append("app")  # where textual-serve would start a participant's process
            await release.wait()
            return "closed"

    server = capped(Stub, sessions=2)("true", host="127.0.0.1", port=9)
    first = asyncio.create_task(server.handle_websocket(None))
    second = asyncio.create_task(server.handle_websocket(None))
    await asyncio.sleep(0.01)
    refused = await server.handle_websocket(None)
    assert refused.status == 503 and started == ["app", "app"]
    release.set()
    assert await first == await second == "closed"
    # Closed pages free their places.
    release.clear()
    third = asyncio.create_task(server.handle_websocket(None))
    await asyncio.sleep(0.01)
    assert started == ["app", "app", "app"]
    release.set()
    await third
