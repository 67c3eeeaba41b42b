"""The HTML report in a real browser: at a desk (1280 px), on a phone (390 px) and on paper.

A realistic report (a four-person workshop with notes, evidence and two milestones) and a hostile
one (a 3,000-character URL, a 500-character word, text that looks like HTML, right-to-left
text, emoji) must never make the page wider than the window nor push text out of its box; the
chart must stay readable on a phone; printed, every note must be on paper and no heading may be
left at the foot of a page.

The browser is the system's Chromium, as in test_workshop_browser.py (skipped without it, a
failure when PILOT_TUI_REQUIRE_BROWSER=1, as in CI); the PDF's text is read with poppler's
`pdftotext`, under the same rule. Screenshots go to $PILOT_TUI_SCREENSHOTS (or the test's own
folder), for a person to look at.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import os
import re
import shutil
import string
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest
from test_report import all_question_ids, assess, parse_html, with_participants
from test_workshop_browser import chromium

from pilot_tui.core.assessment import Answer, Assessment, Participant, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.bank_checks import parse_bank
from pilot_tui.core.milestones import add_milestone
from pilot_tui.core.portfolio import build_portfolio, pilot_row
from pilot_tui.core.render import percent
from pilot_tui.core.report import report_for, report_rows
from pilot_tui.core.report.build import build_report
from pilot_tui.core.report.document import Chart
from pilot_tui.core.report.portfolio import portfolio_html
from pilot_tui.core.scoring import score

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

GENERATED: Final = datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC)
DESK: Final = 1280
PHONE: Final = 390


def unbroken(seed: str, length: int, alphabet: str) -> str:
    """LENGTH characters of ALPHABET without a place to break a line, different for each SEED
    and never repeating a run, so that a part of it found in a PDF's text is of this one."""
    stream = b"".join(
        hashlib.sha256(f"{seed}/{block}".encode()).digest() for block in range(length // 32 + 1)
    )
    return "".join(alphabet[byte % len(alphabet)] for byte in stream[:length])


def long_url(seed: str, length: int = 3000) -> str:
    """A URL of LENGTH characters (3,000: a link with a long token in it, pasted)."""
    start = f"https://wiki.example/claims/{seed}?token="
    return start + unbroken(seed, length - len(start), "0123456789abcdefABCDEF")


def long_word(seed: str, length: int = 500) -> str:
    return unbroken(seed, length, string.ascii_letters)


LONG_WORD: Final = long_word("title")
LOOKS_LIKE_HTML: Final = (
    '<table><tr><td>not a cell</td></tr></table> <b>bold?</b> &amp; <a href="x">'
)
RTL: Final = "הצוות אישר את הקריטריונים — وافق الفريق على المعايير"
EMOJI: Final = "Go-live 🚀 ok 👍🏽 family 👨‍👩‍👧 flags 🇵🇹🇯🇵"


# ---------------------------------------------------------------------------- the reports


def realistic(bank: Bank) -> Assessment:
    """A four-person workshop as it is after its second session: most questions answered, with
    notes, owners, due dates and evidence, two milestones, and each person's own answers."""
    ids = all_question_ids(bank)
    now = datetime(2026, 1, 20, 10, tzinfo=UTC)
    scale = ["met", "partly", "not-met", "unknown", "partly", "met"]
    kickoff = {qid: Answer(choice="not-met") for qid in ids[::3]}
    assessment = assess(
        bank, kickoff, team="Claims AI", facilitator="Dee Ng", stage="pilot, month 3"
    )
    assessment = add_milestone(assessment, "Kick-off", now=now - timedelta(days=30))
    for number, qid in enumerate(ids[::2]):
        assessment = with_answer(
            assessment, qid, Answer(choice=scale[number % len(scale)]), now=now
        )
    assessment = add_milestone(assessment, "Workshop 1", now=now - timedelta(days=10))
    for number, qid in enumerate(ids):
        if number % 7 == 6:
            continue  # left for the next session
        choice = scale[(number * 5) % len(scale)]
        notes = (
            f"Discussed in the second workshop. The team agreed on {choice} after looking at "
            f"the pilot's last two weeks of traffic; see item {number} of the minutes."
        )
        if number % 2:
            notes += "\nFollow-up booked with the platform team."
        assessment = with_answer(
            assessment,
            qid,
            Answer(
                choice=choice,
                notes=notes if number % 3 != 2 else "",
                owner=["Ana Lima", "Bo Chen", "Cara Diaz", "Dee Ng"][number % 4]
                if choice != "met"
                else "",
                due=date(2026, 2 + number % 5, 1 + number % 28) if choice != "met" else None,
                evidence=f"https://wiki.example/claims/pilot/{qid}" if choice == "met" else "",
            ),
            now=now,
        )
    people = {}
    for person, name in enumerate(["Ana Lima", "Bo Chen", "Cara Diaz", "Dee Ng"]):
        answers = {
            qid: Answer(
                choice=scale[(number + person) % len(scale)],
                notes=f"{name.split()[0]}: seen in the pilot's logs, week {number % 6 + 1}."
                if (number + person) % 2
                else "",
            )
            for number, qid in enumerate(ids)
        }
        people[name.lower().replace(" ", "-")] = Participant(
            name=name, source=f"{name.split()[0].lower()}.toml", answers=answers
        )
    return with_participants(assessment, people)


def hostile_bank(bank: Bank) -> Bank:
    """The default bank with a long word in a section's title and label and a question's title:
    a team writes its own bank."""
    data: dict[str, Any] = dataclasses.asdict(bank)
    section = data["sections"][1]
    section["title"] = f"{section['title']} {LONG_WORD[:180]}"
    section["short_title"] = LONG_WORD[:150]
    section["questions"][0]["title"] = f"Named {LONG_WORD[:160]}"
    return parse_bank(data)


def hostile(bank: Bank) -> Assessment:
    """Every field a person types, filled with text that has no place to break, or looks like
    markup, or runs right to left, or is emoji."""

    def evil(seed: str, number: int) -> Answer:
        texts = [long_url(seed), long_word(seed), LOOKS_LIKE_HTML, RTL, EMOJI]
        return Answer(
            choice=["partly", "unknown", "not-met", "na", "met"][number % 5],
            notes=f"{texts[number % len(texts)]}\n{RTL} {EMOJI}",
            owner=long_word(seed, 40 + number) if number % 2 else RTL,
            due=date(2026, 6, 1),
            evidence=long_url(f"{seed}-evidence", 1990) if number % 3 == 0 else EMOJI,
            reason=long_word(f"{seed}-reason") if number % 5 == 3 else "",
        )

    ids = all_question_ids(bank)
    answers = {qid: evil(qid, number) for number, qid in enumerate(ids)}
    assessment = assess(
        bank,
        {},
        title=LONG_WORD[:190],
        team=LONG_WORD,
        facilitator=RTL,
        stage=LOOKS_LIKE_HTML,
    )
    assessment = add_milestone(assessment, LONG_WORD[:200], now=GENERATED - timedelta(days=3))
    for qid, answer in answers.items():
        assessment = with_answer(assessment, qid, answer, now=GENERATED - timedelta(days=1))
    people = {
        "long": Participant(
            name=LONG_WORD[:200],
            source=long_url("source", 1990),
            answers={qid: evil(f"long-{qid}", number) for number, qid in enumerate(ids[:6])},
        ),
        "rtl": Participant(
            name=RTL,
            source=EMOJI,
            answers={qid: Answer(choice="met", notes=LOOKS_LIKE_HTML) for qid in ids[3:9]},
        ),
    }
    return with_participants(assessment, people)


def render(bank: Bank, assessment: Assessment) -> str:
    return report_for("html", bank, assessment, generated=GENERATED)


def notes_of(assessment: Assessment) -> list[str]:
    """Every note and piece of evidence in the assessment: the team's and each person's."""
    answers = [*assessment.answers.values()]
    for person in assessment.participants.values():
        answers += person.answers.values()
    return [text for answer in answers for text in (answer.notes, answer.evidence) if text]


def reports(bank: Bank) -> dict[str, tuple[Bank, Assessment]]:
    evil = hostile_bank(bank)
    return {"realistic": (bank, realistic(bank)), "hostile": (evil, hostile(evil))}


def portfolio_page(bank: Bank) -> str:
    """The portfolio page (the reports' renderer and style) of both pilots, and a file set
    aside with a long path."""
    found = [
        pilot_row(bank, "claims", "claims.toml", realistic(bank)),
        pilot_row(bank, "evil", "evil.toml", hostile(bank)),
    ]
    unreadable = [(long_url("path", 400), LONG_WORD)]
    return portfolio_html(build_portfolio(bank, found, unreadable, now=GENERATED))


def page_of(bank: Bank, kind: str) -> str:
    if kind == "portfolio":
        return portfolio_page(bank)
    return render(*reports(bank)[kind])


# ------------------------------------------------------- the chart's content (no browser)


def chart_of(bank: Bank, assessment: Assessment) -> Chart:
    disputes, trend = report_rows(bank, assessment)
    document = build_report(bank, assessment, disputes=disputes, trend=trend, generated=GENERATED)
    return next(
        block for part in document.sections for block in part.blocks if isinstance(block, Chart)
    )


def test_the_chart_names_its_scale_levels_statuses_weakest_and_changes(bank: Bank) -> None:
    assessment = realistic(bank)
    card = score(bank, assessment)
    chart = chart_of(bank, assessment)
    lowest = min(s.score for s in card.sections if s.score is not None)
    assert [bar.weakest for bar in chart.bars] == [s.score == lowest for s in card.sections]
    assert sum(bar.weakest for bar in chart.bars) == 1
    # The change since the latest milestone, between the figures shown (rounded down), as the
    # trend table has it.
    assert chart.since == "Workshop 1"
    _, trend = report_rows(bank, assessment)
    then = {row.section: row.points[-2] for row in trend}
    assert [bar.change for bar in chart.bars] == [
        int(percent(s.score or 0)) - int(percent(then[s.id] or 0)) for s in card.sections
    ]
    parsed = parse_html(render(bank, assessment))
    words = parsed.svg_text
    # The scale, and each level's name and threshold beside its line.
    assert [text for text in words if text.isdigit()] == ["0", "20", "40", "60", "80", "100"]
    for level in bank.levels[1:]:
        assert f"{level.title} {level.min:g}" in words
    for bar, section in zip(chart.bars, card.sections, strict=True):
        # Colour and word: the status is written, not only painted.
        assert f"{percent(section.score)} {section.status.upper()}" in words
        assert bar.change is not None
        points = "point" if abs(bar.change) == 1 else "points"
        assert f"{bar.change:+d} {points} since Workshop 1" in words
    assert words.count("Weakest section") == 1
    outlines = [rect["stroke-width"] for rect in parsed.rects]
    assert outlines == ["2.5" if bar.weakest else "0.5" for bar in chart.bars]
    caption = "".join(parsed.text)
    assert "The weakest section is outlined" in caption
    assert "Changes are in points since the milestone Workshop 1." in caption


def test_the_chart_marks_every_section_tied_lowest_and_none_when_all_tie(bank: Bank) -> None:
    ids = {s.id: [q.id for q in s.questions] for s in bank.sections}
    low = {"demo", "security"}
    answers = {
        qid: Answer(choice="not-met" if section in low else "met")
        for section, questions in ids.items()
        for qid in questions
    }
    tied = chart_of(bank, assess(bank, answers))
    assert {bar.label for bar in tied.bars if bar.weakest} == {
        s.label for s in bank.sections if s.id in low
    }
    words = parse_html(render(bank, assess(bank, answers))).svg_text
    assert words.count("Weakest section (tied)") == 2
    # Nothing answered: every section at 0, none weaker than another; and no milestone, so
    # no change is said.
    nothing = chart_of(bank, assess(bank, {}))
    assert not any(bar.weakest for bar in nothing.bars)
    assert nothing.since == "" and all(bar.change is None for bar in nothing.bars)
    document = render(bank, assess(bank, {}))
    drawn = " ".join(parse_html(document).svg_text)
    assert "Weakest" not in drawn and "since" not in drawn
    assert "outlined" not in document and "Changes are" not in document


# ---------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip("playwright.sync_api")
    path = chromium()
    with sync_api.sync_playwright() as playwright:
        launched: Browser = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("PILOT_TUI_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def opened(browser: Browser, document: str, width: int) -> Page:
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.set_content(document)
    return page


# Every box the report draws, outside the chart, whose content is wider than the box: text cut
# off or pushed over its neighbours. Only the scrolling boxes around tables and the chart may
# be wider inside, and only if they really scroll. Inline elements have no box width to check.
OVERFLOWS: Final = """() => {
    const found = [];
    const root = document.documentElement;
    if (root.scrollWidth > window.innerWidth) {
        found.push(`the page: ${root.scrollWidth} px wide in a ${window.innerWidth} px window`);
    }
    const scrolling = (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    for (const el of document.body.querySelectorAll("*")) {
        if (el.closest("svg") || getComputedStyle(el).display === "inline") continue;
        const name = el.tagName.toLowerCase() + (el.className ? "." + el.className : "");
        const what = `${name} "${el.textContent.slice(0, 40)}"`;
        const box = el.getBoundingClientRect();
        if (el.matches(".table-scroll, .chart-scroll")) {
            if (el.scrollWidth > el.clientWidth + 1 && !scrolling(el)) {
                found.push(`${what}: wider inside and does not scroll`);
            }
        } else if (el.scrollWidth > el.clientWidth + 1) {
            found.push(`${what}: content ${el.scrollWidth} px in a ${el.clientWidth} px box`);
        }
        const inside = el.parentElement.closest(".table-scroll, .chart-scroll");
        if (!inside && box.right > window.innerWidth + 1) {
            found.push(`${what}: ends at ${box.right} px, past the window`);
        }
    }
    for (const table of document.querySelectorAll("table")) {
        if (!table.parentElement.matches(".table-scroll")) {
            found.push(`a table outside a scrolling box: "${table.textContent.slice(0, 40)}"`);
        }
    }
    return found;
}"""

# The chart's text as the reader sees it: its size on screen in pixels, and its box.
CHART_TEXT: Final = """() => {
    const svg = document.querySelector("svg.chart");
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll("text")].map((text) => {
        const box = text.getBoundingClientRect();
        return {
            text: text.textContent,
            px: parseFloat(getComputedStyle(text).fontSize) * scale,
            box: [box.left, box.top, box.right, box.bottom],
        };
    });
}"""


@pytest.mark.parametrize("width", [DESK, PHONE])
@pytest.mark.parametrize("kind", ["realistic", "hostile", "portfolio"])
def test_nothing_is_wider_than_its_box(
    bank: Bank, browser: Browser, shots: Path, kind: str, width: int
) -> None:
    page = opened(browser, page_of(bank, kind), width)
    try:
        assert page.evaluate(OVERFLOWS) == []
        # The whole page, but for the hostile one's top: it is 90,000 px long at a desk, and
        # taking all of it would take seconds.
        whole = kind != "hostile"
        page.screenshot(path=str(shots / f"report-{kind}-{width}.png"), full_page=whole)
    finally:
        page.close()


@pytest.mark.parametrize("width", [DESK, PHONE])
def test_tables_on_a_phone_scroll_in_their_own_box(
    bank: Bank, browser: Browser, width: int
) -> None:
    """Where a table does not fit, its box scrolls and its words stay whole, rather than the
    columns being squeezed until every word breaks letter by letter."""
    page = opened(browser, render(*reports(bank)["realistic"]), width)
    try:
        widths = page.evaluate(
            """() => [...document.querySelectorAll(".table-scroll")].map(
                (box) => [box.scrollWidth, box.clientWidth])"""
        )
        # The header words of every table: each fits on a line of its own cell (a line may
        # break after a hyphen).
        split = page.evaluate(
            """() => [...document.querySelectorAll("th")].flatMap((th) => {
                const range = document.createRange();
                range.selectNodeContents(th);
                const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
                const words = th.textContent.trim().split(/[\\s-]+/).length;
                return lines.size > words ? [th.textContent] : [];
            })"""
        )
    finally:
        page.close()
    assert split == []
    scrolled = [inside for inside, box in widths if inside > box + 1]
    if width == PHONE:
        assert scrolled, "the action plan's eight columns cannot fit 390 px without scrolling"
    else:
        assert scrolled == []


@pytest.mark.parametrize("width", [DESK, PHONE])
@pytest.mark.parametrize("kind", ["realistic", "hostile"])
def test_the_chart_stays_readable(bank: Bank, browser: Browser, kind: str, width: int) -> None:
    page = opened(browser, render(*reports(bank)[kind]), width)
    try:
        texts: list[dict[str, Any]] = page.evaluate(CHART_TEXT)
    finally:
        page.close()
    assert texts
    small = [(text["text"], round(text["px"], 1)) for text in texts if text["px"] < 10.5]
    assert small == [], "chart text under 10.5 px on screen"
    # No two pieces of text in the chart overlap (level names, scale, labels, statuses).
    boxes = [(text["text"], text["box"]) for text in texts]
    overlapping = [
        (first, second)
        for number, (first, a) in enumerate(boxes)
        for second, b in boxes[number + 1 :]
        if a[0] < b[2] - 0.5 and b[0] < a[2] - 0.5 and a[1] < b[3] - 0.5 and b[1] < a[3] - 0.5
    ]
    assert overlapping == []


# ---------------------------------------------------------------------------- on paper


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("PILOT_TUI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"no {tool}: install Debian's poppler-utils package")
    pytest.skip(f"no {tool} to read the printed report (apt install poppler-utils)")


@dataclass(frozen=True)
class Printed:
    """A report printed to PDF as Chromium prints it (A4, its print style)."""

    pdf: Path
    pages: list[str]
    """Each page's text as poppler reads it in the order it was drawn (-raw): a table cell's
    lines together, in the page's order."""
    fill: list[float]
    """How far down each page its text reaches, from 0 (empty) to 1 (its bottom margin)."""


MARGIN: Final = 14 / 25.4 * 72
"""The page's top and bottom margins in points, as report.css sets them (@page)."""


def printed(browser: Browser, document: str, pdf: Path) -> Printed:
    reader = poppler("pdftotext")
    page = browser.new_page()
    try:
        page.set_content(document)
        page.pdf(path=str(pdf), format="A4")
    finally:
        page.close()

    def read(*options: str) -> str:
        command = [reader, *options, "-enc", "UTF-8", str(pdf), "-"]
        return subprocess.run(command, capture_output=True, check=True, text=True).stdout

    pages = read("-raw").split("\f")[:-1]  # every page ends with a form feed
    fill = []
    for box in read("-bbox").split("<page ")[1:]:
        found = re.search(r'height="([\d.]+)"', box)
        assert found is not None
        height = float(found[1])
        lowest = max((float(y) for y in re.findall(r'yMax="([\d.]+)"', box)), default=MARGIN)
        fill.append((lowest - MARGIN) / (height - 2 * MARGIN))
    assert len(fill) == len(pages)
    return Printed(pdf, pages, fill)


def squeezed(text: str) -> str:
    """TEXT as it can be found in a PDF's text: compatibility forms folded (ligatures), no
    white space, since a long string is broken across lines wherever it reaches the edge, and
    no invisible formatting characters (poppler marks right-to-left runs with them; emoji are
    joined by them). A hyphen at a line's end is kept: the browser adds none (it never
    hyphenates here), and poppler's raw order leaves the ones it finds alone."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join(c for c in folded if not c.isspace() and unicodedata.category(c) != "Cf")


@functools.cache
def drawable(char: str) -> bool:
    """Whether a font on this machine has CHAR. One no font has is drawn as an empty box, and
    the PDF's text may then lose it: the machine's lack, not the report's."""
    listing = shutil.which("fc-list")
    if listing is None:
        return True
    fonts = subprocess.run(
        [listing, f":charset={ord(char):x}", "family"], capture_output=True, text=True
    )
    return bool(fonts.stdout.strip())


def pieces(note: str) -> list[str]:
    """The parts of NOTE to look for on paper, each squeezed. Words written left to right stay
    together, in order; any other word (right to left, or only punctuation or emoji) is a
    piece of its own, since a PDF holds such runs in the order they are shown, not written."""
    found: list[str] = []
    run = ""
    for word in note.split():
        if any(unicodedata.bidirectional(char) == "L" for char in word):
            run += word
            continue
        found += [run] if run else []
        run = ""
        found.append("".join(char for char in word if drawable(char)))
    found += [run] if run else []
    return [squeezed(piece) for piece in found if squeezed(piece)]


@pytest.mark.parametrize("kind", ["realistic", "hostile"])
def test_every_note_is_on_paper(bank: Bank, browser: Browser, tmp_path: Path, kind: str) -> None:
    chosen, assessment = reports(bank)[kind]
    paper = printed(browser, render(chosen, assessment), tmp_path / f"{kind}.pdf")
    pages = [squeezed(text) for text in paper.pages]
    notes = notes_of(assessment)
    assert len(notes) > 20
    missing = [piece[:60] for note in notes for piece in pieces(note) if not on_pages(piece, pages)]
    assert missing == []


def on_pages(piece: str, pages: list[str]) -> bool:
    """Whether PIECE is on one page, or begins on one and goes on over the next ones: a table
    row taller than a page is continued on the next, where its other cells' text (and the
    table's header, repeated) come between the two parts of a cell."""
    if piece in "".join(pages):
        return True
    for first in (number for number, text in enumerate(pages) if piece[:24] in text):
        rest = piece
        for text in pages[first:]:
            # The longest start of what is left that this page has (a binary search: every
            # start of a start it has, it has too).
            low, high = 0, len(rest)
            while low < high:
                middle = (low + high + 1) // 2
                low, high = (middle, high) if rest[:middle] in text else (low, middle - 1)
            if low == 0:
                break
            rest = rest[low:]
            if not rest:
                return True
    return False


# The headings, and each sentence that introduces a table or the chart, with the text of what
# follows each: in the PDF the two must be on one page.
LEADS: Final = """() => [...document.querySelectorAll("h1, h2, h3, p")]
    .filter((el) => el.nextElementSibling
        && (!el.matches("p") || el.nextElementSibling.matches(".table-scroll, figure")))
    .map((el) => [el.textContent, el.nextElementSibling.textContent])"""


def test_print_keeps_headings_with_what_follows_and_fills_its_pages(
    bank: Bank, browser: Browser, tmp_path: Path, shots: Path
) -> None:
    document = render(*reports(bank)["realistic"])
    paper = printed(browser, document, tmp_path / "realistic.pdf")
    page = opened(browser, document, DESK)
    try:
        leads: list[list[str]] = page.evaluate(LEADS)
    finally:
        page.close()
    assert len(leads) > 20
    whole = squeezed("".join(paper.pages))
    # Where each page ends in the text of the whole document.
    ends = list(itertools.accumulate(len(squeezed(text)) for text in paper.pages))[:-1]
    stranded = []
    page_starts = set()
    for lead, following in leads:
        # The lead and the start of what follows it: a heading's title alone may also be a
        # cell of a table (a section's title), the two together are found once.
        key = squeezed(lead) + squeezed(following)[:30]
        start = whole.find(key)
        assert start >= 0 and whole.find(key, start + 1) < 0, lead
        end = start + len(squeezed(lead))
        # A page that ends inside the lead, or right after it, left it behind.
        stranded += [lead for boundary in ends if start < boundary <= end]
        page_starts.add(start)
    assert stranded == []
    # Long tables break between rows, so no page is left part empty for a table to start on
    # the next (keeping each table whole left 12 of 17 pages of a workshop's appendix half
    # empty); only a heading, moved over with what follows, may leave a page short.
    short = [
        (number, round(fill, 2))
        for number, (fill, boundary) in enumerate(zip(paper.fill, ends, strict=False), start=1)
        if fill < 0.6 and boundary not in page_starts
    ]
    assert short == []
    command = [poppler("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "3", str(paper.pdf)]
    subprocess.run([*command, str(shots / "report-print-page")], check=True)
