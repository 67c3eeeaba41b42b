"""What changed between two versions of one assessment, as Markdown for a pull-request comment:
the level and each section's score before and after, then every answer that changed. Built as
a small document, so the escaping is the report's own (a note or a title cannot break a table).
"""

from __future__ import annotations

from collections.abc import Sequence

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import Change, Replaced
from pilot_tui.core.render import context_lines, percent
from pilot_tui.core.report.document import (
    Block,
    Document,
    Fields,
    Paragraph,
    Section,
    Table,
    plain,
    question_cell,
    text_cell,
)
from pilot_tui.core.report.markdown import render_markdown
from pilot_tui.core.report.rows import change_in_points
from pilot_tui.core.scoring import score


def changes_markdown(
    bank: Bank,
    older: Assessment,
    newer: Assessment,
    from_text: str,
    to_text: str,
    changes: Sequence[Change],
    replaced: Sequence[Replaced],
    also: Sequence[str] = (),
) -> str:
    """The diff as Markdown for a pull request. ALSO: what changed beside the answers' choices
    (waivers, evidence: core.waivers.record_changes), a line each."""
    before, after = score(bank, older), score(bank, newer)
    header = Fields(
        (
            ("Level", f"{before.level_title} → {after.level_title}"),
            ("Headline score", f"{percent(before.score)} → {percent(after.score)}"),
            ("Blockers", f"{len(before.blockers)} → {len(after.blockers)}"),
        )
    )
    rows = tuple(
        (
            text_cell(was.title),
            text_cell(percent(was.score)),
            text_cell(percent(now.score)),
            text_cell(change_in_points(was.score, now.score)),
        )
        for was, now in zip(before.sections, after.sections, strict=True)
    )
    sections = [
        Section(
            "Sections",
            (Table(("Section", "Before", "After", "Change"), rows, numeric=(1, 2, 3)),),
        )
    ]
    blocks: list[Block] = []
    if changes:
        blocks.append(
            Table(
                ("Change", "Question", "Before", "After"),
                tuple(
                    (
                        text_cell(change.direction),
                        question_cell(change.title, change.question),
                        text_cell(change.before),
                        text_cell(change.after),
                    )
                    for change in changes
                ),
            )
        )
    else:
        blocks.append(Paragraph(plain("No answer changed.")))
    if older.context != newer.context:
        # The questions that count changed with it: never a silent part of a diff.
        blocks.append(
            Paragraph(
                plain(
                    f"The context changed: {'; '.join(context_lines(bank, older.context))} → "
                    f"{'; '.join(context_lines(bank, newer.context))}."
                )
            )
        )
    for item in replaced:
        blocks.append(
            Paragraph(
                plain(
                    f"{item.title} ({item.question}) was retired after version {item.version}; "
                    f"its answer {item.answer} is kept. Now asked as: "
                    + "; ".join(f"{title}: {answer}" for _, title, answer in item.replaced_by)
                    + "."
                )
            )
        )
    sections.append(Section("Answers", tuple(blocks)))
    if also:
        sections.append(
            Section("Waivers and evidence", tuple(Paragraph(plain(line)) for line in also))
        )
    document = Document(
        title=f"Readiness: {from_text} → {to_text}",
        header=header,
        sections=tuple(sections),
    )
    return render_markdown(document)
