"""Merging many participants' files, and rendering the reports of the merged assessment.

Targets on this kind of machine (2 cores): merging 100 participant files, reading and
validating them included, in at most 1 s; rendering both reports of the merged assessment in at
most 0.5 s. Each figure is the median of several runs. Run: python benchmarks/sharing.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from pilot_tui.core.assessment import Answer, new_assessment, with_answer, with_meta
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.core.report import html_report, markdown_report, report_rows
from pilot_tui.store import dumps_assessment, load_assessment_file, load_bank
from pilot_tui.store.files import atomic_write

MERGE_TARGET_S = 1.0
REPORT_TARGET_S = 0.5
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def write_participants(folder: Path, count: int) -> list[Path]:
    """COUNT files, each one person's full answers, chosen at random (with a fixed seed)."""
    bank = load_bank()
    rng = random.Random(7)
    paths = []
    for number in range(count):
        assessment = new_assessment(bank, "Claims triage bot", team="Claims AI", now=NOW)
        assessment = with_meta(assessment, now=NOW, respondent=f"Person {number:03d}")
        for _, question in bank.iter_questions():
            choice = rng.choice(bank.offered_choices(question))
            answer = Answer(
                choice=choice.id,
                notes=f"Seen by person {number} in the March review.\nSecond line.",
                owner=rng.choice(["Ana", "Bo", "Cy", ""]),
                reason="Not in our scope" if choice.not_applicable else "",
            )
            assessment = with_answer(assessment, question.id, answer, now=NOW)
        path = folder / f"person-{number:03d}.toml"
        atomic_write(path, dumps_assessment(assessment))
        paths.append(path)
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bank = load_bank()
    with tempfile.TemporaryDirectory() as folder:
        paths = write_participants(Path(folder), args.participants)
        merge_times: list[float] = []
        report_times: list[float] = []
        for _ in range(args.runs):
            started = time.perf_counter()
            inputs = [MergeInput(p.name, load_assessment_file(p, bank)) for p in paths]
            merged = merge(bank, inputs, now=NOW)
            merge_times.append(time.perf_counter() - started)

            started = time.perf_counter()
            disputes, trend = report_rows(bank, merged)
            markdown = markdown_report(bank, merged, disputes=disputes, trend=trend, generated=NOW)
            html = html_report(bank, merged, disputes=disputes, trend=trend, generated=NOW)
            report_times.append(time.perf_counter() - started)
    merge_s = statistics.median(merge_times)
    report_s = statistics.median(report_times)
    print(f"{args.participants} participants, {args.runs} runs, medians")
    print(f"merge (read, validate, merge): {merge_s:.3f} s (target at most {MERGE_TARGET_S} s)")
    print(
        f"both reports: {report_s:.3f} s (target at most {REPORT_TARGET_S} s); "
        f"Markdown {len(markdown) // 1024} KiB, HTML {len(html) // 1024} KiB"
    )
    met = merge_s <= MERGE_TARGET_S and report_s <= REPORT_TARGET_S
    print("all targets met" if met else "some targets missed")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
