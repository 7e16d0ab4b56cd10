"""Staff casework on the clinic database: today's queue and one patient's summary
(triage and referrals are changed in kiosk.clinic.case_edits; the stored rows are
read as staff see them in kiosk.clinic.case_rows).

Every read of patient data is audited; a refusal too (``refusals_audited``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.clinic import link_history, scope
from kiosk.clinic.case_rows import referral_json, stored_responses, triage_json
from kiosk.clinic.errors import EditConflict, Invalid, Refusal
from kiosk.clinic.link_history import day_appointments, patient_of
from kiosk.clinic.models import (
    Flag,
    Referral,
    Submission,
    Triage,
)
from kiosk.clinic.plumbing import Plumbing
from kiosk.clinic.scoring import baseline_answers
from kiosk.clinic.summary import (
    StoredResponse,
    change_over_time,
    essential_labels,
    essentials,
    flag_reasons,
    flag_words,
    form_section,
    help_flags,
    measures_of,
    what_matters,
)
from kiosk.engine import UnknownFormError
from kiosk.engine.form import SEVERITY_ORDER
from kiosk.exchange.clinic_list import Appointment
from kiosk.vocabulary import (
    CASEWORKERS,
    FLAGGED,
    NEW,
    NO_FLAGS,
    QUEUE_COUNTS,
    TOTAL_COUNT,
    TRIAGE_STATUSES,
    URGENT,
    WANTS_HELP,
)

if TYPE_CHECKING:
    from kiosk.clinic.members import StaffMember

# The clinic's words for each urgency, sent with the queue (``urgency_label``).
URGENCY_LABELS = {
    URGENT: "Urgent",
    WANTS_HELP: "Wants help",
    FLAGGED: "Flagged",
    NO_FLAGS: "No flags",
}
MAX_NOTES = 10_000
_CHUNK = 500


@contextmanager
def refusals_audited(
    plumbing: Plumbing, member: StaffMember, action: str, target: str, remote: str | None
) -> Iterator[None]:
    """Audit a refusal (not found, invalid) after its transaction has rolled back, so
    the row is kept; a refusal's audit is never the reason the request fails."""
    try:
        yield
    except EditConflict:
        raise  # audited in its own transaction, with the work it refused
    except Refusal as refusal:
        # Another clinic's submission answers as a missing one but is audited apart.
        outcome = getattr(refusal, "audit_outcome", refusal.code)
        plumbing.audit_now(member.actor, action, outcome, target=target, remote=remote)
        raise


