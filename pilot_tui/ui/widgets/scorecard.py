"""The readiness scorecard, drawn from the core's Scorecard: every number comes from the core.

Text from banks and files is added as plain text, never parsed as markup, so a title such as
"[red]" shows as written.

Speed: the card is a few parts of fixed height, and an answer redraws only the parts whose
numbers it moved, without a new layout, so the new card is on screen in the same frame as the
key that changed it. Lists (the sections on the card, the section list) are one widget each:
every widget costs start-up time and a share of each redraw.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from pilot_tui.core.render import bar, percent, plural, weakest_words
from pilot_tui.core.scoring import Scorecard, SectionScore, Status
from pilot_tui.ui.session import NO_EXTRAS, CardExtras
from pilot_tui.ui.status import STATUS_LABEL, STATUS_STYLE

LEVEL_STYLE = "bold $text-accent"
BAR_WIDTH = 12
MAX_BLOCKERS = 6
BLOCKER_WIDTH = 32

Parts = list[str | tuple[str, str]]


def extra_lines(extras: CardExtras) -> int:
    """How many lines the headline adds for disputes and changes since a milestone."""
    return bool(extras.disputed) + bool(extras.since)


TREND_POINTS = 4
"""The most recent points a section's trend shows in the panel."""


def headline_content(card: Scorecard, extras: CardExtras = NO_EXTRAS) -> Content:
    parts: Parts = [("Readiness  ", "dim"), (card.level_title.upper(), LEVEL_STYLE)]
    if card.answered == 0:
        parts.append((" (nothing answered yet)", "dim"))
    elif card.capped:
        parts.append((" (held back by blockers)", "$text-warning"))
    parts += [
        "\n",
        ("Score ", "dim"),
        (percent(card.score), "bold"),
        ("/100", "dim"),
        ("  average ", "dim"),
        percent(card.average),
        "\n",
        ("Weakest ", "dim"),
        # Tied sections are each in bold in the list below: the panel has no room for names.
        weakest_words(card, short=True),
        "\n",
        f"{card.answered}/{card.total} answered",
        ("  ·  ", "dim"),
        (f"{card.unknown} don't know", "$text-warning" if card.unknown else ""),
    ]
    # Each extra has a line of its own, so that nothing is cut at the panel's width.
    if extras.disputed:
        parts += ["\n", (plural(extras.disputed, "disputed question"), "bold $text-warning")]
    if extras.since:
        label = extras.since if len(extras.since) <= 16 else extras.since[:15] + "…"
        parts += [
            "\n",
            ("since ", "dim"),
            label,
            (f"  +{extras.improved}", "$text-success"),
            (f" -{extras.regressed}", "$text-error" if extras.regressed else "dim"),
        ]
    return Content.assemble(*parts)


def section_content(
    section: SectionScore, *, weakest: bool, label_width: int, trend: str = ""
) -> Content:
    style = STATUS_STYLE[section.status]
    parts: Parts = [
        ("▌", style),
        (f"{section.label:<{label_width}}", "bold" if weakest else ""),
        f" {percent(section.score):>3} ",
        (f"{STATUS_LABEL[section.status]:<5}", style),
        (f" {trend[-TREND_POINTS:]}" if trend else "", "$text-accent"),
        "\n ",
        (bar(section.score, BAR_WIDTH), style),
        (f" {section.answered}/{section.total}", "dim"),
    ]
    if section.unknown:
        parts += [" ", (f"{section.unknown}?", "$text-warning")]
    if section.blockers:
        parts += [" ", (plural(section.blockers, "blocker"), "$text-error")]
    return Content.assemble(*parts)


def blockers_content(card: Scorecard) -> Content:
    parts: Parts = [(plural(len(card.blockers), "blocker").capitalize(), "bold")]
    if not card.blockers and card.waived:
        parts.append((" standing", "$text-warning"))  # not "none": some are waived
    elif not card.blockers:
        parts.append((": none", "$text-success"))
    # The waived line takes a blocker's place: the list keeps its fixed height.
    room = MAX_BLOCKERS - (1 if card.waived else 0)
    for blocker in card.blockers[:room]:
        # One line each, so the list keeps its fixed height.
        title = blocker.title
        if len(title) > BLOCKER_WIDTH:
            title = title[: BLOCKER_WIDTH - 1] + "…"
        parts += ["\n", ("• ", "$text-error"), title]
    if len(card.blockers) > room:
        parts += ["\n", (f"  and {len(card.blockers) - room} more", "dim")]
    if card.waived:
        # Never hidden: a waived blocker is shown as one, with the summary saying until when.
        waived = f"+ {len(card.waived)} waived: s says until when"
        parts += ["\n", (waived, "$text-warning")]
    return Content.assemble(*parts)


def summary_line(card: Scorecard, extras: CardExtras = NO_EXTRAS) -> Content:
    """For narrow terminals: level, headline and weakest section; coverage and risks."""
    # Two lines (the widget's fixed height): where the pilot stands, then what is left to do.
    weakest = card.weakest_section
    parts: Parts = [(card.level_title.upper(), LEVEL_STYLE), f" {percent(card.score)}/100"]
    if weakest is not None:
        words = weakest_words(card, short=True)
        parts += [("  weakest ", "dim"), (words, STATUS_STYLE[weakest.status])]
    # What stands in the way first, coverage last: on a narrow line the end may be cut, and
    # the disputes must not be what is lost.
    risks: list[tuple[str, str]] = []
    if card.blockers:
        risks.append((plural(len(card.blockers), "blocker"), "$text-error"))
    if card.waived:
        risks.append((f"{len(card.waived)} waived", "$text-warning"))
    if extras.disputed:
        risks.append((f"{extras.disputed} disputed", "$text-warning"))
    if card.unknown:
        risks.append((f"{card.unknown} don't know", "$text-warning"))
    risks.append((f"{card.answered}/{card.total} answered", ""))
    parts.append("\n")
    for number, risk in enumerate(risks):
        parts += [(" · ", "dim")] if number else []
        parts.append(risk)
    return Content.assemble(*parts)


