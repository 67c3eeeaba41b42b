"""The yardstick: the smallest Textual app that draws a frame and answers a key.

Run by benchmarks/interview.py. Each press of 1 or 3 redraws one line inside the key's action,
the same way pilot-tui updates its scorecard.
"""

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS = [("1", "show('7 blockers')"), ("3", "show('8 blockers')")]

    def compose(self) -> ComposeResult:
        yield Static("minimal app ready")
        yield Static("8 blockers", id="count")

    def action_show(self, text: str) -> None:
        self.query_one("#count", Static).update(text)


if __name__ == "__main__":
    MinimalApp().run()
