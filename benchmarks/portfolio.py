"""Many pilots: 1,000 realistic assessments in one data folder, read by `list` and `portfolio`.

The assessments are generated with a fixed seed: each pilot has a maturity (how far along it
is), a context, answers drawn around that maturity (with notes, owners, due dates and the odd
"don't know"), half of them a milestone, and updates spread over the last 300 days. A few
unreadable files sit among them, as they would in a shared folder.

Measured, each command a fresh process on that folder (the median of --runs), and its peak
memory (the largest resident set, from /usr/bin/time):
- `pilot-tui list` and `pilot-tui portfolio --format json`: at most 1 s each;
- `pilot-tui portfolio --format html`: at most 2 s;
- peak memory of any of them: at most 100 MiB.

Run: python benchmarks/portfolio.py [--pilots 1000] [--runs 3]
"""

from __future__ import annotations

import argparse
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
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="pilot-portfolio-bench-"))
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
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
