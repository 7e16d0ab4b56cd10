"""Backing up and restoring a clinic: the database and the key files together,
since neither is any use without the other.

The archive is a tar file holding a consistent copy of the database, the
clinic folder's ``keys/``, ``server.key``, the TLS certificate and its key, and
``manifest.json`` (SHA-256 of every file, the schema revision, the number of
submissions and the kind of database). The database copy is:

- ``clinic.db`` for SQLite: SQLite's online backup, safe while the service runs;
- ``clinic.pgdump`` for PostgreSQL: ``pg_dump --format=custom``, a consistent
  snapshot taken while the service runs (the PostgreSQL client tools must be
  installed: Debian's ``postgresql-client``).

Restoring checks every file against the manifest before anything is written,
writes the key files only into an empty clinic folder and, for PostgreSQL,
only into an empty database (``pg_restore`` in one transaction). The archive
holds the secrets that open patient data, so it is written mode 0600 and must be
kept as carefully as the server itself (docs/clinic.md).

Before a database upgrade the service takes one of these backups itself
(:func:`before_upgrade`) and keeps the newest few.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import SQLAlchemyError

from kiosk.clinic.config import DATABASE_FILE, BackupPolicy
from kiosk.clinic.errors import ClinicError
from kiosk.clinic.server_secrets import SERVER_KEY_FILE
from kiosk.clinic.tls import CERT_FILE, CERT_KEY_FILE
from kiosk.site.files import atomic_file

PG_DUMP_FILE = "clinic.pgdump"
MANIFEST = "manifest.json"
KEY_FILES = (SERVER_KEY_FILE, CERT_FILE, CERT_KEY_FILE)
AUTOMATIC_PREFIX = "before-upgrade-"
_CHUNK = 1 << 20


class BackupError(ClinicError):
    """A backup or restore that cannot be done; the message says why."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    files: int
    submissions: int
    schema: str | None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _url(folder: Path, database_url: str | None) -> URL:
    return make_url(database_url or f"sqlite:///{folder / DATABASE_FILE}")


def _shown(url: URL) -> str:
    return url.render_as_string(hide_password=True)


# ------------------------------------------------------------------ SQLite


def _sqlite_snapshot(url: URL, copy: Path) -> tuple[int, str | None]:
    database = Path(url.database or "")
    if not database.is_file():
        raise BackupError(f"there is no clinic database at {database}")
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
    return int(count), row[0] if row else None


