"""Commands that read the verdict: score (and its gate), plan, disputes, diff, report."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace

from pilot_tui.cli.common import (
    EXIT_GATE,
    EXIT_OK,
    UsageError,
    print_json,
    send_output,
    store_of,
)
from pilot_tui.cli.evidence import checks_for
from pilot_tui.cli.present import changes_text, disputes_text, replaced_text
from pilot_tui.cli.shapes import diff_json, dispute_json, plan_json, scorecard_json
from pilot_tui.core.assessment import (
    now_utc,
)
from pilot_tui.core.evidence import STALE_AFTER, discount_untrusted
from pilot_tui.core.merge import disagreements
from pilot_tui.core.milestones import (
    diff_answers,
    milestone_named,
    replaced_answers,
)
from pilot_tui.core.render import (
    context_lines,
    percent,
    plan_text,
    scorecard_text,
)
from pilot_tui.core.report.changes import changes_markdown
from pilot_tui.core.scoring import (
    action_plan,
    score,
    utc_today,
)
from pilot_tui.core.text import printable
from pilot_tui.core.waivers import record_changes
from pilot_tui.store.evidence import check_evidence, evidence_root


def cmd_score(args: argparse.Namespace) -> int:
    store = store_of(args)
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
        print_json(scorecard_json(bank, assessment))
    else:
        print(scorecard_text(bank, card, assessment))
    failures: list[str] = []
    if args.require_evidence:
        # The gate's own card: a met answer without trusted evidence counts as partly met.
        checks = checks_for(args, args.reference)
        gated, discounted = discount_untrusted(bank, assessment, checks)
        card = score(bank, gated)
        if discounted:
            # The scorecard above is the answers as given; the gate judges this one.
            print(
                f"pilot-tui: with evidence required, the gate sees {card.level_title}, score "
                f"{percent(card.score)}:",
                file=sys.stderr,
            )
        for item in discounted:
            reason = item.check.problem or "no evidence given"
            print(
                f"pilot-tui: for the gate, {item.check.question} counts as {item.after!r}, "
                f"not {item.before!r}: {printable(reason)}",
                file=sys.stderr,
            )
    if args.fail_under is not None and round(card.score, 1) < args.fail_under:
        # Whole numbers as everywhere else, unless rounding would show the very threshold
        # the score fails ("score 70 is below 70").
        shown = percent(card.score)
        if float(shown) >= args.fail_under:
            shown = f"{card.score:.1f}"
        failures.append(f"score {shown} is below {args.fail_under:g}")
    if required is not None:
        order = [level.id for level in bank.levels]
        if order.index(card.level) < order.index(required.id):
            failures.append(f"level {card.level_title!r} is below {required.title!r}")
    if args.fail_under is not None or required is not None or args.require_evidence:
        # A waiver that no longer holds fails any gate, whatever the score: the risk was
        # accepted until a day, or for an answer, and that day is gone or the answer changed.
        failures += [
            f"the waiver of {blocker.question}, approved by {blocker.lapsed.approver}, no "
            f"longer holds: {blocker.lapse}"
            for blocker in card.lapsed_waivers
            if blocker.lapsed is not None
        ]
    for failure in failures:
        print(f"pilot-tui: gate failed: {failure}", file=sys.stderr)
    return EXIT_GATE if failures else EXIT_OK


def cmd_plan(args: argparse.Namespace) -> int:
    store = store_of(args)
    assessment, _ = store.load_reference(args.reference)
    items = action_plan(store.bank, assessment)
    if args.json:
        print_json(plan_json(items))
    else:
        print(plan_text(items))
    return EXIT_OK


def cmd_disputes(args: argparse.Namespace) -> int:
    store = store_of(args)
    assessment, _ = store.load_reference(args.reference)
    found = disagreements(store.bank, assessment)
    if args.json:
        print_json([dispute_json(item) for item in found])
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
        print(disputes_text(store.bank, found, count))
    return EXIT_OK


def cmd_diff(args: argparse.Namespace) -> int:
    store = store_of(args)
    bank = store.bank
    assessment, _ = store.load_reference(args.reference)
    fmt = "json" if args.json else args.format
    if args.other is not None:
        # Two files: two versions of one assessment (`git show main:x.toml > old.toml`).
        if args.from_label is not None or args.to_label is not None:
            raise UsageError("--from and --to name milestones of one file, not two files")
        newer, _ = store.load_reference(args.other)
        older = assessment
        from_label, to_label = args.reference, args.other
        # Paths are whatever the file system allows: shown so they cannot act on a terminal.
        from_text, to_text = printable(args.reference), printable(args.other)
    else:
        if not assessment.milestones:
            raise UsageError(
                f"{args.reference} has no milestones yet; save one with "
                "`pilot-tui milestone NAME LABEL`, or give two files to compare"
            )
        from_label = (
            args.from_label if args.from_label is not None else assessment.milestones[-1].label
        )
        try:
            start = milestone_named(assessment, from_label)
            end = None if args.to_label is None else milestone_named(assessment, args.to_label)
        except ValueError as error:
            raise UsageError(str(error)) from None
        older = replace(assessment, answers=dict(start.answers), context=start.context)
        newer = (
            assessment
            if end is None
            else replace(assessment, answers=dict(end.answers), context=end.context)
        )
        to_label = args.to_label
        from_text = repr(from_label)
        to_text = "now" if args.to_label is None else repr(args.to_label)
    changes = diff_answers(bank, older.answers, newer.answers)
    # Answers the earlier point gave to questions the bank has since retired (a new version of
    # the bank): shown with the questions that replaced them, so nothing silently disappears.
    replaced = replaced_answers(bank, older.answers, newer.answers)
    contexts = (older.context, newer.context)
    also = record_changes(bank, older, newer)
    if fmt == "json":
        print_json({**diff_json(from_label, to_label, changes, replaced, contexts), "also": also})
    elif fmt == "md":
        print(
            changes_markdown(bank, older, newer, from_text, to_text, changes, replaced, also),
            end="",
        )
    else:
        text = changes_text(changes, from_text, to_text)
        if also and not changes:
            text = f"No answer's choice changed between {from_text} and {to_text}; but:"
        if also:
            text += "\n" + "\n".join(f"  {printable(line)}" for line in also)
        if contexts[0] != contexts[1]:
            # The questions that count changed with it: never a silent part of a diff.
            text += (
                f"\n\nThe context changed: {'; '.join(context_lines(bank, contexts[0]))} -> "
                f"{'; '.join(context_lines(bank, contexts[1]))} (`pilot-tui context` gives "
                "the reasons)"
            )
        if replaced:
            text += "\n\n" + replaced_text(replaced)
        print(text)
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from pilot_tui.core.report import report_for

    store = store_of(args)
    framework = None
    if args.by_framework is not None:
        framework = store.bank.framework(args.by_framework)
        if framework is None:
            known = ", ".join(f.id for f in store.bank.frameworks) or "none"
            raise UsageError(
                f"--by-framework {args.by_framework!r} is not a framework of this bank "
                f"(known: {known})"
            )
    assessment, path = store.load_reference(args.reference)
    # Checked where the file is (its repository): the report lists what does not hold.
    evidence = check_evidence(
        store.bank, assessment, evidence_root(path), today=utc_today(), max_age=STALE_AFTER
    )
    text = report_for(
        args.format,
        store.bank,
        assessment,
        generated=now_utc(),
        framework=framework,
        evidence=evidence,
    )
    send_output(args, text, args.output, reads=[path])
    return EXIT_OK
