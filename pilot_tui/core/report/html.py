"""A report document as one self-contained HTML page: no scripts, fonts or images to fetch.

Everything people wrote is escaped, and the page's Content Security Policy forbids every fetch
and script as a second line behind the escaping. The style is inlined, so the one file opens
offline and prints well.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
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
        f"<h1>{title}</h1>",
        _fields(document.header, css_class="meta"),
        "</header>",
        "<main>",
    ]
    for section in document.sections:
        parts += ["<section>", f"<h2>{_h(section.title)}</h2>"]
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


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"<h{block.level}>{_h(block.text)}</h{block.level}>"
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
    items = "\n".join(f"<dt>{_h(name)}</dt><dd>{_h(value)}</dd>" for name, value in fields.pairs)
    return f"{opening}\n{items}\n</dl>"


def _spans(spans: Line) -> str:
    return "".join(_span(span) for span in spans)


def _span(span: Span) -> str:
    text = _h(span.text)
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


def _table(table: Table) -> str:
    """The table, with a column of notes when any row has some."""
    notes = {note.row: note.text for note in table.notes}
    header: Sequence[str] = (*table.header, "Notes") if notes else table.header

    def opening(tag: str, column: int) -> str:
        return f'<{tag} class="num">' if column in table.numeric else f"<{tag}>"

    head = "".join(f"{opening('th', i)}{_h(name)}</th>" for i, name in enumerate(header))
    body = []
    for number, row in enumerate(table.rows):
        cells = [f"{opening('td', i)}{_cell(cell)}</td>" for i, cell in enumerate(row)]
        if notes:
            text = notes.get(number, "")
            cells.append(f'<td><div class="notes">{_h(text)}</div></td>' if text else "<td></td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def _chart_label(text: str, limit: int = 34) -> str:
    # SVG text does not wrap: a long label would run into its bar.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _chart(chart: Chart) -> str:
    """One horizontal bar per section, coloured by status, its score and status written beside
    it so that the chart reads in black and white too. Dashed lines mark the level thresholds."""
    width, label_width, bar_space, row_height, bar_height, pad = 760, 250, 380, 30, 20, 8
    height = pad * 2 + row_height * len(chart.bars)
    parts = [
        "<figure>",
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'role="img" aria-label="Section scores out of 100" font-size="13">',
    ]
    for _, lowest in chart.thresholds:
        x = label_width + bar_space * lowest / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad / 2}" x2="{x:.1f}" y2="{height - pad / 2}" '
            'stroke="#888" stroke-dasharray="3 3"/>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{pad / 2}" x2="{label_width}" '
        f'y2="{height - pad / 2}" stroke="#000"/>'
    )
    for row, bar in enumerate(chart.bars):
        y = pad + row * row_height + (row_height - bar_height) / 2
        text_y = y + bar_height * 0.72
        length = bar_space * (bar.score or 0.0) / 100
        parts += [
            f'<text x="{label_width - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{_h(_chart_label(bar.label))}</text>",
            f'<rect class="bar bar-{bar.status}" x="{label_width}" y="{y:.1f}" '
            f'width="{length:.1f}" height="{bar_height}" fill="{_BAR_COLOURS[bar.status]}" '
            'stroke="#000" stroke-width="0.5"/>',
            f'<text x="{label_width + length + 6:.1f}" y="{text_y:.1f}">'
            f"{percent(bar.score)} {bar.status.upper()}</text>",
        ]
    thresholds = ", ".join(f"{_h(title)} {lowest:g}" for title, lowest in chart.thresholds)
    parts += [
        "</svg>",
        f'<figcaption class="caption">Each section\'s score out of 100. '
        f"Dashed lines: the levels ({thresholds}).</figcaption>",
        "</figure>",
    ]
    return "\n".join(parts)
