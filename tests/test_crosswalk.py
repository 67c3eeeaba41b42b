"""The crosswalk to other frameworks: a bank declares frameworks and their items once, a question
names the items it asks about in its refs ("FRAMEWORK:ITEM"), `bank show` and `bank frameworks`
list them, and `report --by-framework` groups the answers by a framework's items and names the
items no question covers.
"""

from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from helpers import Cli, assert_one_error_line
from test_bank import problems_of, tiny_bank
from test_report import assert_offline_and_scriptless, assess, md, page, parse_html, table_after

from pilot_tui.core.assessment import Answer
from pilot_tui.core.bank import MAX_FRAMEWORK_ITEMS, MAX_REFS, Bank
from pilot_tui.core.bank_checks import parse_bank
from pilot_tui.core.records import build
from pilot_tui.store import default_bank_text

BANKS = Path(__file__).parent / "banks"
NIST = "NIST-AI-RMF"
MLTS = "ML-TEST-SCORE"
COVERED = "### Items the questions cover"
UNCOVERED = "### Items no question covers"

Data = dict[str, Any]


def framework(framework_id: str = "FW", *item_ids: str) -> Data:
    return {
        "id": framework_id,
        "title": f"The {framework_id} framework",
        "items": [{"id": item, "title": f"Title of {item}"} for item in item_ids or ("A 1",)],
    }


def with_refs(*refs: str, frameworks: list[Data] | None = None) -> Data:
    """The tiny bank with REFS on its first question and FRAMEWORKS (default: one, FW, whose
    items are A 1, A 2 and B 1)."""
    data = tiny_bank()
    data["frameworks"] = (
        frameworks if frameworks is not None else [framework("FW", "A 1", "A 2", "B 1")]
    )
    data["sections"][0]["questions"][0]["refs"] = list(refs)
    return data


def one_problem(data: Data) -> str:
    problems = problems_of(data)
    assert len(problems) == 1, problems
    assert "\n" not in problems[0]
    return problems[0]


def crosswalk_bank() -> Data:
    """The small test bank (tests/banks/small.toml) mapped to one framework, for the reports:
    owner and runbook ask about OPS 1; review about OPS 2 and SEC 1; pipes about DATA 1;
    auth about nothing; SEC 2 is covered by no question."""
    data = tomllib.loads((BANKS / "small.toml").read_text(encoding="utf-8"))
    data["id"] = "small-crosswalk-bank"
    data["frameworks"] = [
        {
            "id": "TOY-FW",
            "title": "Toy framework",
            "url": "https://example.org/toy",
            "description": "Four items, for the tests.",
            "items": [
                {"id": "OPS 1", "title": "Someone runs it"},
                {"id": "OPS 2", "title": "Design reviewed"},
                {"id": "SEC 1", "title": "Security reviewed"},
                {"id": "SEC 2", "title": "Nobody asks this"},
                {"id": "DATA 1", "title": "Data flows for real"},
            ],
        },
        {"id": "Other", "title": "Another framework", "items": [{"id": "X", "title": "X"}]},
    ]
    questions = {q["id"]: q for s in data["sections"] for q in s["questions"]}
    questions["owner"]["refs"] = ["TOY-FW:OPS 1"]
    questions["runbook"]["refs"] = ["TOY-FW:OPS 1"]
    questions["review"]["refs"] = ["TOY-FW:OPS 2", "TOY-FW:SEC 1"]
    questions["pipes"]["refs"] = ["TOY-FW:DATA 1", "Other:X"]
    return data


@pytest.fixture
def toy_path(tmp_path: Path) -> str:
    path = tmp_path / "toy-bank.toml"
    path.write_text(tomli_w.dumps(crosswalk_bank()), encoding="utf-8")
    return str(path)


# ---------------------------------------------------------------------------- the bank model


