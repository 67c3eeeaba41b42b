"""The app, driven as a user would drive it, asserting on what it shows and what it saves."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import app_for, capture_notifications, wait_until
from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.containers import VerticalScroll
from textual.content import Content
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets import Input, Static, TextArea

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, now_utc, with_answer
from pilot_tui.core.merge import MergeInput, merge
from pilot_tui.store import Store, dumps_assessment, load_assessment_file
from pilot_tui.ui.app import PilotApp
from pilot_tui.ui.screens.dialogs import Confirm, ContextForm, SetupForm, TextPrompt
from pilot_tui.ui.screens.help import HelpScreen
from pilot_tui.ui.screens.home import HomeScreen
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.screens.question_text import team_answers
from pilot_tui.ui.screens.summary import SummaryScreen
from pilot_tui.ui.session import Position, Session
from pilot_tui.ui.widgets.choice_list import ChoiceList
from pilot_tui.ui.widgets.footer import Footer
from pilot_tui.ui.widgets.row_list import RowList
from pilot_tui.ui.widgets.scorecard import ScorecardPanel, SectionList

SIZE = (120, 40)


def text_of(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Content) else str(content)


async def focus(pilot: Pilot[None], selector: str) -> None:
    """Move to a field as Tab would (the field may be below the fold, out of the mouse's reach)."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.pause()


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*("space" if char == " " else char for char in text))


def make_assessment(store: Store, title: str = "Claims triage bot") -> str:
    return store.create(new_assessment(store.bank, title, team="Claims AI", now=now_utc()))


def interview(app: PilotApp) -> InterviewScreen:
    screen = app.screen
    assert isinstance(screen, InterviewScreen), f"expected the interview, got {screen!r}"
    return screen


def scorecard_text(app: PilotApp) -> str:
    return interview(app).query_one(ScorecardPanel).text


def current_question_id(app: PilotApp) -> str:
    screen = interview(app)
    return screen.session.question(screen.position).id


def on_question(app: PilotApp, question_id: str) -> bool:
    """The interview is up and shows QUESTION_ID (a condition to wait for)."""
    return isinstance(app.screen, InterviewScreen) and current_question_id(app) == question_id


def highlighted_command(app: App[Any]) -> str:
    """The command the open palette would run on Enter ("" while there is none)."""
    palette = app.screen
    if not isinstance(palette, CommandPalette):
        return ""
    option = palette.query_one(CommandList).highlighted_option
    return "" if option is None else str(option.prompt)


async def run_from_the_palette(pilot: Pilot[None], query: str, command: str) -> None:
    """Ctrl+P, type QUERY, wait until COMMAND is the highlighted hit, then Enter."""
    await pilot.press("ctrl+p")
    await wait_until(lambda: isinstance(pilot.app.screen, CommandPalette))
    await type_text(pilot, query)
    # The hits are gathered by a worker after each key; Enter runs the one highlighted.
    await pilot.app.workers.wait_for_complete()
    await wait_until(lambda: highlighted_command(pilot.app).startswith(command))
    await pilot.press("enter")


def footer_keys(app: PilotApp) -> str:
    """What the footer shows, key by key ("" while it shows none)."""
    footer = app.screen.query_one(Footer)
    return " ".join(str(part.render()) for part in footer.query(Widget) if not part.children)


