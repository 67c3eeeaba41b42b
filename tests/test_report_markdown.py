"""The Markdown report read by a real CommonMark parser (markdown-it-py), as a renderer reads it.

Whatever people wrote comes back from the parser as the same text: every table keeps its shape,
every heading, sentence, cell and note reads as written, and the only links are the web
addresses people wrote, each pointing at exactly that address. Then the report's wording: a
verdict no answer supports is not stated, a tie is called a tie, a dispute is a real one, and a
participant's "don't know" is not lost in the merge.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_report import (
    GENERATED,
    HOSTILE,
    HOSTILE_DISPUTES,
    HOSTILE_LINES,
    HOSTILE_TREND,
    NOW,
    all_question_ids,
    assess,
    hostile_bank,
    with_participants,
)

from pilot_tui.core.assessment import Answer, Assessment, Participant, with_meta
from pilot_tui.core.bank import Bank
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.core.report import DisputeRow, TrendRow, report_for
from pilot_tui.core.report.build import build_report
from pilot_tui.core.report.document import (
    Cell,
    Document,
    Fields,
    Heading,
    Line,
    Paragraph,
    Table,
)
from pilot_tui.core.report.markdown import render_markdown
from pilot_tui.core.scoring import score

COMMONMARK: Final = MarkdownIt("commonmark").enable("table")
"""CommonMark with GitHub's tables: what every renderer tried reads the same way."""
GFM: Final = MarkdownIt("gfm-like")
"""GitHub-like: tables, strikethrough, and bare addresses linked as GitHub links them."""

ADDRESS: Final = "https://wiki.example/criteria?team=claims&view=full&lang=en#owners"
"""A web address with `&`, a query string and a fragment: the kind that broke."""
BRACKETED: Final = "https://docs.example/runbook_(v2)"
NOT_LINKS: Final = (
    "[x](javascript:alert(1)) javascript:alert(1) <script>alert(1)</script> "
    "[t](/relative) <a href='/elsewhere'>a</a> ![i](/image.png)"
)
"""Text that would be a link, a tag or an image in Markdown or raw HTML, with no web address to
link to: it stays text. (A bare `www.`, `ftp://` or e-mail address is left as written: a GFM
renderer links it to itself, as it would anywhere on GitHub; CommonMark does not.)"""


# ---------------------------------------------------------------------------- reading it back


@dataclass(frozen=True)
class Link:
    href: str
    text: str
    markup: str
    """How it was written: "autolink" for `<https://...>`, "linkify" for a bare address a GFM
    renderer found."""


@dataclass
class Read:
    """The Markdown as the parser read it: its blocks in order, and every link."""

    blocks: list[tuple[object, ...]] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tables: list[tuple[tuple[str, ...], ...]] = field(default_factory=list)
    """Each table's rows (the header first) of cells' text, also among the blocks."""
    aligns: list[list[list[bool]]] = field(default_factory=list)
    """Per table, per row (header first), per cell: whether it is aligned right."""


INLINE_MARKUP: Final = frozenset(
    {"strong_open", "strong_close", "em_open", "em_close", "link_close"}
)


def inline_text(token: Token, read: Read) -> str:
    """The text a reader sees. Anything but text, breaks, emphasis and links (raw HTML, an
    image, code, strikethrough) fails: the report writes none of them."""
    out: list[str] = []
    link: dict[str, str] | None = None
    for child in token.children or []:
        if child.type in ("text", "softbreak", "hardbreak"):
            text = {"softbreak": " ", "hardbreak": "\n"}.get(child.type, child.content)
            out.append(text)
            if link is not None:
                link["text"] += text
        elif child.type == "link_open":
            link = {"href": str(child.attrs["href"]), "text": "", "markup": child.markup}
        elif child.type == "link_close":
            assert link is not None
            read.links.append(Link(**link))
            link = None
        else:
            assert child.type in INLINE_MARKUP, (child.type, child.content, token.content)
    return "".join(out)


