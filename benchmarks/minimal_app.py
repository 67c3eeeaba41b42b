"""The yardsticks: the smallest Textual app that draws a frame and answers a key.

Run by benchmarks/interview.py. Each press of 1 or 3 redraws one line inside the key's action,
the same way pilot-tui updates its scorecard.

With --with-core it first does what pilot-tui cannot skip before its first frame: import the
core and the store, read the bank and one assessment, and score it. The difference between the
two runs is the price of the data itself, before any of pilot-tui's screens.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS = [("1", "show('7 blockers')"), ("3", "show('8 blockers')")]

    def __init__(self, ready: str) -> None:
        super().__init__()
        self.ready = ready

    def compose(self) -> ComposeResult:
        yield Static(self.ready)
        yield Static("8 blockers", id="count")

    def action_show(self, text: str) -> None:
        self.query_one("#count", Static).update(text)


def main() -> None:
    ready = "minimal app ready"
    if "--with-core" in sys.argv:
        from pilot_tui.core.scoring import score
        from pilot_tui.store import Store, load_bank, resolve_data_dir

        store = Store(resolve_data_dir(), load_bank())
        card = score(store.bank, store.load(store.names()[0]))
        ready = f"minimal app ready, level {card.level}"
    MinimalApp(ready).run()


if __name__ == "__main__":
    main()
