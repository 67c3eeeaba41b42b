"""The portfolio as a document, rendered as Markdown or one self-contained HTML page by the
report's own renderers (so the same escaping, and the same print rules, hold)."""

from __future__ import annotations

from typing import Final

from pilot_tui.core.portfolio import HeldBack, Portfolio, other_banks, other_banks_line
from pilot_tui.core.render import percent, plural
from pilot_tui.core.report.document import (
    Block,
    Cell,
    Document,
    Fields,
    Paragraph,
    Section,
    Span,
    Table,
    plain,
    question_cell,
    text_cell,
)
from pilot_tui.core.report.html import render_html
from pilot_tui.core.report.markdown import render_markdown
from pilot_tui.core.scoring import SectionScore

NOT_SCORED: Final = "n/a"
NOT_ASSESSED: Final = "Not assessed yet"
"""A pilot with nothing answered: its level would be the rules' floor, not a finding."""
NAMED: Final = 12
"""Pilots named in one cell: a portfolio of hundreds must not make a cell a page long."""


def portfolio_markdown(portfolio: Portfolio) -> str:
    return render_markdown(portfolio_document(portfolio))


def portfolio_html(portfolio: Portfolio) -> str:
    return render_html(portfolio_document(portfolio))


def portfolio_document(portfolio: Portfolio) -> Document:
    count = len(portfolio.pilots)
    bank = portfolio.bank
    header = Fields(
        (
            ("Pilots", str(count)),
            ("Bank", f"{bank.title}, version {bank.version}"),
            ("Generated", portfolio.generated.strftime("%Y-%m-%d %H:%M UTC")),
            ("Set aside", str(len(portfolio.set_aside))),
        )
    )
    parts = [
        _levels(portfolio),
        _heat_map(portfolio),
        _held_back(portfolio),
        _changes(portfolio),
        _stale(portfolio),
    ]
    if portfolio.set_aside:
        parts.append(
            Section(
                "Files set aside",
                (
                    Paragraph(plain("Not in any figure above: each with the reason.")),
                    *(
                        [Paragraph(plain(other_banks_line(portfolio)))]
                        if other_banks(portfolio)
                        else []
                    ),
                    Table(
                        ("File", "Bank", "Reason"),
                        tuple(
                            (
                                text_cell(item.source),
                                text_cell(item.bank or ""),
                                text_cell(item.reason),
                            )
                            for item in portfolio.set_aside
                        ),
                    ),
                ),
            )
        )
    return Document(
        title=f"Portfolio: {plural(count, 'pilot')}", header=header, sections=tuple(parts)
    )


def _levels(portfolio: Portfolio) -> Section:
    rows = tuple(
        (text_cell(title), text_cell(str(number))) for _, title, number in portfolio.levels
    )
    if portfolio.not_assessed:
        rows += ((text_cell(NOT_ASSESSED), text_cell(str(len(portfolio.not_assessed)))),)
    ready = portfolio.levels[-1][2] if portfolio.levels else 0
    count = len(portfolio.pilots) - len(portfolio.not_assessed)
    assessed = " assessed" if portfolio.not_assessed else ""
    note = (
        f"{ready} of {count}{assessed} {'pilot is' if count == 1 else 'pilots are'} at the top "
        f"level, {portfolio.levels[-1][1] if portfolio.levels else ''}."
    )
    return Section(
        "Levels",
        (Paragraph(plain(note)), Table(("Level", "Pilots"), rows, numeric=(1,))),
    )


def _status_cell(scored: SectionScore) -> Cell:
    if scored.score is None:
        return text_cell(NOT_SCORED)
    return ((Span(f"{percent(scored.score)} "), Span(scored.status.upper(), scored.status)),)


