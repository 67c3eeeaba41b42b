"""The readiness scorecard, drawn from the core's Scorecard: every number comes from the core.

Text from banks and files is added as plain text, never parsed as markup, so a title such as
"[red]" shows as written.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from pilot_tui.core.render import bar, percent, plural
from pilot_tui.core.scoring import Scorecard, Status

STATUS_STYLE: dict[Status, str] = {
    "red": "$text-error",
    "amber": "$text-warning",
    "green": "$text-success",
}
STATUS_LABEL: dict[Status, str] = {"red": "RED", "amber": "AMBER", "green": "GREEN"}
LEVEL_STYLE = "bold $text-accent"


def scorecard_content(card: Scorecard, *, bar_width: int = 12, max_blockers: int = 6) -> Content:
    """The full card: headline, one block per section, blockers."""
    weakest = next((s for s in card.sections if s.id == card.weakest), None)
    parts: list[str | tuple[str, str]] = [
        ("Readiness  ", "dim"),
        (card.level_title.upper(), LEVEL_STYLE),
    ]
    if card.capped:
        parts.append((" (held back by blockers)", "$text-warning"))
    parts += [
        "\n",
        ("Score ", "dim"),
        (f"{card.score:.0f}", "bold"),
        ("/100", "dim"),
        ("  average ", "dim"),
        f"{card.average:.0f}",
        "\n",
        ("Weakest ", "dim"),
        weakest.label if weakest else "none scored",
        "\n",
        f"{card.answered}/{card.total} answered",
        ("  ·  ", "dim"),
        (f"{card.unknown} don't know", "$text-warning" if card.unknown else ""),
        "\n",
    ]
    label_width = max(len(s.label) for s in card.sections)
    for section in card.sections:
        style = STATUS_STYLE[section.status]
        weakest_mark = "bold" if section.id == card.weakest else ""
        parts += [
            "\n",
            ("▌", style),
            (f"{section.label:<{label_width}}", weakest_mark),
            f" {percent(section.score):>3} ",
            (STATUS_LABEL[section.status], style),
            "\n ",
            (bar(section.score, bar_width), style),
            (f" {section.answered}/{section.total}", "dim"),
        ]
        if section.unknown:
            parts += (" ", (f"{section.unknown}?", "$text-warning"))
        if section.blockers:
            parts += (" ", (plural(section.blockers, "blocker"), "$text-error"))
    parts += ["\n\n", (plural(len(card.blockers), "blocker").capitalize(), "bold")]
    if not card.blockers:
        parts.append((": none", "$text-success"))
    for blocker in card.blockers[:max_blockers]:
        parts += ["\n", ("• ", "$text-error"), blocker.title]
    if len(card.blockers) > max_blockers:
        parts += ["\n", (f"  and {len(card.blockers) - max_blockers} more", "dim")]
    return Content.assemble(*parts)


def summary_line(card: Scorecard) -> Content:
    """One line for narrow terminals: level, headline, weakest section, coverage, risks."""
    weakest = next((s for s in card.sections if s.id == card.weakest), None)
    parts: list[str | tuple[str, str]] = [
        (card.level_title.upper(), LEVEL_STYLE),
        f" {card.score:.0f}/100",
    ]
    if weakest is not None:
        parts += [("  weakest ", "dim"), (weakest.label, STATUS_STYLE[weakest.status])]
    parts += [("  ·  ", "dim"), f"{card.answered}/{card.total}"]
    if card.blockers:
        parts += [("  ·  ", "dim"), (plural(len(card.blockers), "blocker"), "$text-error")]
    if card.unknown:
        parts += [("  ·  ", "dim"), (f"{card.unknown} ?", "$text-warning")]
    return Content.assemble(*parts)


class ScorecardPanel(Static):
    """The live scorecard beside the interview."""

    def show(self, card: Scorecard) -> None:
        self.update(scorecard_content(card))


class SummaryLine(Static):
    """The scorecard in one line, for terminals too narrow for the panel."""

    def show(self, card: Scorecard) -> None:
        self.update(summary_line(card))
