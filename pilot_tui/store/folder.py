"""The assessments in one data folder: listing, loading, saving, naming, import, backup.

Every write goes to a temporary file in the same folder, is flushed to disk, then renamed over
the old file, so a crash leaves either the old or the new file, never half of one. A file that
cannot be read is never overwritten: the user has to see it and decide.

Two writers (two app windows, or the app and `pilot-tui answer`) may hold the same assessment.
A save that is given the version its writer last read (its base) first checks whether the file
changed since: if so, the two sets of changes are merged when they touch different things
(core/writers.py), and when they clash the file is left as it is and the writer's version goes
to a conflicting copy beside it. Nothing is overwritten silently.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pilot_tui.core.assessment import (
    Assessment,
    check_against_bank,
    now_utc,
    with_meta,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_TITLE
from pilot_tui.core.writers import merge_assessments
from pilot_tui.store.files import (
    OtherBank,
    RefusedSave,
    StoreError,
    atomic_write,
    folder_lock,
    not_a_file,
    read_bytes,
    reason,
    shown,
)
from pilot_tui.store.format import (
    Fingerprint,
    as_written,
    checked_bytes,
    dumps_assessment,
    load_assessment_file,
    read_assessment_bytes,
    validate_bytes,
)
from pilot_tui.store.known_valid import digest, known_valid
from pilot_tui.store.names import (
    NAME_RE,
    SUFFIX,
    check_name,
    looks_like_path,
    slugify,
)

# Scoring loads with the first listing (in the list's worker, after the first frame), not with
# the store: the app's start does not need it.
if TYPE_CHECKING:
    from pilot_tui.core.portfolio import Glance, Pilot, Standing

BACKUP_DIR: Final = ".backup"
MAX_BACKUP_BYTES: Final = 256 * 1024 * 1024
"""A file with an assessment's name that is too large to read is still backed up when deleted."""


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


# ---------------------------------------------------------------------------- the store


@dataclass(frozen=True)
class Listed:
    """One file in the data folder as a list shows it: at a glance, or why it cannot be read."""

    name: str
    path: Path
    glance: Glance | None
    error: str | None
    other_bank: str | None = None
    """The bank ("id version") it was answered against, when that is why it cannot be read."""
    standing: Standing | None = None
    """Its scorecard and trend, when asked for (see Store.listing)."""


NOT_A_NAME: Final = (
    "the file name is not an assessment name (lowercase letters, digits and dashes); rename "
    "the file to open it"
)


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
        return [p.stem for p in self._visible_files() if NAME_RE.fullmatch(p.stem)]

    def listing(self, *, standings: bool = False) -> list[Listed]:
        """Every file, readable or not, at a glance: what a list of them shows; and each one's
        standing (its whole scorecard) as well when STANDINGS."""
        return list(self.read_listing(standings=standings)[1])

    def read_listing(self, *, standings: bool = False) -> tuple[int, Iterator[Listed]]:
        """How many files the folder holds, and each of them as listing() gives it, one at a
        time as it is read: a list can show the first while the others are read (on a first
        run, or after a pull that changed many files, each new file is validated: about a
        second per hundred).

        Each file's bytes are read and checked against the glance kept for that very content
        (by digest, as known_valid.py keeps records): only a file whose content is new since
        the last listing is read in full, validated and scored.
        """
        paths = self._visible_files()
        return len(paths), self._glances_of(paths, standings)

    def _glances_of(self, paths: list[Path], standings: bool) -> Iterator[Listed]:
        from pilot_tui.core.portfolio import Glance, glance_of

        known = known_valid()
        kept = known.glances()
        used: dict[str, Glance] = {}
        new = False
        try:
            for path in paths:
                name = path.stem
                if not NAME_RE.fullmatch(name):
                    yield Listed(name, path, None, NOT_A_NAME)
                    continue
                try:
                    raw, status = read_assessment_bytes(path)
                    key = digest(raw, self.bank)
                    glance = kept.get(key)
                    standing = None
                    if isinstance(glance, Glance):
                        used[key] = glance
                        if standings:
                            standing = self._kept_standing(path, raw, status)
                    else:
                        assessment = self._remember(path, raw, status)
                        standing = self.standing(path, assessment)
                        glance = glance_of(self.bank, assessment, standing)
                        # Kept only when validated, and true whatever the day: see Glance.
                        if not assessment.waivers and key in known:
                            used[key] = glance
                            new = True
                except StoreError as error:
                    problem = str(error).removeprefix(f"{shown(path)}: ")
                    other = error.bank if isinstance(error, OtherBank) else None
                    yield Listed(name, path, None, problem, other)
                    continue
                yield Listed(name, path, glance, None, standing=standing)
        finally:
            # Also when the reader stops early (a newer reading replaced it): what was worked
            # out is kept for the next.
            if new:
                known.keep_glances(kept, used)

    def _remember(self, path: Path, raw: bytes, status: os.stat_result) -> Assessment:
        """The assessment RAW (read from PATH, of STATUS) holds, as a save's base."""
        assessment = validate_bytes(raw, path, self.bank)
        self._seen[path.absolute()] = (Fingerprint.of(raw, status), assessment)
        return assessment

    def _kept_standing(self, path: Path, raw: bytes, status: os.stat_result) -> Standing:
        """The standing of RAW, a content with a glance (so without waivers: see Glance)."""
        kept = known_valid().standing(digest(Fingerprint.of(raw, status).digest, self.bank))
        return kept or self.standing(path, self._remember(path, raw, status))

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
        return self._remember(path, *read_assessment_bytes(path))

    def standing(self, path: Path, assessment: Assessment) -> Standing:
        """ASSESSMENT's standing (scorecard and trend since its last milestone), read from PATH
        by this store: kept in the cache by the file's content, so that listing a thousand
        unchanged pilots again does not score them again."""
        from pilot_tui.core.portfolio import standing_of

        seen = self._seen.get(path.absolute())
        # A waiver holds until a day: the same content stands differently once it expires.
        if seen is None or seen[1] is not assessment or assessment.waivers:
            return standing_of(self.bank, assessment)
        known, key = known_valid(), digest(seen[0].digest, self.bank)
        kept = known.standing(key)
        if kept is None:
            kept = standing_of(self.bank, assessment)
            known.keep_standing(key, kept)
        return kept

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
            raw, status = read_assessment_bytes(path)
            seen = self._seen.get(path.absolute())
            if (
                base is not None
                and seen is not None
                and seen[0] == Fingerprint.of(raw, status)
                and (seen[1] is base or seen[1] == base)
            ):
                # Untouched since our own read or write, which parsed: no need to parse again.
                return None
            theirs = validate_bytes(raw, path, self.bank)
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


