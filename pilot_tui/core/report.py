"""Reports for stakeholders: the verdict, the plan and every answer, as Markdown or as HTML.

Both renderers are pure functions of the bank, the assessment and rows the caller passes in
(disputes between participants, the trend across milestones), so they can be tested, and fed,
without a merge or a milestone; `report_rows` works those rows out from the assessment for the
usual case. The caller decides the time stamp, so the same input always gives the same report.

Everything a person typed (titles, notes, owners, names, even the bank's own text, which a team
may have written) is escaped: a report is pasted into wikis and pull requests and opened in
browsers, so a note must never break a table, add a link or run a script.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from pilot_tui.core.assessment import Answer, Assessment
from pilot_tui.core.bank import Bank, Question, Section
from pilot_tui.core.merge import disagreements
from pilot_tui.core.milestones import sparkline, trends
from pilot_tui.core.render import context_lines, held_back, percent, plural
from pilot_tui.core.scoring import (
    ActionItem,
    Blocker,
    Scorecard,
    Status,
    action_plan,
    answer_choice,
    applies,
    context_options,
    score,
)

UNANSWERED: Final = "Unanswered"
NONE_GIVEN: Final = "—"
NO_ANSWER: Final = "No answer"
"""A participant who gave no choice for a disputed question."""
NOW_LABEL: Final = "now"
SPARK_MISSING: Final = "·"
"""A milestone at which the section had no score (nothing in it applied)."""

_Escape = Callable[[str], str]


@dataclass(frozen=True)
class DisputeRow:
    """A question the participants answered differently, as the report shows it."""

    question: str
    """The question's id."""
    title: str
    answers: tuple[tuple[str, str], ...]
    """(participant name, the label of the choice they picked), in the order to show."""
    spread: float
    """How far apart the answers are, from 0 (all agree) to 1 (as far apart as the scale goes)."""


@dataclass(frozen=True)
class TrendRow:
    """One section's score at each milestone, oldest first, then now."""

    section: str
    """The section's id."""
    title: str
    labels: tuple[str, ...]
    """The milestones' labels, then "now"; the same for every row of one report."""
    points: tuple[float | None, ...]
    """One score (0 to 100) per label; None where nothing in the section applied."""

    def __post_init__(self) -> None:
        # A row with a missing point would shift every later column under the wrong label.
        if len(self.labels) != len(self.points):
            raise ValueError(
                f"trend row {self.section!r}: {len(self.points)} points for "
                f"{len(self.labels)} labels"
            )


def report_rows(
    bank: Bank, assessment: Assessment
) -> tuple[tuple[DisputeRow, ...], tuple[TrendRow, ...]]:
    """The disputes and the trend to give the renderers, worked out from the assessment.

    Disputes need two participants or more; a trend needs a milestone, since "now" alone is no
    trend. Either is empty otherwise, and the report then leaves its section out.
    """
    index = bank.question_index()
    disputes = tuple(
        DisputeRow(
            question=found.question,
            title=found.title,
            answers=tuple(
                (name, _choice_label(bank, index[found.question][1], choice_id))
                for name, choice_id in found.answers
            ),
            spread=found.spread,
        )
        for found in disagreements(bank, assessment)
    )
    if not assessment.milestones:
        return disputes, ()
    labels = (*(milestone.label for milestone in assessment.milestones), NOW_LABEL)
    trend = tuple(
        TrendRow(section=row.section, title=row.title, labels=labels, points=row.points)
        for row in trends(bank, assessment)
    )
    return disputes, trend


def _choice_label(bank: Bank, question: Question, choice_id: str | None) -> str:
    if choice_id is None:
        return NO_ANSWER
    # A choice this bank does not offer is shown as written rather than hidden.
    return next((c.label for c in bank.choices_for(question) if c.id == choice_id), choice_id)


# ---------------------------------------------------------------------------- shared facts


@dataclass(frozen=True)
class _AnswerRow:
    """One answer as both reports list it; the text is raw, each renderer escapes it."""

    question: str
    section_id: str
    """Empty for a question the bank does not have, as is the section's title."""
    section: str
    title: str
    answer: str
    unknown: bool
    owner: str
    due: str
    evidence: str
    reason: str
    notes: str


def _answer_label(bank: Bank, question: Question, answer: Answer | None) -> tuple[str, bool]:
    """The answer's label and whether it is a "don't know"."""
    if answer is None or answer.choice is None:
        return UNANSWERED, False
    choice = answer_choice(bank, question, answer)
    if choice is None:
        # The file holds a choice this bank does not offer; show it rather than hide it.
        return f"{answer.choice} (not a choice of this question)", False
    return choice.label, choice.unknown


