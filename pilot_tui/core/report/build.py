"""The report's content, built once from the bank and the assessment: one builder per part.

Pure functions of the bank, the assessment and rows the caller passes in (disputes between
participants, the trend across milestones: rows.py), so the same input always gives the same
report; the caller decides the time stamp too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Final

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import FULL_SCORE, Bank, Framework
from pilot_tui.core.evidence import EvidenceCheck
from pilot_tui.core.merge import spread
from pilot_tui.core.milestones import sparkline
from pilot_tui.core.render import context_lines, held_back, lapsed_words, percent, plural
from pilot_tui.core.report.answers import (
    NONE_GIVEN,
    UNANSWERED,
    UnknownRow,
    answer_rows,
    answers_table,
    orphan_rows,
    unasked_rows,
    unknown_rows,
)
from pilot_tui.core.report.document import (
    Bar,
    Block,
    Chart,
    Document,
    Fields,
    Heading,
    Line,
    Paragraph,
    Span,
    Table,
    plain,
    question_cell,
    text_cell,
)
from pilot_tui.core.report.document import Section as Part
from pilot_tui.core.report.rows import (
    DisputeRow,
    TrendRow,
    change_in_points,
    choice_label,
    points_moved,
)
from pilot_tui.core.scoring import (
    ActionItem,
    Scorecard,
    SectionScore,
    action_plan,
    applies,
    context_options,
    is_critical,
    judge,
    score,
)

SPARK_MISSING: Final = "·"
"""A milestone at which the section had no score (nothing in it applied); a space would be
trimmed at the edge of a Markdown cell."""
LEVELS_NOTE: Final = (
    "The headline is the weakest section's score, because any one cause alone stalls a pilot."
)


def build_report(
    bank: Bank,
    assessment: Assessment,
    *,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
    generated: datetime,
    framework: Framework | None = None,
    evidence: Sequence[EvidenceCheck] = (),
) -> Document:
    """The whole report. Adding a part to both formats is adding one builder here.

    EVIDENCE: the answers' evidence as checked (the caller reads the file system), listed
    where it does not show what it should.

    FRAMEWORK: a framework of the bank to group the answers by, as its own part."""
    card = score(bank, assessment)
    titles = {section.id: section.title for section in bank.sections}
    parts = [
        _verdict(bank, card, assessment),
        _sections(bank, card, trend),
        _blockers(bank, card, titles),
        *([_waived(bank, card, titles)] if card.waived else []),
        *([_evidence(evidence)] if any(check.worth_saying for check in evidence) else []),
        _unknowns(unknown_rows(bank, assessment), bool(assessment.participants)),
    ]
    if disputes:
        parts.append(_disputes(disputes))
    parts.append(_plan(action_plan(bank, assessment), titles))
    if trend:
        parts.append(_trend(trend))
    if framework is not None:
        parts.append(_by_framework(bank, assessment, card, framework))
    parts.append(_appendix(bank, assessment))
    votes = _votes(bank, assessment)
    if votes is not None:
        parts.append(votes)
    if assessment.participants:
        parts.append(_participants(bank, assessment))
    return Document(
        title=f"Readiness report: {assessment.meta.title}",
        header=Fields(tuple(_meta_fields(bank, assessment, generated))),
        sections=tuple(parts),
    )


# ---------------------------------------------------------------------------- the parts


def _verdict(bank: Bank, card: Scorecard, assessment: Assessment) -> Part:
    status = (Span(" ("), Span(card.status.upper(), card.status), Span(")"))
    headline: Line
    if not card.answered:
        # Nothing answered, nothing found: the level is only where the scale starts, so it is
        # said as what the gate sees, never described as what the system does.
        headline = (
            Span("Not assessed yet", "strong"),
            Span(
                ": no question is answered, so no answer supports a verdict. Until there are "
                "answers it counts as "
            ),
            Span(card.level_title, "em"),
            *status,
            Span(
                f", headline score {percent(card.score)}/100: an unanswered question counts as 0."
            ),
        )
    else:
        held = f", {held_back(bank, card)}" if card.capped else ""
        headline = (
            Span(card.level_title, "strong"),
            *status,
            Span(f"{held}. Headline score {percent(card.score)}/100"),
            *_decided_by(card),
            Span(f"; average {percent(card.average)}/100."),
        )
    blocks: list[Block] = [Paragraph(headline, lead=True), Paragraph(plain(_coverage_line(card)))]
    level = bank.level(card.level)
    unanswered = card.unanswered_sections
    if card.answered and unanswered:
        # A section nobody answered scores 0 for want of answers, and so decides the level: the
        # level's description would be a finding no answer made.
        blocks.append(Paragraph(plain(_unanswered_note(unanswered))))
    elif card.answered and level is not None and level.description:
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


def _sections(bank: Bank, card: Scorecard, trend: Sequence[TrendRow]) -> Part:
    header = ("Section", "Score", "Status", "Answered", "Don't know", "Not applicable", "Blockers")
    rows = tuple(
        (
            text_cell(s.title),
            text_cell(percent(s.score)),
            ((Span(s.status.upper(), s.status),),),
            text_cell(f"{s.answered}/{s.total}"),
            text_cell(str(s.unknown)),
            text_cell(str(s.not_applicable)),
            text_cell(str(s.blockers)),
        )
        for s in card.sections
    )
    chart = _chart(bank, card, trend)
    return Part(
        "Sections",
        (Paragraph(plain(LEVELS_NOTE)), chart, Table(header, rows, numeric=(1, 4, 5, 6))),
    )


def _chart(bank: Bank, card: Scorecard, trend: Sequence[TrendRow]) -> Chart:
    """A bar per section; the weakest marked, and each one's change since the latest milestone
    (the trend's next-to-last point: its last is now)."""
    scored = [s for s in card.sections if s.score is not None]
    # Every section tied at the lowest score: none is weaker than another, so none is marked
    # (as the verdict says); several tied below the rest are all marked.
    weakest = () if card.tied and len(card.lowest) == len(scored) else card.lowest
    then = {row.section: row.points[-2] for row in trend if len(row.points) > 1}
    bars = tuple(
        Bar(
            s.label,
            s.score,
            s.status,
            weakest=s.id in weakest,
            # From the rounded scores, so it matches the figures the report shows.
            change=(
                points_moved(before, s.score)
                if s.score is not None and (before := then.get(s.id)) is not None
                else None
            ),
        )
        for s in card.sections
    )
    return Chart(
        bars=bars,
        thresholds=tuple((level.title, level.min) for level in bank.levels[1:]),
        since=trend[0].labels[-2] if trend and len(trend[0].labels) > 1 else "",
    )


def _blockers(bank: Bank, card: Scorecard, titles: Mapping[str, str]) -> Part:
    if not card.blockers:
        none = (
            "None stand: those left are waived (see Accepted risks)."
            if card.waived
            else "None: every critical question is fully met or does not apply."
        )
        return Part("Blockers", (Paragraph(plain(none)),))
    rows = tuple(
        (
            question_cell(b.title, b.question),
            text_cell(titles.get(b.section, b.section)),
            text_cell(b.reason + (f"; {lapsed_words(b)}" if b.lapsed else "")),
            text_cell(_level_title(bank, b.cap)),
        )
        for b in card.blockers
    )
    header = ("Question", "Section", "Why it blocks", "Holds the level at")
    return Part("Blockers", (Table(header, rows),))


def _waived(bank: Bank, card: Scorecard, titles: Mapping[str, str]) -> Part:
    """Accepted risks: never hidden, with who approved them and until when."""
    note = (
        "Blockers the organisation accepted on purpose: they do not hold the level back until "
        "their waiver expires, and each is a blocker again the day after."
    )
    rows = tuple(
        (
            question_cell(item.blocker.title, item.blocker.question),
            text_cell(titles.get(item.blocker.section, item.blocker.section)),
            text_cell(item.waiver.reason),
            text_cell(item.waiver.approver),
            text_cell(item.waiver.requester),
            text_cell(item.waiver.expires.isoformat()),
            text_cell(_level_title(bank, item.blocker.cap)),
        )
        for item in card.waived
    )
    header = ("Question", "Section", "Why accepted", "Approved by", "Asked by", "Until", "Else at")
    return Part("Accepted risks (waivers)", (Paragraph(plain(note)), Table(header, rows)))


def _evidence(checks: Sequence[EvidenceCheck]) -> Part:
    """Evidence that does not show what it should: not in the repository, outside it, stale,
    or a web address nobody said they verified."""
    rows = tuple(
        (
            question_cell(check.title, check.question),
            text_cell(check.evidence),
            text_cell(check.problem),
        )
        for check in checks
        if check.worth_saying
    )
    note = (
        "Evidence paths checked in the repository the assessment is in (never outside it); "
        "web addresses are not fetched."
    )
    return Part(
        "Evidence to look at",
        (Paragraph(plain(note)), Table(("Question", "Evidence", "Why"), rows)),
    )


def _unknowns(unknowns: Sequence[UnknownRow], merged: bool) -> Part:
    """The team's "don't know" answers and, in a merged assessment, each participant's, with
    who gave them: a participant's stays a risk where the team settled on another answer."""
    title = "Unknowns (\u201cdon't know\u201d answers)"
    if not unknowns:
        return Part(title, (Paragraph(plain("None: nobody answered \u201cdon't know\u201d.")),))
    note = "Each counts as 0 and is a risk of its own: someone has to find out."
    if not merged:
        rows = tuple(
            (
                question_cell(row.team.title, row.team.question),
                text_cell(row.team.section),
                text_cell(row.team.owner or NONE_GIVEN),
                text_cell(row.team.due or NONE_GIVEN),
            )
            for row in unknowns
        )
        table = Table(("Question", "Section", "Owner", "Due"), rows)
        return Part(title, (Paragraph(plain(note)), table))
    team = sum(row.team.unknown for row in unknowns)
    people = sum(len(row.who) for row in unknowns)
    sentences = [
        f"The team answered \u201cdon't know\u201d to {plural(team, 'question')}: each counts "
        "as 0 and is a risk of its own; someone has to find out."
        if team
        else "",
        f"Participants answered \u201cdon't know\u201d {plural(people, 'time')}, listed even "
        "where the team settled on another answer: someone could not vouch for it."
        if people
        else "",
    ]
    note = " ".join(sentence for sentence in sentences if sentence)
    with_who = tuple(
        (
            question_cell(row.team.title, row.team.question),
            text_cell(row.team.section),
            text_cell(row.team.answer),
            text_cell(", ".join(row.who) or NONE_GIVEN),
            text_cell(row.team.owner or NONE_GIVEN),
            text_cell(row.team.due or NONE_GIVEN),
        )
        for row in unknowns
    )
    header = ("Question", "Section", "Team answer", "Said \u201cdon't know\u201d", "Owner", "Due")
    return Part(title, (Paragraph(plain(note)), Table(header, with_who)))


def _disputes(disputes: Sequence[DisputeRow]) -> Part:
    rows = tuple(
        (
            question_cell(d.title, d.question),
            # A split on whether the question applies has no distance on the score scale: a
            # dash, not a 0% that would read as agreement.
            text_cell("\u2014" if d.applicability and not d.spread else f"{d.spread:.0%}"),
            tuple(plain(f"{name}: {label}") for name, label in d.answers),
        )
        for d in disputes
    )
    note = (
        "The participants answered these differently; settle them before trusting the score. "
        "The spread is how far apart their scores are (100% when one said fully in place and "
        "another not at all)"
        + (
            "; a dash where some said the question does not apply and others scored it."
            if any(d.applicability and not d.spread for d in disputes)
            else "."
        )
    )
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
            text_cell(str(number)),
            question_cell(item.title, item.question),
            text_cell(titles.get(item.section, item.section)),
            text_cell(_flags(item)),
            text_cell(_now(item)),
            text_cell(item.fix),
            text_cell(item.owner or NONE_GIVEN),
            text_cell(item.due or NONE_GIVEN),
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
    # The change in figures beside the glyphs: since the last milestone, as the app and the
    # portfolio count it (the first milestone's figure is in its own column). "now" alone has
    # nothing to change from.
    since = labels[-2] if len(labels) > 1 else None
    rows = tuple(
        (
            text_cell(row.title),
            *(text_cell(percent(point)) for point in row.points),
            ((Span(sparkline(row.points, missing=SPARK_MISSING), "spark"),),),
            *([text_cell(change_in_points(row.points[-2], row.points[-1]))] if since else []),
        )
        for row in trend
    )
    header = ("Section", *labels, "Trend", *([f"Change since {since}"] if since else []))
    numeric = (*range(1, len(labels) + 1), *([len(labels) + 2] if since else []))
    return Part("Trend across milestones", (Table(header, rows, numeric=numeric),))


def _by_framework(
    bank: Bank, assessment: Assessment, card: Scorecard, framework: Framework
) -> Part:
    """The answers grouped by FRAMEWORK's items (`report --by-framework`): each item the bank's
    questions cover, with those questions, their answers and where the item stands, then the
    items no question covers, for an auditor who asks by the framework's numbers."""
    crosswalk = bank.crosswalk(framework)
    uncovered = [item for item, questions in crosswalk if not questions]
    index = bank.question_index()
    options = context_options(bank, assessment.context)
    blockers = {blocker.question for blocker in card.blockers}
    waived = {item.blocker.question: item.waiver for item in card.waived}
    covered = len(crosswalk) - len(uncovered)
    blocks: list[Block] = [
        Paragraph(
            plain(
                f"{covered} of the framework's {plural(len(crosswalk), 'item')} "
                f"{'is' if covered == 1 else 'are'} asked about by at least one question of "
                "this bank. A question can bear on several items and an item on several "
                "questions; the mapping is the bank's reading of the framework, not the "
                "framework's own."
            )
        )
    ]
    if framework.description:
        blocks.append(Paragraph(plain(framework.description)))
    if framework.url:
        blocks.append(Paragraph(plain(f"Source: {framework.url}")))
    rows = []
    for item, question_ids in crosswalk:
        if not question_ids:
            continue
        lines: list[Line] = []
        # Counted over the questions asked of this pilot: fully met, left out as not
        # applicable (with a reason), or open (anything else, unanswered included).
        asked = met = left_out = 0
        for question_id in question_ids:
            question = index[question_id][1]
            line = [Span(question.title), Span(question.id, "id")]
            if not applies(question, options):
                lines.append((*line, Span(": not asked in this pilot's context")))
                continue
            answer = assessment.answers.get(question_id)
            judged = judge(bank, question, answer, critical=is_critical(question, options))
            asked += 1
            if judged.points is None:
                left_out += 1
            elif judged.points >= FULL_SCORE:
                met += 1
            label = judged.choice.label if judged.choice is not None else UNANSWERED
            if question_id in blockers:
                lines.append((*line, Span(f": {label}; "), Span("blocker", "strong")))
            elif question_id in waived:
                until = waived[question_id].expires.isoformat()
                lines.append((*line, Span(f": {label}; "), Span(f"blocker waived until {until}")))
            else:
                lines.append((*line, Span(f": {label}")))
        rows.append(
            (
                ((Span(item.id, "strong"), Span(f" {item.title}")),),
                tuple(lines),
                text_cell(_item_status(asked, met, left_out)),
            )
        )
    blocks.append(Heading("Items the questions cover", 3))
    if rows:
        blocks.append(Table(("Item", "Questions and answers", "Status"), tuple(rows)))
    else:
        blocks.append(Paragraph(plain("None: no question of this bank refers to this framework.")))
    blocks.append(Heading("Items no question covers", 3))
    if uncovered:
        blocks += [
            Paragraph(
                plain(
                    "This assessment says nothing about these: evidence for them has to come "
                    "from elsewhere."
                )
            ),
            Table(
                ("Item", "Title"),
                tuple((text_cell(item.id), text_cell(item.title)) for item in uncovered),
            ),
        ]
    else:
        blocks.append(Paragraph(plain("None: every item is asked about by some question.")))
    return Part(f"By framework: {framework.title}", tuple(blocks))


def _item_status(asked: int, met: int, left_out: int) -> str:
    """Where a framework's item stands, from the answers to the questions mapped to it."""
    if not asked:
        return "Not asked in this pilot's context"
    if met + left_out < asked:
        return f"Open: {asked - met - left_out} of {plural(asked, 'question')} not met"
    return "Met" if met else "Not applicable"


def _appendix(bank: Bank, assessment: Assessment) -> Part:
    rows = answer_rows(bank, assessment.answers, every_question=True, context=assessment.context)
    blocks: list[Block] = []
    for section in bank.sections:
        blocks.append(Heading(section.title, 3))
        blocks.append(answers_table([r for r in rows if r.section_id == section.id], False))
    kept = "Kept as they are in the file; they count for nothing in the scores."
    unasked = unasked_rows(bank, assessment)
    if unasked:
        blocks += [
            Heading("Answers to questions that do not apply to this context", 3),
            Paragraph(plain(kept)),
            answers_table(unasked, True),
        ]
    orphans = orphan_rows(bank, assessment.answers)
    if orphans:
        blocks += [
            Heading("Answers to questions this bank does not ask", 3),
            Paragraph(
                plain(
                    "Kept as they are in the file (questions of an earlier version of the bank, "
                    "or of another bank); they count for nothing in the scores."
                )
            ),
            answers_table(orphans, False),
        ]
    return Part("Appendix: every answer", tuple(blocks))


def _votes(bank: Bank, assessment: Assessment) -> Part | None:
    """How the participants voted on each question: a count per choice and the spread, beside
    the answer the team settled on. None when no participant answered anything."""
    people = list(assessment.participants.values())
    rows = []
    for _, question in bank.iter_questions():
        given = [
            answer.choice
            for person in people
            if (answer := person.answers.get(question.id)) is not None and answer.choice is not None
        ]
        if not given:
            continue
        counts = Counter(given)
        position = {choice.id: n for n, choice in enumerate(bank.choices_for(question))}
        # A choice the bank does not offer (an older bank, a hand edit) comes last, as written.
        shown = sorted(
            counts, key=lambda choice_id: (position.get(choice_id, len(position)), choice_id)
        )
        rows.append(
            (
                question_cell(question.title, question.id),
                tuple(plain(f"{choice_label(bank, question, c)}: {counts[c]}") for c in shown),
                text_cell(f"{spread(bank, question, given):.0%}"),
                text_cell(
                    choice_label(bank, question, team.choice)
                    if (team := assessment.answers.get(question.id)) is not None
                    else NONE_GIVEN
                ),
            )
        )
    if not rows:
        return None
    note = (
        "Each participant's own answer, counted per choice; the spread is how far apart they are"
        " (100% when one said fully in place and another not at all). A show of hands in a live"
        " workshop has no names: it is in the team answer's notes, not counted here."
    )
    table = Table(("Question", "Votes", "Spread", "Team answer"), tuple(rows), numeric=(2,))
    return Part("Appendix: the votes on each question", (Paragraph(plain(note)), table))


def _participants(bank: Bank, assessment: Assessment) -> Part:
    blocks: list[Block] = []
    for participant in assessment.participants.values():
        own = answer_rows(bank, participant.answers, every_question=False)
        own += orphan_rows(bank, participant.answers)
        origin = f"From {participant.source}; " if participant.source else ""
        blocks += [
            Heading(participant.name, 3),
            Paragraph(plain(f"{origin}{plural(len(own), 'answer')}.")),
        ]
        if own:
            blocks.append(answers_table(own, True))
    return Part("Appendix: each participant's own answers", tuple(blocks))


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
        f"Answered {card.answered} of {card.total} questions ({percent(card.coverage * 100)}%); "
        f"{card.unknown} don't know; {card.not_applicable} not applicable; "
        f"{plural(len(card.blockers), 'blocker')}."
    )


