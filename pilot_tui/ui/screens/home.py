"""Home: the assessments in the data folder, and what can be done with them.

The dialogs, the merge and the scoring's words are imported where they are first needed: the
list's first frame should not wait for them (the worker reading the list loads the scoring).
"""

from __future__ import annotations

import glob
import os
import shlex
import time
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from pilot_tui.collector import settle_collection
from pilot_tui.core.assessment import Assessment, now_utc
from pilot_tui.core.text import printable
from pilot_tui.store import BACKUP_DIR, Listed, Store, load_assessment_file
from pilot_tui.store.files import StoreError, shown
from pilot_tui.ui import keys
from pilot_tui.ui.commands import HomeCommands
from pilot_tui.ui.messages import (
    ExportAssessment,
    HighlightAssessment,
    ListShown,
    NewAssessment,
    OpenAssessment,
)
from pilot_tui.ui.status import STATUS_LABEL, STATUS_STYLE
from pilot_tui.ui.widgets.footer import Footer
from pilot_tui.ui.widgets.row_list import PADDING, Cell, Column, RowList
from pilot_tui.ui.widgets.steady_text import SteadyText

if TYPE_CHECKING:
    from pilot_tui.core.portfolio import Glance

HOME_TITLE: Final = "pilot-tui · is your AI pilot ready for production?"
NOT_ASSESSED: Final = "not assessed"
"""The level column of a pilot with nothing answered."""
WIDE_PREVIEW: Final = 150
"""From this many columns, the highlighted pilot's scorecard shows beside the list."""
PREVIEW_WIDTH: Final = 48
PREVIEW_ACTIONS: Final = 3
DETAIL_SLACK: Final = 12
"""Cells a line may lose to wrapping between words, in the two lines under the list."""
SCROLLBAR: Final = 2
"""Columns the list's scrollbar takes (Textual's usual)."""
MIN_TITLE: Final = 24
"""Columns a title is given before the team, the update time and the trend give way."""
PROGRESS_EVERY: Final = 0.25
"""Seconds between two showings of a folder still being read."""
FILTER_PAUSE: Final = 0.15
"""Seconds of no typing in the filter before the list follows."""
PREVIEW_PAUSE: Final = 0.15
"""Seconds the highlight stays on a row before the preview draws that pilot's scorecard: longer
than a person takes between two presses of a key when going down a list (drawn between them,
the scorecard held up the next row's highlight by a frame), as for the filter."""
SORTS: Final = (
    "updated",
    "level",
    "title",
    "team",
    "blockers",
    "answered",
    "trend",
)
"""The orders `s` goes through, then each root cause (a click on a column's heading sorts by that
column)."""
EMPTY_STATE = (
    "No assessments here yet.\n\n"
    "Press n to start one: give it a title, then answer one question at a time.\n"
    "Press i to import a TOML file a colleague sent you.\n\n"
    "Every answer is saved as you go, to {folder}"
)


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#assessments"
    # The highlighted pilot's scorecard beside the list, where there is room for both.
    HORIZONTAL_BREAKPOINTS = [(0, "-list-only"), (WIDE_PREVIEW, "-wide-preview")]
    COMMANDS = {HomeCommands}
    BINDINGS = keys.HOME

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.entries: list[Listed] = []
        """What the folder holds, in the order the table shows (only those the filter keeps)."""
        self._all: list[Listed] = []
        self._sort = "updated"
        self._descending = True
        self._filter = ""
        self._filter_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._wanted: str | None = None
        """The assessment to highlight when the list next shows it (see reload)."""
        self._resumed = False
        self._progress = ""
        """How far the reading of the folder is, while it is read ("" once it is)."""
        self._chosen = False
        """Whether the highlighted row was chosen (by the user, or as the one to show), rather
        than being the top row of a list just shown."""
        self._placing = False
        self._has_entries: bool | None = None
        """Whether the folder holds any file; None until it has been read."""

    def compose(self) -> ComposeResult:
        yield Static(HOME_TITLE, id="home-title")
        yield Input(placeholder="Filter: words of a title, team or level", id="home-filter")
        with Horizontal(id="home-body"):
            yield RowList(self._show_detail, id="assessments")
            with Vertical(id="preview-pane"):
                yield Static(id="preview")
        yield SteadyText(id="detail")
        yield Static(id="empty-state")
        yield Footer()

    def on_mount(self) -> None:
        # Read once the first frame is on screen: a worker reading a thousand files meanwhile
        # would take turns with drawing it, and hold it up.
        self._set_detail(Content.styled("Reading the assessments…", "dim"))
        self.call_after_refresh(self._load_entries)
        # The cells are coloured in the theme's colours: another theme, the list in its own.
        self.app.theme_changed_signal.subscribe(self, self._on_theme_changed)

    def _on_theme_changed(self, theme: Theme) -> None:
        if self._all:
            self._show_rows()

    def on_screen_resume(self) -> None:
        # Back from a dialog or an interview (the same row stays highlighted): the list is read
        # afresh. Not when first shown, just after mounting started the reading: reading a
        # thousand files twice at start-up would double the wait.
        if not self._resumed:
            self._resumed = True
            return
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the list again; SELECT: the assessment to highlight once it is shown (kept until
        a list that has it is shown, whichever read shows it: a dialog's closing and its
        callback each ask for a read, in either order)."""
        if select is not None:
            self._wanted = select
        # Said in words, not with the table's animated loading indicator: its sixty frames a
        # second would take turns with the worker reading the files, and slow it down.
        if not self._all:
            self._set_detail(Content.styled("Reading the assessments…", "dim"))
        self._load_entries()

    def on_highlight_assessment(self, message: HighlightAssessment) -> None:
        self.reload(select=message.name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-list")
    def _load_entries(self) -> None:
        # Reading every file is I/O, and a new file is validated and scored: off the UI thread.
        # Shown as it comes when that takes a while (a first run validates every file).
        worker = get_current_worker()
        listed: list[Listed] = []
        try:
            total, reading = self.store.read_listing()
            shown_at = time.monotonic()
            for entry in reading:
                if worker.is_cancelled:
                    return  # a newer reading replaced this one
                listed.append(entry)
                if time.monotonic() - shown_at >= PROGRESS_EVERY:
                    self.app.call_from_thread(self._show_entries, list(listed), total)
                    shown_at = time.monotonic()
        except Exception as error:  # any failure is shown in the list's place; the app goes on
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show_failure, error)
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_entries, listed)

    def _show_failure(self, error: Exception) -> None:
        """The list could not be read (the data folder is a file, say): said where it would be."""
        expected = isinstance(error, StoreError)
        words = str(error) if expected else f"unexpected {type(error).__name__}: {error}"
        self._show_entries([])
        self.query_one("#empty-state", Static).update(
            Content.assemble(
                ("The assessments cannot be listed: ", "bold $text-error"),
                printable(_one_line(words)),
            )
        )
        self.notify(f"Cannot list the assessments: {words}", severity="error", timeout=10)

    def _show_entries(self, listed: list[Listed], total: int | None = None) -> None:
        """Show LISTED: the whole folder, or the first of its TOTAL files while the others are
        being read."""
        self._all = listed
        self._progress = "" if total is None else f"reading: {len(listed)} of {total}…"
        self._show_rows()
        if total is not None:
            return  # the rest is said once the whole folder is read
        empty = not listed
        self.set_class(empty, "-empty")
        self.query_one("#empty-state", Static).update(
            Content(EMPTY_STATE.format(folder=self.store.root)) if empty else ""
        )
        # Open, delete and export depend on there being entries (check_action).
        # Made again only when they come or go (a footer takes a tenth of a second to make).
        shown = self._has_entries is not False
        self._has_entries = bool(listed)
        if shown != self._has_entries:
            self.refresh_bindings()
        self.post_message(ListShown())

    def _sorted(self) -> list[Listed]:
        """The entries the filter keeps, in the chosen order; unreadable files last, always."""
        words = self._filter.casefold().split()
        kept = [
            entry for entry in self._all if all(word in self._haystack(entry) for word in words)
        ]
        readable = [entry for entry in kept if entry.glance is not None]
        # By a finding (the level, a root cause, blockers), the pilots not assessed yet have
        # none: after the others, whichever way, as unreadable files are after all.
        unassessed: list[Listed] = []
        if self._sort in ("level", "blockers") or self._sort.startswith("section:"):
            unassessed = [entry for entry in readable if not _assessed(entry)]
            readable = [entry for entry in readable if _assessed(entry)]
        readable.sort(key=self._sort_key, reverse=self._descending)
        return readable + unassessed + [entry for entry in kept if entry.glance is None]

    @staticmethod
    def _haystack(entry: Listed) -> str:
        glance = entry.glance
        if glance is None:
            return f"{entry.name} unreadable".casefold()
        meta = glance.meta
        return f"{meta.title} {meta.team} {glance.level_title} {entry.name}".casefold()

    def _sort_key(self, entry: Listed) -> tuple[Any, ...]:
        glance = entry.glance
        assert glance is not None  # only readable entries are sorted (see _sorted)
        key: Any
        if self._sort == "title":
            key = glance.meta.title.casefold()
        elif self._sort == "team":
            key = glance.meta.team.casefold()
        elif self._sort == "level":
            key = (self._level_rank.get(glance.level, 0), glance.score)
        elif self._sort == "blockers":
            key = glance.blockers
        elif self._sort == "answered":
            key = glance.coverage
        elif self._sort == "trend":
            key = glance.since_milestone if glance.since_milestone is not None else float("-inf")
        elif self._sort.startswith("section:"):
            scored = {section.id: section.score for section in glance.sections}
            value = scored.get(self._sort.removeprefix("section:"))
            key = -1.0 if value is None else value
        else:
            key = glance.meta.updated.timestamp()
        return (key, entry.name)

    @property
    def _level_rank(self) -> dict[str, int]:
        return {level.id: number for number, level in enumerate(self.store.bank.levels)}

    def _columns(self) -> list[tuple[str, str]]:
        """(key, heading) of each column for the terminal's width: the level and the root
        causes always; the team, the update time and a wider title as room allows."""
        width = self.app.size.width
        sections = self.store.bank.sections
        wide = width >= 120
        columns = [("title", "Title")]
        if wide:
            columns.append(("team", "Team"))
        columns.append(("level", "Level"))
        # Numbered: five root causes' names do not fit; the line under the list names them.
        columns += [
            (f"section:{section.id}", str(number)) for number, section in enumerate(sections, 1)
        ]
        columns += [("blockers", "Blk"), ("answered", "Done")]
        if width >= 90:
            columns.append(("trend", "Trend"))  # narrower, the line under the list says it
        if wide:
            columns.append(("updated", "Updated"))
        return columns

    def _show_rows(self) -> None:
        table = self.query_one("#assessments", RowList)
        highlighted = self._selected()
        # The row the user chose stays highlighted; until they choose one, the top row is (the
        # list may fill in as it is read, each time in the order chosen).
        chosen = highlighted.name if highlighted is not None and self._chosen else None
        current = self._wanted or chosen
        self.entries = self._sorted()
        columns = self._columns()
        glances = [entry.glance for entry in self._all if entry.glance is not None]
        arrow = " ▼" if self._descending else " ▲"
        headings = {
            key: heading + arrow if key == self._sort else heading for key, heading in columns
        }
        # The order in words on the top line too: it may be a column this width leaves out.
        self.query_one("#home-title", Static).update(
            Content.assemble(
                HOME_TITLE,
                ("  ·  ", "dim"),
                (f"sorted by {self._sort_name()}{arrow}", "not bold"),
                (f"  ·  {self._progress}" if self._progress else "", "not bold"),
            ),
            layout=False,
        )
        # Each column as wide as its widest cell or heading (and the order's arrow, whichever
        # column has it) over the whole folder, so that a filter or a sort never moves them.
        widths = {
            key: max(len(heading) + len(arrow), _content_width(key, glances))
            for key, heading in columns
            if key != "title"
        }
        unreadable = [entry for entry in self._all if entry.glance is None]
        if unreadable:
            widths["level"] = max(widths["level"], len("unreadable"))
        # The title gets what the other columns leave (each cell is padded on both sides), in
        # the list's width less its scrollbar. Where that is too little, the columns that
        # matter least give way, so that no row needs scrolling sideways.
        longest = max(
            [cell_len(glance.meta.title) for glance in glances]
            + [cell_len(f"⚠ {printable(entry.name)}.toml") for entry in unreadable],
            default=0,
        )
        room = self.app.size.width - SCROLLBAR - self._preview_width()

        def left_for_title() -> int:
            return room - sum(width + 2 * PADDING for width in widths.values()) - 2 * PADDING

        for optional in ("team", "updated", "trend"):
            if left_for_title() >= min(MIN_TITLE, longest):
                break
            if optional in widths:
                del widths[optional]
                columns = [column for column in columns if column[0] != optional]
        title_width = max(12, left_for_title())
        widths["title"] = max(len("Title") + len(arrow), min(title_width, max(longest, 14)))
        keys = [key for key, _ in columns]
        styles = _Styles(self.app.theme_variables)
        entries = self.entries
        names = [entry.name for entry in entries]
        cursor = names.index(current) if current in names else 0
        if current is not None and current == self._wanted and current in names:
            self._wanted = None
        # Moving the cursor there tells _show_detail (see RowList), not as the user's choice.
        self._placing = True
        table.show(
            [Column(key, headings[key], widths[key]) for key in keys],
            len(entries),
            lambda row: self._cells(entries[row], keys, widths["title"], styles),
            cursor,
        )
        self._placing = False
        self._chosen = current is not None and current in names
        # A new list is not a key held down it: its preview at once.
        self._show_preview()
        # What was made to show the list lives as long as it: the collector need not walk it
        # again and again (see pilot_tui/collector.py).
        settle_collection()

    def _cells(
        self, entry: Listed, keys: list[str], title_width: int, styles: _Styles
    ) -> list[Cell]:
        glance = entry.glance
        if glance is None:
            error = styles.of("text-error")
            return [Cell(_clip(f"⚠ {printable(entry.name)}.toml", title_width), error)] + [
                Cell("unreadable", error) if key == "level" else Cell("") for key in keys[1:]
            ]
        return [self._cell(glance, key, title_width, styles) for key in keys]

    def _cell(self, glance: Glance, key: str, title_width: int, styles: _Styles) -> Cell:
        from pilot_tui.core.render import percent

        meta = glance.meta
        if key == "title":
            return Cell(_clip(meta.title, title_width))
        if key == "team":
            return Cell(_clip(meta.team, 16))
        if key == "level":
            if not glance.answered:
                # The rules' floor, not a finding: said so, as `list` and `score` say it.
                return Cell(NOT_ASSESSED, styles.dim)
            # The verdict: never cut, and its status in words as well as colour.
            return Cell(glance.level_title, styles.of(STATUS_STYLE[glance.status]))
        if not glance.answered and (key.startswith("section:") or key == "blockers"):
            return Cell("")  # nothing found yet: no score, no count, rather than zeros
        if key.startswith("section:"):
            wanted = key.removeprefix("section:")
            section = next((s for s in glance.sections if s.id == wanted), None)
            if section is None or section.score is None:
                return Cell("  -", styles.dim)  # nothing in it applies
            # A letter beside the score: R, A or G, never colour alone.
            return Cell(
                f"{percent(section.score):>3}{section.status[0].upper()}",
                styles.of(STATUS_STYLE[section.status]),
            )
        if key == "blockers":
            return Cell(f"{glance.blockers:>3}")
        if key == "answered":
            return Cell(f"{percent(glance.coverage * 100):>3}%")
        if key == "trend":
            return Cell(_trend(glance))
        return Cell(meta.updated.astimezone().strftime("%Y-%m-%d"))

    def _preview_width(self) -> int:
        return PREVIEW_WIDTH if self.app.size.width >= WIDE_PREVIEW else 0

    def _show_detail(self) -> None:
        """Under the table, what the highlighted row is: its file, or why it cannot be read;
        beside it on a wide terminal, its scorecard and what to fix first (once the keys
        pause: a key held down the list draws the line, not a whole scorecard, per row)."""
        entry = self._selected()
        if not self._placing:
            self._chosen = True
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_PAUSE, self._show_preview)
        if entry is None and self._all and self._filter.strip():
            self._set_detail(
                Content.assemble(
                    (f"Nothing matches {printable(self._filter.strip())!r}", "bold"),
                    (" (words of a title, team or level; Escape clears the filter).", "dim"),
                )
            )
        elif entry is None:
            self._set_detail("")
        elif entry.glance is None:
            self._set_detail(
                Content.assemble(
                    (f"{shown(entry.path.name)} cannot be read: ", "bold $text-error"),
                    printable(entry.error or "").rstrip("."),
                    (". It is left exactly as it is; fix or move the file.", "dim"),
                )
            )
        else:
            glance = entry.glance
            meta = glance.meta
            facts = [meta.title]
            facts += [f"team {meta.team}"] if meta.team else []
            facts += [f"updated {meta.updated.astimezone().strftime('%Y-%m-%d %H:%M')}"]
            if glance.milestone is not None:
                facts += [
                    f"score {round(glance.since_milestone or 0):+d} since {glance.milestone} "
                    f"({glance.improved} answers better, {glance.regressed} worse)"
                ]
            facts += [shown(entry.path)]
            facts += [f"facilitator {meta.facilitator}"] if meta.facilitator else []
            facts += [f"stage {meta.stage}"] if meta.stage else []
            legend = "  ".join(
                f"{number} {section.label}"
                for number, section in enumerate(self.store.bank.sections, 1)
            )
            # Two lines at most for the facts (a long team or path, a milestone), so that the
            # legend of the numbered columns always has its own two below them.
            room = 2 * (self.app.size.width - 2) - DETAIL_SLACK
            self._set_detail(
                Content.assemble(
                    (_clip("  ·  ".join(facts), room), "dim"),
                    "\n",
                    (f"Root causes: {legend}", "dim"),
                )
            )

    def _set_detail(self, content: Content | str) -> None:
        # Each key down the list changes this line (SteadyText: no layout per key).
        self.query_one("#detail", SteadyText).show(content)

    def _show_preview(self) -> None:
        from pilot_tui.core.render import bar, percent, plural

        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        preview = self.query_one("#preview", Static)
        if not self.query_one("#preview-pane").display:
            return  # too narrow for it: nothing to draw
        entry = self._selected()
        glance = entry.glance if entry is not None else None
        if glance is None:
            preview.update("", layout=False)
            return
        standing = (
            Content.styled("Not assessed yet: nothing answered", "bold")
            if not glance.answered
            else Content.assemble(
                (glance.level_title, f"bold {STATUS_STYLE[glance.status]}"),
                f"  {STATUS_LABEL[glance.status]}  ·  {plural(glance.blockers, 'blocker')}",
            )
        )
        # Two lines at most: a long title must not push the scorecard out of the pane.
        title = _clip(glance.meta.title, 2 * (PREVIEW_WIDTH - 3) - DETAIL_SLACK)
        lines = [Content.styled(title, "bold"), standing, Content("")]
        labels = {section.id: section.label for section in self.store.bank.sections}
        if not glance.answered:
            # Every root cause at 0 would read as a finding: there is none yet.
            lines.append(Content("Its root causes show once questions are answered."))
        for section in glance.sections if glance.answered else ():
            label = f"{_clip(labels.get(section.id, section.id), 22):<22}"
            if section.score is None:
                lines.append(Content(f"{label} not applicable"))
                continue
            lines.append(
                Content.assemble(
                    f"{label} ",
                    (bar(section.score, 10), STATUS_STYLE[section.status]),
                    f" {percent(section.score):>3} {STATUS_LABEL[section.status]}",
                )
            )
        if glance.first_actions:
            lines += [Content(""), Content.styled("Fix first", "bold")]
            lines += [
                Content(f"{number}. {'BLOCKER ' if blocker else ''}{action}")
                for number, (blocker, action) in enumerate(glance.first_actions, 1)
            ]
        # A box of its own size: a new text never changes the layout around it.
        preview.update(Content("\n").join(lines), layout=False)

    def _selected(self) -> Listed | None:
        table = self.query_one("#assessments", RowList)
        if not self.entries or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def _selected_assessment(self, verb: str) -> tuple[Listed, Assessment] | None:
        """The highlighted entry and its assessment, read afresh (the list holds only what it
        shows); None, having said why, when there is none or it cannot be read."""
        entry = self._selected()
        if entry is None:
            self._say_nothing_to(verb)
            return None
        if entry.glance is None:
            self.notify(
                f"{entry.path.name} cannot be read, so there is nothing to {verb}: {entry.error}",
                severity="error",
                timeout=8,
            )
            return None
        try:
            return entry, self.store.load(entry.name)
        except StoreError as error:
            # Changed or gone since the list was read: said, and the list read again.
            self.notify(f"Cannot {verb} it: {_one_line(error)}", severity="error", timeout=8)
            self.reload()
            return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.focused, Input):
            return False  # typing into the filter: its keys are letters, Enter and Escape
        if action in {"open", "rename", "duplicate", "delete", "export", "filter", "sort"}:
            # Shown while the folder is being read too (most folders hold assessments): the
            # footer is then made once, not again when the list arrives.
            return self._has_entries is not False
        return True

    # ------------------------------------------------------------------ order and filter

    def action_sort(self) -> None:
        orders = [*SORTS, *(f"section:{section.id}" for section in self.store.bank.sections)]
        at = orders.index(self._sort) if self._sort in orders else -1
        self._sort_by(orders[(at + 1) % len(orders)])

    def action_reverse_sort(self) -> None:
        self._descending = not self._descending
        self._show_rows()

    def _sort_by(self, key: str) -> None:
        # Most first where more is better (or later); A to Z for words.
        self._sort, self._descending = key, key not in ("title", "team")
        self._show_rows()
        self.notify(f"Sorted by {self._sort_name()}.", timeout=2)

    def _sort_name(self) -> str:
        if self._sort.startswith("section:"):
            sections = self.store.bank.sections
            number = next(
                (n for n, s in enumerate(sections, 1) if f"section:{s.id}" == self._sort), 0
            )
            return f"root cause {number}"
        return self._sort

    @on(RowList.HeaderSelected, "#assessments")
    def _header_clicked(self, event: RowList.HeaderSelected) -> None:
        key = event.key
        if key == self._sort:
            self.action_reverse_sort()
        else:
            self._sort_by(key)

    def action_filter(self) -> None:
        field = self.query_one("#home-filter", Input)
        self.add_class("-filtering")
        field.focus()

    @on(Input.Changed, "#home-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        # The list follows once typing pauses: rebuilding a thousand rows after every letter
        # would hold up the letters themselves.
        self._filter = event.value
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(FILTER_PAUSE, self._show_rows)

    @on(Input.Submitted, "#home-filter")
    def _filter_done(self) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
            self._filter_timer = None
        self._show_rows()
        self.query_one("#assessments", RowList).focus()

    def key_escape(self) -> None:
        # Escape in the filter: the whole list again.
        field = self.query_one("#home-filter", Input)
        if self.has_class("-filtering"):
            field.value = ""
            self._filter = ""
            if self._filter_timer is not None:
                self._filter_timer.stop()
                self._filter_timer = None
            self._show_rows()
            self.remove_class("-filtering")
            self.query_one("#assessments", RowList).focus()

    def on_resize(self) -> None:
        # Which columns fit, and how much of each title, depend on the width.
        if self._all:
            self._show_rows()

    # ------------------------------------------------------------------ actions

    def action_new(self) -> None:
        self.post_message(NewAssessment())

    @on(RowList.RowSelected, "#assessments")
    def action_open(self) -> None:
        selected = self._selected_assessment("open")
        if selected is not None:
            entry, assessment = selected
            self.post_message(OpenAssessment(entry.name, entry.path, assessment))

    def action_rename(self) -> None:
        from pilot_tui.ui.screens.dialogs import TextPrompt

        selected = self._selected_assessment("rename")
        if selected is None:
            return
        entry, assessment = selected

        def done(title: str | None) -> None:
            if title is None or title == assessment.meta.title:
                return
            try:
                self.store.retitle(entry.name, assessment, title)
            except (StoreError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=8)
                return
            self.notify(f"Renamed to {title!r}; the file is still {entry.path.name}.", timeout=5)
            self.reload(select=entry.name)

        self.app.push_screen(
            TextPrompt("Rename", label="New title", value=assessment.meta.title, accept="Rename"),
            callback=done,
        )

    def action_duplicate(self) -> None:
        from pilot_tui.ui.screens.dialogs import TextPrompt

        selected = self._selected_assessment("copy")
        if selected is None:
            return
        entry, assessment = selected

        def done(title: str | None) -> None:
            if title is None:
                return
            try:
                name = self.store.duplicate(entry.name, assessment, title)
            except (StoreError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=8)
                return
            self.notify(f"Copied to {title!r} ({name}.toml).", timeout=4)
            self.reload(select=name)

        self.app.push_screen(
            TextPrompt(
                "Duplicate",
                label="Title of the copy",
                value=f"Copy of {assessment.meta.title}"[:200],
                accept="Copy",
            ),
            callback=done,
        )

    def action_delete(self) -> None:
        from pilot_tui.ui.screens.dialogs import Confirm

        entry = self._selected()
        if entry is None:
            self._say_nothing_to("delete")
            return
        store = self.store
        # Named as it is now, not as the list last read it: the file may have changed since.
        label = self._named_now(entry)
        try:
            link = store.deletes_a_link(entry.name)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        if link:
            question = (
                f"Remove the link {printable(entry.path.name)}? The file it points to stays "
                "where it is."
            )
        else:
            question = f"Delete {printable(label)}? A backup copy is kept in "
            question += f"{shown(store.root / BACKUP_DIR)}."

        def done(yes: bool | None) -> None:
            if not yes:
                return
            if self._named_now(entry) != label:
                # Changed while the question was on screen: what was agreed to is gone.
                self.notify(
                    f"{entry.path.name} changed while you were asked; nothing is deleted. "
                    "Press Delete again to delete it as it is now.",
                    severity="warning",
                    timeout=10,
                )
                self.reload()
                return
            try:
                backup = self.store.delete(entry.name)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=8)
                return
            if backup is None:
                self.notify(
                    f"Removed the link {entry.path.name}; the file it pointed to is untouched.",
                    timeout=8,
                )
            else:
                self.notify(f"Deleted. A backup copy is kept at {backup}", timeout=8)
            self.reload()

        self.app.push_screen(
            Confirm("Delete assessment?", question, yes="Delete", no="Keep"),
            callback=done,
        )

    def _named_now(self, entry: Listed) -> str:
        """ENTRY's title as its file holds it now, and the file's name."""
        if entry.glance is not None:
            with suppress(StoreError):  # unreadable now: named by its file alone
                return f"{self.store.load(entry.name).meta.title!r} ({entry.name}.toml)"
        return f"{entry.name}.toml"

    def action_import(self) -> None:
        from pilot_tui.ui.screens.dialogs import TextPrompt

        def done(path: str | None) -> None:
            if path is None:
                return
            try:
                name = self.store.import_file(Path(path).expanduser(), keep_both=True)
            except StoreError as error:
                self.notify(str(error), severity="error", timeout=10)
                return
            self.notify(f"Imported as {name}.toml.", timeout=5)
            self.reload(select=name)

        self.app.push_screen(
            TextPrompt(
                "Import",
                label="Path of the assessment TOML file to import",
                placeholder="~/Downloads/assessment.toml",
                accept="Import",
            ),
            callback=done,
        )

    def action_merge(self) -> None:
        from pilot_tui.core.merge import MergeError
        from pilot_tui.core.render import plural
        from pilot_tui.ui.screens.dialogs import TextPrompt

        def done(text: str | None) -> None:
            if text is None:
                return
            try:
                name, merged, disputed, named = self._merge(text)
            except (StoreError, MergeError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=10)
                return
            self.notify(
                f"Merged {plural(len(merged.participants), 'participant')} into {name}.toml; "
                f"the team disagrees on {plural(disputed, 'question')}.",
                timeout=8,
            )
            if named:
                # Not refused (a person may have typed the title differently), never silent.
                self.notify(
                    f"The files have different titles ({', '.join(named[:4])}): check they "
                    f"are about the same pilot. The merge is titled {merged.meta.title!r} "
                    "(r renames it).",
                    severity="warning",
                    timeout=15,
                )
            self.reload(select=name)

        self.app.push_screen(
            TextPrompt(
                "Merge participants' files",
                label="Files to merge: paths or patterns, separated by spaces",
                placeholder="~/workshop/*.toml",
                accept="Merge",
            ),
            callback=done,
        )

    def _merge(self, text: str) -> tuple[str, Assessment, int, list[str]]:
        """The name the merge of the files TEXT names is stored under, the merge, how many
        questions the team disagrees on, and the different titles the files have."""
        from pilot_tui.core.merge import MergeInput, different_pilots, disagreements, merge

        store = self.store
        paths = _expand_paths(text)
        if len(paths) < 2:
            raise ValueError(f"found {len(paths)} file(s) in {text!r}: a merge needs two or more")
        inputs = [MergeInput(p.name, load_assessment_file(p, store.bank)) for p in paths]
        merged = merge(store.bank, inputs, now=now_utc())
        name = store.create(merged)
        named = different_pilots([item.assessment for item in inputs])
        return name, merged, len(disagreements(store.bank, merged)), named

    def action_export(self) -> None:
        entry = self._selected()
        if entry is not None and entry.glance is None:
            self._selected_assessment("export")  # says why not
        elif entry is not None:
            self.post_message(ExportAssessment(entry.name))
        else:
            self._say_nothing_to("export")

    def _say_nothing_to(self, verb: str) -> None:
        if self._has_entries is None:
            self.notify("The assessments are still being read: a moment.", severity="warning")
        elif self._all:
            self.notify(f"Nothing to {verb}: the filter matches none (Escape clears it).")
        else:
            self.notify(f"Nothing to {verb}: press n to create an assessment.", severity="warning")


def _one_line(error: object) -> str:
    """An error (a validation error from a title typed into a prompt, say) as one line."""
    return " ".join(str(error).split())


def _expand_paths(text: str) -> list[Path]:
    """Paths and shell-style patterns (~ and * included), in a stable order, each once."""
    found: set[Path] = set()
    try:
        words = shlex.split(text)
    except ValueError as error:  # "No closing quotation", say
        raise ValueError(
            f"cannot read the paths: {str(error).lower()} (quotes go around a whole path)"
        ) from None
    for word in words:
        pattern = os.path.expanduser(word)
        matches = glob.glob(pattern) if any(c in pattern for c in "*?[") else [pattern]
        found.update(Path(match) for match in matches)
    return sorted(found)


def _clip(text: str, width: int) -> str:
    """TEXT in at most WIDTH cells of a terminal (a wide character takes two), with "…" where
    it is cut."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width - 1).rstrip(" ") + "…"


