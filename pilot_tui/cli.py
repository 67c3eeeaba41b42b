"""The `pilot-tui` command line.

With no command it opens the app. The other commands are headless and must not import textual:
a CI job running the readiness gate should not pay for the TUI.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
import tomllib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from pilot_tui import __version__
from pilot_tui.core.assessment import (
    Assessment,
    edit_answer,
    new_assessment,
    now_utc,
    with_answer,
    with_context,
)
from pilot_tui.core.bank import Bank, BankError, Choice, parse_bank
from pilot_tui.core.merge import Disagreement, MergeError, MergeInput, disagreements, merge
from pilot_tui.core.milestones import (
    Change,
    Replaced,
    add_milestone,
    diff_answers,
    milestone_named,
    replaced_answers,
)
from pilot_tui.core.render import (
    context_lines,
    context_text,
    plan_text,
    plural,
    rules_lines,
    scorecard_text,
)
from pilot_tui.core.scoring import (
    action_plan,
    answer_choice,
    default_cap,
    not_applicable_cap,
    score,
    unanswered_cap,
)
from pilot_tui.core.text import is_utf8, printable
from pilot_tui.startup import resume_collection
from pilot_tui.store import (
    Store,
    default_bank_text,
    dumps_assessment,
    load_assessment_file,
    load_bank,
    read_toml,
    resolve_data_dir,
)
from pilot_tui.store.files import StoreError, reason, shown, write_output

_NOT_UTF8 = re.compile("[\udc80-\udcff]")
EXIT_OK = 0
EXIT_GATE = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """Bad input from the command line: reported as one line, exit 2."""


# ---------------------------------------------------------------------------- parser


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
    sub.add_argument("name", metavar="NAME")
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
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("question", metavar="QUESTION_ID")
    sub.add_argument("choice", metavar="CHOICE", help="a choice id (see `pilot-tui bank show`)")
    sub.add_argument("--notes")
    sub.add_argument("--owner")
    sub.add_argument("--due", metavar="YYYY-MM-DD")
    sub.add_argument("--evidence", metavar="URL")
    sub.add_argument("--reason", help="why the question does not apply (with not applicable)")

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

    sub = add("bank", "show or validate a question bank")
    sub.add_argument("action", choices=["show", "validate"])
    sub.add_argument("path", nargs="?", metavar="PATH", help="a bank file (default: --bank)")
    sub.add_argument("--json", action="store_true", help="print JSON (show)")

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
    sub.add_argument("--title", help="the merged assessment's title (default: the first file's)")
    _output_options(sub, required=True)

    sub = add("disputes", "print the questions people answered differently, most disputed first")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = add("milestone", "save a named snapshot of the team's answers, to compare with later")
    sub.add_argument("name", metavar="NAME")
    sub.add_argument("label", metavar="LABEL", help='what to call it, e.g. "Workshop 1"')

    sub = add("diff", "print what improved, regressed or changed between milestones")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument(
        "--from", dest="from_label", metavar="LABEL", help="a milestone (default: the latest)"
    )
    sub.add_argument(
        "--to", dest="to_label", metavar="LABEL", help="a milestone (default: the answers now)"
    )
    sub.add_argument("--json", action="store_true", help="print JSON")

    sub = add("report", "write the full report as Markdown or a self-contained HTML page")
    sub.add_argument("reference", metavar="NAME|FILE")
    sub.add_argument("--format", choices=["md", "html"], default="md", help="default: md")
    _output_options(sub)
    return parser


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


def _bank(args: argparse.Namespace) -> Bank:
    return load_bank(args.bank)


def _store(args: argparse.Namespace) -> Store:
    return Store(resolve_data_dir(args.data_dir), _bank(args))


def _print_json(value: Any) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    # A file name that is not UTF-8 holds lone surrogates, which no UTF-8 text can carry: each
    # such byte is written as the text list shows it, "caf\xe9" (a backslash escaped for JSON).
    print(_NOT_UTF8.sub(lambda byte: f"\\\\x{ord(byte.group()) - 0xDC00:02x}", text))


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _write_output(
    args: argparse.Namespace, text: str, output: str | None, *, reads: Sequence[Path] = ()
) -> None:
    """TEXT to standard output (no -o, or -o -), or to the file the user named.

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


