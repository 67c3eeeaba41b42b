"""What the interview writes about the question on screen, from the session alone.

Text from banks and files goes in as plain text (Content), never parsed as markup.
"""

from __future__ import annotations

from typing import Final

from textual.content import Content

from pilot_tui.core.bank import Question
from pilot_tui.core.render import lapsed_words, waiver_words
from pilot_tui.core.scoring import answer_choice, needs_text
from pilot_tui.ui.session import Position, Session

Parts = list[str | tuple[str, str]]


def title(session: Session, question: Question) -> Content:
    # Critical for this pilot: some questions are critical only in some contexts.
    return Content.assemble(
        (question.title, "$text-accent"),
        ("  CRITICAL", "bold $text-error") if session.is_critical(question) else "",
    )


def why(question: Question) -> Content:
    return Content.assemble(("Why it matters: ", "bold"), question.why)


def fix(question: Question) -> Content:
    return Content.assemble(
        ("The fix: ", "bold"), question.fix, "\n", ("Evidence: ", "bold"), question.evidence
    )


def position_line(session: Session, position: Position) -> Content:
    """The section, the question's number in it, and a mark per question: answered, don't know
    or open, the one on screen reversed."""
    section = session.section(position)
    marks: Parts = []
    questions = session.questions(position.section)
    for index, question in enumerate(questions):
        choice = answer_choice(session.bank, question, session.assessment.answers.get(question.id))
        mark = "○" if choice is None else ("?" if choice.unknown else "●")
        style = "bold reverse" if index == position.question else "dim"
        marks.append((mark, style))
    return Content.assemble(
        (f"{position.section + 1}. {section.label}", "bold $text-accent"),
        ("  ·  ", "dim"),
        f"question {position.question + 1} of {len(questions)} ",
        *marks,
    )


NOTE_SHOWN: Final = 160
"""Characters of a participant's note shown beside their answer (the whole note is in the
file and the report)."""


def team_answers(session: Session, position: Position) -> Content:
    """Who answered what, when the assessment merges several people's answers."""
    question = session.question(position)
    answers = session.participant_answers(question.id)
    if not answers:
        return Content("")
    if session.dispute(question.id):
        parts: Parts = [("Disputed ", "bold $text-warning")]
    elif any(answer and answer.choice for _, answer in answers):
        parts = [("Agreed ", "$text-success")]
    else:
        return Content.styled("Nobody answered this one on their own.", "dim")
    parts.append(("(the number keys set the team's answer): ", "dim"))
    # With notes, a line each: what a person wrote belongs beside their answer.
    by_line = any(
        answer and (answer.notes.strip() or answer.evidence.strip()) for _, answer in answers
    )
    for index, (name, answer) in enumerate(answers):
        choice = answer_choice(session.bank, question, answer)
        separator = "\n  " if by_line else ("  ·  " if index else "")
        parts += [
            (separator, "dim"),
            (name, "bold"),
            " ",
            choice.label if choice else ("—", "dim"),
        ]
        notes = " ".join(answer.notes.split()) if answer else ""
        if notes:
            shown = notes if len(notes) <= NOTE_SHOWN else notes[: NOTE_SHOWN - 1] + "…"
            parts += [("  “", "dim"), (shown, "italic"), ("”", "dim")]
        evidence = answer.evidence.strip() if answer else ""
        if evidence:
            shown = evidence if len(evidence) <= NOTE_SHOWN else evidence[: NOTE_SHOWN - 1] + "…"
            parts += [("  evidence: ", "dim"), shown]
    return Content.assemble(*parts)


def answer_note(session: Session, position: Position) -> Content:
    """What the rules make of the answer on screen, when it is not what it seems (a plan
    without an owner, not applicable on a critical question, an answer on an earlier scale,
    evidence that is not there or is stale, a waived blocker), and what the team said to the
    question this one replaced."""
    judged = session.judged(position)
    parts: Parts = _waiver_note(session, position) + _evidence_note(session, position)
    if judged.choice is not None and judged.choice.retired:
        parts += [
            ("Answered on an earlier scale: ", "bold $text-warning"),
            judged.choice.label,
            ". It counts as a plan until you choose again.",
        ]
    elif judged.missing:
        needed = needs_text(judged.missing)
        parts += [
            (f"Counts as not in place until it has {needed}", "bold $text-warning"),
            " (Tab to the owner and due date).",
        ]
    elif judged.choice is not None and judged.choice.not_applicable and judged.cap:
        parts += [
            ("Still a blocker: ", "bold $text-error"),
            "critical here, so not applicable does not take it out. If it is settled (in "
            "writing), answer 1 with that as the evidence.",
        ]
    for item in session.replaced(session.question(position).id):
        parts += [
            "\n" if parts else "",
            (f"Answered before (bank {item.version}): ", "dim"),
            f"{item.title}: ",
            (item.answer, "bold"),
        ]
    return Content.assemble(*parts)


def _waiver_note(session: Session, position: Position) -> Parts:
    question = session.question(position).id
    card = session.card
    waived = next((item for item in card.waived if item.blocker.question == question), None)
    if waived is not None:
        return [
            ("Waived: ", "bold $text-warning"),
            f"{waiver_words(waived.waiver)}. It does not hold the level back until then.\n",
        ]
    lapsed = next((b for b in card.lapsed_waivers if b.question == question), None)
    if lapsed is not None:
        return [("Blocker again: ", "bold $text-error"), f"{lapsed_words(lapsed)}.\n"]
    return []


def _evidence_note(session: Session, position: Position) -> Parts:
    check = session.evidence(session.question(position).id)
    if check is None or not check.worth_saying:
        return []
    return [("Evidence: ", "bold $text-warning"), f"{check.problem}.\n"]
