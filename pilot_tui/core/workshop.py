"""A live workshop's rules: the facilitator's state, each participant's ballot, the tally.

Everyone votes privately on the question the facilitator is on; the facilitator reveals the
votes together, and the team decides its answer. The store keeps these records in files beside
the assessment (one state file written by the facilitator, one ballot file per participant);
this module knows no files and no screens.

A vote counts only in the round it was cast in: each time the facilitator opens a question for
voting it gets a new round token, so a ballot edited by hand (or an old tab) cannot slip a vote
into a question before it is asked.
"""

from __future__ import annotations

import secrets
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Annotated, ClassVar, Final, Literal

from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    Line,
    Participant,
    Title,
    check_question_ids,
)
from pilot_tui.core.bank import Bank, Choice, Question
from pilot_tui.core.limits import MAX_ANSWERS, MAX_PARTICIPANTS
from pilot_tui.core.merge import most_common, participant_id, spread
from pilot_tui.core.records import FORBID_EXTRA, Check, Length

WORKSHOP_VERSION: Final = 1
DEFAULT_TIMEBOX: Final = 180
"""Seconds per question: long enough to vote and hear the two ends of the spread."""
MIN_TIMEBOX: Final = 30
MAX_TIMEBOX: Final = 3600
DEFAULT_LIMIT: Final = 30
"""Participants who may join: a large workshop; each browser costs a process on the laptop."""
MAX_LIMIT: Final = 100
CODE_DIGITS: Final = 6
LATEST_MOMENT: Final = 253_402_300_800.0
"""The first second of the year 10000: no state was written later."""
PIN_DIGITS: Final = 4
MAX_WRONG_CODES: Final = 50
"""Wrong join codes and seat PINs the whole room may type before joining closes (the
facilitator's new code opens it again): guessing a code in that many tries is one chance in
twenty thousand."""
"""Wrong join codes tried before joining closes until the facilitator makes a new code: with a
million codes, twenty guesses have one chance in fifty thousand."""
MAX_HANDS: Final = 1000

Phase = Literal["vote", "reveal", "decide"]
PHASES: Final[tuple[Phase, ...]] = ("vote", "reveal", "decide")


def _check_timebox(seconds: int) -> int:
    if not MIN_TIMEBOX <= seconds <= MAX_TIMEBOX:
        raise ValueError(f"a timebox is {MIN_TIMEBOX} to {MAX_TIMEBOX} seconds, not {seconds}")
    return seconds


def _check_limit(limit: int) -> int:
    if not 1 <= limit <= MAX_LIMIT:
        raise ValueError(f"the participant limit is 1 to {MAX_LIMIT}, not {limit}")
    return limit


def _check_moment(seconds: float) -> float:
    # A hand-edited "nan" or "1e308" would break the countdown's arithmetic on screen.
    if not 0 <= seconds < LATEST_MOMENT:
        raise ValueError("a moment is seconds since 1970, before the year 10000")
    return seconds


def _check_code(code: str) -> str:
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        raise ValueError(f"a join code is {CODE_DIGITS} digits")
    return code


def _check_hands(hands: dict[str, int]) -> dict[str, int]:
    for choice_id, count in hands.items():
        if not 0 <= count <= MAX_HANDS:
            raise ValueError(f"a show of hands for {choice_id!r} is 0 to {MAX_HANDS}")
    return hands


Hands = Annotated[dict[str, int], Length(max=50), Check(_check_hands)]
Votes = Annotated[dict[str, str], Length(max=MAX_PARTICIPANTS)]
"""Participant name -> choice id."""


