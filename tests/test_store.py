"""The store: round trips, safe names, atomic writes, unreadable files, permissions, limits."""

from __future__ import annotations

import errno
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import folder_snapshot
from hypothesis import given, settings
from hypothesis import strategies as st

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, with_answer, with_meta
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_FILE_BYTES
from pilot_tui.core.text import DIRECTION_OVERRIDES
from pilot_tui.store import (
    Store,
    check_name,
    dumps_assessment,
    load_assessment_file,
    parse_assessment,
    read_toml,
    resolve_data_dir,
    slugify,
)
from pilot_tui.store.files import StoreError, atomic_write
from pilot_tui.store.names import NAME_PATTERN

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
LATER = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
NAME_RE = re.compile(NAME_PATTERN)


def blank(bank: Bank, title: str = "Claims triage bot") -> Assessment:
    return new_assessment(bank, title, team="Claims AI", now=NOW)


def rich(bank: Bank) -> Assessment:
    """An assessment using every field, awkward text, and answers the bank does not know."""
    assessment = new_assessment(
        bank,
        'Café "Ωmega" — 日本語 pilot',
        team="Équipe IA",
        facilitator="Zoë O'Neil",
        stage="pilot, week 3",
        now=NOW,
    )
    answers = {
        "success-criteria-agreed": Answer(
            choice="met",
            notes=(
                "Line one\nLine two with \"quotes\", 'single', a back\\slash and a tab\there\n"
                "\"\"\"triple\"\"\" and '''triple'''\n\nunicode: ✓ 🚀 Ж\n"
                'ends with a quote"'
            ),
            owner="Åsa Lindqvist",
            due=date(2026, 12, 15),
            evidence="https://wiki.example.com/criteria?v=2#signed",
        ),
        "cost-cap": Answer(choice="na", reason="fixed-price contract"),
        "runbook": Answer(notes="discussed, no decision yet", owner="Bo"),
        # Orphaned: questions this bank does not have, one with a choice no bank offers.
        "retired-question": Answer(choice="whatever-it-was", notes="kept\nas it was"),
        "another.old_one": Answer(owner="nobody"),
    }
    for question_id, answer in answers.items():
        assessment = with_answer(assessment, question_id, answer, now=LATER)
    return assessment


# ---------------------------------------------------------------------------- round trips


def test_round_trip_keeps_everything_including_orphaned_answers(store: Store, bank: Bank) -> None:
    original = rich(bank)

    name = store.create(original)
    loaded = store.load(name)

    assert loaded == original
    assert list(loaded.answers) == list(original.answers)
    assert loaded.answers["retired-question"].choice == "whatever-it-was"
    assert loaded.meta.updated == LATER
    text = store.path_for(name).read_text(encoding="utf-8")
    assert "[answers.retired-question]" in text
    assert '[answers."another.old_one"]' in text


def test_save_over_an_existing_file_round_trips(store: Store, bank: Bank) -> None:
    name = store.create(blank(bank))
    changed = rich(bank)

    store.save(name, changed)

    assert store.load(name) == changed
    assert store.load_reference(str(store.path_for(name))) == (changed, store.path_for(name))


def test_the_file_is_plain_toml_without_empty_fields(store: Store, bank: Bank) -> None:
    name = store.create(blank(bank))

    data = tomllib.loads(store.path_for(name).read_text(encoding="utf-8"))

    assert data == {
        "schema": "pilot-tui/assessment",
        "schema_version": 2,
        "bank": {"id": "ai-pilot-to-production", "version": "2.1.0"},
        "meta": {"title": "Claims triage bot", "team": "Claims AI", "created": NOW, "updated": NOW},
    }


