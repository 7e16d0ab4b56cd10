"""The clinic service's shared plumbing: transactions, the audit table, secrets, the
clock, the form library and the pathways as served.

Every part of the service (enrolment, signed requests, receiving, staff accounts,
casework, exports) is handed one :class:`Plumbing` in ``__init__`` and imports
nothing of the others' it does not use; ``ClinicService`` only wires them.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kiosk.clinic.audit_flood import AnonymousFlood
from kiosk.clinic.audit_flood import Row as AuditRow
from kiosk.clinic.intake import Catalogue
from kiosk.clinic.keyring import KeyRing
from kiosk.clinic.models import AuditEntry
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.engine import FormLibrary
from kiosk.reports.fhir_ukcore import DEFAULT_NATION

log = logging.getLogger(__name__)


def now_text() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def _fit(column: str, value: str | None) -> str | None:
    """``value`` cut to the length of the audit table's ``column``."""
    if value is None:
        return None
    length = getattr(AuditEntry.__table__.c[column].type, "length", None)
    return value[:length] if length else value


# Written twice on purpose: the typing Protocol mirrors Plumbing (and ClinicService's
# facade) so exports and reports depend on the shape, not on either class.
class Core(Protocol):
    """What an export or a report needs of the service: the forms, the secrets,
    transactions and the audit (``Plumbing`` and the ``ClinicService`` facade alike)."""

    library: FormLibrary
    secrets: ServerSecrets
    nation: str  # whose national code lists the FHIR export uses ([clinic] nation)

    def transaction(self) -> AbstractContextManager[Session]: ...

    def audit(
        self,
        db: Session,
        actor: str,
        action: str,
        outcome: str,
        *,
        target: str | None = None,
        remote: str | None = None,
        detail: str | None = None,
    ) -> None: ...

    def audit_now(self, actor: str, action: str, outcome: str, **where: str | None) -> None: ...


class Plumbing:
    """Transactions, audit, secrets, clock, forms: what every part of the service shares."""

    def __init__(
        self,
        engine: Engine,
        library: FormLibrary,
        forms_folders: list[Path],
        keyring: KeyRing,
        server_secrets: ServerSecrets,
        certificate_fingerprint: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.engine = engine
        self.library = library
        self.forms_folders = forms_folders
        self.keyring = keyring
        self.secrets = server_secrets
        self.fingerprint = certificate_fingerprint
        self.clock = clock
        self.nation = DEFAULT_NATION  # set from [clinic] nation by setup.open_configured
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # Coalesces anonymous refusals in the audit, counting in the database.
        self._anonymous = AnonymousFlood(self.transaction)
        self.catalogue = Catalogue(forms_folders)  # pathways as served, for intake checks

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._sessions.begin() as db:
            yield db

    def audit(
        self,
        db: Session,
        actor: str,
        action: str,
        outcome: str,
        *,
        target: str | None = None,
        remote: str | None = None,
        detail: str | None = None,
    ) -> None:
        """Add an audit row to ``db``'s transaction: it is written with the work it
        records, or not at all. Every field is cut to its column's length here (a
        request's path can be any length)."""
        db.add(AuditEntry(**self.audit_row(actor, action, outcome, target=target,
                                           remote=remote, detail=detail)))  # fmt: skip

    def audit_row(
        self,
        actor: str,
        action: str,
        outcome: str,
        *,
        target: str | None = None,
        remote: str | None = None,
        detail: str | None = None,
    ) -> dict[str, str | None]:
        """The columns of the audit row :meth:`audit` adds, for a batch's rows written
        by one INSERT (``AuditEntry.__table__``) in the transaction of the work they
        record."""
        fields = {
            "actor": actor,
            "action": action,
            "target": target or None,
            "outcome": outcome,
            "remote": remote or None,
            "detail": detail or None,
        }
        return {"at": now_text(), **{k: _fit(k, v) for k, v in fields.items()}}

    def audit_now(self, actor: str, action: str, outcome: str, **where: str | None) -> None:
        """Audit a refusal (or anything not tied to a transaction) in its own
        transaction. Never the reason a request fails: if the row cannot be written
        the failure is logged and the request's own answer stands. Anonymous
        refusals are coalesced per address and outcome (kiosk.clinic.audit_flood)."""
        target, remote = where.get("target"), where.get("remote")
        rows = [AuditRow(action, target, remote, outcome, where.get("detail"))]
        if actor == "anonymous":
            rows = self._anonymous.admit(action, target, remote, outcome, self.clock())
        try:
            with self.transaction() as db:
                for row in rows:
                    self.audit(
                        db, actor, row.action, row.outcome,
                        target=row.target, remote=row.remote, detail=row.detail,
                    )  # fmt: skip
        except SQLAlchemyError as exc:
            log.error(
                "an audit row could not be written (%s); outcome %s", type(exc).__name__, outcome
            )
