"""The `pilot-tui` command's entry point: the garbage collector waits while the command loads
(see collector.py)."""

from __future__ import annotations

from pilot_tui.collector import pause_collection, resume_collection


def main() -> int:
    pause_collection()
    try:
        from pilot_tui.cli import main as cli_main

        return cli_main()
    finally:
        resume_collection()
