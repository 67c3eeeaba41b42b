"""The report's content, built once from the bank and the assessment: one builder per part.

Pure functions of the bank, the assessment and rows the caller passes in (disputes between
participants, the trend across milestones), so they can be tested, and fed, without a merge or a
milestone; `report_rows` works those rows out from the assessment for the usual case. The caller
decides the time stamp, so the same input always gives the same report.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from pilot_tui.core.assessment import Answer, Assessment
from pilot_tui.core.bank import Bank, Question, Section
from pilot_tui.core.merge import disagreements
from pilot_tui.core.milestones import sparkline, trends
from pilot_tui.core.render import context_lines, held_back, percent, plural
from pilot_tui.core.report.document import (
    Bar,
    Block,
    Cell,
    Chart,
    Document,
    Fields,
    Heading,
    Line,
    Note,
    Paragraph,
    Span,
    Table,
    plain,
)
from pilot_tui.core.report.document import (
    Section as Part,
)
from pilot_tui.core.scoring import (
    ActionItem,
    Scorecard,
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
"""A milestone at which the section had no score (nothing in it applied); a space would be
trimmed at the edge of a Markdown cell."""
LEVELS_NOTE: Final = (
    "The headline is the weakest section's score, because any one cause alone stalls a pilot."
)


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
    """The disputes and the trend to give the builder, worked out from the assessment.

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


def build_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
) -> Document:
    """The whole report. Adding a part to both formats is adding one builder here."""
    card = score(bank, assessment)
    titles = {section.id: section.title for section in bank.sections}
    team_rows = _answer_rows(bank, assessment.answers, every_question=False)
    parts = [
        _verdict(bank, card, assessment),
        _sections(bank, card),
        _blockers(bank, card, titles),
        _unknowns([row for row in team_rows if row.unknown]),
    ]
    if disputes:
        parts.append(_disputes(disputes))
    parts.append(_plan(action_plan(bank, assessment), titles))
    if trend:
        parts.append(_trend(trend))
    parts.append(_appendix(bank, assessment))
    if assessment.participants:
        parts.append(_participants(bank, assessment))
    return Document(
        title=f"Readiness report: {assessment.meta.title}",
        header=Fields(tuple(_meta_fields(bank, assessment, generated))),
        sections=tuple(parts),
    )


# ---------------------------------------------------------------------------- the parts


def _verdict(bank: Bank, card: Scorecard, assessment: Assessment) -> Part:
    weakest = card.weakest_section
    decided: Line = (
        plain("no section has an applicable question")
        if weakest is None
        else (Span("the weakest section, "), Span(weakest.title, "em"))
    )
    held = f", {held_back(bank, card)}" if card.capped else ""
    headline: Line = (
        Span(card.level_title, "strong"),
        Span(" ("),
        Span(card.status.upper(), card.status),
        Span(f"){held}. Headline score {card.score:.0f}/100, from "),
        *decided,
        Span(f"; average {card.average:.0f}/100."),
    )
    blocks: list[Block] = [Paragraph(headline, lead=True), Paragraph(plain(_coverage_line(card)))]
    level = bank.level(card.level)
    if level is not None and level.description:
        blocks.append(Paragraph(plain(level.description)))
    if card.capped:
        blocks.append(Paragraph(plain(_held_note(bank, card))))
    if card.assumed:
        blocks.append(
            Paragraph(
                plain(
                    f"The pilot's context is not chosen yet ({', '.join(card.assumed)}): every "
                    "question it decides is asked, and counts as critical where it can."
                )
            )
        )
    blocks += [Paragraph(plain(note)) for note in _context_notes(bank, assessment, card)]
    return Part("Verdict", tuple(blocks))


def _sections(bank: Bank, card: Scorecard) -> Part:
    header = ("Section", "Score", "Status", "Answered", "Don't know", "Not applicable", "Blockers")
    rows = tuple(
        (
            _text(s.title),
            _text(percent(s.score)),
            ((Span(s.status.upper(), s.status),),),
            _text(f"{s.answered}/{s.total}"),
            _text(str(s.unknown)),
            _text(str(s.not_applicable)),
            _text(str(s.blockers)),
        )
        for s in card.sections
    )
    chart = Chart(
        bars=tuple(Bar(s.label, s.score, s.status) for s in card.sections),
        thresholds=tuple((level.title, level.min) for level in bank.levels[1:]),
    )
    return Part(
        "Sections",
        (Paragraph(plain(LEVELS_NOTE)), chart, Table(header, rows, numeric=(1, 4, 5, 6))),
    )