def read(markdown: str, parser: MarkdownIt = COMMONMARK) -> Read:
    tokens = parser.parse(markdown)
    found = Read()
    position = 0

    def until(closing: str) -> Iterator[Token]:
        nonlocal position
        while tokens[position].type != closing:
            yield tokens[position]
            position += 1

    while position < len(tokens):
        token = tokens[position]
        position += 1
        if token.type == "heading_open":
            found.blocks.append(
                ("heading", int(token.tag[1]), inline_text(tokens[position], found))
            )
            position += 2
        elif token.type == "paragraph_open":
            found.blocks.append(("paragraph", inline_text(tokens[position], found)))
            position += 2
        elif token.type == "bullet_list_open":
            items = [
                inline_text(t, found) for t in until("bullet_list_close") if t.type == "inline"
            ]
            found.blocks.append(("list", tuple(items)))
        elif token.type == "blockquote_open":
            parts = [inline_text(t, found) for t in until("blockquote_close") if t.type == "inline"]
            found.blocks.append(("quote", "\n\n".join(parts)))
        elif token.type == "table_open":
            rows: list[list[str]] = []
            aligns: list[list[bool]] = []
            for part in until("table_close"):
                if part.type == "tr_open":
                    rows.append([])
                    aligns.append([])
                elif part.type in ("th_open", "td_open"):
                    aligns[-1].append(part.attrs.get("style") == "text-align:right")
                elif part.type == "inline":
                    rows[-1].append(inline_text(part, found))
            found.tables.append(tuple(tuple(row) for row in rows))
            found.blocks.append(("table", found.tables[-1]))
            found.aligns.append(aligns)
        else:
            # Nothing else is written: no code block, no rule, no raw HTML, no ordered list.
            assert token.type.endswith("_close") or token.type == "inline", token.type
    return found


# ---------------------------------------------------------------------------- what it should say


def said(line: Line) -> str:
    """A line as a reader sees it: a question's id in brackets after its title."""
    text = "".join(f" ({span.text})" if span.kind == "id" else span.text for span in line)
    return " ".join(re.split(r"\r\n|\r|\n", text))


def one_line(text: str) -> str:
    return " ".join(part.strip() for part in re.split(r"\r\n|\r|\n", text.strip()))


def cell_text(cell: Cell) -> str:
    """A cell's lines, kept apart without raw HTML."""
    return " · ".join(text for line in cell if (text := said(line).strip()))


def quote_text(note: str) -> str:
    """A note's lines as written, its indent kept (as no-break spaces), blank lines as breaks
    between paragraphs."""
    lines = [line.rstrip() for line in re.split(r"\r\n|\r|\n", note.strip())]
    kept = [
        "\xa0" * (len(line) - len(line.lstrip())) + line.lstrip() if line.strip() else ""
        for line in lines
    ]
    return re.sub(r"\n{2,}", "\n\n", "\n".join(kept))


def expected(document: Document) -> list[tuple[object, ...]]:
    """The blocks a parser must find in the Markdown of DOCUMENT, with the text as written."""

    def fields(block: Fields) -> tuple[object, ...]:
        return ("list", tuple(f"{name}: {one_line(value)}" for name, value in block.pairs))

    blocks: list[tuple[object, ...]] = [
        ("heading", 1, one_line(document.title)),
        fields(document.header),
    ]
    for section in document.sections:
        blocks.append(("heading", 2, one_line(section.title)))
        for block in section.blocks:
            if isinstance(block, Heading):
                blocks.append(("heading", block.level, one_line(block.text)))
            elif isinstance(block, Paragraph):
                blocks.append(("paragraph", said(block.spans).strip()))
            elif isinstance(block, Fields):
                blocks.append(fields(block))
            elif isinstance(block, Table):
                header = tuple(one_line(name) for name in block.header)
                rows = tuple(tuple(cell_text(cell) for cell in row) for row in block.rows)
                blocks.append(("table", (header, *rows)))
                for note in block.notes:
                    blocks.append(("paragraph", f"Notes on {one_line(note.title)}:"))
                    blocks.append(("quote", quote_text(note.text)))
    return blocks


def tables_of(document: Document) -> list[Table]:
    return [
        block
        for section in document.sections
        for block in section.blocks
        if isinstance(block, Table)
    ]


def document(
    bank: Bank,
    assessment: Assessment,
    disputes: Sequence[DisputeRow] = (),
    trend: Sequence[TrendRow] = (),
) -> Document:
    return build_report(bank, assessment, disputes=disputes, trend=trend, generated=GENERATED)


def markdown(bank: Bank, assessment: Assessment) -> str:
    return report_for("md", bank, assessment, generated=GENERATED)


def section_of(text: str, title: str) -> str:
    """The Markdown of one part of the report, from its heading to the next part's."""
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0].strip()


def person(bank: Bank, name: str, answers: dict[str, Answer]) -> MergeInput:
    """One participant's own file, as a merge reads it."""
    own = with_meta(assess(bank, answers), now=NOW, respondent=name)
    return MergeInput(f"{name.lower()}.toml", own)