# What core/text.py lets through: printable characters and the two joiners in one-line fields;
# notes also take newlines, tabs and invisible format characters other than direction overrides.
_PRINTABLE = st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))
_FORMAT = st.characters(categories=["Cf"], exclude_characters=DIRECTION_OVERRIDES)
_NOTES = st.text(
    alphabet=st.one_of(_PRINTABLE, _FORMAT, st.sampled_from("\n\t\"'\\\u200d")), max_size=200
)
_LINE = st.text(alphabet=st.one_of(_PRINTABLE, st.sampled_from("\"'\\\u200c\u200d")), max_size=60)


@settings(max_examples=150, deadline=None)
@given(
    notes=_NOTES,
    owner=_LINE,
    title=_LINE.filter(bool),
    question=st.from_regex(r"[a-z0-9][a-z0-9._-]{0,20}", fullmatch=True),
)
def test_any_text_round_trips_through_toml(
    bank: Bank, notes: str, owner: str, title: str, question: str
) -> None:
    assessment = with_answer(
        new_assessment(bank, "x", now=NOW),
        question,
        Answer(choice="met", notes=notes, owner=owner),
        now=NOW,
    )
    assessment = with_meta(assessment, now=NOW, title=title)

    loaded = parse_assessment(tomllib.loads(dumps_assessment(assessment)), Path("x.toml"))

    assert loaded == assessment


def test_a_file_starting_with_a_byte_order_mark_loads(store: Store, bank: Bank) -> None:
    original = rich(bank)
    store.ensure_root()
    path = store.root / "from-windows.toml"
    path.write_bytes(b"\xef\xbb\xbf" + dumps_assessment(original).encode("utf-8"))

    assert store.load("from-windows") == original


# ---------------------------------------------------------------------------- names

HOSTILE_TITLES = [
    "..",
    ".",
    "../../etc/passwd",
    "/etc/passwd",
    "~/.ssh/authorized_keys",
    "C:\\Windows\\System32\\config",
    "a/b\\c/../../x",
    "\x00\x1b[31mred\x07",
    "con",
    "NUL",
    "lpt1",
    "   ",
    "",
    "-",
    "日本語",
    "$(rm -rf ~)",
    ".hidden",
    "name.toml",
    "a" * 500,
    "é" * 100,
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_a_slug_from_any_title_is_a_safe_name_inside_the_data_dir(store: Store, title: str) -> None:
    slug = slugify(title)

    assert NAME_RE.match(slug), slug
    assert check_name(slug) == slug
    path = store.path_for(slug)
    assert path.parent == store.root
    assert path.resolve().parent == store.root.resolve()
    assert path.name == f"{slug}.toml"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Claims triage bot", "claims-triage-bot"),
        ("  Claims -- triage!! BOT  ", "claims-triage-bot"),
        ("../../etc/passwd", "etc-passwd"),
        ("a/b\\c/../../x", "a-b-c-x"),
        ("Café Müller", "cafe-muller"),
        ("CON", "con-assessment"),
        ("lpt1", "lpt1-assessment"),
        ("日本語", "assessment"),
        ("..", "assessment"),
        ("name.toml", "name-toml"),
        ("a" * 500, "a" * 48),
        ("x" * 47 + " y", "x" * 47),
    ],
)
def test_slugify_examples(title: str, slug: str) -> None:
    assert slugify(title) == slug


