"""The home screen as a portfolio: each pilot's level and root causes, sorted and filtered, the
highlighted one's scorecard beside the list on a wide terminal, unreadable files kept in sight."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import app_for, wait_until
from textual import events
from textual.widgets import Button, Input, Static

from pilot_tui.core.assessment import Answer, Assessment, new_assessment, now_utc, with_answer
from pilot_tui.core.bank import Bank
from pilot_tui.core.milestones import add_milestone
from pilot_tui.store import Listed, Store, dumps_assessment
from pilot_tui.ui.app import PilotApp
from pilot_tui.ui.screens import home
from pilot_tui.ui.screens.dialogs import Confirm, ContextForm, SetupForm, TextPrompt
from pilot_tui.ui.screens.home import HomeScreen
from pilot_tui.ui.screens.interview import InterviewScreen
from pilot_tui.ui.status import STATUS_STYLE
from pilot_tui.ui.widgets.row_list import RowList


def answered(bank: Bank, assessment: Assessment, choice: str) -> Assessment:
    for _, question in bank.iter_questions():
        assessment = with_answer(assessment, question.id, Answer(choice=choice), now=now_utc())
    return assessment


def fill(store: Store, bank: Bank) -> None:
    ready = answered(bank, new_assessment(bank, "Claims bot", team="Claims", now=now_utc()), "met")
    store.create(ready, "claims-bot")
    fraud = new_assessment(bank, "Fraud model", team="Risk", now=now_utc())
    fraud = add_milestone(fraud, "Workshop 1", now=now_utc())
    fraud = with_answer(fraud, "success-criteria-agreed", Answer(choice="met"), now=now_utc())
    store.create(fraud, "fraud-model")
    store.create(new_assessment(bank, "Support chat", team="CX", now=now_utc()), "support-chat")
    (store.root / "broken.toml").write_text("answers = [", encoding="utf-8")


def column(app: PilotApp, key: str) -> list[str]:
    table = app.screen.query_one("#assessments", RowList)
    keys = [column.key for column in table.columns]
    if key not in keys:
        return []  # not read yet, or this width leaves the column out
    return [table.row_text(row)[keys.index(key)] for row in range(table.row_count)]


def titles(app: PilotApp) -> list[str]:
    return column(app, "title")


async def test_each_pilot_shows_its_level_root_causes_blockers_and_trend(
    store: Store, bank: Bank
) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))  # read by a worker once the screen shows
        await pilot.pause()
        table = app.screen.query_one("#assessments", RowList)
        claims = titles(app).index("Claims bot")
        first_section = f"section:{bank.sections[0].id}"
        # A score and its status as a letter: never colour alone.
        assert column(app, first_section)[claims] == "100G"
        assert column(app, "level")[claims] == bank.levels[-1].title
        assert column(app, "blockers")[claims].strip() == "0"
        fraud = titles(app).index("Fraud model")
        assert column(app, "trend")[fraud].startswith(("↑", "→"))
        # Unreadable files stay listed, last, with what they have instead of a level.
        assert titles(app)[-1] == "⚠ broken.toml"
        assert column(app, "level")[-1] == "unreadable"
        assert table.row_count == 4


async def test_another_theme_colours_the_list_in_its_own_colours(store: Store, bank: Bank) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))
        table = app.screen.query_one("#assessments", RowList)
        level = [column.key for column in table.columns].index("level")
        claims = titles(app).index("Claims bot")

        def colour() -> str | None:
            style = table.row_cells(claims)[level].style
            return style.color.name if style.color else None

        def expected() -> str:
            return app.theme_variables[STATUS_STYLE["green"].removeprefix("$")].lower()

        assert colour() == expected()
        before = colour()
        await pilot.press("ctrl+t")
        await wait_until(lambda: colour() == expected())
        assert colour() != before


async def test_a_click_on_a_heading_sorts_and_on_a_row_highlights_then_opens(
    store: Store, bank: Bank
) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))
        table = app.screen.query_one("#assessments", RowList)
        # The title's heading: its first column, at the list's top line.
        await pilot.click("#assessments", offset=(2, 0))
        await wait_until(lambda: titles(app)[:3] == ["Claims bot", "Fraud model", "Support chat"])
        await pilot.click("#assessments", offset=(2, 0))  # again: the other way round
        await wait_until(lambda: titles(app)[:3] == ["Support chat", "Fraud model", "Claims bot"])
        await pilot.click("#assessments", offset=(2, 2))  # the second row
        assert table.cursor_row == 1
        assert isinstance(app.screen, HomeScreen)
        await pilot.click("#assessments", offset=(2, 2))  # the highlighted row: opened
        await wait_until(lambda: isinstance(app.screen, InterviewScreen))
        assert app.session is not None and app.session.assessment.meta.title == "Fraud model"


async def test_sorting_by_a_column_and_back_keeps_unreadable_files_last(
    store: Store, bank: Bank
) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))  # read by a worker once the screen shows
        await pilot.pause()
        await pilot.press("s")  # updated -> level: the most ready first
        # Support chat has nothing answered: no level to sort by, so after the others either
        # way, as unreadable files are.
        assert titles(app) == ["Claims bot", "Fraud model", "Support chat", "⚠ broken.toml"]
        await pilot.press("S")  # reversed: the least ready first
        assert titles(app) == ["Fraud model", "Claims bot", "Support chat", "⚠ broken.toml"]
        await pilot.press("s")  # by title, A to Z
        assert titles(app)[:3] == ["Claims bot", "Fraud model", "Support chat"]
        header = app.screen.query_one("#assessments", RowList)
        assert any("▲" in column.heading for column in header.columns)


async def test_filtering_by_words_of_a_title_team_or_level(store: Store, bank: Bank) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))  # read by a worker once the screen shows
        await pilot.pause()
        await pilot.press("slash", *"risk")
        # The list follows once typing pauses, so the letters never wait for it.
        assert len(titles(app)) == 4
        await wait_until(lambda: titles(app) == ["Fraud model"])
        await pilot.press("enter")  # back to the list, the filter kept
        assert titles(app) == ["Fraud model"]
        await pilot.press("slash", "ctrl+u", *"production ready", "enter")
        assert titles(app) == ["Claims bot"]
        await pilot.press("escape")  # the whole list again
        assert len(titles(app)) == 4
        await pilot.press("slash", *"zzz", "enter")
        assert titles(app) == []
        detail = app.screen.query_one("#detail", Static).render()
        assert "Nothing matches 'zzz'" in str(detail)
        await pilot.press("escape")
        # Home and End: the first and the last row.
        table = app.screen.query_one("#assessments", RowList)
        await pilot.press("end")
        assert table.cursor_row == 3
        await pilot.press("home")
        assert table.cursor_row == 0


async def test_a_wide_terminal_shows_the_pilots_scorecard_and_what_to_fix_first(
    store: Store, bank: Bank
) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(160, 48)) as pilot:
        await wait_until(lambda: bool(titles(app)))  # read by a worker once the screen shows
        await pilot.pause()
        preview = app.screen.query_one("#preview", Static)
        assert preview.display and preview.region.width > 0
        rows = titles(app)
        await pilot.press(*["down"] * rows.index("Fraud model"))
        await wait_until(lambda: str(preview.render()).startswith("Fraud model"))
        shown = str(preview.render())
        assert "Fix first" in shown and "BLOCKER" in shown
        assert all(section.label in shown for section in bank.sections)
        # Nothing answered: no root cause at 0 RED, which would read as a finding.
        await pilot.press("home", *["down"] * rows.index("Support chat"))
        await wait_until(lambda: str(preview.render()).startswith("Support chat"))
        shown = str(preview.render())
        assert "Not assessed yet" in shown and "Fix first" in shown
        assert not any(section.label in shown for section in bank.sections)
        support = rows.index("Support chat")
        assert column(app, "level")[support] == "not assessed"
        assert column(app, f"section:{bank.sections[0].id}")[support] == ""


async def test_at_80x24_the_row_stays_readable(store: Store, bank: Bank, tmp_path: Path) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(lambda: bool(titles(app)))  # read by a worker once the screen shows
        await pilot.pause()
        table = app.screen.query_one("#assessments", RowList)
        assert not app.screen.query_one("#preview-pane").display
        # Every column fits: the level (the verdict) and all five root causes are on screen.
        assert table.virtual_size.width <= table.size.width
        assert {"Claims bot", "Fraud model", "Support chat"} <= set(titles(app))
        # Sorted by the update time, a column this width leaves out: the top line says so.
        top = str(app.screen.query_one("#home-title", Static).render())
        assert top.endswith("sorted by updated ▼")
        # s goes on through each root cause after the other columns.
        await pilot.press(*["s"] * 7)
        headings = [column.heading for column in table.columns]
        assert "1 ▼" in headings
        first = f"section:{bank.sections[0].id}"
        scores = [int(cell[:3]) for cell in column(app, first) if cell.strip()[:1].isdigit()]
        assert scores == sorted(scores, reverse=True)


def highlighted(app: PilotApp) -> str:
    table = app.screen.query_one("#assessments", RowList)
    return titles(app)[table.cursor_row]


async def test_the_assessment_just_created_or_merged_is_the_one_highlighted(
    store: Store, bank: Bank, tmp_path: Path
) -> None:
    # Enter or Delete on the list must act on what the user just made, not on the row that
    # happens to sit where the cursor was.
    fill(store, bank)
    for person in ("ana", "bo"):
        mine = new_assessment(bank, "Claims bot", respondent=person, now=now_utc())
        (tmp_path / f"{person}.toml").write_text(dumps_assessment(mine), encoding="utf-8")
    app = app_for(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(lambda: bool(titles(app)))
        await pilot.press("down", "down")
        assert highlighted(app) != "Zeta pilot"
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, SetupForm))
        await pilot.press(*"Zeta", "space", *"pilot", "enter")
        await wait_until(lambda: isinstance(app.screen, ContextForm))
        await pilot.press("escape")  # decide later
        await wait_until(lambda: isinstance(app.screen, InterviewScreen))
        await pilot.press("escape")  # back to the list
        await wait_until(lambda: "Zeta pilot" in titles(app) and highlighted(app) == "Zeta pilot")

        await pilot.press("down")
        await pilot.press("m")
        await wait_until(lambda: isinstance(app.screen, TextPrompt))
        app.screen.query_one(Input).value = f"{tmp_path}/*.toml"
        await pilot.press("enter")
        await wait_until(lambda: titles(app).count("Claims bot") == 2)
        await wait_until(lambda: highlighted(app) == "Claims bot")
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        table = screen.query_one("#assessments", RowList)
        # The merge, not the assessment of the same title.
        assert screen.entries[table.cursor_row].name == "claims-bot-2"


async def test_the_new_dialog_typed_at_paste_speed_fills_each_field_as_typed(
    store: Store,
) -> None:
    # Every key arrives before the app has handled the first: Tab and Enter still act in order.
    app = app_for(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, SetupForm))
        for character in "Zeta pilot\tRisk AI\tDee\t\tAna\r":
            key = {"\t": "tab", "\r": "enter", " ": "space"}.get(character, character)
            app.post_message(events.Key(key, character))
        await wait_until(lambda: isinstance(app.screen, ContextForm))
        await pilot.press("escape")
        await wait_until(lambda: store.names() == ["zeta-pilot"])
    meta = store.load("zeta-pilot").meta
    assert (meta.title, meta.team, meta.facilitator, meta.stage, meta.respondent) == (
        "Zeta pilot",
        "Risk AI",
        "Dee",
        "",
        "Ana",
    )


async def test_at_60x20_the_new_dialogs_buttons_are_in_sight(store: Store) -> None:
    app = app_for(store)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("n")
        await wait_until(lambda: isinstance(app.screen, SetupForm))
        await pilot.pause()
        for button in app.screen.query(Button):
            region = button.region
            assert region.height > 0 and region.bottom <= 20, (button.id, region)
        # Every field can still be reached, and shows when it has the focus.
        await pilot.press("tab", "tab", "tab", "tab")
        focused = app.screen.focused
        assert isinstance(focused, Input) and focused.id == "setup-respondent"
        assert focused.region.height > 0 and focused.region.bottom <= 20


async def test_a_folder_slow_to_read_shows_its_first_pilots_while_the_rest_are_read(
    store: Store, bank: Bank, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A first run validates every file (about a second per hundred): the list fills as it goes.
    fill(store, bank)
    monkeypatch.setattr(home, "PROGRESS_EVERY", 0.0)
    more = threading.Event()
    total, reading = store.read_listing()

    def slowly() -> Iterator[Listed]:
        yield next(reading)
        more.wait(10)
        yield from reading

    monkeypatch.setattr(store, "read_listing", lambda: (total, slowly()))
    app = app_for(store)
    async with app.run_test(size=(120, 40)):
        await wait_until(lambda: len(titles(app)) == 1)
        top = str(app.screen.query_one("#home-title", Static).render())
        assert top.endswith(f"reading: 1 of {total}…"), top
        assert "Reading the assessments" not in top
        more.set()

        def read() -> bool:
            return "reading" not in str(app.screen.query_one("#home-title", Static).render())

        await wait_until(read)
        assert len(titles(app)) == total
        # The top row is highlighted, not the first file read, which sorted lower.
        table = app.screen.query_one("#assessments", RowList)
        assert table.cursor_row == 0


async def test_delete_deletes_nothing_when_the_file_changed_while_asked(
    store: Store, bank: Bank
) -> None:
    fill(store, bank)
    app = app_for(store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(lambda: bool(titles(app)))
        screen = app.screen
        assert isinstance(screen, HomeScreen)
        entry = screen.entries[0]
        await pilot.press("delete")
        await wait_until(lambda: isinstance(app.screen, Confirm))
        other = new_assessment(bank, "Another pilot altogether", now=now_utc())
        entry.path.write_text(dumps_assessment(other), encoding="utf-8")
        await pilot.press("y")
        await wait_until(lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert store.load(entry.name).meta.title == "Another pilot altogether"
