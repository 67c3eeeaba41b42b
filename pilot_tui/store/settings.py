"""The user's preferences (the theme), in the user's config folder."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Final

import tomli_w

from pilot_tui.store.files import (
    StoreError,
    atomic_write,
    shown,
)
from pilot_tui.store.format import read_toml
from pilot_tui.store.names import APP_NAME

SETTINGS_FILE: Final = "settings.toml"


def settings_path() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / SETTINGS_FILE


def load_settings(path: Path | None = None) -> dict[str, str]:
    """The user's preferences (the theme); an unreadable file gives the defaults, not an error."""
    try:
        data = read_toml(path or settings_path())
    except StoreError:
        return {}
    return {key: value for key, value in data.items() if isinstance(value, str)}


def save_settings(settings: Mapping[str, str], path: Path | None = None) -> None:
    target = path or settings_path()
    if target.exists():
        read_toml(target)  # an unreadable settings file is the user's to fix, not ours to replace
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"{shown(target.parent)}: cannot create: {error.strerror}") from None
    atomic_write(target, tomli_w.dumps(dict(settings)))
