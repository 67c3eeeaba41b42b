"""Odd things in the data folder, odd paths and odd text never block, leak or lose anything."""

from __future__ import annotations

import json
import os
import re
import socket
import stat
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from helpers import Cli, assert_one_error_line, folder_snapshot
from test_bank import question, tiny_bank

from pilot_tui.core.assessment import Answer, new_assessment, now_utc, with_answer
from pilot_tui.core.limits import MAX_ANSWERS
from pilot_tui.core.text import check_line, check_notes, printable
from pilot_tui.store import Store
from pilot_tui.store.files import RefusedSave, StoreError


def finishes(work: Callable[[], Any], timeout: float = 5.0) -> Any:
    """WORK's result; fails (instead of hanging the suite) when it does not finish in time."""
    outcome: list[Any] = []
    thread = threading.Thread(target=lambda: outcome.append(_attempt(work)), daemon=True)
    thread.start()
    thread.join(timeout)
    assert outcome, f"did not finish within {timeout} s (blocked?)"
    result, error = outcome[0]
    if error is not None:
        raise error
    return result


def _attempt(work: Callable[[], Any]) -> tuple[Any, BaseException | None]:
    try:
        return work(), None
    except BaseException as error:  # handed back to the test's thread
        return None, error


@pytest.fixture
def good(store: Store) -> str:
    return store.create(new_assessment(store.bank, "Good pilot", now=now_utc()))


@pytest.fixture
def odd_folder(store: Store, good: str) -> Iterator[Path]:
    """The data folder with one of each odd thing that can have an assessment's name."""
    root = store.root
    os.mkfifo(root / "pipe.toml")
    (root / "folder.toml").mkdir()
    (root / "dangling.toml").symlink_to(root / "gone.toml")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(root / "socket.toml"))
    os.close(os.open(os.fsencode(root) + b"/caf\xe9.toml", os.O_CREAT | os.O_WRONLY, 0o600))
    (root / "title\x1b]0;pwned\x07.toml").write_text("")
    yield root
    server.close()


EXPECTED_REASONS = {
    "pipe": "is a named pipe (FIFO), not a file",
    "folder": "is a folder, not a file",
    "dangling": "is a link to",
    "socket": "is a socket, not a file",
}


def test_every_odd_thing_is_listed_with_its_reason_and_nothing_blocks(
    store: Store, odd_folder: Path, good: str
) -> None:
    before = folder_snapshot_without_special(odd_folder)

    entries = {entry.name: entry for entry in finishes(store.listing)}

    assert entries[good].glance is not None
    for name, reason in EXPECTED_REASONS.items():
        assert entries[name].glance is None
        assert reason in (entries[name].error or ""), (name, entries[name].error)
    assert "not an assessment name" in (entries["caf\udce9"].error or "")
    assert folder_snapshot_without_special(odd_folder) == before


def folder_snapshot_without_special(root: Path) -> dict[str, bytes | None]:
    # (A snapshot reads files; the named pipe and the socket are left out, not read.)
    return {
        name: (root / name).read_bytes() if (root / name).is_file() else None
        for name in sorted(os.listdir(root))
        if name not in ("pipe.toml", "socket.toml")
    }


def test_list_shows_hostile_and_broken_names_escaped(cli: Cli, odd_folder: Path) -> None:
    result = finishes(lambda: cli("list"))

    assert result.code == 0
    assert "\x1b" not in result.out and "\x07" not in result.out
    assert "title\\x1b]0;pwned\\x07" in result.out
    assert "caf\\xe9" in result.out
    assert "is a named pipe (FIFO), not a file" in result.out


def test_list_json_is_valid_utf8_and_keeps_the_names(cli: Cli, odd_folder: Path) -> None:
    result = finishes(lambda: cli("list", "--json"))

    assert result.code == 0
    result.out.encode("utf-8")  # no lone surrogates: valid UTF-8
    names = {row["name"] for row in json.loads(result.out)}
    # A byte that is not UTF-8 is written as the text list shows it; an escape character is
    # kept (JSON escapes it as \u001b, so it never reaches a terminal raw).
    assert {"caf\\xe9", "title\x1b]0;pwned\x07", "pipe", "socket"} <= names
    assert "\x1b" not in result.out


