"""How a workshop's votes on one question are drawn: a bar per choice, the spread, the
"don't know"s and the answer the merge rule would pick. Words and counts carry the meaning;
colour only helps."""

from __future__ import annotations

from textual.content import Content

from pilot_tui.core.workshop import Tally

BAR_WIDTH = 30
FULL = "▆"
"""Not a full block: bars on adjacent lines would merge into one solid box in a browser."""


def tally_lines(result: Tally, *, names: bool) -> Content:
    if result.total == 0:
        return Content("No votes were cast on this question.")
    width = max(len(row.choice.label) for row in result.counts)
    top = max(row.count for row in result.counts)
    lines: list[Content] = []
    for row in result.counts:
        length = round(BAR_WIDTH * row.count / top) if row.count else 0
        style = "$warning" if row.choice.unknown else "$accent"
        hands = row.count - len(row.names)
        who = ""
        if names and row.names:
            who = "  " + ", ".join(row.names)
            if hands:
                who += f" + {hands} by hand"
        lines.append(
            Content.assemble(
                (f"{row.choice.label:<{width}} ", "bold" if row.count == top else ""),
                (FULL * length, style),
                (" " * (BAR_WIDTH - length + 1), ""),
                (f"{row.count:>3}", "bold"),
                (who, "dim"),
            )
        )
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
