"""A report document as one self-contained HTML page: no scripts, fonts or images to fetch.

Everything people wrote is escaped, and the page's Content Security Policy forbids every fetch
and script as a second line behind the escaping. The style is inlined, so the one file opens
offline and prints well.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Final

from pilot_tui.core.render import percent
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

_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"
_BAR_COLOURS: Final[Mapping[str, str]] = {"red": "#d32f2f", "amber": "#f9a825", "green": "#388e3c"}
_STATUSES: Final = frozenset(_BAR_COLOURS)
_LONG_RUN: Final = re.compile(r"\S{21,}")
"""A run of characters without a space too long for a narrow column: a link, a path, a hash,
a word someone pasted. It is set apart to break anywhere (report.css, .long); shorter words
keep whole, and so decide how narrow a column may get."""
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
"""A cell holding only a date: kept on one line (report.css, td.date), not broken at a hyphen."""
_PROSE: Final = 40
"""Characters from which a cell holds prose rather than a word or two: on a narrow screen its
column keeps a readable width (report.css, td.prose) instead of one word a line."""


def render_html(document: Document) -> str:
    title = _h(document.title)
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_style()}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_t(document.title)}</h1>",
        _fields(document.header, css_class="meta"),
        "</header>",
        "<main>",
    ]
    for section in document.sections:
        parts += ["<section>", f"<h2>{_t(section.title)}</h2>"]
        parts += [_block(block) for block in section.blocks]
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


@cache
def _style() -> str:
    return files(__package__).joinpath("report.css").read_text(encoding="utf-8")


def _h(text: str) -> str:
    # Text goes only between tags, never into an attribute, so quotes can stay as they are.
    return html.escape(text, quote=False)


def _t(text: str) -> str:
    """TEXT for the page's body: escaped, each long run without a space in a span of its own,
    so that it wraps where it must instead of widening its column or the page."""
    parts = []
    end = 0
    for run in _LONG_RUN.finditer(text):
        parts += [_h(text[end : run.start()]), f'<span class="long">{_h(run.group())}</span>']
        end = run.end()
    parts.append(_h(text[end:]))
    return "".join(parts)


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_t(block.text)}</h{block.level}>"
    if isinstance(block, Paragraph):
        opening = '<p class="headline">' if block.lead else "<p>"
        return f"{opening}{_spans(block.spans)}</p>"
    if isinstance(block, Fields):
        return _fields(block)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Chart):
        return _chart(block)
    raise TypeError(f"no HTML for {block!r}")


def _fields(fields: Fields, *, css_class: str = "") -> str:
    opening = f'<dl class="{css_class}">' if css_class else "<dl>"
    items = "\n".join(f"<dt>{_t(name)}</dt><dd>{_t(value)}</dd>" for name, value in fields.pairs)
    return f"{opening}\n{items}\n</dl>"


def _spans(spans: Line) -> str:
    return "".join(_span(span) for span in spans)


def _span(span: Span) -> str:
    text = _t(span.text)
    if span.kind == "strong":
        return f"<strong>{text}</strong>"
    if span.kind == "em":
        return f"<em>{text}</em>"
    if span.kind == "id":
        return f' <span class="id">({text})</span>'
    if span.kind in _STATUSES:
        return f'<span class="status status-{span.kind}">{text}</span>'
    if span.kind == "spark":
        return f'<span class="spark">{text}</span>'
    return text


def _cell(cell: Cell) -> str:
    return "<br>".join(_spans(line) for line in cell)


def _plain(cell: Cell) -> str:
    return " ".join(span.text for line in cell for span in line)


def _table(table: Table) -> str:
    """The table, with a column of notes when any row has some."""
    notes = {note.row: note.text for note in table.notes}
    header: Sequence[str] = (*table.header, "Notes") if notes else table.header

    def opening(tag: str, column: int, text: str = "") -> str:
        classes = ["num"] if column in table.numeric else []
        classes += ["prose"] if len(text) > _PROSE else []
        classes += ["date"] if _DATE.fullmatch(text) else []
        return f'<{tag} class="{" ".join(classes)}">' if classes else f"<{tag}>"

    head = "".join(f"{opening('th', i)}{_t(name)}</th>" for i, name in enumerate(header))
    body = []
    for number, row in enumerate(table.rows):
        cells = [
            f"{opening('td', i, _plain(cell))}{_cell(cell)}</td>" for i, cell in enumerate(row)
        ]
        if notes:
            text = notes.get(number, "")
            note = f'<div class="notes">{_t(text)}</div>' if text else ""
            cells.append(f"{opening('td', len(row), text)}{note}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    # The box scrolls sideways when the table is wider than the screen (a phone): the table
    # keeps readable columns and the page itself never scrolls sideways.
    return (
        f'<div class="table-scroll">\n<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>"
    )


# ---------------------------------------------------------------------------- the chart
# Sizes in the SVG's own units, which are pixels at its natural width. The chart is narrow (a
# label line above each bar, not a column beside it) so that, scaled down to a phone's width,
# its text stays readable: report.css lets it shrink only so far, then scroll.

_LEFT: Final = 12.0
"""Room before the bars for the scale's "0"."""
_SPACE: Final = 380.0
"""A bar's length at 100."""
_RIGHT: Final = 16.0
"""Room after the bars for the scale's "100"."""
_WIDTH: Final = _LEFT + _SPACE + _RIGHT
_FONT: Final = 14.0
_SMALL: Final = 12.5
"""The scale, the levels' names and the line under a bar (class "small" in report.css)."""
_EM: Final = 0.66
"""A character's width in ems, a generous guess for a sans-serif (SVG text cannot be
measured here): used only to keep pieces of text apart."""
_LEVEL_ROW: Final = 16.0
_BAR: Final = 18.0
_LABEL: Final = 30
"""Characters of a section's label; SVG text does not wrap and must not reach its status."""
_NAME: Final = 24
"""Characters of a level's or a milestone's name."""


