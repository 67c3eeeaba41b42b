"""The JSON Schemas shipped for editors (pilot_tui/schemas/): what the records generate now, never
stricter than pilot-tui (every file it reads validates), refusing what they say they refuse, and
found by an editor through the `#:schema` line every written file starts with.

Files are validated as an editor sees them: TOML turned into JSON with its dates and times as the
strings Taplo writes for them, by the `jsonschema` library, under draft 2020-12 (what the schemas
name) and draft 7 (what Taplo, which editors use, reads them as), with formats checked.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any
from urllib.parse import urljoin
from urllib.request import url2pathname

import jsonschema
import pytest
from helpers import Cli, assert_one_error_line

from pilot_tui.core import records
from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    ContextChange,
    Milestone,
    Participant,
    Waiver,
    new_assessment,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_ANSWERS, MAX_MILESTONES, MAX_NOTES, MAX_TITLE, MIN_REASON
from pilot_tui.schemas import DRAFT, KINDS, Kind, generated_text, shipped_text
from pilot_tui.store import Store, dumps_assessment, load_assessment_file, load_bank
from pilot_tui.store import format as store_module
from pilot_tui.store.files import StoreError
from pilot_tui.store.format import SCHEMA_DIRECTIVE, SCHEMA_FILE

TESTS = Path(__file__).parent
ROOT = TESTS.parent
HOSTILE = TESTS / "hostile"
NOW = datetime(2026, 5, 4, 3, 2, 1, tzinfo=UTC)
VALIDATORS: list[type[Any]] = [jsonschema.Draft202012Validator, jsonschema.Draft7Validator]


def schema_of(kind: Kind) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(shipped_text(kind))
    return loaded


def as_json(value: Any) -> Any:
    """VALUE read from TOML, as the JSON an editor validates: Taplo writes a date-time with an
    offset in RFC 3339 (UTC as Z), a local one without, dates and times as ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, datetime) and value.utcoffset() is not None:
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def schema_errors(kind: Kind, text: str) -> list[str]:
    """What each validator finds wrong with the TOML TEXT (the same, or the test fails)."""
    found: list[list[str]] = []
    data = as_json(tomllib.loads(text.removeprefix("\ufeff")))
    for validator_class in VALIDATORS:
        checker = validator_class.FORMAT_CHECKER
        # Without rfc3339-validator installed, jsonschema skips date-time formats in silence.
        assert {"date", "date-time"} <= set(checker.checkers)
        validator = validator_class(schema_of(kind), format_checker=checker)
        found.append(sorted(error.message for error in validator.iter_errors(data)))
    assert found[0] == found[1], "draft 2020-12 and draft 7 disagree"
    return found[0]


def loads(path: Path, bank: Bank) -> bool:
    try:
        load_assessment_file(path, bank)
    except StoreError:
        return False
    return True


def full_assessment(bank: Bank) -> Assessment:
    """An assessment with every field of every record filled in."""
    answer = Answer(
        choice="partly",
        notes="Line one\n\tline two, ≥ 0.92 “quoted”",
        owner="Ana",
        due=date(2026, 6, 30),
        evidence="docs/runbook.md",
        verified=date(2026, 5, 1),
    )
    answers = {
        "runbook": answer,
        "cost-cap": Answer(choice="na", reason="flat-fee contract with the vendor"),
        "on-call": Answer(notes="Only notes so far."),
        "a-question-the-bank-lost": Answer(choice="met"),
    }
    assessment = new_assessment(
        bank,
        "Claims triage bot",
        team="Claims AI",
        facilitator="Dana Ødegård",
        stage="pilot, 3 months in",
        respondent="Ana",
        context={"system": ["llm-tools"]},
        now=NOW,
    )
    return dataclasses.replace(
        assessment,
        answers=answers,
        participants={
            "ana": Participant(name="Ana", source="ana.toml", answers=answers),
            "bo-li": Participant(name="Bo Li", answers={"runbook": Answer(choice="met")}),
        },
        milestones=[
            Milestone(
                label="Workshop 1",
                created=NOW,
                answers=answers,
                context={"system": ["llm-app"]},
                bank_version=bank.version,
            )
        ],
        context_changes=[
            ContextChange(
                at=NOW,
                before={"system": ["llm-app"]},
                after={"system": ["llm-tools"]},
                reason="it now calls the claims API itself",
            )
        ],
        waivers={
            "success-criteria-agreed": Waiver(
                reason="the pilot serves five internal users only",
                requester="Ana",
                approver="Cy",
                expires=date(2026, 9, 30),
                answer="partly",
                granted=NOW,
            )
        },
    )


