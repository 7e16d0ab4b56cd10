"""Backing up and restoring a clinic folder that uses SQLite: the database and the
key files together, since neither is any use without the other.

The archive is a tar file holding a consistent copy of ``clinic.db`` (SQLite's
online backup, safe while the service runs), ``keys/``, ``server.key``, the
certificate and its key, and ``manifest.json`` (SHA-256 of every file, the
schema revision and the number of submissions). It holds the secrets that open
patient data, so it is written mode 0600 and must be kept as carefully as the
server itself (docs/clinic.md). A PostgreSQL database is backed up with the
server's own tools (pg_dump), beside a backup of the key files.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kiosk.clinic.server_secrets import SERVER_KEY_FILE
from kiosk.clinic.tls import CERT_FILE, CERT_KEY_FILE

DATABASE_FILE = "clinic.db"
MANIFEST = "manifest.json"
KEY_FILES = (SERVER_KEY_FILE, CERT_FILE, CERT_KEY_FILE)


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    files: int
    submissions: int
    schema: str | None


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _snapshot(database: Path) -> tuple[bytes, int, str | None]:
    """A consistent copy of a live SQLite database, its submission count and schema."""
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / DATABASE_FILE
        source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        target = sqlite3.connect(copy)
        try:
            source.backup(target)
            count = target.execute("select count(*) from submissions").fetchone()[0]
            row = target.execute("select version_num from alembic_version").fetchone()
        except sqlite3.Error as exc:
            raise BackupError(f"cannot copy {database}: {exc}") from None
        finally:
            target.close()
            source.close()
        return copy.read_bytes(), int(count), row[0] if row else None


def back_up(folder: Path, out: Path) -> BackupReport:
    database = folder / DATABASE_FILE
    if not database.is_file():
        raise BackupError(
            f"{folder} has no {DATABASE_FILE}: a PostgreSQL clinic is backed up with pg_dump "
            "(docs/clinic.md), beside a backup of its key files"
        )
    members: dict[str, bytes] = {}
    snapshot, submissions, schema = _snapshot(database)
    members[DATABASE_FILE] = snapshot
    for name in KEY_FILES:
        path = folder / name
        if not path.is_file():
            raise BackupError(f"{path} is missing: the backup would not open the data")
        members[name] = path.read_bytes()
    keys = folder / "keys"
    for path in sorted(keys.rglob("*")) if keys.is_dir() else []:
        if path.is_file():
            members[path.relative_to(folder).as_posix()] = path.read_bytes()
    manifest = {
        "format": 1,
        "schema": schema,
        "submissions": submissions,
        "files": {name: _sha256(data) for name, data in members.items()},
    }
    members[MANIFEST] = json.dumps(manifest, indent=2, sort_keys=True).encode()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".part")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            for name, data in members.items():
                info = tarfile.TarInfo(name)
                info.size, info.mode = len(data), 0o600
                tar.addfile(info, io.BytesIO(data))
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return BackupReport(out, len(members), submissions, schema)


def restore(archive: Path, folder: Path) -> BackupReport:
    """Unpack ``archive`` into an empty ``folder``, checking every file against the
    manifest first; BackupError (nothing written) if anything does not match."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: restore into a new folder")
    try:
        with tarfile.open(archive, mode="r") as tar:
            members = {}
            for info in tar.getmembers():
                name = info.name
                if not info.isfile() or name.startswith("/") or ".." in Path(name).parts:
                    raise BackupError(f"{archive}: unexpected entry {name!r}")
                handle = tar.extractfile(info)
                members[name] = handle.read() if handle else b""
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive} cannot be read as a clinic backup ({exc})") from None
    try:
        manifest = json.loads(members.pop(MANIFEST))
        expected = dict(manifest["files"])
    except (KeyError, ValueError, TypeError):
        raise BackupError(
            f"{archive} has no readable manifest: it is not a clinic backup"
        ) from None
    if set(expected) != set(members):
        raise BackupError(f"{archive}: the files do not match its manifest")
    for name, data in members.items():
        if _sha256(data) != expected[name]:
            raise BackupError(f"{archive}: {name} is damaged (its checksum does not match)")
    for name, data in members.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
    (folder / CERT_FILE).chmod(0o644)
    return BackupReport(
        archive, len(members) + 1, int(manifest.get("submissions", 0)), manifest.get("schema")
    )
