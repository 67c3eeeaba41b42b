"""The answers as the report lists them: every question of the bank in order, the answers kept
for questions that do not apply or that the bank no longer asks, each participant's own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from pilot_tui.core.assessment import Answer, Assessment
from pilot_tui.core.bank import Bank, Question, Section
from pilot_tui.core.report.document import Note, Table, question_cell, text_cell
from pilot_tui.core.scoring import answer_choice, applies, context_options

UNANSWERED: Final = "Unanswered"
NONE_GIVEN: Final = "—"


@dataclass(frozen=True)
class AnswerRow:
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


def answers_table(rows: Sequence[AnswerRow], with_section: bool) -> Table:
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
            question_cell(row.title, row.question),
            *([text_cell(row.section or NONE_GIVEN)] if with_section else []),
            text_cell(row.answer),
            text_cell(row.owner),
            text_cell(row.due),
            text_cell(row.evidence),
            text_cell(row.reason),
        )
        for row in rows
    )
    notes = tuple(Note(index, row.title, row.notes) for index, row in enumerate(rows) if row.notes)
    return Table(header, cells, notes=notes)


def answer_rows(
    bank: Bank,
    answers: Mapping[str, Answer],
    *,
    every_question: bool,
    context: Mapping[str, Sequence[str]] | None = None,
) -> list[AnswerRow]:
    """The bank's questions in bank order: every one asked of a pilot of CONTEXT, or only
    those ANSWERS has."""
    rows: list[AnswerRow] = []
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


@dataclass(frozen=True)
class UnknownRow:
    """A question someone answered "don't know": the team, or a participant whose answer the
    team's does not show (a merge settles on the most common answer, so one person's "don't
    know" can be outvoted and still be a risk: they may know something the others assume)."""

    team: AnswerRow
    """The team's answer to it ("Unanswered" when it has none)."""
    who: tuple[str, ...]
    """The participants who answered "don't know", by name, in the file's order."""


def unknown_rows(bank: Bank, assessment: Assessment) -> list[UnknownRow]:
    """Every question the team or any participant answered "don't know", in bank order."""
    said: dict[str, list[str]] = {}
    for person in assessment.participants.values():
        for row in answer_rows(bank, person.answers, every_question=False):
            if row.unknown:
                said.setdefault(row.question, []).append(person.name)
    team = {
        row.question: row for row in answer_rows(bank, assessment.answers, every_question=False)
    }
    found: list[UnknownRow] = []
    for section, question in bank.iter_questions():
        answered = team.get(question.id)
        who = tuple(said.get(question.id, ()))
        if (answered is not None and answered.unknown) or who:
            row = answered or _row(question.id, section, question.title, UNANSWERED, False, None)
            found.append(UnknownRow(row, who))
    return found


def orphan_rows(bank: Bank, answers: Mapping[str, Answer]) -> list[AnswerRow]:
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


def unasked_rows(bank: Bank, assessment: Assessment) -> list[AnswerRow]:
    """The answers to the bank's questions that do not apply to the pilot's context."""
    options = context_options(bank, assessment.context)
    kept = {
        question.id: assessment.answers[question.id]
        for _, question in bank.iter_questions()
        if question.id in assessment.answers and not applies(question, options)
    }
    return answer_rows(bank, kept, every_question=False)


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
) -> AnswerRow:
    answer = answer or Answer()
    return AnswerRow(
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
