"""The garbage collector waits while the app loads (the `pilot-tui` command pauses it).

Loading pilot-tui and Textual makes a great many objects that live as long as the process
(modules, classes, styles, the bank). The collector, run every few hundred allocations, walks
them again and again without finding anything to free: about a tenth of a second before the
app's first frame. So collection is paused from the start until the first frame is on screen
(or, for the headless commands, until their arguments are read); then everything made so far
is frozen (kept out of later collections, since it will never be garbage) and collection
resumes as usual. Textual pauses the collector during smooth scrolling for the same reason.
"""

from __future__ import annotations

import gc


def pause_collection() -> None:
    gc.disable()


def resume_collection() -> None:
    """Collect as usual again (a no-op when it already does)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def settle_collection() -> None:
    """Keep everything made so far out of later collections: it lives on (the home list's
    thousand pilots, say), and walking it again and again holds up the screen for a tenth of a
    second at a time. Objects are still freed as usual once nothing refers to them."""
    gc.freeze()
