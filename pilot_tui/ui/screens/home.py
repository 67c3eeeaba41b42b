"""Home: the assessments in the data folder, and what can be done with them."""

from __future__ import annotations

import glob
import os
import shlex
from pathlib import Path
from typing import Any, Final

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static
from textual.worker import get_current_worker

from pilot_tui.collector import settle_collection
from pilot_tui.core.assessment import Assessment, now_utc
from pilot_tui.core.merge import MergeError, MergeInput, different_pilots, disagreements, merge
from pilot_tui.core.portfolio import Pilot, pilot_row
from pilot_tui.core.render import bar, percent, plural
from pilot_tui.core.scoring import action_plan
from pilot_tui.core.text import printable
from pilot_tui.store import BACKUP_DIR, Entry, Store, load_assessment_file
from pilot_tui.store.files import StoreError, shown
from pilot_tui.ui import keys
from pilot_tui.ui.commands import HomeCommands
from pilot_tui.ui.messages import (
    ExportAssessment,
    HighlightAssessment,
    NewAssessment,
    OpenAssessment,
)
from pilot_tui.ui.screens.dialogs import Confirm, TextPrompt
from pilot_tui.ui.widgets.row_table import RowTable
from pilot_tui.ui.widgets.scorecard import STATUS_LABEL, STATUS_STYLE
from pilot_tui.ui.widgets.steady_text import SteadyText

