"""The anonymised export, from a clinic seeded through the real tablet path with
canary values in NHS numbers, names, postcodes and free text: no canary leaves
unless it was explicitly included. Pseudonyms, IMD from a synthetic lookup,
dates, appointments, roles and the audit trail."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from stdnum.gb import nhs

from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoPatient, demo_list_csv
from kiosk.clinic.exports.anonymity import ExportError, ExportOptions
from kiosk.clinic.exports.audit import start_export
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.imd import import_lookup
from kiosk.clinic.models import AuditEntry
from kiosk.clinic.scrub import scrub
from kiosk.console.client import Forbidden

pytestmark = [pytest.mark.clinic, pytest.mark.export]
ROOT = Path(__file__).resolve().parents[2]


def valid_nhs(stem: str) -> str:
    """The first valid NHS number starting with ``stem`` (8 digits)."""
    for tail in range(100):
        candidate = f"{stem[:8]}{tail:02d}"
        if nhs.is_valid(candidate):
            return candidate
    raise AssertionError("no valid NHS number")


CANARY_NHS = valid_nhs("738291460")
CANARY_HOSPITAL = "CANARYHOSP9"
CANARY_FAMILY, CANARY_GIVEN = "Zyxcanaryfamily", "Qwcanarygiven"
CANARY_BORN = "1947-02-13"
CANARY_POSTCODE = "ZE2 9QJ"
CANARY_WORDS = "Marmalade-canary-phrase"
PHONE, EMAIL, TEXT_NHS = "07700 900123", "canary.person@example.org", "943 476 5919"
FREE_TEXT = f"{CANARY_WORDS}: call me on {PHONE} or {EMAIL}, NHS {TEXT_NHS}, home {CANARY_POSTCODE}"
CANARIES = (
    CANARY_NHS,
    CANARY_HOSPITAL,
    CANARY_FAMILY,
    CANARY_GIVEN,
    CANARY_BORN,
    CANARY_POSTCODE,
    CANARY_POSTCODE.replace(" ", ""),
    CANARY_WORDS,
    PHONE,
    EMAIL,
    TEXT_NHS,
    TEXT_NHS.replace(" ", ""),
    "1947",
)
PURPOSE = "Quarterly evaluation for the trust board"


def canary_patient(key: str, pathway: str, answers: dict[str, Any]) -> DemoPatient:
    return DemoPatient(
        key=key,
        pathway=pathway,
        nhs_number=CANARY_NHS,
        hospital_number=CANARY_HOSPITAL,
        appointment_id="CANARY-1",
        clinic="Pain clinic",
        time="14:00",
        answers=answers,
    )


BASELINE = canary_patient(
    "canary_baseline",
    "pain",
    {
        "what_matters": {"main_concern": FREE_TEXT, "own_question": f"Ask {EMAIL}"},
        "social_welfare": {
            "ends_meet": "yes",
            "missed_meal": "no",
            "stable_housing": "yes",
            "support_network": "yes",
            "feel_unsafe": "no",
            "carer_impact": "no",
            "wants_help": "yes",
        },
        "ons4": {"life_satisfaction": 3, "worthwhile": 4, "happiness": 3, "anxiety": 8},
        "mycaw": {"concern_1": f"{CANARY_WORDS} pain", "concern_1_score": 5, "wellbeing": 5},
        "semcd6": {
            "fatigue": 2,
            "pain": 3,
            "emotional_distress": 2,
            "other_symptoms": 3,
            "tasks": 2,
            "non_drug": 3,
        },
        "about_you": {
            "ethnicity": "K",
            "postcode": CANARY_POSTCODE,
            "year_of_birth": 1947,
            "sex": "female",
            "preferred_language": "Bengali",
            "interpreter": "yes",
            "carer": "no",
        },
    },
)
FOLLOW_UP = dataclasses.replace(
    BASELINE,
    key="canary_followup",
    pathway="pain_followup",
    appointment_id="CANARY-2",
    baselines={
        "mycaw_followup": {
            "concern_1": f"{CANARY_WORDS} pain",
            "concern_1_score": 5,
            "wellbeing": 5,
        }
    },
    answers={
        "what_matters": {"main_concern": "Better now"},
        "mycaw_followup": {"concern_1_score": 2, "wellbeing": 3},
        "ons4": {"life_satisfaction": 6, "worthwhile": 6, "happiness": 6, "anxiety": 4},
        "semcd6": {
            "fatigue": 6,
            "pain": 6,
            "emotional_distress": 6,
            "other_symptoms": 6,
            "tasks": 6,
            "non_drug": 6,
        },
    },
)
LIST = demo_list_csv().replace(
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,"
    "pathway",
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,"
    "pathway,postcode,ethnicity",
).replace(",cardiology\n", ",cardiology,,\n").replace(",pain\n", ",pain,E1 6AN,A\n").replace(
    ",pain_followup\n", ",pain_followup,,\n"
) + (
    f"CANARY-1,14:00,Pain clinic,{CANARY_FAMILY},{CANARY_GIVEN},{CANARY_BORN},{CANARY_NHS},"
    f"{CANARY_HOSPITAL},pain,{CANARY_POSTCODE},K\n"
)
LOOKUP = (
    "pcds,lsoa11,imd\n"  # an NSPL-style file: the English IMD rank
    f"{CANARY_POSTCODE},E01000001,1200\n"  # rank 1200 of 32,844: decile 1
    "E1 6AN,E01000002,30000\n"  # decile 10
    "EH1 1AA,S01000001,\n"  # Scotland: no English IMD
)


@pytest.fixture
def clinic(make_staff_clinic: Callable[..., Any], database_url: str, tmp_path: Path) -> Any:
    seeded = make_staff_clinic(database_url)
    lookup = tmp_path / "nspl.csv"
    lookup.write_text(LOOKUP, encoding="utf-8")
    report = import_lookup(seeded.service, lookup, "user:admin")
    assert (report.postcodes, report.skipped) == (2, 1)
    seeded.service.set_clinic_list(dt.date.today(), LIST, "user:admin")
    seeded.send(BASELINE, FOLLOW_UP)
    return seeded


def export(clinic: Any, **options: Any) -> tuple[list[dict[str, str]], str]:
    chosen = ExportOptions(**{"project": "eval-2026", "purpose": PURPOSE, **options})
    exporter = start_export(clinic.service, chosen, "user:admin")
    assert exporter.run is not None
    text = "".join(exporter.run.csv(exporter))
    return list(csv.DictReader(io.StringIO(text))), text + exporter.dictionary()


@pytest.mark.control("H-17-C1")
def test_no_canary_leaves_and_free_text_only_when_asked(clinic: Any) -> None:
    rows, everything = export(clinic)
    assert len(rows) == len(DEMO_PATIENTS) + 2
    for canary in CANARIES:
        assert canary not in everything, canary
    assert not any(column.startswith("what_matters.main") for column in rows[0])
    assert "mycaw.concern_1" not in rows[0]  # the concern's words are free text
    # Asked for: the words come, scrubbed of numbers, emails and postcodes.
    rows, everything = export(clinic, include_free_text=True)
    assert CANARY_WORDS in everything
    for canary in set(CANARIES) - {CANARY_WORDS, "1947"}:
        assert canary not in everything, canary
    baseline = next(r for r in rows if r["what_matters.main_concern"].startswith(CANARY_WORDS))
    assert baseline["what_matters.main_concern"] == (
        f"{CANARY_WORDS}: call me on [removed] or [removed], NHS [removed], home [removed]"
    )
    assert "**This export contains free text**" in everything


@pytest.mark.control("H-17-C1")
def test_rows_carry_derived_not_identifying_values(clinic: Any) -> None:
    rows, _ = export(clinic)
    ours = [r for r in rows if r["clinic"] == "Pain clinic" and r["imd_decile"] == "1"]
    assert len(ours) == 1  # the baseline visit answered the postcode
    first = ours[0]
    assert first["age_band"] == "75-84"
    assert (first["ethnicity"], first["ethnic_group"], first["imd_quintile"]) == ("K", "Asian", "1")
    assert (first["screened"], first["screen_positive"], first["wants_help"]) == ("1", "1", "1")
    assert first["financial_hardship"] == "1"
    assert first["ons4.life_satisfaction"] == "3" and first["semcd6.semcd_mean"] == "2.5"
    assert first["visit"] == "1" and first["period"] == dt.date.today().isoformat()[:7]
    assert first["date"] == ""
    follow = next(r for r in rows if r["patient"] == first["patient"] and r["visit"] == "2")
    assert follow["mycaw_followup.concern_1_score"] == "2"
    assert follow["mycaw_followup.concern_1_change"] == "3"
    assert follow["screened"] == "0" and follow["screen_positive"] == ""
    anonymous = [r for r in rows if r["link_method"] == "anonymous"]
    assert len(anonymous) == 1 and anonymous[0]["patient"] == "" and anonymous[0]["visit"] == ""


@pytest.mark.control("H-17-C2")
def test_pseudonyms_are_stable_in_a_project_and_differ_across_projects(clinic: Any) -> None:
    first, _ = export(clinic)
    again, _ = export(clinic)
    other, _ = export(clinic, project="audit-2027")
    assert [r["patient"] for r in first] == [r["patient"] for r in again]
    assert [r["submission"] for r in first] == [r["submission"] for r in again]
    assert not {r["submission"] for r in first} & {r["submission"] for r in other}
    assert not ({r["patient"] for r in first} - {""}) & ({r["patient"] for r in other} - {""})
    # Two visits of one patient share a pseudonym; different patients do not.
    patients = [r["patient"] for r in first if r["patient"]]
    assert len(set(patients)) == len(patients) - 2  # demo pain patient and canary: 2 visits


@pytest.mark.control("H-17-C6")
def test_shifted_dates_keep_each_patients_intervals(clinic: Any) -> None:
    rows, _ = export(clinic, shift_dates=True)
    today = dt.date.today()
    shifts: dict[str, set[int]] = {}
    for row in rows:
        moved = (dt.date.fromisoformat(row["date"]) - today).days
        shifts.setdefault(row["patient"] or row["submission"], set()).add(moved)
    # Every visit of one patient moves by the same offset (both answered today).
    assert all(len(offsets) == 1 for offsets in shifts.values())
    assert max(len(r) for r in [[x for x in rows if x["patient"] == p] for p in shifts]) == 2
    offsets = [next(iter(o)) for o in shifts.values()]
    assert all(-180 <= o <= 180 for o in offsets)
    assert len(set(offsets)) > 1  # and patients differ


def test_appointments_are_counted_by_group(clinic: Any) -> None:
    from kiosk.clinic.imd import appointments_csv

    with clinic.service.transaction() as db:
        counts = list(csv.DictReader(io.StringIO(appointments_csv(db))))
    period = dt.date.today().isoformat()[:7]
    pain = {
        (r["imd_quintile"], r["ethnic_group"]): r["appointments"]
        for r in counts
        if r["clinic"] == "Pain clinic"
    }
    assert pain == {("1", "Asian"): "1", ("5", "White"): "1", ("", "Not stated"): "1"}
    assert all(r["period"] == period for r in counts)
    assert CANARY_FAMILY not in appointments_csv.__doc__ + str(counts)


@pytest.mark.control("H-17-C5")
def test_exports_are_audited_with_who_what_and_why(clinic: Any) -> None:
    rows, _text = export(clinic, include_free_text=True)
    with clinic.service.transaction() as db:
        started, finished = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)
        ).all()
    assert (started.actor, started.outcome) == ("user:admin", "started: anonymised_csv")
    assert started.target == "project eval-2026 with free text"
    assert started.detail == f"purpose: {PURPOSE}"
    assert (finished.outcome, finished.detail) == ("ok: anonymised_csv", f"{len(rows)} rows")
    with pytest.raises(ExportError, match="say why"):
        Exporter(clinic.service, ExportOptions("eval-2026", "because"))
    with pytest.raises(ExportError, match="project name"):
        Exporter(clinic.service, ExportOptions("../etc", PURPOSE))


@pytest.mark.control("H-17-C5")
def test_only_administrators_export_over_https(clinic: Any, tmp_path: Path) -> None:
    with clinic.client("clinician") as clinician, pytest.raises(Forbidden):
        clinician.export_anonymised(tmp_path / "x.csv", "eval-2026", PURPOSE)
    assert not (tmp_path / "x.csv").exists()
    with clinic.client("admin") as admin:
        size = admin.export_anonymised(tmp_path / "a.csv", "eval-2026", PURPOSE)
        admin.export_dictionary(tmp_path / "d.md", "eval-2026")
        admin.export_appointments(tmp_path / "p.csv")
    text = (tmp_path / "a.csv").read_text(encoding="utf-8")
    assert size == len(text.encode()) and text.startswith("submission,patient,visit,period")
    assert text == "".join(export(clinic)[1].partition("# Data dictionary")[0])
    assert "| `imd_quintile` |" in (tmp_path / "d.md").read_text(encoding="utf-8")
    assert (tmp_path / "p.csv").read_text().startswith("period,clinic,imd_quintile")


def test_free_text_cannot_run_as_a_spreadsheet_formula() -> None:
    from kiosk.clinic.exports.anonymity import answer_cell as _cell

    assert _cell('=HYPERLINK("http://x")', free_text=True) == '\'=HYPERLINK("http://x")'
    assert _cell("@SUM(A1)", free_text=True) == "'@SUM(A1)"
    assert _cell("-2 days of pain", free_text=True) == "'-2 days of pain"
    assert _cell("I feel fine", free_text=True) == "I feel fine"


@pytest.mark.control("H-17-C3")
def test_scrub_catches_the_usual_shapes() -> None:
    assert scrub("ring +44 7700 900123 or 020 7946 0958") == "ring [removed] or [removed]"
    assert scrub("nhs 9434765919 at sw1a 1aa") == "nhs [removed] at [removed]"
    assert scrub("a.b-c@nhs.net wrote") == "[removed] wrote"
    assert scrub("I walk 10000 steps, at 9:30, 2 times") == "I walk 10000 steps, at 9:30, 2 times"


def test_the_command_line_exports_and_imports(clinic: Any, tmp_path: Path) -> None:
    folder = Path(clinic.certificate).parent
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(b"a clinic passphrase for tests")
    database = str(clinic.service.engine.url.render_as_string(hide_password=False))
    base = [sys.executable, "-m", "kiosk"]
    lookup = tmp_path / "lookup.csv"
    lookup.write_text("postcode,lsoa,imd_decile\nE1 6AN,E01000002,3\n", encoding="utf-8")
    done = subprocess.run(
        [*base, "imd", "import", str(lookup), "--clinic", str(folder), "--database", database],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "1 postcodes loaded" in done.stdout
    common = [
        str(folder),
        "--passphrase-file",
        str(passphrase),
        "--database",
        database,
        "--purpose",
        PURPOSE,
        "--out",
        str(tmp_path / "out"),
    ]
    refused = subprocess.run(
        [*base, "export", "anonymised", *common, "--user", "clinician", "--project", "p1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2
    assert refused.stderr.strip() == "kiosk: clinician is not an administrator of this clinic"
    done = subprocess.run(
        [*base, "export", "anonymised", *common, "--user", "admin", "--project", "p1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(DEMO_PATIENTS) + 2} rows written" in done.stdout
    written = (tmp_path / "out" / "p1-anonymised.csv").read_text(encoding="utf-8")
    for canary in CANARIES:
        assert canary not in written
    assert (tmp_path / "out" / "p1-dictionary.md").exists()


@pytest.mark.control("H-17-C7")
def test_fhir_bundles_validate_and_carry_identifiers_only_when_identified(clinic: Any) -> None:
    import json

    from kiosk.clinic.exports.fhir import fhir_chunks
    from kiosk.reports.fhir import NHS_NUMBER_SYSTEM, validate

    options = ExportOptions("eval-2026", PURPOSE)
    start_export(clinic.service, options, "user:admin", what="fhir_anonymised")
    text = "".join(fhir_chunks(clinic.service, options, identified=False))
    anonymised = json.loads(text)
    validate(anonymised)
    kinds = [e["resource"]["resourceType"] for e in anonymised["entry"]]
    responses = [
        e["resource"]
        for e in anonymised["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    ]
    # the forms and answers, and what staff did about them (triage, referrals)
    assert {"Questionnaire", "QuestionnaireResponse"} <= set(kinds)
    assert set(kinds) <= {"Questionnaire", "QuestionnaireResponse", "Task", "ServiceRequest"}
    # One response per form of every submission (the demo patients and the canaries).
    with clinic.service.transaction() as db:
        from kiosk.clinic.models import Response

        assert len(responses) == db.query(Response).count()
    for canary in CANARIES:
        assert canary not in text, canary
    assert NHS_NUMBER_SYSTEM not in text
    identified_options = ExportOptions("eval-2026", "Send to the clinical record system")
    run = start_export(clinic.service, identified_options, "user:admin", what="fhir_identified").run
    assert run is not None
    identified = "".join(run.fhir(fhir_chunks(clinic.service, identified_options, identified=True)))
    bundle = json.loads(identified)
    validate(bundle)
    assert CANARY_NHS in identified and NHS_NUMBER_SYSTEM in identified
    with clinic.service.transaction() as db:
        started, finished = db.scalars(
            select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id.desc())
        ).all()[1::-1]
    assert started.outcome == "started: fhir_identified"
    assert started.detail == "purpose: Send to the clinical record system"
    assert (finished.outcome, finished.detail) == (
        "ok: fhir_identified",
        f"{len(bundle['entry'])} entries",
    )


def test_fhir_over_https_for_administrators(clinic: Any, tmp_path: Path) -> None:
    import json

    from kiosk.reports.fhir import validate

    with clinic.client("admin") as admin:
        admin.export_fhir(tmp_path / "b.json", "eval-2026", PURPOSE)
    validate(json.loads((tmp_path / "b.json").read_text(encoding="utf-8")))
    with clinic.client("linkworker") as worker, pytest.raises(Forbidden):
        worker.export_fhir(tmp_path / "c.json", "eval-2026", PURPOSE, identified=True)
    assert not (tmp_path / "c.json").exists()


def test_the_board_report_agrees_with_the_exported_csv(clinic: Any, tmp_path: Path) -> None:
    from kiosk.console.client import BadRequest
    from kiosk.reports.board import suppress_count

    more = [dataclasses.replace(p, key=f"{p.key}-{n}") for n in range(3) for p in DEMO_PATIENTS]
    clinic.send(*more)
    month = dt.date.today().isoformat()[:7]
    with clinic.client("admin") as admin:
        admin.board_report(tmp_path / "r.csv", "eval-2026", month, month, kind="csv")
        admin.board_report(tmp_path / "r.pdf", "eval-2026", month, month)
        with pytest.raises(BadRequest, match="2026-13"):
            admin.board_report(tmp_path / "bad.csv", "eval-2026", "2026-13", "2026-13", kind="csv")
        admin.export_anonymised(tmp_path / "a.csv", "eval-2026", PURPOSE)
    with clinic.client("clinician") as clinician, pytest.raises(Forbidden):
        clinician.board_report(tmp_path / "x.pdf", "eval-2026", month, month)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    with (tmp_path / "r.csv").open(encoding="utf-8", newline="") as handle:
        published = {
            (r["section"], r["group_by"], r["group"], r["measure"]): r["value"]
            for r in csv.DictReader(handle)
            if r["statistic"] == "count"
        }
    rows = list(csv.DictReader(io.StringIO((tmp_path / "a.csv").read_text(encoding="utf-8"))))
    assert len(rows) == len(DEMO_PATIENTS) * 4 + 2
    recount = {
        "started": len(rows),
        "completed": sum(r["complete"] == "1" for r in rows),
        "screened": sum(r["screened"] == "1" for r in rows),
        "screen_positive": sum(r["screen_positive"] == "1" for r in rows),
        "wants_help": sum(r["wants_help"] == "1" for r in rows),
        "triaged": sum(r["triaged"] == "1" for r in rows),
    }
    for measure, count in recount.items():
        assert published[("funnel", "all", "all", measure)] == suppress_count(count), measure
    assert published[("funnel", "all", "all", "started")] == "30"  # 30 rows: a multiple of 5


def test_each_row_says_its_route_and_never_who_entered_it(clinic: Any) -> None:
    """A session a member of staff completed with the patient on the tablet is
    ``assisted``, a keyed-in paper form ``paper``, the rest ``tablet``; the staff
    name stored with them is in no cell and not in the data dictionary."""
    from kiosk.cli.demo_patients import DEMO_LICENCES
    from kiosk.clinic.exports.anonymity import Pseudonyms
    from kiosk.clinic.models import Submission
    from kiosk.journey.journey import Journey
    from kiosk.vocabulary import ASSISTED, PAPER, RECEPTION, TABLET

    staff = "Jo Zyxcanarystaff"
    routine = next(p for p in DEMO_PATIENTS if p.key == "routine")
    tablet = clinic.tablet
    journey = Journey(tablet.store, tablet.library, routine.pathway, DEMO_LICENCES)
    journey.link_patient(
        {
            "method": RECEPTION,
            "appointment_id": routine.appointment_id,
            "clinic": routine.clinic,
            "time": routine.time,
            "hospital_number": routine.hospital_number,
        }
    )
    journey.assisted_by(staff)
    for form in journey.forms:
        for item_id, value in routine.answers.get(form.id, {}).items():
            if item_id in journey.enabled_items(form.id):
                journey.answer(form.id, item_id, value)
    assisted = journey.submission_id
    journey.submit()
    tablet.sync()
    # A paper form as the console stores it: the route and who keyed it in.
    paper = clinic.ids["no_flags"]
    with clinic.service.transaction() as db:
        row = db.get(Submission, paper)
        row.route, row.entered_by = PAPER, staff

    rows, everything = export(clinic)
    pseudonym = Pseudonyms(clinic.service.secrets.export_key, "eval-2026").of
    routes = {r["submission"]: r["route"] for r in rows}
    assert routes[pseudonym("submission", assisted)] == ASSISTED
    assert routes[pseudonym("submission", paper)] == PAPER
    others = set(routes) - {pseudonym("submission", s) for s in (assisted, paper)}
    assert len(others) == len(DEMO_PATIENTS) + 1
    assert {routes[s] for s in others} == {TABLET}
    assert list(rows[0]).index("route") == list(rows[0]).index("link_method") + 1
    assert "Zyxcanarystaff" not in everything
    assert "| `route` | tablet (the patient on the tablet), assisted" in everything
