"""Records (the bank, the assessment) as plain dataclasses, checked by pydantic at the edges.

The records are standard frozen dataclasses, so code that only reads them (scoring, rendering,
the interview) never imports pydantic: importing it and building its validators takes about a
quarter of a second and 10 MiB, more than all the rest of the app's start-up. Three ways in:

- `validate`: raw data from outside (a TOML file) becomes records, through the pydantic
  validator of the record type, built the first time it is needed;
- `check`: a record made in code from values of the right types (what a person typed, a label
  from the command line, a copy with one field changed) is checked against the same
  annotations without pydantic; a test checks it accepts and refuses what `validate` does;
- `build`: data already known to be valid (the bank shipped with pilot-tui, a file whose exact
  bytes were validated before) becomes records with no checks; tests check it gives what
  `validate` gives.

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


def check(record: Any) -> None:
    """Raise InvalidData if a record made in code breaks a constraint of its annotations.

    `validate` makes records from outside data and needs pydantic; a record built from values
    of the right types (what a person typed, a label, a copy with one field changed) is checked
    here against the same Length and Check annotations without it. The interview uses this, so
    a whole session never loads pydantic (its import and validators take about 10 MiB).
    Records inside records, dicts and lists are checked too.
    """
    problems: list[str] = []
    _check_record(record, [], problems)
    if problems:
        raise InvalidData(problems)


def _check_record(record: Any, where: list[str], problems: list[str]) -> None:
    record_type: object = type(record)  # (hashable, as the cache needs; mypy cannot tell)
    for name, (kind, markers) in _field_rules(record_type).items():
        _check_value(getattr(record, name), kind, markers, [*where, name], problems)


def _check_value(
    value: Any, kind: Any, markers: tuple[Any, ...], where: list[str], problems: list[str]
) -> None:
    place = ", ".join(where)
    origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return
        (optional,) = (argument for argument in arguments if argument is not type(None))
        kind, inner_markers = _split(optional)
        markers = (*markers, *inner_markers)
        origin, arguments = typing.get_origin(kind), typing.get_args(kind)
    if not _has_type(value, origin or kind):
        problems.append(f"{place}: should be {_type_name(origin or kind)}")
        return
    for marker in markers:
        if isinstance(marker, Length):
            message = _length_problem(value, marker)
            if message:
                problems.append(f"{place}: {message}")
                return
        elif isinstance(marker, Check):
            try:
                normal = marker.function(value)
            except ValueError as error:
                problems.append(f"{place}: {error}")
                return
            if normal != value:
                # E.g. a time without a zone: validation would turn it into UTC, so what is
                # written would not read back as it is.
                problems.append(f"{place}: not in its normal form ({normal!r})")
                return
    if isinstance(value, dict):
        inner, inner_markers = _split(arguments[1])
        for key, item in value.items():
            _check_value(item, inner, inner_markers, [*where, str(key)], problems)
    elif isinstance(value, list | tuple):
        inner, inner_markers = _split(arguments[0])
        for index, item in enumerate(value):
            _check_value(item, inner, inner_markers, [*where, f"#{index + 1}"], problems)
    elif dataclasses.is_dataclass(value):
        _check_record(value, where, problems)


def _has_type(value: Any, kind: Any) -> bool:
    if kind is float:
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, kind)


def _type_name(kind: Any) -> str:
    names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
    return names.get(kind, f"a {getattr(kind, '__name__', kind)}")


def _length_problem(value: Any, length: Length) -> str:
    # Worded as pydantic words the same limits in files.
    noun, unit = ("String", "character") if isinstance(value, str) else ("Collection", "item")
    if length.min is not None and len(value) < length.min:
        return f"{noun} should have at least {length.min} {unit}{'' if length.min == 1 else 's'}"
    if length.max is not None and len(value) > length.max:
        return f"{noun} should have at most {length.max} {unit}{'' if length.max == 1 else 's'}"
    return ""


def _split(annotation: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type of an annotation, and its Length and Check markers."""
    if typing.get_origin(annotation) is typing.Annotated:
        kind, *markers = typing.get_args(annotation)
        return kind, tuple(markers)
    return annotation, ()


@cache
def _field_rules(kind: Any) -> dict[str, tuple[Any, tuple[Any, ...]]]:
    hints = typing.get_type_hints(kind, include_extras=True)
    return {field.name: _split(hints[field.name]) for field in dataclasses.fields(kind)}


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
