"""The Markdown and HTML reports: complete, well formed, and safe with hostile text.

Markdown tables are parsed the way GitHub does (a pipe splits cells unless backslash-escaped)
and HTML is parsed with the standard library's parser, checking that every tag closes in order.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from html.parser import HTMLParser
from typing import Any

import pytest

from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    Participant,
    new_assessment,
    with_answer,
    with_meta,
)
from pilot_tui.core.bank import Bank
from pilot_tui.core.bank_checks import parse_bank
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.core.milestones import add_milestone
from pilot_tui.core.records import validate
from pilot_tui.core.report import (
    DisputeRow,
    TrendRow,
    html_report,
    markdown_report,
    report_rows,
)
from pilot_tui.core.scoring import action_plan, score

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
GENERATED = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)

HOSTILE = "| [x](javascript:alert(1)) <script>alert(1)</script>"
"""One line of hostile text: a cell break, a script link and a script tag."""
HOSTILE_LINES = (
    f"{HOSTILE}\n# injected heading\n- injected item\n1. injected number\n---\n===\n"
    "`code` *em* _em_ ~~gone~~ $x$ \\ <img src=x onerror=alert(1)> &amp; ![i](http://e.example/i.png)"
)
"""Many lines of it, each trying to start a block of its own (for notes and bank text)."""

DISPUTES = (
    DisputeRow(
        question="runbook",
        title="Runbook",
        answers=(("Ana Lima", "In place and evidenced"), ("Bo Chen", "Not in place")),
        spread=1.0,
    ),
)
TREND = (
    TrendRow(
        section="demo",
        title="Built for the demo, not for production",
        labels=("kick-off", "mid-pilot", "go-live review", "now"),
        points=(0.0, 50.0, 100.0, None),
    ),
)


# ---------------------------------------------------------------------------- building inputs


def assess(bank: Bank, answers: dict[str, Answer], **meta: str) -> Assessment:
    title = meta.pop("title", "Claims triage bot")
    assessment = new_assessment(bank, title, now=NOW)
    assessment = with_meta(assessment, now=NOW, **meta)
    for question_id, answer in answers.items():
        assessment = with_answer(assessment, question_id, answer, now=NOW)
    return assessment


def with_participants(assessment: Assessment, participants: dict[str, Participant]) -> Assessment:
    """Validated like a file read from disk, so the ids and limits are checked."""
    data = dataclasses.asdict(assessment)
    data["participants"] = participants
    return validate(Assessment, data)


def all_question_ids(bank: Bank) -> list[str]:
    return [question.id for _, question in bank.iter_questions()]


@pytest.fixture
def full(bank: Bank) -> Assessment:
    """Every kind of answer: met, partial, not met, don't know, not applicable, orphaned."""
    answers = {
        "success-criteria-agreed": Answer(
            choice="partly",
            notes="Drafted with the sponsor.\nSign-off is booked for March.",
            owner="Ana Lima",
            due=date(2026, 3, 15),
            evidence="https://wiki.example/criteria",
        ),
        "eval-production-data": Answer(choice="met", evidence="eval/README.md"),
        "runbook": Answer(
            choice="unknown", owner="Bo Chen", due=date(2026, 4, 1), notes="Ask the ops team."
        ),
        "on-call": Answer(choice="not-met", owner="Cara Diaz", due=date(2026, 5, 2)),
        "cost-cap": Answer(choice="na", reason="Fixed-price contract"),
        "retired-question": Answer(choice="met", notes="From the old bank."),
    }
    assessment = assess(bank, answers, team="Claims AI", facilitator="Dee Ng", stage="pilot")
    return with_participants(
        assessment,
        {
            "ana-lima": Participant(
                name="Ana Lima",
                source="ana.toml",
                answers={"runbook": Answer(choice="met", notes="We wrote one in May.")},
            ),
            "bo-chen": Participant(
                name="Bo Chen", source="bo.toml", answers={"runbook": Answer(choice="not-met")}
            ),
        },
    )


