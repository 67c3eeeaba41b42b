"""Plain-text presenters of the command line (those shared with the app are in core/render)."""

from __future__ import annotations

from pilot_tui.core.bank import Bank, Framework
from pilot_tui.core.merge import Disagreement
from pilot_tui.core.milestones import (
    Change,
    Replaced,
)
from pilot_tui.core.render import (
    plural,
    rules_lines,
)


def bank_text(bank: Bank) -> str:
    labels = {o.id: o.label for facet in bank.contexts for o in facet.options}
    lines = [f"{bank.title} (bank {bank.id}, version {bank.version})", ""]
    lines += ["How the verdict is worked out:", *(f"  {line}" for line in rules_lines(bank))]
    lines += ["", "Answers (CHOICE ids for `pilot-tui answer`):"]
    lines += [
        f"  {c.id:<10} {c.label}" + ("" if c.score is None else f" ({c.score:g})")
        for c in bank.choices
        if not c.retired
    ]
    if bank.contexts:
        lines += ["", "Context (OPTION ids for `pilot-tui new --context` and `pilot-tui context`):"]
        for facet in bank.contexts:
            several = " (one or more)" if facet.multiple else " (one)"
            lines.append(f"  {facet.title}{several}: {facet.question}")
            lines += [f"    {o.id:<12} {o.label}" for o in facet.options]
    for section in bank.sections:
        lines += ["", f"[{section.id}] {section.title}"]
        for q in section.questions:
            flag = "  CRITICAL" if q.critical else ""
            if q.critical_when:
                flag = "  CRITICAL for " + ", ".join(labels.get(o, o) for o in q.critical_when)
            lines.append(f"  {q.id:<28} w{q.weight:g}{flag}  {q.text}")
            if q.applies_when:
                lines.append("    only for: " + ", ".join(labels.get(o, o) for o in q.applies_when))
            if q.choices is not None:
                lines.append("    choices: " + ", ".join(c.id for c in q.choices if not c.retired))
            if q.refs:
                lines.append("    refs: " + ", ".join(q.refs))
    if bank.retired:
        lines += ["", "Retired questions (their answers are kept and shown beside the new ones):"]
        for old in bank.retired:
            new = ", ".join(old.replaced_by) or "nothing"
            lines.append(f"  {old.id:<28} (version {old.version}) -> {new}: {old.change}")
    if bank.frameworks:
        lines += [
            "",
            "Frameworks the questions refer to (FRAMEWORK ids for `pilot-tui report "
            "--by-framework`; `pilot-tui bank frameworks` lists their items):",
        ]
        width = max(len(framework.id) for framework in bank.frameworks)
        lines += [
            f"  {framework.id:<{width}}  {framework.title}: {_coverage(bank, framework)}"
            for framework in bank.frameworks
        ]
    return "\n".join(lines)


def frameworks_text(bank: Bank) -> str:
    """`pilot-tui bank frameworks`: each framework's items, each with the questions that cover
    it, so that what no question covers stands out (and can be found with grep)."""
    if not bank.frameworks:
        return f"The bank {bank.id} declares no frameworks: its questions carry no refs."
    blocks: list[str] = []
    for framework in bank.frameworks:
        crosswalk = bank.crosswalk(framework)
        lines = [f"{framework.id}: {framework.title}"]
        lines += [f"  {framework.url}"] if framework.url else []
        lines.append(f"  {_coverage(bank, framework)} by this bank's questions")
        width = max((len(item.id) for item, _ in crosswalk), default=0)
        lines += [
            f"  {item.id:<{width}}  {item.title}"
            + (f" [{', '.join(questions)}]" if questions else ": not covered by any question")
            for item, questions in crosswalk
        ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _coverage(bank: Bank, framework: Framework) -> str:
    """ "29 of 72 items covered": the items at least one question refers to."""
    crosswalk = bank.crosswalk(framework)
    covered = sum(1 for _, questions in crosswalk if questions)
    return f"{covered} of {plural(len(crosswalk), 'item')} covered"


def disputes_text(bank: Bank, found: list[Disagreement], participants: int) -> str:
    index = bank.question_index()
    lines = [
        f"The {participants} participants disagree on {plural(len(found), 'question')}, "
        "most disputed first:"
    ]
    for number, item in enumerate(found, start=1):
        labels = {choice.id: choice.label for choice in bank.choices_for(index[item.question][1])}
        # Not applicable and "don't know" can differ from an answer without any points apart.
        apart = f", scores {item.spread * 100:.0f} points apart" if item.spread else ""
        lines += [
            "",
            f"{number}. {item.title} [{item.question}]: {item.distinct} different answers{apart}",
        ]
        width = max(len(name) for name, _ in item.answers)
        lines += [
            f"   {name + ':':<{width + 1}} "
            + ("(no answer)" if choice is None else labels.get(choice, choice))
            for name, choice in item.answers
        ]
    return "\n".join(lines)


def replaced_text(replaced: list[Replaced]) -> str:
    lines = ["Questions replaced in a newer version of the bank (the old answer is kept):"]
    for item in replaced:
        lines.append(f"  {item.title} [{item.question}, version {item.version}]: {item.answer}")
        lines += [
            f"    now asked as: {title} [{question}]: {answer}"
            for question, title, answer in item.replaced_by
        ]
        lines.append(f"    why: {item.change}")
    return "\n".join(lines)


def changes_text(changes: list[Change], from_text: str, to_text: str) -> str:
    if not changes:
        return f"No changes between {from_text} and {to_text}."
    counts = ", ".join(
        f"{sum(change.direction == direction for change in changes)} {direction}"
        for direction in ("improved", "regressed", "changed")
    )
    lines = [f"From {from_text} to {to_text}: {counts}"]
    lines += [
        f"{change.direction:<9}  {change.title} [{change.question}]: "
        f"{change.before} -> {change.after}"
        for change in changes
    ]
    return "\n".join(lines)