def test_refs_and_frameworks_are_read_and_crosswalked() -> None:
    data = with_refs("FW:A 2", "FW:A 1")
    data["sections"][1]["questions"][0]["refs"] = ["FW:A 2"]

    bank = parse_bank(data)

    fw = bank.framework("FW")
    assert fw is not None
    assert bank.framework("fw") is fw  # typed on the command line, in any case
    assert bank.framework("nope") is None
    # Every item in the framework's order, with its questions in bank order.
    assert [(item.id, questions) for item, questions in bank.crosswalk(fw)] == [
        ("A 1", ("q1",)),
        ("A 2", ("q1", "q3")),
        ("B 1", ()),
    ]
    # The trusted path (the shipped bank is built without validation) gives the same record.
    assert build(Bank, data) == bank


def test_banks_without_refs_still_load() -> None:
    for path in (BANKS / "small.toml", BANKS / "rules.toml"):
        bank = parse_bank(tomllib.loads(path.read_text(encoding="utf-8")))
        assert bank.frameworks == ()
        assert all(question.refs == () for _, question in bank.iter_questions())


@pytest.mark.parametrize(
    ("refs", "expected"),
    [
        (
            ["NIST:GOVERN 1.1"],
            "section 'one', question 'q1': ref 'NIST:GOVERN 1.1' names 'NIST', not a framework "
            "of this bank (FW)",
        ),
        (
            ["FW:A 9"],
            "section 'one', question 'q1': ref 'FW:A 9' names 'A 9', not an item of framework 'FW'",
        ),
        (
            ["FW: A 1"],
            "section 'one', question 'q1': ref 'FW: A 1' names ' A 1', not an item of framework "
            "'FW'",
        ),
        (
            ["fw:A 1"],
            "section 'one', question 'q1': ref 'fw:A 1' names 'fw', not a framework of this bank "
            "(FW)",
        ),
        (
            ["A 1"],
            "section 'one', question 'q1': ref 'A 1' must be FRAMEWORK:ITEM, e.g. "
            "'NIST-AI-RMF:MEASURE 2.7'",
        ),
        (
            ["FW:A 1", "FW:A 2", "FW:A 1"],
            "section 'one', question 'q1': ref 'FW:A 1' is given twice",
        ),
    ],
)
def test_a_bad_ref_is_one_line_naming_it(refs: list[str], expected: str) -> None:
    assert one_problem(with_refs(*refs)) == expected


def test_a_ref_without_frameworks_says_none_is_declared() -> None:
    assert one_problem(with_refs("FW:A 1", frameworks=[])) == (
        "section 'one', question 'q1': ref 'FW:A 1' names 'FW', not a framework of this bank "
        "(none is declared: add a [[frameworks]] table)"
    )


@pytest.mark.parametrize(
    ("frameworks", "expected"),
    [
        (
            [framework("FW"), framework("FW")],
            "framework 'FW': duplicate framework id",
        ),
        (
            [framework("FW"), framework("fw")],
            "framework 'fw': the same id as framework 'FW' but for its case",
        ),
        (
            [framework("FW", "A 1", "A 1")],
            "framework 'FW', item 'A 1': duplicate item id",
        ),
        (
            [{"id": "FW", "title": "No items", "items": []}],
            "framework 'FW': has no items (declare those the questions refer to)",
        ),
        (
            [framework("NIST:AI")],
            "framework 'NIST:AI': id must be 1 to 64 letters, digits, '.', '_' or '-', starting "
            "with a letter or digit",
        ),
        (
            [framework("FW", "A 1 ")],
            "framework 'FW', item 'A 1 ': id must be 1 to 64 letters, digits, spaces or "
            "'.:_/()-', starting with a letter or digit and ending with one or ')'",
        ),
        (
            [{"id": "FW", "title": "FW", "items": [{"id": "A\u200b1", "title": "A 1"}]}],
            # The invisible character is shown as an escape, so the line says where it is.
            "framework 'FW', item 'A\\u200b1': id must be 1 to 64 letters, digits, spaces or "
            "'.:_/()-', starting with a letter or digit and ending with one or ')'",
        ),
    ],
)
def test_bad_frameworks_are_one_line_each(frameworks: list[Data], expected: str) -> None:
    assert one_problem(with_refs(frameworks=frameworks)) == expected


