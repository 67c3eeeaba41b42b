"""File-system primitives: reading that never blocks, writing that never half-writes or clobbers.

- `read_bytes` reads a regular file within a size limit. Whatever else has the name (a named
  pipe, a socket, a device, a folder) is refused with one line, and is never opened in a way
  that waits for a writer.
- `atomic_write` replaces a file so that a crash leaves the old or the new one, never half of
  one: a temporary file in the same folder, flushed, renamed over it, the folder flushed. A link
  is written through to its target (the link stays a link); a read-only file is refused, not
  made writable; a file that is replaced keeps its permissions.
- `write_output` is what a command's `-o FILE` does: it creates FILE, and replaces an existing
  file only when asked to (`--force`), never a file of the data folder or one the command read.
  A terminal, /dev/null or a named pipe is written to as shell redirection would.

Every problem is a StoreError: one line that names the file and says why, without a traceback.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Final

from pilot_tui.core.text import printable

PRIVATE_MODE: Final = 0o600
"""Files in the data folder: the answers are the team's, readable by their owner only."""
SHARED_MODE: Final = 0o666
"""Exports and reports: the user's usual permissions (the umask takes its share off)."""


class StoreError(Exception):
    """A problem with a file on disk, as one line that names the file and says why."""


class OutputExists(StoreError):
    """An output path that is taken, where the user did not say to replace it."""


class OtherBank(StoreError):
    """An assessment answered against another bank than the one in use: never scored against
    the wrong questions."""

    def __init__(self, message: str, bank: str) -> None:
        super().__init__(message)
        self.bank = bank
        """That bank, as "id version"."""


class RefusedSave(StoreError):
    """A save that cannot succeed by trying again: a limit, a value that is not allowed, a
    read-only or unreadable file. The user has to change something first."""


def shown(path: Path | str) -> str:
    """A path as it may be printed or drawn: escape sequences and stray bytes made visible."""
    return printable(os.fspath(path))


def reason(error: OSError) -> str:
    """The system's words for a failed call, without the errno number and the path."""
    return error.strerror or str(error)


# ---------------------------------------------------------------------------- reading