def _row(
    question_id: str,
    section: Section | None,
    title: str,
    label: str,
    unknown: bool,
    answer: Answer | None,
) -> _AnswerRow:
    if answer is None:
        answer = Answer()
    return _AnswerRow(
        question=question_id,
        section_id=section.id if section is not None else "",
        section=section.title if section is not None else "",
        title=title,
        answer=label,
        unknown=unknown,
        owner=answer.owner,
        due=answer.due.isoformat() if answer.due else "",
        evidence=answer.evidence,
        reason=answer.reason,
        notes=answer.notes.strip(),
    )


def _answer_rows(
    bank: Bank,
    answers: Mapping[str, Answer],
    *,
    every_question: bool,
    context: Mapping[str, Sequence[str]] | None = None,
) -> list[_AnswerRow]:
    """The bank's questions in bank order: every one asked of a pilot of CONTEXT, or only
    those ANSWERS has."""
    rows: list[_AnswerRow] = []
    options = context_options(bank, context or {})
    for section, question in bank.iter_questions():
        if every_question and not applies(question, options):
            continue
        answer = answers.get(question.id)
        if answer is None and not every_question:
            continue
        label, unknown = _answer_label(bank, question, answer)
        rows.append(_row(question.id, section, question.title, label, unknown, answer))
    return rows


def _orphan_rows(bank: Bank, answers: Mapping[str, Answer]) -> list[_AnswerRow]:
    """Answers to questions the bank does not have, in file order: a question of an earlier
    version of the bank by its title then, any other by its id and its choice as written."""
    index = bank.question_index()
    labels = {choice.id: choice.label for choice in bank.choices}
    rows = []
    for question_id, answer in answers.items():
        if question_id in index:
            continue
        old = bank.retired_question(question_id)
        choice = answer.choice or UNANSWERED
        if old is None:
            rows.append(_row(question_id, None, question_id, choice, False, answer))
            continue
        title = f"{old.title} (version {old.version}; now {_replacements(bank, old.replaced_by)})"
        rows.append(_row(question_id, None, title, labels.get(choice, choice), False, answer))
    return rows


def _unasked_rows(bank: Bank, assessment: Assessment) -> list[_AnswerRow]:
    """The answers to the bank's questions that do not apply to the pilot's context."""
    options = context_options(bank, assessment.context)
    kept = {
        question.id: assessment.answers[question.id]
        for _, question in bank.iter_questions()
        if question.id in assessment.answers and not applies(question, options)
    }
    return _answer_rows(bank, kept, every_question=False)


def _replacements(bank: Bank, question_ids: Sequence[str]) -> str:
    index = bank.question_index()
    titles = [index[qid][1].title for qid in question_ids if qid in index]
    return ", ".join(titles) if titles else "not asked"


def _section_titles(bank: Bank) -> dict[str, str]:
    return {section.id: section.title for section in bank.sections}


def _now(item: ActionItem) -> str:
    """The answer now, and what was answered to the earlier question it replaced."""
    return f"{item.answer} (answered before: {item.earlier})" if item.earlier else item.answer


def _flags(item: ActionItem) -> str:
    flags = (["Blocker"] if item.blocker else []) + (["Don't know"] if item.unknown else [])
    return ", ".join(flags)


def _stamp(moment: datetime) -> str:
    """A time for people: to the minute, with its offset from UTC when it has one."""
    text = moment.strftime("%Y-%m-%d %H:%M")
    offset = moment.utcoffset()
    if offset is None:
        return text
    if offset == timedelta(0):
        return f"{text} UTC"
    zone = moment.strftime("%z")
    return f"{text} UTC{zone[:3]}:{zone[3:5]}"


def _bank_line(bank: Bank, assessment: Assessment) -> str:
    line = f"{bank.title}, version {bank.version}"
    if (assessment.bank.id, assessment.bank.version) != (bank.id, bank.version):
        # Scores against another bank (version) may not mean what the file's authors meant.
        line += f" (answered against {assessment.bank.id} {assessment.bank.version})"
    return line


def _meta_fields(bank: Bank, assessment: Assessment, generated: datetime) -> list[tuple[str, str]]:
    meta = assessment.meta
    return [
        ("Team", meta.team or NONE_GIVEN),
        ("Facilitator", meta.facilitator or NONE_GIVEN),
        ("Stage", meta.stage or NONE_GIVEN),
        ("Question bank", _bank_line(bank, assessment)),
        *(
            [("Context", "; ".join(context_lines(bank, assessment.context)))]
            if bank.contexts
            else []
        ),
        ("Last updated", _stamp(meta.updated)),
        ("Generated", _stamp(generated)),
    ]


