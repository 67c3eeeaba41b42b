"""Which characters text may hold, and how text from outside is shown safely.

Text reaches a terminal, a Markdown page and an HTML report; some characters act there instead
of showing: control characters move the cursor, set the window title, write the clipboard or
make links (escape sequences); text-direction overrides make text display in another order
than it is ("Trojan Source"); invisible characters make two different titles or owners look
the same. The policy:

- **One-line fields** (titles, names, owners, teams, evidence, reasons, and every line of a
  question bank but its prose) hold printable characters only: no control characters (tabs and
  newlines included), no line or paragraph separators, and no invisible format characters
  (zero-width space, direction marks, word joiners, byte order marks, tag characters, soft
  hyphens...). The two joiners that real names and emoji need are kept: ZERO WIDTH JOINER
  (emoji sequences such as a family, Indic scripts) and ZERO WIDTH NON-JOINER (Persian).
- **Notes** (and a bank's prose: why, fix, evidence) may hold newlines and tabs, and the
  invisible characters real writing needs: direction marks in right-to-left text, zero-width
  spaces, joiners, tag characters (flag emoji). Still refused: other control characters, line
  and paragraph separators, and direction overrides and isolates.

Text that never passed these checks (a file name, a path typed on the command line) is shown
through `printable`, which writes every such character as a visible escape.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

JOINERS: Final = frozenset({"\u200c", "\u200d"})
"""ZERO WIDTH NON-JOINER and ZERO WIDTH JOINER: kept everywhere, real writing needs them."""
DIRECTION_OVERRIDES: Final = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder the text around them."""

_REFUSED_IN_LINES: Final = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_REFUSED_IN_NOTES: Final = frozenset({"Cc", "Cs", "Zl", "Zp"})
_NOTES_WHITESPACE: Final = frozenset("\n\t")


def describe_character(char: str) -> str:
    """U+200B ZERO WIDTH SPACE: a character's code point and name, for an error message."""
    name = unicodedata.name(char, "")
    if not name and unicodedata.category(char) == "Cc":
        name = _CONTROL_NAMES.get(ord(char), "a control character")
    return f"U+{ord(char):04X} {name}".rstrip()


_CONTROL_NAMES: Final = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x9B: "CONTROL SEQUENCE INTRODUCER",
    0x9D: "OPERATING SYSTEM COMMAND",
}


# Printable ASCII needs no look-up; only the other characters are looked up by category (this
# runs on every key typed into a note, so a long note must stay cheap to check).
_NOT_PLAIN: Final = re.compile(r"[^\x20-\x7e]")


def refused_in_line(text: str) -> str | None:
    """The first character a one-line field may not hold, or None."""
    for match in _NOT_PLAIN.finditer(text):
        char = match.group()
        if unicodedata.category(char) in _REFUSED_IN_LINES and char not in JOINERS:
            return char
    return None


def refused_in_notes(text: str) -> str | None:
    """The first character notes may not hold, or None."""
    for match in _NOT_PLAIN.finditer(text):
        char = match.group()
        if char in DIRECTION_OVERRIDES:
            return char
        if unicodedata.category(char) in _REFUSED_IN_NOTES and char not in _NOTES_WHITESPACE:
            return char
    return None


def check_line(value: str) -> str:
    """A one-line field's value, or ValueError naming the first character it may not hold."""
    char = refused_in_line(value)
    if char is not None:
        raise ValueError(
            "must be one line without control, invisible or text-direction characters "
            f"(found {describe_character(char)})"
        )
    return value


def check_notes(value: str) -> str:
    """Notes, or ValueError naming the first character they may not hold."""
    char = refused_in_notes(value)
    if char is not None:
        raise ValueError(
            f"contains a control or text-direction character (found {describe_character(char)})"
        )
    return value


def printable(text: str) -> str:
    """TEXT with every character a one-line field refuses written as a visible escape.

    For text that was never checked (file names, paths, command-line arguments): shown this way
    it cannot act on a terminal or a page, and it stays on one line. A byte that was not UTF-8
    (kept by Python as a lone surrogate) is written as the byte, \\xe9.
    """
    if refused_in_line(text) is None:
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cs" and 0xDC80 <= ord(char) <= 0xDCFF:
        return f"\\x{ord(char) - 0xDC00:02x}"
    if category not in _REFUSED_IN_LINES or char in JOINERS:
        return char
    code = ord(char)
    if code <= 0xFF:
        return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char, f"\\x{code:02x}")
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def is_utf8(text: str) -> bool:
    """False for text holding bytes that were not UTF-8 (decoded with surrogateescape)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def slug(text: str, max_length: int) -> str:
    """TEXT as lowercase ASCII letters, digits and single dashes, at most MAX_LENGTH long:
    "Claims Triage Bot!" -> "claims-triage-bot". Empty when TEXT has no ASCII letter or digit
    (accents are dropped first: "Café" -> "cafe")."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:max_length].strip("-")


_NOT_SLUG: Final = re.compile(r"[^a-z0-9]+")
