"""Validation errors turned into one line each, in words the author of a file can act on."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from pydantic import ValidationError


# pydantic words some problems with dataclasses as for function calls; these say it for files.
_MESSAGES: Final = {
    "unexpected_keyword_argument": "Extra inputs are not permitted",
    "missing_argument": "Field required",
    "dataclass_type": "Input should be a valid dictionary",
}


def describe_errors(error: ValidationError, data: Any = None) -> list[str]:
    """One "where: what" line per problem pydantic found in DATA."""
    lines = []
    for problem in error.errors():
        # Our own validators raise ValueError; pydantic prefixes their text with "Value error, ".
        message = _MESSAGES.get(problem["type"], str(problem["msg"]).removeprefix("Value error, "))
        limits = problem.get("ctx") or {}
        # Lengths in words a person uses ("must not be empty"), not the validator's own.
        if problem["type"] == "string_too_short":
            least = limits.get("min_length", 1)
            message = "must not be empty" if least == 1 else f"needs at least {least} characters"
        elif problem["type"] == "string_too_long":
            message = f"is too long: at most {limits.get('max_length')} characters"
        lines.append(f"{describe_location(data, tuple(problem['loc']))}: {message}")
    return lines


def and_more(problems: list[str]) -> str:
    """The first problem, and how many more there are."""
    extra = len(problems) - 1
    if extra <= 0:
        return problems[0]
    return f"{problems[0]} (and {extra} more problem{'' if extra == 1 else 's'})"


_PLAIN_KEY: Final = re.compile(r"[A-Za-z0-9_.-]{1,64}")


def _key(step: str) -> str:
    """A key from the file as it can be shown on one line of a terminal.

    Keys come from the file being read: a key holding a newline or an escape sequence would
    otherwise split the one-line error or reach the terminal raw, and a huge key flood it.
    """
    return step if _PLAIN_KEY.fullmatch(step) else repr(step[:40])


def describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic error location into words a bank or file author can find.

    Items of a list are named by their `id` where they have one (section 'demo'), otherwise
    by their position counted from 1.
    """
    parts: list[str] = []
    node: Any = data
    pending_key = ""
    for step in loc:
        if isinstance(step, int):
            item = node[step] if isinstance(node, list) and step < len(node) else None
            singular = pending_key[:-1] if pending_key.endswith("s") else pending_key
            if not parts:
                parts.append("")
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                parts[-1] = f"{singular} {item['id']!r}"
            else:
                parts[-1] = f"{singular} #{step + 1}".strip()
            node = item
        else:
            parts.append(_key(step))
            pending_key = str(step)
            node = node.get(step) if isinstance(node, dict) else None
    return ", ".join(parts) if parts else "top level"
