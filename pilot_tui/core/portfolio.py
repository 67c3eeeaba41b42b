"""Many pilots at once: which can go to production, and which root cause holds most of them back.

Pure functions of the bank, the assessments the caller read (and the files it could not read)
and the time: reading the files is the store's job, drawing the result the renderers'.
An assessment answered against another bank is set aside with that reason, never scored
against the wrong questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Final

from pilot_tui.core.assessment import Assessment, BankRef, Meta
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import diff_answers
from pilot_tui.core.scoring import Scorecard, Status, action_plan, score

STALE_DAYS: Final = 60
"""A pilot whose answers have not changed for this long is probably not being worked on."""


@dataclass(frozen=True)
class Standing:
    """Where one pilot's answers put it: its scorecard, and its change since its last milestone.

    A function of the bank and the file's content alone (no clock), so the store may keep it
    by content and give it back for a file that has not changed.
    """

    card: Scorecard
    milestone: str | None
    """The label of the pilot's last milestone, if it has one."""
    since_milestone: float | None
    """The headline score's change since that milestone."""
    improved: int
    regressed: int
    """Answers that improved or regressed since that milestone."""


@dataclass(frozen=True)
class Pilot:
    name: str
    """How the pilot is named in the portfolio: its file's name without .toml."""
    source: str
    """The file, as it was found."""
    meta: Meta
    bank: BankRef
    """The bank its answers were given against."""
    standing: Standing

    @property
    def card(self) -> Scorecard:
        return self.standing.card

    @property
    def milestone(self) -> str | None:
        return self.standing.milestone

    @property
    def since_milestone(self) -> float | None:
        return self.standing.since_milestone

    @property
    def improved(self) -> int:
        return self.standing.improved

    @property
    def regressed(self) -> int:
        return self.standing.regressed

    @property
    def assessed(self) -> bool:
        """Whether anything is answered: with nothing, its level is the rules' floor, not a
        finding, and no root cause or blocker is known to hold it back."""
        return self.standing.card.answered > 0


FIRST_ACTIONS: Final = 3
"""How many of a pilot's first actions a glance keeps."""


@dataclass(frozen=True)
class SectionGlance:
    id: str
    score: float | None
    """None when no question of the section applies."""
    status: Status


@dataclass(frozen=True)
class Glance:
    """What a list of many pilots shows of one without its whole record: its meta, where its
    answers put it, and what to fix first.

    A function of the bank and the file's content alone, like Standing (a file with waivers,
    which expire on a day, is never kept), so the store may keep it by content: a thousand
    glances are read in a few milliseconds, where a thousand whole records take most of a
    second.
    """

    meta: Meta
    bank: BankRef
    level: str
    level_title: str
    status: Status
    score: float
    coverage: float
    answered: int
    blockers: int
    """Blockers standing (waived ones are not)."""
    sections: tuple[SectionGlance, ...]
    milestone: str | None
    since_milestone: float | None
    improved: int
    regressed: int
    first_actions: tuple[tuple[bool, str], ...]
    """(whether it is a blocker, its title) of the first items of the action plan."""


def glance_of(bank: Bank, assessment: Assessment, standing: Standing) -> Glance:
    """ASSESSMENT at a glance, given its STANDING."""
    card = standing.card
    return Glance(
        meta=assessment.meta,
        bank=assessment.bank,
        level=card.level,
        level_title=card.level_title,
        status=card.status,
        score=card.score,
        coverage=card.coverage,
        answered=card.answered,
        blockers=len(card.blockers),
        sections=tuple(
            SectionGlance(section.id, section.score, section.status) for section in card.sections
        ),
        milestone=standing.milestone,
        since_milestone=standing.since_milestone,
        improved=standing.improved,
        regressed=standing.regressed,
        first_actions=tuple(
            (item.blocker, item.title) for item in action_plan(bank, assessment)[:FIRST_ACTIONS]
        ),
    )


@dataclass(frozen=True)
class SetAside:
    source: str
    reason: str
    bank: str | None = None
    """The other bank ("id version") it was answered against, when that is the reason."""


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
    """Files in no figure: those answered against other banks first, grouped by bank."""
    by_section: tuple[HeldBack, ...]
    """Each section, in the bank's order, with the pilots where it is not green."""
    by_blocker: tuple[HeldBack, ...]
    """Each blocker question that stands in any pilot, the most common first."""
    levels: tuple[tuple[str, str, int], ...]
    """(level id, title, how many assessed pilots are at it), lowest level first."""
    not_assessed: tuple[str, ...]
    """The pilots with nothing answered yet: in no level, and held back by nothing known."""
    stale: tuple[Stale, ...]
    stale_days: int
    generated: datetime


