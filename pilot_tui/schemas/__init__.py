"""JSON Schemas of the two kinds of file people edit by hand: an assessment and a question bank.

Editors validate and complete TOML against a JSON Schema (Taplo, and the editors built on it:
VS Code's Even Better TOML, Zed, Helix...), reading the file as the JSON it would be. The
schemas are generated from the records themselves (core/assessment.py, core/bank.py) by
pydantic, so they cannot drift from what pilot-tui reads; they are shipped in this folder, so
that `pilot-tui schema` prints them without importing pydantic, and tests/test_schemas.py fails
until they are regenerated after a record changes:

    python -m pilot_tui.schemas

What a schema says, and what it leaves to pilot-tui:

- It says the types, which keys are required, that unknown keys are refused, every length and
  count limit (`Length` in core/records.py), and the file's own `schema` and `schema_version`
  lines (checked by the store and by bank_checks.py before the records are).
- A `Check` (a Python function: which characters a field may hold, ids, a waiver approved by its
  own requester, duplicate milestone labels) is not said: the schema is then less strict than
  pilot-tui, never stricter, so every file pilot-tui reads validates, and pilot-tui's own error
  is the last word on the rest. The same goes for what a bank means (bank_checks.check_bank).
- Dates: TOML has dates and times, JSON has not; an editor validates a TOML date as the string
  it writes for it (`2026-04-30`, `2026-03-02T09:30:00Z`, a local `2026-03-02T09:30:00`). Each
  date field takes every TOML date or time value pilot-tui takes for it, and the same written
  as text; not numbers, which pydantic would read as seconds (see _LOCAL_DATE_TIME).
- TOML has no null: a field that may be left out is simply not required.

The schemas name draft 2020-12, and use only keywords that mean the same in draft 7: Taplo's
validator reads draft 4 to 7 only, and takes a schema naming a later draft as draft 7 (which,
unlike 2020-12, checks `format`); the tests validate with both.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

if TYPE_CHECKING:
    from pydantic.json_schema import GenerateJsonSchema

Kind = Literal["assessment", "bank"]
KINDS: Final[tuple[Kind, ...]] = ("assessment", "bank")

DRAFT: Final = "https://json-schema.org/draft/2020-12/schema"
# No public address serves these schemas, so their ids are names (URNs), not links that an
# editor would try to fetch; an editor finds the schema by the file's `#:schema` line instead
# (see store/format.py).
ID_PREFIX: Final = "urn:pilot-tui:schema:"

_ABOUT: Final[dict[Kind, tuple[str, str]]] = {
    "assessment": (
        "pilot-tui assessment",
        "One team's answers to a pilot-tui question bank, as kept in one TOML file (what "
        "`pilot-tui new`, the app and `pilot-tui export` write). Generated from pilot-tui's "
        "records; pilot-tui checks more than this schema says (which characters a field may "
        "hold, ids, choices against the bank, waivers): its own error is the last word.",
    ),
    "bank": (
        "pilot-tui question bank",
        "A pilot-tui question bank: sections of questions, the answer scale, the readiness "
        "levels, contexts, rules and frameworks (`pilot-tui --bank FILE`). Generated from "
        "pilot-tui's records; `pilot-tui bank validate FILE` checks what this schema cannot "
        "(ids and what they refer to, scales, levels, characters).",
    ),
}


def file_name(kind: Kind) -> str:
    return f"{kind}.schema.json"


def shipped_text(kind: Kind) -> str:
    """The schema of KIND as shipped with pilot-tui (JSON text), read without pydantic."""
    return resources.files(__name__).joinpath(file_name(kind)).read_text(encoding="utf-8")


def generated_text(kind: Kind) -> str:
    """The schema of KIND as the records give it now, as the shipped file holds it."""
    return json.dumps(generated(kind), indent=2, ensure_ascii=False) + "\n"


def generated(kind: Kind) -> dict[str, Any]:
    """The schema of KIND, generated from the records (imports pydantic)."""
    from pydantic import TypeAdapter

    from pilot_tui.core.assessment import ASSESSMENT_SCHEMA, ASSESSMENT_SCHEMA_VERSION, Assessment
    from pilot_tui.core.bank import BANK_SCHEMA, READABLE_BANK_VERSIONS, Bank

    record: type[Any] = Assessment if kind == "assessment" else Bank
    body = TypeAdapter(record).json_schema(schema_generator=_generator())
    properties: dict[str, Any] = body["properties"]
    # The first two lines of a file say what it is; the records take them as any text and
    # number, and the store (format.parse_assessment) and bank_checks.parse_bank check them
    # before the records, with these very rules.
    versions: dict[str, Any]
    if kind == "assessment":
        what = ASSESSMENT_SCHEMA
        versions = {"type": "integer", "minimum": 1, "maximum": ASSESSMENT_SCHEMA_VERSION}
    else:
        what, versions = BANK_SCHEMA, {"enum": list(READABLE_BANK_VERSIONS)}
    properties["schema"] = {"const": what, "description": "What the file is: always this."}
    properties["schema_version"] = {
        **versions,
        "description": "The version of the file's form it is written in; pilot-tui reads "
        "every earlier one too.",
    }
    body["required"] = ["schema", "schema_version"] + [
        name for name in body.get("required", []) if name not in ("schema", "schema_version")
    ]
    title, description = _ABOUT[kind]
    for key in ("title", "description"):
        body.pop(key, None)
    return {
        "$schema": DRAFT,
        "$id": f"{ID_PREFIX}{kind}",
        "title": title,
        "description": description,
        **body,
    }


def write(folder: Path | None = None) -> list[Path]:
    """Write every schema, as generated now, into FOLDER (default: this package's folder, in a
    source checkout); the paths written."""
    target = Path(__file__).resolve().parent if folder is None else folder
    written: list[Path] = []
    for kind in KINDS:
        path = target / file_name(kind)
        path.write_text(generated_text(kind), encoding="utf-8", newline="\n")
        written.append(path)
    return written


# Date forms, as an editor writes a TOML value for JSON (Taplo: RFC 3339 with a `T`; a local
# date-time without an offset; fractions of a second only when there are some). pydantic is
# laxer still: it also reads a number as seconds since 1970, and text in forms TOML has not
# (`"2026-03-02 09:30"`, no seconds). The schema does not follow it there, the one place it is
# stricter than pilot-tui: pilot-tui never writes a date so, TOML has its own date values for
# people to write, and an editor that questions `created = 1772443800` is right to.
_LOCAL_DATE_TIME: Final = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?$"
_MIDNIGHT: Final = r"^\d{4}-\d{2}-\d{2}[Tt ]00:00:00(\.0+)?([Zz]|[+-]\d{2}:\d{2})?$"


@cache
def _generator() -> type[GenerateJsonSchema]:
    """pydantic's JSON Schema generator, adjusted for TOML files (built on first use, as
    importing pydantic costs a quarter of a second that printing a schema does not need)."""
    from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
    from pydantic_core import core_schema

    class _Generator(GenerateJsonSchema):
        def datetime_schema(self, schema: core_schema.DatetimeSchema) -> JsonSchemaValue:
            # A time stamp may be written with an offset, or local (pilot-tui reads it as UTC),
            # or as a date alone (midnight UTC): pydantic takes all three.
            return {
                "anyOf": [
                    {"type": "string", "format": "date-time"},
                    {"type": "string", "pattern": _LOCAL_DATE_TIME},
                    {"type": "string", "format": "date"},
                ]
            }

        def date_schema(self, schema: core_schema.DateSchema) -> JsonSchemaValue:
            # pydantic also takes a date-time at midnight as its date.
            return {
                "anyOf": [
                    {"type": "string", "format": "date"},
                    {"type": "string", "pattern": _MIDNIGHT},
                ]
            }

        def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
            # TOML has no null: a value that may be missing is a key that may be left out.
            return self.generate_inner(schema["schema"])

        def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
            # A default of null would be a value an editor offers that TOML cannot hold.
            json_schema = super().default_schema(schema)
            if json_schema.get("default", "") is None:
                del json_schema["default"]
            return json_schema

        def dataclass_schema(self, schema: core_schema.DataclassSchema) -> JsonSchemaValue:
            # A field's docstring is what an editor shows when the pointer rests on its key.
            json_schema = super().dataclass_schema(schema)
            documented = _field_docs(schema["cls"])
            for name, field_schema in json_schema.get("properties", {}).items():
                if name in documented:
                    field_schema.setdefault("description", documented[name])
            return json_schema

    return _Generator


def _field_docs(cls: type[Any]) -> dict[str, str]:
    """The docstrings written under a dataclass's fields ("attribute docstrings"), by name."""
    # Imported here: the command line imports this module for KINDS at every start.
    import ast
    import inspect
    import textwrap

    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body if isinstance(tree.body[0], ast.ClassDef) else []
    documented: dict[str, str] = {}
    for field, after in itertools.pairwise(body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            # The first paragraph: what follows it is often for whoever changes the code.
            documented[field.target.id] = inspect.cleandoc(after.value.value).split("\n\n")[0]
    return documented