@dataclass(frozen=True)
class _Text:
    x: float
    y: float
    text: str
    css_class: str
    anchor: str = "start"

    def svg(self) -> str:
        anchor = "" if self.anchor == "start" else f' text-anchor="{self.anchor}"'
        return (
            f'<text class="{self.css_class}" x="{self.x:.1f}" y="{self.y:.1f}"{anchor}>'
            f"{_h(self.text)}</text>"
        )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _width(text: str, size: float = _SMALL) -> float:
    return len(text) * _EM * size


def _x(score: float) -> float:
    return _LEFT + _SPACE * score / 100


def _level_names(thresholds: Sequence[tuple[str, float]]) -> tuple[list[_Text], list[int]]:
    """Each level's name beside its line, on the first row where it meets no other name: the
    levels near the top of the scale are close together and their names are long."""
    rows: list[list[tuple[float, float]]] = []
    names: list[_Text] = []
    row_of: list[int] = []
    for title, lowest in thresholds:
        x = _x(lowest)
        text = f"{_clip(title, _NAME)} {lowest:g}"
        width = _width(text)
        # After the line when it fits, else before it, ending at the line.
        if x + 4 + width <= _WIDTH:
            anchor, left, right = "start", x + 4, x + 4 + width
        else:
            anchor, left, right = "end", x - 4 - width, x - 4
        row = next(
            (
                number
                for number, taken in enumerate(rows)
                if all(right + 8 <= start or end + 8 <= left for start, end in taken)
            ),
            len(rows),
        )
        if row == len(rows):
            rows.append([])
        rows[row].append((left, right))
        y = (row + 1) * _LEVEL_ROW
        names.append(_Text(x + 4 if anchor == "start" else x - 4, y, text, "small level", anchor))
        row_of.append(row)
    return names, row_of


def _change(change: int, since: str) -> str:
    if not change:
        return f"no change since {_clip(since, _NAME)}"
    points = "point" if abs(change) == 1 else "points"
    return f"{change:+d} {points} since {_clip(since, _NAME)}"