@dataclass(frozen=True, kw_only=True)
class Outcome:
    """What the room said on one question, frozen when the facilitator revealed it."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    votes: Votes = field(default_factory=dict)
    hands: Hands = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class WorkshopState:
    """Where the facilitator is: written by the facilitator's app only, read by every
    participant's app, and enough to resume the workshop after a restart."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    version: Literal[1] = WORKSHOP_VERSION
    code: Annotated[str, Check(_check_code)]
    question: Line
    """The id of the question on the screen."""
    phase: Phase = "vote"
    round: Line
    """A new token each time a question opens for voting."""
    opened: Annotated[float, Check(_check_moment)]
    """When the current question opened (seconds since the epoch), for the timebox."""
    timebox: Annotated[int, Check(_check_timebox)] = DEFAULT_TIMEBOX
    anonymous: bool = False
    """Whether the reveal shows counts only, or who voted what."""
    limit: Annotated[int, Check(_check_limit)] = DEFAULT_LIMIT
    wrong_codes_before: int = 0
    """Wrong join codes tried before the current code was made (they count against old codes)."""
    hands: Hands = field(default_factory=dict)
    """A show of hands for the current question, before the reveal."""
    outcomes: Annotated[dict[str, Outcome], Length(max=MAX_ANSWERS), Check(check_question_ids)] = (
        field(default_factory=dict)
    )
    """Every revealed question's votes, by question id."""
    rounds: Annotated[dict[str, Line], Length(max=MAX_ANSWERS), Check(check_question_ids)] = field(
        default_factory=dict
    )
    """The open round of each question left before its reveal: coming back to it, the votes
    already cast count again."""


@dataclass(frozen=True, kw_only=True)
class Vote:
    __pydantic_config__: ClassVar = FORBID_EXTRA

    choice: Line
    round: Line


@dataclass(frozen=True, kw_only=True)
class Ballot:
    """One participant's votes: written by that participant's app only."""

    __pydantic_config__: ClassVar = FORBID_EXTRA

    version: Literal[1] = WORKSHOP_VERSION
    name: Title
    votes: Annotated[dict[str, Vote], Length(max=MAX_ANSWERS), Check(check_question_ids)] = field(
        default_factory=dict
    )
    pin: Annotated[str, Length(max=PIN_DIGITS)] = ""
    """The seat's PIN, shown to the participant when they first join: coming back under the
    same name needs it, so nobody else can take the seat (and its vote) while they are away."""


def new_code() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def new_pin() -> str:
    return "".join(secrets.choice("0123456789") for _ in range(PIN_DIGITS))


def new_round() -> str:
    return secrets.token_hex(6)


def start_state(
    first_question: str, *, now: float, timebox: int, anonymous: bool, limit: int
) -> WorkshopState:
    return WorkshopState(
        code=new_code(),
        question=first_question,
        round=new_round(),
        opened=now,
        timebox=timebox,
        anonymous=anonymous,
        limit=limit,
    )


def open_question(state: WorkshopState, question_id: str, *, now: float) -> WorkshopState:
    """STATE on QUESTION_ID: its outcome shown for deciding when it was revealed before; else
    its round of voting, the one it had if it was left before its reveal, or a new one."""
    rounds = dict(state.rounds)
    if state.phase == "vote" and state.question != question_id:
        rounds[state.question] = state.round
    if question_id in state.outcomes:
        return replace(
            state, question=question_id, phase="decide", hands={}, opened=now, rounds=rounds
        )
    round_token = rounds.pop(question_id, None) or new_round()
    return replace(
        state,
        question=question_id,
        phase="vote",
        round=round_token,
        hands={},
        opened=now,
        rounds=rounds,
    )


def vote_again(state: WorkshopState, *, now: float) -> WorkshopState:
    """The current question opened for a new round of voting; its earlier outcome is dropped."""
    outcomes = {key: value for key, value in state.outcomes.items() if key != state.question}
    return replace(state, phase="vote", round=new_round(), hands={}, opened=now, outcomes=outcomes)


def current_votes(
    bank: Bank, question: Question, state: WorkshopState, ballots: list[Ballot]
) -> tuple[dict[str, str], list[str]]:
    """Name -> choice of the votes cast on QUESTION in the current round, in name order; and a
    line for each vote that is not a choice of the question (a ballot written by hand, or
    with another bank), which is not counted: it would make the assessment unsavable."""
    allowed = {choice.id for choice in votable_choices(bank, question)}
    votes: dict[str, str] = {}
    refused: list[str] = []
    for ballot in sorted(ballots, key=lambda ballot: ballot.name.casefold()):
        vote = ballot.votes.get(state.question)
        if vote is None or vote.round != state.round:
            continue
        if vote.choice in allowed:
            votes[ballot.name] = vote.choice
        else:
            refused.append(f"{ballot.name}'s vote {vote.choice!r} is not a choice of this question")
    return votes, refused


