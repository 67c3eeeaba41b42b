"""Accepted risks: a blocker waived with a reason, a requester, an approver who is not the
requester, and an expiry date. What a waiver does to the verdict is scoring.apply_waivers;
here, the rules for recording and removing one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from pilot_tui.core.assessment import Assessment, Waiver, same_person
from pilot_tui.core.bank import Bank
from pilot_tui.core.limits import MIN_REASON
from pilot_tui.core.records import InvalidData, validated
from pilot_tui.core.scoring import score


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
    if len(reason.strip()) < MIN_REASON:
        raise ValueError(f"give the reason the risk is accepted (at least {MIN_REASON} characters)")
    # Judged without any waiver of its own: waiving again (a new expiry, say) is allowed.
    others = {key: value for key, value in assessment.waivers.items() if key != question_id}
    card = score(bank, replace(assessment, waivers=others), today=now.date())
    if question_id not in {blocker.question for blocker in card.blockers}:
        raise ValueError(f"{question_id!r} is not a blocker now: there is nothing to waive")
    waiver = Waiver(
        reason=reason.strip(),
        requester=requester.strip(),
        approver=approver.strip(),
        expires=expires,
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