def _heat_map(portfolio: Portfolio) -> Section:
    sections = portfolio.bank.sections
    header = (
        "Pilot",
        "Level",
        *(section.label for section in sections),
        "Blockers",
        "Answered",
        "Updated",
    )
    rows: list[tuple[Cell, ...]] = []
    for pilot in portfolio.pilots:
        card = pilot.card
        scored = {section.id: section for section in card.sections}
        title = pilot.meta.title
        team = pilot.meta.team
        if not pilot.assessed:
            # Nothing answered: no level, score or blocker is a finding yet.
            rows.append(
                (
                    ((Span(title), Span(pilot.name, "id")), *((plain(team),) if team else ())),
                    text_cell(NOT_ASSESSED),
                    *(text_cell("") for _ in sections),
                    text_cell(""),
                    text_cell("0%"),
                    text_cell(pilot.meta.updated.strftime("%Y-%m-%d")),
                )
            )
            continue
        rows.append(
            (
                ((Span(title), Span(pilot.name, "id")), *((plain(team),) if team else ())),
                ((Span(f"{card.level_title} "), Span(card.status.upper(), card.status)),),
                *(
                    _status_cell(scored[section.id])
                    if section.id in scored
                    else text_cell(NOT_SCORED)
                    for section in sections
                ),
                text_cell(str(len(card.blockers))),
                text_cell(f"{percent(card.coverage * 100)}%"),
                text_cell(pilot.meta.updated.strftime("%Y-%m-%d")),
            )
        )
    note = (
        "Each root cause's score out of 100 and its status; the level is the weakest section's, "
        "held lower while blockers stand."
    )
    blocks: list[Block] = [Paragraph(plain(note))]
    if rows:
        numeric = (len(sections) + 2, len(sections) + 3)
        blocks.append(Table(header, tuple(rows), numeric=numeric))
    else:
        blocks.append(Paragraph(plain("No pilots to show.")))
    return Section("Heat map", tuple(blocks))


def _held(items: tuple[HeldBack, ...], total: int, label: str, *, questions: bool) -> Table:
    rows = tuple(
        (
            question_cell(item.title, item.id) if questions else text_cell(item.title),
            text_cell(f"{len(item.pilots)} of {total}"),
            text_cell(_some(item.pilots)),
        )
        for item in items
    )
    return Table((label, "Pilots held back", "Which"), rows, numeric=(1,))


def _some(names: tuple[str, ...]) -> str:
    if not names:
        return "none"
    shown = ", ".join(names[:NAMED])
    return shown if len(names) <= NAMED else f"{shown} and {len(names) - NAMED} more"


def _held_back(portfolio: Portfolio) -> Section:
    total = len(portfolio.pilots) - len(portfolio.not_assessed)
    blocks: list[Block] = [
        Paragraph(
            plain(
                "Root causes: the pilots where the section is below the top level, of those "
                "assessed."
            )
        ),
        _held(portfolio.by_section, total, "Root cause", questions=False),
    ]
    if portfolio.by_blocker:
        blocks += [
            Paragraph(plain("Blocker questions: each caps the level of the pilots it stands in.")),
            _held(portfolio.by_blocker, total, "Blocker", questions=True),
        ]
    else:
        blocks.append(Paragraph(plain("No blocker stands in any pilot.")))
    return Section("What holds pilots back", tuple(blocks))


def _changes(portfolio: Portfolio) -> Section:
    rows = tuple(
        (
            text_cell(pilot.name),
            text_cell(pilot.milestone),
            text_cell(f"{pilot.since_milestone:+.0f}" if pilot.since_milestone else "0"),
            text_cell(str(pilot.improved)),
            text_cell(str(pilot.regressed)),
        )
        for pilot in portfolio.pilots
        if pilot.milestone is not None
    )
    if not rows:
        return Section(
            "Since each pilot's last milestone", (Paragraph(plain("No milestones yet.")),)
        )
    return Section(
        "Since each pilot's last milestone",
        (
            Table(
                ("Pilot", "Milestone", "Score change", "Improved", "Regressed"),
                rows,
                numeric=(2, 3, 4),
            ),
        ),
    )


def _stale(portfolio: Portfolio) -> Section:
    title = f"Not updated for {plural(portfolio.stale_days, 'day')} or more"
    if not portfolio.stale:
        return Section(title, (Paragraph(plain("Every pilot was updated recently.")),))
    rows = tuple(
        (
            text_cell(item.name),
            text_cell(item.updated.strftime("%Y-%m-%d")),
            text_cell(str(item.days)),
        )
        for item in portfolio.stale
    )
    return Section(title, (Table(("Pilot", "Last updated", "Days"), rows, numeric=(2,)),))