# ---------------------------------------------------------------------------- the shipped files


@pytest.mark.parametrize("kind", KINDS)
def test_the_shipped_schemas_are_what_the_records_generate_now(kind: Kind) -> None:
    assert shipped_text(kind) == generated_text(kind), (
        "the records changed: run `python -m pilot_tui.schemas` and commit the schemas"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_is_valid_and_says_what_it_is(kind: Kind) -> None:
    schema = schema_of(kind)

    assert list(schema)[:4] == ["$schema", "$id", "title", "description"]
    assert schema["$schema"] == DRAFT == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"urn:pilot-tui:schema:{kind}"
    assert schema["title"].startswith("pilot-tui ") and len(schema["description"]) > 80
    for validator_class in VALIDATORS:
        validator_class.check_schema(schema)
    # The first two lines of a file say what it is.
    assert schema["required"][:2] == ["schema", "schema_version"]
    assert schema["properties"]["schema"] == {
        "const": f"pilot-tui/{kind}",
        "description": "What the file is: always this.",
    }


def test_a_field_documented_in_the_code_is_documented_for_the_editor() -> None:
    answer = schema_of("assessment")["$defs"]["Answer"]["properties"]
    # The first paragraph of the field's docstring: what an editor shows over the key.
    assert answer["reason"]["description"] == (
        "Why the question does not apply, when the choice is not applicable."
    )
    assert "\n\n" not in answer["choice"]["description"]
    question = schema_of("bank")["$defs"]["Question"]["properties"]
    assert question["title"]["description"] == "A short label for lists and the command palette."


# ---------------------------------------------------------------------------- never stricter


def test_the_files_of_every_schema_version_validate(bank: Bank) -> None:
    # The files people already have (tests/test_schema_history.py), one per earlier version.
    fixtures = sorted((TESTS / "fixtures").glob("schema-v*.toml"))

    assert "schema-v1.toml" in [path.name for path in fixtures]
    for path in fixtures:
        assert loads(path, bank), path.name
        assert schema_errors("assessment", path.read_text(encoding="utf-8")) == [], path.name


def test_a_file_with_every_field_written_by_the_store_validates(store: Store, bank: Bank) -> None:
    name = store.create(full_assessment(bank))
    text = store.path_for(name).read_text(encoding="utf-8")

    # The file is of the current version (2) and holds every kind of record.
    assert "schema_version = 2" in text and "[waivers.success-criteria-agreed]" in text
    assert "[[milestones]]" in text and "[[context_changes]]" in text
    assert "[participants.bo-li" in text and "verified = 2026-05-01" in text
    assert schema_errors("assessment", text) == []


def test_files_made_by_the_command_line_validate(cli: Cli, tmp_path: Path) -> None:
    name = cli("new", "Claims bot", "--team", "Claims AI").out.strip()
    assert cli("answer", name, "runbook", "met", "--owner", "Ana", "--due", "2026-07-01").code == 0
    assert cli("answer", name, "cost-cap", "na", "--reason", "flat-fee contract").code == 0
    assert cli("milestone", name, "Workshop 1").code == 0
    mine = tmp_path / "ana.toml"
    assert cli("export", name, "-o", str(mine)).code == 0
    merged = tmp_path / "team.toml"
    assert cli("merge", str(mine), "-o", str(merged)).code == 0

    for path in (mine, merged):
        assert schema_errors("assessment", path.read_text(encoding="utf-8")) == [], path.name


def test_every_hostile_file_pilot_tui_reads_validates(bank: Bank) -> None:
    read = [path for path in sorted(HOSTILE.glob("*.toml")) if loads(path, bank)]

    # Markup, paths in titles, every script, byte order marks, CRLF, the most participants...
    assert len(read) >= 10
    for path in read:
        assert schema_errors("assessment", path.read_text(encoding="utf-8")) == [], path.name


# The meta table of a file, with its time stamps as TOML can write them.
META = '[meta]\ntitle = "Claims bot"\n'
DATE_FORMS = {
    # (the created line, the due line): pilot-tui reads them, and so does the schema
    "offset date-times": ("created = 2026-03-02T09:30:00+02:00", "due = 2026-04-30"),
    "UTC with a space": ("created = 2026-03-02 09:30:00Z", "due = 2026-04-30"),
    "local date-time": ("created = 2026-03-02T09:30:00", "due = 2026-04-30"),
    "fractions": ("created = 2026-03-02T09:30:00.250", "due = 2026-04-30"),
    "a date for a time": ("created = 2026-03-02", "due = 2026-04-30"),
    "midnight for a date": ("created = 2026-03-02T09:30:00Z", "due = 2026-04-30T00:00:00"),
    "midnight UTC": ("created = 2026-03-02T09:30:00Z", "due = 2026-04-30T00:00:00Z"),
    "quoted": ('created = "2026-03-02T09:30:00Z"', 'due = "2026-04-30"'),
}
REFUSED_DATE_FORMS = {
    # refused by pilot-tui and by the schema alike
    "a time for a time stamp": ("created = 09:30:00", "due = 2026-04-30"),
    "a time of day for a date": ("created = 2026-03-02T09:30:00Z", "due = 2026-04-30T09:30:00"),
    "words": ("created = 2026-03-02T09:30:00Z", 'due = "next week"'),
    "no such day": ("created = 2026-03-02T09:30:00Z", 'due = "2026-02-30"'),
}


def dated_file(created: str, due: str) -> str:
    return (
        'schema = "pilot-tui/assessment"\nschema_version = 2\n\n'
        '[bank]\nid = "ai-pilot-to-production"\nversion = "2.1.0"\n\n'
        f"{META}{created}\n{created.replace('created', 'updated')}\n\n"
        f'[answers.runbook]\nchoice = "partly"\nowner = "Ana"\n{due}\n'
    )


@pytest.mark.parametrize(("created", "due"), DATE_FORMS.values(), ids=list(DATE_FORMS))
def test_every_date_form_pilot_tui_reads_validates(
    created: str, due: str, tmp_path: Path, bank: Bank
) -> None:
    path = tmp_path / "dated.toml"
    path.write_text(dated_file(created, due), encoding="utf-8")

    assert loads(path, bank)
    assert schema_errors("assessment", path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("created", "due"), REFUSED_DATE_FORMS.values(), ids=list(REFUSED_DATE_FORMS)
)
def test_a_date_pilot_tui_refuses_is_refused_by_the_schema(
    created: str, due: str, tmp_path: Path, bank: Bank
) -> None:
    path = tmp_path / "dated.toml"
    path.write_text(dated_file(created, due), encoding="utf-8")

    assert not loads(path, bank)
    assert schema_errors("assessment", path.read_text(encoding="utf-8")) != []


def test_what_the_schema_cannot_say_is_left_to_pilot_tui(tmp_path: Path, bank: Bank) -> None:
    # An escape sequence in a title, a waiver approved by its own requester: Python checks
    # (`Check` in core/records.py) that a schema cannot express. Refused by pilot-tui, and let
    # through by the schema, which is never stricter than pilot-tui.
    written = dumps_assessment(full_assessment(bank))
    for changed in (
        written.replace('title = "Claims triage bot"', 'title = "Claims \\u001b[2J bot"'),
        written.replace('approver = "Cy"', 'approver = "ana"'),
    ):
        assert changed != written
        path = tmp_path / "checked.toml"
        path.write_text(changed, encoding="utf-8")
        assert not loads(path, bank)
        assert schema_errors("assessment", changed) == []


def test_every_bank_pilot_tui_reads_validates() -> None:
    banks = [ROOT / "assets" / "default-bank.toml", *sorted((TESTS / "banks").glob("*.toml"))]
    read = []
    for path in banks:
        try:
            load_bank(path)
        except StoreError:
            continue
        read.append(path.name)
        assert schema_errors("bank", path.read_text(encoding="utf-8")) == [], path.name

    assert {"default-bank.toml", "small.toml", "rules.toml"} <= set(read)


# ---------------------------------------------------------------------------- what it refuses

# Hostile files pilot-tui refuses for a reason the schema says too: types, required and unknown
# keys, limits, the file's schema lines. (The rest are refused for what only Python checks.)
SCHEMA_REFUSES = [
    "empty.toml",
    "future-schema-version.toml",
    "long-key.toml",
    "long-notes.toml",
    "long-owner.toml",
    "long-title.toml",
    "missing-bank.toml",
    "missing-meta.toml",
    "missing-schema.toml",
    "missing-title.toml",
    "schema-version-zero.toml",
    "too-many-milestones.toml",
    "too-many-participants.toml",
    "type-answers-string.toml",
    "type-choice-number.toml",
    "type-created-time-only.toml",
    "type-due-text.toml",
    "type-participants-array.toml",
    "type-schema-version-text.toml",
    "type-title-number.toml",
    "unknown-field.toml",
    "unknown-schema.toml",
]


@pytest.mark.parametrize("name", SCHEMA_REFUSES)
def test_a_file_refused_for_what_the_schema_says_is_refused_by_it(name: str, bank: Bank) -> None:
    path = HOSTILE / name

    assert not loads(path, bank)
    assert schema_errors("assessment", path.read_text(encoding="utf-8")) != []


def edited(bank: Bank, edit: Callable[[dict[str, Any]], None]) -> str:
    """A written file's text, with its data changed by EDIT, written back as TOML."""
    import tomli_w

    data = tomllib.loads(dumps_assessment(full_assessment(bank)))
    edit(data)
    return tomli_w.dumps(data)


LIMITS: dict[str, tuple[Callable[[dict[str, Any], int], None], int]] = {
    # name: (set a value of SIZE, the largest size pilot-tui takes)
    "title": (lambda data, size: data["meta"].update(title="T" * size), MAX_TITLE),
    "notes": (lambda data, size: data["answers"]["runbook"].update(notes="n" * size), MAX_NOTES),
    "answers": (
        lambda data, size: data.update(answers={f"q{i}": {} for i in range(size)}),
        MAX_ANSWERS,
    ),
    "milestones": (
        lambda data, size: data.update(
            milestones=[{"label": f"M{i}", "created": NOW} for i in range(size)]
        ),
        MAX_MILESTONES,
    ),
}


@pytest.mark.parametrize("limit", LIMITS)
def test_the_limits_are_the_schemas_to_the_character(limit: str, bank: Bank) -> None:
    change, largest = LIMITS[limit]

    at_limit = edited(bank, lambda data: change(data, largest))
    over = edited(bank, lambda data: change(data, largest + 1))

    assert schema_errors("assessment", at_limit) == []
    assert schema_errors("assessment", over) != []
    for text, valid in ((at_limit, True), (over, False)):
        try:
            records.validate(Assessment, tomllib.loads(text))
        except records.InvalidData:
            assert not valid
        else:
            assert valid


def test_a_short_waiver_reason_and_an_empty_title_are_refused(bank: Bank) -> None:
    def short_reason(data: dict[str, Any]) -> None:
        data["waivers"]["success-criteria-agreed"]["reason"] = "x" * (MIN_REASON - 1)

    assert schema_errors("assessment", edited(bank, short_reason)) != []
    assert schema_errors("assessment", edited(bank, lambda d: d["meta"].update(title=""))) != []


def test_a_bank_with_a_wrong_type_or_an_unknown_key_is_refused() -> None:
    text = (ROOT / "assets" / "default-bank.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    import tomli_w

    data["sections"][0]["questions"][0]["weight"] = "heavy"
    data["sections"][0]["colour"] = "red"
    errors = schema_errors("bank", tomli_w.dumps(data))

    assert "'heavy' is not of type 'number'" in errors
    assert "Additional properties are not allowed ('colour' was unexpected)" in errors


# ---------------------------------------------------------------------------- the directive


def test_a_written_file_names_its_schema_on_its_first_line(store: Store) -> None:
    name = store.create(new_assessment(store.bank, "Claims bot", now=NOW))

    text = store.path_for(name).read_text(encoding="utf-8")

    # Taplo's directive, then a blank line (Tombi reads the directive only with one).
    first, blank, rest = text.split("\n", 2)
    assert first == f"#:schema ./{SCHEMA_FILE}" == "#:schema ./pilot-tui-assessment.schema.json"
    assert blank == "" and rest.startswith('schema = "pilot-tui/assessment"\n')
    assert text.startswith(SCHEMA_DIRECTIVE)


def test_the_directive_leads_an_editor_to_the_schema_beside_the_file(
    cli: Cli, store: Store, tmp_path: Path
) -> None:
    # What the README says to do once per folder, then what Taplo does with the directive: a
    # path is taken relative to the document (`#:schema ./foo-schema.json`).
    folder = tmp_path / "repo" / "assessments"
    folder.mkdir(parents=True)
    name = store.create(new_assessment(store.bank, "Claims bot", now=NOW))
    document = folder / "claims.toml"
    assert cli("export", name, "-o", str(document)).code == 0
    (folder / SCHEMA_FILE).write_text(cli("schema", "assessment").out, encoding="utf-8")

    first_line = document.read_text(encoding="utf-8").splitlines()[0]
    target = urljoin(document.as_uri(), first_line.removeprefix("#:schema").split()[0])
    schema = json.loads(Path(url2pathname(target.removeprefix("file://"))).read_text())

    assert schema == schema_of("assessment")
    data = as_json(tomllib.loads(document.read_text(encoding="utf-8")))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(data)


def test_a_file_without_the_directive_loads_as_it_did_and_is_trusted(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Every file written before the directive: it opens unchanged, and is recognised as the
    # store's own form (built without validating from the second time), as it was before.
    assessment = full_assessment(bank)
    name = store.create(assessment)
    path = store.path_for(name)
    old_form = path.read_bytes().removeprefix(SCHEMA_DIRECTIVE.encode("utf-8"))
    path.write_bytes(old_form)
    validations: list[object] = []
    real = records.validate

    def counting(kind: type[Any], data: Any) -> Any:
        validations.append(kind)
        return real(kind, data)

    monkeypatch.setattr(store_module, "validate", counting)

    first = Store(store.root, bank).load(name)
    second = Store(store.root, bank).load(name)

    assert first == second == store.load(name)
    assert first.answers == assessment.answers and first.waivers == assessment.waivers
    assert validations == [Assessment]  # the first load only
    assert path.read_bytes() == old_form  # reading never rewrites


def test_reading_then_writing_a_file_is_stable(store: Store, bank: Bank) -> None:
    name = store.create(full_assessment(bank))
    path = store.path_for(name)
    written = path.read_bytes()

    assert dumps_assessment(store.load(name)).encode("utf-8") == written
    # An old file gains the directive when it is next saved, and keeps it from then on.
    path.write_bytes(written.removeprefix(SCHEMA_DIRECTIVE.encode("utf-8")))
    assert dumps_assessment(load_assessment_file(path, bank)).encode("utf-8") == written


# ---------------------------------------------------------------------------- the command


@pytest.mark.parametrize("kind", KINDS)
def test_pilot_tui_schema_prints_the_shipped_schema(cli: Cli, kind: Kind) -> None:
    result = cli("schema", kind)

    assert result.code == 0 and result.err == ""
    assert result.out == shipped_text(kind)
    assert json.loads(result.out)["$id"] == f"urn:pilot-tui:schema:{kind}"


def test_an_unknown_kind_of_schema_is_one_line(cli: Cli) -> None:
    error = assert_one_error_line(cli("schema", "report"))

    assert "invalid choice: 'report' (choose from 'assessment', 'bank')" in error
    assert_one_error_line(cli("schema"), contains="the following arguments are required: kind")


def test_printing_a_schema_loads_neither_pydantic_nor_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "pilot_tui", "schema", "assessment"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "pilot-tui assessment"
    imported = {
        line.rsplit("|", 1)[-1].strip()
        for line in result.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "pilot_tui.schemas" in imported
    assert not {m for m in imported if m.split(".")[0] in ("pydantic", "pydantic_core", "textual")}
