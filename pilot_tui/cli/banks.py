"""`pilot-tui bank show|validate|frameworks`."""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

from pilot_tui.cli.common import (
    EXIT_OK,
    EXIT_USAGE,
    print_json,
)
from pilot_tui.cli.present import bank_text, frameworks_text
from pilot_tui.cli.shapes import bank_json, frameworks_json
from pilot_tui.core.bank_checks import BankError, parse_bank
from pilot_tui.core.text import printable
from pilot_tui.store import (
    default_bank_text,
    load_bank,
    read_toml,
)


def cmd_bank(args: argparse.Namespace) -> int:
    path = args.path or args.bank
    if args.action == "validate":
        return _bank_validate(path)
    bank = load_bank(path)
    if args.action == "frameworks":
        if args.json:
            print_json(frameworks_json(bank))
        else:
            print(frameworks_text(bank))
    elif args.json:
        print_json(bank_json(bank))
    else:
        print(bank_text(bank))
    return EXIT_OK


def _bank_validate(path: str | None) -> int:
    # The shipped bank is validated in full here: load_bank() trusts it (see store.load_bank).
    data = tomllib.loads(default_bank_text()) if path is None else read_toml(Path(path))
    name = path or "built-in bank"
    try:
        bank = parse_bank(data)
    except BankError as error:
        for problem in error.problems:
            print(printable(f"{name}: {problem}"), file=sys.stderr)
        count = len(error.problems)
        print(
            printable(f"{name}: invalid bank, {count} problem{'' if count == 1 else 's'}"),
            file=sys.stderr,
        )
        return EXIT_USAGE
    questions = sum(len(section.questions) for section in bank.sections)
    print(
        f"{printable(name)}: valid bank {bank.id!r} version {bank.version}: "
        f"{len(bank.sections)} sections, {questions} questions, {len(bank.levels)} levels"
    )
    return EXIT_OK
