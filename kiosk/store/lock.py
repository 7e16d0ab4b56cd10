"""One program at a time may write a tablet's store.

Opening the store seals sessions left unfinished by a crash. If a second
program (a maintenance command, say) opened the store while the kiosk was
running, it would take the kiosk's live session for a crashed one. An
exclusive lock on ``DATA_DIR/tablet.lock`` prevents that; the operating system
releases it when the holder exits, however it exits.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from kiosk.store.errors import StoreError, known_errors

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

LOCK_FILE = "tablet.lock"


class StoreInUseError(StoreError):
    """Another program has this tablet's store open."""


class DirectoryLock:
    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / LOCK_FILE
        self._handle: IO[bytes] | None = None

    def acquire(self) -> None:
        with known_errors(self.path):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = self.path.open("a+b")
        try:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            else:  # pragma: no cover - Windows
                msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            handle.close()
            raise StoreInUseError(
                f"The tablet store in {self.path.parent} is open in another program "
                "(is the kiosk running?). Close that program first."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n".encode())
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            if fcntl is not None:
                fcntl.flock(self._handle.fileno(), fcntl.LOCK_UN)
            self._handle.close()
            self._handle = None
