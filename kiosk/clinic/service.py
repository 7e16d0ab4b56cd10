"""The clinic service without HTTP: wires its parts around one shared plumbing.

Each part does one job and is handed the :class:`~kiosk.clinic.plumbing.Plumbing`
(transactions, audit, secrets, clock, forms) in ``__init__``; none imports this
module. ``ClinicService`` keeps the calls the command line, the HTTP layer
(``kiosk.clinic.app``) and the tests make in one place:

- ``enrolment``: enrolment codes, enrolling and revoking tablets
- ``signed``: tablet request authentication (signatures, clock, nonces)
- ``config``: the tablets' configuration and the clinic lists
- ``receiving``: submissions stored exactly once, re-scored, or held
- ``held``: held submissions listed and re-processed
- ``staff``, ``accounts``: sign-in and sessions; administrators' account changes
- ``casework``, ``case_edits``: the queue and summaries; triage and referrals
- ``link_corrections``: a submission re-linked, unlinked or voided, with a reason
- ``reads``: the audit log, tablets, open flags, counts
- ``hospital``: clinic lists from the hospital (HL7 v2 SIU messages, FHIR Bundles)
- ``progress``, ``clinic_day``: tablets' reports of today's appointments; the day's list
- ``entries``: answers keyed in by staff (a paper form, or completed with the patient)
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from kiosk.clinic.accounts import Accounts
from kiosk.clinic.admin_reads import AdminReads
from kiosk.clinic.case_edits import CaseEdits
from kiosk.clinic.casework import Casework
from kiosk.clinic.clinic_day import ClinicDay
from kiosk.clinic.clinic_list_updates import ClinicListUpdates
from kiosk.clinic.enrolment import CODE_TTL_S, Enrolment
from kiosk.clinic.entries import Entries
from kiosk.clinic.held_review import HeldReview
from kiosk.clinic.intake import Catalogue
from kiosk.clinic.keyring import KeyRing
from kiosk.clinic.link_corrections import LinkCorrections
from kiosk.clinic.members import StaffMember
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.progress import Progress
from kiosk.clinic.receiving import Receiving, Result
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.clinic.signed_requests import SignedRequests
from kiosk.clinic.staff import StaffAccounts
from kiosk.clinic.tablet_config import TabletConfig
from kiosk.engine import FormLibrary


class ClinicService:
    """The parts of the clinic service, wired to one plumbing."""

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
        self.plumbing = plumbing = Plumbing(
            engine, library, forms_folders, keyring, server_secrets, certificate_fingerprint,
            clock=clock,
        )  # fmt: skip
        self.config = TabletConfig(plumbing)
        self.enrolment = Enrolment(plumbing, self.config)
        self.signed = SignedRequests(plumbing)
        self.receiving = Receiving(plumbing)
        self.held = HeldReview(plumbing, self.receiving)
        self.staff = StaffAccounts(plumbing, server_secrets.token_key)
        self.accounts = Accounts(plumbing, self.staff)
        self.casework = Casework(plumbing)
        self.case_edits = CaseEdits(plumbing)
        self.link_corrections = LinkCorrections(plumbing)
        self.reads = AdminReads(plumbing)
        self.hospital = ClinicListUpdates(plumbing, self.config)  # HL7 v2 and FHIR feeds
        self.progress = Progress(plumbing)
        self.clinic_day = ClinicDay(plumbing, self.casework)
        self.entries = Entries(plumbing, self.casework)

    def close(self) -> None:
        """Let go of the database connections (a command that opened the service is done)."""
        self.plumbing.engine.dispose()

    # ------------------------------------------------------------ the plumbing, shared

    @property
    def engine(self) -> Engine:
        return self.plumbing.engine

    @engine.setter
    def engine(self, engine: Engine) -> None:
        self.plumbing.engine = engine

    @property
    def clock(self) -> Callable[[], float]:
        return self.plumbing.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.plumbing.clock = clock

    @property
    def nation(self) -> str:
        return self.plumbing.nation

    @nation.setter
    def nation(self, nation: str) -> None:
        self.plumbing.nation = nation

    @property
    def library(self) -> FormLibrary:
        return self.plumbing.library

    @library.setter
    def library(self, library: FormLibrary) -> None:
        self.plumbing.library = library

    @property
    def secrets(self) -> ServerSecrets:
        return self.plumbing.secrets

    @secrets.setter
    def secrets(self, secrets: ServerSecrets) -> None:
        self.plumbing.secrets = secrets

    @property
    def keyring(self) -> KeyRing:
        return self.plumbing.keyring

    @property
    def fingerprint(self) -> str:
        return self.plumbing.fingerprint

    @property
    def forms_folders(self) -> list[Path]:
        return self.plumbing.forms_folders

    @property
    def catalogue(self) -> Catalogue:
        return self.plumbing.catalogue

    # Forwarded to the plumbing on purpose: the facade keeps callers off its internals
    # (its signatures repeat Plumbing's, which kiosk.clinic.plumbing.Core also mirrors).
    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.plumbing.transaction() as db:
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
        self.plumbing.audit(db, actor, action, outcome, target=target, remote=remote,
                            detail=detail)  # fmt: skip

    def audit_now(self, actor: str, action: str, outcome: str, **where: str | None) -> None:
        self.plumbing.audit_now(actor, action, outcome, **where)

    # ------------------------------------------------------------ tablets

    def issue_code(self, actor: str, ttl_s: int = CODE_TTL_S) -> str:
        return self.enrolment.issue_code(actor, ttl_s)

    def enrol(
        self, code_id: str, device_key: str, name: str, proof: str, remote: str | None
    ) -> dict[str, Any]:
        return self.enrolment.enrol(code_id, device_key, name, proof, remote)

    def revoke(self, device_id: str, actor: str) -> bool:
        return self.enrolment.revoke(device_id, actor)

    def authenticate(
        self, method: str, path: str, body: bytes, headers: Mapping[str, str], remote: str | None
    ) -> str:
        return self.signed.authenticate(method, path, body, headers, remote)

    def forget_old_nonces(self) -> int:
        return self.signed.forget_old_nonces()

    def set_clinic_list(self, day: dt.date, csv_text: str, actor: str) -> None:
        self.config.set_clinic_list(day, csv_text, actor)

    def tablet_config(self) -> dict[str, Any]:
        return self.config.current()

    def receive(self, device_id: str, items: list[tuple[str, str]]) -> list[Result]:
        """Store each (id, base64 envelope) exactly once; a result per item, in order."""
        return self.receiving.receive(device_id, items)

    def receive_envelope(
        self, device_id: str, submission_id: str, envelope: bytes, *, actor: str | None = None
    ) -> Result:
        return self.receiving.receive_envelope(device_id, submission_id, envelope, actor=actor)

    # ------------------------------------------------------------ staff reads

    def open_flags(self, member: StaffMember, remote: str | None) -> list[dict[str, Any]]:
        return self.reads.open_flags(member, remote)

    def counts(self) -> dict[str, int]:
        return self.reads.counts()
