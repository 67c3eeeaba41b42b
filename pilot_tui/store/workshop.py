"""A live workshop's files, in a folder beside its assessment (claims.toml: claims.workshop/).

No protocol and no server of our own: the facilitator's app writes `state.toml` (the question
and phase on the screen, the join code); each participant's app writes only its own ballot,
`ballots/<participant id>.toml`; both atomically, so a reader sees a whole file or the one before.
Each side polls the other's files. A participant's seat is an advisory lock on
`seats/<participant id>`, held while their app runs: a second person with the same name is
refused, and the same person back after a dropped connection gets their votes back.
"""

from __future__ import annotations

import os
import secrets
import socket
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final, TypeVar

import tomli_w

from pilot_tui.core.merge import participant_id
from pilot_tui.core.records import InvalidData, to_data, validate, validated
from pilot_tui.core.text import check_line
from pilot_tui.core.workshop import (
    CODE_DIGITS,
    DEFAULT_LIMIT,
    DEFAULT_TIMEBOX,
    MAX_WRONG_CODES,
    Ballot,
    Vote,
    WorkshopState,
    new_pin,
    start_state,
)
from pilot_tui.store.files import StoreError, atomic_write, folder_lock, read_bytes, reason, shown

FOLDER_SUFFIX: Final = ".workshop"
STATE_FILE: Final = "state.toml"
BALLOTS: Final = "ballots"
SEATS: Final = "seats"
WRONG_CODES: Final = "wrong-codes"
FACILITATOR_LOCK: Final = "facilitator.lock"
"""One byte is appended per wrong join code: appends from many processes never clash."""
MAX_NAME: Final = 60
"""A participant's name, as shown beside their vote on the projector."""
MAX_WORKSHOP_FILE: Final = 256 * 1024
"""A state or ballot file: a whole bank's votes by thirty people is well under 64 KiB."""

_Record = TypeVar("_Record", WorkshopState, Ballot)


class JoinRefused(StoreError):
    """Why a participant cannot join, in one line for their screen."""


def workshop_folder(assessment_path: Path) -> Path:
    return assessment_path.with_name(assessment_path.stem + FOLDER_SUFFIX)