async def test_first_run_shows_an_empty_state_that_says_what_to_do(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        message = text_of(app.screen.query_one("#empty-state", Static))
        assert "No assessments here yet" in message
        assert "Press n" in message
        assert app.screen.has_class("-empty")


async def test_create_an_assessment_from_home(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, SetupForm)
        await pilot.press("enter")  # a title is required
        await pilot.pause()
        assert isinstance(app.screen, SetupForm)
        assert "required" in text_of(app.screen.query_one("#setup-error", Static))
        await type_text(pilot, "Fraud bot")
        app.screen.query_one("#setup-team", Input).value = "Risk [bold]AI[/]"
        await pilot.click("#create")
        await pilot.pause()
        # Then what kind of pilot it is: the first list has the focus.
        assert isinstance(app.screen, ContextForm)
        await pilot.press("space")  # classic machine learning
        await pilot.press("tab", "down", "space", "down", "space")  # customers, decisions
        await pilot.click("#save")
        await pilot.pause()
        screen = interview(app)
        assert text_of(screen.query_one("#assessment-title", Static)) == "Fraud bot"
        # A classic model asks nothing about language models.
        assert "question 1 of 6" in text_of(screen.query_one("#position", Static))
    assert store.names() == ["fraud-bot"]
    saved = store.load("fraud-bot")
    assert saved.meta.title == "Fraud bot"
    assert saved.meta.team == "Risk [bold]AI[/]"
    assert saved.context == {"system": ["classic-ml"], "serves": ["customers", "decisions"]}


async def test_answer_keys_update_the_scorecard_in_the_same_action(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert current_question_id(app) == "success-criteria-agreed"
        # No context chosen: every question applies, critical wherever it can be.
        assert "0/38 answered" in scorecard_text(app)
        assert "18 blockers" in scorecard_text(app)
        await pilot.press("1")
        # No pause: the scorecard changed inside the key's own action.
        assert "1/38 answered" in scorecard_text(app)
        assert "17 blockers" in scorecard_text(app)
        await pilot.press("5")  # don't know
        assert "1 don't know" in scorecard_text(app)
        assert "18 blockers" in scorecard_text(app)
        assert interview(app).query_one(ChoiceList).selected == 4
    assert store.load(name).answers["success-criteria-agreed"].choice == "unknown"


async def test_answer_with_the_mouse(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.click(ChoiceList, offset=(6, 1))  # the second line: "Partly met"
        await pilot.pause()
        assert (
            interview(app).session.assessment.answers["success-criteria-agreed"].choice == "partly"
        )
        assert "1/38 answered" in scorecard_text(app)
        assert "█" in scorecard_text(app)
    assert store.load(name).answers["success-criteria-agreed"].choice == "partly"


async def test_arrows_and_enter_pick_an_answer(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("down", "down", "down", "enter")
        await pilot.pause()
        answers = interview(app).session.assessment.answers
        assert answers["success-criteria-agreed"].choice == "not-met"


async def test_quit_and_reopen_shows_every_answer_note_owner_and_due_date(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("2")
        await focus(pilot, "#notes")
        await type_text(pilot, "Draft only")
        await pilot.press("enter")
        await type_text(pilot, "v2")
        await focus(pilot, "#owner")
        await pilot.press(*"Ana")
        await focus(pilot, "#due")
        await pilot.press(*"2026-12-15")
        await focus(pilot, "#evidence")
        await pilot.press(*"wiki/criteria")
        await pilot.press("escape", "n")  # leave the field, next question
        await pilot.pause()
        assert current_question_id(app) == "eval-production-data"
        await pilot.press("4")
        await pilot.press("ctrl+q")  # quitting flushes the pending save
    saved = store.load(name)
    first = saved.answers["success-criteria-agreed"]
    assert first == Answer(
        choice="partly",
        notes="Draft only\nv2",
        owner="Ana",
        due=date(2026, 12, 15),
        evidence="wiki/criteria",
    )
    assert saved.answers["eval-production-data"].choice == "not-met"

    reopened = app_for(store, name)
    async with reopened.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = interview(reopened)
        await screen.go_to(Position(0, 0))
        await pilot.pause()
        assert screen.query_one("#notes", TextArea).text == "Draft only\nv2"
        assert screen.query_one("#owner", Input).value == "Ana"
        assert screen.query_one("#due", Input).value == "2026-12-15"
        assert screen.query_one("#evidence", Input).value == "wiki/criteria"
        assert screen.query_one(ChoiceList).selected == 1
        assert "2/38 answered" in scorecard_text(reopened)


async def test_moving_between_questions_and_sections(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert interview(app).position == Position(0, 1)
        await pilot.press("p")
        await pilot.pause()
        assert interview(app).position == Position(0, 0)
        await pilot.press("p")  # already first: stays
        await pilot.pause()
        assert interview(app).position == Position(0, 0)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert interview(app).position == Position(1, 0)
        assert current_question_id(app) == "operations-owner-named"
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert interview(app).position.section == 0
        # The last question of a section is followed by the next section's first.
        for _ in range(7):
            await pilot.press("n")
        await pilot.pause()
        assert interview(app).position == Position(1, 0)
        position_line = text_of(interview(app).query_one("#position", Static))
        assert "question 1 of 8" in position_line


async def test_section_list_jumps_to_the_first_open_question(store: Store) -> None:
    name = make_assessment(store)
    assessment = store.load(name)
    assessment = with_answer(assessment, "runbook", None, now=now_utc())
    store.save(
        name,
        with_answer(assessment, "operations-owner-named", Answer(choice="met"), now=now_utc()),
    )
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Each section is two lines with a blank line after: the second starts on line 3.
        await pilot.click(SectionList, offset=(5, 4))
        await pilot.pause()
        assert current_question_id(app) == "runbook"
        assert interview(app).query_one(SectionList).current == 1


@pytest.mark.parametrize(
    ("query", "command", "lands_on"),
    [
        pytest.param(
            "question production quality sampled",
            "Jump to question: Production quality sampled",
            "output-quality-sampled",
            id="question production quality sampled-output-quality-sampled",
        ),
        pytest.param(
            "section 3", "Jump to section 3: ", "api-connections", id="section 3-api-connections"
        ),
        pytest.param("Summary", "Summary", "summary", id="Summary-summary"),
    ],
)
async def test_command_palette(store: Store, query: str, command: str, lands_on: str) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await run_from_the_palette(pilot, query, command)
        if lands_on == "summary":
            await wait_until(lambda: isinstance(app.screen, SummaryScreen))
        else:
            await wait_until(lambda: on_question(app, lands_on))
            assert current_question_id(app) == lands_on


async def test_not_applicable_asks_for_a_reason(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")  # cancelled: nothing recorded
        await pilot.pause()
        assert "success-criteria-agreed" not in interview(app).session.assessment.answers
        assert interview(app).query_one(ChoiceList).selected is None
        await pilot.press("6")
        await pilot.pause()
        # Too short: the dialog stays open with what was typed, and says why.
        await type_text(pilot, "internal")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        assert "At least 10 characters" in text_of(app.screen.query_one("#prompt-error", Static))
        session = app.session
        assert session is not None
        assert "success-criteria-agreed" not in session.assessment.answers
        await type_text(pilot, " tool")
        await pilot.press("enter")
        await pilot.pause()
        answer = interview(app).session.assessment.answers["success-criteria-agreed"]
        assert (answer.choice, answer.reason) == ("na", "internal tool")
        assert interview(app).query_one("#reason", Input).value == "internal tool"
        # A critical question that applies stays a blocker, and the screen says so.
        note = text_of(interview(app).query_one("#answer-note", Static))
        assert "Still a blocker" in note
        await pilot.press("ctrl+q")
    assert store.load(name).answers["success-criteria-agreed"].reason == "internal tool"


async def test_not_applicable_drops_the_owner_and_due_date(store: Store) -> None:
    name = make_assessment(store)
    question = "training-serving-skew"
    assessment = with_answer(
        store.load(name),
        question,
        Answer(choice="partly", owner="Ana", due=date(2026, 12, 1), notes="kept"),
        now=now_utc(),
    )
    store.save(name, assessment)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = interview(app)
        await screen.go_to(screen.session.position_of(question) or Position(0, 0))
        await pilot.pause()
        await pilot.press("6")
        await pilot.pause()
        await type_text(pilot, "a batch job")
        await pilot.press("enter")
        await pilot.pause()
        # The owner and due date fields are gone with them.
        assert (
            not screen.query_one("#owner", Input).display
            or not screen.query_one("#owner", Input).value
        )
        await pilot.press("ctrl+q")
    assert store.load(name).answers[question] == Answer(
        choice="na", reason="a batch job", notes="kept"
    )


async def test_summary_shows_blockers_unknowns_and_the_plan(store: Store) -> None:
    name = make_assessment(store)
    assessment = store.load(name)
    assessment = with_answer(
        assessment, "runbook", Answer(choice="unknown", owner="Bo"), now=now_utc()
    )
    store.save(name, assessment)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SummaryScreen)
        risks = text_of(screen.query_one("#summary-risks", Static))
        plan = text_of(screen.query_one("#summary-plan", Static))
        assert "Runbook" in risks
        assert "blockers" not in risks  # listed one by one instead
        assert "Operations owner named: critical and unanswered; holds it at Pilot" in risks
        assert plan.index("BLOCKER") < plan.index("DON'T KNOW")
        assert "Owner: Bo" in plan
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)


async def test_a_failed_save_is_reported_and_the_answers_survive(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = make_assessment(store)
    app = PilotApp(
        store,
        open_name=name,
        open_path=store.path_for(name),
        open_assessment=store.load(name),
        remember_theme=False,
    )
    app.autosave.retry = 0.2
    root = store.root
    away = root.with_name("data-away")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        # The data folder disappears under the app (a file stands in its place), so saving fails
        # even for root, who ignores read-only permissions.
        messages = capture_notifications(app)
        root.rename(away)
        root.write_text("not a folder")
        await pilot.press("1")
        app.save_now()
        await pilot.pause()
        status = text_of(interview(app).query_one("#save-status", Static))
        assert "not saved" in status
        assert any("Not saved" in m and "retrying" in m for m in messages), messages
        assert interview(app).session.assessment.answers["success-criteria-agreed"].choice == "met"
        # The folder comes back: the retry catches up without the user doing anything.
        root.unlink()
        away.rename(root)
        await wait_until(
            lambda: "✓ saved" in text_of(interview(app).query_one("#save-status", Static))
        )
        assert "Saved again: every answer is on disk." in messages
    assert store.load(name).answers["success-criteria-agreed"].choice == "met"


async def test_delete_asks_first_and_keeps_a_backup(store: Store) -> None:
    name = make_assessment(store)
    original = store.path_for(name).read_bytes()
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("n")  # keep it
        await pilot.pause()
        assert store.names() == [name]
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert store.names() == []
        assert app.screen.has_class("-empty")
    backups = list((store.root / ".backup").glob(f"{name}-*.toml"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == original


async def test_an_unreadable_file_is_listed_and_left_untouched(store: Store) -> None:
    make_assessment(store)
    broken = store.root / "broken.toml"
    broken.write_bytes(b"schema = 'pilot-tui/assessment'\nthis is not toml")
    before = broken.read_bytes()
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#assessments", RowList)
        assert table.row_count == 2
        row = [entry.name for entry in screen.entries].index("broken")
        cells = table.row_text(row)
        assert cells[0] == "⚠ broken.toml"
        # Where the level is: the verdict it has instead.
        assert cells[[column.key for column in table.columns].index("level")] == "unreadable"
        table.move_cursor(row=1)
        await pilot.pause()
        detail = text_of(app.screen.query_one("#detail", Static))
        assert detail.startswith("broken.toml cannot be read: not valid TOML")
        told = capture_notifications(app)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert any("cannot be read" in m for m in told), told
    assert broken.read_bytes() == before


async def test_rename_and_duplicate_from_home(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "Claims bot v2"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # The title changes; the file keeps its name, so scripts that use it go on working.
        assert store.names() == [name]
        assert store.load(name).meta.title == "Claims bot v2"
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert store.names() == [name, "copy-of-claims-bot-v2"]
    assert store.load("copy-of-claims-bot-v2").meta.title == "Copy of Claims bot v2"


async def test_a_cancelled_dialog_keeps_the_highlighted_row(store: Store) -> None:
    make_assessment(store, "First")
    second = make_assessment(store, "Second")
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#assessments", RowList)
        row = [entry.name for entry in screen.entries].index(second)
        table.move_cursor(row=row)
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("n")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_row == row
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "'Second'" in text_of(app.screen.query(Static)[1])


async def test_escape_from_an_interview_opened_by_name_goes_to_the_list(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert interview(app).session.assessment.answers["success-criteria-agreed"].choice == "met"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_an_invalid_due_date_is_reported_not_silently_dropped(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        told = capture_notifications(app)
        await pilot.pause()
        await focus(pilot, "#due")
        await type_text(pilot, "2026-13-45")
        await pilot.pause()
        assert "not a date" in text_of(interview(app).query_one("#form-error", Static))
        assert not [m for m in told if "not a date" in m]
        await pilot.press("tab")  # leaving the field says so at once
        await pilot.pause()
        assert [m for m in told if "not a date" in m], told
        told.clear()
        await pilot.press("escape", "n")
        await pilot.pause()
        assert any("not a date" in m for m in told), told
        await focus(pilot, "#due")
        await type_text(pilot, "31/12")
        await pilot.press("ctrl+q")
        await pilot.pause()
        # Quitting with a value that cannot be kept asks first.
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
    assert "success-criteria-agreed" not in store.load(name).answers


async def test_export_and_import_from_home(store: Store, tmp_path: Path) -> None:
    name = make_assessment(store)
    target = tmp_path / "shared.toml"
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == store.path_for(name).read_text(
            encoding="utf-8"
        )
        store.path_for(name).unlink()
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one(Input).value = str(target)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert store.names() == [name]


async def test_help_lists_every_key_and_closes(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = text_of(app.screen.query_one("#help-text", Static))
        for expected in ("1-6", "Next question", "Delete (a backup copy is kept)", "ctrl+q"):
            assert expected in text
        # The rules of the verdict, from the bank in use.
        assert "How the verdict is worked out" in text
        assert "Partly in place: Production candidate" in text
        assert "What kind of pilot this is" in text  # the context key
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_help_scrolls_with_the_keyboard_on_a_small_terminal(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        scroll = app.screen.query_one("#help-scroll", VerticalScroll)
        assert scroll.has_focus
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y > 0


async def test_the_list_footer_offers_open_while_the_list_loads_and_says_to_wait(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_assessment(store)
    # The list arrives from a worker after the screen (and its footer) is up, as on a slow disk.
    loaded = threading.Event()
    read_listing = store.read_listing
    monkeypatch.setattr(store, "read_listing", lambda: (loaded.wait(5), read_listing())[1])
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        # The footer is made once, with the keys most folders need: not again when the list
        # arrives (making it again took a tenth of a second).
        await wait_until(lambda: " Open " in footer_keys(app))
        told = capture_notifications(app)
        await pilot.press("enter")
        await wait_until(lambda: any("still being read" in message for message in told))
        assert isinstance(app.screen, HomeScreen)
        loaded.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = footer_keys(app)
        # (Delete is in the help, not the footer: at 80 columns it pushed Quit off the line.)
        assert all(f" {key} " in shown for key in ("Open", "Export")), shown


async def test_an_empty_folder_offers_no_open_once_read(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=SIZE):
        await app.workers.wait_for_complete()
        await wait_until(lambda: " New " in footer_keys(app) and " Open " not in footer_keys(app))


async def test_theme_choice_is_remembered(store: Store) -> None:
    app = PilotApp(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        start = app.theme
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert app.theme != start
        chosen = app.theme
    again = PilotApp(store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == chosen


async def test_ctrl_t_after_a_dark_theme_from_the_palette_goes_light_at_once(
    store: Store,
) -> None:
    app = PilotApp(store, remember_theme=False)
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"  # a dark theme, as chosen in the palette
        await pilot.press("ctrl+t")
        assert not app.current_theme.dark
        await pilot.press("ctrl+t")
        assert app.current_theme.dark


async def test_markup_in_titles_and_notes_is_shown_as_written(store: Store) -> None:
    assessment: Assessment = new_assessment(store.bank, "[red]Boom[/red]", now=now_utc())
    assessment = with_answer(
        assessment,
        "success-criteria-agreed",
        Answer(choice="met", notes="[link=x]y[/]"),
        now=now_utc(),
    )
    name = store.create(assessment)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = interview(app)
        assert text_of(screen.query_one("#assessment-title", Static)) == "[red]Boom[/red]"
        await screen.go_to(Position(0, 0))
        await pilot.pause()
        assert screen.query_one("#notes", TextArea).text == "[link=x]y[/]"
    assert load_assessment_file(store.path_for(name), store.bank) == assessment


def write_participant(folder: Path, bank_store: Store, who: str, choices: dict[str, str]) -> Path:
    """One person's own file, as they would export it from their laptop."""
    assessment = new_assessment(bank_store.bank, "Claims triage bot", respondent=who, now=now_utc())
    for question_id, choice in choices.items():
        assessment = with_answer(assessment, question_id, Answer(choice=choice), now=now_utc())
    folder.mkdir(exist_ok=True)
    path = folder / f"{who.lower()}.toml"
    path.write_text(dumps_assessment(assessment), encoding="utf-8")
    return path


async def test_merge_from_home_then_see_who_answered_what(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "workshop"
    write_participant(folder, store, "Ana", {"success-criteria-agreed": "met", "runbook": "met"})
    write_participant(folder, store, "Bo", {"success-criteria-agreed": "not-met", "runbook": "met"})
    write_participant(folder, store, "Cy", {"success-criteria-agreed": "met"})
    app = app_for(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        told = capture_notifications(app)
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = f"{folder}/*.toml"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("Merged 3 participants" in m for m in told), told
        await pilot.press("enter")
        await pilot.pause()
        screen = interview(app)
        await screen.go_to(Position(0, 0))
        await pilot.pause()
        team = text_of(screen.query_one("#team-answers", Static))
        assert team.startswith("Disputed")
        assert "Ana In place and evidenced" in team and "Bo Not in place" in team
        assert "1 disputed question" in scorecard_text(app)
        # The team's answer was the most common one; a number key sets it.
        assert screen.session.assessment.answers["success-criteria-agreed"].choice == "met"
        await pilot.press("4")
        assert screen.session.assessment.answers["success-criteria-agreed"].choice == "not-met"
    [name] = [n for n in store.names()]
    merged = store.load(name)
    assert sorted(p.name for p in merged.participants.values()) == ["Ana", "Bo", "Cy"]
    assert merged.answers["success-criteria-agreed"].choice == "not-met"


def test_who_answered_what_shows_each_persons_notes_beside_their_answer(store: Store) -> None:
    bank = store.bank
    people = []
    for who, choice, notes in (
        ("Ana", "met", "Signed by the product owner.\nSee the wiki."),
        ("Bo", "not-met", "x" * 400),
        ("Cy", "met", ""),
    ):
        own = new_assessment(bank, "Claims triage bot", respondent=who, now=now_utc())
        answer = Answer(choice=choice, notes=notes)
        own = with_answer(own, "success-criteria-agreed", answer, now=now_utc())
        people.append(MergeInput(f"{who.lower()}.toml", own))
    merged = merge(bank, people, now=now_utc())
    name = store.create(merged)
    session = Session(store, store.path_for(name), store.load(name), name)

    lines = team_answers(session, Position(0, 0)).plain.splitlines()

    assert lines[0].startswith("Disputed")
    assert lines[1] == "  Ana In place and evidenced  “Signed by the product owner. See the wiki.”"
    assert lines[2].startswith("  Bo Not in place  “xxx") and lines[2].endswith("x…”")
    assert len(lines[2]) < 200  # a long note is cut on screen (it is whole in the file)
    assert lines[3] == "  Cy In place and evidenced"


def question_number(app: PilotApp) -> str:
    return text_of(interview(app).query_one("#position", Static)).split("question ")[1].split()[0]


async def test_an_answer_complete_by_itself_moves_on_to_the_next_question(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1")  # in place: nothing more to give
        # The choice shows marked first; then the next question.
        assert question_number(app) == "1"
        await wait_until(lambda: question_number(app) == "2")
        assert interview(app).session.assessment.answers["success-criteria-agreed"].choice == "met"

        await pilot.press("3")  # planned, without an owner or a due date: it stays, and says why
        await pilot.pause(0.6)
        assert question_number(app) == "2"
        assert "Counts as not in place" in text_of(interview(app).query_one("#answer-note", Static))

        await pilot.press("n", "2", "tab")  # a choice, then on to write a note: it stays
        await pilot.pause(0.6)
        assert question_number(app) == "3"


async def test_moving_on_after_an_answer_can_be_turned_off_and_is_remembered(
    store: Store,
) -> None:
    name = make_assessment(store)
    app = PilotApp(
        store, open_name=name, open_path=store.path_for(name), open_assessment=store.load(name)
    )
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = interview(app)
        await app.run_action("toggle_advance", screen)
        await pilot.press("1")
        await pilot.pause(0.6)
        assert question_number(app) == "1"
    again = PilotApp(
        store, open_name=name, open_path=store.path_for(name), open_assessment=store.load(name)
    )
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert interview(again).advance is False


async def test_a_milestone_then_the_scorecard_shows_what_changed(store: Store) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("1", "m")
        await pilot.pause()
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("enter")  # the suggested label, "Workshop 1"
        await pilot.pause()
        assert "since Workshop 1  +0 -0" in scorecard_text(app)
        await pilot.press("4")
        await pilot.pause()
        assert "since Workshop 1  +0 -1" in scorecard_text(app)
        await pilot.press("s")
        await pilot.pause()
        team = text_of(app.screen.query_one("#summary-team", Static))
        assert "Since milestone Workshop 1" in team
        assert "Production success criteria agreed: In place and evidenced → Not in place" in team
    saved = store.load(name)
    assert [m.label for m in saved.milestones] == ["Workshop 1"]
    assert saved.milestones[0].answers["success-criteria-agreed"].choice == "met"


@pytest.mark.parametrize("fmt", ["Markdown", "HTML"])
async def test_reports_from_the_command_palette(
    store: Store, isolated_home: Path, fmt: str
) -> None:
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        told = capture_notifications(app)
        await pilot.pause()
        await run_from_the_palette(pilot, f"Report {fmt}", f"Report: {fmt}")
        await wait_until(lambda: any("Report saved" in m for m in told))
    suffix = "md" if fmt == "Markdown" else "html"
    [report] = list(isolated_home.rglob(f"{name}-report.{suffix}"))
    assert "Claims triage bot" in report.read_text(encoding="utf-8")


async def test_text_typed_at_paste_speed_lands_in_the_field_it_was_typed_for(
    store: Store,
) -> None:
    # Every key arrives before the app handles the first: Tab must move on first.
    name = make_assessment(store)
    app = app_for(store, name)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = interview(app)
        await wait_until(lambda: screen._form is not None)
        for character in "\tfirst note\tAna":
            key = {"\t": "tab", " ": "space"}.get(character, character)
            app.post_message(events.Key(key, character))
        await wait_until(lambda: screen.session.answer(screen.position).owner == "Ana")
        assert screen.session.answer(screen.position).notes == "first note"


async def test_the_footer_is_made_once_at_start_and_again_when_its_keys_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual's footer made its keys again for each change to the bindings (four as the list
    # started), each time taking turns with the reading of the list.
    make_assessment(store)
    made: list[int] = []
    real = TextualFooter.recompose

    async def counting(footer: TextualFooter) -> None:
        made.append(1)
        await real(footer)

    monkeypatch.setattr(TextualFooter, "recompose", counting)
    app = app_for(store)
    async with app.run_test(size=SIZE) as pilot:
        await app.workers.wait_for_complete()
        await wait_until(lambda: " Open " in footer_keys(app))
        await pilot.pause(0.2)
        assert len(made) == 1
        await pilot.press("slash")  # into the filter: letters are typed, not keys
        await wait_until(lambda: " New " not in footer_keys(app))
        await pilot.press("escape")
        await wait_until(lambda: " New " in footer_keys(app) and " Open " in footer_keys(app))
        assert len(made) == 3
