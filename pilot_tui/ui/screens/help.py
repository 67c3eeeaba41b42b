"""The help screen: every key, read from the bindings themselves (ui/keys.py) so it cannot
drift, and the rules of the verdict."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from pilot_tui.core.bank import Bank
from pilot_tui.core.render import rules_lines
from pilot_tui.ui import keys

Parts = list[str | tuple[str, str]]


def _key_label(binding: Binding) -> str:
    # The numbered answer keys share one row, shown as their range ("1-5").
    if binding.key.isdigit() and binding.key_display:
        return binding.key_display
    keys = [key.strip() for key in binding.key.split(",")]
    names = {
        "right_square_bracket": "]",
        "left_square_bracket": "[",
        "question_mark": "?",
        "slash": "/",
    }
    return " / ".join(names.get(key, key) for key in keys)


def _rows(bindings: Iterable[BindingType]) -> Parts:
    parts: Parts = []
    seen: set[str] = set()
    for item in bindings:
        if not isinstance(item, Binding):
            continue
        description = item.tooltip or item.description
        if not description or description in seen:
            continue
        seen.add(description)
        parts += [(f"  {_key_label(item):<12}", "bold $text-accent"), f"{description}\n"]
    return parts


class HelpScreen(ModalScreen[None]):
    AUTO_FOCUS = "#help-scroll"
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", "Close", tooltip="Close help")]

    def __init__(self, bank: Bank) -> None:
        super().__init__()
        self._bank = bank

    def compose(self) -> ComposeResult:
        parts: Parts = [("Keys", "bold"), ("   (Escape closes this)\n", "dim")]
        for title, bindings in keys.PLACES:
            parts += ["\n", (title, "bold underline"), "\n", *_rows(bindings)]
        parts += [
            ("  ctrl+p      ", "bold $text-accent"),
            "The command palette: jump to a section or question, summary, theme\n",
            "\n",
            ("In the interview", "bold underline"),
            "\n  Up and down move between answers; Enter or Space picks one; the mouse works too.\n"
            "  Tab moves to notes, owner, due date and evidence; Escape leaves a field.\n"
            "  A click in the section list jumps to that root cause.\n"
            "  Every change is saved as you go; the top right corner says when.\n",
            "\n",
            ("How the verdict is worked out", "bold underline"),
            "\n",
            *(f"  {line}\n" for line in rules_lines(self._bank)),
        ]
        with Vertical(classes="dialog help"), VerticalScroll(id="help-scroll"):
            yield Static(Content.assemble(*parts), id="help-text")

    def on_mount(self) -> None:
        # Focused once laid out (only a scrollable view can take focus), so that the arrows
        # and page keys scroll the list on small terminals.
        self.call_after_refresh(self._focus_list)

    def _focus_list(self) -> None:
        for scroll in self.query("#help-scroll"):
            scroll.focus()

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