def test_importing_a_pipe_or_a_socket_is_one_line_and_never_waits(
    cli: Cli, odd_folder: Path
) -> None:
    for odd in ("pipe.toml", "socket.toml", "folder.toml"):
        result = finishes(lambda odd=odd: cli("import", str(odd_folder / odd)))  # type: ignore[misc]
        assert_one_error_line(result, contains="not a file")


def test_a_linked_assessment_is_written_through_and_stays_a_link(
    cli: Cli, store: Store, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "shared" / "claims.toml"
    elsewhere.parent.mkdir()
    store.ensure_root()
    made = store.create(new_assessment(store.bank, "Claims", now=now_utc()))
    store.path_for(made).rename(elsewhere)
    store.path_for("claims").symlink_to(elsewhere)
    first = store.bank.sections[0].questions[0].id

    result = cli("answer", "claims", first, "met")

    assert result.code == 0, result
    assert store.path_for("claims").is_symlink()
    assert store.load("claims").answers[first].choice == "met"
    assert Store(store.root, store.bank).load("claims") == store.load("claims")
    assert "met" in elsewhere.read_text()


def test_deleting_a_link_removes_the_link_and_copies_nothing(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "kept.toml"
    made = store.create(new_assessment(store.bank, "Kept", now=now_utc()))
    store.path_for(made).rename(target)
    store.path_for("kept").symlink_to(target)
    content = target.read_bytes()

    assert store.delete("kept") is None

    assert not os.path.lexists(store.path_for("kept"))
    assert target.read_bytes() == content
    assert not (store.root / ".backup").exists()


def test_a_named_pipe_is_not_deleted(store: Store, odd_folder: Path) -> None:
    with pytest.raises(StoreError, match=re.escape("is a named pipe (FIFO), not a file; not del")):
        store.delete("pipe")
    assert stat.S_ISFIFO(os.lstat(odd_folder / "pipe.toml").st_mode)


def test_a_read_only_assessment_is_not_made_writable(cli: Cli, store: Store, good: str) -> None:
    path = store.path_for(good)
    path.chmod(0o400)
    before = path.read_bytes()
    first = store.bank.sections[0].questions[0].id

    assert_one_error_line(cli("answer", good, first, "met"), contains="is read-only")
    with pytest.raises(RefusedSave, match="is read-only"):
        store.save(good, with_answer(store.load(good), first, Answer(choice="met"), now=now_utc()))

    assert path.read_bytes() == before
    assert stat.S_IMODE(path.stat().st_mode) == 0o400


# ---------------------------------------------------------------------------- data folders


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda root: root.write_text("x"), "the data folder is not a folder"),
        (lambda root: root.symlink_to(root.parent / "nowhere"), "which does not exist"),
    ],
    ids=["a file", "a dangling link"],
)
@pytest.mark.parametrize("command", [("list",), ("new", "Pilot"), ("score", "pilot")])
def test_a_data_folder_that_cannot_be_one_is_one_line(
    cli: Cli,
    data_dir: Path,
    make: Callable[[Path], object],
    message: str,
    command: tuple[str, ...],
) -> None:
    make(data_dir)
    assert_one_error_line(cli(*command), contains=message)


@pytest.mark.parametrize(
    ("data_dir_name", "message"),
    [("x" * 300, "File name too long"), ("a-file/inside", "Not a directory")],
    ids=["too long", "inside a file"],
)
def test_data_folder_paths_the_system_refuses_are_one_line(
    cli: Cli, tmp_path: Path, data_dir_name: str, message: str
) -> None:
    (tmp_path / "a-file").write_text("")
    for command in (("list",), ("new", "Pilot")):
        assert_one_error_line(
            cli("--data-dir", str(tmp_path / data_dir_name), *command), contains=message
        )


def test_arguments_that_are_not_utf8_are_one_line(cli: Cli, data_dir: Path) -> None:
    error = assert_one_error_line(cli("new", "Caf\udce9"))
    assert error == 'pilot-tui: error: argument "Caf\\xe9" is not valid UTF-8 text'
    assert not data_dir.exists()


