"""Home: the assessments in the data folder, and what can be done with them."""

from __future__ import annotations

import glob
import os
import shlex
from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import get_current_worker

from pilot_tui.core.assessment import now_utc
from pilot_tui.core.merge import MergeError, MergeInput, disagreements, merge
from pilot_tui.core.render import percent
from pilot_tui.core.scoring import score
from pilot_tui.core.text import printable
from pilot_tui.store import BACKUP_DIR, Entry, Store, load_assessment_file
from pilot_tui.store.files import StoreError, shown
from pilot_tui.ui import keys
from pilot_tui.ui.commands import HomeCommands
from pilot_tui.ui.messages import ExportAssessment, NewAssessment, OpenAssessment
from pilot_tui.ui.screens.dialogs import Confirm, TextPrompt
from pilot_tui.ui.widgets.scorecard import STATUS_STYLE

NOW_SAMPLE = datetime(2026, 11, 2, 9, 30)
"""Any moment: stamps are as wide whatever the date."""
EMPTY_STATE = (
    "No assessments here yet.\n\n"
    "Press n to start one: give it a title, then answer one question at a time.\n"
    "Press i to import a TOML file a colleague sent you.\n\n"
    "Every answer is saved as you go, to {folder}"
)


class HomeScreen(Screen[None]):
    AUTO_FOCUS = "#assessments"
    COMMANDS = {HomeCommands}
    BINDINGS = keys.HOME

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.entries: list[Entry] = []

    def compose(self) -> ComposeResult:
        yield Static("pilot-tui · is your AI pilot ready for production?", id="home-title")
        table: DataTable[Text] = DataTable(id="assessments", cursor_type="row", zebra_stripes=True)
        table.add_columns("Title", "Team", "Updated", "Answered", "Level")
        yield table
        yield Static(id="detail")
        yield Static(id="empty-state")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def on_screen_resume(self) -> None:
        # Back from a dialog or an interview: the same row stays highlighted.
        current = self._selected()
        self.reload(select=current.name if current else None)

    def reload(self, select: str | None = None) -> None:
        self.query_one("#assessments", DataTable).loading = True
        self._load_entries(select)

    @work(thread=True, exclusive=True, exit_on_error=False, group="home-list")
    def _load_entries(self, select: str | None) -> None:
        # Reading and validating every file is I/O; it stays off the UI thread.
        try:
            entries = self.store.entries()
        except Exception as error:  # any failure is shown in the list's place; the app goes on
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._show_failure, error)
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._show_entries, entries, select)

    def _show_failure(self, error: Exception) -> None:
        """The list could not be read (the data folder is a file, say): said where it would be."""
        expected = isinstance(error, StoreError)
        words = str(error) if expected else f"unexpected {type(error).__name__}: {error}"
        self._show_entries([], None)
        self.query_one("#empty-state", Static).update(
            Content.assemble(
                ("The assessments cannot be listed: ", "bold $text-error"),
                printable(_one_line(words)),
            )
        )
        self.notify(f"Cannot list the assessments: {words}", severity="error", timeout=10)

    def _show_entries(self, entries: list[Entry], select: str | None) -> None:
        bank = self.store.bank
        self.entries = sorted(
            entries,
            key=lambda e: (
                e.assessment is None,
                -(e.assessment.meta.updated.timestamp() if e.assessment else 0),
                e.name,
            ),
        )
        table = self.query_one("#assessments", DataTable)
        table.loading = False
        table.clear()
        # Rich Text cells: DataTable would read a plain str as markup, and titles are user text.
        colours = self.app.theme_variables
        # Long titles are cut to what the other columns leave, so those stay on screen.
        cards = {e.name: score(bank, e.assessment) for e in self.entries if e.assessment}
        readable = [e.assessment for e in self.entries if e.assessment is not None]
        # The level is the verdict: it is never cut. On narrow terminals the time of the last
        # update gives way (the date stays) and teams are cut shorter, before the title is.
        narrow = self.app.size.width < 100
        team_limit = 10 if narrow else 16
        team_width = max((min(len(a.meta.team), team_limit) for a in readable), default=4)
        level_width = max((len(card.level_title) for card in cards.values()), default=10)
        stamp = "%Y-%m-%d" if narrow else "%Y-%m-%d %H:%M"
        others = max(team_width, 4) + len(NOW_SAMPLE.strftime(stamp)) + len("38/38 (100%)")
        others += level_width
        title_width = max(12, self.app.size.width - others - 2 * 5)
        for entry in self.entries:
            if entry.assessment is None:
                error_style = colours.get("text-error", "red")
                table.add_row(
                    # Any name the folder holds: escape sequences are shown, not acted on.
                    Text(f"⚠ {printable(entry.name)}.toml", style=error_style),
                    Text(""),
                    Text(""),
                    Text(""),
                    Text("unreadable", style=error_style),
                    key=entry.name,
                )
                continue
            card = cards[entry.name]
            meta = entry.assessment.meta
            status_style = colours.get(STATUS_STYLE[card.status].removeprefix("$"), "")
            table.add_row(
                Text(_clip(meta.title, title_width)),
                Text(_clip(meta.team, team_limit)),
                Text(meta.updated.astimezone().strftime(stamp)),
                Text(f"{card.answered}/{card.total} ({percent(card.coverage * 100)}%)"),
                Text(card.level_title, style=status_style),
                key=entry.name,
            )
        empty = not self.entries
        self.set_class(empty, "-empty")
        self.query_one("#empty-state", Static).update(
            Content(EMPTY_STATE.format(folder=self.store.root)) if empty else ""
        )
        if select is not None:
            names = [e.name for e in self.entries]
            if select in names:
                table.move_cursor(row=names.index(select))
        # Open, delete and export depend on there being entries (check_action): the footer
        # shows them once the list has arrived from its worker.
        self.refresh_bindings()

    @on(DataTable.RowHighlighted, "#assessments")
    def _show_detail(self) -> None:
        """Under the table, what the highlighted row is: its file, or why it cannot be read."""
        entry = self._selected()
        detail = self.query_one("#detail", Static)
        if entry is None:
            detail.update("")
        elif entry.assessment is None:
            detail.update(
                Content.assemble(
                    (f"{shown(entry.path.name)} cannot be read: ", "bold $text-error"),
                    printable(entry.error or "").rstrip("."),
                    (". It is left exactly as it is; fix or move the file.", "dim"),
                )
            )
        else:
            meta = entry.assessment.meta
            facts = [shown(entry.path)]
            facts += [f"facilitator {meta.facilitator}"] if meta.facilitator else []
            facts += [f"stage {meta.stage}"] if meta.stage else []
            detail.update(Content.styled("  ·  ".join(facts), "dim"))

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
                name, count, disputed = self._merge(text)
            except (StoreError, MergeError, ValueError) as error:
                self.notify(_one_line(error), severity="error", timeout=10)
                return
            self.notify(
                f"Merged {count} participants into {name}.toml; "
                f"the team disagrees on {disputed} questions.",
                timeout=8,
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

    def _merge(self, text: str) -> tuple[str, int, int]:
        store = self.store
        paths = _expand_paths(text)
        if len(paths) < 2:
            raise ValueError(f"found {len(paths)} file(s) in {text!r}: a merge needs two or more")
        inputs = [MergeInput(p.name, load_assessment_file(p, store.bank)) for p in paths]
        merged = merge(store.bank, inputs, now=now_utc())
        name = store.create(merged)
        return name, len(merged.participants), len(disagreements(store.bank, merged))

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
