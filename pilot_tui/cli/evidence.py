"""`pilot-tui evidence`: each answer's evidence checked against the repository."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from pilot_tui.cli.common import EXIT_OK, UsageError, print_json, store_of
from pilot_tui.core.evidence import EvidenceCheck
from pilot_tui.core.render import plural
from pilot_tui.core.scoring import utc_today
from pilot_tui.core.text import printable
from pilot_tui.store.evidence import check_evidence, evidence_root

EXIT_PROBLEMS = 1
"""Some evidence is missing, outside the repository or stale: a CI job fails on it."""


def checks_for(args: argparse.Namespace, reference: str) -> list[EvidenceCheck]:
    """The evidence of the assessment REFERENCE names, checked as ARGS say."""
    if args.max_age is not None and args.max_age < 0:
        raise UsageError("--max-age takes a number of days, 0 or more")
    store = store_of(args)
    assessment, path = store.load_reference(reference)
    root = Path(args.root) if args.root else evidence_root(path)
    if not root.is_dir():
        raise UsageError(f"--root {printable(str(root))!r} is not a folder")
    return check_evidence(store.bank, assessment, root, today=utc_today(), max_age=args.max_age)


def cmd_evidence(args: argparse.Namespace) -> int:
    checks = checks_for(args, args.name)
    problems = [check for check in checks if check.problem and check.state != "words"]
    if args.json:
        print_json([_check_json(check) for check in checks])
        return EXIT_PROBLEMS if problems else EXIT_OK
    if not checks:
        print(f"{args.name}: no answer gives evidence")
        return EXIT_OK
    for check in checks:
        shown = printable(check.evidence)
        if check.problem:
            print(f"{check.question}: {shown}: {check.problem}")
        else:
            print(f"{check.question}: {shown}: {_ok_words(check)}")
    print(
        f"{plural(len(checks), 'answer')} with evidence; {len(problems)} "
        f"{'needs' if len(problems) == 1 else 'need'} attention"
    )
    return EXIT_PROBLEMS if problems else EXIT_OK


def _ok_words(check: EvidenceCheck) -> str:
    where = "in the repository" if check.state == "present" else "a web address"
    when = f", verified {check.verified.isoformat()}" if check.verified is not None else ""
    return f"{where}{when}"


def _check_json(check: EvidenceCheck) -> dict[str, Any]:
    return {
        "question": check.question,
        "evidence": check.evidence,
        "kind": check.kind,
        "state": check.state,
        "verified": check.verified.isoformat() if check.verified is not None else None,
        "stale": check.stale,
        "trusted": check.trusted,
        "problem": check.problem,
    }
