"""The summary: the full scorecard, the blockers, the unknowns and the action plan."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from pilot_tui.core.assessment import Answer
from pilot_tui.core.milestones import replaced_answers
from pilot_tui.core.render import (
    UNKNOWN_FLAG,
    bar,
    context_lines,
    held_back,
    lapsed_words,
    percent,
    plural,
    waiver_words,
    weakest_words,
)
from pilot_tui.core.scoring import ActionItem, Scorecard, answer_choice
from pilot_tui.ui import keys
from pilot_tui.ui.session import Session
from pilot_tui.ui.status import STATUS_LABEL, STATUS_STYLE
from pilot_tui.ui.widgets.footer import Footer
from pilot_tui.ui.widgets.scorecard import LEVEL_STYLE

Parts = list[str | tuple[str, str]]


class SummaryScreen(Screen[None]):
    AUTO_FOCUS = "#summary"
    BINDINGS = keys.SUMMARY

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(Content(self.session.assessment.meta.title), id="topbar-title")
        with VerticalScroll(id="summary"):
            yield Static(self._scorecard(), id="summary-scorecard")
            yield Static(self._risks(), id="summary-risks")
            yield Static(self._team(), id="summary-team")
            yield Static(self._plan(), id="summary-plan")
        yield Footer()

    def _scorecard(self) -> Content:
        card: Scorecard = self.session.card
        weakest = card.weakest_section
        held = held_back(self.session.bank, card)
        parts: Parts = [
            ("Readiness: ", "bold"),
            (card.level_title.upper(), LEVEL_STYLE),
            (f" ({held})" if held else "", "$text-warning"),
            (
                f" ({plural(len(card.waived), 'blocker')} waived)" if card.waived else "",
                "bold $text-warning",
            ),
            "\n",
            f"Score {percent(card.score)}/100 (the weakest section",
            f": {weakest_words(card)})" if weakest else ")",
            f", average {percent(card.average)}/100. ",
            f"{card.answered} of {card.total} answered ({percent(card.coverage * 100)}%).\n",
        ]
        width = max(len(s.label) for s in card.sections)
        for section in card.sections:
            style = STATUS_STYLE[section.status]
            parts += [
                "\n",
                f"{section.label:<{width}}  ",
                (bar(section.score, 20), style),
                f" {percent(section.score):>3}  ",
                (f"{STATUS_LABEL[section.status]:<5}", style),
                (f"  {section.answered}/{section.total}", "dim"),
            ]
            if section.unknown:
                parts.append((f"  {section.unknown}?", "$text-warning"))
            if section.blockers:
                parts.append((f"  {plural(section.blockers, 'blocker')}", "$text-error"))
        return Content.assemble(*parts)

    def _risks(self) -> Content:
        session = self.session
        card = session.card
        parts: Parts = [("\nBlockers", "bold underline"), "\n"]
        if not card.blockers and card.waived:
            parts.append(("None stand: the ones left are waived (below).\n", "$text-warning"))
        elif not card.blockers:
            parts.append(
                ("None: every critical question that applies is fully met.\n", "$text-success")
            )
        bank = session.bank
        for blocker in card.blockers:
            level = bank.level(blocker.cap)
            parts += [
                ("• ", "$text-error"),
                (blocker.title, "bold"),
                f": {blocker.reason}",
                (f"; holds it at {level.title if level else blocker.cap}", "dim"),
            ]
            if blocker.lapsed is not None:
                parts.append((f" ({lapsed_words(blocker)})", "bold $text-error"))
            parts.append("\n")
        if card.waived:
            parts += [("\nWaived", "bold underline"), " (accepted risks; each counts again once "]
            parts += ["its waiver expires)\n"]
            for accepted in card.waived:
                parts += [
                    ("• ", "$text-warning"),
                    (accepted.blocker.title, "bold"),
                    f": {waiver_words(accepted.waiver)}\n",
                ]
        unknown = [
            question
            for _, questions in session.view
            for question in questions
            if (
                choice := answer_choice(
                    session.bank, question, session.assessment.answers.get(question.id)
                )
            )
            is not None
            and choice.unknown
        ]
        parts += [("\nDon't know", "bold underline"), "\n"]
        if not unknown:
            parts.append(('Nobody answered "don\'t know".\n', "dim"))
        for question in unknown:
            parts += [("? ", "$text-warning"), question.title, ("  find out who knows\n", "dim")]
        replaced = replaced_answers(bank, session.assessment.answers)
        if replaced:
            parts += [("\nAnswers to questions of an earlier bank version", "bold underline")]
            parts.append(("  kept; the questions that replaced them are asked now\n", "dim"))
            for item in replaced:
                now = "; ".join(f"{title}: {answer}" for _, title, answer in item.replaced_by)
                parts += [f"  {item.title}: ", (item.answer, "bold"), (f"  now {now}\n", "dim")]
        others = [qid for qid in card.orphaned if bank.retired_question(qid) is None]
        if others:
            parts += [("\nKept from another bank: ", "bold"), ", ".join(others), "\n"]
        if card.assumed or session.assessment.context:
            parts += [
                ("\nContext", "bold underline"),
                ("  (k in the interview changes it)\n", "dim"),
            ]
            parts += [f"  {line}\n" for line in context_lines(bank, session.assessment.context)]
        return Content.assemble(*parts)

    def _team(self) -> Content:
        """Where the participants disagree, and what changed since the last milestone."""
        session = self.session
        parts: Parts = []
        if session.assessment.participants:
            parts += [("\nDisputed questions", "bold underline")]
            parts.append(
                (f"  {len(session.disputes)} of {session.card.total}, most disputed first\n", "dim")
            )
            if not session.disputes:
                parts.append(("Everybody gave the same answers.\n", "$text-success"))
            for dispute in session.disputes:
                parts += [("! ", "$text-warning"), (dispute.title, "bold"), "\n    "]
                question = session.bank.question_index()[dispute.question][1]
                for index, (name, choice_id) in enumerate(dispute.answers):
                    choice = answer_choice(
                        session.bank, question, Answer(choice=choice_id) if choice_id else None
                    )
                    parts += [
                        ("  ·  " if index else "", "dim"),
                        name,
                        ": ",
                        choice.label if choice else "unanswered",
                    ]
                parts.append("\n")
        since = session.changes_since_last_milestone()
        if since is not None:
            label, changes = since
            parts += [("\nSince milestone ", "bold underline"), (label, "bold underline"), "\n"]
            if not changes:
                parts.append(("No answer changed.\n", "dim"))
            marks = {"improved": ("▲ ", "$text-success"), "regressed": ("▼ ", "$text-error")}
            for change in changes:
                parts += [
                    marks.get(change.direction, ("~ ", "dim")),
                    (change.title, "bold"),
                    f": {change.before} → {change.after}\n",
                ]
            trend_lines = dict(session.extras.trends)
            if trend_lines:
                labels = [m.label for m in session.assessment.milestones] + ["now"]
                parts += [("\nTrend ", "bold underline"), (f"  {' → '.join(labels)}\n", "dim")]
                for section in session.card.sections:
                    parts += [
                        f"{section.label:<24}",
                        (trend_lines.get(section.id, ""), "$text-accent"),
                        "\n",
                    ]
        return Content.assemble(*parts)

    def _plan(self) -> Content:
        items: list[ActionItem] = self.session.plan()
        parts: Parts = [
            ("\nAction plan", "bold underline"),
            (f"  {plural(len(items), 'gap')}, most important first\n", "dim"),
        ]
        if not items:
            parts.append(
                ("Nothing to fix: every applicable question is fully met.\n", "$text-success")
            )
        for number, item in enumerate(items, start=1):
            parts += ["\n", (f"{number:>2}. ", "bold"), (item.title, "bold")]
            if item.blocker:
                parts.append(("  BLOCKER", "bold $text-error"))
            if item.waived_until is not None:
                parts.append((f" waived until {item.waived_until.isoformat()}", "$text-warning"))
            if item.unknown:
                parts.append((f"  {UNKNOWN_FLAG}", "bold $text-warning"))
            parts += ["\n", ("    Now: ", "dim"), item.answer]
            if item.owner:
                parts += [("   Owner: ", "dim"), item.owner]
            if item.due:
                parts += [("   Due: ", "dim"), item.due]
            parts += ["\n", ("    Fix: ", "dim"), item.fix, "\n"]
        return Content.assemble(*parts)
