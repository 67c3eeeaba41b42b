"""Which file contents were already validated, so that opening them again can skip pydantic.

Validating a file means importing pydantic and building its validators, about a quarter of a
second, which would more than double the app's start-up. After a file has been validated (or
written: the store checks a record and reads its text back before writing it), the digest of
its exact bytes is kept here; the next load of those same bytes builds the records directly.
A digest also covers the bank, and the rules themselves: pilot-tui's version, the versions of
pydantic and pydantic-core that validate, and the code of every module of the core and of the
store (all of them, found in the package, not a list someone must keep). So another bank, or
a pilot-tui or a validator whose rules changed in any way, validates again. Only files in the
canonical form the store writes are recorded: for them, building the records directly gives
exactly what validating gives (tested).

Beside the digests, the records each validated content gave are kept (pickled, by digest):
reading a thousand assessments for a portfolio then costs no TOML parsing either, which is most
of the time once validation is skipped. So are the standings (scorecard and trend) the store
worked out for a content, so that an unchanged pilot is not scored again for the next list.

This is a cache in the user's cache folder: losing it, or losing a line of it to two processes
writing at once, only costs time. Each kept file starts with the digest of the rest, so a file
damaged on disk (a flipped bit, a cut) is read as missing, never as other data. Unpickling runs
code a record names: the folder is made the user's own (mode 0700, its files 0600), and a file
anyone else could have written is not read (whoever can write as the user can already change
the user's programs). Nothing here is opened in a way that could block: a named pipe with a
cache file's name is passed over like a damaged file.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import os
import pickle
import stat
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

from pilot_tui import __version__
from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank

if TYPE_CHECKING:  # loaded with the first listing, not with the store
    from pilot_tui.core.portfolio import Glance, Standing

FILE_NAME: Final = "validated-files"
RECORDS: Final = "validated-records"
"""The folder, beside FILE_NAME, of the records each digest's content gave."""
GLANCES: Final = "glances-"
"""The start of the file's name, beside FILE_NAME, of the glances (what a list shows) of
contents read, by digest; the rest is the rules' digest, so that a new pilot-tui drops the
glances of the old one at once, rather than reading them with every list."""
BANKS: Final = "banks"
"""The folder, beside FILE_NAME, of the built-in bank as built from its text, by digest."""
STANDINGS: Final = "standings"
"""The folder, beside FILE_NAME, of the standings (scorecard and trend) of contents read."""
MAX_DIGESTS: Final = 5000
"""Past this many lines the file is cut to the newest half."""
MAX_CACHE_BYTES: Final = 4 * MAX_DIGESTS * 65
"""Far more than MAX_DIGESTS lines of 64 hex digits: a larger file is not ours, and ignored."""


