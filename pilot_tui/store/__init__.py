"""Where assessments live on disk, in four rooms:

- files.py: file-system primitives (reads that never block, atomic writes, output paths);
- format.py: the TOML format of assessments and banks, validated and read back;
- folder.py: the data folder and its assessments (the Store), with backups and two writers;
- names.py and settings.py: file names made from titles, the data folder's place, preferences.

known_valid.py remembers which file contents were validated, so that opening them again does
not need pydantic before the app's first frame.
"""

from pilot_tui.store.files import RefusedSave, StoreError
from pilot_tui.store.folder import BACKUP_DIR, Listed, SaveResult, Store
from pilot_tui.store.format import (
    as_written,
    checked_bytes,
    default_bank_text,
    dumps_assessment,
    load_assessment_file,
    load_bank,
    parse_assessment,
    parse_toml_bytes,
    read_toml,
)
from pilot_tui.store.names import (
    DATA_DIR_ENV,
    SUFFIX,
    check_name,
    looks_like_path,
    resolve_data_dir,
    slugify,
)
from pilot_tui.store.settings import load_settings, save_settings, settings_path

__all__ = [
    "BACKUP_DIR",
    "DATA_DIR_ENV",
    "SUFFIX",
    "Listed",
    "RefusedSave",
    "SaveResult",
    "Store",
    "StoreError",
    "as_written",
    "check_name",
    "checked_bytes",
    "default_bank_text",
    "dumps_assessment",
    "load_assessment_file",
    "load_bank",
    "load_settings",
    "looks_like_path",
    "parse_assessment",
    "parse_toml_bytes",
    "read_toml",
    "resolve_data_dir",
    "save_settings",
    "settings_path",
    "slugify",
]