def hostile_bank(bank: Bank) -> Bank:
    """The default bank with hostile text in its section and question titles and fixes.

    Titles are one line in a bank (core/text.py); prose such as a fix may have several."""
    data: dict[str, Any] = dataclasses.asdict(bank)
    for section in data["sections"]:
        section["title"] = f"{section['title']} {HOSTILE}"
        section["short_title"] = f"{section['short_title']} {HOSTILE}"
        for question in section["questions"]:
            question["title"] = f"{question['title']} {HOSTILE}"
            question["text"] = f"{question['text']} {HOSTILE_LINES}"
            question["fix"] = f"{question['fix']} {HOSTILE_LINES}"
    return parse_bank(data)


@pytest.fixture
def hostile(bank: Bank) -> tuple[Bank, Assessment]:
    """Hostile text in every field a person can type, and in the bank."""
    evil = hostile_bank(bank)
    answers = {
        question_id: Answer(
            choice=choice,
            notes=HOSTILE_LINES,
            owner=HOSTILE,
            due=date(2026, 6, 1),
            evidence=HOSTILE,
            reason=HOSTILE if choice == "na" else "",
        )
        for question_id, choice in zip(
            all_question_ids(evil), ["partly", "unknown", "na", "not-met"] * 10, strict=False
        )
    }
    answers["orphan-q"] = Answer(choice="x", notes=HOSTILE_LINES, owner=HOSTILE)
    assessment = assess(
        evil, answers, title=HOSTILE, team=HOSTILE, facilitator=HOSTILE, stage=HOSTILE
    )
    assessment = with_participants(
        assessment,
        {
            "evil": Participant(
                name=HOSTILE,
                source=HOSTILE,
                answers={"runbook": Answer(choice="met", notes=HOSTILE_LINES, owner=HOSTILE)},
            )
        },
    )
    return evil, assessment


HOSTILE_DISPUTES = (
    DisputeRow(question="runbook", title=HOSTILE_LINES, answers=((HOSTILE, HOSTILE),), spread=0.5),
)
HOSTILE_TREND = (
    TrendRow(section="demo", title=HOSTILE_LINES, labels=(HOSTILE, "now"), points=(10.0, 20.0)),
)


def md(bank: Bank, assessment: Assessment, **extra: Any) -> str:
    return markdown_report(bank, assessment, generated=GENERATED, **extra)


def page(bank: Bank, assessment: Assessment, **extra: Any) -> str:
    return html_report(bank, assessment, generated=GENERATED, **extra)


# ---------------------------------------------------------------------------- Markdown parsing


def split_row(line: str) -> list[str]:
    """A table row's cells: a pipe splits unless a backslash escapes it (as GitHub reads it)."""
    assert line.startswith("| ") and line.endswith(" |"), line
    cells: list[str] = []
    cell = ""
    chars = iter(line[1:-1])
    for char in chars:
        if char == "\\":
            cell += char + next(chars, "")
        elif char == "|":
            cells.append(cell.strip())
            cell = ""
        else:
            cell += char
    cells.append(cell.strip())
    return cells


def has_unescaped_pipe(line: str) -> bool:
    return bool(re.search(r"(?<!\\)(?:\\\\)*\|", line))


SEPARATOR = re.compile(r"^\|( :?-{3,}:? \|)+$")


def tables(markdown: str) -> list[list[list[str]]]:
    """Every table (rows of cells, the separator row left out), checked to be well formed."""
    lines = markdown.split("\n")
    found: list[list[list[str]]] = []
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.startswith("|"):
            # Outside tables every pipe must be escaped, or GitHub could start a table there.
            assert not has_unescaped_pipe(line), line
            number += 1
            continue
        assert number == 0 or lines[number - 1] == "", f"no blank line before table: {line}"
        block: list[str] = []
        while number < len(lines) and lines[number].startswith("|"):
            block.append(lines[number])
            number += 1
        assert number == len(lines) or lines[number] == "", "no blank line after table"
        assert len(block) >= 2 and SEPARATOR.match(block[1]), block[:2]
        header = split_row(block[0])
        assert len(split_row(block[1])) == len(header)
        rows = [header]
        for row in block[2:]:
            assert not SEPARATOR.match(row), row
            cells = split_row(row)
            assert len(cells) == len(header), (header, row)
            rows.append(cells)
        found.append(rows)
    return found


