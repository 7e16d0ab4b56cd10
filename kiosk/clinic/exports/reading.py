"""The database side of the anonymised CSV: submissions in export order (patient, then
time), a batch at a time, each batch with what its rows show: answers opened, scores,
flags, triage status, referrals and the IMD deciles of its postcodes.

Rows are read as plain tuples through the session's connection, never as ORM
objects, so nothing accumulates as the export streams and no per-row object is
built that the CSV does not need. A batch is dropped once its rows are written:
memory stays flat however many submissions there are.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic.exports.anonymity import ExportFacts
from kiosk.clinic.imd import deciles_for
from kiosk.clinic.models import Flag, Referral, Response, Submission, Triage
from kiosk.clinic.scope import within
from kiosk.engine.answers import PREFER_NOT

if TYPE_CHECKING:
    from kiosk.clinic.plumbing import Core as ClinicService

BATCH = 1000
# Scores are stored as JSON text and the same few texts recur across many
# submissions; decoded ones are kept, up to this many, and never changed.
_SCORE_TEXTS = 4096

Answers = dict[str, dict[str, Any]]  # form id -> item id -> answer


def _by_submission(columns: Sequence[Any], order: Any = None) -> str:
    """SQL for some columns of one table's rows of the submissions in ``{ids}``."""
    table = columns[0].table.name
    names = ", ".join(c.name for c in columns)
    # Names from the models, ids bound as parameters.
    sql = f"SELECT {names} FROM {table} WHERE submission_id IN ({{ids}})"  # noqa: S608
    return sql if order is None else f"{sql} ORDER BY {order.name}"


_R, _F, _T, _X = (m.__table__.c for m in (Response, Flag, Triage, Referral))
_RESPONSES = _by_submission((_R.submission_id, _R.form_id, _R.scores, _R.answers))
_FLAGS = _by_submission((_F.submission_id, _F.flag_id))
_TRIAGE = _by_submission((_T.submission_id, _T.status))
_REFERRALS = _by_submission((_X.submission_id, _X.kind, _X.outcome), order=_X.id)


def _mark(connection: Any) -> str:
    """The driver's placeholder: "?" for sqlite3, "%s" for psycopg."""
    return "?" if connection.dialect.paramstyle == "qmark" else "%s"


# Submission columns, in this order, in each tuple of Batch.submissions.
SUBMISSION = (
    Submission.id,
    Submission.patient_key,
    Submission.started_at,
    Submission.day,
    Submission.clinic,
    Submission.pathway,
    Submission.language,
    Submission.link_method,
    Submission.route,
    Submission.status,
)


@dataclass(frozen=True)
class Batch:
    """Up to BATCH submissions, and what the CSV shows of each (keyed by submission id)."""

    submissions: Sequence[Any]
    answers: dict[str, Answers]  # every submission of the batch, {} if it has no response
    scores: dict[str, Answers]
    flags: dict[str, list[str]]  # only submissions with flags
    triage: dict[str, str]  # only submissions triaged (no row: "new")
    referrals: dict[str, list[str]]  # only submissions with referrals
    deciles: dict[str, int]


class BatchReader:
    """Reads the submissions of some clinics (None: all) in export order, in batches."""

    def __init__(
        self, service: ClinicService, clinics: tuple[str, ...] | None, facts: ExportFacts
    ) -> None:
        self.service = service
        self.clinics = clinics
        self.facts = facts
        self._scores: dict[str, dict[str, Any]] = {}
        self._open_all = service.secrets.batch_opener()

    def batches(self) -> Iterator[Batch]:
        query = (
            select(*SUBMISSION)
            .where(within(self.clinics))
            .order_by(Submission.patient_key, Submission.started_at, Submission.id)
        )
        with self.service.transaction() as db:
            connection = db.connection()
            result = connection.execute(query.execution_options(yield_per=BATCH))
            for chunk in result.partitions(BATCH):
                yield self._batch(db, connection, chunk)

    def _batch(self, db: Any, connection: Any, chunk: Sequence[Any]) -> Batch:
        ids = [s[0] for s in chunk]
        # Four look-ups by submission id per batch, through the driver's own cursor:
        # half a million small rows a million submissions, plain tuples are enough.
        cursor = connection.connection.cursor()
        marks = ", ".join([_mark(connection)] * len(ids))

        def rows(sql: str) -> list[Any]:
            cursor.execute(sql.format(ids=marks), ids)
            return list(cursor.fetchall())

        responses = rows(_RESPONSES)
        # The batch's answers opened together: one decryption each, one JSON parse in all.
        opened = self._open_all([(r[3], f"responses/{r[0]}/{r[1]}") for r in responses])
        answers: dict[str, Answers] = {sid: {} for sid in ids}
        scores: dict[str, Answers] = {sid: {} for sid in ids}
        decoded = self._scores
        for (sid, form_id, score_text, _sealed), values in zip(responses, opened, strict=True):
            answers[sid][form_id] = values if isinstance(values, dict) else {}
            score = decoded.get(score_text)
            if score is None:
                score = self._decoded(score_text)
            scores[sid][form_id] = score
        flags: dict[str, list[str]] = {}
        for sid, flag_id in rows(_FLAGS):
            if sid in flags:
                flags[sid].append(flag_id)
            else:
                flags[sid] = [flag_id]
        triage = dict(rows(_TRIAGE))
        referrals: dict[str, list[str]] = {}
        for sid, kind, outcome in rows(_REFERRALS):
            referrals.setdefault(sid, []).append(f"{kind}:{outcome}")
        cursor.close()
        postcodes = [self.facts.answer(a, "home_postcode") for a in answers.values()]
        wanted = [p for p in postcodes if isinstance(p, str) and p != PREFER_NOT]
        deciles = deciles_for(db, wanted) if wanted else {}
        return Batch(chunk, answers, scores, flags, triage, referrals, deciles)

    def _decoded(self, text: str) -> dict[str, Any]:
        if len(self._scores) >= _SCORE_TEXTS:
            self._scores.clear()
        decoded: dict[str, Any] = json.loads(text)
        self._scores[text] = decoded
        return decoded
