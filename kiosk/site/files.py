"""Writing a file whole or not at all: the one way the product saves a file.

:func:`atomic_file` writes to a temporary file beside the target (created with
``O_CREAT | O_EXCL``, so never one that already exists, and with its final mode
from the moment it exists), flushes it to disk, and only then puts it in place:

- ``replace=True`` renames it over the target (``os.replace``): a reader sees the
  old file or the new one, never half of either, even after a power cut;
- ``replace=False`` links it into place, which fails with ``FileExistsError``
  rather than overwrite a file already there (a key that must never be replaced:
  the tablet's device key, the clinic's keys). Where the file system has no hard
  links it falls back to a rename after checking the target is absent.

The folder is then synced, so the new name survives a power cut too. On any
failure the temporary file is removed and the target is as it was.

``mode``: the file's exact permission bits whatever the umask (0600 by default:
most of what the product writes is private to its user); ``None`` for what the
umask allows, as a plain ``open`` would give.

:func:`private_database_file` makes a SQLite database owner-only before it is
opened (the tablet's store and the clinic's SQLite database).
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

PRIVATE = 0o600
_O_EXTRA = getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOFOLLOW", 0)
# Permission bits mean little on Windows (access is by ACL): modes are set on POSIX only.
_POSIX = os.name == "posix"
# Errors of os.link that mean "this file system has no hard links", not "it failed".
_NO_LINKS = frozenset(
    code
    for code in (
        getattr(errno, name, None)
        for name in ("EPERM", "EACCES", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "ENOSYS", "EMLINK")
    )
    if code is not None
)
# SQLite's companions of a database file; it creates them with the database's own mode.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


@contextlib.contextmanager
def atomic_file(
    path: str | os.PathLike[str], *, mode: int | None = PRIVATE, replace: bool = True
) -> Iterator[BinaryIO]:
    """A binary file to write; it becomes ``path`` only when the block ends without error."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    fd = os.open(
        temporary,
        os.O_CREAT | os.O_EXCL | os.O_WRONLY | _O_EXTRA,
        0o666 if mode is None else mode,
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None and _POSIX:
                os.fchmod(handle.fileno(), mode)  # exactly ``mode`` whatever the umask
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            temporary.replace(target)
        else:
            _link_into_place(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
    sync_folder(target.parent)


def write_atomically(
    path: str | os.PathLike[str],
    data: bytes,
    *,
    mode: int | None = PRIVATE,
    replace: bool = True,
) -> Path:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_file`); the path."""
    with atomic_file(path, mode=mode, replace=replace) as handle:
        handle.write(data)
    return Path(path)


def _link_into_place(temporary: Path, target: Path) -> None:
    try:
        os.link(temporary, target)  # atomic, and never replaces an existing file
    except FileExistsError:
        raise
    except (OSError, NotImplementedError) as exc:
        if isinstance(exc, OSError) and exc.errno not in _NO_LINKS:
            raise
        # No hard links here: rename instead (Windows refuses to rename over a file).
        if target.exists() or target.is_symlink():
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        temporary.rename(target)


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk (POSIX), so a rename in it survives a power cut."""
    if not _POSIX:
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def private_database_file(path: Path) -> None:
    """Make ``path`` (a SQLite database) readable by its owner only, before SQLite opens it.

    A new file is created with mode 0600 whatever the umask, so SQLite's -wal, -shm
    and -journal files, which take the database's mode, are 0600 too. An existing
    file (or companion) that others could read is tightened to 0600, with a warning:
    it holds patient data, even if encrypted."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE))
    for file in (path, *(path.with_name(path.name + end) for end in SQLITE_COMPANIONS)):
        try:
            current = stat.S_IMODE(file.stat().st_mode)
        except FileNotFoundError:
            continue
        if current & 0o077 and _POSIX:
            log.warning("%s could be read by other users (mode %o): now 0600", file, current)
            file.chmod(PRIVATE)