def test_item_ids_as_frameworks_write_them() -> None:
    items = ("GOVERN 1.1", "Monitor 7", "A.6.2.4", "Article 14(4)", "LLM01:2025", "CC6.1")
    data = with_refs("FW:Article 14(4)", "FW:LLM01:2025", frameworks=[framework("FW", *items)])

    bank = parse_bank(data)

    assert [item.id for item in bank.frameworks[0].items] == list(items)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sections"][0]["questions"][0].update(refs="FW:A 1"),
            "section 'one', question 'q1', refs: Input should be a valid tuple",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(refs=["FW:A 1", 7]),
            "section 'one', question 'q1', ref #2: Input should be a valid string",
        ),
        (
            lambda d: d["sections"][0]["questions"][0].update(refs=[""]),
            "section 'one', question 'q1', ref #1: must not be empty",
        ),
        (
            lambda d: d["frameworks"][0]["items"].append({"id": "C 1"}),
            "framework 'FW', item 'C 1', title: Field required",
        ),
        (
            lambda d: d["frameworks"][0].update(link="https://x.example"),
            "framework 'FW', link: Extra inputs are not permitted",
        ),
        (
            lambda d: d.update(frameworks={"id": "FW"}),
            "frameworks: Input should be a valid tuple",
        ),
    ],
)
def test_wrong_types_are_refused_where_they_are(change: Any, expected: str) -> None:
    data = with_refs("FW:A 1")
    change(data)
    assert one_problem(data) == expected


def test_huge_lists_are_refused_in_one_line() -> None:
    items = [f"I {n}" for n in range(MAX_FRAMEWORK_ITEMS + 1)]
    too_many_items = with_refs(frameworks=[framework("FW", *items)])
    too_many_refs = with_refs(*(f"FW:I {n}" for n in range(MAX_REFS + 1)))
    too_many_refs["frameworks"] = [framework("FW", *items[: MAX_REFS + 1])]

    assert one_problem(too_many_items).startswith(
        f"framework 'FW', items: Tuple should have at most {MAX_FRAMEWORK_ITEMS} items"
    )
    assert one_problem(too_many_refs).startswith(
        f"section 'one', question 'q1', refs: Tuple should have at most {MAX_REFS} items"
    )
    # At the limits themselves, both are fine.
    at_limit = with_refs(*(f"FW:I {n}" for n in range(MAX_REFS)))
    at_limit["frameworks"] = [framework("FW", *items[:MAX_FRAMEWORK_ITEMS])]
    assert len(parse_bank(at_limit).sections[0].questions[0].refs) == MAX_REFS


# ---------------------------------------------------------------------------- the default bank


def test_every_ref_of_the_default_bank_resolves(bank: Bank) -> None:
    # Validated in full (the app trusts the shipped bank and skips this at start-up).
    checked = parse_bank(tomllib.loads(default_bank_text()))
    assert checked == bank
    assert bank.version == "2.1.0"
    assert [f.id for f in bank.frameworks] == [NIST, MLTS]
    refs = [ref for _, q in bank.iter_questions() for ref in q.refs]
    assert refs and {ref.split(":", 1)[0] for ref in refs} == {NIST, MLTS}


def test_the_default_bank_declares_every_item_of_both_frameworks(bank: Bank) -> None:
    nist, mlts = bank.frameworks
    # The AI RMF Core: 19 GOVERN, 18 MAP, 22 MEASURE and 13 MANAGE subcategories.
    functions = [item.id.split()[0] for item in nist.items]
    assert {f: functions.count(f) for f in dict.fromkeys(functions)} == {
        "GOVERN": 19,
        "MAP": 18,
        "MEASURE": 22,
        "MANAGE": 13,
    }
    assert [item.id for item in nist.items][:3] == ["GOVERN 1.1", "GOVERN 1.2", "GOVERN 1.3"]
    assert "MEASURE 2.13" in {item.id for item in nist.items}
    # The ML Test Score: seven tests in each of its four sections.
    assert [item.id for item in mlts.items] == [
        f"{section} {n}" for section in ("Data", "Model", "Infra", "Monitor") for n in range(1, 8)
    ]


