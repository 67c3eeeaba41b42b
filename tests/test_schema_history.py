"""Files written by earlier versions of the assessment schema must keep loading.

tests/fixtures/schema-v1.toml was written by pilot-tui's own code at schema version 1 (a merge
of two people's files, with answers of every kind, notes with newlines, tabs and non-ASCII
text, owners, due dates, evidence, a not-applicable reason, a notes-only answer, an answer to a
question the bank does not have, and a milestone).

NEVER EDIT, REFORMAT OR REGENERATE THAT FILE. It stands for the files people already have on
their disks and in their mail: if a change to the code makes this test fail, the change breaks
their files, and the fix belongs in the code (read the old form, migrate it), not in the fixture.
When the schema version goes up, add a schema-v2.toml beside it and keep this one.
"""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path

from helpers import Cli

from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import diff_answers, milestone_answers, replaced_answers
from pilot_tui.core.report import html_report, markdown_report, report_rows
from pilot_tui.core.scoring import action_plan, score
from pilot_tui.store import (
    Store,
    as_written,
    dumps_assessment,
    load_assessment_file,
    parse_assessment,
)

V1 = Path(__file__).parent / "fixtures" / "schema-v1.toml"


def test_a_version_1_file_loads_with_everything_in_it(bank: Bank) -> None:
    assessment = load_assessment_file(V1, bank)

    assert (assessment.schema, assessment.schema_version) == ("pilot-tui/assessment", 1)
    assert assessment.meta.title == "Claims triage bot"
    assert assessment.meta.facilitator == "Dana Ødegård"
    assert assessment.meta.created == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    answers = assessment.answers
    assert [answers[q].choice for q in ("success-criteria", "edge-cases-tested", "runbook")] == [
        "partial",
        "unknown",
        "partial",
    ]
    assert answers["success-criteria"].notes.startswith("Team view after discussion:\nagreed")
    assert answers["success-criteria"].due == date(2026, 4, 30)
    assert answers["success-criteria"].evidence == "https://wiki.example.com/claims/criteria"
    assert answers["cost-monitoring"].reason == "fixed-price contract with the vendor"
    assert sorted(assessment.participants) == ["ana", "bo-li"]
    ana = assessment.participants["ana"].answers
    assert (
        "≥ 0.92" in ana["success-criteria"].notes
        and "“Good enough”" in ana["success-criteria"].notes
    )
    assert ana["edge-cases-tested"].notes == "Nobody in the room knew.\tAsk QA."
    assert ana["on-call"].choice is None and "🚀" in ana["on-call"].notes
    assert [m.label for m in assessment.milestones] == ["Workshop 1"]


def test_a_version_1_file_scores_and_reports(bank: Bank) -> None:
    assessment = load_assessment_file(V1, bank)

    card = score(bank, assessment)

    # Answers to questions bank 2 retired are kept (with the question of another bank).
    assert card.orphaned == (
        "success-criteria",
        "edge-cases-tested",
        "cost-monitoring",
        "retired-question",
    )
    assert (card.answered, card.unknown) == (3, 0)
    assert 0 <= card.score <= card.average <= 100
    assert action_plan(bank, assessment)
    changes = diff_answers(bank, milestone_answers(assessment, "Workshop 1"), assessment.answers)
    assert [(c.question, c.direction) for c in changes] == [("runbook", "improved")]
    disputes, trend = report_rows(bank, assessment)
    for render in (markdown_report, html_report):
        text = render(bank, assessment, disputes=disputes, trend=trend, generated=datetime.now(UTC))
        assert "Claims triage bot" in text and "retired-question" in text


# ---------------------------------------------------------------------------- into bank 2


def test_a_bank_1_file_opens_with_bank_2_and_nothing_is_lost(bank: Bank) -> None:
    """Unchanged questions keep their answers; questions whose meaning changed have new ids, and
    their old answers stay, shown as answers to the previous version; the earlier scale's
    "partial" (done in part, or only planned) counts as a plan until the team chooses again."""
    assessment = load_assessment_file(V1, bank)
    assert (assessment.bank.version, bank.version) == ("1.0.0", "2.1.0")

    card = score(bank, assessment)
    answers = assessment.answers

    # Unchanged questions carry over, every kind of answer, notes and details included.
    assert answers["runbook"].choice == "partial" and answers["runbook"].owner == "Cy"
    assert answers["eval-production-data"].owner == "Ana"
    assert answers["security-review"].evidence == "SEC-1234"
    plan = {item.question: item for item in action_plan(bank, assessment)}
    assert plan["runbook"].answer == "Partly, or planned (earlier scale): choose again"
    assert plan["runbook"].gap == 80  # scored as a plan (20), not as "partly in place" (50)
    # Changed questions: the new ones are unanswered, the old answers are shown beside them.
    assert "success-criteria-agreed" not in answers
    replaced = {item.question: item for item in replaced_answers(bank, answers)}
    assert set(replaced) == {"success-criteria", "edge-cases-tested", "cost-monitoring"}
    assert replaced["success-criteria"].answer == (
        "Partly, or planned (earlier scale): choose again"
    )
    assert replaced["success-criteria"].replaced_by == (
        ("success-criteria-agreed", "Production success criteria agreed", "Unanswered"),
    )
    assert replaced["cost-monitoring"].replaced_by == (
        ("cost-cap", "Cost per request capped", "Unanswered"),
    )
    # Not counted twice, and not lost: the critical replacement is a blocker until answered.
    assert "success-criteria-agreed" in {b.question for b in card.blockers}
    for render in (markdown_report, html_report):
        text = render(bank, assessment, generated=datetime.now(UTC))
        assert "Production success criteria (version 1.0.0; now Production success criteria " in (
            text
        )
        assert "fixed-price contract with the vendor" in text
    # The participants' own answers and the milestone are all still there.
    assert assessment.participants["ana"].answers["success-criteria"].notes.startswith("Signed off")
    assert milestone_answers(assessment, "Workshop 1")["success-criteria"].choice == "partial"


def test_diff_across_the_bank_change_says_which_questions_changed(
    bank: Bank, store: Store, cli: Cli
) -> None:
    name = store.import_file(V1)

    result = cli("diff", name)

    assert result.code == 0, result
    lines = result.out.splitlines()
    assert "Questions replaced in a newer version of the bank (the old answer is kept):" in lines
    assert (
        "  Production success criteria [success-criteria, version 1.0.0]: "
        "Partly, or planned (earlier scale): choose again"
    ) in lines
    assert "    now asked as: Production success criteria agreed [success-criteria-agreed]: " in (
        result.out
    )
    data = json.loads(cli("diff", name, "--json").out)
    assert [item["question"] for item in data["replaced"]] == [
        "success-criteria",
        "cost-monitoring",
        "edge-cases-tested",
    ]


def test_a_version_1_file_round_trips(bank: Bank, store: Store) -> None:
    assessment = load_assessment_file(V1, bank)

    text = dumps_assessment(assessment)

    assert parse_assessment(tomllib.loads(text), V1) == assessment
    # Imported, it is written as this pilot-tui writes: the current schema and bank versions.
    name = store.import_file(V1)
    assert store.load(name) == as_written(assessment, bank)
    assert store.export_text(name) == dumps_assessment(as_written(assessment, bank))
