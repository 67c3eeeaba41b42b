"""Reports for stakeholders: the verdict, the plan and every answer, as Markdown or as HTML.

The report is built once as a small document (build.py, document.py) and rendered to each
format (markdown.py, html.py), so the two formats always say the same thing: a part of the
report is added in one place. Everything a person typed (titles, notes, owners, names, even the
bank's own text, which a team may have written) is escaped by each renderer: a report is pasted
into wikis and pull requests and opened in browsers, so a note must never break a table, add a
link or run a script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from functools import partial
from typing import Final, Literal

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank, Framework
from pilot_tui.core.evidence import EvidenceCheck
from pilot_tui.core.report.build import build_report
from pilot_tui.core.report.document import Document
from pilot_tui.core.report.html import render_html
from pilot_tui.core.report.markdown import render_markdown
from pilot_tui.core.report.rows import DisputeRow, TrendRow, report_rows

__all__ = [
    "DisputeRow",
    "ReportFormat",
    "TrendRow",
    "html_report",
    "markdown_report",
    "report",
    "report_for",
    "report_rows",
]

ReportFormat = Literal["md", "html"]
_RENDERERS: Final[dict[ReportFormat, Callable[[Document], str]]] = {
    "md": render_markdown,
    "html": render_html,
}


def report(
    fmt: ReportFormat,
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
    framework: Framework | None = None,
    evidence: Sequence[EvidenceCheck] = (),
) -> str:
    """The report in FMT: GitHub-flavoured Markdown for a wiki page or a pull request, or one
    self-contained HTML page (no scripts, fonts or images to fetch). FRAMEWORK: a framework of
    the bank to group the answers by, in a part of its own; EVIDENCE: the answers' evidence as
    the caller checked it."""
    document = build_report(
        bank,
        assessment,
        disputes=disputes,
        trend=trend,
        generated=generated,
        framework=framework,
        evidence=evidence,
    )
    return _RENDERERS[fmt](document)


markdown_report = partial(report, "md")
html_report = partial(report, "html")


def report_for(
    fmt: ReportFormat,
    bank: Bank,
    assessment: Assessment,
    *,
    generated: datetime,
    framework: Framework | None = None,
    evidence: Sequence[EvidenceCheck] = (),
) -> str:
    """The report in FMT with the disputes and the trend the assessment itself holds."""
    disputes, trend = report_rows(bank, assessment)
    return report(
        fmt,
        bank,
        assessment,
        disputes=disputes,
        trend=trend,
        generated=generated,
        framework=framework,
        evidence=evidence,
    )