def _parse_due(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--due {text!r} is not a date in the form YYYY-MM-DD") from None


# ---------------------------------------------------------------------------- commands


def cmd_new(args: argparse.Namespace) -> int:
    store = _store(args)
    context = _parse_context(store.bank, args.context)
    try:
        assessment = new_assessment(
            store.bank,
            args.title,
            team=args.team,
            facilitator=args.facilitator,
            stage=args.stage,
            respondent=args.respondent,
            context=context,
            now=now_utc(),
        )
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(store.create(assessment))
    return EXIT_OK


def _parse_context(bank: Bank, words: Sequence[str]) -> dict[str, list[str]]:
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


def cmd_context(args: argparse.Namespace) -> int:
    store = _store(args)
    bank = store.bank
    assessment = store.load(args.name)
    if args.options:
        wanted = {**assessment.context, **_parse_context(bank, args.options)}
        try:
            updated = with_context(
                assessment, bank, wanted, reason=args.reason or "", now=now_utc()
            )
        except ValueError as error:
            raise UsageError(str(error).replace("needs a reason", "needs --reason")) from None
        if updated is not assessment:
            result = store.save(args.name, updated, base=assessment)
            if result.conflicts:
                raise StoreError(
                    f"{args.name} was changed elsewhere at the same time "
                    f"({result.conflicts[0]}); it is left as it was saved there, and the new "
                    f"context is in {shown(result.path)}"
                )
            assessment = result.assessment
    print(context_text(bank, assessment))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    store = _store(args)
    rows: list[dict[str, Any]] = []
    for entry in store.entries():
        if entry.assessment is None:
            rows.append({"name": entry.name, "path": str(entry.path), "error": entry.error})
            continue
        card = score(store.bank, entry.assessment)
        meta = entry.assessment.meta
        rows.append(
            {
                "name": entry.name,
                "path": str(entry.path),
                "title": meta.title,
                "team": meta.team,
                "updated": meta.updated.isoformat(),
                "coverage": round(card.coverage, 3),
                "level": card.level,
                "level_title": card.level_title,
                "score": _rounded(card.score),
            }
        )
    if args.json:
        _print_json(rows)
        return EXIT_OK
    if not rows:
        print(f'No assessments in {shown(store.root)} yet. Create one: pilot-tui new "Title"')
        return EXIT_OK
    # Names of files that are not assessments are anything the folder holds: shown escaped.
    names = {row["name"]: printable(row["name"]) for row in rows}
    width = max(len(name) for name in names.values())
    for row in rows:
        name = names[row["name"]]
        if "error" in row:
            print(f"{name:<{width}}  UNREADABLE: {printable(row['error'])}")
        else:
            print(
                f"{name:<{width}}  {row['title']}  (updated {row['updated'][:10]}, "
                f"{row['coverage']:.0%} answered, {row['level_title']})"
            )
    return EXIT_OK


def cmd_answer(args: argparse.Namespace) -> int:
    store = _store(args)
    bank = store.bank
    assessment = store.load(args.name)
    found = bank.question_index().get(args.question)
    if found is None:
        raise UsageError(
            f"no question {args.question!r} in bank {bank.id!r} (`pilot-tui bank show` lists them)"
        )
    question = found[1]
    current = assessment.answers.get(question.id)
    fields: dict[str, Any] = {
        option: getattr(args, option)
        for option in ("notes", "owner", "evidence", "reason")
        if getattr(args, option) is not None
    }
    if args.due is not None:
        fields["due"] = _parse_due(args.due) if args.due else None
    try:
        answer = edit_answer(bank, question.id, current, choice=args.choice, **fields)
    except ValueError as error:
        raise UsageError(str(error)) from None
    choice = answer_choice(bank, question, answer)
    assert choice is not None  # edit_answer accepted it
    cleared = ""
    if current is not None and (current.owner or current.due) and choice.not_applicable:
        cleared = "; its owner and due date are cleared"
    updated = with_answer(assessment, question.id, answer, now=now_utc())
    # Against the version loaded above: an app saving the same assessment meanwhile keeps its
    # answers (merged in), and a clash on this question leaves the file as the other writer
    # saved it and puts this answer in a conflicting copy, which the error names.
    result = store.save(args.name, updated, base=assessment)
    if result.conflicts:
        raise StoreError(
            f"{args.name} was changed elsewhere at the same time ({result.conflicts[0]}); it is "
            f"left as it was saved there, and this answer is in {result.path}"
        )
    card = score(bank, result.assessment)
    print(
        f"{args.name}: {question.id} = {choice.id} ({choice.label}){cleared}; "
        f"{card.level_title}, {card.answered}/{card.total} answered"
    )
    return EXIT_OK


def _scorecard_json(bank: Bank, assessment: Assessment) -> dict[str, Any]:
    card = score(bank, assessment)
    return {
        "title": assessment.meta.title,
        "bank": {"id": bank.id, "version": bank.version},
        "level": card.level,
        "level_title": card.level_title,
        "score": _rounded(card.score),
        "average": _rounded(card.average),
        "coverage": round(card.coverage, 3),
        "answered": card.answered,
        "total": card.total,
        "unknown": card.unknown,
        "weakest": card.weakest,
        "capped_by_blockers": card.capped,
        "level_reached_by_score": card.reached,
        "context": {facet: list(options) for facet, options in assessment.context.items()},
        "context_not_chosen": list(card.assumed),
        "context_changes": [
            {
                "at": change.at.isoformat(),
                "before": {facet: list(o) for facet, o in change.before.items()},
                "after": {facet: list(o) for facet, o in change.after.items()},
                "reason": change.reason,
            }
            for change in assessment.context_changes
        ],
        "answers_not_counted_in_this_context": list(card.unasked),
        "not_applicable": card.not_applicable,
        "sections": [
            {
                "id": s.id,
                "title": s.title,
                "score": _rounded(s.score),
                "level": s.level,
                "status": s.status,
                "answered": s.answered,
                "total": s.total,
                "unknown": s.unknown,
                "not_applicable": s.not_applicable,
                "blockers": s.blockers,
            }
            for s in card.sections
        ],
        "blockers": [
            {
                "question": b.question,
                "section": b.section,
                "title": b.title,
                "reason": b.reason,
                "holds_level_at": b.cap,
            }
            for b in card.blockers
        ],
        "orphaned": list(card.orphaned),
    }


def cmd_score(args: argparse.Namespace) -> int:
    store = _store(args)
    bank = store.bank
    required = None
    if args.require is not None:
        required = bank.level(args.require)
        if required is None:
            known = ", ".join(level.id for level in bank.levels)
            raise UsageError(f"--require {args.require!r} is not a level of this bank ({known})")
    if args.fail_under is not None and not 0 <= args.fail_under <= 100:
        raise UsageError("--fail-under takes a score from 0 to 100")
    assessment, _ = store.load_reference(args.reference)
    card = score(bank, assessment)
    if args.json:
        _print_json(_scorecard_json(bank, assessment))
    else:
        print(scorecard_text(bank, card, assessment))
    failures: list[str] = []
    if args.fail_under is not None and round(card.score, 1) < args.fail_under:
        failures.append(f"score {card.score:.1f} is below {args.fail_under:g}")
    if required is not None:
        order = [level.id for level in bank.levels]
        if order.index(card.level) < order.index(required.id):
            failures.append(f"level {card.level_title!r} is below {required.title!r}")
    for failure in failures:
        print(f"pilot-tui: gate failed: {failure}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    store = _store(args)
    assessment, _ = store.load_reference(args.reference)
    items = action_plan(store.bank, assessment)
    if args.json:
        _print_json([dataclasses.asdict(item) for item in items])
    else:
        print(plan_text(items))
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    store = _store(args)
    text = store.export_text(args.name)
    _write_output(args, text, args.output, reads=[store.path_for(args.name)])
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    store = _store(args)
    print(store.import_file(Path(args.file), name=args.as_name, force=args.force))
    return EXIT_OK


def cmd_bank(args: argparse.Namespace) -> int:
    path = args.path or args.bank
    if args.action == "validate":
        return _bank_validate(path)
    bank = load_bank(path)
    if args.json:
        _print_json(_bank_json(bank))
    else:
        print(_bank_text(bank))
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


def _bank_json(bank: Bank) -> dict[str, Any]:
    def choices(question_choices: Sequence[Choice]) -> list[dict[str, Any]]:
        return [
            {
                "id": c.id,
                "label": c.label,
                "score": c.score,
                "unknown": c.unknown,
                "not_applicable": c.not_applicable,
                "needs": list(c.needs),
                "critical_cap": None
                if c.not_applicable or (c.score or 0) >= 100
                else c.critical_cap or default_cap(bank, c),
                "retired": c.retired,
            }
            for c in question_choices
        ]

    return {
        "id": bank.id,
        "version": bank.version,
        "title": bank.title,
        "levels": [{"id": lv.id, "title": lv.title, "min": lv.min} for lv in bank.levels],
        "rules": {
            "unanswered_cap": unanswered_cap(bank),
            "not_applicable_cap": not_applicable_cap(bank),
        },
        "contexts": [
            {
                "id": facet.id,
                "title": facet.title,
                "question": facet.question,
                "multiple": facet.multiple,
                "options": [{"id": o.id, "label": o.label} for o in facet.options],
            }
            for facet in bank.contexts
        ],
        "sections": [
            {
                "id": section.id,
                "title": section.title,
                "questions": [
                    {
                        "id": q.id,
                        "title": q.title,
                        "text": q.text,
                        "weight": q.weight,
                        "critical": q.critical,
                        "critical_when": list(q.critical_when),
                        "applies_when": list(q.applies_when),
                        "choices": choices(bank.choices_for(q)),
                    }
                    for q in section.questions
                ],
            }
            for section in bank.sections
        ],
        "retired": [
            {
                "id": old.id,
                "title": old.title,
                "version": old.version,
                "replaced_by": list(old.replaced_by),
                "change": old.change,
            }
            for old in bank.retired
        ],
    }


def _bank_text(bank: Bank) -> str:
    labels = {o.id: o.label for facet in bank.contexts for o in facet.options}
    lines = [f"{bank.title} (bank {bank.id}, version {bank.version})", ""]
    lines += ["How the verdict is worked out:", *(f"  {line}" for line in rules_lines(bank))]
    lines += ["", "Answers (CHOICE ids for `pilot-tui answer`):"]
    lines += [
        f"  {c.id:<10} {c.label}" + ("" if c.score is None else f" ({c.score:g})")
        for c in bank.choices
        if not c.retired
    ]
    if bank.contexts:
        lines += ["", "Context (OPTION ids for `pilot-tui new --context` and `pilot-tui context`):"]
        for facet in bank.contexts:
            several = " (one or more)" if facet.multiple else " (one)"
            lines.append(f"  {facet.title}{several}: {facet.question}")
            lines += [f"    {o.id:<12} {o.label}" for o in facet.options]
    for section in bank.sections:
        lines += ["", f"[{section.id}] {section.title}"]
        for q in section.questions:
            flag = "  CRITICAL" if q.critical else ""
            if q.critical_when:
                flag = "  CRITICAL for " + ", ".join(labels.get(o, o) for o in q.critical_when)
            lines.append(f"  {q.id:<28} w{q.weight:g}{flag}  {q.text}")
            if q.applies_when:
                lines.append("    only for: " + ", ".join(labels.get(o, o) for o in q.applies_when))
            if q.choices is not None:
                lines.append("    choices: " + ", ".join(c.id for c in q.choices if not c.retired))
    if bank.retired:
        lines += ["", "Retired questions (their answers are kept and shown beside the new ones):"]
        for old in bank.retired:
            new = ", ".join(old.replaced_by) or "nothing"
            lines.append(f"  {old.id:<28} (version {old.version}) -> {new}: {old.change}")
    return "\n".join(lines)


def cmd_merge(args: argparse.Namespace) -> int:
    bank = _bank(args)
    paths = [Path(file) for file in args.files]
    inputs = [MergeInput(path.name, load_assessment_file(path, bank)) for path in paths]
    try:
        merged = merge(bank, inputs, title=args.title, now=now_utc())
    except MergeError as error:
        raise UsageError(str(error)) from None
    # Replacing an input, even with --force, would lose a person's own answers: refused there.
    _write_output(args, dumps_assessment(merged), args.output, reads=paths)
    disputed = len(disagreements(bank, merged))
    where = "standard output" if args.output == "-" else printable(args.output)
    print(
        f"merged {plural(len(merged.participants), 'participant')} into {where}; "
        f"the team disagrees on {plural(disputed, 'question')}",
        # The merged file itself may be on standard output.
        file=sys.stderr if args.output == "-" else sys.stdout,
    )
    return EXIT_OK


def cmd_disputes(args: argparse.Namespace) -> int:
    store = _store(args)
    assessment, _ = store.load_reference(args.reference)
    found = disagreements(store.bank, assessment)
    if args.json:
        _print_json([_disagreement_json(item) for item in found])
        return EXIT_OK
    count = len(assessment.participants)
    if count < 2:
        print(
            f"No disputes: {'no participants' if count == 0 else 'one participant'} to compare. "
            "Merge people's own files with `pilot-tui merge`."
        )
    elif not found:
        print(f"No disputes: the {count} participants agree on every question they answered.")
    else:
        print(_disputes_text(store.bank, found, count))
    return EXIT_OK


def _disagreement_json(item: Disagreement) -> dict[str, Any]:
    return {
        "question": item.question,
        "section": item.section,
        "title": item.title,
        "spread": round(item.spread, 3),
        "distinct": item.distinct,
        "answers": [{"participant": name, "choice": choice} for name, choice in item.answers],
    }


def _disputes_text(bank: Bank, found: list[Disagreement], participants: int) -> str:
    index = bank.question_index()
    lines = [
        f"The {participants} participants disagree on {plural(len(found), 'question')}, "
        "most disputed first:"
    ]
    for number, item in enumerate(found, start=1):
        labels = {choice.id: choice.label for choice in bank.choices_for(index[item.question][1])}
        # Not applicable and "don't know" can differ from an answer without any points apart.
        apart = f", scores {item.spread * 100:.0f} points apart" if item.spread else ""
        lines += [
            "",
            f"{number}. {item.title} [{item.question}]: {item.distinct} different answers{apart}",
        ]
        width = max(len(name) for name, _ in item.answers)
        lines += [
            f"   {name + ':':<{width + 1}} "
            + ("(no answer)" if choice is None else labels.get(choice, choice))
            for name, choice in item.answers
        ]
    return "\n".join(lines)


def cmd_milestone(args: argparse.Namespace) -> int:
    store = _store(args)
    assessment = store.load(args.name)
    try:
        updated = add_milestone(assessment, args.label, now=now_utc())
    except ValueError as error:
        raise UsageError(str(error)) from None
    # As in cmd_answer: merged with a concurrent save, or a conflicting copy and an error.
    result = store.save(args.name, updated, base=assessment)
    if result.conflicts:
        raise StoreError(
            f"{args.name} was changed elsewhere at the same time ({result.conflicts[0]}); it is "
            f"left as it was saved there, and the milestone is in {result.path}"
        )
    milestone = updated.milestones[-1]
    print(
        f"{args.name}: milestone {milestone.label!r} saved with "
        f"{plural(len(milestone.answers), 'answer')}; "
        f"`pilot-tui diff {args.name}` shows what changes from here"
    )
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    store = _store(args)
    assessment, _ = store.load_reference(args.reference)
    if not assessment.milestones:
        raise UsageError(
            f"{args.reference} has no milestones yet; save one with "
            "`pilot-tui milestone NAME LABEL`"
        )
    from_label = args.from_label if args.from_label is not None else assessment.milestones[-1].label
    try:
        start = milestone_named(assessment, from_label)
        end = None if args.to_label is None else milestone_named(assessment, args.to_label)
    except ValueError as error:
        raise UsageError(str(error)) from None
    before = dict(start.answers)
    after = assessment.answers if end is None else dict(end.answers)
    contexts = (start.context, assessment.context if end is None else end.context)
    bank = store.bank
    changes = diff_answers(bank, before, after)
    # Answers the earlier point gave to questions the bank has since retired (a new version of
    # the bank): shown with the questions that replaced them, so nothing silently disappears.
    replaced = replaced_answers(bank, before, after)
    if args.json:
        _print_json(
            {
                "from": from_label,
                "to": args.to_label,
                "changes": [dataclasses.asdict(change) for change in changes],
                "replaced": [dataclasses.asdict(item) for item in replaced],
                "context": {"from": contexts[0], "to": contexts[1]},
            }
        )
    else:
        to_text = "now" if args.to_label is None else repr(args.to_label)
        text = _changes_text(changes, f"{from_label!r}", to_text)
        if contexts[0] != contexts[1]:
            # The questions that count changed with it: never a silent part of a diff.
            text += (
                f"\n\nThe context changed: {'; '.join(context_lines(bank, contexts[0]))} -> "
                f"{'; '.join(context_lines(bank, contexts[1]))} (`pilot-tui context` gives "
                "the reasons)"
            )
        if replaced:
            text += "\n\n" + _replaced_text(replaced)
        print(text)
    return EXIT_OK


def _replaced_text(replaced: list[Replaced]) -> str:
    lines = ["Questions replaced in a newer version of the bank (the old answer is kept):"]
    for item in replaced:
        lines.append(f"  {item.title} [{item.question}, version {item.version}]: {item.answer}")
        lines += [
            f"    now asked as: {title} [{question}]: {answer}"
            for question, title, answer in item.replaced_by
        ]
        lines.append(f"    why: {item.change}")
    return "\n".join(lines)


def _changes_text(changes: list[Change], from_text: str, to_text: str) -> str:
    if not changes:
        return f"No changes between {from_text} and {to_text}."
    counts = ", ".join(
        f"{sum(change.direction == direction for change in changes)} {direction}"
        for direction in ("improved", "regressed", "changed")
    )
    lines = [f"From {from_text} to {to_text}: {counts}"]
    lines += [
        f"{change.direction:<9}  {change.title} [{change.question}]: "
        f"{change.before} -> {change.after}"
        for change in changes
    ]
    return "\n".join(lines)


def cmd_report(args: argparse.Namespace) -> int:
    from pilot_tui.core.report import html_report, markdown_report, report_rows

    store = _store(args)
    assessment, path = store.load_reference(args.reference)
    disputes, trend = report_rows(store.bank, assessment)
    render = markdown_report if args.format == "md" else html_report
    text = render(store.bank, assessment, disputes=disputes, trend=trend, generated=now_utc())
    _write_output(args, text, args.output, reads=[path])
    return EXIT_OK


def cmd_app(args: argparse.Namespace) -> int:
    # Imported here, not at the top: the headless commands must never load textual.
    from pilot_tui.ui.app import run_app

    store = _store(args)
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
    "merge": cmd_merge,
    "disputes": cmd_disputes,
    "milestone": cmd_milestone,
    "diff": cmd_diff,
    "report": cmd_report,
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
    if COMMANDS[args.command] is not cmd_app:
        # The app resumes collection after its first frame; see pilot_tui/startup.py.
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
