"""Where assessments live on disk: reading, atomic writing, naming, import and export.

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the old file, so a crash leaves either the old or the new file, never half of one. A file that
cannot be read is never overwritten: the user has to see it and decide.

Two writers (two app windows, or the app and `pilot-tui answer`) may hold the same assessment.
A save that is given the version its writer last read (its base) first checks whether the file
changed since: if so, the two sets of changes are merged when they touch different things, and
when they clash the file is left as it is and the writer's version goes to a conflicting copy
beside it. Nothing is overwritten silently.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any, Final

import tomli_w

from pilot_tui.core.assessment import (
    ASSESSMENT_SCHEMA,
    ASSESSMENT_SCHEMA_VERSION,
    Assessment,
    BankRef,
    check_against_bank,
    now_utc,
    with_meta,
)
from pilot_tui.core.bank import Bank, BankError, parse_bank
from pilot_tui.core.limits import MAX_FILE_BYTES, MAX_TITLE
from pilot_tui.core.problems import and_more
from pilot_tui.core.records import InvalidData, build, check, validate
from pilot_tui.core.text import slug
from pilot_tui.core.writers import merge_assessments
from pilot_tui.files import (
    RefusedSave,
    StoreError,
    atomic_write,
    folder_lock,
    not_a_file,
    read_bytes,
    reason,
    shown,
)
from pilot_tui.known_valid import digest, known_valid

APP_NAME: Final = "pilot-tui"
DATA_DIR_ENV: Final = "PILOT_TUI_DATA_DIR"
SUFFIX: Final = ".toml"
BACKUP_DIR: Final = ".backup"
DEFAULT_BANK_FILE: Final = "default-bank.toml"
MAX_BACKUP_BYTES: Final = 256 * 1024 * 1024
"""A file with an assessment's name that is too large to read is still backed up when deleted."""

NAME_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
_NAME_RE: Final = re.compile(NAME_PATTERN)
_SLUG_MAX: Final = 48
# Names Windows will not open as files, whatever the extension.
_RESERVED: Final = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)


# ---------------------------------------------------------------------------- locations


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then $PILOT_TUI_DATA_DIR, then the platform's per-user data folder."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    # platformdirs is only needed here; importing it lazily keeps it off every other path.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


# ---------------------------------------------------------------------------- reading


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file within the size limit, or raise StoreError naming the file."""
    return parse_toml_bytes(_read_bytes(path)[0], path)


def _read_bytes(path: Path) -> tuple[bytes, os.stat_result]:
    """The file's bytes within the size limit, and the status of the very file they came from."""
    return read_bytes(path, MAX_FILE_BYTES)


def parse_toml_bytes(raw: bytes, path: Path) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise StoreError(
            f"{shown(path)}: not UTF-8 text (bad byte at offset {error.start})"
        ) from None
    # Some editors on Windows start UTF-8 files with a byte order mark; TOML itself does not.
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StoreError(f"{shown(path)}: not valid TOML: {error}") from None
    except RecursionError:
        raise StoreError(f"{shown(path)}: not valid TOML: nested too deeply") from None
    except ValueError as error:
        # tomllib lets Python's limit on integer digits (4300) through as a plain ValueError.
        raise StoreError(
            f"{shown(path)}: not valid TOML: {' '.join(str(error).split())[:200]}"
        ) from None


