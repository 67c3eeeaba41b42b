"""The `pilot-tui` command line.

With no command it opens the app. The other commands are headless and must not import textual:
a CI job running the readiness gate should not pay for the TUI.

Its rooms: parser.py (the arguments), common.py (what commands share), assessments.py,
verdict.py and banks.py (the commands), shapes.py (the JSON of --json, pinned by tests) and
present.py (text).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Final

from pilot_tui.cli.common import EXIT_OK, EXIT_USAGE, UsageError, store_of
from pilot_tui.cli.parser import build_parser
from pilot_tui.collector import resume_collection
from pilot_tui.core.text import is_utf8, printable
from pilot_tui.store.files import StoreError, reason, shown


def cmd_app(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the headless commands must never load textual.
    from pilot_tui.ui.app import run_app

    store = store_of(args)
    return run_app(store, reference=getattr(args, "reference", None))


APP: Final = "app"
"""What COMMANDS gives for the app itself (no command, or `open`)."""
COMMANDS: Final[dict[str | None, str]] = {
    None: APP,
    "open": APP,
    "new": "assessments:cmd_new",
    "context": "assessments:cmd_context",
    "list": "assessments:cmd_list",
    "answer": "assessments:cmd_answer",
    "score": "verdict:cmd_score",
    "plan": "verdict:cmd_plan",
    "export": "assessments:cmd_export",
    "import": "assessments:cmd_import",
    "bank": "banks:cmd_bank",
    "schema": "schema:cmd_schema",
    "merge": "assessments:cmd_merge",
    "disputes": "verdict:cmd_disputes",
    "milestone": "assessments:cmd_milestone",
    "diff": "verdict:cmd_diff",
    "report": "verdict:cmd_report",
    "workshop": "workshop:cmd_workshop",
    "serve": "workshop:cmd_serve",
    "git-merge": "repository:cmd_git_merge",
    "portfolio": "portfolio:cmd_portfolio",
    "waive": "waivers:cmd_waive",
    "evidence": "evidence:cmd_evidence",
    "unwaive": "waivers:cmd_unwaive",
}
"""Each command's function, as "module:function" in pilot_tui.cli: a command imports its own
module only, so that the app's start does not pay for the reports' and the workshop's code."""


def command(name: str | None) -> Callable[[argparse.Namespace], int]:
    """The function that runs the command NAME."""
    where = COMMANDS[name]
    if where == APP:
        return cmd_app
    module, function = where.split(":")
    found: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"pilot_tui.cli.{module}"), function
    )
    return found


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
    if COMMANDS[args.command] not in (APP, COMMANDS["workshop"]):
        # The app resumes collection after its first frame; see pilot_tui/collector.py.
        resume_collection()
    try:
        return command(args.command)(args)
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
