"""The app as a person runs it: a real process on a pseudo-terminal that is its controlling
terminal, so that closing the terminal sends it SIGHUP as closing a window would.

A thread keeps reading what the app draws, as a terminal does: an app whose output nobody reads
blocks on its next write, which is not what happens in a real terminal.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[P\]_^][^\x1b]*\x1b\\|\x1b[@-_]")
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


class Terminal:
    def __init__(self, arguments: list[str], env: dict[str, str], *, size: tuple[int, int]):
        columns, rows = size
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pilot_tui", *arguments],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            preexec_fn=_own_session_with_this_terminal,
        )
        os.close(slave)
        self._raw = bytearray()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            try:
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self._raw += chunk
            if b"\x1b[6n" in chunk:
                # Textual asks where the cursor is at start; a real terminal answers.
                with contextlib.suppress(OSError):
                    os.write(self.master, b"\x1b[1;1R")

    @property
    def raw(self) -> bytes:
        with self._lock:
            return bytes(self._raw)

    def text(self) -> str:
        """Everything drawn so far, escape codes removed."""
        return ANSI.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, text: str, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{text!r} never appeared; the screen ends {self.text()[-300:]!r}"
                )
            if self.process.poll() is not None:
                raise AssertionError(f"the app ended ({self.process.returncode}): {self.text()!r}")
            time.sleep(0.02)

    def output_to_the_end(self, timeout: float = 5.0) -> bytes:
        """Everything the app drew, once it has ended: the terminal has nothing more to read."""
        self._reader.join(timeout)
        if self._reader.is_alive():
            raise TimeoutError(f"the terminal still had output after {timeout} s")
        return self.raw

    def type(self, keys: str, *, pause: float = 0.03) -> None:
        for key in keys:
            os.write(self.master, key.encode("utf-8"))
            time.sleep(pause)

    def signal(self, number: int) -> None:
        os.kill(self.process.pid, number)

    def hang_up(self) -> None:
        """Close the terminal, as closing its window does: the kernel sends SIGHUP."""
        self._stop.set()
        self._reader.join()
        os.close(self.master)
        self.master = -1

    def wait(self, timeout: float = 10.0) -> int:
        return self.process.wait(timeout=timeout)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait()
        self._stop.set()
        self._reader.join()
        if self.master >= 0:
            os.close(self.master)


def _own_session_with_this_terminal() -> None:
    # In the child, before pilot-tui starts: a session of its own, with the pty (its standard
    # input) as the controlling terminal, as a shell in a terminal window has.
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def app_environment(data_dir: Path, home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "PILOT_TUI_DATA_DIR": str(data_dir),
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_CACHE_HOME": str(home / ".cache"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
        }
    )
    env.pop("TEXTUAL", None)
    return env
