"""The yardsticks: the smallest Textual app that draws a frame and answers a key.

Run by benchmarks/interview.py. Each press of 1 or 3 redraws one line inside the key's action,
the same way pilot-tui updates its scorecard; the line shows the blocker counts pilot-tui shows
(given as --blockers START,AFTER_1).

With --with-core it first does what pilot-tui cannot skip before its first frame: import the
core and the store, read the bank and one assessment, and score it. The difference between the
two runs is the price of the data itself, before any of pilot-tui's screens.
"""

import sys

from textual.app import App, ComposeResult
from textual.widgets import Static


class MinimalApp(App[None]):
    BINDINGS = [("1", "show(1)"), ("3", "show(3)")]

    def __init__(self, ready: str, start: int, after_1: int) -> None:
        super().__init__()
        self.ready = ready
        self.counts = {1: after_1, 3: start}
        self.start = start

    def compose(self) -> ComposeResult:
        yield Static(self.ready)
        yield Static(f"{self.start} blockers", id="count")

    def action_show(self, key: int) -> None:
        self.query_one("#count", Static).update(f"{self.counts[key]} blockers")


def main() -> None:
    ready = "minimal app ready"
    start, after_1 = 8, 7
    if "--blockers" in sys.argv:
        start, after_1 = map(int, sys.argv[sys.argv.index("--blockers") + 1].split(","))
    if "--with-core" in sys.argv:
        from pilot_tui.core.scoring import score
        from pilot_tui.store import Store, load_bank, resolve_data_dir

        store = Store(resolve_data_dir(), load_bank())
        card = score(store.bank, store.load(store.names()[0]))
        ready = f"minimal app ready, level {card.level}"
    MinimalApp(ready, start, after_1).run()


if __name__ == "__main__":
    main()
