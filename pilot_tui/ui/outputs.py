"""What the app writes outside the data folder: an assessment's TOML where the user says, and a
report where the user's downloads go.

Writes run in worker threads (a path may be a named pipe whose reader takes its time); a failure
is told in one line and the app goes on; an existing file is replaced only once the user says so.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App

from pilot_tui.core.assessment import now_utc
from pilot_tui.store import Store, dumps_assessment
from pilot_tui.store.files import OutputExists, StoreError, shown, write_new_file, write_output
from pilot_tui.ui.messages import ReportFormat

if TYPE_CHECKING:  # loaded with the first interview, not at start-up
    from pilot_tui.ui.session import Session


class Outputs:
    def __init__(self, app: App[Any], store: Store) -> None:
        self._app = app
        self._store = store

    # ------------------------------------------------------------------ export

    def export(self, name: str) -> None:
        """Ask where to write NAME's TOML, and write it there."""
        from pilot_tui.ui.screens.dialogs import TextPrompt

        def chosen(target: str | None) -> None:
            if target is None:
                return
            path = Path(target).expanduser()
            # os.path.isdir: Path.is_dir raises for a name the system refuses (too long, say).
            if os.path.isdir(path):
                path = path / f"{name}.toml"
            self._export(name, path, force=False)

        self._app.push_screen(
            TextPrompt(
                "Export",
                label="Write the assessment's TOML to",
                value=str(Path.cwd() / f"{name}.toml"),
                accept="Export",
            ),
            callback=chosen,
        )

    def _export(self, name: str, path: Path, *, force: bool) -> None:
        self._app.run_worker(
            lambda: self._write_export(name, path, force=force),
            thread=True,
            exit_on_error=False,
            group="export",
        )

    def _write_export(self, name: str, path: Path, *, force: bool) -> None:
        app = self._app
        try:
            text = dumps_assessment(self._store.load(name))
            write_output(path, text, force=force, protected=[self._store.root])
        except OutputExists:
            app.call_from_thread(self._confirm_replace, name, path)
            return
        except Exception as error:  # any failure is told; the app goes on
            app.call_from_thread(tell_failure, app, "Not exported", error)
            return
        app.call_from_thread(app.notify, f"Exported to {shown(path)}", timeout=5)

    def _confirm_replace(self, name: str, path: Path) -> None:
        from pilot_tui.ui.screens.dialogs import Confirm

        def decide(yes: bool | None) -> None:
            if yes:
                self._export(name, path, force=True)

        self._app.push_screen(
            Confirm(
                "Replace file?", f"{shown(path)} exists. Replace it?", yes="Replace", no="Cancel"
            ),
            callback=decide,
        )

    # ------------------------------------------------------------------ reports

    def report(self, session: Session, fmt: ReportFormat) -> None:
        """The session's report (md or html), where the user's downloads go.

        In a browser (textual-serve) the browser downloads it. In a terminal it is written to the
        downloads folder under a name of its own: an earlier report there is never replaced.
        """
        from pilot_tui.core.report import report_for

        text = report_for(
            fmt,
            session.bank,
            session.assessment,
            generated=now_utc(),
            evidence=session.evidence_checks(),
        )
        filename = f"{session.path.stem}-report.{fmt}"
        if self._app.is_web:
            self._app.deliver_text(io.StringIO(text), save_filename=filename, encoding="utf-8")
            return
        self._app.run_worker(
            lambda: self._write_report(text, filename),
            thread=True,
            exit_on_error=False,
            group="report",
        )

    def _write_report(self, text: str, filename: str) -> None:
        from platformdirs import user_downloads_dir

        app = self._app
        folder = Path(user_downloads_dir())
        try:
            # A fresh account may not have a downloads folder yet.
            folder.mkdir(parents=True, exist_ok=True)
            path = write_new_file(folder / filename, text)
        except Exception as error:  # any failure is told; the app goes on
            app.call_from_thread(tell_failure, app, "Report not saved", error)
            return
        app.call_from_thread(app.notify, f"Report saved to {shown(path)}.", timeout=8)


def tell_failure(app: App[Any], what: str, error: BaseException) -> None:
    """A failure, in one line: expected ones in their words, others by their type."""
    expected = isinstance(error, StoreError | ValueError)  # (a MergeError is a ValueError)
    words = str(error) if expected else f"unexpected {type(error).__name__}: {error}"
    app.notify(f"{what}: {' '.join(words.split())}", severity="error", timeout=10)