def _decided_by(card: Scorecard) -> Line:
    """What decides the headline score, said after it: the weakest section, or the tie."""
    weakest = card.weakest_section
    if weakest is None:
        return plain(": no section has an applicable question")
    scored = [s for s in card.sections if s.score is not None]
    if card.tied and len(card.lowest) == len(scored):
        return plain(f": all {len(scored)} sections are tied at it, so none is the weakest")
    if card.tied:
        tied = [s for s in card.sections if s.id in card.lowest]
        names: list[Span] = [Span(", from the weakest sections, tied: ")]
        for number, section in enumerate(tied):
            if number:
                names.append(Span(" and " if number == len(tied) - 1 else ", "))
            names.append(Span(section.title, "em"))
        return tuple(names)
    return (Span(", from the weakest section, "), Span(weakest.title, "em"))


def _unanswered_note(unanswered: Sequence[SectionScore]) -> str:
    titles = ", ".join(section.title for section in unanswered)
    verb = "has" if len(unanswered) == 1 else "have"
    return (
        f"Not assessed in full: {plural(len(unanswered), 'section')} {verb} no answer yet "
        f"({titles}). Their unanswered questions count as 0, so the level says how little is "
        "known yet, not what the system does."
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
    waived = f" (waived until {item.waived_until.isoformat()})" if item.waived_until else ""
    flags = ([f"Blocker{waived}"] if item.blocker else []) + (
        ["Don't know"] if item.unknown else []
    )
    return ", ".join(flags)
