"""Names of assessments in the data folder: safe file names made from titles, and where the
data folder is."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from pilot_tui.core.text import slug
from pilot_tui.store.files import (
    StoreError,
)

APP_NAME: Final = "pilot-tui"
DATA_DIR_ENV: Final = "PILOT_TUI_DATA_DIR"
SUFFIX: Final = ".toml"
NAME_PATTERN: Final = r"^[a-z0-9][a-z0-9-]{0,63}$"
NAME_RE: Final = re.compile(NAME_PATTERN)
_SLUG_MAX: Final = 48
# Names Windows will not open as files, whatever the extension.
RESERVED_NAMES: Final = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{port}{n}" for port in ("com", "lpt") for n in range(1, 10)}
)


# ---------------------------------------------------------------------------- locations


def resolve_data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir, then $PILOT_TUI_DATA_DIR, then the platform's per-user data folder."""
    if override:
        return Path(override).expanduser()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser()
    # platformdirs is only needed here; importing it lazily keeps it off every other path.
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


# ---------------------------------------------------------------------------- names


def slugify(title: str) -> str:
    """A safe file name from a title: lowercase ASCII letters, digits and dashes only."""
    name = slug(title, _SLUG_MAX)
    if not name:
        return "assessment"
    return f"{name}-assessment" if name in RESERVED_NAMES else name


def check_name(name: str) -> str:
    if not NAME_RE.fullmatch(name) or name in RESERVED_NAMES:
        raise StoreError(
            f"{name[:80]!r} is not a valid assessment name: use 1 to 64 lowercase letters, "
            "digits and dashes, starting with a letter or digit"
        )
    return name


def looks_like_path(reference: str) -> bool:
    return reference.endswith(SUFFIX) or "/" in reference or os.sep in reference
