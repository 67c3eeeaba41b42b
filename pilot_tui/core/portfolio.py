"""Many pilots at once: which can go to production, and which root cause holds most of them back.

Pure functions of the bank, the assessments the caller read (and the files it could not read)
and the time: reading the files is the store's job, drawing the result the renderers'.
An assessment answered against another bank is set aside with that reason, never scored
against the wrong questions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import diff_answers
from pilot_tui.core.scoring import Scorecard, score

STALE_DAYS: Final = 60
"""A pilot whose answers have not changed for this long is probably not being worked on."""


@dataclass(frozen=True)
class Pilot:
    name: str
    """How the pilot is named in the portfolio: its file's name without .toml."""
    source: str
    """The file, as it was found."""
    assessment: Assessment
    card: Scorecard
    milestone: str | None
    """The label of the pilot's last milestone, if it has one."""
    since_milestone: float | None
    """The headline score's change since that milestone."""
    improved: int
    regressed: int
    """Answers that improved or regressed since that milestone."""


@dataclass(frozen=True)
class SetAside:
    source: str
    reason: str


@dataclass(frozen=True)
class HeldBack:
    """A root cause (a section) or a blocker question, and the pilots it holds back."""

    id: str
    title: str
    pilots: tuple[str, ...]


@dataclass(frozen=True)
class Stale:
    name: str
    updated: datetime
    days: int


@dataclass(frozen=True)
class Portfolio:
    bank: Bank
    pilots: tuple[Pilot, ...]
    """Most ready first: by level, then headline score, then name."""
    set_aside: tuple[SetAside, ...]
    by_section: tuple[HeldBack, ...]
    """Each section, in the bank's order, with the pilots where it is not green."""
    by_blocker: tuple[HeldBack, ...]
    """Each blocker question that stands in any pilot, the most common first."""
    levels: tuple[tuple[str, str, int], ...]
    """(level id, title, how many pilots are at it), lowest level first."""
    stale: tuple[Stale, ...]
    stale_days: int
    generated: datetime


def build_portfolio(
    bank: Bank,
    found: Sequence[tuple[str, str, Assessment]],
    unreadable: Sequence[tuple[str, str]],
    *,
    now: datetime,
    stale_days: int = STALE_DAYS,
) -> Portfolio:
    """The portfolio of FOUND ((name, source, assessment) each) and the UNREADABLE files
    ((source, reason) each), as of NOW."""
    set_aside = [SetAside(source, reason) for source, reason in unreadable]
    pilots: list[Pilot] = []
    for name, source, assessment in found:
        if assessment.bank.id != bank.id:
            set_aside.append(
                SetAside(
                    source,
                    f"answered against the bank {assessment.bank.id!r} "
                    f"(version {assessment.bank.version}), not {bank.id!r}: give that bank "
                    "with --bank to include it",
                )
            )
            continue
        pilots.append(pilot_row(bank, name, source, assessment))
    rank = {level.id: number for number, level in enumerate(bank.levels)}
    pilots.sort(key=lambda p: (-rank.get(p.card.level, 0), -p.card.score, p.name))
    by_section = tuple(
        HeldBack(
            section.id,
            section.title,
            tuple(
                pilot.name
                for pilot in pilots
                for scored in pilot.card.sections
                if scored.id == section.id and scored.score is not None and scored.status != "green"
            ),
        )
        for section in bank.sections
    )
    blocked: dict[str, tuple[str, list[str]]] = {}
    for pilot in pilots:
        for blocker in pilot.card.blockers:
            entry = blocked.setdefault(blocker.question, (blocker.title, []))
            entry[1].append(pilot.name)
    by_blocker = tuple(
        sorted(
            (
                HeldBack(question, title, tuple(names))
                for question, (title, names) in blocked.items()
            ),
            key=lambda held: -len(held.pilots),
        )
    )
    levels = tuple(
        (level.id, level.title, sum(pilot.card.level == level.id for pilot in pilots))
        for level in bank.levels
    )
    stale = tuple(
        sorted(
            (
                Stale(pilot.name, pilot.assessment.meta.updated, days)
                for pilot in pilots
                if (days := (now - pilot.assessment.meta.updated).days) >= stale_days
            ),
            key=lambda item: -item.days,
        )
    )
    return Portfolio(
        bank=bank,
        pilots=tuple(pilots),
        set_aside=tuple(sorted(set_aside, key=lambda item: item.source)),
        by_section=by_section,
        by_blocker=by_blocker,
        levels=levels,
        stale=stale,
        stale_days=stale_days,
        generated=now,
    )


def pilot_row(bank: Bank, name: str, source: str, assessment: Assessment) -> Pilot:
    """One pilot's row: its scorecard, and what changed since its last milestone."""
    card = score(bank, assessment)
    if not assessment.milestones:
        return Pilot(name, source, assessment, card, None, None, 0, 0)
    last = assessment.milestones[-1]
    then = score(bank, replace(assessment, answers=dict(last.answers), context=last.context))
    changes = diff_answers(bank, last.answers, assessment.answers)
    return Pilot(
        name,
        source,
        assessment,
        card,
        last.label,
        card.score - then.score,
        sum(change.direction == "improved" for change in changes),
        sum(change.direction == "regressed" for change in changes),
    )