HOSTILE_NAMES = [
    "",
    ".",
    "..",
    "../x",
    "x/../../y",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "a\x00b",
    "name\n",
    "\x1b[2J",
    "Name",
    "-a",
    "a_b",
    "a.b",
    "a b",
    "x.toml",
    "con",
    "lpt9",
    "a" * 65,
    "\uff41\uff42\uff43",  # fullwidth letters
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_name_is_refused_with_one_line(store: Store, data_dir: Path, name: str) -> None:
    with pytest.raises(StoreError, match="is not a valid assessment name") as caught:
        store.path_for(name)

    assert "\n" not in str(caught.value)
    assert "\x1b" not in str(caught.value) and "\x00" not in str(caught.value)
    with pytest.raises(StoreError):
        store.load(name)
    assert not data_dir.exists()


@pytest.mark.parametrize("name", ["a", "0", "a-b", "claims-bot-2", "a" * 64, "con-assessment"])
def test_valid_names_are_accepted(store: Store, name: str) -> None:
    assert check_name(name) == name
    assert store.path_for(name) == store.root / f"{name}.toml"


def test_titles_that_slug_alike_get_distinct_names(store: Store, bank: Bank) -> None:
    first = store.create(blank(bank, "Claims bot"))
    second = store.create(blank(bank, "CLAIMS / bot!"))
    third = store.create(blank(bank, "claims...bot"))

    assert (first, second, third) == ("claims-bot", "claims-bot-2", "claims-bot-3")
    assert store.load(second).meta.title == "CLAIMS / bot!"
    assert store.load(first).meta.title == "Claims bot"
    assert store.names() == ["claims-bot", "claims-bot-2", "claims-bot-3"]


def test_a_long_title_still_gets_a_distinct_valid_name(store: Store, bank: Bank) -> None:
    names = [store.create(blank(bank, "x" * 200)) for _ in range(3)]

    assert names == ["x" * 48, "x" * 48 + "-2", "x" * 48 + "-3"]


def test_unique_name_steps_over_unreadable_files(store: Store, bank: Bank) -> None:
    store.ensure_root()
    (store.root / "claims-bot.toml").write_text("not [ toml", encoding="utf-8")

    assert store.unique_name("Claims bot") == "claims-bot-2"


def test_create_never_replaces_an_existing_assessment(store: Store, bank: Bank) -> None:
    store.create(blank(bank), "mine")
    before = folder_snapshot(store.root)

    with pytest.raises(StoreError, match="an assessment named 'mine' already exists"):
        store.create(rich(bank), "mine")

    assert folder_snapshot(store.root) == before


def test_names_lists_only_assessment_files(store: Store, bank: Bank) -> None:
    store.create(blank(bank), "real")
    for junk in (".real.toml.abc.tmp", ".hidden.toml", "Bad Name.toml", "notes.txt"):
        (store.root / junk).write_text("x", encoding="utf-8")

    assert store.names() == ["real"]


# ---------------------------------------------------------------------------- atomic writes


def _raise_no_space(*args: object, **kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("step", ["replace", "fsync"])
def test_a_failed_save_leaves_the_old_file_and_no_temporary_file(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    name = store.create(blank(bank))
    before = folder_snapshot(store.root)
    monkeypatch.setattr(os, step, _raise_no_space)

    with pytest.raises(StoreError) as caught:
        store.save(name, rich(bank))

    assert str(caught.value) == f"{store.path_for(name)}: cannot save: No space left on device"
    assert folder_snapshot(store.root) == before
    monkeypatch.undo()
    assert store.load(name) == blank(bank)


def test_an_interrupted_save_leaves_the_old_file_and_no_temporary_file(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = store.create(blank(bank))
    before = folder_snapshot(store.root)

    def interrupt(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)

    with pytest.raises(KeyboardInterrupt):
        store.save(name, rich(bank))

    assert folder_snapshot(store.root) == before


def test_a_failed_write_of_a_new_file_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    monkeypatch.setattr(os, "replace", _raise_no_space)

    with pytest.raises(StoreError, match="cannot save"):
        atomic_write(folder / "new.toml", "x = 1\n")

    assert list(folder.iterdir()) == []


def test_atomic_write_into_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "out.toml"

    with pytest.raises(StoreError) as caught:
        atomic_write(target, "x = 1\n")

    assert str(caught.value) == f"{target}: cannot save: No such file or directory"


# ---------------------------------------------------------------------------- unreadable files

VALID_BUT_OTHER = "schema = 'pilot-tui/assessment'\nschema_version = 1\n"
META = "[meta]\ntitle = 'x'\ncreated = 2026-01-01T00:00:00Z\nupdated = 2026-01-01T00:00:00Z\n"
DEFAULT_BANK_REF = "[bank]\nid = 'ai-pilot-to-production'\nversion = '1.0.0'\n"

UNREADABLE: list[tuple[str, bytes | None, str]] = [
    ("bad toml", b"title = [unclosed", "not valid TOML: "),
    ("not utf-8", b"title = '\xff\xfe'\n", "not UTF-8 text (bad byte at offset 9)"),
    (
        "not an assessment",
        b"schema = 'pilot-tui/bank'\n",
        "not a pilot-tui assessment (its schema is 'pilot-tui/bank'; "
        "expected schema = 'pilot-tui/assessment')",
    ),
    (
        "newer schema",
        b"schema = 'pilot-tui/assessment'\nschema_version = 9\n",
        "written by a newer pilot-tui (schema version 9; this one reads up to 2); upgrade",
    ),
    (
        "schema version a boolean",
        b"schema = 'pilot-tui/assessment'\nschema_version = true\n",
        "schema_version True is not a version number",
    ),
    (
        "wrong types",
        (VALID_BUT_OTHER + DEFAULT_BANK_REF + META.replace("'x'", "42")).encode(),
        "meta, title: Input should be a valid string",
    ),
    (
        "answers not a table",
        (VALID_BUT_OTHER + "answers = 'all'\n" + DEFAULT_BANK_REF + META).encode(),
        "answers: Input should be a valid dictionary",
    ),
    (
        "another bank",
        (VALID_BUT_OTHER + "[bank]\nid = 'other'\nversion = '1'\n" + META).encode(),
        "answered against bank 'other', but the bank in use is 'ai-pilot-to-production'",
    ),
    (
        "a choice the question does not have",
        (
            VALID_BUT_OTHER
            + DEFAULT_BANK_REF
            + META
            + "[answers.runbook]\nchoice = 'yes'\n[answers.on-call]\nchoice = 'maybe'\n"
        ).encode(),
        "answers, runbook: choice 'yes' is not one of met, partly, planned, not-met, unknown, na "
        "(and 1 more problem)",
    ),
    (
        "not applicable without a reason",
        (VALID_BUT_OTHER + DEFAULT_BANK_REF + META + "[answers.runbook]\nchoice = 'na'\n").encode(),
        "answers, runbook: not applicable needs a reason",
    ),
    (
        "a question id with a trailing newline",
        (
            VALID_BUT_OTHER + DEFAULT_BANK_REF + META + '[answers."runbook\\n"]\nowner = "x"\n'
        ).encode(),
        "answers: question id 'runbook\\n' is not a valid id",
    ),
    (
        "a control character in the title",
        (VALID_BUT_OTHER + DEFAULT_BANK_REF + META.replace("'x'", '"\\u001b[2J"')).encode(),
        "meta, title: must be one line without control, invisible or text-direction",
    ),
    ("a folder", None, "is a folder, not a file"),
]


@pytest.fixture(params=UNREADABLE, ids=[case[0] for case in UNREADABLE])
def unreadable(request: pytest.FixtureRequest, store: Store, bank: Bank) -> Iterator[str]:
    """A data dir holding a readable 'good' assessment and an unreadable 'broken' file."""
    _, content, reason = request.param
    store.create(blank(bank), "good")
    path = store.root / "broken.toml"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    yield reason


def test_an_unreadable_file_is_listed_with_its_reason(store: Store, unreadable: str) -> None:
    entries = {entry.name: entry for entry in store.listing()}

    assert sorted(entries) == ["broken", "good"]
    assert entries["good"].glance is not None and entries["good"].error is None
    broken = entries["broken"]
    assert broken.glance is None
    assert broken.path == store.root / "broken.toml"
    assert broken.error is not None
    assert unreadable in broken.error
    assert not broken.error.startswith(str(store.root))  # the path is shown beside it
    assert "\n" not in broken.error


def test_an_unreadable_file_is_never_overwritten_by_save(
    store: Store, bank: Bank, unreadable: str
) -> None:
    before = folder_snapshot(store.root)

    with pytest.raises(StoreError) as caught:
        store.save("broken", blank(bank))

    message = str(caught.value)
    assert message.startswith(f"{store.root / 'broken.toml'}: ")
    assert unreadable in message
    assert message.endswith("; not overwritten (move or fix the file first)")
    assert folder_snapshot(store.root) == before


def test_an_unreadable_file_is_never_replaced_by_a_forced_import(
    store: Store, bank: Bank, unreadable: str, tmp_path: Path
) -> None:
    source = tmp_path / "incoming.toml"
    source.write_text(dumps_assessment(rich(bank)), encoding="utf-8")
    before = folder_snapshot(store.root)

    with pytest.raises(StoreError, match="not overwritten"):
        store.import_file(source, name="broken", force=True)
    with pytest.raises(StoreError, match="already exists"):
        store.create(rich(bank), "broken")

    assert folder_snapshot(store.root) == before


def test_loading_a_hostile_file_names_the_file_and_the_problem(
    store: Store, unreadable: str
) -> None:
    with pytest.raises(StoreError) as caught:
        store.load("broken")

    assert str(caught.value).startswith(f"{store.root / 'broken.toml'}: ")
    assert unreadable in str(caught.value)


def test_an_assessment_that_does_not_fit_the_bank_is_not_saved(store: Store, bank: Bank) -> None:
    name = store.create(blank(bank))
    before = folder_snapshot(store.root)
    bad = with_answer(blank(bank), "runbook", Answer(choice="sometimes"), now=NOW)

    with pytest.raises(StoreError, match=r"not saved: answers, runbook: choice 'sometimes'"):
        store.save(name, bad)

    assert folder_snapshot(store.root) == before


# ---------------------------------------------------------------------------- limits


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "huge.toml"
    text = dumps_assessment(blank(bank))
    path.write_text(text + "#" * (MAX_FILE_BYTES + 1 - len(text)), encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES + 1

    with pytest.raises(StoreError) as caught:
        load_assessment_file(path, bank)

    assert str(caught.value) == f"{path}: larger than the 2 MiB limit"


def test_a_file_exactly_at_the_size_limit_loads(tmp_path: Path, bank: Bank) -> None:
    path = tmp_path / "big.toml"
    text = dumps_assessment(blank(bank))
    path.write_text(text + "#" * (MAX_FILE_BYTES - len(text)), encoding="utf-8")
    assert path.stat().st_size == MAX_FILE_BYTES

    assert load_assessment_file(path, bank) == blank(bank)


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        read_toml(tmp_path / "nope.toml")

    assert str(caught.value) == f"{tmp_path / 'nope.toml'}: no such file"


def test_deeply_nested_toml_is_refused_not_crashing(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")

    with pytest.raises(StoreError, match="not valid TOML"):
        read_toml(path)


# ---------------------------------------------------------------------------- permissions


@pytest.fixture
def umask() -> Iterator[Callable[[int], None]]:
    original = os.umask(0o022)
    os.umask(original)

    def set_umask(mask: int) -> None:
        os.umask(mask)

    yield set_umask
    os.umask(original)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("mask", [0o000, 0o022, 0o077])
def test_the_data_dir_and_its_files_are_private(
    tmp_path: Path, bank: Bank, umask: Callable[[int], None], mask: int
) -> None:
    umask(mask)
    store = Store(tmp_path / "not" / "yet" / "data", bank)

    name = store.create(blank(bank))
    store.save(name, rich(bank))

    assert _mode(store.root) == 0o700
    assert _mode(store.path_for(name)) == 0o600


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o077, 0o600)])
def test_an_export_has_the_users_usual_permissions(
    tmp_path: Path, umask: Callable[[int], None], mask: int, expected: int
) -> None:
    umask(mask)
    target = tmp_path / "shared.toml"

    atomic_write(target, "x = 1\n", private=False)

    assert _mode(target) == expected
    assert target.read_text(encoding="utf-8") == "x = 1\n"


# ---------------------------------------------------------------------------- locations


def test_data_dir_comes_from_the_option_then_the_environment_then_the_platform(
    monkeypatch: pytest.MonkeyPatch, isolated_home: Path, tmp_path: Path
) -> None:
    assert resolve_data_dir(tmp_path / "opt") == tmp_path / "opt"
    assert resolve_data_dir("~/mine") == isolated_home / "mine"
    monkeypatch.setenv("PILOT_TUI_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == tmp_path / "env"
    monkeypatch.delenv("PILOT_TUI_DATA_DIR")
    assert resolve_data_dir() == isolated_home / ".local" / "share" / "pilot-tui"


def test_load_reference_takes_a_name_or_a_path(
    store: Store, bank: Bank, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = store.create(rich(bank))
    outside = tmp_path / "elsewhere.toml"
    outside.write_text(dumps_assessment(blank(bank)), encoding="utf-8")

    assert store.load_reference(name) == (rich(bank), store.path_for(name))
    assert store.load_reference(str(outside)) == (blank(bank), outside)
    monkeypatch.chdir(tmp_path)
    assert store.load_reference("elsewhere.toml")[0] == blank(bank)
    with pytest.raises(StoreError, match=r"^missing\.toml: no such file$"):
        store.load_reference("missing.toml")
    with pytest.raises(StoreError, match=r"^no assessment named 'missing' in "):
        store.load_reference("missing")


# ---------------------------------------------------------------------------- import, export


def test_import_names_a_hostile_title_safely_and_refuses_to_replace_without_force(
    store: Store, bank: Bank, tmp_path: Path
) -> None:
    incoming = with_meta(blank(bank), now=NOW, title="../../../etc/passwd")
    source = tmp_path / "incoming.toml"
    source.write_text(dumps_assessment(incoming), encoding="utf-8")

    name = store.import_file(source)

    assert name == "etc-passwd"
    assert store.load(name) == incoming
    assert sorted(p.name for p in store.root.iterdir()) == ["etc-passwd.toml"]
    before = folder_snapshot(store.root)
    with pytest.raises(StoreError, match="already exists; use --force"):
        store.import_file(source)
    assert folder_snapshot(store.root) == before

    replacement = with_meta(rich(bank), now=NOW, title="../../../etc/passwd")
    source.write_text(dumps_assessment(replacement), encoding="utf-8")
    assert store.import_file(source, force=True) == "etc-passwd"
    assert store.load("etc-passwd") == replacement


def test_import_refuses_a_hostile_file_and_changes_nothing(
    store: Store, bank: Bank, tmp_path: Path
) -> None:
    store.create(blank(bank), "existing")
    before = folder_snapshot(store.root)
    source = tmp_path / "hostile.toml"
    source.write_text(
        VALID_BUT_OTHER + DEFAULT_BANK_REF + META + "[answers.'../../x']\nchoice = 'met'\n",
        encoding="utf-8",
    )

    with pytest.raises(StoreError) as caught:
        store.import_file(source, name="existing", force=True)

    assert str(caught.value).startswith(f"{source}: answers: ")
    assert "is not a valid id" in str(caught.value)
    assert folder_snapshot(store.root) == before


def test_export_text_is_the_stored_assessment(store: Store, bank: Bank) -> None:
    name = store.create(rich(bank))

    text = store.export_text(name)

    assert parse_assessment(tomllib.loads(text), Path("x")) == rich(bank)
    assert text == store.path_for(name).read_text(encoding="utf-8")


def test_backup_copies_the_file_privately_out_of_the_listing(store: Store, bank: Bank) -> None:
    name = store.create(rich(bank))

    copy = store.backup(name)

    assert copy.parent == store.root / ".backup"
    assert copy.read_bytes() == store.path_for(name).read_bytes()
    assert _mode(copy) == 0o600
    assert store.names() == [name]
