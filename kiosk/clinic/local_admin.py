"""Administration on the clinic server itself, without the HTTP API: the administrator
a command-line export is audited under, and the IMD lookup loaded straight into the
database (``kiosk export``, ``kiosk imd import``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clinic.database import open_database
from kiosk.clinic.errors import Forbidden
from kiosk.clinic.imd import ImportReport, import_lookup
from kiosk.clinic.models import AuditEntry, User
from kiosk.clinic.plumbing import Core, now_text
from kiosk.vocabulary import ADMINISTRATOR


def administrator_actor(service: Core, username: str, remote: str) -> str:
    """The audit actor for ``username``, an enabled administrator of this clinic.

    Anyone else is refused (Forbidden) and the refusal audited."""
    with service.transaction() as db:
        user = db.scalar(select(User).where(User.username == username))
        if user is None or user.disabled or user.role != ADMINISTRATOR:
            service.audit(db, f"user:{username[:64]}", "export", "forbidden", remote=remote)
            raise Forbidden(f"{username} is not an administrator of this clinic")
    return f"user:{username}"


def import_imd_lookup(database_url: str, path: Path, actor: str) -> ImportReport:
    """Replace the database's IMD lookup with ``path``'s, audited; no clinic keys needed
    (the lookup is public data)."""
    engine = open_database(database_url)
    try:
        return import_lookup(_Audited(engine), path, actor)
    finally:
        engine.dispose()


class _Audited:
    """Just enough of the service for an import: transactions and the audit table."""

    def __init__(self, engine: Engine) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as db:
            yield db

    def audit(self, db: Session, actor: str, action: str, outcome: str, **where: Any) -> None:
        db.add(
            AuditEntry(
                at=now_text(),
                actor=actor,
                action=action,
                outcome=outcome,
                target=where.get("target"),
                detail=where.get("detail"),
            )
        )