@dataclass(frozen=True)
class Reading:
    """What read_many found."""

    pilots: list[Pilot]
    """Each file read, scored."""
    unreadable: list[tuple[str, str]]
    """(source, reason) of each file that cannot be read."""
    other_banks: dict[str, str]
    """The bank ("id version") each unreadable file answered against another bank names."""


def read_many(store: Store, paths: list[Path]) -> Reading:
    """The assessments in PATHS (folders, whose .toml files are read, and files), or in the data
    folder when there are none. Nothing is written, and no file is left out silently."""
    from pilot_tui.core.portfolio import Pilot, pilot_row

    reading = Reading([], [], {})
    if not paths:
        for entry in store.listing(standings=True):
            source = shown(entry.path)
            if entry.glance is None or entry.standing is None:
                reading.unreadable.append((source, entry.error or "unreadable"))
                if entry.other_bank is not None:
                    reading.other_banks[source] = entry.other_bank
            else:
                glance = entry.glance
                reading.pilots.append(
                    Pilot(entry.name, source, glance.meta, glance.bank, entry.standing)
                )
        return reading
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            try:
                with os.scandir(path) as listing:
                    files += sorted(
                        path / item.name
                        for item in listing
                        if item.name.endswith(SUFFIX) and not item.name.startswith(".")
                    )
            except OSError as error:
                reading.unreadable.append((shown(path), f"cannot list the folder: {reason(error)}"))
        elif os.path.lexists(path):
            files.append(path)
        else:
            # Named on purpose and not there: a typo, which must not pass for "no pilots".
            raise StoreError(f"{shown(path)}: no such file or folder")
    # One file reached twice (named twice, or through a link) is one pilot, named after the
    # file itself rather than a link to it.
    unique: dict[str, Path] = {}
    for path in files:
        target = os.path.realpath(path)
        if target not in unique or (unique[target].is_symlink() and not path.is_symlink()):
            unique[target] = path
    names = _distinct_names(list(unique.values()))
    for path in unique.values():
        source = shown(path)
        try:
            assessment = store._load_path(path)
        except StoreError as error:
            reading.unreadable.append((source, str(error).removeprefix(f"{source}: ")))
            if isinstance(error, OtherBank):
                reading.other_banks[source] = error.bank
            continue
        # The name comes from the file system, never checked: made printable, so it cannot
        # act on a terminal or a page wherever it is shown.
        standing = store.standing(path, assessment)
        reading.pilots.append(
            pilot_row(store.bank, shown(names[path]), source, assessment, standing)
        )
    return reading


def _distinct_names(paths: list[Path]) -> dict[Path, str]:
    """Each file's name without .toml, with as many of its folders before it as it takes to
    tell it from the others ("claims/assessment" and "fraud/assessment" in a repository where
    each team's folder holds an assessment.toml)."""
    depth = {path: 0 for path in paths}

    def name(path: Path) -> str:
        parts = [*path.parent.parts[len(path.parent.parts) - depth[path] :], path.stem]
        return "/".join(parts) if depth[path] else path.stem

    while True:
        seen: dict[str, list[Path]] = {}
        for path in paths:
            seen.setdefault(name(path), []).append(path)
        clashing = [
            path
            for group in seen.values()
            if len(group) > 1
            for path in group
            if depth[path] < len(path.parent.parts)
        ]
        if not clashing:
            return {path: name(path) for path in paths}
        for path in clashing:
            depth[path] += 1
