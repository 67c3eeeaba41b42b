"""What every command shares: exit codes, the one-line usage error, the store and bank the
global options name, JSON and file output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pilot_tui.core.assessment import Assessment
from pilot_tui.core.bank import Bank
from pilot_tui.core.text import printable
from pilot_tui.store import (
    Store,
    load_bank,
    resolve_data_dir,
)
from pilot_tui.store.files import StoreError, shown, write_output

_NOT_UTF8 = re.compile("[\udc80-\udcff]")


EXIT_OK = 0


EXIT_GATE = 1


EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the command line: reported as one line, exit 2."""


# ---------------------------------------------------------------------------- parser


def bank_of(args: argparse.Namespace) -> Bank:
    return load_bank(args.bank)


def store_of(args: argparse.Namespace) -> Store:
    return Store(resolve_data_dir(args.data_dir), bank_of(args))


def print_json(value: Any) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    # A file name that is not UTF-8 holds lone surrogates, which no UTF-8 text can carry: each
    # such byte is written as the text list shows it, "caf\xe9" (a backslash escaped for JSON).
    print(_NOT_UTF8.sub(lambda byte: f"\\\\x{ord(byte.group()) - 0xDC00:02x}", text))


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def send_output(
    args: argparse.Namespace,
    text: str,
    output: str | None,
    *,
    reads: Sequence[Path] = (),
    quiet: bool = False,
) -> None:
    """TEXT to standard output (no -o, or -o -), or to the file the user named, saying so
    (unless QUIET: the command says it its own way).

    The file is created; an existing one is replaced only with --force, and never a file of the
    data folder or one this command READS (or the bank it uses): see files.write_output.
    """
    if output == "":
        raise UsageError("-o needs a file name (or - for standard output)")
    if output is None or output in ("-", "/dev/stdout"):
        sys.stdout.write(text)
        return
    inputs = [*reads, *([Path(args.bank)] if args.bank else [])]
    write_output(
        Path(output),
        text,
        force=args.force,
        protected=[resolve_data_dir(args.data_dir)],
        inputs=inputs,
    )
    if not quiet:
        # Silence would leave the user wondering whether anything happened, and where.
        print(f"wrote {printable(output)}")


def parse_due(text: str, *, option: str = "--due") -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r} is not a date in the form YYYY-MM-DD") from None


# ---------------------------------------------------------------------------- commands


def parse_context(bank: Bank, words: Sequence[str]) -> dict[str, list[str]]:
    """Context options as typed (llm-tools,customers), grouped by the question they answer."""
    context: dict[str, list[str]] = {}
    for option in (part.strip() for word in words for part in word.split(",")):
        if not option:
            continue
        facet = bank.facet_of(option)
        if facet is None:
            known = ", ".join(o.id for f in bank.contexts for o in f.options) or "none"
            raise UsageError(f"{option!r} is not a context option of this bank ({known})")
        chosen = context.setdefault(facet.id, [])
        if option not in chosen:
            chosen.append(option)
    return context


def save_change(
    store: Store, name: str, path: Path, before: Assessment, after: Assessment, what: str
) -> Assessment:
    """Write AFTER over PATH, which held BEFORE when the command read it; what is on disk now.

    An app saving the same assessment meanwhile keeps its changes (merged in); a clash leaves
    the file as the other writer saved it, puts this change (WHAT: "this answer", say) in a
    conflicting copy, and the error names it.
    """
    result = store.save_file(path, after, base=before)
    if result.conflicts:
        raise StoreError(
            f"{name} was changed elsewhere at the same time ({result.conflicts[0]}); it is left "
            f"as it was saved there, and {what} is in {shown(result.path)}"
        )
    return result.assessment


def change_reference(
    args: argparse.Namespace,
    reference: str,
    edit: Callable[[Bank, Assessment], Assessment],
    what: str,
) -> Assessment:
    """Load the assessment REFERENCE names, EDIT it (a ValueError from the core's rules is the
    user's input error, in one line), and save it as save_change does; the edited assessment."""
    store = store_of(args)
    assessment, path = store.load_reference(reference)
    try:
        updated = edit(store.bank, assessment)
    except ValueError as error:
        raise UsageError(str(error)) from None
    save_change(store, reference, path, assessment, updated, what)
    return updated