def build_portfolio(
    bank: Bank,
    found: Sequence[Pilot],
    unreadable: Sequence[tuple[str, str]],
    *,
    now: datetime,
    stale_days: int = STALE_DAYS,
    other_banks: Mapping[str, str] | None = None,
) -> Portfolio:
    """The portfolio of the pilots FOUND (see pilot_row) and the UNREADABLE files ((source,
    reason) each), as of NOW. OTHER_BANKS: the bank ("id version") of each unreadable file
    answered against another."""
    banks = other_banks or {}
    set_aside = [SetAside(source, reason, banks.get(source)) for source, reason in unreadable]
    pilots: list[Pilot] = []
    for pilot in found:
        if pilot.bank.id != bank.id:
            set_aside.append(
                SetAside(
                    pilot.source,
                    f"answered against the bank {pilot.bank.id!r} "
                    f"(version {pilot.bank.version}), not {bank.id!r}: give that bank "
                    "with --bank to include it",
                    f"{pilot.bank.id} {pilot.bank.version}",
                )
            )
            continue
        pilots.append(pilot)
    rank = {level.id: number for number, level in enumerate(bank.levels)}
    # Those not assessed yet last: their level is no finding.
    pilots.sort(key=lambda p: (not p.assessed, -rank.get(p.card.level, 0), -p.card.score, p.name))
    assessed = [pilot for pilot in pilots if pilot.assessed]
    by_section = tuple(
        HeldBack(
            section.id,
            section.title,
            tuple(
                pilot.name
                for pilot in assessed
                for scored in pilot.card.sections
                if scored.id == section.id and scored.score is not None and scored.status != "green"
            ),
        )
        for section in bank.sections
    )
    blocked: dict[str, tuple[str, list[str]]] = {}
    for pilot in assessed:
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
        (level.id, level.title, sum(pilot.card.level == level.id for pilot in assessed))
        for level in bank.levels
    )
    stale = tuple(
        sorted(
            (
                Stale(pilot.name, pilot.meta.updated, days)
                for pilot in pilots
                if (days := (now - pilot.meta.updated).days) >= stale_days
            ),
            key=lambda item: -item.days,
        )
    )
    return Portfolio(
        bank=bank,
        pilots=tuple(pilots),
        not_assessed=tuple(pilot.name for pilot in pilots if not pilot.assessed),
        set_aside=tuple(
            sorted(set_aside, key=lambda item: (item.bank is None, item.bank or "", item.source))
        ),
        by_section=by_section,
        by_blocker=by_blocker,
        levels=levels,
        stale=stale,
        stale_days=stale_days,
        generated=now,
    )


def other_banks(portfolio: Portfolio) -> list[tuple[str, int]]:
    """Each other bank ("id version") files set aside were answered against, and how many."""
    counts: dict[str, int] = {}
    for item in portfolio.set_aside:
        if item.bank is not None:
            counts[item.bank] = counts.get(item.bank, 0) + 1
    return list(counts.items())


def other_banks_line(portfolio: Portfolio) -> str:
    """One sentence on the files answered against other banks, or "" when there are none."""
    groups = other_banks(portfolio)
    if not groups:
        return ""
    named = "; ".join(
        f"bank {bank} ({count} {'file' if count == 1 else 'files'})" for bank, count in groups
    )
    return (
        f"Answered against other banks, so not scored here: {named}. Each group is a "
        "portfolio of its own: pilot-tui portfolio --bank THAT-BANK.toml with its files."
    )


def pilot_row(
    bank: Bank, name: str, source: str, assessment: Assessment, known: Standing | None = None
) -> Pilot:
    """One pilot's row: its scorecard, and what changed since its last milestone (KNOWN, when
    the caller already has the assessment's standing)."""
    return Pilot(
        name, source, assessment.meta, assessment.bank, known or standing_of(bank, assessment)
    )


def standing_of(bank: Bank, assessment: Assessment) -> Standing:
    """ASSESSMENT's scorecard, and what changed since its last milestone."""
    card = score(bank, assessment)
    if not assessment.milestones:
        return Standing(card, None, None, 0, 0)
    last = assessment.milestones[-1]
    then = score(bank, replace(assessment, answers=dict(last.answers), context=last.context))
    changes = diff_answers(bank, last.answers, assessment.answers)
    return Standing(
        card,
        last.label,
        card.score - then.score,
        sum(change.direction == "improved" for change in changes),
        sum(change.direction == "regressed" for change in changes),
    )
