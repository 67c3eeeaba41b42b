"""`pilot-tui workshop` (the facilitator's app) and `pilot-tui serve` (the participants')."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any, Final

from pilot_tui.cli.common import UsageError, store_of
from pilot_tui.core.workshop import DEFAULT_LIMIT
from pilot_tui.store.workshop import join_url, workshop_folder

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def cmd_workshop(args: argparse.Namespace) -> int:
    # Imported here: the headless commands must never load textual.
    from pilot_tui.ui.app import run_workshop

    _check_port(args.port)
    return run_workshop(
        store_of(args),
        args.reference,
        timebox=args.timebox,
        anonymous=args.anonymous,
        limit=args.limit,
        serve=(args.host, args.port) if args.serve else None,
        bank_path=Path(args.bank).resolve() if args.bank else None,
    )


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(
            "serving participants' browsers needs the web extra: pip install 'pilot-tui[web]'"
        ) from None
    _check_port(args.port)
    store = store_of(args)
    _, path = store.load_reference(args.reference)
    # The participant's app is given the workshop's folder and the bank, nothing else: it
    # cannot reach the data folder or any other file.
    command = [sys.executable, "-m", "pilot_tui.ui.participant", str(workshop_folder(path))]
    if args.bank is not None:
        command += ["--bank", str(Path(args.bank).resolve())]
    url = join_url(args.host, args.port)
    if args.host not in LOOPBACK:
        print(
            f"pilot-tui: participants join at {url}; the traffic is not encrypted: use it only on"
            " a trusted room network.",
            file=sys.stderr,
        )
    if args.exit_with is not None:
        _exit_with(args.exit_with)
    # The page connects back to the server at this address: the one participants can reach.
    server = capped(Server, sessions=_sessions_for(path))(
        shlex.join(command), host=args.host, port=args.port, title="pilot-tui", public_url=url
    )
    server.serve()
    return 0


SPARE_SESSIONS: Final = 10
"""Pages open beyond the participant limit: reloads, and tabs whose connection has not yet timed
out."""


def _sessions_for(path: Path) -> int:
    from pilot_tui.store.files import StoreError
    from pilot_tui.store.workshop import Workshop

    try:
        limit = Workshop(workshop_folder(path)).read_state().limit
    except StoreError:
        limit = DEFAULT_LIMIT
    return limit + SPARE_SESSIONS


def capped(server_class: type[Any], *, sessions: int) -> type[Any]:
    """SERVER_CLASS (textual-serve's) with at most SESSIONS pages open at once. Each page runs
    a participant's app in a process of its own (about 50 MiB) from the moment it connects,
    before any join code is asked: without a cap, a flood of connections would exhaust the
    facilitator's laptop. One over the cap gets a short refusal instead."""
    from aiohttp import web

    class Capped(server_class):  # type: ignore[misc]
        open_sessions = 0

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            if Capped.open_sessions >= sessions:
                return web.Response(
                    status=503,
                    text="The workshop has as many pages open as it can take: try again soon.",
                )
            Capped.open_sessions += 1
            try:
                response: web.StreamResponse = await super().handle_websocket(request)
                return response
            finally:
                Capped.open_sessions -= 1

    return Capped


def _check_port(port: int) -> None:
    if not 1 <= port <= 65535:
        raise UsageError(f"port {port} is not 1 to 65535")


def _exit_with(pid: int) -> None:
    """End this server (as Ctrl+C would) once process PID is gone, checked every second."""
    import os
    import signal
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != pid:
                # Our parent is gone (we were handed to another): so is the facilitator.
                os.kill(os.getpid(), signal.SIGINT)
                return

    threading.Thread(target=watch, name="exit-with", daemon=True).start()
