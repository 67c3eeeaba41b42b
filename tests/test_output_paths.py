"""Output paths never clobber: `-o` creates, replaces only with --force, and never touches the
data folder's files, the command's own inputs, or turns a link, a pipe or a device into a file."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import Cli, assert_one_error_line, folder_snapshot

from pilot_tui.store.files import OutputExists, StoreError, write_new_file, write_output
from pilot_tui.store.format import SCHEMA_DIRECTIVE

ASSESSMENT_START = f'{SCHEMA_DIRECTIVE}schema = "pilot-tui/assessment"'
"""How an assessment file begins: what reached standard output is the file itself."""


@pytest.fixture
def name(cli: Cli) -> str:
    made = cli("new", "Claims bot")
    assert made.code == 0, made
    return made.out.strip()


COMMANDS = [
    ("export",),
    ("report", "--format", "md"),
    ("report", "--format", "html"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_output_onto_the_assessment_itself_is_refused_even_with_force(
    cli: Cli, data_dir: Path, name: str, command: tuple[str, ...]
) -> None:
    before = folder_snapshot(data_dir)
    target = data_dir / f"{name}.toml"

    for force in ([], ["--force"]):
        error = assert_one_error_line(
            cli(command[0], name, *command[1:], "-o", str(target), *force)
        )
        assert f"{target}: is in the data folder" in error

    assert folder_snapshot(data_dir) == before


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_existing_file_is_replaced_only_with_force_and_keeps_its_permissions(
    cli: Cli, tmp_path: Path, name: str, command: tuple[str, ...]
) -> None:
    target = tmp_path / "colleague.toml"
    target.write_text("a colleague's own file\n")
    target.chmod(0o600)

    error = assert_one_error_line(cli(command[0], name, *command[1:], "-o", str(target)))
    assert error == f"pilot-tui: error: {target}: already exists; use --force to replace it"
    assert target.read_text() == "a colleague's own file\n"

    forced = cli(command[0], name, *command[1:], "-o", str(target), "--force")
    assert forced.code == 0, forced
    assert target.read_text() != "a colleague's own file\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # not made world-readable


def test_dash_means_standard_output(cli: Cli, name: str) -> None:
    result = cli("export", name, "-o", "-")
    assert result.code == 0
    assert result.out.startswith(ASSESSMENT_START)


def test_merge_refuses_its_inputs_and_the_data_folder(
    cli: Cli, tmp_path: Path, data_dir: Path, name: str
) -> None:
    mine = tmp_path / "ana.toml"
    assert cli("export", name, "-o", str(mine)).code == 0
    before = folder_snapshot(data_dir)

    error = assert_one_error_line(cli("merge", str(mine), "-o", str(mine), "--force"))
    assert "is one of the files this command reads" in error
    error = assert_one_error_line(
        cli("merge", str(mine), "-o", str(data_dir / f"{name}.toml"), "--force")
    )
    assert "is in the data folder" in error

    assert folder_snapshot(data_dir) == before
    # To standard output the summary goes to standard error, the merged file stays clean.
    merged = cli("merge", str(mine), "-o", "-")
    assert merged.code == 0
    assert merged.out.startswith(ASSESSMENT_START)
    assert "merged 1 participant into standard output" in merged.err


def test_the_bank_in_use_is_an_input_too(cli: Cli, tmp_path: Path, name: str) -> None:
    bank = tmp_path / "bank.toml"
    bank.write_text(
        Path(__file__).parent.parent.joinpath("assets", "default-bank.toml").read_text()
    )
    before = bank.read_bytes()
    error = assert_one_error_line(
        cli("report", name, "--bank", str(bank), "-o", str(bank), "--force")
    )
    assert "is one of the files this command reads" in error
    assert bank.read_bytes() == before


# ---------------------------------------------------------------------------- write_output


def test_a_link_is_written_through_and_stays_a_link(tmp_path: Path) -> None:
    target = tmp_path / "real.md"
    target.write_text("old\n")
    link = tmp_path / "link.md"
    link.symlink_to(target)

    with pytest.raises(OutputExists):
        write_output(link, "new\n", force=False)
    write_output(link, "new\n", force=True)

    assert link.is_symlink()
    assert target.read_text() == "new\n"


def test_a_link_into_the_data_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "claims.toml").write_text("answers\n")
    link = tmp_path / "innocent.md"
    link.symlink_to(data / "claims.toml")

    with pytest.raises(StoreError, match="is in the data folder"):
        write_output(link, "report\n", force=True, protected=[data])
    assert (data / "claims.toml").read_text() == "answers\n"


def test_a_named_pipe_is_written_to_as_shell_redirection_would(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []

    def read() -> None:
        with open(pipe, "rb") as reader:
            received.append(reader.read())

    reader = threading.Thread(target=read)
    reader.start()
    # The reader opens the pipe in its own time; the writer waits for it, as a shell would.
    for _ in range(200):
        try:
            write_output(pipe, "through the pipe\n", force=False)
            break
        except StoreError as error:
            assert "nothing reads from" in str(error)
            threading.Event().wait(0.01)
    reader.join(timeout=5)

    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_pipe_nobody_reads_is_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(StoreError, match="is a named pipe that nothing reads from"):
        write_output(pipe, "x\n", force=False)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


def test_a_character_device_is_written_to_not_replaced() -> None:
    write_output(Path("/dev/null"), "discarded\n", force=False)
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.fixture
def unix_socket(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    yield path
    server.close()


def test_a_socket_or_a_folder_is_refused(tmp_path: Path, unix_socket: Path) -> None:
    with pytest.raises(StoreError, match="is a socket, not a file; not written"):
        write_output(unix_socket, "x\n", force=True)
    with pytest.raises(StoreError, match="is a folder; give a file name"):
        write_output(tmp_path, "x\n", force=True)


def test_a_new_file_gets_the_users_usual_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        write_output(tmp_path / "report.md", "x\n", force=False)
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "report.md").stat().st_mode) == 0o640


def test_a_fresh_name_is_found_for_output_nobody_named(tmp_path: Path) -> None:
    first = write_new_file(tmp_path / "claims-report.md", "one\n")
    second = write_new_file(tmp_path / "claims-report.md", "two\n")

    assert (first.name, second.name) == ("claims-report.md", "claims-report-2.md")
    assert first.read_text() == "one\n" and second.read_text() == "two\n"


def test_paths_the_system_refuses_are_one_line(cli: Cli, tmp_path: Path, name: str) -> None:
    long_name = tmp_path / ("x" * 300 + ".md")
    error = assert_one_error_line(cli("export", name, "-o", str(long_name)))
    assert "File name too long" in error
    a_file = tmp_path / "plain.txt"
    a_file.write_text("")
    error = assert_one_error_line(cli("export", name, "-o", str(a_file / "inside.toml")))
    assert "Not a directory" in error or "does not exist" in error


def test_nothing_new_is_written_into_the_data_folder_either(
    cli: Cli, data_dir: Path, tmp_path: Path, name: str
) -> None:
    """Not a new file (a report named like an assessment would be listed as a broken one), nor
    the file a link in the data folder points to (that is an assessment too)."""
    elsewhere = tmp_path / "kept.toml"
    assert cli("export", name, "-o", str(elsewhere)).code == 0
    (data_dir / "linked.toml").symlink_to(elsewhere)
    dangling = tmp_path / "dangling.md"
    dangling.symlink_to(data_dir / "new.toml")
    before = folder_snapshot(data_dir)
    kept = elsewhere.read_bytes()

    for target in (data_dir / "report.toml", elsewhere, dangling):
        error = assert_one_error_line(cli("report", name, "-o", str(target), "--force"))
        assert "is in the data folder (or an assessment there links to it)" in error

    assert folder_snapshot(data_dir) == before
    assert elsewhere.read_bytes() == kept


def test_odd_output_names(cli: Cli, name: str) -> None:
    assert_one_error_line(cli("export", name, "-o", ""), contains="-o needs a file name")
    result = cli("export", name, "-o", "/dev/stdout")
    assert result.code == 0
    assert result.out.startswith(ASSESSMENT_START)


def test_closed_standard_output_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "PILOT_TUI_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "pilot_tui", "list"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        close_fds=True,
        preexec_fn=lambda: os.close(1),
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.decode() == "pilot-tui: error: standard output is closed\n"
