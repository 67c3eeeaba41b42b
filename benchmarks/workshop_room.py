"""A whole workshop, end to end, on one laptop: the facilitator and five participants in browsers.

A real `pilot-tui workshop NAME --serve` runs on a pseudo-terminal, as on the projector. Five
pages of the system's Chromium (Playwright) join it as participants would: each clicks the name
field, types a name and the join code. Then for every question of the interview: each
participant presses a number key to vote, the facilitator waits for "5 of 5 voted", reveals (r),
takes the suggested answer (Enter) and moves on (n). At the end the assessment must hold a team
answer for every question and each participant's vote on every question.

Measured: how long the whole workshop took, and per question from the facilitator's `n` to the
next question's "5 of 5 voted" on the facilitator's screen (the room's own pace is not in it:
the participants vote as soon as their page shows the question). Screenshots of a participant's
page (joined, voted, revealed) go to --screenshots.

Run: python benchmarks/workshop_room.py [--participants 5] [--screenshots DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import select
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from interview import ANSI, Terminal, environment
from workshop import free_port, wait_for_all

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.store import Store, load_bank
from pilot_tui.store.workshop import Workshop, workshop_folder
from pilot_tui.ui.session import Session

NAMES = ("Ana Lima", "Bo Chen", "Cara Diaz", "Dev Patel", "Eli Novak", "Femi Okoro", "Gus Berg")
NAME_FIELD = (100, 98)
"""Where the participant page draws its name field at the browser's default font size."""


def wait(terminal: Terminal, condition: Any, what: str, timeout: float = 20) -> None:
    """Until CONDITION holds, reading what the facilitator's app draws meanwhile (an unread
    terminal would fill up and stall it)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"never happened: {what}")
        ready, _, _ = select.select([terminal.master], [], [], 0.05)
        if not ready:
            continue
        try:
            terminal.raw += os.read(terminal.master, 65536)
        except OSError:  # the app has ended and closed its terminal
            time.sleep(0.05)
            continue
        terminal.screen = ANSI.sub(b"", terminal.raw)


async def join(page: Any, url: str, name: str, code: str) -> None:
    frames: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: frames.append(len(f))))
    await page.goto(url)
    deadline = time.monotonic() + 30
    while not any(size > 1000 for size in frames):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name}'s page never drew the app")
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.5)
    await page.mouse.click(*NAME_FIELD)
    await page.keyboard.type(name, delay=30)
    await page.keyboard.press("Enter")
    await page.keyboard.type(code, delay=30)
    await page.keyboard.press("Enter")


async def run(participants: int, shots: Path) -> int:
    from playwright.async_api import async_playwright

    data = Path(tempfile.mkdtemp(prefix="pilot-workshop-room-"))
    store = Store(data, load_bank())
    name = store.create(new_assessment(store.bank, "Claims triage bot", now=now_utc()))
    path = store.path_for(name)
    questions = [
        Session(store, path, store.load(name), name).question(position).id
        for position in Session(store, path, store.load(name), name).positions()
    ]
    port = free_port()
    executable = shutil.which("pilot-tui")
    command = [executable] if executable else [sys.executable, "-m", "pilot_tui"]
    terminal = Terminal.start(
        [*command, "workshop", name, "--serve", "--port", str(port)], environment(data)
    )
    workshop = Workshop(workshop_folder(path))
    names = NAMES[:participants]
    started = time.perf_counter()
    per_question: list[float] = []
    moved = 0.0
    chromium = os.environ.get("PILOT_TUI_CHROMIUM") or shutil.which("chromium") or "chromium"
    try:
        wait_for_all(terminal, {b"0 of 0 voted": 0})
        state = workshop.read_state()
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=chromium, args=["--no-sandbox"]
            )
            pages = [await browser.new_page(viewport={"width": 900, "height": 700}) for _ in names]
            for page, person in zip(pages, names, strict=True):
                await join(page, f"http://127.0.0.1:{port}/", person, state.code)
            wait(terminal, lambda: len(workshop.ballots()[0]) == len(names), "everyone joined", 60)
            await asyncio.sleep(1)
            await pages[0].screenshot(path=str(shots / "room-joined.png"))
            for number, question in enumerate(questions):
                wait(
                    terminal,
                    lambda q=question: workshop.read_state().question == q,
                    f"question {question}",
                )
                state = workshop.read_state()
                since = len(terminal.screen)
                # Each participant's page reads the new question within a quarter of a second.
                await asyncio.sleep(0.4)
                for index, page in enumerate(pages):
                    # Mixed votes: in place, partly, planned, not in place, don't know.
                    await page.keyboard.press(str((number + index) % 5 + 1))

                def everyone_voted(state: Any = state, question: str = question) -> bool:
                    ballots = workshop.ballots()[0]
                    return all(
                        (vote := ballot.votes.get(question)) is not None
                        and vote.round == state.round
                        for ballot in ballots
                    )

                wait(terminal, everyone_voted, f"every vote on {question}")
                all_voted = f"{len(names)} of {len(names)} voted".encode()
                seen = wait_for_all(terminal, {all_voted: since})[all_voted]
                if number:
                    per_question.append(seen - moved)
                if number == 0:
                    await pages[0].screenshot(path=str(shots / "room-voted.png"))
                terminal.press(b"r")
                wait(terminal, lambda: workshop.read_state().phase == "reveal", "the reveal")
                if number == 0:
                    await asyncio.sleep(0.6)
                    await pages[0].screenshot(path=str(shots / "room-revealed.png"))
                terminal.press(b"\r")
                wait(terminal, lambda: workshop.read_state().phase == "decide", "the decision")
                if number + 1 < len(questions):
                    moved, _ = terminal.press(b"n")
            await browser.close()
        terminal.press(b"\x11")  # Ctrl+Q: the facilitator ends the session
        wait(terminal, lambda: terminal.process.poll() is not None, "the app ending")
    finally:
        terminal.close()
    elapsed = time.perf_counter() - started
    saved = store.load(name)
    team = [question for question in questions if saved.answers.get(question)]
    everyone = all(set(questions) <= set(person.answers) for person in saved.participants.values())
    print(f"{len(questions)} questions, {len(names)} participants in Chromium")
    print(f"whole workshop (joining included): {elapsed:.0f} s")
    print(
        "per question, from the facilitator's n to everyone's vote on the screen:"
        f" median {statistics.median(per_question):.1f} s, slowest {max(per_question):.1f} s"
    )
    print(f"team answers: {len(team)} of {len(questions)}")
    print(
        f"participants in the assessment: {len(saved.participants)},"
        f" {'each with' if everyone else 'NOT each with'} a vote on every question"
    )
    print(f"screenshots: {shots}")
    ok = len(team) == len(questions) and len(saved.participants) == len(names) and everyone
    print("the whole workshop is in the assessment" if ok else "VOTES OR ANSWERS MISSING")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=5, choices=range(1, len(NAMES) + 1))
    parser.add_argument("--screenshots", type=Path, default=None)
    args = parser.parse_args()
    shots = args.screenshots or Path(tempfile.mkdtemp(prefix="pilot-workshop-room-shots-"))
    shots.mkdir(parents=True, exist_ok=True)
    return asyncio.run(run(args.participants, shots))


if __name__ == "__main__":
    sys.exit(main())
