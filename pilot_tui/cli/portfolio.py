"""`pilot-tui portfolio`: many pilots at once, as text, Markdown, one HTML page or JSON."""

from __future__ import annotations

import argparse
import json
import textwrap
from pathlib import Path
from typing import Any

from pilot_tui.cli.common import EXIT_OK, UsageError, send_output, store_of
from pilot_tui.core.assessment import now_utc
from pilot_tui.core.portfolio import (
    Pilot,
    Portfolio,
    build_portfolio,
    other_banks,
    other_banks_line,
)
from pilot_tui.core.render import percent, plural
from pilot_tui.core.scoring import SectionScore
from pilot_tui.core.text import printable
from pilot_tui.store.folder import read_many


def cmd_portfolio(args: argparse.Namespace) -> int:
    if args.stale_days < 1:
        raise UsageError("--stale-days must be 1 or more")
    store = store_of(args)
    paths = [Path(path) for path in args.paths]
    reading = read_many(store, paths)
    portfolio = build_portfolio(
        store.bank,
        reading.pilots,
        reading.unreadable,
        now=now_utc(),
        stale_days=args.stale_days,
        other_banks=reading.other_banks,
    )
    if args.format == "json":
        # One line: a thousand pilots' JSON indented would take a quarter of a second to write.
        text = json.dumps(portfolio_json(portfolio), ensure_ascii=False) + "\n"
    elif args.format in ("md", "html"):
        from pilot_tui.core.report.portfolio import portfolio_html, portfolio_markdown

        text = portfolio_markdown(portfolio) if args.format == "md" else portfolio_html(portfolio)
    else:
        text = portfolio_text(portfolio)
    send_output(args, text, args.output, reads=[Path(pilot.source) for pilot in reading.pilots])
    return EXIT_OK


def portfolio_text(portfolio: Portfolio) -> str:
    """A heat map of letters a terminal shows in any width from 80 columns: R, A, G per root
    cause (- where nothing in it applies), then what holds the pilots back."""
    bank = portfolio.bank
    total = len(portfolio.pilots)
    lines = [f"{plural(total, 'pilot')}, scored against {bank.title} {bank.version}"]
    levels = [f"{title} {number}" for _, title, number in portfolio.levels]
    if portfolio.not_assessed:
        levels.append(f"not assessed yet {len(portfolio.not_assessed)}")
    lines.append("Levels: " + ", ".join(levels))
    assessed = total - len(portfolio.not_assessed)
    if portfolio.pilots:
        names = {pilot.name: printable(pilot.name) for pilot in portfolio.pilots}
        width = min(28, max(len(name) for name in names.values()))
        short = "  ".join(
            f"{number}={section.label}" for number, section in enumerate(bank.sections, 1)
        )
        lines += ["", *textwrap.wrap(f"Root causes: {short}", 79, subsequent_indent="  ")]
        heads = " ".join(f"{number:>4}" for number in range(1, len(bank.sections) + 1))
        lines.append(f"{'pilot':<{width}}  {heads}  level                  blockers  answered")
        for pilot in portfolio.pilots:
            scored = {section.id: section for section in pilot.card.sections}
            cells = " ".join(_cell(scored.get(section.id)) for section in bank.sections)
            name = names[pilot.name]
            name = name if len(name) <= width else name[: width - 1] + "…"
            if not pilot.assessed:
                # Nothing answered: no level, score or blocker is a finding yet.
                unknown = " ".join(f"{'?':>4}" for _ in bank.sections)
                lines.append(
                    f"{name:<{width}}  {unknown}  {'not assessed yet':<22} {'?':>8}  {'0%':>8}"
                )
                continue
            lines.append(
                f"{name:<{width}}  {cells}  {pilot.card.level_title:<22} "
                f"{len(pilot.card.blockers):>8}  {percent(pilot.card.coverage * 100) + '%':>8}"
            )
        lines += ["", "Held back by (pilots assessed below the top level in that root cause):"]
        lines += [
            f"  {held.title}: {len(held.pilots)} of {assessed}" for held in portfolio.by_section
        ]
        if portfolio.by_blocker:
            lines += ["", "Blocker questions:"]
            lines += [
                f"  {held.title} [{held.id}]: {len(held.pilots)} of {plural(assessed, 'pilot')}"
                for held in portfolio.by_blocker[:10]
            ]
            if len(portfolio.by_blocker) > 10:
                lines.append(f"  and {len(portfolio.by_blocker) - 10} more (--format md lists all)")
    since = [pilot for pilot in portfolio.pilots if pilot.milestone is not None]
    if since:
        lines += ["", "Since each pilot's last milestone:"]
        lines += [
            f"  {printable(pilot.name)} ({printable(pilot.milestone or '')}): score "
            f"{pilot.since_milestone or 0:+.0f}, {pilot.improved} improved, "
            f"{pilot.regressed} regressed"
            for pilot in since
        ]
    if portfolio.stale:
        lines += ["", f"Not updated for {plural(portfolio.stale_days, 'day')} or more:"]
        lines += [f"  {printable(item.name)}: {item.days} days" for item in portfolio.stale]
    if portfolio.set_aside:
        lines += ["", "Set aside:"]
        if other_banks(portfolio):
            lines += textwrap.wrap(
                other_banks_line(portfolio), 79, initial_indent="  ", subsequent_indent="  "
            )
        lines += [
            f"  {printable(item.source)}: {printable(item.reason)}" for item in portfolio.set_aside
        ]
    return "\n".join(lines) + "\n"


