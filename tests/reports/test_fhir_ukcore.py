"""UK Core codes in the FHIR export: the ethnic category of the clinic's nation,
referrals as ServiceRequest (SNOMED CT), triage as Task."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import FormLibrary
from kiosk.reports import fhir
from kiosk.reports.fhir_referrals import (
    REQUEST_STATUS,
    TASK_STATUS,
    referral_codes,
    service_request,
    triage_task,
)
from kiosk.reports.fhir_ukcore import national_codes, with_national_codes
from kiosk.reports.fhir_validation import FhirError
from kiosk.vocabulary import REFERRAL_KINDS, REFERRAL_OUTCOMES, TRIAGE_STATUSES

pytestmark = [pytest.mark.fhir, pytest.mark.export]

FORMS = Path(__file__).resolve().parents[2] / "forms"
LIBRARY = FormLibrary.load(FORMS)
ABOUT_YOU = LIBRARY.get("about_you")
ENGLAND = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland"
WALES = "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryWales"
SNOMED = "http://snomed.info/sct"
NHS = "9434765919"
SUBJECT = {"type": "Patient", "identifier": {"system": "urn:x", "value": "3f9a0c1e77b2d4a6"}}


def submission(identified: bool = True) -> dict[str, Any]:
    patient: dict[str, Any] = {"pseudonym": "3f9a0c1e77b2d4a6"}
    if identified:
        patient["nhs_number"] = NHS
    return {
        "id": "c0ffee00-1234-4bcd-9def-0123456789ab",
        "pseudonym": "a1b2c3d4e5f60718",
        "started_at": "2024-05-03T10:11:12+01:00",
        "status": "complete",
        "language": "en",
        "patient": patient,
    }


def response(answers: dict[str, Any], nation: str, identified: bool = True) -> dict[str, Any]:
    made = fhir.questionnaire_response(
        ABOUT_YOU, submission(identified), answers, identified=identified
    )
    recoded = with_national_codes(made, ABOUT_YOU, national_codes(nation))
    fhir.validate(recoded)
    return recoded


def answer_coding(resource: dict[str, Any], link_id: str) -> dict[str, Any]:
    [item] = [i for i in resource["item"] if i["linkId"] == link_id]
    [answer] = item["answer"]
    coding: dict[str, Any] = answer["valueCoding"]
    return coding


# ---------------------------------------------------------------- ethnic category


def test_an_ethnicity_answer_carries_the_england_code() -> None:
    coding = answer_coding(response({"ethnicity": "N"}, "england"), "ethnicity")
    assert coding == {
        "system": ENGLAND,
        "code": "N",
        "display": "Black or Black British - African",
    }


def test_a_welsh_site_sends_the_welsh_list_where_white_groups_are_one() -> None:
    irish = answer_coding(response({"ethnicity": "B"}, "wales"), "ethnicity")
    assert (irish["system"], irish["code"]) == (WALES, "A")
    chinese = answer_coding(response({"ethnicity": "R"}, "wales"), "ethnicity")
    assert chinese == {"system": WALES, "code": "R", "display": "Chinese"}


def test_not_wanting_to_answer_is_not_stated() -> None:
    coding = answer_coding(response({"ethnicity": "prefer_not"}, "england"), "ethnicity")
    assert (coding["system"], coding["code"], coding["display"]) == (ENGLAND, "Z", "Not stated")


def test_other_answers_keep_the_forms_own_codes() -> None:
    other = next(i for i in ABOUT_YOU.spec.items if i.id != "ethnicity" and i.options)
    assert other.options is not None
    code = other.options[0].code
    coding = answer_coding(response({"ethnicity": "A", other.id: code}, "england"), other.id)
    assert coding["system"] == f"{fhir.DEFAULT_BASE_URL}/CodeSystem/about_you-{other.id}"


def test_the_questionnaire_offers_the_national_codes() -> None:
    made = with_national_codes(fhir.questionnaire(ABOUT_YOU), ABOUT_YOU, national_codes("england"))
    fhir.validate(made)
    [item] = [i for i in made["item"] if i["linkId"] == "ethnicity"]
    codings = [o["valueCoding"] for o in item["answerOption"]]
    assert {c["system"] for c in codings} == {ENGLAND}
    assert [c["code"] for c in codings] == [*"ABCDEFGHJKLMNPRS", "Z"]
    # the form's own Questionnaire is untouched
    plain = fhir.questionnaire(ABOUT_YOU)
    [original] = [i for i in plain["item"] if i["linkId"] == "ethnicity"]
    assert ENGLAND not in json.dumps(original)


def test_every_ethnicity_option_has_a_code_in_both_nations() -> None:
    item = ABOUT_YOU.demographic_items["ethnic_category"]
    assert item.options is not None
    for nation in ("england", "wales"):
        codes = national_codes(nation)
        for option in item.options:
            assert codes.coding(option.code) is not None, (nation, option.code)


def test_an_unknown_nation_is_refused() -> None:
    with pytest.raises(FhirError, match="scotland"):
        national_codes("scotland")


# ---------------------------------------------------------------- referrals


def referral(kind: str = "social_prescriber", outcome: str = "awaiting") -> dict[str, Any]:
    return {"id": 7, "kind": kind, "referred_on": "2024-05-03", "outcome": outcome}


def test_a_social_prescribing_referral_is_a_service_request_in_snomed() -> None:
    made = service_request(referral(), SUBJECT, ["urn:uuid:1"], identified=True)
    fhir.validate(made)
    snomed = [c for c in made["code"]["coding"] if c["system"] == SNOMED]
    assert snomed == [
        {
            "system": SNOMED,
            "code": "871731000000106",
            "display": "Referral to social prescribing service",
        }
    ]
    assert (made["status"], made["intent"], made["authoredOn"]) == ("active", "order", "2024-05-03")
    assert made["reasonReference"] == [{"reference": "urn:uuid:1", "type": "QuestionnaireResponse"}]
    assert made["subject"] == SUBJECT


@pytest.mark.parametrize(
    ("kind", "code"), [("housing", "710911006"), ("gp", "183561008"), ("food_bank", None)]
)
def test_each_kind_has_its_checked_code_or_none(kind: str, code: str | None) -> None:
    made = service_request(referral(kind), SUBJECT, [], identified=False)
    fhir.validate(made)
    snomed = [c["code"] for c in made["code"]["coding"] if c["system"] == SNOMED]
    assert snomed == ([code] if code else [])
    assert made["code"]["coding"][-1]["code"] == kind  # our own kind, always


@pytest.mark.parametrize(
    ("outcome", "status"),
    [("accepted", "active"), ("attended", "completed"), ("declined", "revoked")],
)
def test_the_referral_outcome_sets_the_request_status(outcome: str, status: str) -> None:
    made = service_request(referral(outcome=outcome), SUBJECT, [], identified=False)
    assert made["status"] == status


def test_every_referral_outcome_and_triage_status_has_a_fhir_status() -> None:
    assert set(REQUEST_STATUS) == set(REFERRAL_OUTCOMES)
    assert set(TASK_STATUS) == set(TRIAGE_STATUSES)
    assert set(referral_codes()) <= set(REFERRAL_KINDS)


def test_an_anonymised_request_has_no_record_id_and_only_the_month() -> None:
    made = service_request(referral(), SUBJECT, [], identified=False)
    assert "identifier" not in made
    assert made["authoredOn"] == "2024-05"
    identified = service_request(referral(), SUBJECT, [], identified=True)
    assert identified["identifier"][0]["value"] == "7"


def test_an_unknown_referral_kind_is_refused() -> None:
    with pytest.raises(FhirError, match="kind"):
        service_request(referral("astrology"), SUBJECT, [], identified=False)


# ---------------------------------------------------------------- triage


@pytest.mark.parametrize(
    ("status", "task_status"),
    [("new", "requested"), ("in_review", "in-progress"), ("actioned", "completed")],
)
def test_triage_is_a_task_about_the_response(status: str, task_status: str) -> None:
    made = triage_task(
        {"status": status, "updated_at": "2024-05-04T09:00:00+00:00"},
        SUBJECT,
        "urn:uuid:1",
        identified=False,
    )
    fhir.validate(made)
    assert made["status"] == task_status
    assert made["businessStatus"]["coding"][0]["code"] == status
    assert made["focus"] == {"reference": "urn:uuid:1", "type": "QuestionnaireResponse"}
    assert made["for"] == SUBJECT
    assert made["authoredOn"] == "2024-05"


# ---------------------------------------------------------------- the clinic's export


def seed_staff_work(service: Any) -> tuple[str, str]:
    """Only a referral and a triage, for two of the seeded submissions; their ids."""
    from sqlalchemy import select

    from kiosk.clinic.models import Referral, Response, Submission, Triage

    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with service.transaction() as db:
        ids = list(
            db.scalars(
                select(Submission.id)
                .where(Submission.id.in_(select(Response.submission_id)))
                # a patient the identified export can name (ids are random: the lowest
                # could be an anonymous visit, with nobody to name)
                .where(Submission.patient_key.is_not(None))
                .order_by(Submission.id)
            )
        )
        first, second = ids[0], ids[1]
        db.query(Referral).delete()  # the seeded clinic's own staff work
        db.query(Triage).delete()
        db.add(
            Referral(
                submission_id=first,
                kind="social_prescriber",
                referred_on="2026-11-02",
                outcome="attended",
                version=1,
                created_by="user:clinician",
                created_at=now,
                updated_at=now,
            )
        )
        db.add(
            Triage(
                submission_id=second,
                status="in_review",
                version=1,
                updated_at=now,
                updated_by="user:clinician",
            )
        )
    return first, second


def export(service: Any, identified: bool) -> dict[str, Any]:
    from kiosk.clinic.exports.anonymity import ExportOptions
    from kiosk.clinic.exports.fhir import fhir_chunks

    options = ExportOptions("eval-2026", "Service evaluation of the kiosk")
    bundle: dict[str, Any] = json.loads(
        "".join(fhir_chunks(service, options, identified=identified))
    )
    fhir.validate(bundle)
    return bundle


def ethnicity_codings(bundle: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        if resource["resourceType"] == "QuestionnaireResponse":
            for item in resource.get("item", []):
                if item["linkId"] == "ethnicity":
                    out.extend(a["valueCoding"] for a in item["answer"])
    return out


def test_the_clinic_bundle_has_national_codes_referrals_and_triage(
    make_staff_clinic: Any,
) -> None:
    clinic = make_staff_clinic(None)
    seed_staff_work(clinic.service)
    bundle = export(clinic.service, identified=False)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for entry in bundle["entry"]:
        by_kind.setdefault(entry["resource"]["resourceType"], []).append(entry)
    full_urls = {e["fullUrl"] for e in by_kind["QuestionnaireResponse"]}
    [request] = [e["resource"] for e in by_kind["ServiceRequest"]]
    assert request["status"] == "completed"
    assert {"system": SNOMED, "code": "871731000000106"}.items() <= request["code"]["coding"][
        0
    ].items()
    assert {r["reference"] for r in request["reasonReference"]} <= full_urls
    [task] = [e["resource"] for e in by_kind["Task"]]
    assert task["status"] == "in-progress" and task["focus"]["reference"] in full_urls
    codings = ethnicity_codings(bundle)
    assert codings and {c["system"] for c in codings} == {ENGLAND}
    text = json.dumps(bundle)
    assert fhir.NHS_NUMBER_SYSTEM not in text and "user:clinician" not in text
    assert f"{fhir.DEFAULT_BASE_URL}/referral" not in text  # the clinic's record ids

    clinic.service.nation = "wales"
    welsh = export(clinic.service, identified=True)
    assert {c["system"] for c in ethnicity_codings(welsh)} == {WALES}
    [identified_request] = [
        e["resource"] for e in welsh["entry"] if e["resource"]["resourceType"] == "ServiceRequest"
    ]
    # The patient as the identified export names them: by NHS number, or by hospital
    # number for a patient the clinic list knows only by that (whichever was referred).
    subject = identified_request["subject"]["identifier"]
    assert subject["system"] in (fhir.NHS_NUMBER_SYSTEM, f"{fhir.DEFAULT_BASE_URL}/hospital-number")
    assert subject["value"]


def test_the_nation_is_a_clinic_setting(tmp_path: Path) -> None:
    from kiosk.clinic.config import ClinicConfig
    from kiosk.site.tomlfile import SettingsError

    settings = tmp_path / "clinic.toml"
    settings.write_text('[clinic]\nfolder = "c"\nnation = "wales"\n', encoding="utf-8")
    assert ClinicConfig.load(settings).nation == "wales"
    settings.write_text('[clinic]\nfolder = "c"\n', encoding="utf-8")
    assert ClinicConfig.load(settings).nation == "england"
    settings.write_text('[clinic]\nfolder = "c"\nnation = "cymru"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="nation"):
        ClinicConfig.load(settings)


def test_validation_refuses_a_request_or_task_status_fhir_does_not_have() -> None:
    made = service_request(referral(), SUBJECT, [], identified=False)
    with pytest.raises(FhirError, match="ServiceRequest: status: 'finished'"):
        fhir.validate(made | {"status": "finished"})
    task = triage_task(
        {"status": "new", "updated_at": "2024-05-04"}, SUBJECT, "urn:uuid:1", identified=False
    )
    with pytest.raises(FhirError, match="Task: intent: 'orders'"):
        fhir.validate(task | {"intent": "orders"})