HOME_TITLE: Final = "pilot-tui · is your AI pilot ready for production?"
WIDE_PREVIEW: Final = 150
"""From this many columns, the highlighted pilot's scorecard shows beside the list."""
PREVIEW_WIDTH: Final = 48
PREVIEW_ACTIONS: Final = 3
MIN_TITLE: Final = 24
"""Columns a title is given before the team, the update time and the trend give way."""
FILTER_PAUSE: Final = 0.15
"""Seconds of no typing in the filter before the list follows."""
PREVIEW_PAUSE: Final = 0.05
FIRST_ROWS: Final = 60
"""Rows added to the table before its first frame, more than any terminal shows; the rest
follow after that frame. The table measures every cell of the rows added before its next frame
(a thousand rows: a quarter of a second), and draws itself whole again after each batch (a
tenth of a second at 160 columns), so two batches: the first soon, the others at once."""
"""Seconds the highlight stays on a row before the preview draws that pilot's scorecard."""
SORTS: Final = (
    "updated",
    "level",
    "title",
    "team",
    "blockers",
    "answered",
    "trend",
)
"""The orders `o` goes through (a click on a column's heading sorts by that column)."""
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
        self.entries: list[Entry] = []
        """What the folder holds, in the order the table shows (only those the filter keeps)."""
        self._all: list[Entry] = []
        self._pilots: dict[str, Pilot] = {}
        self._sort = "updated"
        self._descending = True
        self._filter = ""
        self._filter_timer: Timer | None = None
        self._preview_timer: Timer | None = None
        self._filling = 0
        self._wanted: str | None = None
        """The assessment to highlight when the list next shows it (see reload)."""
        """Which filling of the table is under way: a newer one stops an older one."""
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield Static(HOME_TITLE, id="home-title")
        yield Input(placeholder="Filter: words of a title, team or level", id="home-filter")
        with Horizontal(id="home-body"):
            yield RowTable(self._show_detail, id="assessments")
            yield Static(id="preview")
        yield SteadyText(id="detail")
        yield Static(id="empty-state")
        yield Footer()

    def on_mount(self) -> None:
        # Read once the first frame is on screen: a worker reading a thousand files meanwhile
        # would take turns with drawing it, and hold it up.
        self._set_detail(Content.styled("Reading the assessments…", "dim"))
        self.call_after_refresh(self._load_entries)

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
        # Reading and validating every file is I/O; it stays off the UI thread.
        try:
            entries = self.store.entries()
            # Scored here too, off the UI thread: a portfolio may hold a thousand pilots.
            pilots = {
                entry.name: pilot_row(
                    self.store.bank,
                    entry.name,
                    str(entry.path),
                    entry.assessment,
                    self.store.standing(entry.path, entry.assessment),
                )
                for entry in entries
                if entry.assessment is not None
            }
        except Exception as error:  # any failure is shown in the list's place; the app goes on
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_failure, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_entries, entries, pilots)

    def _show_failure(self, error: Exception) -> None:
        """The list could not be read (the data folder is a file, say): said where it would be."""
        expected = isinstance(error, StoreError)
        words = str(error) if expected else f"unexpected {type(error).__name__}: {error}"
        self._show_entries([], {})
        self.query_one("#empty-state", Static).update(
            Content.assemble(
                ("The assessments cannot be listed: ", "bold $text-error"),
                printable(_one_line(words)),
            )
        )
        self.notify(f"Cannot list the assessments: {words}", severity="error", timeout=10)

    def _show_entries(self, entries: list[Entry], pilots: dict[str, Pilot]) -> None:
        self._all = entries
        self._pilots = pilots
        self._show_rows()
        empty = not entries
        self.set_class(empty, "-empty")
        self.query_one("#empty-state", Static).update(
            Content(EMPTY_STATE.format(folder=self.store.root)) if empty else ""
        )
        # Open, delete and export depend on there being entries (check_action): the footer
        # shows them once the list has arrived from its worker.
        self.refresh_bindings()

    def _sorted(self) -> list[Entry]:
        """The entries the filter keeps, in the chosen order; unreadable files last, always."""
        words = self._filter.casefold().split()
        kept = [
            entry for entry in self._all if all(word in self._haystack(entry) for word in words)
        ]
        readable = [entry for entry in kept if entry.name in self._pilots]
        readable.sort(key=self._sort_key, reverse=self._descending)
        return readable + [entry for entry in kept if entry.name not in self._pilots]

    def _haystack(self, entry: Entry) -> str:
        found = self._pilots.get(entry.name)
        if found is None:
            return f"{entry.name} unreadable".casefold()
        meta = found.assessment.meta
        return f"{meta.title} {meta.team} {found.card.level_title} {entry.name}".casefold()

    def _sort_key(self, entry: Entry) -> tuple[Any, ...]:
        found = self._pilots[entry.name]
        card = found.card
        key: Any
        if self._sort == "title":
            key = found.assessment.meta.title.casefold()
        elif self._sort == "team":
            key = found.assessment.meta.team.casefold()
        elif self._sort == "level":
            key = (self._level_rank.get(card.level, 0), card.score)
        elif self._sort == "blockers":
            key = len(card.blockers)
        elif self._sort == "answered":
            key = card.coverage
        elif self._sort == "trend":
            key = found.since_milestone if found.since_milestone is not None else float("-inf")
        elif self._sort.startswith("section:"):
            scored = {section.id: section.score for section in card.sections}
            value = scored.get(self._sort.removeprefix("section:"))
            key = -1.0 if value is None else value
        else:
            key = found.assessment.meta.updated.timestamp()
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
        table = self.query_one("#assessments", DataTable)
        highlighted = self._selected()
        current = self._wanted or (highlighted.name if highlighted is not None else None)
        self.entries = self._sorted()
        columns = self._columns()
        table.clear(columns=True)
        # Rich Text cells (see _add_rows): DataTable would read a plain str as markup, and
        # titles are user text.
        # Each column as wide as its widest cell or heading, worked out here once for every row:
        # the table would otherwise widen its columns as the batches of rows arrive.
        pilots = list(self._pilots.values())
        arrow = " ▼" if self._descending else " ▲"
        headings = {
            key: heading + arrow if key == self._sort else heading for key, heading in columns
        }
        # The order in words on the top line too: it may be a column this width leaves out.
        self.query_one("#home-title", Static).update(
            Content.assemble(
                HOME_TITLE, ("  ·  ", "dim"), (f"sorted by {self._sort_name()}{arrow}", "not bold")
            ),
            layout=False,
        )
        widths = {
            key: max(len(headings[key]), self._content_width(key, pilots))
            for key, _ in columns
            if key != "title"
        }
        unreadable = [entry for entry in self.entries if entry.name not in self._pilots]
        if unreadable:
            widths["level"] = max(widths["level"], len("unreadable"))
        # The title gets what the other columns leave (each is padded by 1 a side), and room
        # for its own padding and a scrollbar. Where that is too little, the columns that
        # matter least give way, so that no row needs scrolling sideways.
        longest = max(
            [len(found.assessment.meta.title) for found in pilots]
            + [len(f"⚠ {printable(entry.name)}.toml") for entry in unreadable],
            default=0,
        )
        room = self.app.size.width - 6 - self._preview_width()
        for optional in ("team", "updated", "trend"):
            if room - sum(width + 2 for width in widths.values()) >= min(MIN_TITLE, longest):
                break
            if optional in widths:
                del widths[optional]
                columns = [column for column in columns if column[0] != optional]
        title_width = max(12, room - sum(width + 2 for width in widths.values()))
        widths["title"] = max(len(headings["title"]), min(title_width, max(longest, 14)))
        for key, _ in columns:
            table.add_column(headings[key], key=key, width=widths[key])
        self._filling += 1
        self._add_rows(self._filling, 0, [key for key, _ in columns], title_width, current)
        self._show_detail()
        # A new list is not a key held down it: its preview at once.
        self._show_preview()

    def _add_rows(
        self, filling: int, start: int, columns: list[str], title_width: int, select: str | None
    ) -> None:
        """The rows of self.entries from START on, in two batches (see FIRST_ROWS), so that
        the list shows while a thousand rows are still being added. A newer filling (a sort,
        say) stops this one."""
        if filling != self._filling:
            return
        table = self.query_one("#assessments", DataTable)
        colours = self.app.theme_variables
        error_style = colours.get("text-error", "red")
        end = FIRST_ROWS if start == 0 else len(self.entries)
        for entry in self.entries[start:end]:
            found = self._pilots.get(entry.name)
            if found is None:
                cells = [
                    Text(_clip(f"⚠ {printable(entry.name)}.toml", title_width), style=error_style)
                ]
                cells += [
                    Text("unreadable", style=error_style) if key == "level" else Text("")
                    for key in columns[1:]
                ]
                table.add_row(*cells, key=entry.name)
            else:
                table.add_row(
                    *(self._cell(found, key, title_width, colours) for key in columns),
                    key=entry.name,
                )
        names = [entry.name for entry in self.entries[start:end]]
        if select in names:
            table.move_cursor(row=start + names.index(select))
            select = self._wanted = None
        if end < len(self.entries):
            self.call_after_refresh(self._add_rows, filling, end, columns, title_width, select)
        else:
            # All there: what was made to show them lives as long as the list; the collector
            # need not walk it again and again (see pilot_tui/collector.py).
            settle_collection()

    def _cell(self, found: Pilot, key: str, title_width: int, colours: dict[str, str]) -> Text:
        card = found.card
        meta = found.assessment.meta
        if key == "title":
            return Text(_clip(meta.title, title_width))
        if key == "team":
            return Text(_clip(meta.team, 16))
        if key == "level":
            # The verdict: never cut, and its status in words as well as colour.
            style = colours.get(STATUS_STYLE[card.status].removeprefix("$"), "")
            return Text(card.level_title, style=style)
        if key.startswith("section:"):
            scored = next((s for s in card.sections if s.id == key.removeprefix("section:")), None)
            if scored is None or scored.score is None:
                return Text("  -", style="dim")  # nothing in it applies
            style = colours.get(STATUS_STYLE[scored.status].removeprefix("$"), "")
            # A letter beside the score: R, A or G, never colour alone.
            return Text(f"{percent(scored.score):>3}{scored.status[0].upper()}", style=style)
        if key == "blockers":
            return Text(f"{len(card.blockers):>3}")
        if key == "answered":
            return Text(f"{percent(card.coverage * 100):>3}%")
        if key == "trend":
            return Text(_trend(found))
        return Text(meta.updated.astimezone().strftime("%Y-%m-%d"))

    def _content_width(self, key: str, pilots: list[Pilot]) -> int:
        if key == "level":
            return max((len(found.card.level_title) for found in pilots), default=10)
        if key == "team":
            return max((min(16, len(found.assessment.meta.team)) for found in pilots), default=0)
        if key == "updated":
            return 10
        if key == "trend":
            return max((len(_trend(found)) for found in pilots), default=0)
        return 4

    def _preview_width(self) -> int:
        return PREVIEW_WIDTH if self.app.size.width >= WIDE_PREVIEW else 0

    def _show_detail(self) -> None:
        """Under the table, what the highlighted row is: its file, or why it cannot be read;
        beside it on a wide terminal, its scorecard and what to fix first (once the keys
        pause: a key held down the list draws the line, not a whole scorecard, per row)."""
        entry = self._selected()
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
        elif entry.assessment is None:
            self._set_detail(
                Content.assemble(
                    (f"{shown(entry.path.name)} cannot be read: ", "bold $text-error"),
                    printable(entry.error or "").rstrip("."),
                    (". It is left exactly as it is; fix or move the file.", "dim"),
                )
            )
        else:
            meta = entry.assessment.meta
            facts = [meta.title]
            facts += [f"team {meta.team}"] if meta.team else []
            facts += [f"updated {meta.updated.astimezone().strftime('%Y-%m-%d %H:%M')}"]
            found = self._pilots.get(entry.name)
            if found is not None and found.milestone is not None:
                facts += [
                    f"score {round(found.since_milestone or 0):+d} since {found.milestone} "
                    f"({found.improved} answers better, {found.regressed} worse)"
                ]
            facts += [shown(entry.path)]
            facts += [f"facilitator {meta.facilitator}"] if meta.facilitator else []
            facts += [f"stage {meta.stage}"] if meta.stage else []
            legend = "  ".join(
                f"{number} {section.label}"
                for number, section in enumerate(self.store.bank.sections, 1)
            )
            self._set_detail(
                Content.assemble(
                    ("  ·  ".join(facts), "dim"),
                    "\n",
                    (f"Root causes: {legend}", "dim"),
                )
            )

    def _set_detail(self, content: Content | str) -> None:
        # Each key down the list changes this line (SteadyText: no layout per key).
        self.query_one("#detail", SteadyText).show(content)

    def _show_preview(self) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        preview = self.query_one("#preview", Static)
        if not preview.display:
            return  # too narrow for it: nothing to draw
        entry = self._selected()
        found = self._pilots.get(entry.name) if entry is not None else None
        if found is None:
            preview.update("", layout=False)
            return
        card = found.card
        lines = [
            Content.styled(found.assessment.meta.title, "bold"),
            Content.assemble(
                (card.level_title, f"bold {STATUS_STYLE[card.status]}"),
                f"  {STATUS_LABEL[card.status]}  ·  {len(card.blockers)} blockers",
            ),
            Content(""),
        ]
        for section in card.sections:
            if section.score is None:
                lines.append(Content(f"{_clip(section.label, 22):<22} not applicable"))
                continue
            lines.append(
                Content.assemble(
                    f"{_clip(section.label, 22):<22} ",
                    (bar(section.score, 10), STATUS_STYLE[section.status]),
                    f" {percent(section.score):>3} {STATUS_LABEL[section.status]}",
                )
            )
        plan = action_plan(self.store.bank, found.assessment)[:PREVIEW_ACTIONS]
        if plan:
            lines += [Content(""), Content.styled("Fix first", "bold")]
            lines += [
                Content(f"{number}. {'BLOCKER ' if item.blocker else ''}{item.title}")
                for number, item in enumerate(plan, 1)
            ]
        # A box of its own size: a new text never changes the layout around it.
        preview.update(Content("\n").join(lines), layout=False)

    def _selected(self) -> Entry | None:
        table = self.query_one("#assessments", DataTable)
        if not self.entries or table.cursor_row < 0 or table.cursor_row >= len(self.entries):
            return None
        return self.entries[table.cursor_row]

    def _selected_readable(self, verb: str) -> Entry | None:
        entry = self._selected()
        if entry is None:
            self.notify(f"Nothing to {verb}: press n to create an assessment.", severity="warning")
            return None
        if entry.assessment is None:
            self.notify(
                f"{entry.path.name} cannot be read, so there is nothing to {verb}: {entry.error}",
                severity="error",
                timeout=8,
            )
            return None
        return entry

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in {"open", "rename", "duplicate", "delete", "export"}:
            return bool(self.entries)
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

    @on(DataTable.HeaderSelected, "#assessments")
    def _header_clicked(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
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
        self.query_one("#assessments", DataTable).focus()

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
            self.query_one("#assessments", DataTable).focus()

    def on_resize(self) -> None:
        # Which columns fit, and how much of each title, depend on the width.
        if self._all:
            self._show_rows()

    # ------------------------------------------------------------------ actions

    def action_new(self) -> None:
        self.post_message(NewAssessment())

    @on(DataTable.RowSelected, "#assessments")
    def action_open(self) -> None:
        entry = self._selected_readable("open")
        if entry is not None and entry.assessment is not None:
            self.post_message(OpenAssessment(entry.name, entry.path, entry.assessment))

    def action_rename(self) -> None:
        entry = self._selected_readable("rename")
        if entry is None or entry.assessment is None:
            return
        assessment = entry.assessment

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
        entry = self._selected_readable("copy")
        if entry is None or entry.assessment is None:
            return
        assessment = entry.assessment

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
        entry = self._selected()
        if entry is None:
            return
        store = self.store
        label = entry.assessment.meta.title if entry.assessment else f"{entry.name}.toml"
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
            question = f"Delete {printable(repr(label))}? A backup copy is kept in "
            question += f"{shown(store.root / BACKUP_DIR)}."

        def done(yes: bool | None) -> None:
            if not yes:
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

    def action_import(self) -> None:
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
        entry = self._selected_readable("export")
        if entry is not None:
            self.post_message(ExportAssessment(entry.name))


def _one_line(error: object) -> str:
    """An error (a validation error from a title typed into a prompt, say) as one line."""
    return " ".join(str(error).split())


def _expand_paths(text: str) -> list[Path]:
    """Paths and shell-style patterns (~ and * included), in a stable order, each once."""
    found: set[Path] = set()
    for word in shlex.split(text):
        pattern = os.path.expanduser(word)
        matches = glob.glob(pattern) if any(c in pattern for c in "*?[") else [pattern]
        found.update(Path(match) for match in matches)
    return sorted(found)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _trend(found: Pilot) -> str:
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