def table_after(markdown: str, heading: str) -> list[list[str]]:
    """The first table under HEADING."""
    rest = markdown.split(f"\n{heading}\n", 1)[1]
    return tables(rest)[0]


# ---------------------------------------------------------------------------- HTML parsing

VOID = frozenset({"meta", "br"})
ALLOWED_TAGS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "header",
        "h1",
        "dl",
        "dt",
        "dd",
        "main",
        "section",
        "h2",
        "h3",
        "p",
        "strong",
        "em",
        "span",
        "figure",
        "svg",
        "line",
        "text",
        "rect",
        "figcaption",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "div",
        "br",
    ]
)
ALLOWED_ATTRS = frozenset(
    [
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "width",
        "height",
        "viewbox",
        "role",
        "aria-label",
        "font-size",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "stroke",
        "stroke-dasharray",
        "stroke-width",
        "fill",
        "text-anchor",
    ]
)


class StrictParser(HTMLParser):
    """Records tags, attributes and text; every end tag must close the last open element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.declaration = ""
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: Counter[str] = Counter()
        self.attributes: list[tuple[str, str]] = []
        self.rects: list[dict[str, str]] = []
        self.svg_text: list[str] = []
        self.text: list[str] = []

    def handle_decl(self, decl: str) -> None:
        self.declaration = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.record(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.record(tag, attrs)

    def record(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        pairs = [(name, value or "") for name, value in attrs]
        self.attributes += pairs
        if tag == "rect":
            self.rects.append(dict(pairs))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.stack and self.stack[-1] == "text":
            self.svg_text.append(data)


def parse_html(document: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(document)
    parser.close()
    assert parser.declaration.lower() == "doctype html"
    assert not parser.errors, parser.errors[:5]
    assert not parser.stack, f"left open: {parser.stack}"
    return parser


def assert_offline_and_scriptless(document: str, parser: StrictParser) -> None:
    assert "<script" not in document.lower()
    assert set(parser.tags) <= ALLOWED_TAGS, set(parser.tags) - ALLOWED_TAGS
    names = {name for name, _ in parser.attributes}
    assert names <= ALLOWED_ATTRS, names - ALLOWED_ATTRS
    assert not names & {"src", "href", "xlink:href", "action", "srcset"}
    assert not any("http://" in v or "https://" in v for _, v in parser.attributes)
    assert "url(" not in document and "@import" not in document


# ---------------------------------------------------------------------------- Markdown


def test_markdown_tables_are_well_formed(bank: Bank, full: Assessment) -> None:
    found = tables(md(bank, full, disputes=DISPUTES, trend=TREND))
    headers = [table[0][0] for table in found]
    # Sections, blockers, unknowns, disputes, plan, trend, five sections of answers, the
    # orphaned answers, the votes on each question and two participants.
    # The plan's "#" is escaped like any text, so GitHub cannot read it as an issue link.
    assert headers[:6] == ["Section", "Question", "Question", "Question", "\\#", "Section"]
    assert len(found) == 6 + len(bank.sections) + 1 + 1 + 2


def test_markdown_section_order(bank: Bank, full: Assessment) -> None:
    text = md(bank, full, disputes=DISPUTES, trend=TREND)
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert headings == [
        "## Verdict",
        "## Sections",
        "## Blockers",
        "## Unknowns (\u201cdon't know\u201d answers)",
        "## Disputed questions",
        "## Action plan",
        "## Trend across milestones",
        "## Appendix: every answer",
        "## Appendix: the votes on each question",
        "## Appendix: each participant's own answers",
    ]
    assert text.startswith("# Readiness report: Claims triage bot\n")


def test_markdown_carries_everything(bank: Bank, full: Assessment) -> None:
    text = md(bank, full)
    card = score(bank, full)
    plan = action_plan(bank, full)
    for expected in (
        "- **Team:** Claims AI",
        "- **Facilitator:** Dee Ng",
        "- **Stage:** pilot",
        "- **Generated:** 2026-02-03 04:05 UTC",
        f"**{card.level_title}**",
        "Fixed-price contract",
        "https://wiki.example/criteria",
        "eval/README.md",
    ):
        assert expected in text
    # Four sections score 0 (two have no answer at all): tied, so none is named alone.
    verdict = text.split("## Verdict", 1)[1].split("\n## ", 1)[0]
    assert card.tied and "the weakest sections, tied: " in verdict
    assert all(f"*{s.title}*" in verdict for s in card.sections if s.id in card.lowest)
    for section in card.sections:
        assert f"| {section.title} | {section.score:.0f} | {section.status.upper()} |" in text
    blockers = table_after(text, "## Blockers")
    assert [row[0] for row in blockers[1:]] == [f"{b.title} ({b.question})" for b in card.blockers]
    assert card.blockers and all(b.reason in text for b in card.blockers)
    rows = table_after(text, "## Action plan")[1:]
    assert [row[1] for row in rows] == [f"{item.title} ({item.question})" for item in plan]
    for row, item in zip(rows, plan, strict=True):
        assert row[5] == item.fix
        assert row[6] == (item.owner or "—")
        assert row[7] == (item.due or "—")
    assert {"Ana Lima", "Bo Chen", "Cara Diaz"} <= {row[6] for row in rows}
    assert {"2026-03-15", "2026-04-01", "2026-05-02"} <= {row[7] for row in rows}
    # Notes are quoted, line by line.
    assert "> Drafted with the sponsor.\\\n> Sign-off is booked for March." in text
    assert "> Ask the ops team." in text
    assert "> We wrote one in May." in text


def test_markdown_lists_unknowns_orphans_and_participants(bank: Bank, full: Assessment) -> None:
    text = md(bank, full)
    unknowns = table_after(text, "## Unknowns (\u201cdon't know\u201d answers)")
    # A merged assessment: the team's answer, and who among the participants said so (nobody).
    assert unknowns[1:] == [
        [
            "Runbook (runbook)",
            "No one owns production operations",
            "Don't know",
            "—",
            "Bo Chen",
            "2026-04-01",
        ]
    ]
    appendix = text.split("## Appendix: every answer", 1)[1]
    answered = {row[0]: row[1] for table in tables(appendix)[: len(bank.sections)] for row in table}
    assert answered["Cost per request capped (cost-cap)"] == "Not applicable"
    assert answered["Runbook (runbook)"] == "Don't know"
    assert list(answered.values()).count("Unanswered") == len(all_question_ids(bank)) - 5
    assert "### Answers to questions this bank does not ask" in text
    assert "| retired-question | met |" in text
    assert "> From the old bank." in text
    assert "### Ana Lima\n\nFrom ana.toml; 1 answer." in text
    assert "### Bo Chen\n\nFrom bo.toml; 1 answer." in text
    assert "| Runbook (runbook) | No one owns production operations | Not in place |" in text


def test_markdown_hostile_text_stays_text(hostile: tuple[Bank, Assessment]) -> None:
    evil, assessment = hostile
    text = md(evil, assessment, disputes=HOSTILE_DISPUTES, trend=HOSTILE_TREND)
    found = tables(text)  # every row still has its header's cells
    assert len(found) > 10
    for raw in ("`code`", "*em*", "~~gone~~"):
        assert raw not in text
    # Every "<" is escaped but the autolinks of the web addresses people wrote.
    for opening in re.finditer(r"(?<!\\)(?:\\\\)*<", text):
        rest = text[opening.end() - 1 :]
        assert re.match(r"<https?://[^\s<>]+>", rest), rest[:40]
    # A link needs an unescaped "](" (the brackets are escaped, so nothing links).
    assert not re.search(r"(?<!\\)\]\(", text)
    assert "\\| \\[x\\](javascript:alert(1)) \\<script\\>alert(1)\\</script\\>" in text
    assert "\\`code\\` \\*em\\* \\_em\\_ \\~\\~gone\\~\\~ \\$x\\$ \\\\ \\<img" in text
    assert "\\&amp;" in text
    for line in text.split("\n"):
        # What is left of a line after the quote marker and our indent must not open a block.
        body = re.sub(r"^>\s?", "", line).replace("&nbsp;", "")
        assert not re.match(r"(#+|[-+*]|\d+[.)]|={3,}|-{3,})\s*injected", body), line
        assert not re.fullmatch(r"\s*(-{3,}|={3,})\s*", body), line
        if line.startswith("#"):
            assert re.match(r"#{1,3} \S", line), line
    # Each hostile heading stays on one line.
    assert text.startswith("# Readiness report: \\| \\[x\\]")


def test_markdown_notes_keep_their_lines_and_indent(bank: Bank) -> None:
    notes = "First line\n    indented four\n\nAfter a blank line\n- a dash"
    text = md(bank, assess(bank, {"runbook": Answer(choice="met", notes=notes)}))
    quote = "\n".join(line for line in text.split("\n") if line.startswith(">"))
    assert quote == (
        "> First line\\\n"
        "> &nbsp;&nbsp;&nbsp;&nbsp;indented four\n"
        ">\n"
        "> After a blank line\\\n"
        "> \\- a dash"
    )


def test_markdown_optional_sections_only_when_given(bank: Bank, full: Assessment) -> None:
    plain = md(bank, full)
    assert "Disputed" not in plain and "Trend" not in plain
    given = md(bank, full, disputes=DISPUTES, trend=TREND)
    disputes = table_after(given, "## Disputed questions")
    assert disputes == [
        ["Question", "Spread", "Answers"],
        ["Runbook (runbook)", "100%", "Ana Lima: In place and evidenced · Bo Chen: Not in place"],
    ]
    trend = table_after(given, "## Trend across milestones")
    assert trend == [
        [
            "Section",
            "kick-off",
            "mid-pilot",
            "go-live review",
            "now",
            "Trend",
            "Change since go-live review",
        ],
        ["Built for the demo, not for production", "0", "50", "100", "n/a", "▁▅█·", "n/a"],
    ]


def test_sparkline_uses_the_fixed_scale(bank: Bank, full: Assessment) -> None:
    labels = tuple(str(n) for n in range(9))
    points = (0.0, 12.4, 12.5, 37.5, 62.5, 87.4, 87.5, 99.9, 100.0)
    trend = (TrendRow("demo", "Demo", labels, points),)
    header, row = table_after(md(bank, full, trend=trend), "## Trend across milestones")[:2]
    assert row[header.index("Trend")] == "▁▁▂▄▆▇███"


def test_markdown_when_nothing_is_answered(bank: Bank) -> None:
    text = md(bank, assess(bank, {}))
    tables(text)
    # Said plainly, and what the gate sees; no level described as what the system does.
    assert "**Not assessed yet**: no question is answered" in text
    assert "it counts as *Demo* (RED), headline score 0/100" in text
    assert not any(level.description in text for level in bank.levels)
    assert "None: nobody answered \u201cdon't know\u201d." in text
    assert "does not have" not in text and "participant" not in text
    appendix = text.split("## Appendix: every answer", 1)[1]
    assert appendix.count(" | Unanswered |") == len(all_question_ids(bank))


def test_markdown_when_everything_is_met(bank: Bank) -> None:
    answers = {qid: Answer(choice="met") for qid in all_question_ids(bank)}
    text = md(bank, assess(bank, answers))
    assert "**Production ready** (GREEN)." in text
    assert "Nothing to fix: every applicable question is fully met." in text
    assert "None: every critical question is fully met or does not apply." in text
    assert "held back" not in text


def test_held_back_by_blockers_is_said(bank: Bank) -> None:
    answers = {qid: Answer(choice="met") for qid in all_question_ids(bank)}
    answers["error-rate-monitored"] = Answer(choice="partly")
    assessment = assess(bank, answers)
    assert score(bank, assessment).capped
    held = "held back by 1 blocker; the score alone reaches Production ready"
    assert f"**Production candidate** (AMBER), {held}." in md(bank, assessment)
    assert "Production candidate</strong>" in page(bank, assessment)
    assert held in page(bank, assessment)
    assert "| Production candidate |" in md(bank, assessment)  # what the blocker holds it at


@pytest.mark.parametrize(
    ("generated", "shown"),
    [
        (datetime(2026, 2, 3, 4, 5, tzinfo=UTC), "2026-02-03 04:05 UTC"),
        (datetime(2026, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=2))), "04:05 UTC+02:00"),
        (datetime(2026, 2, 3, 4, 5), "2026-02-03 04:05\n"),
    ],
)
def test_generated_time(bank: Bank, generated: datetime, shown: str) -> None:
    assessment = assess(bank, {})
    assert shown in markdown_report(bank, assessment, generated=generated)
    assert shown.strip() in html_report(bank, assessment, generated=generated)


def test_trend_rows_must_agree(bank: Bank, full: Assessment) -> None:
    with pytest.raises(ValueError, match="2 points for 1 labels"):
        TrendRow("demo", "Demo", ("now",), (1.0, 2.0))
    mixed = (
        TrendRow("demo", "Demo", ("a", "now"), (1.0, 2.0)),
        TrendRow("operations", "Ops", ("b", "now"), (1.0, 2.0)),
    )
    with pytest.raises(ValueError, match="other milestone labels"):
        md(bank, full, trend=mixed)
    with pytest.raises(ValueError, match="other milestone labels"):
        page(bank, full, trend=mixed)


# ---------------------------------------------------------------------------- HTML


def test_html_is_one_well_formed_offline_page(bank: Bank, full: Assessment) -> None:
    document = page(bank, full, disputes=DISPUTES, trend=TREND)
    parser = parse_html(document)
    assert_offline_and_scriptless(document, parser)
    assert document.startswith("<!doctype html>\n")
    assert '<meta charset="utf-8">' in document
    assert "default-src 'none'" in document
    assert parser.tags["style"] == 1
    assert "@media print" in document
    assert "page-break-inside: avoid" in document


def test_html_chart_has_one_bar_per_section(bank: Bank, full: Assessment) -> None:
    parser = parse_html(page(bank, full))
    card = score(bank, full)
    assert parser.tags["svg"] == 1
    assert len(parser.rects) == len(bank.sections)
    for rect, section in zip(parser.rects, card.sections, strict=True):
        assert rect["class"] == f"bar bar-{section.status}"
        assert float(rect["width"]) == pytest.approx(380 * (section.score or 0) / 100, abs=0.1)
        # The score and status are written beside the bar, so it reads without colour.
        assert f"{section.score:.0f} {section.status.upper()}" in parser.svg_text
        assert section.label in parser.svg_text


def test_html_carries_everything(bank: Bank, full: Assessment) -> None:
    document = page(bank, full)
    text = "".join(parse_html(document).text)
    card = score(bank, full)
    for section in bank.sections:
        assert section.title in text
    for blocker in card.blockers:
        assert blocker.title in text and blocker.reason in text
    for item in action_plan(bank, full):
        assert item.title in text and item.fix in text
    for expected in (
        "Claims AI",
        "Dee Ng",
        "2026-02-03 04:05 UTC",
        card.level_title,
        "Drafted with the sponsor.\nSign-off is booked for March.",
        "Ask the ops team.",
        "We wrote one in May.",
        "From the old bank.",
        "retired-question",
        "Fixed-price contract",
        "Ana Lima",
        "Cara Diaz",
        "2026-05-02",
        "From bo.toml; 1 answer.",
    ):
        assert expected in text
    headings = re.findall(r"<h2>(.*?)</h2>", document)
    assert headings == [
        "Verdict",
        "Sections",
        "Blockers",
        "Unknowns (\u201cdon't know\u201d answers)",
        "Action plan",
        "Appendix: every answer",
        "Appendix: the votes on each question",
        "Appendix: each participant's own answers",
    ]


def test_html_hostile_text_is_escaped(hostile: tuple[Bank, Assessment]) -> None:
    evil, assessment = hostile
    document = page(evil, assessment, disputes=HOSTILE_DISPUTES, trend=HOSTILE_TREND)
    parser = parse_html(document)
    assert_offline_and_scriptless(document, parser)
    assert "<img" not in document and "onerror=" not in document.replace("onerror=alert", "")
    assert parser.tags["svg"] == 1 and len(parser.rects) == len(evil.sections)
    # The parsed text holds the hostile strings exactly: escaped, shown, not run.
    text = "".join(parser.text)
    assert HOSTILE in text
    assert HOSTILE_LINES in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert f"<title>Readiness report: {HOSTILE.replace('<', '&lt;').replace('>', '&gt;')}" in (
        document
    )


def test_html_optional_sections_only_when_given(bank: Bank, full: Assessment) -> None:
    plain = page(bank, full)
    assert "Disputed" not in plain and "Trend" not in plain
    given = page(bank, full, disputes=DISPUTES, trend=TREND)
    text = "".join(parse_html(given).text)
    assert "Disputed questions" in text and "Trend across milestones" in text
    assert "Ana Lima: In place and evidenced" in text
    assert "go-live review" in text and "▁▅█·" in text


def test_html_when_nothing_is_answered(bank: Bank) -> None:
    document = page(bank, assess(bank, {}))
    parser = parse_html(document)
    assert len(parser.rects) == len(bank.sections)
    assert all(float(rect["width"]) == 0 for rect in parser.rects)
    assert "participant" not in document


# ---------------------------------------------------------------------------- many participants


def many_participants(bank: Bank, count: int) -> Iterator[tuple[str, Participant]]:
    """COUNT people, each answering every question, with notes and owners."""
    scale = ["met", "partly", "not-met", "unknown"]
    ids = all_question_ids(bank)
    for person in range(count):
        answers = {
            qid: Answer(
                choice=scale[(person + number) % len(scale)],
                notes=f"Person {person} on {qid}.\nSecond line.",
                owner=f"Owner {person}",
                due=date(2026, 1 + person % 12, 1),
            )
            for number, qid in enumerate(ids)
        }
        yield (
            f"p{person}",
            Participant(name=f"Person {person}", source=f"p{person}.toml", answers=answers),
        )


def test_reports_of_a_hundred_participants(bank: Bank, full: Assessment) -> None:
    assessment = with_participants(full, dict(many_participants(bank, 100)))
    questions = len(all_question_ids(bank))
    text = md(bank, assessment, disputes=DISPUTES, trend=TREND)
    found = tables(text)
    participant_tables = found[-100:]
    assert all(len(table) == 1 + questions for table in participant_tables)
    document = page(bank, assessment, disputes=DISPUTES, trend=TREND)
    parser = parse_html(document)
    assert parser.tags["svg"] == 1
    for person in (0, 57, 99):
        assert f"### Person {person}\n" in text
        assert f"<h3>Person {person}</h3>" in document
        assert f"Person {person} on runbook.\nSecond line." in document
        assert f"> Person {person} on runbook.\\\n> Second line." in text


# ---------------------------------------------------------------------------- report_rows


def test_report_rows_from_a_merge_and_milestones(bank: Bank) -> None:
    def person(name: str, answers: dict[str, Answer]) -> MergeInput:
        assessment = with_meta(assess(bank, answers), now=NOW, respondent=name)
        return MergeInput(f"{name.lower()}.toml", assessment)

    merged = merge(
        bank,
        [
            person("Ana", {"runbook": Answer(choice="met"), "on-call": Answer(choice="partly")}),
            person("Bo", {"runbook": Answer(choice="not-met")}),
            person("Cy", {"runbook": Answer(choice="unknown"), "on-call": Answer(choice="met")}),
        ],
        now=NOW,
    )
    assert report_rows(bank, merged)[1] == (), "no milestone, no trend"
    merged = add_milestone(merged, "Workshop 1", now=NOW)
    merged = with_answer(merged, "success-criteria-agreed", Answer(choice="met"), now=NOW)
    disputes, trend = report_rows(bank, merged)
    assert disputes == (
        DisputeRow(
            "runbook",
            "Runbook",
            (("Ana", "In place and evidenced"), ("Bo", "Not in place"), ("Cy", "Don't know")),
            1.0,
        ),
        DisputeRow(
            "on-call",
            "On-call process",
            (
                ("Ana", "Partly in place"),
                ("Bo", "No answer"),
                ("Cy", "In place and evidenced"),
            ),
            0.5,
        ),
    )
    assert [row.section for row in trend] == [section.id for section in bank.sections]
    assert all(row.labels == ("Workshop 1", "now") for row in trend)
    demo = trend[0]
    assert demo.points[0] is not None and demo.points[1] is not None
    assert demo.points[1] > demo.points[0]
    text = md(bank, merged, disputes=disputes, trend=trend)
    assert "| Section | Workshop 1 | now | Trend | Change since Workshop 1 |" in text
    assert "Bo: No answer" in text
    parse_html(page(bank, merged, disputes=disputes, trend=trend))


def test_the_votes_on_each_question_are_counted_with_their_spread(bank: Bank) -> None:
    # A workshop: three people voted on the first question, two on the runbook (one of them a
    # choice an older bank offered), nobody on anything else.
    team = assess(bank, {"success-criteria-agreed": Answer(choice="partly")})
    votes = {
        "ana": ("Ana", {"success-criteria-agreed": "met", "runbook": "unknown"}),
        "bo": ("Bo", {"success-criteria-agreed": "not-met", "runbook": "retired-choice"}),
        "cy": ("Cy", {"success-criteria-agreed": "met"}),
        "dee": ("Dee", {}),
    }
    people = {
        pid: Participant(
            name=name,
            source="workshop",
            answers={qid: Answer(choice=choice) for qid, choice in answers.items()},
        )
        for pid, (name, answers) in votes.items()
    }
    assessment = with_participants(team, people)
    rows = table_after(md(bank, assessment), "## Appendix: the votes on each question")
    assert rows[0] == ["Question", "Votes", "Spread", "Team answer"]
    assert len(rows) == 3  # only the questions someone voted on
    criteria, runbook = rows[1], rows[2]
    assert "success-criteria-agreed" in criteria[0]
    # Counts in the bank's order of choices, the spread from fully in place to not at all.
    counted = "In place and evidenced: 2 · Not in place: 1"
    assert criteria[1:] == [counted, "100%", "Partly in place"]
    # "Don't know" alone has a score (0); a choice the bank does not offer is shown as written.
    assert runbook[1:] == ["Don't know: 1 · retired-choice: 1", "0%", "—"]
    document = page(bank, assessment)
    assert "<h2>Appendix: the votes on each question</h2>" in document
    assert "In place and evidenced: 2" in document


def test_no_votes_no_votes_appendix(bank: Bank, full: Assessment) -> None:
    lone = dataclasses.replace(full, participants={})
    assert "the votes on each question" not in md(bank, lone)
    assert "the votes on each question" not in page(bank, lone)


def test_report_rows_of_a_lone_assessment_are_empty(bank: Bank, full: Assessment) -> None:
    lone = dataclasses.replace(full, participants={})
    assert report_rows(bank, lone) == ((), ())


# ------------------------------------------------------------ one document, two formats


def test_both_formats_have_the_same_parts(bank: Bank, full: Assessment) -> None:
    markdown = md(bank, full, disputes=DISPUTES, trend=TREND)
    document = page(bank, full, disputes=DISPUTES, trend=TREND)
    md_parts = re.findall(r"^## (.*)$", markdown, flags=re.MULTILINE)
    html_parts = re.findall(r"<h2>(.*?)</h2>", document)
    assert md_parts == html_parts
    assert len(md_parts) == 10
    md_subparts = re.findall(r"^### (.*)$", markdown, flags=re.MULTILINE)
    assert md_subparts == re.findall(r"<h3>(.*?)</h3>", document)


def test_numbers_align_right_in_both_formats(bank: Bank, full: Assessment) -> None:
    sections = md(bank, full).split("## Sections", 1)[1]
    rule = next(line for line in sections.splitlines() if line.startswith("| ---"))
    # Score, don't know, not applicable, blockers: right; titles, status, "2/7": left.
    assert split_row(rule) == ["---", "---:", "---", "---", "---:", "---:", "---:"]
    document = page(bank, full)
    assert '<th class="num">Score</th><th>Status</th>' in document
    assert re.search(r'<td class="num">\d+</td><td><span class="status', document)


def test_html_notes_column_only_where_someone_wrote_notes(bank: Bank, full: Assessment) -> None:
    document = page(bank, full)
    tables = re.findall(r"<table>.*?</table>", document, flags=re.DOTALL)
    with_notes = [table for table in tables if "<th>Notes</th>" in table]
    assert with_notes, "the fixture has notes"
    assert all('<div class="notes">' in table for table in with_notes)
    assert all('<div class="notes">' not in table for table in tables if table not in with_notes)
