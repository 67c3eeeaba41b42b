"""Commands that create and change assessments: new, context, list, answer, export, import,
merge, milestone."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Final

from pilot_tui.cli.common import (
    EXIT_OK,
    UsageError,
    bank_of,
    change_reference,
    parse_context,
    parse_due,
    print_json,
    save_change,
    send_output,
    store_of,
)
from pilot_tui.cli.shapes import list_json
from pilot_tui.core.assessment import (
    edit_answer,
    new_assessment,
    now_utc,
    with_answer,
    with_context,
)
from pilot_tui.core.merge import (
    MergeError,
    MergeInput,
    context_disagreements,
    different_pilots,
    disagreements,
    merge,
)
from pilot_tui.core.milestones import (
    add_milestone,
)
from pilot_tui.core.render import (
    context_text,
    percent,
    plural,
)
from pilot_tui.core.scoring import (
    answer_choice,
    judge,
    lacking_text,
    score,
)
from pilot_tui.core.text import printable
from pilot_tui.store import (
    dumps_assessment,
    load_assessment_file,
)
from pilot_tui.store.files import shown


def cmd_new(args: argparse.Namespace) -> int:
    store = store_of(args)
    context = parse_context(store.bank, args.context)
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


def cmd_context(args: argparse.Namespace) -> int:
    store = store_of(args)
    bank = store.bank
    assessment, path = store.load_reference(args.name)
    if args.options:
        wanted = {**assessment.context, **parse_context(bank, args.options)}
        try:
            updated = with_context(
                assessment, bank, wanted, reason=args.reason or "", now=now_utc()
            )
        except ValueError as error:
            raise UsageError(str(error).replace("needs a reason", "needs --reason")) from None
        if updated is not assessment:
            assessment = save_change(store, args.name, path, assessment, updated, "the new context")
    print(context_text(bank, assessment))
    return EXIT_OK


NAME_COLUMN: Final = 32
"""The widest the names' column of `list` gets; a longer name runs into its line."""


def cmd_list(args: argparse.Namespace) -> int:
    store = store_of(args)
    # At a glance: only files new since the last list are read in full (Store.listing).
    listed = store.listing()
    glances = {entry.name: entry.glance for entry in listed if entry.glance is not None}
    rows = list_json(listed)
    if args.json:
        print_json(rows)
        return EXIT_OK
    if not rows:
        print(f'No assessments in {shown(store.root)} yet. Create one: pilot-tui new "Title"')
        return EXIT_OK
    # Names of files that are not assessments are anything the folder holds: shown escaped.
    names = {row["name"]: printable(row["name"]) for row in rows}
    # Aligned up to a point: one very long name must not push every line that far.
    width = min(NAME_COLUMN, max(len(name) for name in names.values()))
    for row in rows:
        name = names[row["name"]]
        if "error" in row:
            print(f"{name:<{width}}  UNREADABLE: {printable(row['error'])}")
        else:
            glance = glances[row["name"]]
            # The glance's own coverage: the JSON's is rounded to 3 places, and rounding twice
            # can show 36% where every other view shows 35%. Nothing answered is not a level.
            standing = (
                "nothing answered yet"
                if glance.answered == 0
                else f"{percent(glance.coverage * 100)}% answered, {row['level_title']}"
            )
            print(f"{name:<{width}}  {row['title']}  (updated {row['updated'][:10]}, {standing})")
    return EXIT_OK


def cmd_answer(args: argparse.Namespace) -> int:
    store = store_of(args)
    bank = store.bank
    # A name in the data folder, or any assessment file (one kept in a repository, say).
    assessment, path = store.load_reference(args.name)
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
        fields["due"] = parse_due(args.due) if args.due else None
    if args.verified is not None:
        fields["verified"] = (
            now_utc().date()
            if args.verified == "today"
            else parse_due(args.verified, option="--verified")
            if args.verified
            else None
        )
        if fields["verified"] is not None and fields["verified"] > now_utc().date():
            raise UsageError(
                f"--verified {args.verified!r} is a day still to come: give the day the "
                "evidence was checked"
            )
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
    # Against the version loaded above (see save_change).
    saved = save_change(store, args.name, path, assessment, updated, "this answer")
    card = score(bank, saved)
    # What the answer counts as, not only its label: a plan without its owner and due date
    # counts as not in place, and saying "Planned, with an owner and a due date" would hide it.
    missing = judge(bank, question, answer, critical=False).missing
    counted = f": {lacking_text(missing)}, so it counts as not in place" if missing else ""
    unasked = (
        "; the question does not apply to this pilot's context: kept, not counted "
        "(`pilot-tui context`)"
        if question.id in card.unasked
        else ""
    )
    print(
        f"{args.name}: {question.id} = {choice.id} ({choice.label}{counted}){cleared}; "
        f"{card.level_title}, {card.answered}/{card.total} answered{unasked}"
    )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    store = store_of(args)
    text = store.export_text(args.name)
    send_output(args, text, args.output, reads=[store.path_for(args.name)])
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    store = store_of(args)
    print(store.import_file(Path(args.file), name=args.as_name, force=args.force))
    return EXIT_OK


def cmd_merge(args: argparse.Namespace) -> int:
    bank = bank_of(args)
    paths = [Path(file) for file in args.files]
    inputs = [MergeInput(path.name, load_assessment_file(path, bank)) for path in paths]
    try:
        merged = merge(bank, inputs, title=args.title, now=now_utc())
    except MergeError as error:
        raise UsageError(str(error)) from None
    named = different_pilots([item.assessment for item in inputs])
    if named and args.title is None:
        # Not refused (a person may have typed the title differently), but never silent.
        shown = ", ".join(repr(printable(title)) for title in named[:4])
        print(
            f"pilot-tui: warning: the files have different titles ({shown}): check they are "
            f"about the same pilot; the merged title is {printable(merged.meta.title)!r} "
            "(--title sets another)",
            file=sys.stderr,
        )
    differ = context_disagreements([item.assessment for item in inputs])
    if differ:
        asked = ", ".join(facet.title for facet in bank.contexts if facet.id in differ)
        print(
            f"pilot-tui: warning: the files give different answers to {asked}: left not chosen "
            "(every option counts) until the team chooses (`pilot-tui context`)",
            file=sys.stderr,
        )
    # Replacing an input, even with --force, would lose a person's own answers: refused there.
    send_output(args, dumps_assessment(merged), args.output, reads=paths, quiet=True)
    disputed = len(disagreements(bank, merged))
    where = "standard output" if args.output == "-" else printable(args.output)
    print(
        f"merged {plural(len(merged.participants), 'participant')} into {where}; "
        f"the team disagrees on {plural(disputed, 'question')}",
        # The merged file itself may be on standard output.
        file=sys.stderr if args.output == "-" else sys.stdout,
    )
    return EXIT_OK


def cmd_milestone(args: argparse.Namespace) -> int:
    updated = change_reference(
        args,
        args.name,
        lambda _, assessment: add_milestone(assessment, args.label, now=now_utc()),
        "the milestone",
    )
    milestone = updated.milestones[-1]
    print(
        f"{args.name}: milestone {milestone.label!r} saved with "
        f"{plural(len(milestone.answers), 'answer')}; "
        f"`pilot-tui diff {args.name}` shows what changes from here"
    )
    return EXIT_OK
