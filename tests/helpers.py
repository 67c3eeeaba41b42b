"""Helpers shared by the test modules."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify

from pilot_tui.store import Store
from pilot_tui.ui.app import PilotApp

Snapshot = dict[str, bytes | None]


def folder_snapshot(root: Path) -> Snapshot:
    """Every file (its bytes) and folder (None) under ROOT, by relative path."""
    if not root.exists():
        return {}
    return {
        str(path.relative_to(root)): path.read_bytes() if path.is_file() else None
        for path in sorted(root.rglob("*"))
    }


def app_for(store: Store, name: str | None = None) -> PilotApp:
    """The app on the list, or opened on assessment NAME; the user's theme file is left alone."""
    if name is None:
        return PilotApp(store, remember_theme=False)
    return PilotApp(
        store,
        open_name=name,
        open_path=store.path_for(name),
        open_assessment=store.load(name),
        remember_theme=False,
    )


@dataclass
class Run:
    """What one in-process `pilot-tui` command did."""

    code: int
    out: str
    err: str


class Cli(Protocol):
    def __call__(self, *args: str) -> Run: ...


def assert_one_error_line(result: Run, *, contains: str = "") -> str:
    """An input error: exit 2, nothing on stdout, exactly one line on stderr."""
    assert result.code == 2, result
    assert result.out == ""
    assert result.err.startswith("pilot-tui: error: "), result.err
    assert result.err.endswith("\n") and result.err.count("\n") == 1, result.err
    assert "Traceback" not in result.err
    assert contains in result.err, result.err
    return result.err.removesuffix("\n")


def _on_notification(app: App[Any], record: Callable[[Notification], None]) -> None:
    """Call RECORD with every notification the app raises from now on.

    App.notify hands Textual a Notify message through the app's public post_message, from any
    thread; what it holds is what the toast shows, after the app's own notify escaped it.
    """
    post_message = app.post_message

    def recording(message: Message) -> bool:
        if isinstance(message, Notify):
            record(message.notification)
        return post_message(message)

    app.post_message = recording  # type: ignore[method-assign]


def capture_notices(app: App[Any]) -> list[Notification]:
    """Every notification the app raises from now on, in order: its message as shown, its
    severity ("information", "warning", "error") and title. Call it once the app has started."""
    seen: list[Notification] = []
    _on_notification(app, seen.append)
    return seen


def capture_notifications(app: App[Any]) -> list[str]:
    """Every message the app notifies from now on, in order, as shown (see capture_notices)."""
    seen: list[str] = []
    _on_notification(app, lambda notification: seen.append(notification.message))
    return seen


async def wait_until(condition: Callable[[], bool], *, timeout: float = 5.0) -> None:
    """Let the app run until CONDITION holds (a worker's result, a timer's save)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the condition never held")
        await asyncio.sleep(0.02)
