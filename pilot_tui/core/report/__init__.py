"""Reports for stakeholders: the verdict, the plan and every answer, as Markdown or as HTML.

The report is built once as a small document (build.py, document.py) and rendered to each
format (markdown.py, html.py), so the two formats always say the same thing: a part of the
report is added in one place. Everything a person typed (titles, notes, owners, names, even the
bank's own text, which a team may have written) is escaped by each renderer: a report is pasted
into wikis and pull requests and opened in browsers, so a note must never break a table, add a
link or run a script.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.report.build import build_report
from pilot_tui.core.report.html import render_html
from pilot_tui.core.report.markdown import render_markdown
from pilot_tui.core.report.rows import DisputeRow, TrendRow, report_rows

__all__ = ["DisputeRow", "TrendRow", "html_report", "markdown_report", "report_rows"]


def markdown_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
) -> str:
    """The report as GitHub-flavoured Markdown, for a wiki page or a pull request."""
    document = build_report(bank, assessment, disputes=disputes, trend=trend, generated=generated)
    return render_markdown(document)


def html_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
) -> str:
    """The report as one self-contained HTML page: no scripts, fonts or images to fetch."""
    document = build_report(bank, assessment, disputes=disputes, trend=trend, generated=generated)
    return render_html(document)
