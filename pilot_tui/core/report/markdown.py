"""A report document as GitHub-flavoured Markdown, for a wiki page or a pull request.

Everything people wrote is made literal: a note must never break a table, add a link, start a
list or a heading, or reach the page as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from pilot_tui.core.report.document import (
    Block,
    Cell,
    Chart,
    Document,
    Fields,
    Heading,
    Line,
    Paragraph,
    Span,
    Table,
)

# Characters that start inline markup anywhere in a line (links, emphasis, code, tables,
# strikethrough, math on GitHub, headings) are backslash-escaped: any ASCII punctuation may be,
# in CommonMark, so it is always safe. `&`, `<` and `>` become entities, so no raw HTML or
# autolink gets through. One translate pass does it all, so nothing is escaped twice.
_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{char: "\\" + char for char in "\\`*_[]|#~$"}}
)
# Markers that only mean something at the start of a line: list items, setext underlines,
# thematic breaks and ordered lists ("1." or "1)"). `>` is already an entity by then.
_LINE_MARKS: Final = ("-", "+", "=")
_ORDERED: Final = re.compile(r"^(\d+)([.)])")
# Markdown ends lines at CR, LF or CRLF; nothing else can end a table row.
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")


def render_markdown(document: Document) -> str:
    blocks = [f"# {_inline(document.title)}", _fields(document.header)]
    for section in document.sections:
        blocks.append(f"## {_inline(section.title)}")
        blocks += [text for block in section.blocks if (text := _block(block))]
    return "\n\n".join(blocks) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {_inline(block.text)}"
    if isinstance(block, Paragraph):
        return _spans(block.spans).strip()
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return ""  # the section table beside it carries the same numbers
    raise TypeError(f"no Markdown for {block!r}")


def _fields(fields: Fields) -> str:
    return "\n".join(f"- **{_inline(name)}:** {_inline(value)}" for name, value in fields.pairs)


def _spans(spans: Line) -> str:
    return "".join(_span(span) for span in spans)


def _span(span: Span) -> str:
    # Not stripped: the spaces between spans are part of the sentence.
    text = " ".join(_line(part) for part in _NEWLINE.split(span.text))
    if span.kind == "strong":
        return f"**{text}**"
    if span.kind == "em":
        return f"*{text}*"
    if span.kind == "id":
        return f" ({text})"
    return text


def _table(table: Table) -> str:
    lines = [_row([_inline(name) for name in table.header]), _rule(table)]
    lines += [_row([_cell(cell) for cell in row]) for row in table.rows]
    text = "\n".join(lines)
    for note in table.notes:
        text += f"\n\nNotes on *{_inline(note.title)}*:\n\n{_quote(note.text)}"
    return text


def _rule(table: Table) -> str:
    # Numbers aligned right, as a reader compares them down a column.
    return (
        "| "
        + " | ".join(
            "---:" if column in table.numeric else "---" for column in range(len(table.header))
        )
        + " |"
    )


def _row(cells: Sequence[str]) -> str:
    # The spaces around each cell keep a cell's trailing backslash away from the next pipe.
    return "| " + " | ".join(cells) + " |"


def _cell(cell: Cell) -> str:
    """A cell's lines joined by <br>, so the row stays one line of Markdown."""
    return "<br>".join(_spans(line).strip() for line in cell)


def _line(text: str) -> str:
    """One line of text, made literal: safe at the start of a line and inside a table."""
    text = text.translate(_ESCAPES)
    if text.startswith(_LINE_MARKS):
        return "\\" + text
    if text[:1].isdigit():
        return _ORDERED.sub(r"\1\\\2", text)
    return text


def _inline(text: str) -> str:
    """Text on one line (a heading, a sentence): its line breaks become spaces."""
    return " ".join(_line(line.strip()) for line in _NEWLINE.split(text.strip()))


def _quote(text: str) -> str:
    """Notes as quoted text, each of their lines kept (Markdown would join them otherwise)."""
    lines = _NEWLINE.split(text.strip())
    out: list[str] = []
    for number, line in enumerate(lines):
        content = line.rstrip()
        if not content.strip():
            out.append(">")
            continue
        # Leading spaces would turn the line into a code block; keep the indent visible instead.
        indent = len(content) - len(content.lstrip())
        content = "&nbsp;" * indent + _line(content.lstrip())
        following = lines[number + 1] if number + 1 < len(lines) else ""
        out.append(f"> {content}" + ("<br>" if following.strip() else ""))
    return "\n".join(out)
