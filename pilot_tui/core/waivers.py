"""Accepted risks: a blocker waived with a reason, a requester, an approver who is not the
requester, and an expiry date. What a waiver does to the verdict is scoring.apply_waivers;
here, the rules for recording and removing one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Final

from pilot_tui.core.assessment import Assessment, Waiver, same_person
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MIN_REASON
from pilot_tui.core.records import InvalidData, validated
from pilot_tui.core.scoring import score

MAX_WAIVER_DAYS: Final = 366
"""The longest a waiver may hold: a risk is accepted for a limited time, then looked at again."""


def waive(
    bank: Bank,
    assessment: Assessment,
    question_id: str,
    *,
    reason: str,
    requester: str,
    approver: str,
    expires: date,
    now: datetime,
) -> Assessment:
    """A copy of ASSESSMENT with the blocker of QUESTION_ID waived until EXPIRES (included).

    Raises ValueError, in one line, for a question the bank does not have, one that is no
    blocker (nothing to waive), an approver who is the requester, an expiry before today, or a
    reason too short to say anything.
    """
    if bank.question_index().get(question_id) is None:
        raise ValueError(
            f"no question {question_id!r} in bank {bank.id!r} (`pilot-tui bank show` lists them)"
        )
    if same_person(requester, approver):
        raise ValueError(
            f"the approver ({approver.strip()!r}) is the requester: someone else must accept "
            "the risk"
        )
    if expires < now.date():
        raise ValueError(f"the waiver would have expired already ({expires.isoformat()})")
    if (expires - now.date()).days > MAX_WAIVER_DAYS:
        raise ValueError(
            f"a waiver holds for a limited time: at most {MAX_WAIVER_DAYS} days (until "
            f"{(now.date() + timedelta(days=MAX_WAIVER_DAYS)).isoformat()}); renew it then"
        )
    if len(reason.strip()) < MIN_REASON:
        raise ValueError(f"give the reason the risk is accepted (at least {MIN_REASON} characters)")
    # Judged without any waiver of its own: waiving again (a new expiry, say) is allowed.
    others = {key: value for key, value in assessment.waivers.items() if key != question_id}
    card = score(bank, replace(assessment, waivers=others), today=now.date())
    if question_id not in {blocker.question for blocker in card.blockers}:
        raise ValueError(f"{question_id!r} is not a blocker now: there is nothing to waive")
    current = assessment.answers.get(question_id)
    waiver = Waiver(
        reason=reason.strip(),
        requester=requester.strip(),
        approver=approver.strip(),
        expires=expires,
        # The risk accepted is this answer's: another one is a risk nobody accepted.
        answer=(current.choice if current is not None else None) or "",
        granted=now,
    )
    try:
        validated(waiver)
    except InvalidData as error:
        raise ValueError(f"waiver: {error}") from None
    waivers = {**assessment.waivers, question_id: waiver}
    return replace(assessment, waivers=waivers, meta=replace(assessment.meta, updated=now))


def unwaive(assessment: Assessment, question_id: str, *, now: datetime) -> Assessment:
    """A copy of ASSESSMENT without the waiver of QUESTION_ID: its blocker stands again."""
    if question_id not in assessment.waivers:
        waived = ", ".join(assessment.waivers) or "none"
        raise ValueError(f"no waiver for {question_id!r} (waived: {waived})")
    waivers = {key: value for key, value in assessment.waivers.items() if key != question_id}
    return replace(assessment, waivers=waivers, meta=replace(assessment.meta, updated=now))


def record_changes(bank: Bank, before: Assessment, after: Assessment) -> list[str]:
    """What changed between two versions that the answers' choices do not show, one line each:
    waivers granted, taken back or changed, and evidence changed, added or removed. A diff (a
    pull request's comment) must never read "no changes" over them."""
    lines: list[str] = []
    titles = {question.id: question.title for _, question in bank.iter_questions()}
    for waived in dict.fromkeys([*before.waivers, *after.waivers]):
        was, now = before.waivers.get(waived), after.waivers.get(waived)
        name = f"{titles.get(waived, waived)} [{waived}]"
        if was == now:
            continue
        if was is None and now is not None:
            lines.append(
                f"waiver granted: {name}, until {now.expires.isoformat()}, approved by "
                f"{now.approver} (asked by {now.requester}): {now.reason}"
            )
        elif now is None and was is not None:
            lines.append(f"waiver taken back: {name} (it was approved by {was.approver})")
        elif was is not None and now is not None:
            lines.append(
                f"waiver changed: {name}, until {was.expires.isoformat()} -> "
                f"{now.expires.isoformat()}, approved by {was.approver} -> {now.approver}"
            )
    for _, question in bank.iter_questions():
        old = before.answers.get(question.id)
        new = after.answers.get(question.id)
        old_evidence = (old.evidence, old.verified) if old is not None else ("", None)
        new_evidence = (new.evidence, new.verified) if new is not None else ("", None)
        if old_evidence == new_evidence:
            continue
        name = f"{question.title} [{question.id}]"
        if old_evidence[0] != new_evidence[0]:
            shown = new_evidence[0] or "(none)"
            lines.append(f"evidence: {name}: {old_evidence[0] or '(none)'} -> {shown}")
        else:
            when = new_evidence[1].isoformat() if new_evidence[1] is not None else "(no date)"
            lines.append(f"evidence verified: {name}: {when}")
    return lines