def _chart(chart: Chart) -> str:
    """One bar per section on a scale of 0 to 100, coloured by status, with its score and
    status written above its end so that the chart reads in black and white too; the weakest
    section outlined and named; each bar's change since the latest milestone in figures;
    dashed lines at the levels' thresholds, each named."""
    levels, level_rows = _level_names(chart.thresholds)
    top = (max(level_rows, default=-1) + 1) * _LEVEL_ROW + 6
    tied = sum(bar.weakest for bar in chart.bars) > 1
    tracks: list[str] = []
    bars: list[str] = []
    texts: list[_Text] = list(levels)
    y = top
    for bar in chart.bars:
        bar_y = y + _FONT + 6
        length = _SPACE * (bar.score or 0.0) / 100
        texts += [
            _Text(_LEFT, y + _FONT, _clip(bar.label, _LABEL), "label"),
            _Text(
                _LEFT + _SPACE,
                y + _FONT,
                f"{percent(bar.score)} {bar.status.upper()}",
                f"score score-{bar.status}",
                "end",
            ),
        ]
        # The whole scale behind each bar, so its length reads against 100.
        tracks.append(
            f'<line x1="{_LEFT}" y1="{bar_y + _BAR / 2:.1f}" x2="{_LEFT + _SPACE}" '
            f'y2="{bar_y + _BAR / 2:.1f}" stroke="#ececec" stroke-width="{_BAR:g}"/>'
        )
        bars.append(
            f'<rect class="bar bar-{bar.status}" x="{_LEFT}" y="{bar_y:.1f}" '
            f'width="{length:.1f}" height="{_BAR:g}" fill="{_BAR_COLOURS[bar.status]}" '
            f'stroke="#000" stroke-width="{2.5 if bar.weakest else 0.5}"/>'
        )
        y = bar_y + _BAR
        if bar.weakest or bar.change is not None:
            # A line under the bar: named as the weakest on the left, its change on the right.
            y += _SMALL + 3
            room = _SPACE
            if bar.weakest:
                weakest = "Weakest section (tied)" if tied else "Weakest section"
                texts.append(_Text(_LEFT, y, weakest, "small weakest"))
                room -= _width(weakest) + 8
            if bar.change is not None:
                change = _change(bar.change, chart.since)
                if _width(change) > room:
                    y += _SMALL + 3  # a line of its own rather than over the other
                texts.append(_Text(_LEFT + _SPACE, y, change, "small change", "end"))
        y += 12
    axis = y + 2
    lines = [
        f'<line class="level" x1="{_x(lowest):.1f}" y1="{row * _LEVEL_ROW + 4:.1f}" '
        f'x2="{_x(lowest):.1f}" y2="{axis:.1f}" stroke="#555" stroke-dasharray="4 3"/>'
        for (_, lowest), row in zip(chart.thresholds, level_rows, strict=True)
    ]
    lines.append(
        f'<line x1="{_LEFT}" y1="{axis:.1f}" x2="{_LEFT + _SPACE}" y2="{axis:.1f}" stroke="#000"/>'
    )
    for tick in range(0, 101, 20):
        lines.append(
            f'<line x1="{_x(tick):.1f}" y1="{axis:.1f}" x2="{_x(tick):.1f}" '
            f'y2="{axis + 4:.1f}" stroke="#000"/>'
        )
        texts.append(_Text(_x(tick), axis + 5 + _SMALL, str(tick), "small tick", "middle"))
    height = axis + 10 + _SMALL
    thresholds = ", ".join(f"{_t(title)} {lowest:g}" for title, lowest in chart.thresholds)
    caption = [
        "Each section's score out of 100 (the scale under the bars), its status written above "
        f"the bar's end. Dashed lines: the levels ({thresholds})."
    ]
    if any(bar.weakest for bar in chart.bars):
        caption.append(
            "The weakest sections, tied, are outlined: they set the headline."
            if tied
            else "The weakest section is outlined: it sets the headline."
        )
    if any(bar.change is not None for bar in chart.bars):
        caption.append(f"Changes are in points since the milestone {_t(chart.since)}.")
    return "\n".join(
        [
            "<figure>",
            '<div class="chart-scroll">',
            f'<svg class="chart" width="{_WIDTH:g}" height="{height:g}" '
            f'viewBox="0 0 {_WIDTH:g} {height:g}" role="img" '
            f'aria-label="Section scores out of 100" font-size="{_FONT:g}">',
            *tracks,
            *bars,
            # The level lines over the bars, so each bar shows which thresholds it passes.
            *lines,
            *(text.svg() for text in texts),
            "</svg>",
            "</div>",
            f'<figcaption class="caption">{" ".join(caption)}</figcaption>',
            "</figure>",
        ]
    )
