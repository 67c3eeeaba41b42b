"""The shape of every `--json` output, pinned: a user's CI script reads these fields.

Changing a shape must be deliberate: change pilot_tui/cli/shapes.py, the README's "JSON output"
section and this test together.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import Cli

from pilot_tui.core.assessment import Answer, new_assessment, now_utc, with_answer
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.store import Store, dumps_assessment

NUMBER = (int, float)


def shape(value: Any) -> Any:
    """The structure of a JSON value: the keys of objects, the type of the rest (the shape of
    a list is the shape of its first item)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, NUMBER):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


@pytest.fixture
def name(cli: Cli, store: Store) -> str:
    made = cli("new", "Claims bot", "--context", "llm-app,internal").out.strip()
    cli("answer", made, "runbook", "unknown", "--owner", "Ana")
    cli("answer", made, "success-criteria-agreed", "met")
    cli("milestone", made, "Workshop 1")
    cli("answer", made, "on-call", "partly", "--due", "2026-12-01")
    return made


def run_json(cli: Cli, *args: str) -> Any:
    result = cli(*args, "--json")
    assert result.code in (0, 1), result
    return json.loads(result.out)


def test_score(cli: Cli, name: str) -> None:
    section = {
        "id": "str",
        "title": "str",
        "score": "number",
        "level": "str",
        "status": "str",
        "answered": "number",
        "total": "number",
        "unknown": "number",
        "not_applicable": "number",
        "blockers": "number",
    }
    assert shape(run_json(cli, "score", name)) == {
        "title": "str",
        "bank": {"id": "str", "version": "str"},
        "level": "str",
        "level_title": "str",
        "score": "number",
        "average": "number",
        "coverage": "number",
        "answered": "number",
        "total": "number",
        "unknown": "number",
        "weakest": "str",
        "lowest": ["str"],
        "capped_by_blockers": "bool",
        "level_reached_by_score": "str",
        "context": {"system": ["str"], "serves": ["str"]},
        "context_not_chosen": [],
        "context_changes": [],
        "answers_not_counted_in_this_context": [],
        "not_applicable": "number",
        "sections": [section],
        "blockers": [
            {
                "question": "str",
                "section": "str",
                "title": "str",
                "reason": "str",
                "holds_level_at": "str",
                "lapsed_waiver": "null",
            }
        ],
        "waived": [],
        "unused_waivers": [],
        "orphaned": [],
    }


def test_plan(cli: Cli, name: str) -> None:
    assert shape(run_json(cli, "plan", name)) == [
        {
            "question": "str",
            "section": "str",
            "title": "str",
            "text": "str",
            "fix": "str",
            "answer": "str",
            "gap": "number",
            "priority": "number",
            "blocker": "bool",
            "unknown": "bool",
            "owner": "str",
            "due": "str",
            "earlier": "str",
            "waived_until": "null",
        }
    ]


def test_list(cli: Cli, name: str, store: Store) -> None:
    (store.root / "broken.toml").write_text("not toml [", encoding="utf-8")

    rows = run_json(cli, "list")

    assert [shape(row) for row in rows] == [
        {"name": "str", "path": "str", "error": "str"},
        {
            "name": "str",
            "path": "str",
            "title": "str",
            "team": "str",
            "updated": "str",
            "assessed": "bool",
            "coverage": "number",
            "level": "str",
            "level_title": "str",
            "score": "number",
        },
    ]
    # Nothing answered: no level, which would be the rules' floor rather than a finding.
    cli("new", "Not started")
    fresh = next(row for row in run_json(cli, "list") if row.get("title") == "Not started")
    assert fresh["assessed"] is False
    assert (fresh["level"], fresh["level_title"], fresh["score"]) == (None, None, None)


def test_diff(cli: Cli, name: str) -> None:
    assert shape(run_json(cli, "diff", name)) == {
        "from": "str",
        "to": "null",
        "changes": [
            {
                "question": "str",
                "section": "str",
                "title": "str",
                "before": "str",
                "after": "str",
                "direction": "str",
            }
        ],
        "replaced": [],
        "context": {
            "from": {"system": ["str"], "serves": ["str"]},
            "to": {"system": ["str"], "serves": ["str"]},
        },
        "also": [],
    }


def test_disputes(cli: Cli, store: Store, tmp_path: Path) -> None:
    people = []
    for who, choice in (("Ana", "met"), ("Bo", "not-met")):
        own = new_assessment(store.bank, "Claims bot", respondent=who, now=now_utc())
        own = with_answer(own, "runbook", Answer(choice=choice), now=now_utc())
        people.append(MergeInput(f"{who}.toml", own))
    merged = tmp_path / "team.toml"
    merged.write_text(dumps_assessment(merge(store.bank, people, now=now_utc())))

    assert shape(run_json(cli, "disputes", str(merged))) == [
        {
            "question": "str",
            "section": "str",
            "title": "str",
            "spread": "number",
            "distinct": "number",
            "answers": [{"participant": "str", "choice": "str"}],
        }
    ]


def test_bank_show(cli: Cli) -> None:
    data = run_json(cli, "bank", "show")
    choice = {
        "id": "str",
        "label": "str",
        "score": "number",
        "unknown": "bool",
        "not_applicable": "bool",
        "needs": [],
        "critical_cap": "null",
        "retired": "bool",
    }

    assert shape(data) == {
        "id": "str",
        "version": "str",
        "title": "str",
        "levels": [{"id": "str", "title": "str", "min": "number"}],
        "rules": {"unanswered_cap": "str", "not_applicable_cap": "str"},
        "contexts": [
            {
                "id": "str",
                "title": "str",
                "question": "str",
                "multiple": "bool",
                "options": [{"id": "str", "label": "str"}],
            }
        ],
        "sections": [
            {
                "id": "str",
                "title": "str",
                "questions": [
                    {
                        "id": "str",
                        "title": "str",
                        "text": "str",
                        "weight": "number",
                        "critical": "bool",
                        "critical_when": [],
                        "applies_when": [],
                        "choices": [choice],
                        "refs": [{"framework": "str", "item": "str"}],
                    }
                ],
            }
        ],
        "retired": [
            {
                "id": "str",
                "title": "str",
                "version": "str",
                "replaced_by": ["str"],
                "change": "str",
            }
        ],
        "frameworks": [
            {
                "id": "str",
                "title": "str",
                "url": "str",
                "items": [{"id": "str", "title": "str", "questions": ["str"]}],
            }
        ],
    }