def cache_dir() -> Path:
    """The platform's per-user cache folder (on Linux $XDG_CACHE_HOME/pilot-tui)."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("pilot-tui", appauthor=False))


RULE_PACKAGES: Final = ("core", "store")
"""The packages of pilot_tui whose code decides whether a file is valid: every module in them."""
VALIDATORS: Final = ("pydantic-", "pydantic_core-")
"""The installed distributions whose versions decide it too (their dist-info folder names)."""


def rule_sources() -> list[Path]:
    """Every module of the packages that decide what a valid file is, in a stable order."""
    root = Path(__file__).resolve().parent.parent
    return sorted(path for package in RULE_PACKAGES for path in (root / package).rglob("*.py"))


def validator_versions() -> list[str]:
    """The dist-info names of pydantic and pydantic-core ("pydantic-2.14.4.dist-info"), read
    without importing them (that would cost the quarter of a second this cache saves)."""
    spec = importlib.util.find_spec("pydantic")
    if spec is None or spec.origin is None:
        return []
    folder = Path(spec.origin).parent.parent
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(n for n in names if n.startswith(VALIDATORS) and n.endswith(".dist-info"))


def rules_digest(sources: list[Path], versions: list[str]) -> bytes:
    """The digest of the rules: pilot-tui's version, the validators' versions, the sources."""
    rules = hashlib.sha256(__version__.encode("utf-8"))
    for version in versions:
        rules.update(version.encode("utf-8"))
    for source in sources:
        rules.update(source.name.encode("utf-8"))
        try:
            rules.update(source.read_bytes())
        except OSError:
            rules.update(b"unreadable")
    return rules.digest()


@cache
def _rules_digest() -> bytes:
    # The source itself rather than a version number someone must remember to raise: a rule
    # made stricter without a new release must not let files through on an old digest.
    return rules_digest(rule_sources(), validator_versions())


_BANK_DIGESTS: dict[int, tuple[Bank, bytes]] = {}


def _bank_digest(bank: Bank) -> bytes:
    # repr lists every field of every record in order: two banks with equal content have equal
    # reprs, and a change anywhere changes it. Kept by the bank's identity: hashing a whole
    # bank for a lookup, once per file read, would cost more than a portfolio's scoring.
    found = _BANK_DIGESTS.get(id(bank))
    if found is not None and found[0] is bank:
        return found[1]
    value = hashlib.sha256(repr(bank).encode("utf-8")).digest()
    _BANK_DIGESTS[id(bank)] = (bank, value)
    return value


def digest(raw: bytes, bank: Bank) -> str:
    """The key of a file's bytes, read with BANK under this pilot-tui's rules."""
    key = hashlib.sha256(_rules_digest() + _bank_digest(bank))
    key.update(raw)
    return key.hexdigest()


class KnownValid:
    """The digests of validated file contents, read from PATH once and added to as files pass."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._digests: set[str] | None = None

    def _loaded(self) -> set[str]:
        if self._digests is None:
            from pilot_tui.store.files import StoreError, read_bytes

            try:
                # Never blocking, whatever has the cache's name (a named pipe, say).
                raw, status = read_bytes(self.path, MAX_CACHE_BYTES)
            except StoreError:
                raw = b""
            else:
                if not _ours(status):
                    raw = b""  # a digest here skips validation: trusted only from the user
            self._digests = set(raw.decode("ascii", "replace").split())
        return self._digests

    def __contains__(self, key: str) -> bool:
        return key in self._loaded()

    def add(self, key: str) -> None:
        digests = self._loaded()
        if key in digests:
            return
        digests.add(key)
        try:
            _private_folder(self.path.parent)
            # One short line appended: other processes' lines are kept, and no temporary file
            # or fsync is needed for what is only a cache. Never blocking (a named pipe), and
            # never onto a file the user does not own alone: that one goes.
            flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC
            descriptor = os.open(self.path, flags, 0o600)
            with os.fdopen(descriptor, "ab") as handle:
                status = os.fstat(descriptor)
                if not stat.S_ISREG(status.st_mode) or not _ours(status):
                    os.unlink(self.path)
                    return  # written afresh by the next file validated
                handle.write(f"{key}\n".encode("ascii"))
                full = handle.tell() > MAX_DIGESTS * (len(key) + 1)
            if full:
                self._prune()
        except OSError:
            # Not written: the file will simply be validated again next time.
            return

    def record(self, key: str) -> Assessment | None:
        """The records a content of digest KEY gave when it was validated, if kept."""
        found = self._kept(RECORDS, key)
        return found if isinstance(found, Assessment) else None

    def keep(self, key: str, assessment: Assessment) -> None:
        """Keep ASSESSMENT, what a content of digest KEY gives, for the next read of it."""
        self._keep(RECORDS, key, assessment)

    def bank(self, text: str) -> Bank | None:
        """The bank the built-in bank's TEXT gave under these rules, if kept."""
        found = self._kept(BANKS, _text_key(text))
        return found if isinstance(found, Bank) else None

    def keep_bank(self, text: str, bank: Bank) -> None:
        self._keep(BANKS, _text_key(text), bank)

    def standing(self, key: str) -> Standing | None:
        """The standing (scorecard and trend) a content of digest KEY gave, if kept."""
        from pilot_tui.core.portfolio import Standing

        found = self._kept(STANDINGS, key)
        return found if isinstance(found, Standing) else None

    def keep_standing(self, key: str, standing: Standing) -> None:
        self._keep(STANDINGS, key, standing)

    def glances(self) -> dict[str, object]:
        """The glance (what a list shows) each content gave, by digest: one file for all of
        them, since a list reads them all (a thousand files of their own took a third of a
        second to open)."""
        found = _unpickled(self._glances_file())
        # Each value is checked as it is used (Store.listing): a damaged one is read afresh.
        return found if isinstance(found, dict) else {}

    def _glances_file(self) -> Path:
        return self.path.parent / f"{GLANCES}{_rules_digest().hex()[:16]}"

    def keep_glances(self, kept: dict[str, object], used: dict[str, Glance]) -> None:
        """Keep the glances a listing USED with those KEPT before (other folders' among them),
        as many as MAX_DIGESTS; past that, the ones this listing did not use go."""
        together: dict[str, object] = {**kept, **used}
        if len(together) > MAX_DIGESTS:
            together = dict(used)
        # Two listings at once keep one's new glances: only a cache.
        path = self._glances_file()
        _pickle_to(self.path.parent, path, together)
        with suppress(OSError), os.scandir(path.parent) as found:
            for entry in found:
                if entry.name.startswith(GLANCES) and entry.name != path.name:
                    with suppress(OSError):
                        os.unlink(entry.path)  # an older pilot-tui's

    def _kept(self, folder: str, key: str) -> object:
        return _unpickled(self.path.parent / folder / f"{key}.pickle")

    def _keep(self, folder: str, key: str, value: object) -> None:
        _pickle_to(self.path.parent, self.path.parent / folder / f"{key}.pickle", value)

    def _prune(self) -> None:
        from pilot_tui.store.files import StoreError, atomic_write

        lines = self.path.read_text(encoding="ascii", errors="replace").split()
        kept = lines[-MAX_DIGESTS // 2 :]
        with suppress(StoreError):  # only a cache: left as it is, it is merely longer
            atomic_write(self.path, "".join(f"{line}\n" for line in kept))
        # The records of the digests dropped go with them; the standings all go (they are
        # kept by another key, and scoring a file again costs less than a millisecond).
        keys = set(kept)
        for folder in (RECORDS, STANDINGS):
            with suppress(OSError), os.scandir(self.path.parent / folder) as found:
                for entry in found:
                    if folder == STANDINGS or entry.name.removesuffix(".pickle") not in keys:
                        with suppress(OSError):
                            os.unlink(entry.path)


def _text_key(text: str) -> str:
    return hashlib.sha256(_rules_digest() + text.encode("utf-8")).hexdigest()


SEAL_BYTES: Final = hashlib.sha256().digest_size
MAX_KEPT_BYTES: Final = 256 * 1024 * 1024
"""Far more than any kept file of ours (the glances of MAX_DIGESTS files are a few MiB)."""


def _unpickled(path: Path) -> object:
    """What PATH keeps, or None when it is missing, damaged, not a file of ours, or not safe."""
    from pilot_tui.store.files import StoreError, read_bytes

    try:
        raw, status = read_bytes(path, MAX_KEPT_BYTES)  # never blocks; regular files only
    except StoreError:
        return None
    if not _ours(status):
        return None  # someone else could have written it: see the module's docstring
    seal, payload = raw[:SEAL_BYTES], raw[SEAL_BYTES:]
    if _seal(path, payload) != seal:
        return None  # damaged, another file's under this name, or from before seals
    # Without the collector meanwhile: a thousand glances are tens of thousands of new objects,
    # all kept, and the collector would walk them again and again as they are made (it doubled
    # the time to read them in the app).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    except Exception:  # made by another version of a class, say: read or scored again
        return None
    finally:
        if collecting:
            gc.enable()


def _ours(status: os.stat_result) -> bool:
    """Whether a kept file of STATUS could have been written by the user alone."""
    mine = not hasattr(os, "getuid") or status.st_uid == os.getuid()
    return mine and not status.st_mode & 0o022


def _seal(path: Path, payload: bytes) -> bytes:
    """The digest a kept file starts with: of its name (which holds its key) and its content,
    so that a file moved under another's name is not read as that one."""
    return hashlib.sha256(path.name.encode("utf-8") + b"\0" + payload).digest()


def _pickle_to(root: Path, path: Path, value: object) -> None:
    """Keep VALUE at PATH, in ROOT (the cache's own folder) or a folder in it."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    temporary = path.parent / f".{path.name}.{os.getpid()}"
    try:
        _private_folder(root, None if path.parent == root else path.parent)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NONBLOCK | os.O_CLOEXEC
        descriptor = os.open(temporary, flags, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(_seal(path, payload))
            handle.write(payload)
        # Whole or not at all for a reader; no fsync for what is only a cache.
        os.replace(temporary, path)
    except OSError:
        with suppress(OSError):
            temporary.unlink()


def _private_folder(root: Path, folder: Path | None = None) -> None:
    """The cache's own folder ROOT, and FOLDER in it, made if missing, for the user alone: the
    cache holds every pilot's title and standing. A ROOT made readable by others (by an older
    pilot-tui, which made it as the parent of a subfolder, with the usual mode) is made private.
    """
    for each in (root,) if folder is None else (root, folder):
        each.mkdir(mode=0o700, parents=True, exist_ok=True)
        if stat.S_IMODE(each.stat().st_mode) & 0o077:
            os.chmod(each, 0o700)


def known_valid() -> KnownValid:
    """The digests of this user (the same for every data folder: the keys are contents)."""
    # Once per cache folder, not once per file read: asking platformdirs costs more than the
    # lookup. The folder follows the environment (tests give each their own).
    return _known_valid_at(_cache_file(os.environ.get("XDG_CACHE_HOME"), os.environ.get("HOME")))


@cache
def _cache_file(xdg_cache_home: str | None, home: str | None) -> Path:
    return cache_dir() / FILE_NAME


@cache
def _known_valid_at(path: Path) -> KnownValid:
    return KnownValid(path)
