"""The command line's arguments: every command, its options and their help."""

from __future__ import annotations

import argparse
from typing import Any, NoReturn

from pilot_tui import __version__
from pilot_tui.cli.common import (
    EXIT_USAGE,
)
from pilot_tui.schemas import KINDS


class _Parser(argparse.ArgumentParser):
    """Reports a usage error as one line on stderr, exit 2, like every other input error.

    argparse's own report is the whole usage block and then `pilot-tui score: error: ...`,
    which is several lines and a different prefix from the rest of the command line's errors.
    """

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix("pilot-tui").strip()
        where = f"{command}: " if command else ""
        self.exit(EXIT_USAGE, f"pilot-tui: error: {where}{message} (see `{self.prog} --help`)\n")


def _global_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where assessments are kept (default: $PILOT_TUI_DATA_DIR, or the user data folder)",
    )
    parser.add_argument(
        "--bank",
        metavar="PATH",
        default=default,
        help="a question bank TOML file to use instead of the built-in one",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="pilot-tui",
        description="Tells an AI team whether its pilot is ready for production, and what to "
        "fix first. With no command, opens the interactive app.",
    )
    parser.add_argument("--version", action="version", version=f"pilot-tui {__version__}")
    _global_options(parser, default=None)
    # The same options are accepted after the command too; SUPPRESS keeps the earlier value.
    common = _Parser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(name, help=help_text, description=help_text, parents=[common])

    sub = add("open", "open an assessment in the app, straight into its interview")
    sub.add_argument("reference", metavar="NAME|FILE")

    sub = add("new", "create an assessment and print its name")
    sub.add_argument("title", help='what is assessed, e.g. "Claims triage bot"')
    sub.add_argument("--team", default="", help="the team that owns the pilot")
    sub.add_argument("--facilitator", default="", help="who runs the assessment")
    sub.add_argument("--stage", default="", help="where the pilot is, in your words")
    sub.add_argument(
        "--respondent",
        default="",
        help="your name, when you answer alone (it names your answers in a merge)",
    )
    _context_option(sub)

    sub = add(
        "context",
        "show the pilot's context (what kind of system, whom it serves), or change it; "
        "every change is recorded",
    )
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument(
        "options",
        nargs="*",
        metavar="OPTION",
        help="context options to set, e.g. llm-tools customers decisions (`pilot-tui bank "
        "show` lists them); each replaces the answer to its context question",
    )
    sub.add_argument(
        "--reason",
        help="why the context changes (needed to change it: it changes which questions count)",
    )

    sub = add("list", "list the assessments in the data folder")
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = add("answer", "record the answer to one question")
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument("question", metavar="QUESTION_ID")
    sub.add_argument("choice", metavar="CHOICE", help="a choice id (see `pilot-tui bank show`)")
    sub.add_argument("--notes")
    sub.add_argument("--owner")
    sub.add_argument("--due", metavar="YYYY-MM-DD")
    sub.add_argument(
        "--evidence",
        metavar="PATH|URL",
        help="a path in the repository, a web address, or words (see `pilot-tui evidence`)",
    )
    sub.add_argument(
        "--verified",
        metavar="YYYY-MM-DD",
        help="the day the evidence was last checked (today: `today`; empty: not said)",
    )
    sub.add_argument("--reason", help="why the question does not apply (with not applicable)")

    sub = add(
        "waive",
        "accept a blocker's risk for a limited time: it no longer holds the level back, and is "
        "shown as waived until it expires",
    )
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument("question", metavar="QUESTION_ID")
    sub.add_argument("--reason", required=True, help="why the risk is accepted")
    sub.add_argument("--requester", required=True, help="who asks for the waiver")
    sub.add_argument("--approver", required=True, help="who accepts the risk (never the requester)")
    sub.add_argument(
        "--expires", required=True, metavar="YYYY-MM-DD", help="the last day the waiver holds"
    )

    sub = add(
        "evidence",
        "check each answer's evidence: paths in the repository (never outside it), web "
        "addresses (not fetched), their age; exit 1 when any is missing or stale",
    )
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument("--json", action="store_true", help="print JSON")
    evidence_options(sub)

    sub = add("unwaive", "remove a blocker's waiver: the blocker stands again")
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument("question", metavar="QUESTION_ID")

    sub = add("score", "print the readiness scorecard; with a gate, exit 1 when it fails")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--json", action="store_true", help="print JSON")
    sub.add_argument(
        "--fail-under", type=float, metavar="N", help="exit 1 when the headline score is below N"
    )
    sub.add_argument(
        "--require",
        metavar="LEVEL",
        help="exit 1 when the readiness level is below LEVEL, a level id of the bank "
        "(built-in: demo, pilot, candidate, ready)",
    )
    sub.add_argument(
        "--require-evidence",
        action="store_true",
        help="for the gate, a met answer without evidence that is present and fresh counts as "
        "partly met (see `pilot-tui evidence`)",
    )
    evidence_options(sub)

    sub = add("plan", "print the action plan: every gap, most important first")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = add("export", "write an assessment's TOML to standard output or a file")
    sub.add_argument("name", metavar="NAME")
    _output_options(sub)

    sub = add("import", "copy an assessment file into the data folder, after validating it")
    sub.add_argument("file", metavar="FILE")
    sub.add_argument("--as", dest="as_name", metavar="NAME", help="the name to store it under")
    sub.add_argument("--force", action="store_true", help="replace an assessment of that name")

    sub = add(
        "bank",
        "show or validate a question bank, or list the frameworks its questions refer to "
        "(each item, and the questions that cover it)",
    )
    sub.add_argument("action", choices=["show", "validate", "frameworks"])
    sub.add_argument("path", nargs="?", metavar="PATH", help="a bank file (default: --bank)")
    sub.add_argument("--json", action="store_true", help="print JSON (show, frameworks)")

    sub = add(
        "schema",
        "print the JSON Schema of an assessment file or a question bank, for an editor that "
        "validates TOML (see the README: editing files by hand)",
    )
    sub.add_argument("kind", choices=KINDS)

    sub = add(
        "merge",
        "merge people's own assessment files into one team assessment: each person's answers "
        "are kept, and the team's answer is the most common one (a tie goes to the more "
        "cautious answer)",
    )
    sub.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="one file per person (named by its respondent, or else its file name), or a merge",
    )
    sub.add_argument(
        "--title",
        help="the merged assessment's title (default: the title most files have; a warning "
        "when they differ)",
    )
    _output_options(sub, required=True)

    sub = add("disputes", "print the questions people answered differently, most disputed first")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = add("milestone", "save a named snapshot of the team's answers, to compare with later")
    sub.add_argument("name", metavar="NAME|FILE")
    sub.add_argument("label", metavar="LABEL", help='what to call it, e.g. "Workshop 1"')

    sub = add(
        "diff",
        "print what improved, regressed or changed between milestones, or between two files "
        "(two versions of one assessment)",
    )
    sub.add_argument("reference", metavar="NAME|FILE", help="the assessment, or the older file")
    sub.add_argument(
        "other", metavar="NEWER", nargs="?", help="the newer file (or name) to compare it with"
    )
    sub.add_argument(
        "--from", dest="from_label", metavar="LABEL", help="a milestone (default: the latest)"
    )
    sub.add_argument(
        "--to", dest="to_label", metavar="LABEL", help="a milestone (default: the answers now)"
    )
    sub.add_argument(
        "--format",
        choices=["text", "md", "json"],
        default="text",
        help="md: for a pull-request comment (default: text)",
    )
    sub.add_argument("--json", action="store_true", help="print JSON (as --format json)")

    sub = add("report", "write the full report as Markdown or a self-contained HTML page")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--format", choices=["md", "html"], default="md", help="default: md")
    sub.add_argument(
        "--by-framework",
        metavar="FRAMEWORK",
        help="add a part grouping the answers by that framework's items, with the items no "
        "question covers, e.g. NIST-AI-RMF (`pilot-tui bank frameworks` lists them)",
    )
    _output_options(sub)

    sub = add(
        "workshop",
        "run a live workshop on an assessment: the room votes privately on each question, the "
        "votes are revealed together, the team decides (resumes where it was left)",
    )
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument(
        "--timebox", type=_minutes, metavar="MINUTES", help="time per question (default: 3)"
    )
    sub.add_argument(
        "--anonymous",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="the projector and the participants' screens show counts only at the reveal, not "
        "who voted what (the assessment still keeps each person's answers, as a merge does)",
    )
    sub.add_argument(
        "--limit", type=int, metavar="N", help="participants who may join (default: 30)"
    )
    sub.add_argument(
        "--serve",
        action="store_true",
        help="also start the web server for participants' browsers (as `pilot-tui serve`)",
    )
    _server_options(sub)

    sub = add(
        "serve",
        "serve the participants' app of a workshop to browsers (needs pilot-tui[web])",
    )
    sub.add_argument("reference", metavar="NAME|FILE")
    _server_options(sub)
    # The facilitator's app starts the server with its own process id: the server ends with it.
    sub.add_argument("--exit-with", type=int, metavar="PID", help=argparse.SUPPRESS)

    sub = add(
        "portfolio",
        "many pilots at once: a heat map of pilots by root cause, what holds most of them back, "
        "levels, stale pilots and changes since each one's last milestone",
    )
    sub.add_argument(
        "paths",
        metavar="PATH",
        nargs="*",
        help="folders (their .toml files) and files; default: the data folder",
    )
    sub.add_argument(
        "--format", choices=["text", "md", "html", "json"], default="text", help="default: text"
    )
    sub.add_argument(
        "--stale-days",
        type=int,
        default=60,
        metavar="DAYS",
        help="a pilot not updated for this many days is listed as stale (default: 60)",
    )
    _output_options(sub)

    sub = add(
        "git-merge",
        "git's merge driver for assessment files: two branches' changes merged question by "
        "question; answers both changed differently are left open with both versions (see the "
        "README for the git configuration)",
    )
    sub.add_argument("base", metavar="BASE", help="the common ancestor's version (git's %%O)")
    sub.add_argument("ours", metavar="OURS", help="ours, replaced by the result (git's %%A)")
    sub.add_argument("theirs", metavar="THEIRS", help="theirs (git's %%B)")
    sub.add_argument("path", metavar="PATH", nargs="?", help="the file's path, for messages (%%P)")
    return parser


