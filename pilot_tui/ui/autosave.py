"""When the open assessment's answers are written to disk, and what the user is told about it.

Every change marks the session dirty and asks for a save after a short quiet spell, so typing a
note does not write on every key. The quiet spell has a ceiling: while someone types without a
pause, what they typed is still on disk within about two seconds. A worker thread writes; the app
keeps the answers in memory whatever happens, so a failed save loses nothing:

- a passing failure (a full disk, a folder gone for a moment) is retried every few seconds;
- a save that cannot succeed by trying again (a limit, a value not allowed, a read-only or
  unreadable file: RefusedSave) is not retried: the user is told what to change, and the next
  change or Ctrl+S tries again;
- anything unexpected is reported the same way, never swallowed.

`flush` writes at once on the app's thread: leaving the interview, quitting, or a signal that
ends the process.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Final

from textual.app import App
from textual.content import Content
from textual.timer import Timer

from pilot_tui.store.files import RefusedSave, StoreError

if TYPE_CHECKING:  # loaded with the first interview, not at start-up
    from pilot_tui.ui.session import Session

SAVE_DELAY: Final = 0.4
"""Seconds of quiet before a save."""
SAVE_CEILING: Final = 1.5
"""The most seconds a change waits while changes keep coming; the write itself takes
milliseconds, so typed text is on disk within two seconds."""
RETRY_DELAY: Final = 3.0
"""Seconds between attempts after a failure that may pass."""
MIN_WAIT: Final = 0.01


class Autosave:
    """Writes the app's open session; the app shows what it reports."""

    def __init__(
        self,
        app: App[Any],
        session: Callable[[], Session | None],
        *,
        show_status: Callable[[Content], None],
        adopted: Callable[[Session, str], None],
        delay: float = SAVE_DELAY,
        ceiling: float = SAVE_CEILING,
        retry: float = RETRY_DELAY,
    ) -> None:
        self._app = app
        self._session = session
        self._show_status = show_status
        self._adopted = adopted
        """Called with a session and a notice when a save took in someone else's changes."""
        self.delay = delay
        self.ceiling = ceiling
        self.retry = retry
        self._timer: Timer | None = None
        self._pending_since: float | None = None
        self.failing = False
        """The last attempt failed; the answers are in memory only."""
        self._told = ""
        """What the user was last told of a failure: the same failure is not told again."""

    # ------------------------------------------------------------------ asking for a save

    def changed(self) -> None:
        """The answers changed: save after the quiet spell, and no later than the ceiling."""
        now = time.monotonic()
        if self._pending_since is None:
            self._pending_since = now
        wait = min(self.delay, self._pending_since + self.ceiling - now)
        self._start_timer(max(0.0, wait))
        self._show_status(Content.styled("● editing", "dim"))

    def _start_timer(self, wait: float) -> None:
        if self._timer is not None:
            self._timer.stop()
        # Never a timer of 0 seconds: Textual's timer divides by its interval and such a timer
        # never fires (the save would wait for ever while the person types on).
        self._timer = self._app.set_timer(max(wait, MIN_WAIT), self._fire)

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _fire(self) -> None:
        self._timer = None
        # What changes from now on waits a new spell: it is not in the snapshot being written.
        self._pending_since = None
        self._app.run_worker(self._save_in_thread, thread=True, exit_on_error=False, group="save")

    def _save_in_thread(self) -> None:
        session = self._session()
        if session is None:
            return
        try:
            session.save()
        except Exception as error:  # every failure is shown: see _failed
            self._app.call_from_thread(self._failed, error)
            return
        self._app.call_from_thread(self._saved, session)

    # ------------------------------------------------------------------ saving now

    def flush(self) -> bool:
        """Write pending answers now, on this thread; False (and the user told) if it failed."""
        self._stop_timer()
        session = self._session()
        if session is None or not session.dirty:
            return True
        try:
            session.save()
        except Exception as error:  # every failure is shown: see _failed
            self._failed(error)
            return False
        self._saved(session)
        return True

    # ------------------------------------------------------------------ outcomes

    def _saved(self, session: Session) -> None:
        if self.failing:
            self._app.notify("Saved again: every answer is on disk.", timeout=4)
        self.failing = False
        self._told = ""
        # Someone else saved the same file meanwhile: their answers were merged in, or ours went
        # to a conflicting copy. Either way the user sees it, and the screen shows it.
        notice = session.adopt_saved()
        if notice:
            self._adopted(session, notice)
        if not session.dirty:
            self._pending_since = None
            stamp = datetime.now().strftime("%H:%M:%S")
            self._show_status(Content.styled(f"✓ saved {stamp}", "$text-success"))

    def _failed(self, error: Exception) -> None:
        """Tell the user once per run of failures; retry only what may pass."""
        if isinstance(error, RefusedSave):
            what, then, retry = str(error), "the next change or Ctrl+S tries again", False
        elif isinstance(error, StoreError):
            what, then, retry = str(error), "retrying", True
        else:
            # A fault of ours: said plainly, not retried in a loop.
            what = f"unexpected {type(error).__name__}: {error}"
            then, retry = "Ctrl+S tries again", False
        message = f"Not saved: {_one_line(what)}. Your answers are kept here; {then}."
        if message != self._told:
            self._app.notify(message, severity="error", timeout=12)
            self._told = message
        self.failing = True
        # The next change waits its quiet spell again rather than trying on every key.
        self._pending_since = None
        label = "✗ not saved, retrying" if retry else "✗ not saved"
        self._show_status(Content.styled(label, "bold $text-error"))
        if retry and self._timer is None:
            self._start_timer(self.retry)


def _one_line(text: str) -> str:
    return " ".join(text.split())
