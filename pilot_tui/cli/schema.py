"""`pilot-tui schema bank|assessment`: the JSON Schema of a kind of file, for an editor."""

from __future__ import annotations

import argparse
import sys

from pilot_tui.cli.common import EXIT_OK
from pilot_tui.schemas import shipped_text


def cmd_schema(args: argparse.Namespace) -> int:
    # The shipped file, as it is: generating it again would import pydantic for nothing, and
    # tests/test_schemas.py keeps the two the same.
    sys.stdout.write(shipped_text(args.kind))
    return EXIT_OK
