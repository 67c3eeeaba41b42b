"""Records (the bank, the assessment) as plain dataclasses, checked by pydantic at the edges.

The records are standard frozen dataclasses, so code that only reads them (scoring, rendering,
the interview's first frame) never imports pydantic: importing it and building its validators
takes about a quarter of a second and 10 MiB, more than all the rest of the app's start-up.
One validator, two ways in, and one way around it:

- `validate`: raw data from outside (a TOML file) becomes records, through the pydantic
  validator of the record type, built the first time it is needed;
- `validated`: a record made in code from what a person typed, a command-line argument or a
  merge is checked by the same validator, as the data it will be written as: it must come back
  unchanged (a time without a zone would come back in UTC, so it is refused);
- `build`: data already known to be valid (the bank shipped with pilot-tui, a file whose exact
  bytes were validated before) becomes records with no checks; tests check it gives what
  `validate` gives.

The app warms the validators up in a worker just after its first frame (`prepare`), so the
first key a person presses does not wait for pydantic.

Constraints are annotations that pydantic reads through `__get_pydantic_core_schema__`:
`Length` (of text or of a collection), `Strict` (no conversion between types) and `Check`
(a function run on the value once its type is right, raising ValueError to refuse it).
Put `Length` and `Strict` before `Check`: they adjust the type's own schema.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from pilot_tui.core.problems import and_more, describe_errors

if TYPE_CHECKING:
    from pydantic import TypeAdapter
    from pydantic_core import CoreSchema

T = TypeVar("T")

FORBID_EXTRA: dict[str, Any] = {"extra": "forbid"}
"""pydantic's config for a record (`__pydantic_config__`): unknown keys are errors, not ignored."""


class InvalidData(ValueError):
    """Data that does not make a valid record; `problems` holds one "where: what" line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(and_more(problems))
        self.problems = problems


@dataclasses.dataclass(frozen=True)
class Length:
    """The fewest and most characters (text) or items (collections) a value may have."""

    min: int | None = None
    max: int | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: Callable[[Any], CoreSchema]
    ) -> CoreSchema:
        schema: dict[str, Any] = {**handler(source)}
        if self.min is not None:
            schema["min_length"] = self.min
        if self.max is not None:
            schema["max_length"] = self.max
        return typing.cast("CoreSchema", schema)


@dataclasses.dataclass(frozen=True)
class Strict:
    """No conversion: in lax mode `true` would pass as the number 1 and `1` as a flag."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: Callable[[Any], CoreSchema]
    ) -> CoreSchema:
        return typing.cast("CoreSchema", {**handler(source), "strict": True})


@dataclasses.dataclass(frozen=True)
class Check:
    """A function run on a value of the right type; it returns the value or raises ValueError."""

    function: Callable[[Any], Any]

    def __get_pydantic_core_schema__(
        self, source: Any, handler: Callable[[Any], CoreSchema]
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


_adapters: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    adapter = _adapters.get(kind)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _adapters[kind] = TypeAdapter(kind)
    return adapter


def validate(kind: type[T], data: Any) -> T:
    """A KIND record made from DATA (as read from TOML), or InvalidData saying what is wrong."""
    from pydantic import ValidationError

    try:
        record: T = _adapter(kind).validate_python(data)
    except ValidationError as error:
        raise InvalidData(describe_errors(error, data)) from None
    return record


def validated(record: T) -> T:
    """RECORD, checked by pydantic as the data it will be written as; InvalidData when it
    breaks a rule, or when validation would change it (so it would not read back as it is)."""
    kind: type[T] = type(record)
    checked = validate(kind, to_data(record))
    if checked != record:
        raise InvalidData(["not in its normal form (it would not read back as it is)"])
    return record


def prepare(*kinds: type[Any]) -> None:
    """Build the validators of KINDS now (pydantic loaded with them): done in a worker thread
    after the app's first frame, so that the first key that checks an answer does not wait."""
    for kind in kinds:
        _adapter(kind)


def to_data(record: Any) -> Any:
    """Plain data (dicts, lists, text, numbers, dates) for TOML, from a record.

    Fields that are None or hold their default value are left out: TOML has no null, and files
    without empty fields are shorter to read.
    """
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        data: dict[str, Any] = {}
        for field in dataclasses.fields(record):
            value = getattr(record, field.name)
            if value is None or _is_default(field, value):
                continue
            data[field.name] = to_data(value)
        return data
    if isinstance(record, dict):
        return {key: to_data(value) for key, value in record.items()}
    if isinstance(record, list | tuple):
        return [to_data(value) for value in record]
    return record


def _is_default(field: dataclasses.Field[Any], value: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(value == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(value == field.default_factory())
    return False


def build(kind: type[T], data: Any) -> T:
    """A KIND record from data known to be valid, without checking it (see the module's doc).

    Raises TypeError, KeyError or ValueError on data of another shape: callers fall back to
    `validate` then.
    """
    target: object = kind  # (a type is hashable, as the cache needs, but mypy cannot tell)
    record: T = _converter(target)(data)
    return record


@cache
def _converter(kind: Any) -> Callable[[Any], Any]:
    """A function turning valid plain data into a value of type KIND."""
    origin = typing.get_origin(kind)
    arguments = typing.get_args(kind)
    if origin is typing.Annotated:
        return _converter(arguments[0])
    if origin in (typing.Union, types.UnionType):
        # Only `X | None` is used in records.
        (inner,) = (argument for argument in arguments if argument is not type(None))
        convert_inner = _converter(inner)
        return lambda value: None if value is None else convert_inner(value)
    if origin is dict:
        convert_value = _converter(arguments[1])
        return lambda value: {key: convert_value(item) for key, item in value.items()}
    if origin in (list, tuple):
        convert_item = _converter(arguments[0])
        container = list if origin is list else tuple
        return lambda value: container(convert_item(item) for item in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_converter(kind)
    if kind is float:
        # TOML writes `100` for a whole number; the records hold floats.
        return float
    if kind in (str, int, bool, date, datetime):
        return _unchanged
    raise TypeError(f"no converter for {kind!r}")


def _unchanged(value: Any) -> Any:
    return value


def _record_converter(kind: type[Any]) -> Callable[[Any], Any]:
    hints = typing.get_type_hints(kind)
    converters = {
        field.name: _converter(hints[field.name])
        for field in dataclasses.fields(kind)
        if field.init
    }

    def convert(value: dict[str, Any]) -> Any:
        return kind(**{name: converters[name](item) for name, item in value.items()})

    return convert