# ---------------------------------------------------------------------------- fixtures


@pytest.fixture
def hostile(bank: Bank) -> tuple[Bank, Assessment]:
    """Hostile text in the bank and in every field a person types, a participant's too."""
    evil = hostile_bank(bank)
    choices = ["partly", "unknown", "na", "not-met"]
    answers = {
        qid: Answer(
            choice=choices[number % len(choices)],
            notes=HOSTILE_LINES,
            owner=HOSTILE,
            due=date(2026, 6, 1),
            evidence=HOSTILE,
            reason=HOSTILE if choices[number % len(choices)] == "na" else "",
        )
        for number, qid in enumerate(all_question_ids(evil))
    }
    fields = {name: HOSTILE for name in ("title", "team", "facilitator", "stage")}
    assessment = assess(evil, answers, **fields)
    own = {"runbook": Answer(choice="met", notes=HOSTILE_LINES, owner=HOSTILE)}
    return evil, with_participants(
        assessment, {"evil": Participant(name=HOSTILE, source=HOSTILE, answers=own)}
    )


@pytest.fixture
def workshop(bank: Bank) -> Assessment:
    """A merged workshop: addresses and look-alike links in notes and evidence, participants who
    disagree and who do not know, and a milestone."""
    notes = f"Criteria: {ADDRESS} (signed off).\nOld page: {BRACKETED}.\n{NOT_LINKS}"
    ana = person(
        bank,
        "Ana",
        {
            "success-criteria-agreed": Answer(choice="met", notes=notes, evidence=ADDRESS),
            "runbook": Answer(choice="unknown", notes="Ask ops | *then* `decide`"),
            "on-call": Answer(choice="partly", owner="Ana_Lima", due=date(2026, 3, 1)),
        },
    )
    bo = person(
        bank,
        "Bo",
        {
            "success-criteria-agreed": Answer(choice="partly", evidence=f"<{ADDRESS}>"),
            "runbook": Answer(choice="met"),
            "on-call": Answer(choice="met"),
        },
    )
    cy = person(bank, "Cy", {"runbook": Answer(choice="met"), "on-call": Answer(choice="met")})
    return merge(bank, [ana, bo, cy], now=NOW)


# ---------------------------------------------------------------------------- table shape, text


def test_every_table_keeps_its_shape_and_every_text_reads_as_written(
    bank: Bank, workshop: Assessment
) -> None:
    trend = (TrendRow("demo", "Demo", ("Workshop 1", "now"), (40.0, 52.4)),)
    disputes = (DisputeRow("runbook", "Runbook", (("Ana", "Don't know"), ("Bo", "Met")), 1.0),)
    built = document(bank, workshop, disputes=disputes, trend=trend)
    found = read(render_markdown(built))
    assert found.blocks == expected(built)
    assert len(found.tables) == len(tables_of(built)) > 10
    for rows in found.tables:
        assert {len(row) for row in rows} == {len(rows[0])}


def test_hostile_text_comes_back_literal_from_both_parsers(
    hostile: tuple[Bank, Assessment],
) -> None:
    evil, assessment = hostile
    built = document(evil, assessment, disputes=HOSTILE_DISPUTES, trend=HOSTILE_TREND)
    text = render_markdown(built)
    for parser in (COMMONMARK, GFM):
        found = read(text, parser)
        # Pipes, backticks, asterisks, underscores, tildes, dollars, tags, entities and
        # Markdown links all read as the characters written: no cell split, no code, no
        # emphasis, no strikethrough, no HTML, no link (inline_text fails on any other token).
        assert found.blocks == expected(built)
        # The one address in the hostile text (an image's) is a link to itself; nothing else.
        assert {link.href for link in found.links} == {"http://e.example/i.png"}
        assert all(link.text == link.href for link in found.links)
        assert ("quote", HOSTILE_LINES) in found.blocks


def test_a_note_with_markup_reads_as_written(bank: Bank) -> None:
    note = (
        "| a | b |\n`code` **bold** _under_ ~~gone~~ $x$\n<script>alert(1)</script> &amp;\n"
        "[x](javascript:alert(1)) # not a heading\n1. not a list\n> not a quote"
    )
    built = document(bank, assess(bank, {"runbook": Answer(choice="met", notes=note)}))
    found = read(render_markdown(built))
    assert ("quote", note) in found.blocks
    assert found.links == []


# ---------------------------------------------------------------------------- links


