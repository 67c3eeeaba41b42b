"""Keeps the developer's machine out of the tests: a private data dir and config per test."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Cli, Run

from pilot_tui.cli import main
from pilot_tui.core.bank import Bank
from pilot_tui.store import Store, load_bank


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own data dir, home and XDG folders, so none touches real files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    # Beside the test's folder, not in it: tests compare snapshots of the folder, and the cache
    # of validated files is written to whenever a file is read or saved.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path.parent / f"{tmp_path.name}-cache"))
    monkeypatch.setenv("PILOT_TUI_DATA_DIR", str(tmp_path / "data"))
    yield home


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture(scope="session")
def bank() -> Bank:
    return load_bank()


@pytest.fixture
def store(data_dir: Path, bank: Bank) -> Store:
    return Store(data_dir, bank)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """Runs `pilot-tui ARGS...` in-process and returns its exit code and output."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 2
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
