"""Crash safety: a writer killed (SIGKILL) at any moment leaves the old file or the new one.

A helper process imports pilot-tui once, then forks one writer per kill point; each writer
saves two known versions, A and B, in turn through the store (with its base, as the app does),
and is killed after a random delay. After every kill the file must load and be exactly A or B,
and the temporary files killed writers leave behind must never stand in for the real file.
"""

from __future__ import annotations

import dataclasses
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pilot_tui.core.assessment import Answer, Assessment, new_assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MAX_FILE_BYTES
from pilot_tui.store import Store, dumps_assessment, load_assessment_file

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or not hasattr(signal, "SIGKILL"), reason="needs fork and SIGKILL"
)

KILL_POINTS = 250
TIME_BUDGET = 15.0
"""Seconds; the test stops adding kill points after this (a slow machine), and needs 200."""
NAME = "crash-test"
NOW = datetime(2026, 1, 2, tzinfo=UTC)

# The helper: one "go" line forks a writer and answers with its pid; "reap PID" waits for it
# and answers with how it ended. Forking from one warm process makes a kill point cost a few
# milliseconds instead of a fresh interpreter's few hundred.
HELPER = r"""
import os, sys
from pathlib import Path
from pilot_tui.store import Store, load_assessment_file, load_bank

root, a_path, b_path, progress_path = (Path(arg) for arg in sys.argv[1:5])
bank = load_bank()
a, b = load_assessment_file(a_path, bank), load_assessment_file(b_path, bank)
print("ready", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "go":
        pid = os.fork()
        if pid == 0:
            progress = os.open(progress_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            store = Store(root, bank)
            current = store.load("crash-test")
            while True:
                target = b if current == a else a
                os.write(progress, b"<")  # a save begins
                store.save("crash-test", target, base=current)
                os.write(progress, b">")  # and has ended
                current = target
        print(pid, flush=True)
    elif command[0] == "reap":
        _, status = os.waitpid(int(command[1]), 0)
        print(os.WTERMSIG(status) if os.WIFSIGNALED(status) else -1, flush=True)
"""


def version(bank: Bank, letter: str, choice: str) -> Assessment:
    """A big assessment (hundreds of answers, long notes) so that a save takes a while."""
    assessment = new_assessment(bank, f"Crash test {letter}", team=letter * 40, now=NOW)
    answers = {
        question.id: Answer(choice=choice, notes=f"{letter} {question.id} " * 20)
        for section in bank.sections
        for question in section.questions
    }
    # Answers to questions the bank does not know are kept: they make the file bigger still.
    for number in range(120):
        answers[f"extra-{number}"] = Answer(notes=f"{letter}{number} " * 30, owner=letter)
    return dataclasses.replace(assessment, answers=answers)


def test_a_writer_killed_at_any_moment_leaves_a_whole_file(
    store: Store, bank: Bank, tmp_path: Path
) -> None:
    a, b = version(bank, "A", "met"), version(bank, "B", "not-met")
    a_path, b_path = tmp_path / "a.toml", tmp_path / "b.toml"
    a_path.write_text(dumps_assessment(a), encoding="utf-8")
    b_path.write_text(dumps_assessment(b), encoding="utf-8")
    assert len(a_path.read_bytes()) < MAX_FILE_BYTES
    store.create(a, NAME)
    path = store.path_for(NAME)
    progress_path = tmp_path / "progress"
    rng = random.Random(20260102)

    helper = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HELPER,
            str(store.root),
            str(a_path),
            str(b_path),
            str(progress_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        bufsize=1,
    )
    assert helper.stdin is not None and helper.stdout is not None

    def ask(line: str) -> str:
        assert helper.stdin is not None and helper.stdout is not None
        helper.stdin.write(f"{line}\n")
        helper.stdin.flush()
        return helper.stdout.readline().strip()

    kills = mid_save = mid_write = saves_seen = 0
    seen_versions: set[str] = set()
    temporaries: set[str] = set()
    try:
        assert helper.stdout.readline().strip() == "ready"
        started = time.monotonic()
        while kills < KILL_POINTS and time.monotonic() - started < TIME_BUDGET:
            pid = int(ask("go"))
            # From "before the writer has even loaded the file" to several whole saves; a
            # writer spends nearly all its life inside save(), so most kills land in one.
            time.sleep(rng.random() * 0.05)
            os.kill(pid, signal.SIGKILL)
            assert ask(f"reap {pid}") == str(int(signal.SIGKILL))
            kills += 1

            marks = progress_path.read_bytes() if progress_path.exists() else b""
            saves_seen += marks.count(b">")
            mid_save += marks.endswith(b"<")
            now_temporary = {p.name for p in store.root.iterdir() if p.name.endswith(".tmp")}
            mid_write += bool(now_temporary - temporaries)
            temporaries = now_temporary

            # The file is whole: it loads, and it is one version or the other, never a mix.
            on_disk = load_assessment_file(path, bank)
            assert on_disk in (a, b), f"kill point {kills}: neither version A nor B"
            seen_versions.add(on_disk.meta.title)
            # The leftovers are hidden files beside it; they never hide or replace it. (The
            # store's own listing loads every file: checked every few kills, to keep it quick.)
            assert all(name.startswith(f".{path.name}.") for name in temporaries)
            if kills % 10 == 0:
                assert store.names() == [NAME]
                listed = [(e.name, e.glance, e.error) for e in store.listing()]
                assert [
                    (name, glance.meta if glance else None, error) for name, glance, error in listed
                ] == [(NAME, on_disk.meta, None)]
    finally:
        helper.kill()
        helper.wait()
    print(
        f"\n{kills} kill points, {saves_seen} whole saves, {mid_save} killed mid-save, "
        f"{mid_write} mid-write (a temporary file left), {len(temporaries)} temporaries"
    )
    assert kills >= 200, f"only {kills} kill points in {TIME_BUDGET} s"
    # The kills landed where they matter: inside a save, and inside its atomic write.
    assert mid_save >= 20 and mid_write >= 3, (mid_save, mid_write)
    assert seen_versions == {"Crash test A", "Crash test B"}
    # A normal save after all that still works, and replaces the file as usual.
    current = store.load(NAME)
    result = store.save(NAME, b if current == a else a, base=current)
    assert store.load(NAME) == result.assessment
