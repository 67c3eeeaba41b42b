"""Assessments kept in git: the merge driver that merges two branches' changes to one file
question by question (git config and .gitattributes lines are in the README)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Final

from pilot_tui.cli.common import EXIT_OK, bank_of
from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.problems import and_more
from pilot_tui.core.render import plural
from pilot_tui.core.report.rows import choice_label
from pilot_tui.core.text import printable
from pilot_tui.core.writers import merge_assessments, open_answer_clashes
from pilot_tui.store.files import StoreError, atomic_write, shown
from pilot_tui.store.format import checked_bytes, load_assessment_file

EXIT_CONFLICT: Final = 1
"""What git takes for "the merge has conflicts": the file is left for a person to settle."""


def cmd_git_merge(args: argparse.Namespace) -> int:
    """git's merge driver: BASE, OURS and THEIRS are the three versions (git's %O %A %B); the
    result replaces OURS. A clean merge exits 0. Answers both branches changed differently are
    left open with both versions in their notes, and the exit is 1, which git reports as a
    conflict; so is anything that cannot be merged safely, OURS then left exactly as it was.
    The written file always loads."""
    bank = bank_of(args)
    ours_path = Path(args.ours)
    where = printable(args.path or args.ours)

    def say(message: str) -> None:
        print(f"pilot-tui git-merge: {where}: {message}", file=sys.stderr)

    # Named by their part in the merge: git's temporary files (".merge_file_q83L9v") mean
    # nothing to the person reading the message.
    versions: dict[str, Assessment | None] = {}
    for part, given in (("ours", args.ours), ("theirs", args.theirs), ("base", args.base)):
        path = Path(given)
        try:
            empty = part == "base" and not path.read_bytes().strip()
            versions[part] = None if empty else load_assessment_file(path, bank)
        except (StoreError, OSError) as problem:
            reason = str(problem).removeprefix(f"{shown(path)}: ").removeprefix(f"{given}: ")
            say(f"not merged, ours left as it is: the {part} version: {reason}")
            return EXIT_CONFLICT
    ours, theirs, base = versions["ours"], versions["theirs"], versions["base"]
    assert ours is not None and theirs is not None
    if base is None:
        # Both branches added the file: nothing in common but what both wrote the same way.
        base = replace(ours, answers={}, participants={}, milestones=[], context_changes=[])
        if ours.meta.title != theirs.meta.title:
            say(
                f"not merged, ours left as it is: both branches added it, about different "
                f"pilots ({ours.meta.title!r} and {theirs.meta.title!r})"
            )
            return EXIT_CONFLICT
    merged, taken, clashes = merge_assessments(base, ours, theirs)
    if any(clash.startswith("together:") for clash in clashes):
        say(f"not merged, ours left as it is: {and_more(clashes)}")
        return EXIT_CONFLICT
    merged = open_answer_clashes(merged, ours, theirs, clashes, _labeller(bank))
    try:
        atomic_write(ours_path, checked_bytes(merged, ours_path, bank))
    except (StoreError, OSError) as problem:
        say(f"not merged, ours left as it is: {problem}")
        return EXIT_CONFLICT
    answers = [clash.partition(" ")[2] for clash in clashes if clash.startswith("answer ")]
    others = [clash for clash in clashes if not clash.startswith("answer ")]
    if not clashes:
        say(f"merged question by question ({len(taken)} changes from theirs)")
        return EXIT_OK
    if answers:
        say(
            f"{plural(len(answers), 'answer')} both branches changed differently "
            f"{'is' if len(answers) == 1 else 'are'} left open, both "
            f"versions in their notes: {', '.join(answers)}; answer them (pilot-tui open), "
            "then git add"
        )
    if others:
        say(f"both branches changed {', '.join(others)} differently: ours was kept; check it")
    return EXIT_CONFLICT


def _labeller(bank: Bank) -> Callable[[str, str | None], str]:
    index = bank.question_index()

    def label(question_id: str, choice_id: str | None) -> str:
        if question_id not in index:
            return choice_id or "no choice"
        return choice_label(bank, index[question_id][1], choice_id)

    return label
