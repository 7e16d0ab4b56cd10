"""The FHIR R4 export: a Bundle (collection) streamed from the database, anonymised
(the project's pseudonyms, identifying answers withheld as the forms declare them)
or identified (with the NHS number). The resources are made in kiosk.reports.fhir.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic.exports.anonymity import ExportOptions, Pseudonyms
from kiosk.clinic.models import Response, Submission
from kiosk.clinic.scope import within
from kiosk.engine import Form, FormLibrary, UnknownFormError
from kiosk.reports.fhir import questionnaire, questionnaire_response

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
    used, then a QuestionnaireResponse per submission and form. Anonymised, the
    subject is the project's patient pseudonym and free text is left out unless
    asked for; identified, it carries the NHS number (a stated purpose is needed
    for either, and both are audited by ``exports.audit.start_export``)."""
    pseudonyms = Pseudonyms(service.secrets.export_key, options.project)
    library = service.library
    free_text = identified or options.include_free_text

    def entry(resource: dict[str, Any]) -> str:
        return json.dumps({"fullUrl": f"urn:uuid:{uuid.uuid4()}", "resource": resource})

    yield '{"resourceType":"Bundle","type":"collection","entry":['
    first = True
    with service.transaction() as db:
        hashes = [h for (h,) in db.execute(select(Response.form_hash).distinct())]
        for form_hash in sorted(hashes):
            form = _known_form(library, form_hash)
            if form is None:
                continue
            yield ("" if first else ",") + entry(questionnaire(form))
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
                    yield ("" if first else ",") + entry(resource)
                    first = False
    yield "]}"


def _known_form(library: FormLibrary, form_hash: str) -> Form | None:
    """The form version with this hash, or None for one this service no longer holds
    (its answers stay in the database and in the anonymised CSV)."""
    try:
        return library.by_hash(form_hash)
    except UnknownFormError:
        return None
