"""Many pilots: 1,000 realistic assessments in one data folder, read by `list` and `portfolio`.

The assessments are generated with a fixed seed: each pilot has a maturity (how far along it
is), a context, answers drawn around that maturity (with notes, owners, due dates and the odd
"don't know"), half of them a milestone, and updates spread over the last 300 days. A few
unreadable files sit among them, as they would in a shared folder.

Measured, each command a fresh process on that folder (the median of --runs), and its peak
memory (the largest resident set, from /usr/bin/time):
- `pilot-tui list` and `pilot-tui portfolio --format json`: at most 1 s each;
- `pilot-tui portfolio --format html`: at most 2 s;
- peak memory of any of them: at most 100 MiB;
- the app's home screen on that folder (a pseudo-terminal, 160x48): its first frame at most 1.5
  times a minimal Textual app's; the whole list on screen (its first row's title) within 1 s;
  a key that moves down the list (its row and the line under the list naming it), and a key
  typed into the filter, each on screen in under 16.7 ms (medians). The keys come about 50 ms
  apart, a brisk person's pace: the preview pane follows once they pause (0.15 s).

Run: python benchmarks/portfolio.py [--pilots 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from pilot_tui.core.assessment import (
    Answer,
    Assessment,
    new_assessment,
    with_answer,
)
from pilot_tui.core.bank import Question
from pilot_tui.core.milestones import add_milestone
from pilot_tui.store import dumps_assessment, load_bank

TARGET_LIST_S = 1.0
TARGET_JSON_S = 1.0
TARGET_HTML_S = 2.0
TARGET_MIB = 100.0
TARGET_RATIO = 1.5
TARGET_LIST_ON_SCREEN_S = 1.0
TARGET_KEY_MS = 1000 / 60
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
TEAMS = ("Claims", "Risk", "Support", "Finance", "HR", "Legal", "Ops", "Sales", "Data", "IT")
PRODUCTS = ("triage bot", "fraud model", "assistant", "summariser", "forecaster", "router")


def answered(
    assessment: Assessment,
    questions: list[Question],
    rng: random.Random,
    maturity: float,
    when: datetime,
) -> Assessment:
    """ASSESSMENT with answers drawn around MATURITY (0: just started, 1: nearly ready)."""
    for question in questions:
        if rng.random() > 0.3 + 0.7 * maturity:
            continue  # not answered yet
        roll = rng.random() * (maturity + 0.3)
        if rng.random() < 0.05:
            choice = "unknown"
        elif roll > 0.8:
            choice = "met"
        elif roll > 0.5:
            choice = "partly"
        elif roll > 0.35:
            choice = "planned"
        else:
            choice = "not-met"
        answer = Answer(
            choice=choice,
            notes="Reviewed in the steering group." if rng.random() < 0.3 else "",
            owner=rng.choice(["Ana", "Bo", "Cy"]) if choice == "planned" else "",
            due=date(2027, 3, 1) if choice == "planned" else None,
        )
        assessment = with_answer(assessment, question.id, answer, now=when)
    return assessment


def generate(folder: Path, count: int) -> None:
    bank = load_bank()
    rng = random.Random(12)
    questions = [question for _, question in bank.iter_questions()]
    systems = [option.id for option in bank.contexts[0].options]
    serves = [option.id for option in bank.contexts[1].options]
    for number in range(count):
        maturity = rng.random()
        updated = NOW - timedelta(days=rng.randint(0, 300), minutes=rng.randint(0, 1440))
        team = rng.choice(TEAMS)
        context = {
            bank.contexts[0].id: [rng.choice(systems)],
            bank.contexts[1].id: rng.sample(serves, rng.randint(1, len(serves))),
        }
        assessment = new_assessment(
            bank,
            f"{team} {rng.choice(PRODUCTS)} {number}",
            team=f"{team} AI",
            context=context,
            now=updated,
        )
        assessment = answered(assessment, questions, rng, maturity, updated)
        if rng.random() < 0.5:
            assessment = add_milestone(assessment, "Workshop 1", now=updated)
            assessment = answered(assessment, questions, rng, min(1.0, maturity + 0.2), updated)
        (folder / f"pilot-{number:04d}.toml").write_text(
            dumps_assessment(assessment), encoding="utf-8"
        )
    (folder / "broken.toml").write_text("answers = [", encoding="utf-8")
    (folder / "Not A Name.toml").write_text("title = 'x'", encoding="utf-8")


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak MiB of one run of COMMAND."""
    started = time.perf_counter()
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"{command}: {result.stderr[-500:]}")
    peak_kib = int(result.stderr.strip().splitlines()[-1])
    return elapsed, peak_kib / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pilots", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--folder", type=Path, help="generate the pilots here once, and reuse them on later runs"
    )
    parser.add_argument("--home-only", action="store_true", help="measure the home screen only")
    args = parser.parse_args()
    data = args.folder or Path(tempfile.mkdtemp(prefix="pilot-portfolio-bench-"))
    if not any(data.glob("pilot-*.toml")):
        data.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        generate(data, args.pilots)
        print(f"{args.pilots} assessments generated in {time.perf_counter() - started:.0f} s")
    env = {**os.environ, "PILOT_TUI_DATA_DIR": str(data), "XDG_CACHE_HOME": str(data / "cache")}
    executable = shutil.which("pilot-tui")
    base = [executable] if executable else [sys.executable, "-m", "pilot_tui"]
    commands = {
        "list": ([*base, "list"], TARGET_LIST_S),
        "portfolio --format json": ([*base, "portfolio", "--format", "json"], TARGET_JSON_S),
        "portfolio --format html": ([*base, "portfolio", "--format", "html"], TARGET_HTML_S),
    }
    if args.home_only:
        return 0 if measure_home(data, env, args.runs) else 1
    met = True
    # A first run of each fills the cache of files known to be valid, as any earlier use would.
    for command, _ in commands.values():
        timed(command, env)
    for label, (command, target) in commands.items():
        runs = [timed(command, env) for _ in range(args.runs)]
        seconds = statistics.median(run[0] for run in runs)
        peak = max(run[1] for run in runs)
        ok = seconds <= target and peak <= TARGET_MIB
        met = met and ok
        print(
            f"{label}: {seconds:.2f} s (target {target:.0f} s), peak {peak:.0f} MiB "
            f"(target {TARGET_MIB:.0f}){'' if ok else '  MISSED'}"
        )
    met = measure_home(data, env, args.runs) and met
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


