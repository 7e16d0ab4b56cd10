"""The FHIR R4 export: a Bundle (collection) streamed from the database, anonymised
(the project's pseudonyms, identifying answers withheld as the forms declare them)
or identified (with the NHS number). The resources are made in kiosk.reports.fhir
(forms and answers, the ethnic category in the clinic's nation's UK Core codes)
and kiosk.reports.fhir_referrals (referrals and triage).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic.exports.anonymity import ExportOptions, Pseudonyms
from kiosk.clinic.models import Referral, Response, Submission, Triage
from kiosk.clinic.scope import within
from kiosk.engine import Form, FormLibrary, UnknownFormError
from kiosk.reports.fhir import questionnaire, questionnaire_response
from kiosk.reports.fhir_referrals import service_request, triage_task
from kiosk.reports.fhir_response import SELF_REPORTED
from kiosk.reports.fhir_ukcore import national_codes, with_national_codes

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService

_CHUNK = 1000  # submissions read from the database at a time


def fhir_chunks(
    service: ClinicService,
    options: ExportOptions,
    *,
    identified: bool,
) -> Iterator[str]:
    """A FHIR R4 Bundle (collection), streamed: a Questionnaire for every form version
    used, then a QuestionnaireResponse per submission and form, a ServiceRequest per
    referral and a Task for a triaged submission. Anonymised, the
    subject is the project's patient pseudonym and free text is left out unless
    asked for; identified, it carries the NHS number (a stated purpose is needed
    for either, and both are audited by ``exports.audit.start_export``)."""
    pseudonyms = Pseudonyms(service.secrets.export_key, options.project)
    library = service.library
    free_text = identified or options.include_free_text
    codes = national_codes(service.nation)

    def entry(resource: dict[str, Any], full_url: str = "") -> str:
        full_url = full_url or f"urn:uuid:{uuid.uuid4()}"
        return json.dumps({"fullUrl": full_url, "resource": resource})

    yield '{"resourceType":"Bundle","type":"collection","entry":['
    first = True
    with service.transaction() as db:
        hashes = [h for (h,) in db.execute(select(Response.form_hash).distinct())]
        for form_hash in sorted(hashes):
            form = _known_form(library, form_hash)
            if form is None:
                continue
            resource = with_national_codes(questionnaire(form), form, codes)
            yield ("" if first else ",") + entry(resource)
            first = False
        query = select(
            Submission.id,
            Submission.started_at,
            Submission.status,
            Submission.language,
            Submission.patient_key,
            Submission.identifiers,
        )
        query = query.where(within(options.clinics)).order_by(Submission.started_at, Submission.id)
        for chunk in db.execute(query.execution_options(yield_per=_CHUNK)).partitions(_CHUNK):
            ids = [row.id for row in chunk]
            responses: dict[str, list[Any]] = {sid: [] for sid in ids}
            for r in db.execute(
                select(
                    Response.submission_id, Response.form_id, Response.form_hash, Response.answers
                ).where(Response.submission_id.in_(ids))
            ):
                responses[r.submission_id].append(r)
            referrals: dict[str, list[Any]] = {sid: [] for sid in ids}
            for referral in db.execute(
                select(
                    Referral.id,
                    Referral.submission_id,
                    Referral.kind,
                    Referral.referred_on,
                    Referral.outcome,
                )
                .where(Referral.submission_id.in_(ids))
                .order_by(Referral.id)
            ):
                referrals[referral.submission_id].append(referral)
            triage = {
                t.submission_id: t
                for t in db.execute(
                    select(Triage.submission_id, Triage.status, Triage.updated_at).where(
                        Triage.submission_id.in_(ids)
                    )
                )
            }
            for row in chunk:
                patient: dict[str, Any] | None = None
                if row.patient_key:
                    patient = {"pseudonym": pseudonyms.of("patient", row.patient_key)}
                    if identified and row.identifiers:
                        link = service.secrets.open(
                            row.identifiers, f"submissions/{row.id}/identifiers"
                        )
                        patient["nhs_number"] = link.get("nhs_number")
                        patient["hospital_number"] = link.get("hospital_number")
                submission = {
                    "id": row.id,
                    "pseudonym": pseudonyms.of("submission", row.id),
                    "started_at": row.started_at,
                    "status": row.status,
                    "language": row.language or "en",
                    "patient": patient,
                }
                made: list[str] = []  # this submission's QuestionnaireResponses
                subject: dict[str, Any] = {"type": "Patient", "display": SELF_REPORTED}
                for r in responses[row.id]:
                    form = _known_form(library, r.form_hash)
                    if form is None:
                        continue
                    answers = service.secrets.open(r.answers, f"responses/{row.id}/{r.form_id}")
                    if not identified:  # the CSV bands age and derives IMD instead
                        withheld = form.identifying_items
                        answers = {k: v for k, v in answers.items() if k not in withheld}
                    resource = questionnaire_response(
                        form,
                        submission,
                        answers,
                        identified=identified,
                        include_free_text=free_text,
                    )
                    resource = with_national_codes(resource, form, codes)
                    made.append(f"urn:uuid:{uuid.uuid4()}")
                    subject = _subject(resource, subject)
                    yield ("" if first else ",") + entry(resource, made[-1])
                    first = False
                for referral in referrals[row.id]:
                    request = service_request(
                        referral._asdict(), subject, made, identified=identified
                    )
                    yield ("" if first else ",") + entry(request)
                    first = False
                if made and row.id in triage:
                    task = triage_task(
                        triage[row.id]._asdict(), subject, made[0], identified=identified
                    )
                    yield ("" if first else ",") + entry(task)
                    first = False
    yield "]}"


def _subject(resource: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    """The patient a QuestionnaireResponse is about, as the other resources refer to
    them: its pseudonym, or a Patient inside it (``#patient``) by its identifiers,
    since a reference into one resource's contained list cannot be followed from
    another."""
    subject = resource.get("subject")
    if not subject:
        return fallback
    if subject.get("reference") == "#patient":
        patient = resource["contained"][0]
        if not patient.get("identifier"):
            return fallback
        return {"type": "Patient", "identifier": patient["identifier"][0]}
    return dict(subject)


def _known_form(library: FormLibrary, form_hash: str) -> Form | None:
    """The form version with this hash, or None for one this service no longer holds
    (its answers stay in the database and in the anonymised CSV)."""
    try:
        return library.by_hash(form_hash)
    except UnknownFormError:
        return None
