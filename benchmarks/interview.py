"""Start-up, keystroke latency and memory of the interview, side by side with a minimal app.

Each run starts a real process on a pseudo-terminal, as a person's terminal would, and watches
what it draws:

- first frame: from the process start to the first question (or the minimal app's text) on screen;
- keystroke: from writing an answer key to the pty to the changed scorecard appearing on it;
- memory: the process's peak resident set (VmHWM) once the first frame is up, keys were pressed
  and (for pilot-tui) the answers were saved.

The machines are noisy, so the runs alternate between the two apps and the report gives medians
and the ratio. Run: python benchmarks/interview.py [--runs N] [--first-run]
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import fcntl
import os
import pty
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

import pilot_tui
from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.core.scoring import score
from pilot_tui.store import Store, load_bank

HERE = Path(__file__).parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[P\]_^][^\x1b]*\x1b\\|\x1b[@-_]")
# An escape code that has all its bytes (ANSI's alternatives, each told by its second byte).
FINISHED_CODE = re.compile(
    rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[P\]_^][^\x1b]*\x1b\\|\x1b[^\[P\]_^]"
)
COLUMNS, ROWS = 120, 40
TIMEOUT = 20.0
TARGET_RATIO = 1.5
TARGET_KEY_MS = 1000 / 60
TARGET_MIB = 60.0
"""pydantic (about 10 MiB) loads in a worker just after the first frame, for what a person types."""
FIRST_QUESTION = b"Are production success criteria written down"


@dataclass
class Terminal:
    """A process on a pseudo-terminal, and everything it has drawn so far, escape codes removed."""

    process: subprocess.Popen[bytes]
    master: int
    started: float
    screen: bytes = field(default=b"")
    raw: bytes = field(default=b"")
    _unfinished: bytes = field(default=b"")

    @classmethod
    def start(cls, command: list[str], env: dict[str, str]) -> Terminal:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            close_fds=True,
            start_new_session=True,
        )
        os.close(slave)
        return cls(process, master, started)

    def wait_for(self, pattern: bytes, *, since: int = 0) -> float:
        """Read until PATTERN is on screen (after offset SINCE); the perf_counter time it came."""
        deadline = time.perf_counter() + TIMEOUT
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            now = time.perf_counter()
            self.raw += chunk
            self._answer_queries(chunk)
            self._add_to_screen(chunk)
            if self.screen.find(pattern, since) != -1:
                return now
        tail = self.screen[-300:].decode("utf-8", "replace")
        raise TimeoutError(f"{pattern!r} never appeared; the screen ends with: {tail!r}")

    def _add_to_screen(self, chunk: bytes) -> None:
        # Only the new output is cleaned of escape codes: cleaning all of it again on every
        # read would make this harness, not the app, slow once a few megabytes were drawn. An
        # escape code cut in two by the read waits for its end.
        pending = self._unfinished + chunk
        self._unfinished = b""
        cut = len(pending)
        start = pending.rfind(b"\x1b")
        while start != -1 and FINISHED_CODE.match(pending, start) is None:
            cut = start
            start = pending.rfind(b"\x1b", 0, start)
        pending, self._unfinished = pending[:cut], pending[cut:]
        self.screen += ANSI.sub(b"", pending)

    def _answer_queries(self, chunk: bytes) -> None:
        # Textual asks the terminal a few questions at start; a real terminal answers them.
        if b"\x1b[6n" in chunk:
            os.write(self.master, b"\x1b[1;1R")

    def press(self, key: bytes) -> tuple[float, int]:
        offset = len(self.screen)
        sent = time.perf_counter()
        os.write(self.master, key)
        return sent, offset

    def peak_mib(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="ascii")
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        return int(match.group(1)) / 1024 if match else float("nan")

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        os.close(self.master)


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TERM": "xterm-256color",
            "COLORTERM": "truecolor",
            "PILOT_TUI_DATA_DIR": str(data_dir),
            "XDG_CONFIG_HOME": str(data_dir / "config"),
            "XDG_CACHE_HOME": str(data_dir / "cache"),
            "COLUMNS": str(COLUMNS),
            "LINES": str(ROWS),
        }
    )
    env.pop("TEXTUAL", None)
    return env


def prepare(data_dir: Path) -> str:
    store = Store(data_dir, load_bank())
    return store.create(new_assessment(store.bank, "Benchmark pilot", now=now_utc()))


def pilot_command(name: str) -> list[str]:
    executable = shutil.which("pilot-tui")
    if executable is None:
        return [sys.executable, "-m", "pilot_tui", "open", name]
    return [executable, "open", name]


@dataclass
class Run:
    first_frame_ms: float
    key_ms: list[float]
    peak_mib: float


def measure(
    command: list[str],
    env: dict[str, str],
    ready: bytes,
    keys: int,
    saved: bytes = b"",
    blockers: tuple[int, int] = (8, 7),
) -> Run:
    """Start COMMAND, wait for READY on screen, then time answer keys (then wait for SAVED).

    Both apps show the same number of blockers at the start; 1 takes one away and 3 brings it
    back, which in pilot-tui is "met" and "planned" (without an owner: still a blocker) on the
    first (critical) question.
    """
    start, after_1 = (f"{count} blockers".encode() for count in blockers)
    terminal = Terminal.start(command, env)
    try:
        shown = terminal.wait_for(ready)
        first_frame = (shown - terminal.started) * 1000
        terminal.wait_for(start)
        time.sleep(0.3)  # let start-up work settle before timing keys
        latencies: list[float] = []
        for index in range(keys):
            key, expected = (b"1", after_1) if index % 2 == 0 else (b"3", start)
            sent, offset = terminal.press(key)
            seen = terminal.wait_for(expected, since=offset)
            latencies.append((seen - sent) * 1000)
            time.sleep(0.05)
        if saved and keys:
            terminal.wait_for(saved, since=offset)
        return Run(first_frame, latencies, terminal.peak_mib())
    finally:
        terminal.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each app (default 10)")
    parser.add_argument("--keys", type=int, default=20, help="answer keys per run (default 20)")
    parser.add_argument(
        "--first-run",
        action="store_true",
        help="empty pilot-tui's cache before each of its runs, as on the first run after an "
        "install (the file is then validated in full before it is shown)",
    )
    args = parser.parse_args()
    # Measured as installed: pip compiles a package's bytecode when it installs it. From a
    # source checkout (and with PYTHONDONTWRITEBYTECODE set) every start would compile every
    # module of pilot-tui again, which no user's start does.
    compileall.compile_dir(Path(pilot_tui.__file__).parent, quiet=1)

    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        env = environment(data_dir)
        # The file is written as the app writes it, into the same cache of validated files.
        os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
        name = prepare(data_dir)
        store = Store(data_dir, load_bank())
        count = len(score(store.bank, store.load(name)).blockers)
        blockers = (count, count - 1)
        yardstick = [
            sys.executable,
            str(HERE / "minimal_app.py"),
            "--blockers",
            f"{count},{count - 1}",
        ]
        # What each app shows when it is up, and (pilot-tui) once its answers are on disk.
        commands = {
            "minimal app": (yardstick, b"minimal app ready", b""),
            "+ core models": ([*yardstick, "--with-core"], b"minimal app ready, level", b""),
            "pilot-tui": (pilot_command(name), FIRST_QUESTION, b"saved"),
        }
        # Every run starts from the same file: pilot-tui opens on the first open question.
        assessment_file = data_dir / f"{name}.toml"
        original = assessment_file.read_bytes()
        # One untimed run of each first, so all start from a warm file cache.
        for command, ready, saved in commands.values():
            assessment_file.write_bytes(original)
            measure(command, env, ready, 2, saved, blockers)
        runs: dict[str, list[Run]] = {label: [] for label in commands}
        for _ in range(args.runs):
            for label, (command, ready, saved) in commands.items():
                assessment_file.write_bytes(original)
                if args.first_run:
                    shutil.rmtree(env["XDG_CACHE_HOME"], ignore_errors=True)
                runs[label].append(measure(command, env, ready, args.keys, saved, blockers))

    def median_of(label: str, metric: str) -> float:
        if metric == "key_ms":
            return statistics.median(k for run in runs[label] for k in run.key_ms)
        return statistics.median(float(getattr(run, metric)) for run in runs[label])

    cache = ", nothing cached (first run after an install)" if args.first_run else ""
    print(
        f"{args.runs} runs of each app, {args.keys} keys a run, {COLUMNS}x{ROWS} pty, medians"
        f"{cache}"
    )
    print(f"{'':30}" + "".join(f"{label:>15}" for label in commands) + f"{'ratio':>9}")
    metrics = [
        ("first frame (ms)", "first_frame_ms"),
        ("key to updated screen (ms)", "key_ms"),
        ("peak memory (MiB)", "peak_mib"),
    ]
    for title, metric in metrics:
        values = [median_of(label, metric) for label in commands]
        ratio = values[-1] / values[0]
        print(f"{title:30}" + "".join(f"{v:15.1f}" for v in values) + f"{ratio:8.2f}x")
    keys = [k for run in runs["pilot-tui"] for k in run.key_ms]
    print(f"pilot-tui key latency p90: {statistics.quantiles(keys, n=10)[-1]:.1f} ms")
    ratio = median_of("pilot-tui", "first_frame_ms") / median_of("minimal app", "first_frame_ms")
    key_median = median_of("pilot-tui", "key_ms")
    peak = max(run.peak_mib for run in runs["pilot-tui"])
    print(
        f"targets: first frame at most {TARGET_RATIO}x the minimal app ({ratio:.2f}x), "
        f"key median at most {TARGET_KEY_MS:.1f} ms ({key_median:.1f}), "
        f"peak memory at most {TARGET_MIB:.0f} MiB ({peak:.1f})"
    )
    met = ratio <= TARGET_RATIO and key_median <= TARGET_KEY_MS and peak <= TARGET_MIB
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