def measure_home(data: Path, env: dict[str, str], runs: int) -> bool:
    sys.path.insert(0, str(Path(__file__).parent))
    from interview import Terminal

    import pilot_tui
    from pilot_tui.store import Store

    # Measured as installed, as benchmarks/interview.py is: pip compiles a package's bytecode
    # when it installs it, so no user's start compiles every module of pilot-tui again.
    compileall.compile_dir(Path(pilot_tui.__file__).parent, quiet=1)
    # Read as the home screen reads it, into the cache the app is given (which keeps each file's
    # glance, as any earlier use of the app would have).
    os.environ["XDG_CACHE_HOME"] = env["XDG_CACHE_HOME"]
    pilots = Store(data, load_bank()).listing()
    readable = [entry for entry in pilots if entry.glance is not None]
    # The home list's order: the latest update first (then the name, last first).
    order = sorted(
        readable,
        key=lambda entry: (entry.glance.meta.updated.timestamp(), entry.name),  # type: ignore[union-attr]
        reverse=True,
    )
    titles = [entry.glance.meta.title for entry in order]  # type: ignore[union-attr]
    env = {**env, "COLUMNS": "160", "LINES": "48", "TERM": "xterm-256color"}
    minimal = [sys.executable, str(Path(__file__).parent / "minimal_app.py"), "--blockers", "1,0"]
    executable = shutil.which("pilot-tui")
    pilot = [executable] if executable else [sys.executable, "-m", "pilot_tui"]
    minimal_ms: list[float] = []
    home_ms: list[float] = []
    listed_ms: list[float] = []
    down_ms: list[float] = []
    filter_ms: list[float] = []
    for _ in range(runs):
        terminal = Terminal.start(minimal, env)
        try:
            minimal_ms.append((terminal.wait_for(b"minimal app ready") - terminal.started) * 1000)
        finally:
            terminal.close()
        terminal = Terminal.start(pilot, env)
        try:
            shown = terminal.wait_for(b"is your AI pilot ready for production?")
            home_ms.append((shown - terminal.started) * 1000)
            # The detail line under the list names the highlighted (first) row when it is there.
            listed = terminal.wait_for(f"{titles[0]}  ·".encode())
            listed_ms.append((listed - terminal.started) * 1000)
            time.sleep(0.3)
            for title in titles[1:21]:
                sent, offset = terminal.press(b"\x1b[B")
                down_ms.append(
                    (terminal.wait_for(f"{title}  ·".encode(), since=offset) - sent) * 1000
                )
                time.sleep(0.05)
            terminal.press(b"/")
            time.sleep(0.3)
            # Each letter narrows the list; the field shows what was typed with it.
            typed = ""
            for letter in "pilot 9":
                typed += letter
                sent, offset = terminal.press(letter.encode())
                filter_ms.append((terminal.wait_for(typed.encode(), since=offset) - sent) * 1000)
                time.sleep(0.1)
        finally:
            terminal.close()
    ratio = statistics.median(home_ms) / statistics.median(minimal_ms)
    listed_s = statistics.median(listed_ms) / 1000
    down = statistics.median(down_ms)
    typed_ms = statistics.median(filter_ms)
    print(
        f"home first frame: {statistics.median(home_ms):.0f} ms vs minimal app "
        f"{statistics.median(minimal_ms):.0f} ms: {ratio:.2f}x (target {TARGET_RATIO}x)"
    )
    print(f"whole list on screen: {listed_s:.2f} s (target {TARGET_LIST_ON_SCREEN_S:.0f} s)")
    print(
        f"key down the list: median {down:.1f} ms, slowest {max(down_ms):.1f} ms; "
        f"key into the filter: median {typed_ms:.1f} ms, slowest {max(filter_ms):.1f} ms "
        f"(target {TARGET_KEY_MS:.1f} ms)"
    )
    return (
        ratio <= TARGET_RATIO
        and listed_s <= TARGET_LIST_ON_SCREEN_S
        and down <= TARGET_KEY_MS
        and typed_ms <= TARGET_KEY_MS
    )


if __name__ == "__main__":
    sys.exit(main())