def _minutes(text: str) -> int:
    try:
        minutes = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not 0.5 <= minutes <= 60:
        raise argparse.ArgumentTypeError("a timebox is 0.5 to 60 minutes")
    return round(minutes * 60)


def _server_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default: 127.0.0.1, this machine only; any other is "
        "unencrypted, for a trusted room network)",
    )
    parser.add_argument("--port", type=int, default=8000, help="default: 8000")


def _context_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--context",
        action="append",
        default=[],
        metavar="OPTION[,OPTION...]",
        help="what the pilot is, e.g. --context llm-tools,customers (`pilot-tui bank show` "
        "lists the options); questions that do not apply are left out, and a context question "
        "left open counts every option",
    )


def _output_options(parser: argparse.ArgumentParser, *, required: bool = False) -> None:
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        required=required,
        help="the file to write, - for standard output"
        + ("" if required else " (the default)")
        + "; an existing file is left alone unless --force",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace FILE if it exists (never a file in the data folder or one being read)",
    )


# ---------------------------------------------------------------------------- helpers


def evidence_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--root",
        metavar="DIR",
        help="where evidence paths start (default: the repository the assessment file is in, "
        "or its folder)",
    )
    sub.add_argument(
        "--max-age",
        type=int,
        metavar="DAYS",
        help="evidence verified longer ago than this (or never) is stale",
    )
