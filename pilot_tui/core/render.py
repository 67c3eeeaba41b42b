"""Plain-text renderings of a scorecard, an action plan, a pilot's context and the bank's rules,
for the terminal and for pipes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Final

from pilot_tui.core.assessment import Assessment, Waiver
from pilot_tui.core.bank import FULL_SCORE, Bank, Choice
from pilot_tui.core.scoring import (
    ActionItem,
    Blocker,
    Scorecard,
    SectionScore,
    applies,
    context_options,
    default_cap,
    not_applicable_cap,
    unanswered_cap,
)

BAR_WIDTH = 20


UNKNOWN_FLAG: Final = "DON'T KNOW"
"""How an item answered "don't know" is flagged, in the app as in the command line."""


def weakest_words(card: Scorecard, *, titles: bool = False, short: bool = False) -> str:
    """The section that sets the headline, by its label (its title with TITLES); when several
    share the lowest score none of them alone is the weakest: "tied: A and B" ("2 tied" when
    SHORT), or "all 5 tied"; "none scored" when no section applies."""
    scored = [section for section in card.sections if section.score is not None]
    lowest = [section for section in scored if section.id in card.lowest]
    if not card.tied:
        weakest = card.weakest_section
        return "none scored" if weakest is None else (weakest.title if titles else weakest.label)
    if len(lowest) == len(scored):
        return f"all {len(scored)} tied"
    if short:
        return f"{len(lowest)} tied"
    names = [section.title if titles else section.label for section in lowest]
    return "tied: " + ", ".join(names[:-1]) + " and " + names[-1]


def waiver_words(waiver: Waiver) -> str:
    """A waiver in one line: until when, who approved it and who asked, and why."""
    return (
        f"waived until {waiver.expires.isoformat()}, approved by {waiver.approver} (asked by "
        f"{waiver.requester}): {waiver.reason}"
    )


def lapsed_words(blocker: Blocker) -> str:
    """Why a blocker's waiver no longer holds, for a blocker that has one ("" otherwise)."""
    if blocker.lapsed is None:
        return ""
    return (
        f"its waiver, approved by {blocker.lapsed.approver}, no longer holds: {blocker.lapse}; "
        "it stands again"
    )


def percent(value: float | None) -> str:
    """A score (or a share times 100) as a whole number, rounded down: 89.6 shows as 89, never
    as the 90 of a level it does not reach. (Within a hair of the next number, the float's own
    error, it is that number.)"""
    return "n/a" if value is None else str(math.floor(value + 1e-9))


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def bar(score: float | None, width: int = BAR_WIDTH) -> str:
    """A bar of full and empty blocks: readable without colour."""
    filled = round((score or 0.0) / 100 * width)
    return "█" * filled + "░" * (width - filled)


def section_line(section: SectionScore, title_width: int) -> str:
    extra = f"  {section.unknown} don't know" if section.unknown else ""
    if section.not_applicable:
        extra += f"  {section.not_applicable} n/a"
    if section.blockers:
        extra += f"  {plural(section.blockers, 'blocker')}"
    return (
        f"{section.title:<{title_width}}  {bar(section.score)} {percent(section.score):>3}  "
        f"{section.status.upper():<5}  {section.answered}/{section.total} answered{extra}"
    )


def held_back(bank: Bank, card: Scorecard) -> str:
    """Why the level is below what the score reaches, or ""."""
    if not card.capped:
        return ""
    reached = bank.level(card.reached)
    count = plural(len(card.blockers), "blocker")
    return f"held back by {count}; the score alone reaches {reached.title if reached else '?'}"


