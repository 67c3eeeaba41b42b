"""Two writers of one assessment: the three-way merge of their changes, question by question.

Two windows, the app and `pilot-tui answer`, or two branches of a repository may change the
same file. Each started from the same version (the base); what one of them changed is taken
from it, what both changed the same way is kept, and what both changed differently is a clash
that the caller resolves (the store keeps the other writer's file and writes ours beside it).
Pure functions: reading and writing the files is the store's job.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, TypeVar

from pilot_tui.core.assessment import Assessment, Meta
from pilot_tui.core.records import InvalidData, validated

_T = TypeVar("_T")
_META_FIELDS: Final = ("title", "team", "facilitator", "stage", "respondent", "created")


def _pick(base: _T | None, ours: _T | None, theirs: _T | None) -> tuple[_T | None, str]:
    """A three-way choice: "" when ours stands, "theirs" when theirs is taken, "clash" when both
    changed it differently (ours is returned then, for the caller to decide)."""
    if ours == theirs or theirs == base:
        return ours, ""
    if ours == base:
        return theirs, "theirs"
    return ours, "clash"


def merge_assessments(
    base: Assessment, ours: Assessment, theirs: Assessment
) -> tuple[Assessment, list[str], list[str]]:
    """Three-way merge of two writers' versions of one assessment, both started from BASE.

    Each answer (by question id), each metadata field, the context, each participant (by id),
    each milestone (by label) and each change of context (by its time) is taken from the side
    that changed it; removed on one side only means removed. Returns (merged, taken from
    theirs, clashes); a clash keeps ours in merged. `updated` is the later of the two: every
    change touches it, so it never clashes.
    """
    taken: list[str] = []
    clashes: list[str] = []

    def note(outcome: str, what: str) -> None:
        if outcome == "theirs":
            taken.append(what)
        elif outcome == "clash":
            clashes.append(what)

    def keyed(
        kind: str, b: Mapping[str, _T], o: Mapping[str, _T], t: Mapping[str, _T]
    ) -> dict[str, _T]:
        result: dict[str, _T] = {}
        # Ours first, in its order, then what only theirs has: a merge does not reshuffle a file.
        for key in dict.fromkeys([*o, *t, *b]):
            value, outcome = _pick(b.get(key), o.get(key), t.get(key))
            note(outcome, f"{kind} {key}")
            if value is not None:
                result[key] = value
        return result

    meta: dict[str, Any] = {}
    for field in _META_FIELDS:
        value, outcome = _pick(
            getattr(base.meta, field), getattr(ours.meta, field), getattr(theirs.meta, field)
        )
        note(outcome, field)
        meta[field] = value
    meta["updated"] = max(ours.meta.updated, theirs.meta.updated)
    bank, outcome = _pick(base.bank, ours.bank, theirs.bank)
    note(outcome, "bank")
    version, outcome = _pick(base.schema_version, ours.schema_version, theirs.schema_version)
    note(outcome, "schema version")
    milestones = keyed(
        "milestone",
        {m.label: m for m in base.milestones},
        {m.label: m for m in ours.milestones},
        {m.label: m for m in theirs.milestones},
    )
    context, outcome = _pick(base.context, ours.context, theirs.context)
    note(outcome, "context")
    changes = keyed(
        "context change",
        {c.at.isoformat(): c for c in base.context_changes},
        {c.at.isoformat(): c for c in ours.context_changes},
        {c.at.isoformat(): c for c in theirs.context_changes},
    )
    merged = Assessment(
        schema=ours.schema,
        # (Neither is ever missing from all three versions.)
        schema_version=ours.schema_version if version is None else version,
        bank=ours.bank if bank is None else bank,
        meta=Meta(**meta),
        answers=keyed("answer", base.answers, ours.answers, theirs.answers),
        participants=keyed(
            "participant", base.participants, ours.participants, theirs.participants
        ),
        # Oldest first, as in every file; sorted() is stable, so equal stamps keep their order.
        milestones=sorted(milestones.values(), key=lambda m: m.created),
        context=ours.context if context is None else context,
        context_changes=sorted(changes.values(), key=lambda c: c.at),
    )
    try:
        validated(merged)
    except InvalidData as error:
        # Together the two versions break a limit (too many answers, say): they cannot be one.
        return ours, [], [f"together: {error}"]
    return merged, taken, clashes