def parse_assessment(data: Mapping[str, Any], path: Path) -> Assessment:
    schema = data.get("schema")
    version = data.get("schema_version")
    if schema != ASSESSMENT_SCHEMA:
        found = "it has no schema line" if schema is None else f"its schema is {schema!r}"
        raise StoreError(
            f"{shown(path)}: not a pilot-tui assessment ({found}; "
            f"expected schema = {ASSESSMENT_SCHEMA!r})"
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StoreError(f"{shown(path)}: schema_version {version!r} is not a version number")
    if version > ASSESSMENT_SCHEMA_VERSION:
        raise StoreError(
            f"{shown(path)}: written by a newer pilot-tui (schema version {version}; "
            f"this one reads up to {ASSESSMENT_SCHEMA_VERSION}); upgrade pilot-tui to open it"
        )
    try:
        return validate(Assessment, data)
    except InvalidData as error:
        raise StoreError(f"{shown(path)}: {error}") from None


def load_assessment_file(path: Path, bank: Bank) -> Assessment:
    """Read and fully validate an assessment file against the bank in use."""
    return _load_fingerprinted(path, bank)[0]


def _load_fingerprinted(path: Path, bank: Bank) -> tuple[Assessment, Fingerprint]:
    raw, status = _read_bytes(path)
    return _validate_bytes(raw, path, bank), Fingerprint.of(raw, status)


def _validate_bytes(raw: bytes, path: Path, bank: Bank) -> Assessment:
    data = parse_toml_bytes(raw, path)
    known, key = known_valid(), digest(raw, bank)
    if key in known:
        # A file of another shape under a known digest (a damaged cache, say) is validated.
        with suppress(Exception):
            return build(Assessment, data)
    assessment = parse_assessment(data, path)
    problems = check_against_bank(assessment, bank)
    if problems:
        raise StoreError(f"{shown(path)}: {and_more(problems)}")
    # Only the canonical form is recorded: building records straight from it gives exactly
    # what validating it gives (a local time, say, is turned into UTC by validation only).
    if dumps_assessment(assessment).encode("utf-8") == raw:
        known.add(key)
    return assessment


def as_written(assessment: Assessment, bank: Bank) -> Assessment:
    """ASSESSMENT as this pilot-tui writes it: the current schema version, and the bank in use.

    An older pilot-tui then says the file is newer than it, rather than stumbling on fields
    it does not know; and the file says which bank its answers were last given against.
    """
    return replace(
        assessment,
        schema_version=ASSESSMENT_SCHEMA_VERSION,
        bank=BankRef(id=bank.id, version=bank.version),
    )


def dumps_assessment(assessment: Assessment) -> str:
    return tomli_w.dumps(assessment.to_data(), multiline_strings=True)


def checked_bytes(assessment: Assessment, path: Path, bank: Bank) -> bytes:
    """The file for ASSESSMENT, checked and read back before it is written: it always loads.

    Without pydantic (see core/records.py): the record is checked against its annotations,
    and the text must read back as the very same record.
    """
    try:
        check(assessment)
        problems = check_against_bank(assessment, bank)
    except InvalidData as error:
        problems = error.problems
    if problems:
        raise RefusedSave(f"{shown(path)}: not saved: {and_more(problems)}")
    raw = dumps_assessment(assessment).encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise RefusedSave(
            f"{shown(path)}: not saved: {len(raw) / (1024 * 1024):.1f} MiB is more than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB a file may have"
        )
    try:
        same = build(Assessment, tomllib.loads(raw.decode("utf-8"))) == assessment
    except Exception:
        same = False
    if not same:
        raise RefusedSave(f"{shown(path)}: not saved: it would not read back as it is")
    return raw


# ---------------------------------------------------------------------------- banks


def load_bank(path: str | os.PathLike[str] | None = None) -> Bank:
    """The bank at PATH, or the default bank shipped with pilot-tui."""
    if path is None:
        # Validated by the tests (and `pilot-tui bank validate`), not at every start: that
        # would import pydantic before the first frame (see core/records.py).
        return build(Bank, tomllib.loads(default_bank_text()))
    bank_path = Path(path)
    data = read_toml(bank_path)
    try:
        bank = parse_bank(data)
    except BankError as error:
        if len(error.problems) == 1:
            raise StoreError(f"{shown(bank_path)}: invalid bank: {error.problems[0]}") from None
        raise StoreError(
            f"{shown(bank_path)}: invalid bank ({len(error.problems)} problems; "
            f"`pilot-tui bank validate {shown(bank_path)}` lists them)"
        ) from None
    shipped = load_bank()
    if (bank.id, bank.version) == (shipped.id, shipped.version) and bank != shipped:
        # Scores and reports name the bank by id and version: an edited copy under the
        # built-in bank's name would pass its own rules off as the standard ones.
        raise StoreError(
            f"{shown(bank_path)}: has the id and version of the built-in bank "
            f"({bank.id} {bank.version}) but different content; give your copy its own id"
        )
    return bank


def default_bank_text() -> str:
    packaged = resources.files("pilot_tui").joinpath("assets", DEFAULT_BANK_FILE)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # In a source checkout the assets sit beside the package rather than inside it.
    return (Path(__file__).parent.parent / "assets" / DEFAULT_BANK_FILE).read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- two writers


@dataclass(frozen=True)
class Fingerprint:
    """What a file on disk looked like when this writer last read or wrote it.

    Size and mtime alone miss a same-size rewrite within one mtime tick (a whole second or two
    on some file systems); the hash of the bytes does not.
    """

    size: int
    mtime_ns: int
    digest: bytes

    @classmethod
    def of(cls, raw: bytes, status: os.stat_result) -> Fingerprint:
        return cls(
            status.st_size, status.st_mtime_ns, hashlib.blake2b(raw, digest_size=16).digest()
        )


@dataclass(frozen=True)
class SaveResult:
    """What a save did.

    path: the file that now holds the writer's version; assessment: exactly what was written
    there (with the other writer's changes merged in, or retitled as a conflicting copy).
    merged: what was taken from a version someone else saved meanwhile ("answer ID", "title").
    conflicts: what both changed differently; when there are any, the original file was left as
    the other writer saved it and path is a new conflicting copy beside it.
    """

    path: Path
    assessment: Assessment
    merged: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    @property
    def conflict_path(self) -> Path | None:
        return self.path if self.conflicts else None


def _conflict_stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dt%H%M%Sz")


# ---------------------------------------------------------------------------- names


def slugify(title: str) -> str:
    """A safe file name from a title: lowercase ASCII letters, digits and dashes only."""
    name = slug(title, _SLUG_MAX)
    if not name:
        return "assessment"
    return f"{name}-assessment" if name in _RESERVED else name


def check_name(name: str) -> str:
    if not _NAME_RE.fullmatch(name) or name in _RESERVED:
        raise StoreError(
            f"{name[:80]!r} is not a valid assessment name: use 1 to 64 lowercase letters, "
            "digits and dashes, starting with a letter or digit"
        )
    return name


def looks_like_path(reference: str) -> bool:
    return reference.endswith(SUFFIX) or "/" in reference or os.sep in reference


# ---------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class Entry:
    """One file in the data dir, with its assessment or the reason it cannot be read."""

    name: str
    path: Path
    assessment: Assessment | None
    error: str | None


class Store:
    """The assessments in one data folder, validated against one bank."""

    def __init__(self, root: Path, bank: Bank) -> None:
        self.root = root
        self.bank = bank
        # Per file: its fingerprint when this store last read or wrote it, and what it held then.
        # A save whose base is that very version, onto an unchanged file, needs no second read.
        self._seen: dict[Path, tuple[Fingerprint, Assessment]] = {}

    def ensure_root(self) -> None:
        """Create the data folder if it is missing; StoreError when its name is something else."""
        if self._root_status() is not None:
            return
        try:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            self.root.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise StoreError(
                f"{shown(self.root)}: cannot create the data folder: {reason(error)}"
            ) from None

    def _root_status(self) -> os.stat_result | None:
        """The data folder's status, None when it does not exist yet, or StoreError when it
        cannot be a data folder (a file, a dangling link, a folder the user cannot enter)."""
        root = self.root
        try:
            status = os.stat(root)
        except FileNotFoundError:
            if os.path.islink(root):
                raise StoreError(
                    f"{shown(root)}: the data folder is a link to "
                    f"{shown(os.readlink(root))}, which does not exist"
                ) from None
            return None
        except OSError as error:
            raise StoreError(
                f"{shown(root)}: cannot use the data folder: {reason(error)}"
            ) from None
        if not stat.S_ISDIR(status.st_mode):
            raise StoreError(
                f"{shown(root)}: the data folder is not a folder (choose another with "
                "--data-dir or $PILOT_TUI_DATA_DIR)"
            )
        return status

    def path_for(self, name: str) -> Path:
        return self.root / f"{check_name(name)}{SUFFIX}"

    def _visible_files(self) -> list[Path]:
        """Every TOML file in the folder but our own hidden temporary and backup files.

        Whatever has such a name is listed (a folder, a named pipe, a link): nothing is hidden
        from the user, and reading it later says what it is.
        """
        if self._root_status() is None:
            return []
        try:
            with os.scandir(self.root) as found:
                names = [
                    entry.name
                    for entry in found
                    if entry.name.endswith(SUFFIX) and not entry.name.startswith(".")
                ]
        except OSError as error:
            raise StoreError(
                f"{shown(self.root)}: cannot list the data folder: {reason(error)}"
            ) from None
        return sorted((self.root / name for name in names), key=lambda path: path.stem)

    def names(self) -> list[str]:
        """The names of the files that can be addressed by name."""
        return [p.stem for p in self._visible_files() if _NAME_RE.fullmatch(p.stem)]

    def entries(self) -> list[Entry]:
        """Every file, readable or not; none is hidden from the user."""
        result: list[Entry] = []
        for path in self._visible_files():
            if not _NAME_RE.fullmatch(path.stem):
                reason = (
                    "the file name is not an assessment name (lowercase letters, digits and "
                    "dashes); rename the file to open it"
                )
                result.append(Entry(path.stem, path, None, reason))
                continue
            try:
                result.append(Entry(path.stem, path, self.load(path.stem), None))
            except StoreError as error:
                problem = str(error).removeprefix(f"{shown(path)}: ")
                result.append(Entry(path.stem, path, None, problem))
        return result

    def exists(self, name: str) -> bool:
        """Whether anything has NAME's file name (a dangling link too: the name is taken)."""
        path = self.path_for(name)
        self._root_status()
        return os.path.lexists(path)

    def load(self, name: str) -> Assessment:
        path = self.path_for(name)
        if not self.exists(name):
            raise StoreError(
                f"no assessment named {name!r} in {shown(self.root)} (`pilot-tui list`)"
            )
        return self._load_path(path)

    def _load_path(self, path: Path) -> Assessment:
        assessment, fingerprint = _load_fingerprinted(path, self.bank)
        self._seen[path.absolute()] = (fingerprint, assessment)
        return assessment

    def load_reference(self, reference: str) -> tuple[Assessment, Path]:
        """NAME in the store, or the path of any assessment file."""
        if looks_like_path(reference) and Path(reference).exists():
            path = Path(reference)
            return self._load_path(path), path
        if looks_like_path(reference):
            raise StoreError(f"{reference}: no such file")
        return self.load(reference), self.path_for(reference)

    def save(
        self, name: str, assessment: Assessment, *, base: Assessment | None = None
    ) -> SaveResult:
        """Write an assessment over NAME, unless the file there cannot be read (see save_file)."""
        return self.save_file(self.path_for(name), assessment, base=base)

    def save_file(
        self, path: Path, assessment: Assessment, *, base: Assessment | None = None
    ) -> SaveResult:
        """Write an assessment to PATH, in the store or not, unless the file there is unreadable.

        base: the version this writer last read from PATH or wrote to it. Given one, a file
        that changed since is not overwritten blindly: the other writer's changes are merged in
        when they touch other things, and otherwise the file is left as it is and ASSESSMENT
        goes to a conflicting copy beside it. Without one, the file is replaced (an import with
        --force, say, means to replace it).
        """
        problems = check_against_bank(assessment, self.bank)
        if problems:
            raise RefusedSave(f"{shown(path)}: not saved: {problems[0]}")
        if path.parent == self.root:
            self.ensure_root()
        with folder_lock(path.parent):
            theirs = self._changed_on_disk(path, base)
            if theirs is None or base is None:
                return self._write(path, assessment)
            merged, taken, clashes = merge_assessments(base, assessment, theirs)
            if not clashes:
                written = self._write(path, merged)
                return SaveResult(path, written.assessment, merged=tuple(taken))
            return self._write_conflicting_copy(path, assessment, clashes)

    def _changed_on_disk(self, path: Path, base: Assessment | None) -> Assessment | None:
        """The version on disk when it is not BASE (or when there is no base); None when there
        is no file, or it is still exactly what this writer last read or wrote.

        Raises StoreError for a file that cannot be read: it is never replaced.
        """
        if not path.exists():
            # Deleted (to the backup folder) meanwhile: writing brings the answers back.
            return None
        try:
            raw, status = _read_bytes(path)
            seen = self._seen.get(path.absolute())
            if (
                base is not None
                and seen is not None
                and seen[0] == Fingerprint.of(raw, status)
                and (seen[1] is base or seen[1] == base)
            ):
                # Untouched since our own read or write, which parsed: no need to parse again.
                return None
            theirs = _validate_bytes(raw, path, self.bank)
        except StoreError as error:
            raise RefusedSave(f"{error}; not overwritten (move or fix the file first)") from None
        return None if theirs == base else theirs

    def _write(self, path: Path, assessment: Assessment) -> SaveResult:
        assessment = as_written(assessment, self.bank)
        raw = checked_bytes(assessment, path, self.bank)
        status = atomic_write(path, raw)
        known_valid().add(digest(raw, self.bank))
        self._seen[path.absolute()] = (Fingerprint.of(raw, status), assessment)
        return SaveResult(path, assessment)

    def _write_conflicting_copy(
        self, path: Path, assessment: Assessment, clashes: list[str]
    ) -> SaveResult:
        """Keep PATH as the other writer left it; write ASSESSMENT as a new file beside it.

        Named by the store's usual rules (lowercase, dashes, no dots), so it is listed like any
        other assessment and opens by name; its title says what it is.
        """
        stamp = _conflict_stamp()
        suffix = f"-conflict-{stamp}"
        stem = path.stem[: 64 - len(suffix) - 3].rstrip("-") or "assessment"
        copy, counter = path.with_name(f"{stem}{suffix}{SUFFIX}"), 2
        while copy.exists():
            copy = path.with_name(f"{stem}{suffix}-{counter}{SUFFIX}")
            counter += 1
        note = f" (conflicting copy {stamp.upper()})"
        title = assessment.meta.title[: MAX_TITLE - len(note)].rstrip() + note
        written = self._write(copy, with_meta(assessment, now=now_utc(), title=title))
        return SaveResult(copy, written.assessment, conflicts=tuple(clashes))

    def _refuse_if_unreadable(self, path: Path) -> None:
        """A file that cannot be read is the user's to fix: it is never replaced."""
        try:
            load_assessment_file(path, self.bank)
        except StoreError as error:
            raise StoreError(f"{error}; not overwritten (move or fix the file first)") from None

    def unique_name(self, title: str) -> str:
        base = slugify(title)
        taken = {p.stem for p in self._visible_files()}
        name, counter = base, 2
        while name in taken:
            suffix = f"-{counter}"
            name = f"{base[: 64 - len(suffix)]}{suffix}"
            counter += 1
        return name

    def create(self, assessment: Assessment, name: str | None = None) -> str:
        """Store a new assessment under NAME (or a name made from its title); never replaces one."""
        chosen = check_name(name) if name is not None else self.unique_name(assessment.meta.title)
        if self.exists(chosen):
            raise StoreError(f"an assessment named {chosen!r} already exists")
        self.ensure_root()
        self._write(self.path_for(chosen), assessment)
        return chosen

    def import_file(
        self,
        source: Path,
        *,
        name: str | None = None,
        force: bool = False,
        keep_both: bool = False,
    ) -> str:
        """Validate SOURCE, then copy it in, named NAME or after its title; returns the name.

        When that name is taken: keep_both stores it under a fresh name, force replaces the
        existing assessment (after a backup copy), and otherwise nothing changes.
        """
        assessment = load_assessment_file(source, self.bank)
        chosen = check_name(name) if name is not None else slugify(assessment.meta.title)
        if not self.exists(chosen):
            return self.create(assessment, chosen)
        if keep_both:
            return self.create(assessment, self.unique_name(chosen))
        if not force:
            raise StoreError(
                f"an assessment named {chosen!r} already exists; use --force to replace "
                "it, or --as NAME to import under another name"
            )
        # Checked before the backup: an unreadable file is never replaced, not even with force.
        self._refuse_if_unreadable(self.path_for(chosen))
        self.backup(chosen)
        self.save(chosen, assessment)
        return chosen

    def export_text(self, name: str) -> str:
        return dumps_assessment(self.load(name))

    def backup(self, name: str) -> Path:
        """Copy NAME's file into the backup folder, stamped with the time, and return the copy."""
        path = self.path_for(name)
        folder = self.root / BACKUP_DIR
        raw, _ = read_bytes(path, MAX_BACKUP_BYTES)
        try:
            folder.mkdir(mode=0o700, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{shown(folder)}: cannot create: {reason(error)}") from None
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        copy = folder / f"{name}-{stamp}{SUFFIX}"
        atomic_write(copy, raw)
        return copy

    def deletes_a_link(self, name: str) -> bool:
        """Whether deleting NAME removes a link (nothing to back up); StoreError when NAME is
        something pilot-tui does not delete (a named pipe, a device, a folder)."""
        path = self.path_for(name)
        try:
            status = os.lstat(path)
        except OSError as error:
            raise StoreError(f"{shown(path)}: cannot delete: {reason(error)}") from None
        if stat.S_ISLNK(status.st_mode):
            return True
        words = not_a_file(status.st_mode)
        if words:
            raise StoreError(f"{shown(path)}: {words}; not deleted (remove it yourself)")
        return False

    def delete(self, name: str) -> Path | None:
        """Remove NAME after copying it to the backup folder; returns the backup's path.

        A link is removed and nothing is copied (None is returned): the file it points to is
        not the data folder's and stays where it is. A named pipe, a device or a folder with an
        assessment's name is not pilot-tui's to remove.
        """
        path = self.path_for(name)
        copy = None if self.deletes_a_link(name) else self.backup(name)
        try:
            path.unlink()
        except OSError as error:
            raise StoreError(f"{shown(path)}: cannot delete: {reason(error)}") from None
        self._seen.pop(path.absolute(), None)
        return copy

    def duplicate(self, name: str, assessment: Assessment, title: str) -> str:
        """Store a copy of an assessment under a new title and a fresh name."""
        now = now_utc()
        copy = with_meta(assessment, now=now, title=title)
        copy = replace(copy, meta=replace(copy.meta, created=now))
        return self.create(copy)

    def retitle(self, name: str, assessment: Assessment, title: str) -> Assessment:
        """Give an assessment a new title. The file keeps its name, so scripts that use it and
        the CI gate go on working."""
        renamed = with_meta(assessment, now=now_utc(), title=title)
        # Against the version shown in the list: an app saving answers to it meanwhile keeps them.
        return self.save(name, renamed, base=assessment).assessment


# ---------------------------------------------------------------------------- settings

SETTINGS_FILE: Final = "settings.toml"


def settings_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / SETTINGS_FILE


def load_settings(path: Path | None = None) -> dict[str, str]:
    """The user's preferences (the theme); an unreadable file gives the defaults, not an error."""
    try:
        data = read_toml(path or settings_path())
    except StoreError:
        return {}
    return {key: value for key, value in data.items() if isinstance(value, str)}


def save_settings(settings: Mapping[str, str], path: Path | None = None) -> None:
    target = path or settings_path()
    if target.exists():
        read_toml(target)  # an unreadable settings file is the user's to fix, not ours to replace
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{shown(target.parent)}: cannot create: {error.strerror}") from None
    atomic_write(target, tomli_w.dumps(dict(settings)))
