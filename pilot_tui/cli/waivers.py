"""`pilot-tui waive` and `unwaive`: accepted risks, recorded in the assessment file."""

from __future__ import annotations

import argparse
from datetime import date

from pilot_tui.cli.common import EXIT_OK, UsageError, change_reference
from pilot_tui.core.assessment import now_utc
from pilot_tui.core.text import printable
from pilot_tui.core.waivers import unwaive, waive


def cmd_waive(args: argparse.Namespace) -> int:
    expires = _day(args.expires)
    updated = change_reference(
        args,
        args.name,
        lambda bank, assessment: waive(
            bank,
            assessment,
            args.question,
            reason=args.reason,
            requester=args.requester,
            approver=args.approver,
            expires=expires,
            now=now_utc(),
        ),
        "the waiver",
    )
    waiver = updated.waivers[args.question]
    print(
        f"{args.name}: the blocker {args.question} is waived until {waiver.expires.isoformat()}, "
        f"approved by {printable(waiver.approver)}; it is shown as waived everywhere, and stands "
        "again once the waiver expires"
    )
    return EXIT_OK


def cmd_unwaive(args: argparse.Namespace) -> int:
    change_reference(
        args,
        args.name,
        lambda _, assessment: unwaive(assessment, args.question, now=now_utc()),
        "the change",
    )
    print(f"{args.name}: the waiver of {args.question} is removed; its blocker stands again")
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--expires {text!r} is not a date in the form YYYY-MM-DD") from None