def scorecard_text(bank: Bank, card: Scorecard, assessment: Assessment | None = None) -> str:
    lines: list[str] = []
    if assessment is not None:
        lines += [assessment.meta.title, ""]
    held = held_back(bank, card)
    # With nothing answered the level is the rules' floor, not a finding: said so.
    notes = ["nothing answered yet: not assessed"] if card.answered == 0 else []
    notes += [held] if held else []
    notes += [f"{plural(len(card.waived), 'blocker')} waived"] if card.waived else []
    lines.append(f"Readiness: {card.level_title}" + (f" ({'; '.join(notes)})" if notes else ""))
    weakest = weakest_words(card, titles=True)
    lines.append(
        f"Score {percent(card.score)}/100 (weakest section"
        + (f": {weakest}" if card.weakest_section else "")
        + f"), average {percent(card.average)}/100"
    )
    not_applicable = card.not_applicable
    lines.append(
        f"Answered {card.answered} of {card.total} ({percent(card.coverage * 100)}%), "
        f"{card.unknown} don't know, {not_applicable} not applicable, "
        f"{plural(len(card.blockers), 'blocker')}"
        + (f" ({len(card.waived)} more waived)" if card.waived else "")
    )
    lines.append("")
    width = max((len(s.title) for s in card.sections), default=0)
    lines += [section_line(section, width) for section in card.sections]
    if card.blockers:
        lines += ["", "Blockers:"]
        lines += [
            f"  - {b.title} [{b.question}]: {b.reason}; holds it at {_level_title(bank, b.cap)}"
            + (f" ({lapsed_words(b)})" if b.lapsed is not None else "")
            for b in card.blockers
        ]
    if card.waived:
        lines += ["", "Waived (accepted risks, not holding the level back until they expire):"]
        lines += [
            f"  - {item.blocker.title} [{item.blocker.question}]: {waiver_words(item.waiver)}"
            for item in card.waived
        ]
    if card.unused_waivers:
        lines += [
            "",
            "Waivers kept but not in use (the question is not a blocker now): "
            + ", ".join(card.unused_waivers),
        ]
    if card.assumed:
        lines += [
            "",
            f"Context not chosen yet ({', '.join(card.assumed)}): every question it decides "
            "is asked, and counts as critical where it can (`pilot-tui context`).",
        ]
    if assessment is not None and assessment.context_changes:
        last = assessment.context_changes[-1]
        lines += [
            "",
            f"Context changed {plural(len(assessment.context_changes), 'time')}; the latest "
            f"on {last.at:%Y-%m-%d}: {last.reason or '(no reason given)'} "
            "(`pilot-tui context` shows every change).",
        ]
    if card.unasked:
        lines += [
            "",
            f"Kept {plural(len(card.unasked), 'answer')} to questions that do not apply to "
            "this context (not counted): " + ", ".join(card.unasked),
        ]
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
        tags += f" (waived until {item.waived_until.isoformat()})" if item.waived_until else ""
        tags += f" {UNKNOWN_FLAG}" if item.unknown else ""
        lines.append(f"{number}. {item.title} [{item.question}]{tags}")
        lines.append(f"   Now: {item.answer}. Fix: {item.fix}")
        if item.earlier:
            lines.append(f"   Answered before: {item.earlier}")
        who = [f"owner {item.owner}"] if item.owner else []
        who += [f"due {item.due}"] if item.due else []
        if who:
            text = ", ".join(who)
            lines.append(f"   {text[0].upper()}{text[1:]}")
    return "\n".join(lines)


def _level_title(bank: Bank, level_id: str) -> str:
    level = bank.level(level_id)
    return level.title if level is not None else level_id


def rules_lines(bank: Bank) -> list[str]:
    """How the verdict is worked out, from the bank's own data: for `bank show`, the help."""
    levels = ", ".join(f"{level.title} from {level.min:g}" for level in bank.levels)
    lines = [
        "Each section scores 0 to 100 over the questions that apply to the pilot; the headline "
        "is the weakest section, and it reaches a level: " + levels + ".",
        "A critical question holds the level back until it is fully met; the most it allows:",
    ]
    for choice in bank.choices:
        if choice.retired:
            continue
        lines.append(f"  {choice.label}: {_choice_rule(bank, choice)}")
    lines.append(f"  Unanswered: {_level_title(bank, unanswered_cap(bank))}")
    if bank.contexts:
        lines.append(
            "Questions that do not apply to the pilot's context are not asked. Not applicable "
            "on a question that applies leaves a question that is not critical out of the score "
            "(with a reason); a critical one stays a blocker."
        )
        lines.append(
            "A context question not answered yet counts every option: every question it decides "
            "is asked, and is critical where it can be."
        )
    return lines


def _choice_rule(bank: Bank, choice: Choice) -> str:
    if choice.not_applicable:
        cap = _level_title(bank, not_applicable_cap(bank))
        return f"{cap} (the question applies to the pilot, so it stays a blocker)"
    if choice.score is not None and choice.score >= FULL_SCORE:
        return "no limit (the question is met)"
    rule = _level_title(bank, choice.critical_cap or default_cap(bank, choice))
    if choice.needs:
        needs = " and ".join(
            {"owner": "an owner", "due": "a due date"}.get(n, n) for n in choice.needs
        )
        rule += f"; without {needs} it counts as not in place"
    return rule


def context_lines(bank: Bank, context: Mapping[str, Sequence[str]]) -> list[str]:
    """The pilot's context in words, one context question a line."""
    lines: list[str] = []
    for facet in bank.contexts:
        labels = {option.id: option.label for option in facet.options}
        chosen = context.get(facet.id)
        if chosen:
            lines.append(f"{facet.title}: {', '.join(labels.get(o, o) for o in chosen)}")
        else:
            lines.append(f"{facet.title}: not chosen yet (every option counts)")
    return lines


def context_text(bank: Bank, assessment: Assessment) -> str:
    """`pilot-tui context`: the context, how many questions apply, and its recorded changes."""
    if not bank.contexts:
        return "This bank has no context questions: every question applies."
    options = context_options(bank, assessment.context)
    questions = [question for _, question in bank.iter_questions()]
    count = sum(applies(question, options) for question in questions)
    lines = [*context_lines(bank, assessment.context), ""]
    lines.append(f"{count} of {len(questions)} questions apply.")
    if assessment.context_changes:
        lines += ["", "Changes:"]
        for change in assessment.context_changes:
            before = "; ".join(context_lines(bank, change.before))
            after = "; ".join(context_lines(bank, change.after))
            lines.append(f"  {change.at:%Y-%m-%d %H:%M} UTC: {before} -> {after}")
            lines.append(f"    why: {change.reason or '(no reason given)'}")
    return "\n".join(lines)