def test_addresses_link_to_exactly_what_was_written_and_nothing_else_links(
    bank: Bank, workshop: Assessment
) -> None:
    text = markdown(bank, workshop)
    assert "&amp;" not in text  # escaped for Markdown, never with HTML entities
    for parser in (COMMONMARK, GFM):
        links = read(text, parser).links
        # Written as autolinks, so a renderer that finds bare addresses finds none left over.
        assert {link.markup for link in links} == {"autolink"}
        assert {link.href for link in links} == {ADDRESS, BRACKETED}
        assert all(link.text == link.href for link in links), links
        # In the note, in the evidence cells of the appendix and of Ana's own answers, and
        # Bo's evidence, which wrote the address between <>: each time the same target.
        assert sum(link.href == ADDRESS for link in links) >= 4


def test_an_address_ends_where_its_sentence_goes_on(bank: Bank) -> None:
    cases = {
        f"See {ADDRESS}.": ADDRESS,
        f"({ADDRESS})": ADDRESS,
        f"{BRACKETED}, then": BRACKETED,
        f"[{ADDRESS}]": ADDRESS,
        f"{ADDRESS}|x": ADDRESS,
    }
    for note, href in cases.items():
        built = document(bank, assess(bank, {"runbook": Answer(choice="met", notes=note)}))
        found = read(render_markdown(built))
        assert [link.href for link in found.links] == [href], note
        assert ("quote", note) in found.blocks, note


# ---------------------------------------------------------------------------- numbers


def test_numeric_columns_align_right_and_only_they(bank: Bank, workshop: Assessment) -> None:
    trend = (TrendRow("demo", "Demo", ("Workshop 1", "now"), (40.0, 52.4)),)
    built = document(bank, workshop, trend=trend)
    found = read(render_markdown(built))
    tables = tables_of(built)
    assert any(table.numeric for table in tables)
    for table, aligns in zip(tables, found.aligns, strict=True):
        right = [column in table.numeric for column in range(len(table.header))]
        assert all(row == right for row in aligns), (table.header, aligns)


def test_the_trend_gives_the_change_in_figures(bank: Bank, workshop: Assessment) -> None:
    labels = ("Kick-off", "Workshop 1", "now")
    trend = (
        TrendRow("demo", "Demo", labels, (10.0, 40.0, 52.4)),
        TrendRow("operations", "Operations", labels, (90.0, 70.0, 58.0)),
        TrendRow("integration", "Integration", labels, (None, None, 10.0)),
        TrendRow("security", "Security", labels, (30.0, 30.2, 29.9)),
    )
    found = read(render_markdown(document(bank, workshop, trend=trend)))
    header, *rows = next(
        table for table in found.tables if table[0][:2] == ("Section", *labels[:1])
    )
    # Since the last milestone, as the app and the portfolio count changes.
    assert header[-1] == "Change since Workshop 1"
    # (30.2 and 29.9 show as 30 and 29: scores are rounded down, so the change is -1.)
    assert [row[-1] for row in rows] == ["+12", "-12", "n/a", "-1"]
    for row in rows:
        then, now, change = row[2], row[3], row[-1]
        if then != "n/a" and now != "n/a":
            # The change is the difference of the two figures the reader sees beside it.
            assert int(change) == int(now) - int(then)


# ---------------------------------------------------------------------------- the verdict


def verdict(text: str) -> str:
    return section_of(text, "Verdict")


def test_nothing_answered_is_not_assessed_and_no_level_is_described(bank: Bank) -> None:
    text = verdict(markdown(bank, assess(bank, {})))
    assert text.startswith("**Not assessed yet**: no question is answered")
    # What the gate sees is still said, and why: not hidden, not described as fact.
    assert "counts as *Demo* (RED), headline score 0/100" in text
    assert not any(level.description in text for level in bank.levels)
    assert "weakest" not in text


def test_a_section_nobody_answered_keeps_the_level_from_being_described(bank: Bank) -> None:
    first = next(iter(bank.iter_questions()))[1].id
    card = score(bank, assess(bank, {first: Answer(choice="met")}))
    text = verdict(markdown(bank, assess(bank, {first: Answer(choice="met")})))
    unanswered = card.unanswered_sections
    assert len(unanswered) == len(bank.sections) - 1
    assert f"Not assessed in full: {len(unanswered)} sections have no answer yet" in text
    assert all(section.title in text for section in unanswered)
    assert not any(level.description in text for level in bank.levels)


