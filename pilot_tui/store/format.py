"""The file format: TOML files of assessments and banks, read, validated and written.

Reading is the slow and the risky half: every file is parsed within a size limit and validated
against the bank in use, unless its exact bytes were validated before (known_valid.py). What is
written is first read back and validated as a file would be, so a file pilot-tui wrote always
opens.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Final

import tomli_w

from pilot_tui.core.assessment import (
    ASSESSMENT_SCHEMA,
    ASSESSMENT_SCHEMA_VERSION,
    Assessment,
    BankRef,
    check_against_bank,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.bank_checks import BankError, parse_bank
from pilot_tui.core.limits import MAX_FILE_BYTES
from pilot_tui.core.problems import and_more
from pilot_tui.core.records import InvalidData, build, validate
from pilot_tui.store.files import (
    OtherBank,
    RefusedSave,
    StoreError,
    read_bytes,
    shown,
)
from pilot_tui.store.known_valid import digest, known_valid

DEFAULT_BANK_FILE: Final = "default-bank.toml"


# ---------------------------------------------------------------------------- reading


def read_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file within the size limit, or raise StoreError naming the file."""
    return parse_toml_bytes(read_assessment_bytes(path)[0], path)


def read_assessment_bytes(path: Path) -> tuple[bytes, os.stat_result]:
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
    return validate_bytes(read_assessment_bytes(path)[0], path, bank)


def validate_bytes(raw: bytes, path: Path, bank: Bank) -> Assessment:
    known, key = known_valid(), digest(raw, bank)
    valid = key in known
    if valid:
        kept = known.record(key)
        if kept is not None:
            return kept  # this very content, validated before: not even parsed again
    data = parse_toml_bytes(raw, path)
    if valid:
        # A file of another shape under a known digest (a damaged cache, say) is validated.
        with suppress(Exception):
            built = build(Assessment, data)
            known.keep(key, built)
            return built
    assessment = parse_assessment(data, path)
    problems = check_against_bank(assessment, bank)
    if problems and assessment.bank.id != bank.id:
        raise OtherBank(
            f"{shown(path)}: {problems[0]}", f"{assessment.bank.id} {assessment.bank.version}"
        )
    if problems:
        raise StoreError(f"{shown(path)}: {and_more(problems)}")
    # Only the canonical form is recorded: building records straight from it gives exactly
    # what validating it gives (a local time, say, is turned into UTC by validation only).
    if is_canonical(raw, assessment):
        known.add(key)
        known.keep(key, assessment)
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


SCHEMA_FILE: Final = "pilot-tui-assessment.schema.json"
"""Where an editor looks for the assessment schema: beside the file (`pilot-tui schema`)."""
# Taplo's schema directive (and Tombi's, which needs the blank line after it): editors built on
# them validate and complete the file against the schema it names. The schema shipped in the
# installed package would need its absolute file:// path, which differs on every machine (and
# names the user's home folder): a file shared in git or by mail would change its first line
# with every writer, and point nowhere on the others' machines. No public address serves the
# schema either. A path relative to the file is the same everywhere and resolves wherever the
# schema is put beside the files, once per folder (README: "Editing files by hand"). Until it
# is, an editor finds no schema and validates nothing (Taplo logs it, and the directive outranks
# a schema set in the editor's settings: the README says so).
SCHEMA_DIRECTIVE: Final = f"#:schema ./{SCHEMA_FILE}\n\n"


def dumps_assessment(assessment: Assessment) -> str:
    return SCHEMA_DIRECTIVE + tomli_w.dumps(assessment.to_data(), multiline_strings=True)


def is_canonical(raw: bytes, assessment: Assessment) -> bool:
    """Whether RAW is the very text the store writes for ASSESSMENT, or that text without the
    schema directive, as every file written before the directive was (a comment, so the data
    read from it, and the records built from those, are the same)."""
    written = dumps_assessment(assessment).encode("utf-8")
    return raw in (written, written.removeprefix(SCHEMA_DIRECTIVE.encode("utf-8")))


def checked_bytes(assessment: Assessment, path: Path, bank: Bank) -> bytes:
    """The file for ASSESSMENT, read back and validated before it is written: it always loads.

    The text is validated exactly as a file is when it is opened, and must give back the very
    same assessment: a value that breaks a rule, a limit, or anything the TOML writer would not
    carry over unchanged is refused, and the file on disk is left as it is.
    """
    problems = check_against_bank(assessment, bank)
    if problems:
        raise RefusedSave(f"{shown(path)}: not saved: {and_more(problems)}")
    raw = dumps_assessment(assessment).encode("utf-8")
    if len(raw) > MAX_FILE_BYTES:
        raise RefusedSave(
            f"{shown(path)}: not saved: {len(raw) / (1024 * 1024):.1f} MiB is more than the "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB a file may have"
        )
    try:
        read_back = validate(Assessment, tomllib.loads(raw.decode("utf-8")))
    except InvalidData as error:
        raise RefusedSave(f"{shown(path)}: not saved: {and_more(error.problems)}") from None
    if read_back != assessment:
        raise RefusedSave(f"{shown(path)}: not saved: it would not read back as it is")
    return raw


# ---------------------------------------------------------------------------- banks


def load_bank(path: str | os.PathLike[str] | None = None) -> Bank:
    """The bank at PATH, or the default bank shipped with pilot-tui."""
    if path is None:
        # Validated by the tests (and `pilot-tui bank validate`), not at every start: that
        # would import pydantic before the first frame (see core/records.py). Built once per
        # text and pilot-tui: parsing it took a twentieth of a second of every start.
        text = default_bank_text()
        known = known_valid()
        kept = known.bank(text)
        if kept is None:
            kept = build(Bank, tomllib.loads(text))
            known.keep_bank(text, kept)
        return kept
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
    # The package is installed as files (never zipped), so a path finds the asset without
    # importlib.resources, which costs a start-up some milliseconds to import.
    packaged = Path(__file__).resolve().parents[1] / "assets" / DEFAULT_BANK_FILE
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    # In a source checkout the assets sit beside the package rather than inside it.
    source_checkout = Path(__file__).resolve().parents[2] / "assets" / DEFAULT_BANK_FILE
    return source_checkout.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------- fingerprints


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