class _Part(Static):
    """One piece of the card, redrawn only when what it shows has changed."""

    def __init__(
        self, content: Content, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(content, id=id, classes=classes)
        self._shown = content.plain, content.spans

    @property
    def plain(self) -> str:
        return self._shown[0]

    def show(self, content: Content) -> None:
        key = content.plain, content.spans
        if key != self._shown:
            self._shown = key
            # Every part has a fixed height (set by the stylesheet): a new layout would redraw
            # the whole screen, which is what made a keystroke miss its frame.
            self.update(content, layout=False)


class ScorecardPanel(VerticalScroll):
    """The live scorecard beside the interview."""

    def __init__(
        self, card: Scorecard, extras: CardExtras = NO_EXTRAS, *, id: str | None = None
    ) -> None:
        super().__init__(id=id)
        self._card = card
        self._extras = extras
        self._label_width = max(len(s.label) for s in card.sections)

    def _mark_extras(self) -> None:
        # Only the first milestone changes this (and so the layout), not an answer.
        lines = extra_lines(self._extras)
        for count in (1, 2):
            self.set_class(lines == count, f"-extras-{count}")

    def _sections(self) -> list[Content]:
        trends = dict(self._extras.trends)
        return [
            section_content(
                section,
                weakest=section.id in self._card.lowest,
                label_width=self._label_width,
                trend=trends.get(section.id, ""),
            )
            for section in self._card.sections
        ]

    def compose(self) -> ComposeResult:
        self._mark_extras()
        # A part for each section, not one for all: an answer moves one or two of them, and
        # redrawing lines is what a keystroke's frame spends its time on.
        self._parts = [
            _Part(headline_content(self._card, self._extras), classes="card-headline"),
            *(_Part(content, classes="card-section") for content in self._sections()),
            _Part(blockers_content(self._card), classes="card-blockers"),
        ]
        yield from self._parts

    def show(self, card: Scorecard, extras: CardExtras = NO_EXTRAS) -> None:
        self._card = card
        self._extras = extras
        self._mark_extras()
        contents = [headline_content(card, extras), *self._sections(), blockers_content(card)]
        for part, content in zip(self._parts, contents, strict=True):
            part.show(content)

    @property
    def text(self) -> str:
        return "\n".join(part.plain for part in self._parts)


class SummaryLine(_Part):
    """The scorecard in two lines, for terminals too narrow for the panel."""

    def show_card(self, card: Scorecard, extras: CardExtras = NO_EXTRAS) -> None:
        self.show(summary_line(card, extras))


class SectionList(Widget):
    """The root causes with their progress, the current one highlighted; a click jumps to one.

    Each section takes two lines (its title, then its progress), with a blank line between
    sections where there is room (the wide layout).
    """

    class Picked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, card: Scorecard, current: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._card = card
        self.current = current
        self._hovered: int | None = None

    @property
    def _gap(self) -> int:
        return 0 if self.screen.has_class("-narrow") else 1

    def render(self) -> Content:
        # The wide layout insets the text by a column; a highlight spans the whole width.
        inset = " " * self._gap
        width = self.size.width
        lines: list[Content] = []
        for index, section in enumerate(self._card.sections):
            if index and self._gap:
                lines.append(Content(""))
            style = (
                "on $primary 30%"
                if index == self.current
                else "on $boost"
                if index == self._hovered
                else ""
            )
            for line in section_item_content(index, section).split("\n"):
                line = (inset + line).extend_right(max(0, width - len(inset) - line.cell_length))
                lines.append(line.stylize(style) if style else line)
        return Content("\n").join(lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        count = len(self._card.sections)
        return 2 * count + self._gap * (count - 1)

    def show(self, card: Scorecard, current: int) -> None:
        # Redrawn only when what it shows changed: the list spans the screen's height, so a
        # redraw of it would redraw everything beside it too.
        if _shown(card) != _shown(self._card) or current != self.current:
            self._card = card
            self.current = current
            self.refresh()

    def _index_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index, line = divmod(offset.y, 2 + self._gap)
        return index if line < 2 and index < len(self._card.sections) else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        hovered = self._index_at(event)
        if hovered != self._hovered:
            self._hovered = hovered
            self.refresh()

    def on_leave(self) -> None:
        if self._hovered is not None:
            self._hovered = None
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        index = self._index_at(event)
        if index is not None:
            self.post_message(self.Picked(index))


def _shown(card: Scorecard) -> list[tuple[str, int, int, Status]]:
    """What the section list shows of a card."""
    return [(s.label, s.answered, s.total, s.status) for s in card.sections]


def section_item_content(index: int, section: SectionScore) -> Content:
    style = STATUS_STYLE[section.status]
    return Content.assemble(
        (f"{index + 1} ", "dim"),
        section.label,
        "\n  ",
        (f"{section.answered}/{section.total} answered", "dim"),
        (f" {STATUS_LABEL[section.status]}", style),
    )