def _trend(found: Glance) -> str:
    """The change of the headline score since the last milestone, an arrow and the figure; and
    how many answers regressed (▾), which a steady headline can hide."""
    change = found.since_milestone
    if change is None:
        return ""
    if round(change) > 0:
        shown = f"↑{round(change):+d}"
    elif round(change) < 0:
        shown = f"↓{round(change):+d}"
    else:
        shown = "→0"
    return f"{shown} ▾{found.regressed}" if found.regressed else shown


def _assessed(entry: Listed) -> bool:
    return entry.glance is not None and entry.glance.answered > 0


def _content_width(key: str, glances: list[Glance]) -> int:
    """The widest cell of column KEY among GLANCES."""
    if key == "level":
        widest = max((len(glance.level_title) for glance in glances), default=10)
        unassessed = any(not glance.answered for glance in glances)
        return max(widest, len(NOT_ASSESSED)) if unassessed else widest
    if key == "team":
        return max((min(16, cell_len(glance.meta.team)) for glance in glances), default=0)
    if key == "updated":
        return 10
    if key == "trend":
        return max((len(_trend(glance)) for glance in glances), default=0)
    return 4


class _Styles:
    """The list's cell styles in the theme's colours, each made once per list."""

    def __init__(self, colours: dict[str, str]) -> None:
        self._colours = colours
        self._made: dict[str, Style] = {}
        self.dim = Style(dim=True)

    def of(self, variable: str) -> Style:
        """The style of the theme's colour VARIABLE ("$text-error" or "text-error")."""
        name = variable.removeprefix("$")
        found = self._made.get(name)
        if found is None:
            colour = self._colours.get(name)
            found = self._made[name] = Style(color=colour) if colour else Style()
        return found
