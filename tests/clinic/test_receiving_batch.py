"""What the clinic stores for a batch, row by row, against the engine's own scoring of
the same envelopes: a full cardiology visit (answers decrypted as the engine keeps
them, scores, bands, flags, urgency, triage, identifiers, audit), a batch with one bad
answer (held alone, the rest stored) and a batch where storing one item fails (stored
again item by item, that one held with the error). Envelopes come from an enrolled
tablet; the batches go straight to the receiving code, on SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kiosk.cli.demo_patients import DEMO_LICENCES, DEMO_PATIENTS, DemoTablet
from kiosk.clinic.models import AuditEntry, Flag, HeldSubmission, Response, Submission, Triage
from kiosk.clinic.scoring import urgency_of
from kiosk.clinic.service import ClinicService
from kiosk.clinic.setup import RunningServer
from kiosk.engine import FormLibrary
from kiosk.engine.answers import FREE_TEXT_TYPES
from kiosk.engine.sample import random_answers
from kiosk.envelope.envelope import open_envelope
from kiosk.journey import Journey
from kiosk.vocabulary import NO_FLAGS, URGENT
from tests.clinic.serve_processes import FORMS, clinic_in_thread
from tests.clinic.test_held_submissions import NOT_AN_OPTION, tampered_visit

pytestmark = pytest.mark.clinic
DEVICE = "batchtablet00001"


@dataclass
class Clinic:
    service: ClinicService
    running: RunningServer
    tablet: DemoTablet

    def queued(self) -> list[tuple[str, bytes]]:
        """Every visit the tablet has queued: here they go to the receiving code directly."""
        return [(i.submission_id, i.envelope) for i in self.tablet.store.pending()]

    def receive(self, items: list[tuple[str, bytes]]) -> list[dict[str, Any]]:
        batch = [(sid, base64.b64encode(envelope).decode()) for sid, envelope in items]
        return [r.to_json() for r in self.service.receiving.receive(DEVICE, batch)]


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[Clinic]:
    with clinic_in_thread(tmp_path, database_url) as (service, running):
        tablet = DemoTablet.enrol(
            running.url,
            service.issue_code("user:setup"),
            tmp_path / "tablet",
            FormLibrary.load(FORMS),
        )
        yield Clinic(service, running, tablet)
        tablet.close()


def full_cardiology_visit(tablet: DemoTablet, seed: int) -> str:
    """A linked cardiology visit with every enabled item answered at random (free text too)."""
    journey = Journey(tablet.store, tablet.library, "cardiology", DEMO_LICENCES)
    journey.link_patient({"method": "self_check_in", "nhs_number": "9434765919"})
    sid = journey.submission_id
    rng = random.Random(seed)
    for form in journey.forms:
        for item_id, value in random_answers(form, rng, skip=0.0).items():
            if item_id in journey.enabled_items(form.id):
                journey.answer(form.id, item_id, value)
    journey.submit()
    return sid


def expected(clinic: Clinic, envelope: bytes) -> dict[str, Any]:
    """What the clinic should store for ``envelope``: the engine's scoring of its answers."""
    opened = open_envelope(envelope, clinic.service.plumbing.keyring.private_keys())
    library = clinic.service.plumbing.library
    answers = opened.answers()
    responses, flags, raised = {}, set(), []
    for entry in opened.forms:
        form = library.by_hash(entry["hash"])
        given = answers.get(form.id, {})
        result = form.evaluate(given, strict=False)
        kept = {
            k: form.normalise(k, v) if form.items[k].type in FREE_TEXT_TYPES else v
            for k, v in given.items()
        }
        responses[form.id] = (dict(result.scores), dict(result.bands), kept, entry["version"])
        flags |= {(form.id, f.id, f.severity) for f in result.flags}
        raised += result.flags
    return {
        "responses": responses,
        "flags": flags,
        "urgency": urgency_of(raised),
        "link": opened.record("_link/patient"),
    }


def stored(clinic: Clinic, sid: str) -> dict[str, Any]:
    secrets = clinic.service.plumbing.secrets
    with clinic.service.transaction() as db:
        submission = db.get(Submission, sid)
        assert submission is not None, f"{sid} was not stored"
        triage = db.get(Triage, sid)
        assert triage is not None
        assert (triage.status, triage.version, triage.updated_by) == ("new", 0, "clinic")
        assert triage.updated_at == submission.received_at
        responses = {
            r.form_id: (
                json.loads(r.scores),
                json.loads(r.bands),
                secrets.open(r.answers, f"responses/{sid}/{r.form_id}"),
                r.form_version,
            )
            for r in db.scalars(select(Response).where(Response.submission_id == sid))
        }
        flags = {
            (f.form_id, f.flag_id, f.severity)
            for f in db.scalars(select(Flag).where(Flag.submission_id == sid))
        }
        return {
            "responses": responses,
            "flags": flags,
            "urgency": submission.urgency,
            "link": secrets.open(submission.identifiers, f"submissions/{sid}/identifiers"),
        }


