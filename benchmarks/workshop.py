"""A live workshop under load: 30 participants voting while the facilitator works.

- vote to screen: 30 participant processes join and vote, one after another, by writing their
  ballot files exactly as the participant's app does (Seat.vote); the time from each write to
  the facilitator's screen (a real `pilot-tui workshop` on a pseudo-terminal) showing the new
  count "K of 30 voted". Target: median at most 250 ms, never over 1 s.
- facilitator key: while the votes arrive, a key (`a`, which toggles names at the reveal, as the
  screen's top line shows) at a random moment while a vote is on its way, from the pty write to
  that line changing. Target: median under 16.7 ms (Textual draws at most 60 frames a second, so
  a key just after a vote's frame waits for the next: the slowest key is given as well).
- participant first frame in a browser: `pilot-tui serve` and a minimal Textual app served the
  same way (textual-serve), loaded alternately in the system's Chromium (Playwright); from the
  page load to the app's first screen arriving over the websocket. Target: at most 1.5x.
- participant memory: the peak resident set (VmHWM) of each served participant process after
  joining and voting. Target: at most 60 MiB.

Run: python benchmarks/workshop.py [--questions N] [--browser-runs N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import select
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pipe, Process
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from interview import ANSI, Terminal, environment

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.store import Store, load_bank
from pilot_tui.store.workshop import Workshop, workshop_folder

PARTICIPANTS = 30
TARGET_VOTE_MEDIAN_MS = 250.0
TARGET_VOTE_MAX_MS = 1000.0
TARGET_KEY_MS = 1000 / 60
TARGET_RATIO = 1.5
TARGET_MIB = 60.0
CHOICES = ("met", "partly", "planned", "not-met", "unknown")
MINIMAL = Path(__file__).parent / "minimal_app.py"


def participant(folder: Path, name: str, code: str, channel: Connection) -> None:
    """One participant: joins, then votes whenever told to, reporting when the file was written."""
    workshop = Workshop(folder)
    seat = workshop.join(name, code)
    channel.send("joined")
    while True:
        order = channel.recv()
        if order is None:
            break
        question, choice, round_token = order
        seat.vote(question, choice, round_token)
        channel.send(time.perf_counter())
    seat.leave()


def measure_votes(questions: int) -> tuple[list[float], list[float]]:
    data = Path(tempfile.mkdtemp(prefix="pilot-workshop-bench-"))
    store = Store(data, load_bank())
    name = store.create(new_assessment(store.bank, "Benchmark workshop", now=now_utc()))
    env = environment(data)
    executable = shutil.which("pilot-tui")
    command = [executable] if executable else [sys.executable, "-m", "pilot_tui"]
    terminal = Terminal.start([*command, "workshop", name], env)
    vote_ms: list[float] = []
    key_ms: list[float] = []
    processes: list[tuple[Process, Connection]] = []
    try:
        terminal.wait_for(b"0 of 0 voted")
        workshop = Workshop(workshop_folder(store.path_for(name)))
        state = workshop.read_state()
        for number in range(PARTICIPANTS):
            mine, theirs = Pipe()
            process = Process(
                target=participant,
                args=(workshop.folder, f"Person {number:02d}", state.code, theirs),
            )
            process.start()
            processes.append((process, mine))
        for _, channel in processes:
            channel.recv()
        terminal.wait_for(f"0 of {PARTICIPANTS} voted".encode())
        shuffle = random.Random(11)
        for question_number in range(questions):
            state = workshop.read_state()
            for number, (_, channel) in enumerate(processes):
                waiting = {f"{number + 1} of {PARTICIPANTS} voted".encode(): len(terminal.screen)}
                channel.send((state.question, CHOICES[number % len(CHOICES)], state.round))
                written = channel.recv()
                key = None
                if number % 3 == 1:
                    # A key at a random moment while this vote is on its way to the screen:
                    # names on or off at the reveal, as the screen's top line shows.
                    time.sleep(shuffle.uniform(0, 0.2))
                    sent, offset = terminal.press(b"a")
                    key = b"reveal: counts only" if len(key_ms) % 2 == 0 else b"reveal with"
                    waiting[key] = offset
                seen = wait_for_all(terminal, waiting)
                vote_ms.append(
                    (seen[f"{number + 1} of {PARTICIPANTS} voted".encode()] - written) * 1000
                )
                if key is not None:
                    key_ms.append((seen[key] - sent) * 1000)
                time.sleep(0.05)
            terminal.press(b"r")
            time.sleep(0.3)
            terminal.press(b"2")
            time.sleep(0.3)
            if question_number + 1 < questions:
                terminal.press(b"n")
                time.sleep(0.5)
    finally:
        for process, channel in processes:
            with contextlib.suppress(OSError):
                channel.send(None)
            process.join(timeout=5)
        terminal.close()
    return vote_ms, key_ms


def wait_for_all(terminal: Terminal, waiting: dict[bytes, int]) -> dict[bytes, float]:
    """Read until each pattern is on screen after its offset; the perf_counter time each came."""
    seen: dict[bytes, float] = {}
    deadline = time.perf_counter() + 10
    while len(seen) < len(waiting):
        if time.perf_counter() > deadline:
            missing = [pattern for pattern in waiting if pattern not in seen]
            raise TimeoutError(f"{missing!r} never appeared")
        ready, _, _ = select.select([terminal.master], [], [], 0.05)
        if not ready:
            continue
        chunk = os.read(terminal.master, 65536)
        now = time.perf_counter()
        terminal.raw += chunk
        terminal.screen = ANSI.sub(b"", terminal.raw)
        for pattern, since in waiting.items():
            if pattern not in seen and pattern in terminal.screen[since:]:
                seen[pattern] = now
    return seen


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def served(command: list[str], env: dict[str, str]) -> Any:
    port = free_port()
    server = subprocess.Popen(
        [*command, "--port", str(port)],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError("the server did not start")
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}/", server
    finally:
        server.terminate()
        server.wait(timeout=10)


MINIMAL_SERVER = """
import sys
from textual_serve.server import Server
port = int(sys.argv[sys.argv.index("--port") + 1])
Server(sys.argv[1], host="127.0.0.1", port=port).serve()
"""


async def first_frame(browser: Any, url: str, marker: bytes) -> float:
    page = await browser.new_page(viewport={"width": 900, "height": 700})
    seen: list[float] = []

    def received(payload: Any) -> None:
        data = payload if isinstance(payload, bytes) else str(payload).encode()
        if marker in data and not seen:
            seen.append(time.perf_counter())

    page.on("websocket", lambda ws: ws.on("framereceived", received))
    started = time.perf_counter()
    await page.goto(url)
    deadline = time.monotonic() + 30
    while not seen and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    await page.close()
    if not seen:
        raise TimeoutError(f"{marker!r} never arrived")
    return (seen[0] - started) * 1000


def participant_peaks(server: subprocess.Popen[bytes]) -> list[float]:
    peaks = []
    for status in Path("/proc").glob("[0-9]*/status"):
        with contextlib.suppress(OSError):
            cmdline = (status.parent / "cmdline").read_bytes()
            if b"pilot_tui.ui.participant" in cmdline:
                found = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
                if found:
                    peaks.append(int(found.group(1)) / 1024)
    return peaks


async def measure_browser(runs: int) -> tuple[list[float], list[float], list[float]]:
    from playwright.async_api import async_playwright

    data = Path(tempfile.mkdtemp(prefix="pilot-serve-bench-"))
    store = Store(data, load_bank())
    name = store.create(new_assessment(store.bank, "Benchmark workshop", now=now_utc()))
    from pilot_tui.store.workshop import open_state

    state = open_state(
        Workshop(workshop_folder(store.path_for(name))), "success-criteria-agreed", now=time.time()
    )
    env = environment(data)
    script = data / "minimal_server.py"
    script.write_text(MINIMAL_SERVER)
    minimal_command = [sys.executable, str(script), f"{sys.executable} {MINIMAL}"]
    pilot_command = [sys.executable, "-m", "pilot_tui", "serve", name]
    minimal_ms: list[float] = []
    pilot_ms: list[float] = []
    chromium = os.environ.get("PILOT_TUI_CHROMIUM") or shutil.which("chromium") or "chromium"
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        with (
            served(minimal_command, env) as (minimal_url, _),
            served(pilot_command, env) as (pilot_url, pilot_server),
        ):
            for _ in range(runs):
                minimal_ms.append(await first_frame(browser, minimal_url, b"minimal app ready"))
                pilot_ms.append(await first_frame(browser, pilot_url, b"Join the workshop"))
            # Memory: a participant who joins and votes.
            page = await browser.new_page(viewport={"width": 900, "height": 700})
            await page.goto(pilot_url)
            await asyncio.sleep(4)
            await page.mouse.click(100, 98)
            await page.keyboard.type("Memory probe", delay=30)
            await page.keyboard.press("Enter")
            await page.keyboard.type(state.code, delay=30)
            await page.keyboard.press("Enter")
            await asyncio.sleep(2)
            await page.keyboard.press("1")
            await asyncio.sleep(1)
            peaks = participant_peaks(pilot_server)
            await page.close()
        await browser.close()
    return minimal_ms, pilot_ms, peaks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=3)
    parser.add_argument("--browser-runs", type=int, default=5)
    args = parser.parse_args()
    vote_ms, key_ms = measure_votes(args.questions)
    minimal_ms, pilot_ms, peaks = asyncio.run(measure_browser(args.browser_runs))
    vote_median, vote_max = statistics.median(vote_ms), max(vote_ms)
    key_median = statistics.median(key_ms)
    ratio = statistics.median(pilot_ms) / statistics.median(minimal_ms)
    peak = max(peaks) if peaks else float("nan")
    print(f"{PARTICIPANTS} participants, {args.questions} questions, {len(vote_ms)} votes")
    print(f"vote written to count on screen: median {vote_median:.0f} ms, max {vote_max:.0f} ms")
    print(
        f"facilitator key while votes arrive: median {key_median:.1f} ms,"
        f" slowest {max(key_ms):.1f} ms ({len(key_ms)} keys)"
    )
    print(
        f"participant first frame in the browser: minimal {statistics.median(minimal_ms):.0f} ms,"
        f" pilot-tui {statistics.median(pilot_ms):.0f} ms, {ratio:.2f}x ({args.browser_runs} each)"
    )
    print(f"participant process peak memory: {peak:.1f} MiB")
    met = (
        vote_median <= TARGET_VOTE_MEDIAN_MS
        and vote_max <= TARGET_VOTE_MAX_MS
        and key_median <= TARGET_KEY_MS
        and ratio <= TARGET_RATIO
        and peak <= TARGET_MIB
    )
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