def _coverage_line(card: Scorecard) -> str:
    not_applicable = card.not_applicable
    return (
        f"Answered {card.answered} of {card.total} questions ({card.coverage:.0%}); "
        f"{card.unknown} don't know; {not_applicable} not applicable; "
        f"{plural(len(card.blockers), 'blocker')}."
    )


def _trend_labels(trend: Sequence[TrendRow]) -> tuple[str, ...]:
    """The columns of the trend table: every row must share them, or the table would lie."""
    labels = trend[0].labels
    for row in trend:
        if row.labels != labels:
            raise ValueError(f"trend row {row.section!r} has other milestone labels than the first")
    return labels


def _sparkline(points: Sequence[float | None]) -> str:
    # A space would be trimmed at the edge of a Markdown cell, so a missing score shows as a dot.
    return sparkline(points, missing=SPARK_MISSING)


_LEVELS_NOTE: Final = (
    "The headline is the weakest section's score, because any one cause alone stalls a pilot."
)


# ---------------------------------------------------------------------------- Markdown

# Characters that start inline markup anywhere in a line (links, emphasis, code, tables,
# strikethrough, math on GitHub, headings) are backslash-escaped: any ASCII punctuation may be,
# in CommonMark, so it is always safe. `&`, `<` and `>` become entities, so no raw HTML or
# autolink gets through. One translate pass does it all, so nothing is escaped twice.
_MD_ESCAPES: Final = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", **{char: "\\" + char for char in "\\`*_[]|#~$"}}
)
# Markers that only mean something at the start of a line: list items, setext underlines,
# thematic breaks and ordered lists ("1." or "1)"). `>` is already an entity by then.
_MD_LINE_MARKS: Final = ("-", "+", "=")
_MD_ORDERED: Final = re.compile(r"^(\d+)([.)])")
# Markdown ends lines at CR, LF or CRLF; nothing else can end a table row.
_NEWLINE: Final = re.compile(r"\r\n|\r|\n")


def _md_line(text: str) -> str:
    """One line of user text, made literal: safe at the start of a line and inside a table."""
    text = text.translate(_MD_ESCAPES)
    if text.startswith(_MD_LINE_MARKS):
        return "\\" + text
    if text[:1].isdigit():
        return _MD_ORDERED.sub(r"\1\\\2", text)
    return text


def _md_inline(text: str) -> str:
    """User text on one line (a heading, a sentence): its line breaks become spaces."""
    return " ".join(_md_line(line.strip()) for line in _NEWLINE.split(text.strip()))


def _md_cell(text: str, *, empty: str = "") -> str:
    """User text in a table cell: its line breaks become <br>, so the row stays one line."""
    text = text.strip()
    if not text:
        return empty
    if "\n" not in text and "\r" not in text:
        return _md_line(text)  # most cells: a table of 100 people has thousands
    return "<br>".join(_md_line(line.strip()) for line in _NEWLINE.split(text))


def _md_quote(text: str) -> str:
    """Notes as quoted text, each of their lines kept (Markdown would join them otherwise)."""
    lines = _NEWLINE.split(text.strip())
    out: list[str] = []
    for number, line in enumerate(lines):
        content = line.rstrip()
        if not content.strip():
            out.append(">")
            continue
        # Leading spaces would turn the line into a code block; keep the indent visible instead.
        indent = len(content) - len(content.lstrip())
        content = "&nbsp;" * indent + _md_line(content.lstrip())
        following = lines[number + 1] if number + 1 < len(lines) else ""
        out.append(f"> {content}" + ("<br>" if following.strip() else ""))
    return "\n".join(out)


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub table of cells already in Markdown; every row must match the header."""
    lines = [_md_row(header), "| " + " | ".join("---" for _ in header) + " |"]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a table row of {len(row)} cells under {len(header)} headings")
        lines.append(_md_row(row))
    return "\n".join(lines)


def _md_row(cells: Sequence[str]) -> str:
    # The spaces around each cell keep a cell's trailing backslash away from the next pipe.
    return "| " + " | ".join(cells) + " |"


def _md_question(row: _AnswerRow) -> str:
    if row.title == row.question:
        return _md_cell(row.question)
    return f"{_md_cell(row.title)} ({_md_cell(row.question)})"


def _md_header(bank: Bank, assessment: Assessment, generated: datetime) -> list[str]:
    fields = _meta_fields(bank, assessment, generated)
    return [
        f"# Readiness report: {_md_inline(assessment.meta.title)}",
        "\n".join(f"- **{name}:** {_md_inline(value)}" for name, value in fields),
    ]


def _held_note(bank: Bank, card: Scorecard) -> str:
    """Why the level is below what the score reaches: the rule, in one sentence."""
    reached = bank.level(card.reached)
    return (
        f"The score alone reaches {reached.title if reached else card.reached}, but "
        f"{plural(len(card.blockers), 'blocker')} hold the level at {card.level_title}: a "
        "critical question that is not fully met holds the level back until it is (see "
        "Blockers)."
    )


def _md_verdict(bank: Bank, card: Scorecard, assessment: Assessment) -> list[str]:
    held = f", {held_back(bank, card)}" if card.capped else ""
    weakest = card.weakest_section
    if weakest is None:
        decided = "no section has an applicable question"
    else:
        decided = f"the weakest section, *{_md_inline(weakest.title)}*"
    blocks = [
        "## Verdict",
        f"**{_md_inline(card.level_title)}** ({card.status.upper()}){held}. "
        f"Headline score {card.score:.0f}/100, from {decided}; "
        f"average {card.average:.0f}/100.",
        _coverage_line(card),
    ]
    level = bank.level(card.level)
    if level is not None and level.description:
        blocks.append(_md_inline(level.description))
    if card.capped:
        blocks.append(_md_inline(_held_note(bank, card)))
    if card.assumed:
        blocks.append(_md_inline(_assumed_note(card)))
    blocks += [_md_inline(note) for note in _context_notes(bank, assessment, card)]
    return blocks


def _context_notes(bank: Bank, assessment: Assessment, card: Scorecard) -> list[str]:
    """Every change of context, with its reason, and what it took out of the verdict."""
    notes = [
        f"The context was changed on {_stamp(change.at)}, from "
        f"{'; '.join(context_lines(bank, change.before))} to "
        f"{'; '.join(context_lines(bank, change.after))}. Reason given: "
        f"{change.reason or '(none)'}."
        for change in assessment.context_changes
    ]
    if card.unasked:
        index = bank.question_index()
        titles = ", ".join(index[question][1].title for question in card.unasked)
        notes.append(
            f"{plural(len(card.unasked), 'answer')} to questions that do not apply to this "
            f"context {'is' if len(card.unasked) == 1 else 'are'} kept and not counted: {titles} "
            "(see the appendix)."
        )
    return notes


def _assumed_note(card: Scorecard) -> str:
    return (
        f"The pilot's context is not chosen yet ({', '.join(card.assumed)}): every question it "
        "decides is asked, and counts as critical where it can."
    )


def _md_sections(card: Scorecard) -> list[str]:
    header = ["Section", "Score", "Status", "Answered", "Don't know", "Not applicable", "Blockers"]
    rows = [
        [
            _md_cell(s.title),
            percent(s.score),
            s.status.upper(),
            f"{s.answered}/{s.total}",
            str(s.unknown),
            str(s.not_applicable),
            str(s.blockers),
        ]
        for s in card.sections
    ]
    return ["## Sections", _LEVELS_NOTE, _md_table(header, rows)]


def _md_blockers(bank: Bank, blockers: Sequence[Blocker], titles: Mapping[str, str]) -> list[str]:
    if not blockers:
        return ["## Blockers", "None: every critical question is fully met or does not apply."]
    rows = [
        [
            f"{_md_cell(b.title)} ({_md_cell(b.question)})",
            _md_cell(titles.get(b.section, b.section)),
            _md_cell(b.reason),
            _md_cell(_level_title(bank, b.cap)),
        ]
        for b in blockers
    ]
    header = ["Question", "Section", "Why it blocks", "Holds the level at"]
    return ["## Blockers", _md_table(header, rows)]


def _level_title(bank: Bank, level_id: str) -> str:
    level = bank.level(level_id)
    return level.title if level is not None else level_id


def _md_unknowns(unknowns: Sequence[_AnswerRow]) -> list[str]:
    heading = "## Unknowns (\u201cdon't know\u201d answers)"
    if not unknowns:
        return [heading, "None: nobody answered \u201cdon't know\u201d."]
    rows = [
        [
            _md_question(row),
            _md_cell(row.section),
            _md_cell(row.owner, empty=NONE_GIVEN),
            _md_cell(row.due, empty=NONE_GIVEN),
        ]
        for row in unknowns
    ]
    return [
        heading,
        "Each counts as 0 and is a risk of its own: someone has to find out.",
        _md_table(["Question", "Section", "Owner", "Due"], rows),
    ]


def _md_disputes(disputes: Sequence[DisputeRow]) -> list[str]:
    rows = [
        [
            f"{_md_cell(d.title)} ({_md_cell(d.question)})",
            f"{d.spread:.0%}",
            "<br>".join(f"{_md_cell(name)}: {_md_cell(label)}" for name, label in d.answers),
        ]
        for d in disputes
    ]
    return [
        "## Disputed questions",
        "The participants answered these differently; settle them before trusting the score.",
        _md_table(["Question", "Spread", "Answers"], rows),
    ]


def _md_plan(plan: Sequence[ActionItem], titles: Mapping[str, str]) -> list[str]:
    if not plan:
        return ["## Action plan", "Nothing to fix: every applicable question is fully met."]
    header = ["#", "Question", "Section", "Flag", "Now", "Fix", "Owner", "Due"]
    rows = [
        [
            str(number),
            f"{_md_cell(item.title)} ({_md_cell(item.question)})",
            _md_cell(titles.get(item.section, item.section)),
            _flags(item),
            _md_cell(_now(item)),
            _md_cell(item.fix),
            _md_cell(item.owner, empty=NONE_GIVEN),
            _md_cell(item.due, empty=NONE_GIVEN),
        ]
        for number, item in enumerate(plan, start=1)
    ]
    return [
        "## Action plan",
        "Blockers first, then by how much closing the gap moves its section.",
        _md_table(header, rows),
    ]


def _md_trend(trend: Sequence[TrendRow]) -> list[str]:
    labels = _trend_labels(trend)
    header = ["Section", *(_md_cell(label) for label in labels), "Trend"]
    rows = [
        [_md_cell(row.title), *(percent(p) for p in row.points), _sparkline(row.points)]
        for row in trend
    ]
    return ["## Trend across milestones", _md_table(header, rows)]


def _md_answers(rows: Sequence[_AnswerRow], *, with_section: bool) -> list[str]:
    """A table of answers, then each answer's notes as quoted text under its question's name."""
    header = [
        "Question",
        *(["Section"] if with_section else []),
        "Answer",
        "Owner",
        "Due",
        "Evidence",
        "Not applicable because",
    ]
    cells = [
        [
            _md_question(row),
            *([_md_cell(row.section, empty=NONE_GIVEN)] if with_section else []),
            _md_cell(row.answer),
            _md_cell(row.owner),
            _md_cell(row.due),
            _md_cell(row.evidence),
            _md_cell(row.reason),
        ]
        for row in rows
    ]
    blocks = [_md_table(header, cells)]
    for row in rows:
        if row.notes:
            blocks += [f"Notes on *{_md_inline(row.title)}*:", _md_quote(row.notes)]
    return blocks


def _md_appendix(bank: Bank, assessment: Assessment) -> list[str]:
    blocks = ["## Appendix: every answer"]
    rows = _answer_rows(bank, assessment.answers, every_question=True, context=assessment.context)
    for section in bank.sections:
        blocks.append(f"### {_md_inline(section.title)}")
        blocks += _md_answers([r for r in rows if r.section_id == section.id], with_section=False)
    unasked = _unasked_rows(bank, assessment)
    if unasked:
        blocks += [
            "### Answers to questions that do not apply to this context",
            "Kept as they are in the file; they count for nothing in the scores.",
            *_md_answers(unasked, with_section=True),
        ]
    orphans = _orphan_rows(bank, assessment.answers)
    if orphans:
        blocks += [
            "### Answers to questions this bank does not ask",
            "Kept as they are in the file (questions of an earlier version of the bank, or of "
            "another bank); they count for nothing in the scores.",
            *_md_answers(orphans, with_section=False),
        ]
    if assessment.participants:
        blocks.append("## Appendix: each participant's own answers")
        for participant in assessment.participants.values():
            own = _answer_rows(bank, participant.answers, every_question=False)
            own += _orphan_rows(bank, participant.answers)
            blocks.append(f"### {_md_inline(participant.name)}")
            blocks.append(_participant_line(participant.source, len(own), _md_inline))
            if own:
                blocks += _md_answers(own, with_section=True)
    return blocks


def _participant_line(source: str, count: int, escape: _Escape) -> str:
    origin = f"From {escape(source)}; " if source else ""
    return f"{origin}{plural(count, 'answer')}."


def markdown_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
) -> str:
    """The report as GitHub-flavoured Markdown, for a wiki page or a pull request."""
    card = score(bank, assessment)
    titles = _section_titles(bank)
    team_rows = _answer_rows(bank, assessment.answers, every_question=False)
    blocks: list[str] = []
    blocks += _md_header(bank, assessment, generated)
    blocks += _md_verdict(bank, card, assessment)
    blocks += _md_sections(card)
    blocks += _md_blockers(bank, card.blockers, titles)
    blocks += _md_unknowns([row for row in team_rows if row.unknown])
    if disputes:
        blocks += _md_disputes(disputes)
    blocks += _md_plan(action_plan(bank, assessment), titles)
    if trend:
        blocks += _md_trend(trend)
    blocks += _md_appendix(bank, assessment)
    return "\n\n".join(blocks) + "\n"


# ---------------------------------------------------------------------------- HTML


def _h(text: str) -> str:
    return html.escape(text, quote=True)


_BAR_COLOURS: Final[Mapping[Status, str]] = {
    "red": "#d32f2f",
    "amber": "#f9a825",
    "green": "#388e3c",
}

# Inline only: the report is one file that opens offline and prints well. The Content Security
# Policy in the head forbids every fetch and script, as a second line behind the escaping.
_CSS: Final = """
:root { color-scheme: light; }
body {
  margin: 2rem auto; padding: 0 1rem; max-width: 72rem; color: #111; background: #fff;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", sans-serif;
}
h1 { font-size: 1.6rem; margin-bottom: .5rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: .1rem 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
.headline { font-size: 1.1rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1.25rem; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
thead { display: table-header-group; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.status { font-weight: 700; }
.status-red { color: #b71c1c; }
.status-amber { color: #7a4f00; }
.status-green { color: #1b5e20; }
.notes { white-space: pre-wrap; }
.id { color: #555; font-size: .9em; }
.spark { font-family: ui-monospace, "Cascadia Mono", Menlo, Consolas, monospace; }
svg.chart { max-width: 100%; height: auto; font-family: system-ui, sans-serif; }
.caption { color: #444; font-size: .9rem; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  body, th, td, .status, .id, .caption { color: #000 !important; background: #fff !important; }
  table, tr, svg.chart, dl.meta { page-break-inside: avoid; break-inside: avoid; }
  h2, h3 { page-break-after: avoid; break-after: avoid; }
  svg.chart rect { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
"""

_CSP: Final = "default-src 'none'; style-src 'unsafe-inline'"


def _html_table(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, numeric: Sequence[int] = ()
) -> str:
    """A table of cells already in HTML; the columns listed in NUMERIC align right."""

    def cls(column: int) -> str:
        return ' class="num"' if column in numeric else ""

    head = "".join(f"<th{cls(i)}>{cell}</th>" for i, cell in enumerate(header))
    body: list[str] = []
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"a table row of {len(row)} cells under {len(header)} headings")
        body.append("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>")
    return (
        f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n"
        + "\n".join(body)
        + "\n</tbody>\n</table>"
    )


def _html_status(status: Status) -> str:
    return f'<span class="status status-{status}">{status.upper()}</span>'


def _html_question(title: str, question_id: str) -> str:
    if title == question_id:
        return _h(question_id)
    return f'{_h(title)} <span class="id">({_h(question_id)})</span>'


def _or_none(text: str) -> str:
    return _h(text) if text else NONE_GIVEN


def _html_header(bank: Bank, assessment: Assessment, generated: datetime) -> list[str]:
    fields = _meta_fields(bank, assessment, generated)
    items = "\n".join(f"<dt>{_h(name)}</dt><dd>{_h(value)}</dd>" for name, value in fields)
    return [
        "<header>",
        f"<h1>Readiness report: {_h(assessment.meta.title)}</h1>",
        f'<dl class="meta">\n{items}\n</dl>',
        "</header>",
    ]


def _html_verdict(bank: Bank, card: Scorecard, assessment: Assessment) -> list[str]:
    held = f", {_h(held_back(bank, card))}" if card.capped else ""
    weakest = card.weakest_section
    if weakest is None:
        decided = "no section has an applicable question"
    else:
        decided = f"the weakest section, <em>{_h(weakest.title)}</em>"
    parts = [
        "<section>",
        "<h2>Verdict</h2>",
        f'<p class="headline"><strong>{_h(card.level_title)}</strong> '
        f"{_html_status(card.status)}{held}. Headline score {card.score:.0f}/100, "
        f"from {decided}; average {card.average:.0f}/100.</p>",
        f"<p>{_h(_coverage_line(card))}</p>",
    ]
    level = bank.level(card.level)
    if level is not None and level.description:
        parts.append(f"<p>{_h(level.description)}</p>")
    if card.capped:
        parts.append(f"<p>{_h(_held_note(bank, card))}</p>")
    if card.assumed:
        parts.append(f"<p>{_h(_assumed_note(card))}</p>")
    parts += [f"<p>{_h(note)}</p>" for note in _context_notes(bank, assessment, card)]
    parts.append("</section>")
    return parts


def _chart_label(text: str, limit: int = 34) -> str:
    # SVG text does not wrap: a long label would run into its bar.
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _html_chart(bank: Bank, card: Scorecard) -> str:
    """One horizontal bar per section, coloured by status, its score and status written beside
    it so that the chart reads in black and white too. Dashed lines mark the level thresholds."""
    width, label_width, bar_space, row_height, bar_height, pad = 760, 250, 380, 30, 20, 8
    height = pad * 2 + row_height * len(card.sections)
    parts = [
        f'<svg class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        'role="img" aria-label="Section scores out of 100" font-size="13">'
    ]
    for level in bank.levels[1:]:
        x = label_width + bar_space * level.min / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{pad / 2}" x2="{x:.1f}" y2="{height - pad / 2}" '
            'stroke="#888" stroke-dasharray="3 3"/>'
        )
    parts.append(
        f'<line x1="{label_width}" y1="{pad / 2}" x2="{label_width}" '
        f'y2="{height - pad / 2}" stroke="#000"/>'
    )
    for row, section in enumerate(card.sections):
        y = pad + row * row_height + (row_height - bar_height) / 2
        text_y = y + bar_height * 0.72
        bar = bar_space * (section.score or 0.0) / 100
        parts += [
            f'<text x="{label_width - 8}" y="{text_y:.1f}" text-anchor="end">'
            f"{_h(_chart_label(section.label))}</text>",
            f'<rect class="bar bar-{section.status}" x="{label_width}" y="{y:.1f}" '
            f'width="{bar:.1f}" height="{bar_height}" fill="{_BAR_COLOURS[section.status]}" '
            'stroke="#000" stroke-width="0.5"/>',
            f'<text x="{label_width + bar + 6:.1f}" y="{text_y:.1f}">'
            f"{percent(section.score)} {section.status.upper()}</text>",
        ]
    parts.append("</svg>")
    return "\n".join(parts)


def _html_sections(bank: Bank, card: Scorecard) -> list[str]:
    thresholds = ", ".join(f"{_h(level.title)} {level.min:g}" for level in bank.levels[1:])
    rows = [
        [
            _h(s.title),
            percent(s.score),
            _html_status(s.status),
            f"{s.answered}/{s.total}",
            str(s.unknown),
            str(s.not_applicable),
            str(s.blockers),
        ]
        for s in card.sections
    ]
    header = ["Section", "Score", "Status", "Answered", "Don't know", "Not applicable", "Blockers"]
    return [
        "<section>",
        "<h2>Sections</h2>",
        f"<p>{_h(_LEVELS_NOTE)}</p>",
        "<figure>",
        _html_chart(bank, card),
        f'<figcaption class="caption">Each section\'s score out of 100. '
        f"Dashed lines: the levels ({thresholds}).</figcaption>",
        "</figure>",
        _html_table(header, rows, numeric=(1, 4, 5)),
        "</section>",
    ]


def _html_blockers(bank: Bank, blockers: Sequence[Blocker], titles: Mapping[str, str]) -> list[str]:
    if not blockers:
        body = "<p>None: every critical question is fully met or does not apply.</p>"
    else:
        rows = [
            [
                _html_question(b.title, b.question),
                _h(titles.get(b.section, b.section)),
                _h(b.reason),
                _h(_level_title(bank, b.cap)),
            ]
            for b in blockers
        ]
        header = ["Question", "Section", "Why it blocks", "Holds the level at"]
        body = _html_table(header, rows)
    return ["<section>", "<h2>Blockers</h2>", body, "</section>"]


def _html_unknowns(unknowns: Sequence[_AnswerRow]) -> list[str]:
    heading = "<h2>Unknowns (\u201cdon't know\u201d answers)</h2>"
    if not unknowns:
        return [
            "<section>",
            heading,
            "<p>None: nobody answered \u201cdon't know\u201d.</p>",
            "</section>",
        ]
    rows = [
        [_html_question(r.title, r.question), _h(r.section), _or_none(r.owner), _or_none(r.due)]
        for r in unknowns
    ]
    return [
        "<section>",
        heading,
        "<p>Each counts as 0 and is a risk of its own: someone has to find out.</p>",
        _html_table(["Question", "Section", "Owner", "Due"], rows),
        "</section>",
    ]


def _html_disputes(disputes: Sequence[DisputeRow]) -> list[str]:
    rows = [
        [
            _html_question(d.title, d.question),
            f"{d.spread:.0%}",
            "<br>".join(f"{_h(name)}: {_h(label)}" for name, label in d.answers),
        ]
        for d in disputes
    ]
    return [
        "<section>",
        "<h2>Disputed questions</h2>",
        "<p>The participants answered these differently; settle them before trusting the "
        "score.</p>",
        _html_table(["Question", "Spread", "Answers"], rows, numeric=(1,)),
        "</section>",
    ]


def _html_plan(plan: Sequence[ActionItem], titles: Mapping[str, str]) -> list[str]:
    if not plan:
        body = "<p>Nothing to fix: every applicable question is fully met.</p>"
    else:
        rows = [
            [
                str(number),
                _html_question(item.title, item.question),
                _h(titles.get(item.section, item.section)),
                _flags(item),
                _h(_now(item)),
                _h(item.fix),
                _or_none(item.owner),
                _or_none(item.due),
            ]
            for number, item in enumerate(plan, start=1)
        ]
        header = ["#", "Question", "Section", "Flag", "Now", "Fix", "Owner", "Due"]
        body = (
            "<p>Blockers first, then by how much closing the gap moves its section.</p>\n"
            + _html_table(header, rows, numeric=(0,))
        )
    return ["<section>", "<h2>Action plan</h2>", body, "</section>"]


def _html_trend(trend: Sequence[TrendRow]) -> list[str]:
    labels = _trend_labels(trend)
    header = ["Section", *(_h(label) for label in labels), "Trend"]
    rows = [
        [
            _h(row.title),
            *(percent(p) for p in row.points),
            f'<span class="spark">{_sparkline(row.points)}</span>',
        ]
        for row in trend
    ]
    numeric = tuple(range(1, len(labels) + 1))
    return [
        "<section>",
        "<h2>Trend across milestones</h2>",
        _html_table(header, rows, numeric=numeric),
        "</section>",
    ]


def _html_answers(rows: Sequence[_AnswerRow], *, with_section: bool) -> str:
    header = [
        "Question",
        *(["Section"] if with_section else []),
        "Answer",
        "Owner",
        "Due",
        "Evidence",
        "Not applicable because",
        "Notes",
    ]
    cells = [
        [
            _html_question(r.title, r.question),
            *([_or_none(r.section)] if with_section else []),
            _h(r.answer),
            _h(r.owner),
            _h(r.due),
            _h(r.evidence),
            _h(r.reason),
            f'<div class="notes">{_h(r.notes)}</div>' if r.notes else "",
        ]
        for r in rows
    ]
    return _html_table(header, cells)


def _html_appendix(bank: Bank, assessment: Assessment) -> list[str]:
    rows = _answer_rows(bank, assessment.answers, every_question=True, context=assessment.context)
    parts = ["<section>", "<h2>Appendix: every answer</h2>"]
    for section in bank.sections:
        parts.append(f"<h3>{_h(section.title)}</h3>")
        own = [r for r in rows if r.section_id == section.id]
        parts.append(_html_answers(own, with_section=False))
    unasked = _unasked_rows(bank, assessment)
    if unasked:
        parts += [
            "<h3>Answers to questions that do not apply to this context</h3>",
            "<p>Kept as they are in the file; they count for nothing in the scores.</p>",
            _html_answers(unasked, with_section=True),
        ]
    orphans = _orphan_rows(bank, assessment.answers)
    if orphans:
        parts += [
            "<h3>Answers to questions this bank does not ask</h3>",
            "<p>Kept as they are in the file (questions of an earlier version of the bank, or "
            "of another bank); they count for nothing in the scores.</p>",
            _html_answers(orphans, with_section=False),
        ]
    parts.append("</section>")
    if assessment.participants:
        parts += ["<section>", "<h2>Appendix: each participant's own answers</h2>"]
        for participant in assessment.participants.values():
            own = _answer_rows(bank, participant.answers, every_question=False)
            own += _orphan_rows(bank, participant.answers)
            parts.append(f"<h3>{_h(participant.name)}</h3>")
            parts.append(f"<p>{_participant_line(participant.source, len(own), _h)}</p>")
            if own:
                parts.append(_html_answers(own, with_section=True))
        parts.append("</section>")
    return parts


def html_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
) -> str:
    """The report as one self-contained HTML page: no scripts, fonts or images to fetch."""
    card = score(bank, assessment)
    titles = _section_titles(bank)
    team_rows = _answer_rows(bank, assessment.answers, every_question=False)
    parts = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Readiness report: {_h(assessment.meta.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
    ]
    parts += _html_header(bank, assessment, generated)
    parts.append("<main>")
    parts += _html_verdict(bank, card, assessment)
    parts += _html_sections(bank, card)
    parts += _html_blockers(bank, card.blockers, titles)
    parts += _html_unknowns([row for row in team_rows if row.unknown])
    if disputes:
        parts += _html_disputes(disputes)
    parts += _html_plan(action_plan(bank, assessment), titles)
    if trend:
        parts += _html_trend(trend)
    parts += _html_appendix(bank, assessment)
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"
