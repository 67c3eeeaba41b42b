"""Two writers of one assessment: the three-way merge of their changes, question by question.

Two windows, the app and `pilot-tui answer`, or two branches of a repository may change the
same file. Each started from the same version (the base); what one of them changed is taken
from it, what both changed the same way is kept, and what both changed differently is a clash
that the caller resolves (the store keeps the other writer's file and writes ours beside it).
Pure functions: reading and writing the files is the store's job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Final, TypeVar

from pilot_tui.core.assessment import Answer, Assessment, Meta
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
        waivers=keyed("waiver", base.waivers, ours.waivers, theirs.waivers),
    )
    try:
        validated(merged)
    except InvalidData as error:
        # Together the two versions break a limit (too many answers, say): they cannot be one.
        return ours, [], [f"together: {error}"]
    return merged, taken, clashes


CLASH_NOTE: Final = (
    "Two versions of this file answered this question differently (a merge of two branches): "
    "choose the answer, then tidy this note."
)


def open_answer_clashes(
    merged: Assessment,
    ours: Assessment,
    theirs: Assessment,
    clashes: list[str],
    label: Callable[[str, str | None], str],
) -> Assessment:
    """MERGED with each answer both sides changed differently left open: no choice, and a note
    giving both versions (LABEL(question id, choice id) names a choice), so neither side's
    answer counts until a person settles it, in the app or by hand. Owner, due date, evidence
    and reason are kept where both sides agree; where they differ they are in the note."""
    answers = dict(merged.answers)
    for clash in clashes:
        kind, _, question_id = clash.partition(" ")
        if kind != "answer":
            continue
        mine, other = ours.answers.get(question_id), theirs.answers.get(question_id)
        sides = (mine, other)
        answers[question_id] = Answer(
            choice=None,
            notes="\n".join(
                [
                    CLASH_NOTE,
                    _version("Ours", mine, question_id, label),
                    _version("Theirs", other, question_id, label),
                ]
            ),
            owner=_agreed(sides, "owner") or "",
            due=_agreed(sides, "due"),
            evidence=_agreed(sides, "evidence") or "",
            reason=_agreed(sides, "reason") or "",
        )
    return replace(merged, answers=answers)


def _agreed(sides: tuple[Answer | None, Answer | None], field: str) -> Any:
    """FIELD's value where both sides give the same one; None where they differ."""
    values = {getattr(answer, field) if answer else None for answer in sides}
    return values.pop() if len(values) == 1 else None


def _version(
    side: str, answer: Answer | None, question_id: str, label: Callable[[str, str | None], str]
) -> str:
    if answer is None:
        return f"{side}: no answer."
    parts = [f"{side}: {label(question_id, answer.choice)}."]
    for name, value in (
        ("Owner", answer.owner),
        ("Due", answer.due.isoformat() if answer.due else ""),
        ("Evidence", answer.evidence),
        ("Reason", answer.reason),
    ):
        if value:
            parts.append(f"{name}: {value}.")
    if answer.notes:
        # Indented, so each side's notes read as theirs however many lines they have.
        parts.append("Notes:\n    " + answer.notes.replace("\n", "\n    "))
    return " ".join(parts)
