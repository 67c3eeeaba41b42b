"""The `pilot-tui` command line.

With no command it opens the app. The other commands are headless and must not import textual:
a CI job running the readiness gate should not pay for the TUI.

Its rooms: parser.py (the arguments), common.py (what commands share), assessments.py,
verdict.py and banks.py (the commands), shapes.py (the JSON of --json, pinned by tests) and
present.py (text).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from pilot_tui.cli.assessments import (
    cmd_answer,
    cmd_context,
    cmd_export,
    cmd_import,
    cmd_list,
    cmd_merge,
    cmd_milestone,
    cmd_new,
)
from pilot_tui.cli.banks import cmd_bank
from pilot_tui.cli.common import EXIT_OK, EXIT_USAGE, UsageError, store_of
from pilot_tui.cli.evidence import cmd_evidence
from pilot_tui.cli.parser import build_parser
from pilot_tui.cli.portfolio import cmd_portfolio
from pilot_tui.cli.repository import cmd_git_merge
from pilot_tui.cli.schema import cmd_schema
from pilot_tui.cli.verdict import cmd_diff, cmd_disputes, cmd_plan, cmd_report, cmd_score
from pilot_tui.cli.waivers import cmd_unwaive, cmd_waive
from pilot_tui.cli.workshop import cmd_serve, cmd_workshop
from pilot_tui.collector import resume_collection
from pilot_tui.core.text import is_utf8, printable
from pilot_tui.store.files import StoreError, reason, shown


def cmd_app(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the headless commands must never load textual.
    from pilot_tui.ui.app import run_app

    store = store_of(args)
    return run_app(store, reference=getattr(args, "reference", None))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_app,
    "open": cmd_app,
    "new": cmd_new,
    "context": cmd_context,
    "list": cmd_list,
    "answer": cmd_answer,
    "score": cmd_score,
    "plan": cmd_plan,
    "export": cmd_export,
    "import": cmd_import,
    "bank": cmd_bank,
    "schema": cmd_schema,
    "merge": cmd_merge,
    "disputes": cmd_disputes,
    "milestone": cmd_milestone,
    "diff": cmd_diff,
    "report": cmd_report,
    "workshop": cmd_workshop,
    "serve": cmd_serve,
    "git-merge": cmd_git_merge,
    "portfolio": cmd_portfolio,
    "waive": cmd_waive,
    "evidence": cmd_evidence,
    "unwaive": cmd_unwaive,
}


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    for argument in arguments:
        # Python keeps bytes that are not UTF-8 as lone surrogates, which cannot be printed or
        # written to a file: a title or a name must be text.
        if not is_utf8(argument):
            return _fail(f'argument "{printable(argument)}" is not valid UTF-8 text')
    if sys.stdout is None:
        # Started with standard output closed (`>&-`): what the command prints would be lost.
        if sys.stderr is not None:
            print("pilot-tui: error: standard output is closed", file=sys.stderr)
        return EXIT_USAGE
    parser = build_parser()
    args = parser.parse_args(arguments)
    if COMMANDS[args.command] not in (cmd_app, cmd_workshop):
        # The app resumes collection after its first frame; see pilot_tui/collector.py.
        resume_collection()
    try:
        return COMMANDS[args.command](args)
    except (StoreError, UsageError) as error:
        return _fail(str(error))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of our output went away (`pilot-tui bank show | head`): not an error.
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:
        # A path the system refuses where no message of ours was ready (too long, no permission,
        # not a folder): still one line, naming the path.
        where = f"{shown(error.filename)}: " if error.filename is not None else ""
        return _fail(f"{where}{reason(error)}")


def _fail(message: str) -> int:
    """Report an input error as one line on standard error; the exit code for it."""
    print(f"pilot-tui: error: {printable(message)}", file=sys.stderr)
    return EXIT_USAGE
