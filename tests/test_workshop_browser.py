"""A real browser against `pilot-tui serve`: two participants join (one with a wrong code
first) and vote; the facilitator, in this process, reveals. The votes end up in the ballots and
in the assessment.

The browser is the system's Chromium (Debian's `chromium` package; `.ci/run` installs it),
driven by Playwright, which never downloads a browser of its own. Without it the test is
skipped, unless PILOT_TUI_REQUIRE_BROWSER=1 (as in CI) makes that a failure. Screenshots of
the participant's page go to $PILOT_TUI_SCREENSHOTS (or the test's own folder).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import wait_until

from pilot_tui.core.assessment import new_assessment, now_utc
from pilot_tui.store import Store
from pilot_tui.store.workshop import Workshop, open_state, workshop_folder
from pilot_tui.ui.app import PilotApp, WorkshopStart

FIRST = "success-criteria-agreed"


def chromium() -> str:
    found = os.environ.get("PILOT_TUI_CHROMIUM") or shutil.which("chromium")
    if found:
        return found
    if os.environ.get("PILOT_TUI_REQUIRE_BROWSER") == "1":
        pytest.fail("no chromium: install Debian's chromium package (apt install chromium)")
    pytest.skip("no system chromium to drive (apt install chromium)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def served(store: Store, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`pilot-tui serve` on this machine's loopback, for an assessment that is started."""
    store.create(new_assessment(store.bank, "Claims bot", now=now_utc()), "claims")
    path = store.path_for("claims")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "pilot_tui", "serve", str(path), "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 20
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise AssertionError(f"the server did not start: {log.read_text()}")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/", path
    finally:
        server.terminate()
        server.wait(timeout=10)


NAME_FIELD = (100, 98)
"""Where the name field is drawn at the page's default font size (its fourth text row)."""


async def join(page: Any, url: str, name: str, code: str) -> None:
    screens: list[int] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda f: screens.append(len(f))))
    await page.goto(url)
    # The app's first frame is one large update of the terminal.
    await wait_until(lambda: any(size > 1000 for size in screens), timeout=30)
    await asyncio.sleep(0.5)
    # A click in the name field, as a person would: it focuses the page's terminal too.
    await page.mouse.click(*NAME_FIELD)
    await page.keyboard.type(name, delay=50)
    await page.keyboard.press("Enter")
    await page.keyboard.type(code, delay=50)
    await page.keyboard.press("Enter")


async def test_two_browsers_join_vote_and_the_facilitator_reveals(
    store: Store, served: tuple[str, Path], tmp_path: Path
) -> None:
    playwright_api = pytest.importorskip("playwright.async_api")
    browser_path = chromium()
    url, path = served
    shots = Path(os.environ.get("PILOT_TUI_SCREENSHOTS") or tmp_path / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    workshop = Workshop(workshop_folder(path))
    state = open_state(workshop, FIRST, now=time.time())
    app = PilotApp(
        store,
        open_name="claims",
        open_path=path,
        open_assessment=store.load("claims"),
        remember_theme=False,
        workshop=WorkshopStart(workshop, state, url),
    )
    async with (
        playwright_api.async_playwright() as playwright,
        app.run_test(size=(100, 40)) as pilot,
    ):
        browser = await playwright.chromium.launch(
            executable_path=browser_path, args=["--no-sandbox"]
        )
        ana = await browser.new_page(viewport={"width": 900, "height": 700})
        bo = await browser.new_page(viewport={"width": 390, "height": 800})  # a phone
        wrong = "000000" if state.code != "000000" else "111111"
        await join(ana, url, "Ana", wrong)
        await wait_until(lambda: workshop.wrong_codes() == 1, timeout=15)
        await asyncio.sleep(0.5)
        await ana.screenshot(path=str(shots / "participant-wrong-code.png"))
        # The code field is emptied after a wrong code and has the focus: type it again.
        await ana.keyboard.type(state.code, delay=50)
        await ana.keyboard.press("Enter")
        await join(bo, url, "Bo", state.code)
        await wait_until(lambda: len(workshop.ballots()[0]) == 2, timeout=20)
        await asyncio.sleep(1)
        await ana.keyboard.press("1")
        await bo.keyboard.press("4")

        def voted() -> bool:
            ballots = {ballot.name: ballot for ballot in workshop.ballots()[0]}
            return all(FIRST in ballots[name].votes for name in ("Ana", "Bo"))

        await wait_until(voted, timeout=15)
        await asyncio.sleep(0.5)
        await ana.screenshot(path=str(shots / "participant-voted.png"))
        await bo.screenshot(path=str(shots / "participant-voted-phone.png"))
        await wait_until(lambda: "2 of 2 voted" in str(app.screen.query_one("#board").render()))
        await pilot.press("r")
        await asyncio.sleep(1.5)  # the participants' apps read the reveal
        await ana.screenshot(path=str(shots / "participant-revealed.png"))
        await pilot.press("2")
        await browser.close()
    ballots = {ballot.name: ballot for ballot in workshop.ballots()[0]}
    assert ballots["Ana"].votes[FIRST].choice == "met"
    assert ballots["Bo"].votes[FIRST].choice == "not-met"
    saved = store.load("claims")
    assert saved.participants["ana"].answers[FIRST].choice == "met"
    assert saved.participants["bo"].answers[FIRST].choice == "not-met"
    assert saved.answers[FIRST].choice == "partly"
    for shot in ("participant-wrong-code", "participant-voted", "participant-revealed"):
        assert (shots / f"{shot}.png").stat().st_size > 1000
