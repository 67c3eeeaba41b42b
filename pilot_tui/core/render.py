"""Plain-text renderings of a scorecard and an action plan, for the terminal and for pipes."""

from __future__ import annotations

from pilot_tui.core.scoring import ActionItem, Scorecard, SectionScore

BAR_WIDTH = 20


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """A bar of full and empty blocks: readable without colour."""
    filled = round((score or 0.0) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def section_line(section: SectionScore, title_width: int) -> str:
    extra = f"  {section.unknown} don't know" if section.unknown else ""
    if section.blockers:
        extra += f"  {plural(section.blockers, 'blocker')}"
    return (
        f"{section.title:<{title_width}}  {bar(section.score)} {percent(section.score):>3}  "
        f"{section.status.upper():<5}  {section.answered}/{section.total} answered{extra}"
    )


def scorecard_text(card: Scorecard, *, title: str = "") -> str:
    lines: list[str] = []
    if title:
        lines += [title, ""]
    weakest = next((s for s in card.sections if s.id == card.weakest), None)
    held = " (held back by blockers)" if card.capped else ""
    lines.append(f"Readiness: {card.level_title}{held}")
    lines.append(
        f"Score {card.score:.0f}/100 (weakest section"
        + (f": {weakest.title}" if weakest else "")
        + f"), average {card.average:.0f}/100"
    )
    lines.append(
        f"Answered {card.answered} of {card.total} ({card.coverage:.0%}), "
        f"{card.unknown} don't know, {plural(len(card.blockers), 'blocker')}"
    )
    lines.append("")
    width = max((len(s.title) for s in card.sections), default=0)
    lines += [section_line(section, width) for section in card.sections]
    if card.blockers:
        lines += ["", "Blockers:"]
        lines += [f"  - {b.title} [{b.question}]: {b.reason}" for b in card.blockers]
    if card.orphaned:
        lines += [
            "",
            f"Kept {len(card.orphaned)} answer(s) to questions this bank does not have: "
            + ", ".join(card.orphaned),
        ]
    return "\n".join(lines)


def plan_text(items: list[ActionItem]) -> str:
    if not items:
        return "Nothing to fix: every applicable question is fully met."
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        tags = " BLOCKER" if item.blocker else ""
        tags += " UNKNOWN" if item.unknown else ""
        lines.append(f"{number}. {item.title} [{item.question}]{tags}")
        lines.append(f"   Now: {item.answer}. Fix: {item.fix}")
        who = [f"owner {item.owner}"] if item.owner else []
        who += [f"due {item.due}"] if item.due else []
        if who:
            text = ", ".join(who)
            lines.append(f"   {text[0].upper()}{text[1:]}")
    return "\n".join(lines)