def _cell(scored: SectionScore | None) -> str:
    """A root cause's score and the first letter of its status (never colour alone)."""
    if scored is None or scored.score is None:
        return f"{'-':>4}"
    return f"{percent(scored.score):>3}{scored.status[0].upper()}"


def _findings(pilot: Pilot) -> dict[str, Any]:
    """A pilot's level, score, blockers and sections for the JSON: null with nothing answered,
    when they would be the rules' floor (every blocker standing, every section red), not
    findings a dashboard should count."""
    card = pilot.card
    known = pilot.assessed
    return {
        "level": card.level if known else None,
        "level_title": card.level_title if known else None,
        "status": card.status if known else None,
        "score": round(card.score, 1) if known else None,
        "coverage": round(card.coverage, 3),
        "blockers": [blocker.question for blocker in card.blockers] if known else None,
        "sections": [
            {
                "id": section.id,
                "score": None if section.score is None or not known else round(section.score, 1),
                "status": section.status if known else None,
            }
            for section in card.sections
        ],
    }


def portfolio_json(portfolio: Portfolio) -> dict[str, Any]:
    """`portfolio --format json`: {bank: {id, version, title}, generated (ISO time), stale_days,
    levels: [{id, title, pilots (a count of those assessed)}], not_assessed: [names of the pilots
    with nothing answered], pilots: [{name, source, title, team, assessed (false with nothing
    answered), level, level_title, status, score, coverage, blockers: [question ids], sections:
    [{id, score (null when nothing in it applies), status}] (level, level_title, status, score,
    blockers and each section's score and status are null when not assessed: they would be the
    rules' floor, not findings), updated (ISO time), milestone (label or null),
    since_milestone (score change or null), improved, regressed}], held_back: {sections: [{id,
    title, pilots: [names]}], blockers: [{id, title, pilots: [names]}]}, stale: [{name,
    updated, days}], set_aside: [{source, reason, bank (the other bank, "id version", it was
    answered against, or null)}]}. Pilots are most ready first; files answered against other
    banks come first in set_aside, grouped by bank."""
    bank = portfolio.bank
    return {
        "bank": {"id": bank.id, "version": bank.version, "title": bank.title},
        "generated": portfolio.generated.isoformat(),
        "stale_days": portfolio.stale_days,
        "levels": [
            {"id": level, "title": title, "pilots": number}
            for level, title, number in portfolio.levels
        ],
        "not_assessed": list(portfolio.not_assessed),
        "pilots": [
            {
                "name": pilot.name,
                "source": pilot.source,
                "title": pilot.meta.title,
                "team": pilot.meta.team,
                "assessed": pilot.assessed,
                **_findings(pilot),
                "updated": pilot.meta.updated.isoformat(),
                "milestone": pilot.milestone,
                "since_milestone": (
                    None if pilot.since_milestone is None else round(pilot.since_milestone, 1)
                ),
                # Null without a milestone, as since_milestone: 0 would read as "no change".
                "improved": pilot.improved if pilot.milestone is not None else None,
                "regressed": pilot.regressed if pilot.milestone is not None else None,
            }
            for pilot in portfolio.pilots
        ],
        "held_back": {
            "sections": [
                {"id": held.id, "title": held.title, "pilots": list(held.pilots)}
                for held in portfolio.by_section
            ],
            "blockers": [
                {"id": held.id, "title": held.title, "pilots": list(held.pilots)}
                for held in portfolio.by_blocker
            ],
        },
        "stale": [
            {"name": item.name, "updated": item.updated.isoformat(), "days": item.days}
            for item in portfolio.stale
        ],
        "set_aside": [
            {"source": item.source, "reason": item.reason, "bank": item.bank}
            for item in portfolio.set_aside
        ],
    }