def test_the_default_bank_maps_where_questions_really_correspond(bank: Bank) -> None:
    refs = {q.id: set(q.refs) for _, q in bank.iter_questions()}

    assert "NIST-AI-RMF:MEASURE 2.7" in refs["security-review"]
    assert "NIST-AI-RMF:MEASURE 2.7" in refs["prompt-injection"]
    assert "NIST-AI-RMF:MEASURE 2.11" in refs["fairness-tested"]
    assert "NIST-AI-RMF:GOVERN 1.1" in refs["compliance-assessment"]
    assert "NIST-AI-RMF:MANAGE 2.4" in refs["fallback-switch"]
    assert "ML-TEST-SCORE:Monitor 3" in refs["training-serving-skew"]
    assert "ML-TEST-SCORE:Infra 7" in refs["rollback-rehearsed"]
    assert "ML-TEST-SCORE:Monitor 7" in refs["output-quality-sampled"]
    # A question about cost or plumbing is no framework's item, and is not forced onto one.
    assert refs["cost-cap"] == refs["api-connections"] == set()
    # Organisation-wide items stay uncovered: one pilot's answers say nothing about them.
    nist = bank.frameworks[0]
    uncovered = {item.id for item, questions in bank.crosswalk(nist) if not questions}
    assert {"GOVERN 2.2", "GOVERN 3.1", "MEASURE 2.12"} <= uncovered


# ---------------------------------------------------------------------------- bank show


def test_bank_show_lists_each_questions_refs_and_the_frameworks(cli: Cli, bank: Bank) -> None:
    result = cli("bank", "show")

    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    review = lines.index(next(line for line in lines if line.startswith("  security-review ")))
    assert lines[review + 1] == "    refs: NIST-AI-RMF:MEASURE 2.7, NIST-AI-RMF:MANAGE 1.3"
    cost = lines.index(next(line for line in lines if line.startswith("  cost-cap ")))
    assert not lines[cost + 1].startswith("    refs:")
    covered = {
        f.id: sum(1 for _, questions in bank.crosswalk(f) if questions) for f in bank.frameworks
    }
    assert lines[-3].startswith("Frameworks the questions refer to (FRAMEWORK ids for")
    assert lines[-2] == (
        f"  NIST-AI-RMF    NIST AI Risk Management Framework (AI RMF 1.0): {covered[NIST]} of "
        "72 items covered"
    )
    assert lines[-1].startswith("  ML-TEST-SCORE  The ML Test Score")
    assert lines[-1].endswith(f": {covered[MLTS]} of 28 items covered")


def test_bank_show_json_gives_refs_and_frameworks(cli: Cli, bank: Bank) -> None:
    data = json.loads(cli("bank", "show", "--json").out)

    questions = {q["id"]: q for s in data["sections"] for q in s["questions"]}
    assert questions["security-review"]["refs"] == [
        {"framework": NIST, "item": "MEASURE 2.7"},
        {"framework": NIST, "item": "MANAGE 1.3"},
    ]
    assert questions["cost-cap"]["refs"] == []
    assert [f["id"] for f in data["frameworks"]] == [NIST, MLTS]
    nist = data["frameworks"][0]
    assert nist["url"] == "https://doi.org/10.6028/NIST.AI.100-1"
    items = {item["id"]: item for item in nist["items"]}
    assert len(items) == 72
    assert items["GOVERN 1.1"]["questions"] == ["compliance-assessment", "legal-sign-off"]
    assert items["GOVERN 2.2"] == {"id": "GOVERN 2.2", "title": "AI risk training", "questions": []}
    # The same list as `bank frameworks --json`.
    assert json.loads(cli("bank", "frameworks", "--json").out) == data["frameworks"]