def _blockers(bank: Bank, card: Scorecard, titles: Mapping[str, str]) -> Part:
    if not card.blockers:
        none = "None: every critical question is fully met or does not apply."
        return Part("Blockers", (Paragraph(plain(none)),))
    rows = tuple(
        (
            _question(b.title, b.question),
            _text(titles.get(b.section, b.section)),
            _text(b.reason),
            _text(_level_title(bank, b.cap)),
        )
        for b in card.blockers
    )
    header = ("Question", "Section", "Why it blocks", "Holds the level at")
    return Part("Blockers", (Table(header, rows),))


def _unknowns(unknowns: Sequence[_AnswerRow]) -> Part:
    title = "Unknowns (\u201cdon't know\u201d answers)"
    if not unknowns:
        return Part(title, (Paragraph(plain("None: nobody answered \u201cdon't know\u201d.")),))
    rows = tuple(
        (
            _question(row.title, row.question),
            _text(row.section),
            _text(row.owner or NONE_GIVEN),
            _text(row.due or NONE_GIVEN),
        )
        for row in unknowns
    )
    note = "Each counts as 0 and is a risk of its own: someone has to find out."
    table = Table(("Question", "Section", "Owner", "Due"), rows)
    return Part(title, (Paragraph(plain(note)), table))


def _disputes(disputes: Sequence[DisputeRow]) -> Part:
    rows = tuple(
        (
            _question(d.title, d.question),
            _text(f"{d.spread:.0%}"),
            tuple(plain(f"{name}: {label}") for name, label in d.answers),
        )
        for d in disputes
    )
    note = "The participants answered these differently; settle them before trusting the score."
    return Part(
        "Disputed questions",
        (Paragraph(plain(note)), Table(("Question", "Spread", "Answers"), rows, numeric=(1,))),
    )


def _plan(plan: Sequence[ActionItem], titles: Mapping[str, str]) -> Part:
    if not plan:
        return Part(
            "Action plan",
            (Paragraph(plain("Nothing to fix: every applicable question is fully met.")),),
        )
    rows = tuple(
        (
            _text(str(number)),
            _question(item.title, item.question),
            _text(titles.get(item.section, item.section)),
            _text(_flags(item)),
            _text(_now(item)),
            _text(item.fix),
            _text(item.owner or NONE_GIVEN),
            _text(item.due or NONE_GIVEN),
        )
        for number, item in enumerate(plan, start=1)
    )
    header = ("#", "Question", "Section", "Flag", "Now", "Fix", "Owner", "Due")
    note = "Blockers first, then by how much closing the gap moves its section."
    return Part("Action plan", (Paragraph(plain(note)), Table(header, rows, numeric=(0,))))


def _trend(trend: Sequence[TrendRow]) -> Part:
    labels = trend[0].labels
    for row in trend:
        if row.labels != labels:
            raise ValueError(f"trend row {row.section!r} has other milestone labels than the first")
    rows = tuple(
        (
            _text(row.title),
            *(_text(percent(point)) for point in row.points),
            ((Span(sparkline(row.points, missing=SPARK_MISSING), "spark"),),),
        )
        for row in trend
    )
    header = ("Section", *labels, "Trend")
    numeric = tuple(range(1, len(labels) + 1))
    return Part("Trend across milestones", (Table(header, rows, numeric=numeric),))


def _appendix(bank: Bank, assessment: Assessment) -> Part:
    rows = _answer_rows(bank, assessment.answers, every_question=True, context=assessment.context)
    blocks: list[Block] = []
    for section in bank.sections:
        blocks.append(Heading(section.title, 3))
        blocks.append(_answers_table([r for r in rows if r.section_id == section.id], False))
    kept = "Kept as they are in the file; they count for nothing in the scores."
    unasked = _unasked_rows(bank, assessment)
    if unasked:
        blocks += [
            Heading("Answers to questions that do not apply to this context", 3),
            Paragraph(plain(kept)),
            _answers_table(unasked, True),
        ]
    orphans = _orphan_rows(bank, assessment.answers)
    if orphans:
        blocks += [
            Heading("Answers to questions this bank does not ask", 3),
            Paragraph(
                plain(
                    "Kept as they are in the file (questions of an earlier version of the bank, "
                    "or of another bank); they count for nothing in the scores."
                )
            ),
            _answers_table(orphans, False),
        ]
    return Part("Appendix: every answer", tuple(blocks))


def _participants(bank: Bank, assessment: Assessment) -> Part:
    blocks: list[Block] = []
    for participant in assessment.participants.values():
        own = _answer_rows(bank, participant.answers, every_question=False)
        own += _orphan_rows(bank, participant.answers)
        origin = f"From {participant.source}; " if participant.source else ""
        blocks += [
            Heading(participant.name, 3),
            Paragraph(plain(f"{origin}{plural(len(own), 'answer')}.")),
        ]
        if own:
            blocks.append(_answers_table(own, True))
    return Part("Appendix: each participant's own answers", tuple(blocks))