def audit(clinic: Clinic) -> list[tuple[str | None, str]]:
    with clinic.service.transaction() as db:
        query = select(AuditEntry).where(AuditEntry.action == "submission")
        return [(a.target, a.outcome) for a in db.scalars(query.order_by(AuditEntry.id))]


def held(clinic: Clinic) -> list[tuple[str, str]]:
    with clinic.service.transaction() as db:
        query = select(HeldSubmission).order_by(HeldSubmission.id)
        return [(h.submission_id, h.reason) for h in db.scalars(query)]


def test_a_full_cardiology_batch_is_stored_as_the_engine_scores_it(clinic: Clinic) -> None:
    full = [full_cardiology_visit(clinic.tablet, seed) for seed in range(3)]
    urgent = clinic.tablet.answer(DEMO_PATIENTS[0])
    items = clinic.queued()

    results = clinic.receive(items)

    assert [(r["id"], r["status"]) for r in results] == [(sid, 201) for sid, _ in items]
    assert {sid for sid, _ in items} == {*full, urgent}
    for sid, envelope in items:
        assert stored(clinic, sid) == expected(clinic, envelope), sid
    assert stored(clinic, urgent)["urgency"] == URGENT
    assert audit(clinic) == [(sid, "stored") for sid, _ in items]
    assert held(clinic) == []
    # Free text was answered, so its cleaning is part of what was compared.
    texts = [
        answers["main_concern"]
        for sid in full
        for form_id, (_, _, answers, _) in stored(clinic, sid)["responses"].items()
        if form_id == "what_matters" and "main_concern" in answers
    ]
    assert texts and all(isinstance(t, str) and t == t.strip() for t in texts)


def test_one_bad_answer_in_a_batch_is_held_alone_and_the_rest_stored(clinic: Clinic) -> None:
    good = clinic.tablet.answer(DEMO_PATIENTS[0])
    bad = tampered_visit(clinic.tablet, answers=NOT_AN_OPTION)
    other = clinic.tablet.answer(DEMO_PATIENTS[1])
    items = clinic.queued()

    results = clinic.receive(items)

    assert [(r["id"], r["status"], r.get("held")) for r in results] == [
        (good, 201, None),
        (bad, 422, "invalid_answer"),
        (other, 201, None),
    ]
    envelopes = dict(items)
    for sid in (good, other):
        assert stored(clinic, sid) == expected(clinic, envelopes[sid])
    assert stored(clinic, good)["urgency"] != NO_FLAGS
    # Held first (as each item is judged), then the stored ones in the batch's order.
    assert audit(clinic) == [(bad, "invalid answer"), (good, "stored"), (other, "stored")]
    [(held_id, reason)] = held(clinic)
    assert held_id == bad and reason.startswith("invalid answer: what_matters")

    # Sent again: duplicates for the stored ones, the held one held again (one row).
    again = clinic.receive(items)
    assert [r["status"] for r in again] == [200, 422, 200]
    assert len(held(clinic)) == 1
    assert audit(clinic)[3:] == [(good, "duplicate"), (bad, "invalid answer"), (other, "duplicate")]


def test_an_item_failing_to_store_is_held_and_the_batch_stored_item_by_item(
    clinic: Clinic,
) -> None:
    good = clinic.tablet.answer(DEMO_PATIENTS[0])
    bad = tampered_visit(clinic.tablet, summary=["not", "a", "summary"])
    other = clinic.tablet.answer(DEMO_PATIENTS[1])
    items = clinic.queued()

    results = clinic.receive(items)

    assert [(r["id"], r["status"], r.get("held")) for r in results] == [
        (good, 201, None),
        (bad, 422, "error"),
        (other, 201, None),
    ]
    envelopes = dict(items)
    for sid in (good, other):
        assert stored(clinic, sid) == expected(clinic, envelopes[sid])
    with clinic.service.transaction() as db:
        assert db.get(Submission, bad) is None
        assert list(db.scalars(select(Response).where(Response.submission_id == bad))) == []
    assert audit(clinic) == [(good, "stored"), (bad, "error"), (other, "stored")]
    assert held(clinic) == [(bad, "error: AttributeError")]