_KINDS: Final = (
    (stat.S_ISDIR, "is a folder, not a file"),
    (stat.S_ISFIFO, "is a named pipe (FIFO), not a file"),
    (stat.S_ISSOCK, "is a socket, not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
)


def not_a_file(mode: int) -> str | None:
    """Why a file of MODE cannot be read as a file ("is a named pipe..."), or None for a file."""
    return next((words for test, words in _KINDS if test(mode)), None)


def read_bytes(path: Path, limit: int) -> tuple[bytes, os.stat_result]:
    """PATH's bytes (at most LIMIT) and the status of the very file they came from.

    Opened without waiting: a named pipe with no writer would otherwise hold the caller (the
    list, the app, an import) for ever. Anything but a regular file is refused once open.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        if os.path.islink(path):
            raise StoreError(
                f"{shown(path)}: is a link to {shown(os.readlink(path))}, which does not exist"
            ) from None
        raise StoreError(f"{shown(path)}: no such file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:
            # A socket cannot be opened at all; say what it is rather than "no such device".
            with suppress(OSError):
                words = not_a_file(os.stat(path).st_mode)
                if words:
                    raise StoreError(f"{shown(path)}: {words}") from None
        raise StoreError(f"{shown(path)}: cannot read: {reason(error)}") from None
    # fstat, not stat: a rename over PATH after the open cannot mix two files' details.
    try:
        status = os.fstat(descriptor)
        words = None if stat.S_ISREG(status.st_mode) else not_a_file(status.st_mode)
        if words:
            raise StoreError(f"{shown(path)}: {words}")
        # Read in pieces of about the file's size, to its end or one byte past the limit:
        # asked for the whole limit at once, each read would make a buffer that large (and a
        # list reads a thousand files).
        chunks: list[bytes] = []
        size = 0
        piece = max(status.st_size + 1, 65536)
        while size <= limit:
            chunk = os.read(descriptor, min(piece, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise StoreError(f"{shown(path)}: cannot read: {reason(error)}") from None
    finally:
        os.close(descriptor)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise StoreError(f"{shown(path)}: larger than the {_size(limit)} limit")
    return raw, status


# ---------------------------------------------------------------------------- writing


def atomic_write(path: Path, content: str | bytes, *, private: bool = True) -> os.stat_result:
    """Replace PATH with CONTENT so that a crash leaves either the old file or the new one.

    A link is followed and its target replaced, so the link stays a link. A file that exists
    keeps its permissions; a read-only one is refused (RefusedSave), never made writable. A new
    file is readable by its owner only when PRIVATE, else gets the user's usual permissions.
    Returns the new file's status, taken before the rename (which keeps size and mtime), so that
    a writer replacing the file just after us cannot be mistaken for our own write.
    """
    target = _through_links(path)
    mode = PRIVATE_MODE if private else SHARED_MODE
    try:
        existing = os.stat(target)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise StoreError(f"{shown(path)}: cannot save: {reason(error)}") from None
    if existing is not None:
        words = not_a_file(existing.st_mode)
        if words:
            raise RefusedSave(f"{shown(path)}: {words}; not replaced")
        if not existing.st_mode & stat.S_IWUSR:
            raise RefusedSave(
                f"{shown(path)}: is read-only; not changed (make it writable to save to it)"
            )
        mode = stat.S_IMODE(existing.st_mode)
    data = content.encode("utf-8") if isinstance(content, str) else content
    temporary, status = _write_temporary(target, data, mode, keep_mode=existing is not None)
    try:
        os.replace(temporary, target)
    except OSError as error:
        with suppress(OSError):
            os.unlink(temporary)
        raise StoreError(f"{shown(path)}: cannot save: {reason(error)}") from None
    _fsync_folder(target.parent)
    return status


def _through_links(path: Path) -> Path:
    """The file a link (or a chain of links) points to; PATH itself when it is not a link."""
    if not os.path.islink(path):
        return path
    return Path(os.path.realpath(path))


def _write_temporary(
    target: Path, data: bytes, mode: int, *, keep_mode: bool
) -> tuple[Path, os.stat_result]:
    """A flushed temporary file beside TARGET holding DATA, and its status.

    Created with MODE through the system call, so the umask applies to a new file as it does to
    any the user creates; KEEP_MODE sets MODE exactly (the permissions of the file replaced).
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        temporary = target.with_name(f".{target.name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            descriptor = os.open(temporary, flags, mode)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise StoreError(f"{shown(target)}: cannot save: {reason(error)}") from None
    else:
        raise StoreError(f"{shown(target)}: cannot save: no free temporary name")
    try:
        with os.fdopen(descriptor, "wb") as stream:
            if keep_mode:
                os.fchmod(stream.fileno(), mode)
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            status = os.fstat(stream.fileno())
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise StoreError(f"{shown(target)}: cannot save: {reason(error)}") from None
        raise
    return temporary, status


def _fsync_folder(folder: Path) -> None:
    # The rename itself is only durable once the folder is flushed; not every platform allows it.
    with suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the folder's advisory lock: two pilot-tui processes check and write one at a time.

    Without it, another writer could replace a file between our check and our rename, and its
    change would be lost after all. A lock on the file itself would not do: the rename replaces
    the file the lock is on. The lock is taken on the folder itself (flock), which leaves no lock
    file behind in the user's folder (a git repository, say). Where there is no flock (Windows)
    or the folder cannot be opened (it is gone: the save then fails with its own message), we go
    on without it.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        with suppress(OSError):
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


# ---------------------------------------------------------------------------- output paths


def write_output(
    path: Path,
    content: str,
    *,
    force: bool,
    protected: Iterable[Path] = (),
    inputs: Iterable[Path] = (),
) -> None:
    """Write a command's output to PATH (a file the user named), without clobbering anything.

    - A new file is created (it never replaces one that appears meanwhile).
    - An existing file is replaced only with FORCE, atomically, keeping its permissions; a link
      is written through to its target.
    - Never, even with FORCE: anything inside a PROTECTED folder (the data folder, whose files
      change only through pilot-tui's own commands) or that a link there points to, and none
      of the command's INPUTS.
    - A character device (a terminal, /dev/null) or a named pipe is written to directly, as
      shell redirection would; a pipe nobody reads from is refused rather than waited on. Block
      devices, sockets and folders are refused.
    """
    data = content.encode("utf-8")
    try:
        # Through links: what is there in the end decides (a pipe behind /dev/stdout, say).
        existing: os.stat_result | None = os.stat(path)
    except FileNotFoundError:
        existing = None
    except OSError as error:
        raise StoreError(f"{shown(path)}: cannot write: {reason(error)}") from None
    target = Path(os.path.realpath(path))
    if any(_inside(target, folder) or _linked_from(target, folder) for folder in protected):
        raise StoreError(
            f"{shown(path)}: is in the data folder (or an assessment there links to it), which "
            "changes only through pilot-tui's own commands; write to another path"
        )
    if existing is not None and any(_same_file(existing, source) for source in inputs):
        raise StoreError(f"{shown(path)}: is one of the files this command reads; write elsewhere")
    if existing is None:
        _create_new(path, target, data)
    elif stat.S_ISCHR(existing.st_mode) or stat.S_ISFIFO(existing.st_mode):
        _write_stream(path, data, fifo=stat.S_ISFIFO(existing.st_mode))
    elif stat.S_ISDIR(existing.st_mode):
        raise StoreError(f"{shown(path)}: is a folder; give a file name")
    elif not stat.S_ISREG(existing.st_mode):
        raise StoreError(f"{shown(path)}: {not_a_file(existing.st_mode)}; not written")
    elif not force:
        raise OutputExists(f"{shown(path)}: already exists; use --force to replace it")
    else:
        atomic_write(target, data, private=False)


def write_new_file(path: Path, content: str) -> Path:
    """Write CONTENT to a new file named PATH, or PATH-2, PATH-3... when taken; the one written.

    For output the user did not name (a report saved to the downloads folder): an earlier file
    of the same name is kept, as a browser keeps an earlier download.
    """
    data = content.encode("utf-8")
    for number in range(1, 1000):
        candidate = path if number == 1 else path.with_stem(f"{path.stem}-{number}")
        try:
            _create_new(candidate, candidate, data)
        except OutputExists:
            continue
        return candidate
    raise StoreError(f"{shown(path)}: cannot write: every name up to -999 is taken")


def _inside(target: Path, folder: Path) -> bool:
    try:
        root = Path(os.path.realpath(folder))
    except OSError:
        return False
    return target == root or root in target.parents


def _linked_from(target: Path, folder: Path) -> bool:
    """Whether a link in FOLDER points at TARGET: writing there would change an assessment."""
    try:
        with os.scandir(folder) as entries:
            links = [entry.path for entry in entries if entry.is_symlink()]
    except OSError:
        return False
    return any(Path(os.path.realpath(link)) == target for link in links)


def _same_file(status: os.stat_result, source: Path) -> bool:
    try:
        other = os.stat(source)
    except OSError:
        return False
    return (status.st_dev, status.st_ino) == (other.st_dev, other.st_ino)


def _create_new(path: Path, target: Path, data: bytes) -> None:
    """Create TARGET with DATA, atomically, failing if it exists by then.

    The content goes to a temporary file first and is then linked in under its name: a link
    fails when the name is taken, so a file that appeared meanwhile is never replaced.
    """
    if not target.parent.is_dir():
        raise StoreError(
            f"{shown(path)}: cannot write: the folder {shown(target.parent)} does not exist"
        )
    written, _ = _write_temporary(target, data, SHARED_MODE, keep_mode=False)
    temporary: Path | None = written
    try:
        os.link(written, target)
    except FileExistsError:
        raise OutputExists(f"{shown(path)}: already exists; use --force to replace it") from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EXDEV):
            raise StoreError(f"{shown(path)}: cannot write: {reason(error)}") from None
        # A file system without hard links (FAT, some network shares): the plain rename.
        try:
            os.replace(written, target)
            temporary = None
        except OSError as rename_error:
            raise StoreError(f"{shown(path)}: cannot write: {reason(rename_error)}") from None
    finally:
        if temporary is not None:
            with suppress(OSError):
                os.unlink(temporary)
    _fsync_folder(target.parent)


def _write_stream(path: Path, data: bytes, *, fifo: bool) -> None:
    flags = os.O_WRONLY | os.O_NOCTTY | os.O_CLOEXEC | (os.O_NONBLOCK if fifo else 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if fifo and error.errno == errno.ENXIO:
            raise StoreError(f"{shown(path)}: is a named pipe that nothing reads from") from None
        raise StoreError(f"{shown(path)}: cannot write: {reason(error)}") from None
    try:
        if fifo:
            os.set_blocking(descriptor, True)
        view = memoryview(data)
        while view:
            view = view[os.write(descriptor, view) :]
    except OSError as error:
        raise StoreError(f"{shown(path)}: cannot write: {reason(error)}") from None
    finally:
        os.close(descriptor)


def _size(count: int) -> str:
    """A limit in bytes as people read it: "8 MiB", "256 KiB" (never "0 MiB")."""
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):g} MiB"
    if count >= 1024:
        return f"{count / 1024:g} KiB"
    return f"{count} bytes"
