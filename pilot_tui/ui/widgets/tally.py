"""How a workshop's votes on one question are drawn: a bar per choice, the spread, the
"don't know"s and the answer the merge rule would pick. Words and counts carry the meaning;
colour only helps."""

from __future__ import annotations

from textual.content import Content

from pilot_tui.core.workshop import Tally

BAR_WIDTH = 30
MIN_BAR = 8
"""Shorter bars than this do not show a difference: the bar goes under its label instead."""
FULL = "▆"
"""Not a full block: bars on adjacent lines would merge into one solid box in a browser."""


def tally_lines(result: Tally, *, names: bool, width: int = 0) -> Content:
    """The votes as bars, fitted to WIDTH (0: as wide as they like): the bars shorten on a
    narrow screen, and below that each choice's bar goes under its label."""
    if result.total == 0:
        return Content("No votes were cast on this question.")
    label_width = max(len(row.choice.label) for row in result.counts)
    top = max(row.count for row in result.counts)
    rows = []
    for row in result.counts:
        hands = row.count - len(row.names)
        who = ""
        if names and row.names:
            who = "  " + ", ".join(row.names)
            if hands:
                who += f" + {hands} by hand"
        rows.append((row, who))
    # The names may wrap; the bar and its count should not.
    room = width - label_width - 5 if width else BAR_WIDTH
    stacked = bool(width) and room < MIN_BAR
    bar_width = min(BAR_WIDTH, width - 5) if stacked else min(BAR_WIDTH, room)
    bar_width = max(1, bar_width)
    lines: list[Content] = []
    for row, who in rows:
        length = round(bar_width * row.count / top) if row.count else 0
        style = "$warning" if row.choice.unknown else "$accent"
        mark = "bold" if row.count == top else ""
        bar = Content.assemble(
            (FULL * length, style),
            (" " * (bar_width - length + 1), ""),
            (f"{row.count:>3}", "bold"),
            (who, "dim"),
        )
        if stacked:
            lines += [Content.styled(row.choice.label, mark), bar]
        else:
            lines.append(Content.assemble((f"{row.choice.label:<{label_width}} ", mark), bar))
    lines.append(Content(""))
    total = f"{result.total} vote{'s' if result.total != 1 else ''}"
    if result.spread:
        lines.append(
            Content.assemble(
                (f"{total}, spread {result.spread:.0%}: ", "bold $warning"),
                ("the room disagrees; hear the two ends first.", ""),
            )
        )
    elif result.distinct > 1:
        # "Not in place" and "don't know" both score 0, yet the room did not agree.
        lines.append(Content(f"{total}, spread 0%: different answers worth the same."))
    else:
        lines.append(Content(f"{total}, all the same."))
    if result.unknown:
        lines.append(
            Content.styled(
                f"{result.unknown} don't know: a risk of its own; who would know?",
                "bold $warning",
            )
        )
    if result.suggested is not None:
        label = next(row.choice.label for row in result.counts if row.choice.id == result.suggested)
        lines.append(
            Content.assemble(
                ("Suggested team answer: ", ""),
                (label, "bold"),
                (" (the most common vote; a tie goes to the more cautious)", "dim"),
            )
        )
    return Content("\n").join(lines)