def test_all_sections_tied_names_none_as_the_weakest(bank: Bank) -> None:
    partly = assess(bank, {qid: Answer(choice="partly") for qid in all_question_ids(bank)})
    card = score(bank, partly)
    assert card.tied and len(card.lowest) == len(bank.sections)
    text = verdict(markdown(bank, partly))
    assert f"all {len(bank.sections)} sections are tied at it, so none is the weakest" in text
    assert "the weakest section," not in text
    assert not any(f"*{section.title}*" in text for section in bank.sections)
    # Every section has answers: the level's description is a finding again.
    level = bank.level(card.level)
    assert level is not None and level.description in text


def test_sections_tied_at_the_lowest_are_named_together(bank: Bank) -> None:
    weaker = {section.id for section in bank.sections[1:3]}
    answers = {
        question.id: Answer(choice="partly" if part.id in weaker else "met")
        for part, question in bank.iter_questions()
    }
    text = verdict(markdown(bank, assess(bank, answers)))
    first, second = (section.title for section in bank.sections[1:3])
    assert f"from the weakest sections, tied: *{first}* and *{second}*;" in text
    # One weaker than the rest: named alone, as before.
    alone = answers | {
        question.id: Answer(choice="met")
        for part, question in bank.iter_questions()
        if part.id == bank.sections[2].id
    }
    assert f"from the weakest section, *{first}*;" in verdict(markdown(bank, assess(bank, alone)))


# ---------------------------------------------------------------------------- disputes, unknowns


def test_only_real_disagreements_are_disputed(bank: Bank) -> None:
    # "Not in place" and "don't know" both score 0: the same score whoever is right.
    same = merge(
        bank,
        [
            person(bank, "Ana", {"runbook": Answer(choice="not-met")}),
            person(bank, "Bo", {"runbook": Answer(choice="unknown")}),
        ],
        now=NOW,
    )
    assert "## Disputed questions" not in markdown(bank, same)
    # Whether a question applies at all is a dispute, though the score scale has no distance
    # for it: a dash, not a 0% that reads as agreement.
    applies = merge(
        bank,
        [
            person(bank, "Ana", {"cost-cap": Answer(choice="na", reason="Fixed price")}),
            person(bank, "Bo", {"cost-cap": Answer(choice="met")}),
            person(bank, "Cy", {"runbook": Answer(choice="met")}),
            person(bank, "Dee", {"runbook": Answer(choice="partly")}),
        ],
        now=NOW,
    )
    part = section_of(markdown(bank, applies), "Disputed questions")
    rows = read(part).tables[0]
    spreads = {row[0]: row[1] for row in rows[1:]}
    assert spreads == {"Runbook (runbook)": "50%", "Cost per request capped (cost-cap)": "—"}
    assert "a dash where some said the question does not apply" in part


def test_a_merged_reports_unknowns_list_each_participants_dont_know(bank: Bank) -> None:
    merged = merge(
        bank,
        [
            person(
                bank,
                "Ana",
                {"runbook": Answer(choice="unknown"), "on-call": Answer(choice="unknown")},
            ),
            person(
                bank, "Bo", {"runbook": Answer(choice="met"), "on-call": Answer(choice="unknown")}
            ),
            person(bank, "Cy", {"runbook": Answer(choice="met")}),
        ],
        now=NOW,
    )
    part = section_of(markdown(bank, merged), "Unknowns (\u201cdon't know\u201d answers)")
    found = read(part)
    rows = found.tables[0]
    assert rows[0] == (
        "Question",
        "Section",
        "Team answer",
        "Said \u201cdon't know\u201d",
        "Owner",
        "Due",
    )
    by_question = {row[0]: (row[2], row[3]) for row in rows[1:]}
    assert by_question == {
        # Outvoted, still a risk: Ana could not vouch for the runbook the others say exists.
        "Runbook (runbook)": ("In place and evidenced", "Ana"),
        "On-call process (on-call)": ("Don't know", "Ana, Bo"),
    }
    lead = found.blocks[0][1]
    assert isinstance(lead, str)
    assert "The team answered \u201cdon't know\u201d to 1 question:" in lead
    assert "Participants answered \u201cdon't know\u201d 3 times" in lead
    assert "nobody answered" not in part


def test_a_lone_assessment_without_unknowns_says_none(bank: Bank) -> None:
    text = markdown(bank, assess(bank, {"runbook": Answer(choice="met")}))
    assert "None: nobody answered \u201cdon't know\u201d." in text
    lone = with_participants(
        assess(bank, {"runbook": Answer(choice="met")}),
        {"ana": Participant(name="Ana", source="ana.toml", answers={})},
    )
    assert "None: nobody answered \u201cdon't know\u201d." in markdown(bank, lone)