def reveal(state: WorkshopState, votes: dict[str, str]) -> WorkshopState:
    """The current question's votes frozen as its outcome; later ballots no longer change it."""
    outcome = Outcome(votes=dict(votes), hands=dict(state.hands))
    return replace(state, phase="reveal", outcomes={**state.outcomes, state.question: outcome})


def votable_choices(bank: Bank, question: Question) -> tuple[Choice, ...]:
    """What a participant may vote: every offered choice but "not applicable", which needs a
    reason and is the room's decision, taken with the facilitator."""
    return tuple(c for c in bank.offered_choices(question) if not c.not_applicable)


def check_vote(bank: Bank, question: Question, choice_id: str) -> None:
    if choice_id not in {choice.id for choice in votable_choices(bank, question)}:
        offered = ", ".join(choice.id for choice in votable_choices(bank, question))
        raise ValueError(f"{choice_id!r} is not a vote on this question (one of {offered})")


def with_hands(bank: Bank, question: Question, hands: dict[str, int]) -> dict[str, int]:
    """HANDS checked: counts of votable choices, within the limit, zeros left out."""
    for choice_id in hands:
        check_vote(bank, question, choice_id)
    return _check_hands({choice_id: count for choice_id, count in hands.items() if count})


@dataclass(frozen=True)
class ChoiceCount:
    choice: Choice
    count: int
    names: tuple[str, ...]
    """Who voted it from their own device; a show of hands has no names."""


@dataclass(frozen=True)
class Tally:
    counts: tuple[ChoiceCount, ...]
    """Every votable choice in the bank's order, with no votes as well."""
    total: int
    unknown: int
    """Votes for "don't know": a risk the room should hear about."""
    distinct: int
    """How many different choices were voted."""
    spread: float
    """How far apart the votes are, as the report's disputes measure it (merge.spread)."""
    suggested: str | None
    """What the merge rule would make the team's answer: the most common vote, a tie going to
    the more cautious; None with no votes."""


def tally(bank: Bank, question: Question, outcome: Outcome) -> Tally:
    choices = votable_choices(bank, question)
    known = {choice.id for choice in choices}
    # A ballot can name a choice the bank no longer offers (edited by hand): not counted.
    votes = {name: choice for name, choice in outcome.votes.items() if choice in known}
    hands = {choice: count for choice, count in outcome.hands.items() if choice in known}
    counts = Counter(votes.values())
    counts.update(hands)
    rows = tuple(
        ChoiceCount(
            choice=choice,
            count=counts[choice.id],
            names=tuple(name for name, voted in votes.items() if voted == choice.id),
        )
        for choice in choices
    )
    voted = [row for row in rows if row.count]
    ballots = [row.choice.id for row in voted for _ in range(row.count)]
    return Tally(
        counts=rows,
        total=sum(row.count for row in rows),
        unknown=sum(row.count for row in voted if row.choice.unknown),
        distinct=len(voted),
        spread=spread(bank, question, ballots),
        suggested=most_common(bank, question, ballots) if ballots else None,
    )


def with_votes(
    assessment: Assessment, question_id: str, votes: dict[str, str], *, now: datetime
) -> Assessment:
    """The assessment with each voter's vote as their own answer in the participants table, and
    the answers of anyone who did not vote this time taken off the question (a new round
    replaces the last). Their other answers, notes included, are kept."""
    participants = dict(assessment.participants)
    voters = {participant_id(name): (name, choice) for name, choice in votes.items()}
    for pid, person in list(participants.items()):
        if pid not in voters and question_id in person.answers:
            answers = {k: v for k, v in person.answers.items() if k != question_id}
            participants[pid] = replace(person, answers=answers)
    for pid, (name, choice) in voters.items():
        person = participants.get(pid) or Participant(name=name, source="workshop")
        previous = person.answers.get(question_id) or Answer()
        answer = replace(previous, choice=choice, reason="")
        participants[pid] = replace(person, answers={**person.answers, question_id: answer})
    if len(participants) > MAX_PARTICIPANTS:
        raise ValueError(
            f"{len(participants)} participants are more than the {MAX_PARTICIPANTS} one "
            "assessment holds"
        )
    return replace(
        assessment, participants=participants, meta=replace(assessment.meta, updated=now)
    )


def remaining(state: WorkshopState, now: float) -> float:
    """Seconds left in the current question's timebox; negative once time is up."""
    return state.opened + state.timebox - now