# ---------------------------------------------------------------------------- banks


@pytest.fixture
def hostile_bank(tmp_path: Path) -> Path:
    data = tiny_bank()
    data["sections"][0]["title"] = "Ops \x1b]0;pwned\x07"
    data["sections"][0]["questions"][0]["fix"] = "Click \x1b]8;;https://evil\x1b\\here"
    path = tmp_path / "hostile-bank.toml"
    path.write_text(tomli_w.dumps(data))
    return path


def test_a_bank_with_escape_sequences_is_refused_everywhere(
    cli: Cli, hostile_bank: Path, data_dir: Path
) -> None:
    result = cli("bank", "validate", str(hostile_bank))
    assert result.code == 2
    assert "section 'one', title: must be one line" in result.err
    assert "fix: contains a control or text-direction character (found U+001B ESCAPE)" in (
        result.err
    )
    assert "\x1b" not in result.err

    for command in (("bank", "show"), ("list",), ("new", "Pilot")):
        error = assert_one_error_line(cli("--bank", str(hostile_bank), *command))
        assert "invalid bank" in error and "\x1b" not in error
    assert folder_snapshot(data_dir) == {}


def test_a_bank_longer_than_an_assessment_can_hold_is_refused(cli: Cli, tmp_path: Path) -> None:
    data = tiny_bank()
    data["sections"][0]["questions"] = [question(f"q{n}") for n in range(MAX_ANSWERS + 1)]
    path = tmp_path / "long-bank.toml"
    path.write_text(tomli_w.dumps(data))

    result = cli("bank", "validate", str(path))

    assert result.code == 2
    assert f"{MAX_ANSWERS + 1} questions are more than the {MAX_ANSWERS} answers" in result.err


# ---------------------------------------------------------------------------- characters

LINE_REFUSES = {
    "\n": "U+000A LINE FEED",
    "\x1b": "U+001B ESCAPE",
    "\u2028": "U+2028 LINE SEPARATOR",
    "\u2029": "U+2029 PARAGRAPH SEPARATOR",
    "\u200b": "U+200B ZERO WIDTH SPACE",
    "\u200e": "U+200E LEFT-TO-RIGHT MARK",
    "\u202e": "U+202E RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "U+2066 LEFT-TO-RIGHT ISOLATE",
    "\ufeff": "U+FEFF ZERO WIDTH NO-BREAK SPACE",
    "\U000e0041": "U+E0041 TAG LATIN CAPITAL LETTER A",
    "\u00ad": "U+00AD SOFT HYPHEN",
}


@pytest.mark.parametrize("char", LINE_REFUSES, ids=LINE_REFUSES.values())
def test_one_line_fields_refuse_invisible_and_control_characters(char: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f"found {LINE_REFUSES[char]}")):
        check_line(f"Ana{char}Li")
    assert "\\" in printable(f"Ana{char}Li")


@pytest.mark.parametrize(
    "text",
    [
        "Ana María Núñez",
        "محمد\u200cعلی",  # Persian with a zero-width non-joiner
        "👩\u200d👩\u200d👧 team",  # an emoji sequence joined by zero-width joiners
        "שלום עולם",  # right-to-left text
    ],
)
def test_what_real_names_need_is_kept(text: str) -> None:
    assert check_line(text) == text
    assert printable(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "line one\nline two\ttabbed",
        "עברית \u200fואנגלית",  # noqa: RUF001 - right-to-left text with a direction mark
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Scotland",  # tag flag
        "zero\u200bwidth",
    ],
)
def test_notes_keep_what_real_writing_needs(text: str) -> None:
    assert check_notes(text) == text


@pytest.mark.parametrize("char", ["\x1b", "\r", "\u2028", "\u202e", "\u2067"])
def test_notes_refuse_escapes_separators_and_overrides(char: str) -> None:
    with pytest.raises(ValueError, match="contains a control or text-direction character"):
        check_notes(f"a{char}b")