def test_bank_frameworks_lists_every_item_and_what_covers_it(cli: Cli, toy_path: str) -> None:
    result = cli("bank", "frameworks", toy_path)

    assert (result.code, result.err) == (0, "")
    assert result.out == (
        "TOY-FW: Toy framework\n"
        "  https://example.org/toy\n"
        "  4 of 5 items covered by this bank's questions\n"
        "  OPS 1   Someone runs it [owner, runbook]\n"
        "  OPS 2   Design reviewed [review]\n"
        "  SEC 1   Security reviewed [review]\n"
        "  SEC 2   Nobody asks this: not covered by any question\n"
        "  DATA 1  Data flows for real [pipes]\n"
        "\n"
        "Other: Another framework\n"
        "  1 of 1 item covered by this bank's questions\n"
        "  X  X [pipes]\n"
    )


def test_a_bank_without_frameworks(cli: Cli) -> None:
    small = str(BANKS / "small.toml")

    listed = cli("bank", "frameworks", small)
    shown = cli("bank", "show", small)

    assert (listed.code, listed.out) == (
        0,
        "The bank small-test-bank declares no frameworks: its questions carry no refs.\n",
    )
    assert "refs:" not in shown.out and "Frameworks" not in shown.out
    assert json.loads(cli("bank", "frameworks", small, "--json").out) == []


# ---------------------------------------------------------------------------- reports


def toy_answers() -> dict[str, Answer]:
    return {
        "owner": Answer(choice="met"),
        "runbook": Answer(choice="partly"),
        "review": Answer(choice="yes"),
        "pipes": Answer(choice="na", reason="no data moves yet"),
    }


def test_markdown_groups_answers_by_the_frameworks_items() -> None:
    bank = parse_bank(crosswalk_bank())
    toy = bank.framework("TOY-FW")
    assessment = assess(bank, toy_answers())

    text = md(bank, assessment, framework=toy)

    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert (
        headings.index("## By framework: Toy framework")
        == headings.index("## Appendix: every answer") - 1
    )
    part = text.split("## By framework: Toy framework\n", 1)[1].split("\n## ", 1)[0]
    assert "4 of the framework's 5 items are asked about by at least one question" in part
    assert "Four items, for the tests." in part
    assert "Source: <https://example.org/toy>" in part
    assert table_after(text, COVERED) == [
        ["Item", "Questions and answers", "Status"],
        [
            "**OPS 1** Someone runs it",
            "Operations owner (owner): Met · Runbook (runbook): Partly",
            "Open: 1 of 2 questions not met",
        ],
        ["**OPS 2** Design reviewed", "Architecture review (review): Yes", "Met"],
        ["**SEC 1** Security reviewed", "Architecture review (review): Yes", "Met"],
        [
            "**DATA 1** Data flows for real",
            "Data pipelines (pipes): Not applicable",
            "Not applicable",
        ],
    ]
    assert table_after(text, UNCOVERED) == [["Item", "Title"], ["SEC 2", "Nobody asks this"]]
    # Without --by-framework, no such part.
    assert "By framework" not in md(bank, assessment)


def test_markdown_marks_blockers_and_questions_the_context_leaves_out(bank: Bank) -> None:
    nist = bank.framework(NIST)
    assert nist is not None
    # A language-model application for staff: the fairness question (decisions about people)
    # is not asked, so MEASURE 2.11 is not either; nothing answered, so criteria-met is a
    # blocker (critical and unanswered).
    assessment = assess(bank, {"security-review": Answer(choice="met")})
    assessment = dataclasses.replace(
        assessment, context={"system": ["llm-app"], "serves": ["internal"]}
    )

    text = md(bank, assessment, framework=nist)

    rows = {row[0]: row[1:] for row in table_after(text, COVERED)[1:]}
    assert rows["**MEASURE 2.11** Fairness and bias evaluated"] == [
        "Fairness tested (fairness-tested): not asked in this pilot's context",
        "Not asked in this pilot's context",
    ]
    assert rows["**MANAGE 1.1** Go or no-go on whether it meets its purpose"] == [
        "Success criteria met (criteria-met): Unanswered; **blocker**",
        "Open: 1 of 1 question not met",
    ]
    assert rows["**MANAGE 1.3** Responses to high risks planned"] == [
        "Security review completed (security-review): In place and evidenced",
        "Met",
    ]
    uncovered = [row[0] for row in table_after(text, UNCOVERED)[1:]]
    crosswalk = bank.crosswalk(nist)
    assert uncovered == [item.id for item, questions in crosswalk if not questions]
    assert len(rows) + len(uncovered) == len(nist.items) == 72


