"""The JSON that `--json` prints: each shape written out field by field here (and in the
README) and pinned by tests/test_json_shapes.py, so that renaming a field of a record inside
never breaks a user's CI script by accident."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pilot_tui.cli.common import rounded
from pilot_tui.core.assessment import (
    Assessment,
    Waiver,
)
from pilot_tui.core.bank import Bank, Choice, split_ref
from pilot_tui.core.merge import Disagreement
from pilot_tui.core.milestones import Change, Replaced
from pilot_tui.core.scoring import (
    ActionItem,
    default_cap,
    not_applicable_cap,
    score,
    unanswered_cap,
)
from pilot_tui.store import Listed


def scorecard_json(bank: Bank, assessment: Assessment) -> dict[str, Any]:
    card = score(bank, assessment)
    return {
        "title": assessment.meta.title,
        "bank": {"id": bank.id, "version": bank.version},
        "level": card.level,
        "level_title": card.level_title,
        "score": rounded(card.score),
        "average": rounded(card.average),
        "coverage": round(card.coverage, 3),
        "answered": card.answered,
        "total": card.total,
        "unknown": card.unknown,
        "weakest": card.weakest,
        # Every section at the headline score: several when they tie, and then none of them
        # alone is the weakest (weakest names the first in the bank's order).
        "lowest": list(card.lowest),
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
                "score": rounded(s.score),
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
                "lapsed_waiver": None
                if b.lapsed is None
                else {**waiver_json(b.lapsed), "why": b.lapse},
            }
            for b in card.blockers
        ],
        "waived": [
            {
                "question": item.blocker.question,
                "section": item.blocker.section,
                "title": item.blocker.title,
                "reason": item.blocker.reason,
                "would_hold_level_at": item.blocker.cap,
                "waiver": waiver_json(item.waiver),
            }
            for item in card.waived
        ],
        "unused_waivers": list(card.unused_waivers),
        "orphaned": list(card.orphaned),
    }


def waiver_json(waiver: Waiver) -> dict[str, Any]:
    return {
        "reason": waiver.reason,
        "requester": waiver.requester,
        "approver": waiver.approver,
        "expires": waiver.expires.isoformat(),
        "answer": waiver.answer,
        "granted": waiver.granted.isoformat(),
    }


def bank_json(bank: Bank) -> dict[str, Any]:
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
                        "refs": [
                            {"framework": framework, "item": item}
                            for framework, item in map(split_ref, q.refs)
                        ],
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
        "frameworks": frameworks_json(bank),
    }


def frameworks_json(bank: Bank) -> list[dict[str, Any]]:
    """`bank frameworks --json` (and bank show's `frameworks`): each framework with its items,
    each item with the ids of the questions that cover it (empty: none does)."""
    return [
        {
            "id": framework.id,
            "title": framework.title,
            "url": framework.url,
            "items": [
                {"id": item.id, "title": item.title, "questions": list(questions)}
                for item, questions in bank.crosswalk(framework)
            ],
        }
        for framework in bank.frameworks
    ]


def dispute_json(item: Disagreement) -> dict[str, Any]:
    return {
        "question": item.question,
        "section": item.section,
        "title": item.title,
        "spread": round(item.spread, 3),
        "distinct": item.distinct,
        "answers": [{"participant": name, "choice": choice} for name, choice in item.answers],
    }


def list_json(listed: Sequence[Listed]) -> list[dict[str, Any]]:
    """`list --json`: one object per file of the data folder.

    A readable assessment: {name, path, title, team, updated (ISO 8601), assessed (false with
    nothing answered), coverage (0 to 1), level (id), level_title, score (0 to 100)}; level,
    level_title and score are null when not assessed. A file that cannot be read: {name, path,
    error}.
    """
    rows: list[dict[str, Any]] = []
    for entry in listed:
        if entry.glance is None:
            rows.append({"name": entry.name, "path": str(entry.path), "error": entry.error})
            continue
        card = entry.glance
        meta = card.meta
        known = card.answered > 0  # with nothing answered, the level is no finding
        rows.append(
            {
                "name": entry.name,
                "path": str(entry.path),
                "title": meta.title,
                "team": meta.team,
                "updated": meta.updated.isoformat(),
                "assessed": known,
                "coverage": round(card.coverage, 3),
                "level": card.level if known else None,
                "level_title": card.level_title if known else None,
                "score": rounded(card.score) if known else None,
            }
        )
    return rows


def plan_json(items: Sequence[ActionItem]) -> list[dict[str, Any]]:
    """`plan --json`: the action plan, most important first. Each item: {question, section,
    title, text, fix, answer (the answer's label now), gap (points short of 100), priority
    (weight x gap / 100), blocker, unknown, owner, due (YYYY-MM-DD or ""), earlier (what was
    answered to the question of an earlier bank this one replaced, or ""), waived_until (the
    last day a waived blocker is accepted, or null)}."""
    return [
        {
            "question": item.question,
            "section": item.section,
            "title": item.title,
            "text": item.text,
            "fix": item.fix,
            "answer": item.answer,
            "gap": item.gap,
            "priority": item.priority,
            "blocker": item.blocker,
            "unknown": item.unknown,
            "owner": item.owner,
            "due": item.due,
            "earlier": item.earlier,
            "waived_until": item.waived_until.isoformat() if item.waived_until else None,
        }
        for item in items
    ]


def diff_json(
    from_label: str,
    to_label: str | None,
    changes: Sequence[Change],
    replaced: Sequence[Replaced],
    contexts: tuple[dict[str, list[str]], dict[str, list[str]]],
) -> dict[str, Any]:
    """`diff --json`: {from (a milestone label), to (a label, or null for now), changes: [{question,
    section, title, before, after (answer labels or "Unanswered"), direction (improved,
    regressed or changed)}], replaced: [{question, title, text, version, answer, replaced_by:
    [[id, title, answer now]], change}], context: {from, to} (context question id -> option
    ids)}."""
    return {
        "from": from_label,
        "to": to_label,
        "changes": [
            {
                "question": change.question,
                "section": change.section,
                "title": change.title,
                "before": change.before,
                "after": change.after,
                "direction": change.direction,
            }
            for change in changes
        ],
        "replaced": [
            {
                "question": item.question,
                "title": item.title,
                "text": item.text,
                "version": item.version,
                "answer": item.answer,
                "replaced_by": [list(replacement) for replacement in item.replaced_by],
                "change": item.change,
            }
            for item in replaced
        ],
        "context": {"from": contexts[0], "to": contexts[1]},
    }
