"""Every key of the app, by the place it works in: the screens bind them, the help lists them.

Tooltips are what the help screen shows, so each says what the key does in words a new user
understands.
"""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType

MAX_CHOICE_KEYS = 9


def _choice_keys() -> list[Binding]:
    bindings = [
        Binding(
            str(n),
            f"choose({n})",
            "Answer",
            show=n == 1,
            key_display="1-6",
            tooltip="Pick the answer with that number",
            id=f"interview.choose-{n}",
        )
        for n in range(1, MAX_CHOICE_KEYS + 1)
    ]
    return bindings


APP: Final[list[BindingType]] = [
    Binding(
        "question_mark,f1",
        "help",
        "Help",
        key_display="?",
        tooltip="Every key, explained",
        id="app.help",
    ),
    Binding(
        "ctrl+q",
        "quit",
        "Quit",
        priority=True,
        tooltip="Save anything pending and quit",
        id="app.quit",
    ),
    Binding(
        "ctrl+t",
        "toggle_theme",
        "Theme",
        show=False,
        tooltip="Switch between the light and the dark theme",
        id="app.theme",
    ),
]

HOME: Final[list[BindingType]] = [
    Binding("n", "new", "New", tooltip="Start a new assessment", id="home.new"),
    Binding(
        "enter,o",
        "open",
        "Open",
        key_display="enter",
        tooltip="Open the highlighted assessment",
        id="home.open",
    ),
    Binding(
        "r",
        "rename",
        "Rename",
        show=False,
        tooltip="Give the assessment a new title",
        id="home.rename",
    ),
    Binding(
        "c",
        "duplicate",
        "Copy",
        show=False,
        tooltip="Duplicate the assessment",
        id="home.duplicate",
    ),
    Binding(
        "delete,x",
        "delete",
        "Delete",
        key_display="del",
        # Not in the footer: at 80 columns it pushed Quit and Help off the line (? lists it).
        show=False,
        tooltip="Delete (a backup copy is kept)",
        id="home.delete",
    ),
    Binding("i", "import", "Import", tooltip="Import an assessment TOML file", id="home.import"),
    Binding(
        "m",
        "merge",
        "Merge",
        show=False,
        tooltip="Merge several people's files into one assessment, to see where they differ",
        id="home.merge",
    ),
    Binding(
        "e",
        "export",
        "Export",
        tooltip="Export the assessment to a TOML file",
        id="home.export",
    ),
    Binding(
        "slash",
        "filter",
        "Filter",
        key_display="/",
        tooltip="Show only the pilots whose title, team or level has the words typed",
        id="home.filter",
    ),
    Binding(
        "s",
        "sort",
        "Sort",
        tooltip="Sort by the next column: updated, level, title, team, blockers, answered, trend, "
        "each root cause "
        "(or click a column's heading)",
        id="home.sort",
    ),
    Binding(
        "S",
        "reverse_sort",
        "Reverse",
        show=False,
        tooltip="Reverse the order",
        id="home.reverse",
    ),
]

INTERVIEW: Final[list[BindingType]] = [
    *_choice_keys(),
    # With priority, so the focus moves as the key is read: at a paste's speed the text typed
    # after Tab would otherwise land in the field before (see ui/focus.py).
    Binding(
        "tab",
        "focus_step(1)",
        "Next field",
        show=False,
        priority=True,
        tooltip="To the notes, owner, due date and evidence, in turn",
        id="interview.next-field",
    ),
    Binding(
        "shift+tab",
        "focus_step(-1)",
        "Previous field",
        show=False,
        priority=True,
        tooltip="Back through the fields",
        id="interview.previous-field",
    ),
    Binding(
        "n",
        "move(1)",
        "Next",
        tooltip="Next question",
        id="interview.next",
    ),
    Binding(
        "p",
        "move(-1)",
        "Prev",
        tooltip="Previous question",
        id="interview.previous",
    ),
    Binding(
        "right_square_bracket",
        "section(1)",
        "Next section",
        show=False,
        tooltip="First open question of the next root cause",
        id="interview.next-section",
    ),
    Binding(
        "left_square_bracket",
        "section(-1)",
        "Previous section",
        show=False,
        tooltip="First open question of the previous root cause",
        id="interview.previous-section",
    ),
    Binding("s", "summary", "Summary", tooltip="Scorecard and action plan", id="interview.summary"),
    Binding(
        "m",
        "milestone",
        "Milestone",
        show=False,
        tooltip="Save a named snapshot of the answers, to compare progress later",
        id="interview.milestone",
    ),
    Binding(
        "k",
        "context",
        "Context",
        show=False,
        tooltip="What kind of pilot this is: decides which questions are asked",
        id="interview.context",
    ),
    Binding("ctrl+s", "save", "Save", show=False, tooltip="Save now", id="interview.save"),
    Binding(
        "escape",
        "back",
        "Back",
        tooltip="Leave the field being edited, or go back to the list",
        id="interview.back",
    ),
]

SUMMARY: Final[list[BindingType]] = [
    Binding(
        "escape,s",
        "app.pop_screen",
        "Back",
        tooltip="Back to the interview",
        id="summary.back",
    ),
]

WORKSHOP: Final[list[BindingType]] = [
    *INTERVIEW,
    Binding(
        "r",
        "reveal",
        "Reveal",
        tooltip="Show the room's votes on this question",
        id="workshop.reveal",
    ),
    Binding(
        "h",
        "hands",
        "Hands",
        tooltip="Record a show of hands: how many voted each answer without a device",
        id="workshop.hands",
    ),
    Binding(
        "v",
        "vote_again",
        "Vote again",
        show=False,
        tooltip="Open the question for a new round of voting (the last one is dropped)",
        id="workshop.vote-again",
    ),
    Binding(
        "a",
        "anonymous",
        "Names",
        show=False,
        tooltip="Show names beside the votes at the reveal, or counts only",
        id="workshop.anonymous",
    ),
    Binding(
        "plus,equals_sign",
        "timebox(1)",
        "More time",
        show=False,
        key_display="+",
        tooltip="One more minute for each question",
        id="workshop.more-time",
    ),
    Binding(
        "minus",
        "timebox(-1)",
        "Less time",
        show=False,
        key_display="-",
        tooltip="One minute less for each question",
        id="workshop.less-time",
    ),
    Binding(
        "c",
        "new_code",
        "New code",
        show=False,
        tooltip="A new join code (after wrong guesses); those who joined stay in",
        id="workshop.new-code",
    ),
]
"""The interview's keys, which decide the team answer after the reveal, and the workshop's."""

PLACES: Final[tuple[tuple[str, list[BindingType]], ...]] = (
    ("Everywhere", APP),
    ("Assessments list", HOME),
    ("Interview", INTERVIEW),
    ("Summary", SUMMARY),
    ("Workshop (the facilitator's screen)", WORKSHOP[len(INTERVIEW) :]),
)
"""The help screen's order."""