def test_html_has_the_framework_part_as_a_well_formed_offline_page() -> None:
    data = crosswalk_bank()
    # Bank text is a team's own: a framework's titles are escaped like every other.
    data["frameworks"][0]["title"] = "Toy <script>alert(1)</script> | framework"
    data["frameworks"][0]["items"][0]["title"] = "<img src=x onerror=alert(1)>"
    bank = parse_bank(data)
    toy = bank.framework("toy-fw")
    assert toy is not None

    document = page(bank, assess(bank, toy_answers()), framework=toy)

    parser = parse_html(document)
    assert_offline_and_scriptless(document, parser)
    assert "<h2>By framework: Toy " in document
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in document
    assert "<h3>Items the questions cover</h3>" in document
    assert "<h3>Items no question covers</h3>" in document
    assert "<th>Questions and answers</th>" in document
    text = "".join(parser.text)
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, not made an element
    assert "Operations owner (owner): Met" in text
    assert "Nobody asks this" in text


# ---------------------------------------------------------------------------- the command line


def new_toy(cli: Cli, toy_path: str) -> str:
    name = cli("new", "Toy pilot", "--bank", toy_path).out.strip()
    for question_id, choice in (("owner", "met"), ("review", "yes")):
        assert cli("answer", name, question_id, choice, "--bank", toy_path).code == 0
    return name


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_by_framework(cli: Cli, toy_path: str, tmp_path: Path, fmt: str) -> None:
    name = new_toy(cli, toy_path)
    output = tmp_path / f"report.{fmt}"

    result = cli(
        "report",
        name,
        "--format",
        fmt,
        "--by-framework",
        "toy-fw",
        "-o",
        str(output),
        "--bank",
        toy_path,
    )

    assert (result.code, result.err) == (0, "")
    text = output.read_text(encoding="utf-8")
    assert "By framework: Toy framework" in text
    assert "Nobody asks this" in text
    if fmt == "html":
        assert_offline_and_scriptless(text, parse_html(text))


def test_an_unknown_framework_lists_the_known_ones(cli: Cli, toy_path: str) -> None:
    name = new_toy(cli, toy_path)

    error = assert_one_error_line(
        cli("report", name, "--by-framework", "NIST-AI-RMF", "--bank", toy_path)
    )

    assert error == (
        "pilot-tui: error: --by-framework 'NIST-AI-RMF' is not a framework of this bank "
        "(known: TOY-FW, Other)"
    )


def test_an_unknown_framework_with_the_default_bank_and_a_bank_without_any(cli: Cli) -> None:
    name = cli("new", "Claims bot").out.strip()
    small = cli("new", "Small", "--bank", str(BANKS / "small.toml")).out.strip()

    default = assert_one_error_line(cli("report", name, "--by-framework", "ISO-42001"))
    none = assert_one_error_line(
        cli("report", small, "--by-framework", "X", "--bank", str(BANKS / "small.toml"))
    )

    assert default.endswith("(known: NIST-AI-RMF, ML-TEST-SCORE)")
    assert none.endswith("is not a framework of this bank (known: none)")
    # The report itself still works, and is what it was without the option.
    plain = cli("report", name)
    assert plain.code == 0 and "By framework" not in plain.out
    assert "## By framework: NIST AI Risk Management Framework (AI RMF 1.0)" in (
        cli("report", name, "--by-framework", "nist-ai-rmf").out
    )
