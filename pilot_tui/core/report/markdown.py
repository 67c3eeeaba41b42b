"""A report document as GitHub-flavoured Markdown, for a wiki page or a pull request.

Everything people wrote is made literal: a note must never break a table, add a link, start a
list or a heading, or reach the page as HTML. The one thing that links is a web address someone
wrote, and it links to itself, shown as written.

Escaped for Markdown, not for HTML: a backslash before punctuation, never an entity (`&amp;`),
which renderers keep as typed inside an address and which broke every link with a query string.
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
# strikethrough, math on GitHub, headings, entities, raw HTML and autolinks, a quote) are
# backslash-escaped: CommonMark shows any escaped ASCII punctuation as the character itself,
# so it is always safe, and GitHub reads it the same way. One translate pass does it all, so
# nothing is escaped twice.
_ESCAPES: Final = str.maketrans({char: "\\" + char for char in "\\`*_[]|#~$&<>"})
# Markers that only mean something at the start of a line: list items, setext underlines,
# thematic breaks and ordered lists ("1." or "1)"). `>` is always escaped already.
_LINE_MARKS: Final = ("-", "+", "=")
_ORDERED: Final = re.compile(r"^(\d+)([.)])")
# A web address people wrote is written as an autolink, `<https://...>`: nothing inside one is
# markup or an escape, so its target is exactly what they wrote (with `&` and a query string
# whole); it links in every CommonMark renderer, not only where GitHub's extension finds bare
# addresses; and it shows the address itself, so no link hides where it goes. Only http and
# https link: a `[text](javascript:...)` stays text. An autolink holds no space, control
# character, `<` or `>`, and a `|` would end a table cell before the link is read, so the
# address ends at any of them; and at a square bracket or a backtick, which an address people
# paste almost never holds but markup around one does ("[link=https://x]click[/link]").
_URL: Final = re.compile(r"(?<![\w.+-])https?://[^\s<>|\[\]`\x00-\x1f\x7f]+", re.IGNORECASE)
# Punctuation after an address that ends the sentence rather than the address, as GitHub's
# own extension reads it; a closing bracket ends it too unless the address opened one.
_TRAILING: Final = ".,:;!?*_~'\""
_CLOSING: Final = {")": "(", "]": "["}
# A cell's lines, on the one line a table row has: not <br>, which renderers that strip raw
# HTML drop, running the lines together.
_CELL_LINES: Final = " · "
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
    """A cell's lines on one line of Markdown, so the row stays one row (blank lines left out)."""
    return _CELL_LINES.join(text for line in cell if (text := _spans(line).strip()))


def _line(text: str) -> str:
    """One line of text, made literal: safe at the start of a line and inside a table; a web
    address in it is a link to itself."""
    parts: list[str] = []
    start = 0
    for found in _URL.finditer(text):
        address = _address(found.group())
        if address.endswith("://"):
            continue  # nothing left of it but the scheme: text, like the rest
        parts += [text[start : found.start()].translate(_ESCAPES), f"<{address}>"]
        start = found.start() + len(address)
    parts.append(text[start:].translate(_ESCAPES))
    text = "".join(parts)
    if text.startswith(_LINE_MARKS):
        return "\\" + text
    if text[:1].isdigit():
        return _ORDERED.sub(r"\1\\\2", text)
    return text


def _address(found: str) -> str:
    """The address without what follows it in the sentence: a full stop, a comma, a bracket it
    did not open."""
    while found:
        last = found[-1]
        opening = _CLOSING.get(last)
        if last in _TRAILING or (opening and found.count(last) > found.count(opening)):
            found = found[:-1]
        else:
            break
    return found


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
        # A backslash at the end of a line is CommonMark's own line break: not <br>, which
        # renderers that strip raw HTML drop, running the lines together.
        out.append(f"> {content}" + ("\\" if following.strip() else ""))
    return "\n".join(out)