def _read_record(kind: type[_Record], path: Path) -> _Record:
    raw, _ = read_bytes(path, MAX_WORKSHOP_FILE)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise StoreError(f"{shown(path)}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise StoreError(f"{shown(path)}: not valid TOML: {error}") from None
    try:
        return validate(kind, data)
    except InvalidData as error:
        raise StoreError(f"{shown(path)}: {error.problems[0]}") from None


def _write_record(path: Path, record: Any) -> None:
    atomic_write(path, tomli_w.dumps(to_data(record)))


@dataclass(frozen=True)
class _Seen:
    key: tuple[int, int, int]
    ballot: Ballot | None
    problem: str


class Workshop:
    """The workshop folder of one assessment."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.state_path = folder / STATE_FILE
        self.ballots_folder = folder / BALLOTS
        self.seats_folder = folder / SEATS
        self._seen: dict[str, _Seen] = {}

    def exists(self) -> bool:
        return self.state_path.exists()

    def create_folders(self) -> None:
        for folder in (self.folder, self.ballots_folder, self.seats_folder):
            try:
                folder.mkdir(mode=0o700, exist_ok=True)
            except OSError as error:
                raise StoreError(f"{shown(folder)}: cannot create: {reason(error)}") from None

    # -------------------------------------------------------------- the facilitator's state

    def read_state(self) -> WorkshopState:
        return _read_record(WorkshopState, self.state_path)

    def write_state(self, state: WorkshopState) -> None:
        self.create_folders()
        _write_record(self.state_path, state)

    def state_stamp(self) -> int:
        """Changes whenever the state file is replaced; 0 when there is none."""
        try:
            status = os.stat(self.state_path)
        except OSError:
            return 0
        return status.st_mtime_ns ^ status.st_ino

    def wrong_codes(self) -> int:
        try:
            return os.stat(self.folder / WRONG_CODES).st_size
        except OSError:
            return 0

    def wrong_codes_now(self, state: WorkshopState) -> int:
        """Wrong codes tried against the current code."""
        return max(0, self.wrong_codes() - state.wrong_codes_before)

    def _count_wrong_code(self) -> None:
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(self.folder / WRONG_CODES, flags, 0o600)
        except OSError:
            return  # uncounted, not unrefused: the code was still wrong
        try:
            os.write(descriptor, b"x")
        finally:
            os.close(descriptor)

    # -------------------------------------------------------------- the participants' ballots

    def ballot_path(self, name: str) -> Path:
        return self.ballots_folder / f"{participant_id(name)}.toml"

    def read_ballot(self, name: str) -> Ballot | None:
        path = self.ballot_path(name)
        if not path.exists():
            return None
        return _read_record(Ballot, path)

    def write_ballot(self, ballot: Ballot) -> None:
        _write_record(self.ballot_path(ballot.name), ballot)

    def ballots(self) -> tuple[list[Ballot], list[str]]:
        """Every readable ballot, and one line for each file that is not one.

        Polled several times a second while votes come in: a file is parsed again only when
        it changed (its inode, size or time), so thirty unchanged ballots cost thirty stats.
        """
        try:
            with os.scandir(self.ballots_folder) as found:
                entries = [e for e in found if e.name.endswith(".toml") and e.is_file()]
        except FileNotFoundError:
            return [], []
        except OSError as error:
            return [], [f"{shown(self.ballots_folder)}: cannot list: {reason(error)}"]
        seen: dict[str, _Seen] = {}
        for entry in entries:
            status = entry.stat()
            key = (status.st_ino, status.st_size, status.st_mtime_ns)
            known = self._seen.get(entry.name)
            seen[entry.name] = known if known and known.key == key else self._parse(entry, key)
        self._seen = seen
        ballots = [item.ballot for item in seen.values() if item.ballot is not None]
        return ballots, [item.problem for item in seen.values() if item.problem]

    def _parse(self, entry: os.DirEntry[str], key: tuple[int, int, int]) -> _Seen:
        path = Path(entry.path)
        try:
            ballot = _read_record(Ballot, path)
        except StoreError as error:
            return _Seen(key, None, str(error))
        if f"{participant_id(ballot.name)}.toml" != entry.name:
            # Each app writes the file named after its participant: another name is a ballot
            # written by hand, perhaps to vote twice.
            return _Seen(key, None, f"{shown(path)}: holds the ballot of {ballot.name!r}")
        return _Seen(key, ballot, "")

    # -------------------------------------------------------------- joining

    def join(self, name: str, code: str, pin: str = "") -> Seat:
        """A seat for NAME, or JoinRefused saying why in one line. Coming back to a seat taken
        before needs its PIN (shown to the participant when they first joined)."""
        name = " ".join(name.split())
        if not name:
            raise JoinRefused("Type your name, as the room knows you.")
        try:
            check_line(name)
        except ValueError:
            name = ""
        if not name or len(name) > MAX_NAME:
            raise JoinRefused(
                f"A name is one line of at most {MAX_NAME} characters, without control codes."
            )
        try:
            state = self.read_state()
        except StoreError:
            raise JoinRefused("The workshop has not started yet: ask the facilitator.") from None
        if self.wrong_codes_now(state) >= MAX_WRONG_CODES:
            raise JoinRefused(
                "Joining is closed after too many wrong codes: ask the facilitator for a new one."
            )
        code = code.replace(" ", "")
        if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
            # A slip (Enter on an empty field, a digit short) is not a guess: not counted.
            raise JoinRefused(
                f"Type the {CODE_DIGITS}-digit join code shown on the facilitator's screen."
            )
        if not secrets.compare_digest(code.encode(), state.code.encode()):
            self._count_wrong_code()
            raise JoinRefused("That is not the join code on the facilitator's screen.")
        with folder_lock(self.folder):
            return self._take_seat(name, state, pin.replace(" ", ""))

    def _take_seat(self, name: str, state: WorkshopState, pin: str) -> Seat:
        import fcntl

        pid = participant_id(name)
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            descriptor = os.open(self.seats_folder / pid, flags, 0o600)
        except OSError as error:
            raise JoinRefused(f"Cannot join: {reason(error)}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise JoinRefused(
                f"Someone named {name!r} has already joined: add an initial to tell you apart."
            ) from None
        try:
            ballot = self.read_ballot(name)
        except StoreError:
            ballot = None  # unreadable: the participant starts again, and rewrites it
        if (
            ballot is not None
            and ballot.pin
            and not secrets.compare_digest(pin.encode(), ballot.pin.encode())
        ):
            os.close(descriptor)
            if pin:
                self._count_wrong_code()
            raise JoinRefused(
                f"{ballot.name} has joined before: to come back as them, type the seat PIN "
                "your screen showed; someone else? add an initial to your name."
            )
        if ballot is None:
            # Only the ballots that count take a place: not a file left by hand or unreadable.
            if len(self.ballots()[0]) >= state.limit:
                os.close(descriptor)
                raise JoinRefused(
                    f"The workshop is full ({state.limit} participants): ask the facilitator."
                )
            ballot = Ballot(name=name, pin=new_pin())
            self.write_ballot(ballot)
        elif not ballot.pin:
            ballot = replace(ballot, pin=new_pin())  # a ballot from before seats had PINs
            self.write_ballot(ballot)
        return Seat(self, ballot, descriptor)

    # -------------------------------------------------------------- the facilitator

    def hold_facilitator(self) -> FacilitatorLock:
        """The facilitator's lock, held while their screen runs: a second facilitator's screen
        on the same workshop would undo the first one's every step. StoreError when held."""
        import fcntl

        self.create_folders()
        path = self.folder / FACILITATOR_LOCK
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            raise StoreError(f"{shown(path)}: {reason(error)}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            raise StoreError(
                f"{shown(self.folder)}: another facilitator's screen is running this workshop; "
                "close it first (two would undo each other's steps)"
            ) from None
        return FacilitatorLock(descriptor)


class FacilitatorLock:
    def __init__(self, descriptor: int) -> None:
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


class Seat:
    """A joined participant: holds the seat's lock while the app runs, writes their ballot."""

    def __init__(self, workshop: Workshop, ballot: Ballot, descriptor: int) -> None:
        self.workshop = workshop
        self.ballot = ballot
        self._descriptor = descriptor

    @property
    def name(self) -> str:
        return self.ballot.name

    def vote(self, question_id: str, choice_id: str, round_token: str) -> None:
        votes = {**self.ballot.votes, question_id: Vote(choice=choice_id, round=round_token)}
        ballot = replace(self.ballot, votes=votes)
        self.workshop.write_ballot(ballot)
        self.ballot = ballot

    def leave(self) -> None:
        if self._descriptor >= 0:
            os.close(self._descriptor)
            self._descriptor = -1


def open_state(
    workshop: Workshop,
    first_question: str,
    *,
    now: float,
    timebox: int | None = None,
    anonymous: bool | None = None,
    limit: int | None = None,
) -> WorkshopState:
    """The workshop's state as it was left (a restart resumes it), with the settings given
    changed; or a new one on FIRST_QUESTION with a new join code. Written before it is returned,
    so participants can join. A state file that cannot be read is left alone (StoreError)."""
    if workshop.state_path.exists() or workshop.state_path.is_symlink():
        try:
            state = workshop.read_state()
        except StoreError as problem:
            raise StoreError(
                f"{problem} (the workshop cannot resume; move the file away to start afresh)"
            ) from None
        changes: dict[str, Any] = {
            key: value
            for key, value in (("timebox", timebox), ("anonymous", anonymous), ("limit", limit))
            if value is not None
        }
        state = replace(state, **changes)
    else:
        state = start_state(
            first_question,
            now=now,
            timebox=DEFAULT_TIMEBOX if timebox is None else timebox,
            anonymous=bool(anonymous),
            limit=DEFAULT_LIMIT if limit is None else limit,
        )
    try:
        validated(state)
    except InvalidData as error:
        raise StoreError(f"workshop settings: {error.problems[0]}") from None
    workshop.write_state(state)
    return state


EVERY_INTERFACE: Final = frozenset({"0.0.0.0", "::", ""})


def join_url(host: str, port: int) -> str:
    """The address participants open, for a server listening on HOST:PORT. A server on every
    interface (0.0.0.0, ::) is reached at this machine's own address on the room's network:
    "0.0.0.0" in a phone's browser would point at the phone itself, and the page's connection
    back to the server is built from this address too."""
    if host in EVERY_INTERFACE:
        host = own_address(ipv6=host == "::")
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def own_address(*, ipv6: bool = False) -> str:
    """This machine's address on its network: the one its traffic would leave from. Connecting
    a UDP socket only picks the route; nothing is sent (the target is a documentation address).
    Without a network, the machine's name."""
    family, target = (
        (socket.AF_INET6, ("2001:db8::1", 9)) if ipv6 else (socket.AF_INET, ("192.0.2.1", 9))
    )
    try:
        with socket.socket(family, socket.SOCK_DGRAM) as probe:
            probe.connect(target)
            address: str = probe.getsockname()[0]
    except OSError:
        return socket.gethostname()
    return socket.gethostname() if address.startswith("127.") or address == "::1" else address
