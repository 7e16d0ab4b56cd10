"""A submission's rows at the clinic: the opened envelope re-scored with the same
engine (and form version) the tablet used, identifiers and answers encrypted per
column, scores, bands and flags as plain columns, and the queue's urgency.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from kiosk.clinic.intake import Checked
from kiosk.clinic.models import Flag, Response, Submission, Triage
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.progress import appointment_key
from kiosk.clinic.server_secrets import ServerSecrets
from kiosk.engine import Form, RaisedFlag, ScoredResponse, UnknownFormError
from kiosk.engine.answers import FREE_TEXT_TYPES
from kiosk.engine.facts import HELP_REQUEST
from kiosk.envelope.envelope import END_RECORD, OpenedSubmission
from kiosk.exchange.entry_route import read_route
from kiosk.vocabulary import FLAGGED, NO_FLAGS, ROUTE_RECORD, TABLET, URGENT, WANTS_HELP

log = logging.getLogger(__name__)
LINK_RECORD = "_link/patient"
LANGUAGE_RECORD = "_session/language"
Row = dict[str, Any]


@dataclass
class Rows:
    """A batch's rows, as column values for one multi-row INSERT per table
    (:meth:`Scoring.rows`, :meth:`write`): submissions first, then what refers to them."""

    submissions: list[Row] = field(default_factory=list)
    triage: list[Row] = field(default_factory=list)
    responses: list[Row] = field(default_factory=list)
    flags: list[Row] = field(default_factory=list)

    def write(self, db: Session) -> None:
        """Insert every row held (in ``db``'s transaction) and forget them."""
        for model, rows in (
            (Submission, self.submissions),
            (Triage, self.triage),
            (Response, self.responses),
            (Flag, self.flags),
        ):
            if rows:
                db.execute(insert(model.__table__), rows)  # type: ignore[arg-type]
                rows.clear()


def urgency_of(flags: Sequence[RaisedFlag]) -> int:
    """The queue's urgency (kiosk.vocabulary): URGENT, an urgent flag (feeling unsafe);
    WANTS_HELP, asked for help (a flag its form declares a help request); FLAGGED,
    other flags; NO_FLAGS, none."""
    if any(flag.severity == "urgent" for flag in flags):
        return URGENT
    if any(flag.category == HELP_REQUEST for flag in flags):
        return WANTS_HELP
    return FLAGGED if flags else NO_FLAGS


def local_day(timestamp: str) -> str | None:
    """The clinic's own calendar day of an ISO timestamp (the service's time zone)."""
    try:
        return dt.datetime.fromisoformat(timestamp).astimezone().date().isoformat()
    except (TypeError, ValueError):
        return None


def _short(value: Any, limit: int) -> str | None:
    return str(value)[:limit] if value not in (None, "") else None


def baseline_answers(
    db: Session,
    secrets: ServerSecrets,
    patient_key: str | None,
    form_id: str,
    items: list[str],
    before: str | None = None,
    where: Any = None,
) -> dict[str, Any]:
    """The patient's latest answers to a follow-up form's baseline form (those
    given before ``before``, an ISO time, if set; ``where``: a further condition on
    the submission, e.g. the reader's clinic scope)."""
    if patient_key is None:
        return {}
    query = (
        select(Response.submission_id, Response.answers)
        .join(Submission, Submission.id == Response.submission_id)
        .where(Submission.patient_key == patient_key, Response.form_id == form_id)
        # never a submission voided as entered in error (kiosk.clinic.scope.live, which
        # this layer cannot import)
        .where(Submission.voided_at.is_(None))
    )
    if before is not None:
        query = query.where(Submission.started_at < before)
    if where is not None:
        query = query.where(where)
    row = db.execute(query.order_by(Submission.started_at.desc()).limit(1)).first()
    if row is None:
        return {}
    answers = secrets.open(row.answers, f"responses/{row.submission_id}/{form_id}")
    return {k: v for k, v in answers.items() if k in items} if isinstance(answers, dict) else {}


class Scoring:
    """Turns an opened submission into its rows, re-scored with the clinic's forms."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

    def record(
        self, db: Session, device_id: str, opened: OpenedSubmission, envelope: bytes, digest: str
    ) -> None:
        """Write the submission, its triage row, responses and flags in ``db``'s
        transaction: :meth:`rows` of this one submission, its answers not yet checked."""
        rows = Rows()
        self.rows(db, device_id, opened, envelope, digest, [None] * len(opened.forms), rows)
        rows.write(db)

    def submission_row(
        self, device_id: str, opened: OpenedSubmission, envelope: bytes, digest: str
    ) -> Submission:
        """The submission's own row (its column values; :meth:`rows` adds what refers
        to it)."""
        secrets = self.plumbing.secrets
        sid = opened.submission_id
        link = opened.record(LINK_RECORD)
        patient_key = None
        if isinstance(link, dict):
            if link.get("nhs_number"):
                patient_key = secrets.patient_key("nhs", str(link["nhs_number"]))
            elif link.get("hospital_number"):
                patient_key = secrets.patient_key("hospital", str(link["hospital_number"]))
        language = opened.record(LANGUAGE_RECORD)
        link_fields = link if isinstance(link, dict) else {}
        # A route record no tablet makes is not a reason to keep answers from staff:
        # the submission is stored, as the tablet alone (docs/sync-protocol.md).
        route = read_route(opened.record(ROUTE_RECORD))
        if route is None:
            log.warning("route record of %s is not one a tablet makes: stored as tablet", sid)
        route_by = route or (TABLET, None)
        return Submission(
            id=sid,
            device_id=device_id,
            envelope=envelope,
            envelope_hash=digest,
            received_at=now_text(),
            status=opened.status,
            end_reason=opened.end_reason,
            pathway=opened.pathway,
            started_at=opened.started_at,
            language=str(language)[:16] if language else None,
            link_method=str(link.get("method"))[:20] if isinstance(link, dict) else None,
            patient_key=patient_key,
            identifiers=(
                secrets.seal(link, f"submissions/{sid}/identifiers")
                if isinstance(link, dict)
                else None
            ),
            failed_records=len(opened.failed),
            day=local_day(opened.started_at),
            clinic=_short(link_fields.get("clinic"), 80),
            appointment_time=_short(link_fields.get("time"), 8),
            urgency=NO_FLAGS,
            route=route_by[0],
            entered_by=route_by[1],
            appointment_key=(
                appointment_key(secrets, str(link_fields["appointment_id"]))
                if link_fields.get("appointment_id")
                else None
            ),
        )

    def rows(
        self,
        db: Session,
        device_id: str,
        opened: OpenedSubmission,
        envelope: bytes,
        digest: str,
        checked: Checked,
        rows: Rows,
    ) -> None:
        """Add to ``rows`` what :meth:`record` stores for ``opened``, its urgency worked
        out before its row is written; ``checked``: its answers as intake checked them
        (:func:`kiosk.clinic.intake.checked_answers`), not checked again here.

        A form scored against the patient's earlier answers (a follow-up form) reads
        them from the database, as :meth:`record` does: the rows held so far, this
        submission's own row with them, are written first, so it sees the same rows."""
        seal = self.plumbing.secrets.sealer()
        submission = self.submission_row(device_id, opened, envelope, digest)
        sid, patient_key = submission.id, submission.patient_key
        columns = Submission.__table__.columns.keys()
        row = {name: getattr(submission, name) for name in columns if name != "voided_at"}
        row["voided_at"] = None
        end = opened.record(END_RECORD)
        tablet_summary = end.get("summary", {}) if isinstance(end, dict) else {}
        answers = opened.answers()
        forms = self._forms(opened)
        written = False
        if patient_key is not None and any(
            form is not None and form.spec.baseline is not None for form in forms
        ):
            rows.submissions.append(row)
            rows.write(db)
            written = True
        rows.triage.append(
            {"submission_id": sid, "status": "new", "owner": None, "notes": None, "version": 0,
             "updated_at": submission.received_at, "updated_by": "clinic"}
        )  # fmt: skip
        raised: list[RaisedFlag] = []
        for entry, form, normalised in zip(opened.forms, forms, checked, strict=True):
            raised += self._form_rows(
                db, sid, entry, form, answers.get(str(entry.get("id")), {}), normalised,
                tablet_summary, patient_key, rows, seal,
            )  # fmt: skip
        urgency = urgency_of(raised)
        if written:
            if urgency != NO_FLAGS:
                rows.write(db)
                db.execute(
                    update(Submission)
                    .where(Submission.id == sid)
                    .values(urgency=urgency)
                    .execution_options(synchronize_session=False)
                )
        else:
            row["urgency"] = urgency
            rows.submissions.append(row)

    def _forms(self, opened: OpenedSubmission) -> list[Form | None]:
        """The clinic's form of each entry of ``opened.forms`` (None: a version it lacks)."""
        forms: list[Form | None] = []
        for entry in opened.forms:
            try:
                forms.append(self.plumbing.library.by_hash(str(entry.get("hash"))))
            except UnknownFormError:
                forms.append(None)
        return forms

    def _form_rows(
        self,
        db: Session,
        sid: str,
        entry: Mapping[str, Any],
        form: Form | None,
        answers: dict[str, Any],
        normalised: Mapping[str, Any] | None,
        tablet_summary: Mapping[str, Any],
        patient_key: str | None,
        rows: Rows,
        seal: Callable[[Any, str], bytes],
    ) -> list[RaisedFlag]:
        """One form's response as rows added to ``rows``; the flags
        it raised. ``normalised``: the form's answers as intake made them canonical."""
        form_id = str(entry.get("id"))
        scores: dict[str, Any] = {}
        bands: dict[str, Any] = {}
        agrees: bool | None = None
        raised_flags: list[RaisedFlag] = []
        if form is not None:
            baseline = None
            if form.spec.baseline is not None:
                spec = form.spec.baseline
                rows.write(db)  # the query sees the rows before it, as record() does
                baseline = baseline_answers(
                    db, self.plumbing.secrets, patient_key, spec.form, list(spec.items)
                )
            if normalised is None:  # not checked by intake
                normalised = form.normalise_all(answers)
            result = form.evaluate_normalised(normalised, baseline=baseline, strict=False)
            # Free text as the engine keeps it (no invisible format characters), even
            # from a tablet that sent it uncleaned: staff read only what was typed. Each
            # answer is stored as it was made canonical, which is what the engine scored.
            answers = {
                k: normalised[k] if form.items[k].type in FREE_TEXT_TYPES else v
                for k, v in answers.items()
            }
            scores, bands = dict(result.scores), dict(result.bands)
            agrees = _agrees(result, tablet_summary.get(form_id), form_id, sid)
            raised = now_text()
            for flag in result.flags:
                raised_flags.append(flag)
                rows.flags.append(
                    {"submission_id": sid, "form_id": form_id, "flag_id": flag.id,
                     "severity": flag.severity, "raised_at": raised}
                )  # fmt: skip
        rows.responses.append(
            {
                "submission_id": sid,
                "form_id": form_id,
                "form_version": str(entry.get("version")),
                "form_hash": str(entry.get("hash")),
                "form_known": form is not None,
                "scores": json.dumps(scores, sort_keys=True),
                "bands": json.dumps(bands, sort_keys=True),
                "answers": seal(answers, f"responses/{sid}/{form_id}"),
                "tablet_agrees": agrees,
            }
        )
        return raised_flags


def _agrees(result: ScoredResponse, theirs: Any, form_id: str, sid: str) -> bool | None:
    """Whether the tablet's own scores, bands and flags (``theirs``, from its sealed
    summary) are the clinic's; None when the tablet sent none. A difference is logged."""
    if theirs is None:
        return None
    ours = result.to_json()
    agrees = all(ours[k] == theirs.get(k) for k in ("scores", "bands", "flags"))
    if not agrees:
        log.warning("tablet and clinic scores differ for %s in %s", form_id, sid)
    return agrees