# -------------------------------------------------------------- PostgreSQL


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URI without the password, and an environment carrying it
    (a password on a command line is visible to every user of the server)."""
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: a PostgreSQL clinic database is backed up and restored "
            "with PostgreSQL's own tools (Debian: apt-get install postgresql-client)"
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(
            command, env=env, capture_output=True, text=True, timeout=6 * 3600, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BackupError(f"{what} failed: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what} failed: {detail[-1] if detail else done.returncode}")


def _pg_facts(url: URL) -> tuple[int, str | None, int]:
    """Submissions, schema revision and the number of tables in the database."""
    engine = create_engine(url.set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            tables = connection.execute(
                text(
                    "select count(*) from information_schema.tables "
                    "where table_schema = current_schema()"
                )
            ).scalar_one()
            if not tables:
                return 0, None, 0
            count = connection.execute(text("select count(*) from submissions")).scalar_one()
            schema = connection.execute(text("select version_num from alembic_version")).scalar()
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise BackupError(f"cannot read the clinic database {_shown(url)}: {reason}") from None
    finally:
        engine.dispose()
    return int(count), schema, int(tables)


def _pg_dump(url: URL, copy: Path) -> tuple[int, str | None]:
    submissions, schema, tables = _pg_facts(url)
    if not tables:
        raise BackupError(f"the clinic database {_shown(url)} is empty: nothing to back up")
    uri, env = _libpq(url)
    _run(
        [
            _pg_tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={copy}",
            f"--dbname={uri}",
        ],
        env,
        f"pg_dump of {_shown(url)}",
    )
    return submissions, schema


def _pg_restore(url: URL, dump: Path) -> None:
    _submissions, _schema, tables = _pg_facts(url)
    if tables:
        raise BackupError(
            f"the database {_shown(url)} is not empty: restore into a new, empty database "
            "(createdb) so that nothing is overwritten"
        )
    uri, env = _libpq(url)
    _run(
        [
            _pg_tool("pg_restore"),
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={uri}",
            str(dump),
        ],
        env,
        f"pg_restore into {_shown(url)}",
    )


# ------------------------------------------------------------------ archive


def back_up(folder: Path, out: Path, database_url: str | None = None) -> BackupReport:
    """Write a backup of the clinic in ``folder`` (database at ``database_url``,
    default ``folder/clinic.db``) to ``out``; BackupError in plain words."""
    url = _url(folder, database_url)
    for name in KEY_FILES:
        if not (folder / name).is_file():
            raise BackupError(f"{folder / name} is missing: the backup would not open the data")
    with tempfile.TemporaryDirectory(prefix="clinic-backup-") as temp:
        members: dict[str, Path] = {}
        if url.get_backend_name() == "sqlite":
            copy = Path(temp) / DATABASE_FILE
            submissions, schema = _sqlite_snapshot(url, copy)
            members[DATABASE_FILE] = copy
        else:
            copy = Path(temp) / PG_DUMP_FILE
            submissions, schema = _pg_dump(url, copy)
            members[PG_DUMP_FILE] = copy
        for name in KEY_FILES:
            members[name] = folder / name
        keys = folder / "keys"
        for path in sorted(keys.rglob("*")) if keys.is_dir() else []:
            if path.is_file():
                members[path.relative_to(folder).as_posix()] = path
        manifest = {
            "format": 2,
            "database": url.get_backend_name(),
            "schema": schema,
            "submissions": submissions,
            "made": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = Path(temp) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        members[MANIFEST] = manifest_path
        out.parent.mkdir(parents=True, exist_ok=True)
        with atomic_file(out) as handle, tarfile.open(fileobj=handle, mode="w") as tar:
            for name, path in members.items():
                info = tar.gettarinfo(str(path), arcname=name)
                info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
                with path.open("rb") as data:
                    tar.addfile(info, data)
    return BackupReport(out, len(members), submissions, schema)


@contextmanager
def _checked_members(archive: Path) -> Iterator[tuple[dict[str, Path], dict[str, object]]]:
    """The archive unpacked into a private temporary folder, every file checked
    against the manifest; BackupError before anything is yielded otherwise."""
    with tempfile.TemporaryDirectory(prefix="clinic-restore-") as temp:
        members: dict[str, Path] = {}
        try:
            with tarfile.open(archive, mode="r") as tar:
                for info in tar:
                    name = info.name
                    if not info.isfile() or name.startswith("/") or ".." in Path(name).parts:
                        raise BackupError(f"{archive}: unexpected entry {name!r}")
                    source = tar.extractfile(info)
                    path = Path(temp) / f"{len(members)}"
                    with path.open("wb") as out:
                        if source is not None:
                            shutil.copyfileobj(source, out, _CHUNK)
                    members[name] = path
        except (OSError, tarfile.TarError) as exc:
            raise BackupError(f"{archive} cannot be read as a clinic backup ({exc})") from None
        try:
            manifest = json.loads(members.pop(MANIFEST).read_text())
            expected = dict(manifest["files"])
        except (KeyError, ValueError, TypeError):
            raise BackupError(
                f"{archive} has no readable manifest: it is not a clinic backup"
            ) from None
        if set(expected) != set(members):
            raise BackupError(f"{archive}: the files do not match its manifest")
        for name, path in members.items():
            if _sha256(path) != expected[name]:
                raise BackupError(f"{archive}: {name} is damaged (its checksum does not match)")
        yield members, manifest


def restore(archive: Path, folder: Path, database_url: str | None = None) -> BackupReport:
    """Restore ``archive`` into an empty clinic ``folder`` and, for a PostgreSQL
    backup, the empty database at ``database_url``. Everything is checked against
    the manifest first; BackupError (nothing written) if anything does not match."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: restore into a new folder")
    with _checked_members(archive) as (members, manifest):
        url = _url(folder, database_url)
        if PG_DUMP_FILE in members:
            if url.get_backend_name() != "postgresql":
                raise BackupError(
                    f"{archive} holds a PostgreSQL database: give the empty PostgreSQL "
                    "database to restore it into (--database URL, or [clinic] database)"
                )
            _pg_restore(url, members.pop(PG_DUMP_FILE))
        elif DATABASE_FILE in members and url.get_backend_name() != "sqlite":
            raise BackupError(
                f"{archive} holds a SQLite database; it restores into the clinic folder, "
                "not into PostgreSQL"
            )
        folder.mkdir(parents=True, exist_ok=True)
        for name, path in members.items():
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_file(target, replace=False) as out, path.open("rb") as data:
                shutil.copyfileobj(data, out, _CHUNK)
        (folder / CERT_FILE).chmod(0o644)
    return BackupReport(
        archive,
        len(members) + 1,
        int(str(manifest.get("submissions", 0))),
        None if manifest.get("schema") is None else str(manifest.get("schema")),
    )


def before_upgrade(
    folder: Path, database_url: str | None, policy: BackupPolicy, current: str, head: str
) -> Path:
    """The automatic backup taken before the database is upgraded from ``current``
    to ``head``; the oldest automatic backups beyond ``policy.keep`` are removed."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    out = policy.folder / f"{AUTOMATIC_PREFIX}{current}-to-{head}-{stamp}.tar"
    back_up(folder, out, database_url)
    pattern = re.compile(rf"{AUTOMATIC_PREFIX}\w+-to-\w+-(\d{{8}}T\d{{12}}Z)\.tar")
    automatic = sorted(
        (found.group(1), path)
        for path in policy.folder.glob(f"{AUTOMATIC_PREFIX}*.tar")
        if (found := pattern.fullmatch(path.name))
    )
    for _stamp, old in automatic[: max(0, len(automatic) - policy.keep)]:
        old.unlink(missing_ok=True)
    return out
