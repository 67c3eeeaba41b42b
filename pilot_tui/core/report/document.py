"""A report as a small document: headings, paragraphs, tables and a chart, built once from the
assessment (build.py) and rendered twice, to Markdown and to HTML.

Text in a document is raw, as people wrote it; each renderer escapes it for its own format, so
a note can never break a table, add a link or run a script, whichever format it ends up in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

SpanKind = Literal["text", "strong", "em", "id", "red", "amber", "green", "spark"]


@dataclass(frozen=True)
class Span:
    """A run of text and what it is: plain, strong, emphasised, a question's id, a status
    (red, amber, green: written in capitals, coloured in HTML), or a sparkline."""

    text: str
    kind: SpanKind = "text"


Line = tuple[Span, ...]
"""Spans shown on one line."""
Cell = tuple[Line, ...]
"""A table cell: one or more lines."""


def plain(text: str) -> Line:
    return (Span(text),)


def cell(*lines: Line) -> Cell:
    return lines


def text_cell(text: str) -> Cell:
    """A cell of text, its line breaks kept (each renderer shows them its own way)."""
    return tuple(plain(line) for line in text.splitlines()) or (plain(""),)


def question_cell(title: str, question_id: str) -> Cell:
    """A question by its title and id (only its id when it has no title of its own)."""
    if title == question_id:
        return (plain(question_id),)
    return ((Span(title), Span(question_id, "id")),)


@dataclass(frozen=True)
class Heading:
    text: str
    level: int
    """1 for the title, 2 for a section, 3 for a part of one."""


@dataclass(frozen=True)
class Paragraph:
    spans: Line
    lead: bool = False
    """The sentence a section opens with (the verdict's headline): set larger in HTML."""


@dataclass(frozen=True)
class Fields:
    """Name and value pairs: the report's header."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Note:
    """What someone wrote about one row of a table, its line breaks kept."""

    row: int
    """The row's index in the table."""
    title: str
    """What the row is about (its question's title), for a reader who sees the note apart."""
    text: str


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    numeric: tuple[int, ...] = ()
    """Columns of numbers: aligned right."""
    notes: tuple[Note, ...] = ()
    """Notes on some rows: a column of the table in HTML, quoted text under it in Markdown
    (a table cell cannot hold several paragraphs there)."""

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.header):
                raise ValueError(
                    f"a table row of {len(row)} cells under {len(self.header)} headings"
                )
        for note in self.notes:
            if not 0 <= note.row < len(self.rows):
                raise ValueError(f"a note on row {note.row} of a table of {len(self.rows)}")


@dataclass(frozen=True)
class Bar:
    label: str
    score: float | None
    status: Literal["red", "amber", "green"]
    weakest: bool = False
    """At the lowest score, which is the headline (several may be, tied); none is when every
    section is tied, as then none is weaker than another."""
    change: int | None = None
    """Whole points gained (or lost, below 0) since the chart's milestone, from the rounded
    scores as the report shows them; None without a milestone, or when the section had no
    score then or has none now."""


@dataclass(frozen=True)
class Chart:
    """Horizontal bars of section scores out of 100, with the levels' thresholds marked.
    Drawn in HTML; in Markdown the section table beside it says the same."""

    bars: tuple[Bar, ...]
    thresholds: tuple[tuple[str, float], ...]
    """(level title, lowest score) for each level above the first."""
    since: str = ""
    """The label of the milestone each bar's change is counted from (the latest one); empty
    when there is no milestone."""


Block = Heading | Paragraph | Fields | Table | Chart


@dataclass(frozen=True)
class Section:
    """A titled part of the report; HTML wraps it in <section>."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    title: str
    header: Fields
    sections: tuple[Section, ...]