class Casework:
    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing
        self.reasons = flag_reasons(plumbing.library)
        self.words = flag_words(plumbing.library)
        self.help_flags = help_flags(plumbing.library)
        self.measures = plumbing.library.measures()
        self.titles = {p.id: p.title for p in plumbing.library.pathways.values()}

    # ------------------------------------------------------------ helpers
    def _open(self, sealed: bytes | None, context: str) -> Any:
        return None if sealed is None else self.plumbing.secrets.open(sealed, context)

    def _appointments(self, db: Session, day: str) -> dict[str, Appointment]:
        return day_appointments(self.plumbing, db, day)

    _patient = staticmethod(patient_of)

    def flags(self, db: Session, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        """Each submission's flags in the queue's words (the day's clinic list too)."""
        return self._flags(db, ids)

    def _flags(self, db: Session, ids: Sequence[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = {sid: [] for sid in ids}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            for flag in db.scalars(select(Flag).where(Flag.submission_id.in_(chunk))):
                out[flag.submission_id].append(
                    {
                        "id": flag.flag_id,
                        "form_id": flag.form_id,
                        "severity": flag.severity,
                        "reason": self.reasons.get((flag.form_id, flag.flag_id), flag.flag_id),
                        "word": self.words.get((flag.form_id, flag.flag_id)),
                    }
                )
        for flags in out.values():
            flags.sort(key=lambda f: (SEVERITY_ORDER.get(f["severity"], 9), f["id"]))
        return out

    # ------------------------------------------------------------ the queue
    def queue(
        self,
        member: StaffMember,
        day: dt.date,
        *,
        clinic: str | None = None,
        status: str | None = None,
        flag: str | None = None,
        remote: str | None = None,
    ) -> dict[str, Any]:
        if status is not None and status not in TRIAGE_STATUSES:
            raise Invalid(f"status must be one of {', '.join(TRIAGE_STATUSES)}")
        show_flags = member.role in CASEWORKERS
        day_text = day.isoformat()
        with self.plumbing.transaction() as db:
            query = (
                select(
                    Submission.id,
                    Submission.started_at,
                    Submission.received_at,
                    Submission.status,
                    Submission.pathway,
                    Submission.clinic,
                    Submission.appointment_time,
                    Submission.urgency,
                    Submission.identifiers,
                    Triage.status,
                    Triage.owner,
                    Triage.version,
                    Submission.route,
                    Submission.entered_by,
                )
                .outerjoin(Triage, Triage.submission_id == Submission.id)
                .where(Submission.day == day_text, scope.visible(member))
            )
            rows = db.execute(query).all()
            clinics = sorted({r[5] for r in rows if r[5]})
            if clinic:
                rows = [r for r in rows if r[5] == clinic]
            ids = [r[0] for r in rows]
            flags = self._flags(db, ids) if show_flags else {}
            appointments = self._appointments(db, day_text)
            counts: Counter[str] = Counter()
            items = []
            for (
                sid,
                started,
                received,
                complete,
                pathway,
                clinic_name,
                time,
                urgency,
                identifiers,
                t_status,
                owner,
                version,
                route,
                entered_by,
            ) in rows:
                item_status = t_status or NEW
                item_flags = flags.get(sid, [])
                counts[TOTAL_COUNT] += 1
                counts[item_status] += 1
                if show_flags:
                    counts["urgent"] += urgency == URGENT
                    counts["wants_help"] += any(
                        (f["form_id"], f["id"]) in self.help_flags for f in item_flags
                    )
                    counts["flagged"] += bool(item_flags)
                if status and item_status != status:
                    continue
                if flag and not any(f["id"] == flag for f in item_flags):
                    continue
                link = self._open(identifiers, f"submissions/{sid}/identifiers")
                shown_urgency = urgency if show_flags else NO_FLAGS
                items.append(
                    {
                        "submission_id": sid,
                        "started_at": started,
                        "received_at": received,
                        "complete": complete == "complete",
                        "pathway": pathway,
                        "pathway_title": self.titles.get(pathway, pathway),
                        "clinic": clinic_name,
                        "appointment_time": time,
                        "patient": self._patient(link, appointments),
                        "urgency": shown_urgency,
                        "urgency_label": URGENCY_LABELS[shown_urgency],
                        "flags": item_flags,
                        "status": item_status,
                        "owner": owner,
                        "version": version or 0,
                        "route": route,  # tablet, assisted or paper (kiosk.vocabulary)
                        "entered_by": entered_by,  # the member of staff, unless tablet
                    }
                )
            items.sort(
                key=lambda i: (
                    i["urgency"],
                    i["appointment_time"] is None,
                    i["appointment_time"] or "",
                    i["started_at"],
                )
            )
            self.plumbing.audit(
                db,
                member.actor,
                "read_queue",
                "ok",
                target=f"{day_text}: {len(items)} items",
                remote=remote,
            )
        return {
            "day": day_text,
            "clinics": clinics,
            "counts": {k: counts.get(k, 0) for k in QUEUE_COUNTS},
            "items": items,
        }

    # ------------------------------------------------------------ one summary
    def _history(
        self,
        db: Session,
        member: StaffMember,
        patient_key: str | None,
        sid: str,
        responses: list[StoredResponse],
        voided: bool = False,
    ) -> list[dict[str, Any]]:
        if patient_key is None or voided:  # a voided one is in nobody's history but its own
            rows: Iterable[tuple[str, str, str]] = db.execute(
                select(Submission.id, Submission.started_at, Submission.pathway).where(
                    Submission.id == sid
                )
            ).all()
        else:
            rows = db.execute(
                select(Submission.id, Submission.started_at, Submission.pathway)
                .where(Submission.patient_key == patient_key, scope.visible(member))
                .order_by(Submission.started_at)
            ).all()
        history = []
        for other, started, pathway in rows:
            theirs = responses if other == sid else stored_responses(self.plumbing, db, other)
            history.append(
                {
                    "submission_id": other,
                    "started_at": started,
                    "pathway": pathway,
                    "pathway_title": self.titles.get(pathway, pathway),
                    "measures": measures_of(theirs, self.measures),
                }
            )
        return history

    def _baseline_for(
        self, db: Session, member: StaffMember, row: Submission, response: StoredResponse
    ) -> dict[str, Any] | None:
        try:
            form = self.plumbing.library.by_hash(response.form_hash)
        except UnknownFormError:
            return None
        spec = form.spec.baseline
        if spec is None:
            return None
        return baseline_answers(
            db,
            self.plumbing.secrets,
            row.patient_key,
            spec.form,
            list(spec.items),
            before=row.started_at,
            where=scope.visible(member),
        )

    def summary(self, member: StaffMember, sid: str, remote: str | None) -> dict[str, Any]:
        with refusals_audited(self.plumbing, member, "read_summary", sid, remote):
            return self._summary(member, sid, remote)

    def _summary(self, member: StaffMember, sid: str, remote: str | None) -> dict[str, Any]:
        with self.plumbing.transaction() as db:
            row = scope.submission(db, member, sid, "There is no such submission.")
            link = self._open(row.identifiers, f"submissions/{sid}/identifiers")
            responses = stored_responses(self.plumbing, db, sid)
            flags = self._flags(db, [sid])[sid]
            library = self.plumbing.library
            corrections = link_history.history(self.plumbing, db, row, member.clinics)
            history = self._history(
                db, member, row.patient_key, sid, responses, row.voided_at is not None
            )
            referrals = db.scalars(
                select(Referral).where(Referral.submission_id == sid).order_by(Referral.id)
            ).all()
            out = {
                "submission_id": sid,
                "started_at": row.started_at,
                "received_at": row.received_at,
                "complete": row.status == "complete",
                "end_reason": row.end_reason,
                "pathway": row.pathway,
                "pathway_title": self.titles.get(row.pathway, row.pathway),
                "language": row.language or "en",
                "route": row.route,  # tablet, assisted or paper, and by whom
                "entered_by": row.entered_by,
                "clinic": row.clinic,
                "appointment_time": row.appointment_time,
                # read against the member's own clinics' list only
                "patient": patient_of(
                    link, day_appointments(self.plumbing, db, row.day or "", member.clinics)
                ),
                **what_matters(library, responses),
                "flags": flags,
                "forms": [
                    form_section(library, r, flags, self._baseline_for(db, member, row, r))
                    for r in responses
                ],
                "essentials": essentials(library, responses),
                "essential_labels": essential_labels(library),
                "history": history,
                "change": change_over_time(history, self.measures),
                "triage": triage_json(self.plumbing, db.get(Triage, sid), sid),
                "referrals": [referral_json(self.plumbing, r) for r in referrals],
                # how the link was put right (kiosk.clinic.link_corrections)
                "link_history": corrections,
                "link_version": len(corrections),
                "voided": link_history.voided(corrections),
            }
            self.plumbing.audit(db, member.actor, "read_summary", "ok", target=sid, remote=remote)
        return out