# ---------------------------------------------------------------------------- answers


@dataclass(frozen=True)
class _AnswerRow:
    """One answer as the report lists it, its text raw."""

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


def _answers_table(rows: Sequence[_AnswerRow], with_section: bool) -> Table:
    header = (
        "Question",
        *(["Section"] if with_section else []),
        "Answer",
        "Owner",
        "Due",
        "Evidence",
        "Not applicable because",
    )
    cells = tuple(
        (
            _question(row.title, row.question),
            *([_text(row.section or NONE_GIVEN)] if with_section else []),
            _text(row.answer),
            _text(row.owner),
            _text(row.due),
            _text(row.evidence),
            _text(row.reason),
        )
        for row in rows
    )
    notes = tuple(Note(index, row.title, row.notes) for index, row in enumerate(rows) if row.notes)
    return Table(header, cells, notes=notes)


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
        now = [index[new][1].title for new in old.replaced_by if new in index]
        title = f"{old.title} (version {old.version}; now {', '.join(now) or 'not asked'})"
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


def _answer_label(bank: Bank, question: Question, answer: Answer | None) -> tuple[str, bool]:
    """The answer's label and whether it is a "don't know"."""
    if answer is None or answer.choice is None:
        return UNANSWERED, False
    choice = answer_choice(bank, question, answer)
    if choice is None:
        # The file holds a choice this bank does not offer; show it rather than hide it.
        return f"{answer.choice} (not a choice of this question)", False
    return choice.label, choice.unknown


def _choice_label(bank: Bank, question: Question, choice_id: str | None) -> str:
    if choice_id is None:
        return NO_ANSWER
    # A choice this bank does not offer is shown as written rather than hidden.
    return next((c.label for c in bank.choices_for(question) if c.id == choice_id), choice_id)


def _row(
    question_id: str,
    section: Section | None,
    title: str,
    label: str,
    unknown: bool,
    answer: Answer | None,
) -> _AnswerRow:
    answer = answer or Answer()
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


# ---------------------------------------------------------------------------- sentences


def _meta_fields(bank: Bank, assessment: Assessment, generated: datetime) -> list[tuple[str, str]]:
    meta = assessment.meta
    line = f"{bank.title}, version {bank.version}"
    if (assessment.bank.id, assessment.bank.version) != (bank.id, bank.version):
        # Scores against another bank (version) may not mean what the file's authors meant.
        line += f" (answered against {assessment.bank.id} {assessment.bank.version})"
    context = [("Context", "; ".join(context_lines(bank, assessment.context)))]
    return [
        ("Team", meta.team or NONE_GIVEN),
        ("Facilitator", meta.facilitator or NONE_GIVEN),
        ("Stage", meta.stage or NONE_GIVEN),
        ("Question bank", line),
        *(context if bank.contexts else []),
        ("Last updated", _stamp(meta.updated)),
        ("Generated", _stamp(generated)),
    ]


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


def _coverage_line(card: Scorecard) -> str:
    return (
        f"Answered {card.answered} of {card.total} questions ({card.coverage:.0%}); "
        f"{card.unknown} don't know; {card.not_applicable} not applicable; "
        f"{plural(len(card.blockers), 'blocker')}."
    )


def _held_note(bank: Bank, card: Scorecard) -> str:
    """Why the level is below what the score reaches: the rule, in one sentence."""
    return (
        f"The score alone reaches {_level_title(bank, card.reached)}, but "
        f"{plural(len(card.blockers), 'blocker')} hold the level at {card.level_title}: a "
        "critical question that is not fully met holds the level back until it is (see "
        "Blockers)."
    )


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


def _level_title(bank: Bank, level_id: str) -> str:
    level = bank.level(level_id)
    return level.title if level is not None else level_id


def _now(item: ActionItem) -> str:
    """The answer now, and what was answered to the earlier question it replaced."""
    return f"{item.answer} (answered before: {item.earlier})" if item.earlier else item.answer


def _flags(item: ActionItem) -> str:
    flags = (["Blocker"] if item.blocker else []) + (["Don't know"] if item.unknown else [])
    return ", ".join(flags)


def _text(text: str) -> Cell:
    """A cell of text, its line breaks kept (each renderer shows them its own way)."""
    return tuple(plain(line) for line in text.splitlines()) or (plain(""),)


def _question(title: str, question_id: str) -> Cell:
    """A question by its title and id (only its id when it has no title of its own)."""
    if title == question_id:
        return (plain(question_id),)
    return ((Span(title), Span(question_id, "id")),)
