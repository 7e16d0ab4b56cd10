"""The anonymised CSV (docs/exports.md): one row per submission, streamed from the
database a chunk at a time. Its columns are the fixed ones, then every question
and score of the loaded forms; what a row may show is decided in ``anonymity``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from kiosk.clinic.exports.anonymity import (
    FREE_TEXT_TYPES,
    ExportFacts,
    ExportOptions,
    Pseudonyms,
    age_band,
    answer_cell,
)
from kiosk.clinic.exports.dictionary import data_dictionary
from kiosk.clinic.imd import NOT_STATED, compact_postcode, deciles_for, ethnic_group, quintile
from kiosk.clinic.models import Flag, Referral, Response, Submission, Triage
from kiosk.clinic.scope import within
from kiosk.engine import FormLibrary
from kiosk.engine.answers import PREFER_NOT
from kiosk.reports.csv_cells import safe_mapping

if TYPE_CHECKING:
    from kiosk.clinic.exports.run import ExportRun
    from kiosk.clinic.plumbing import Core as ClinicService

FIXED_COLUMNS = (
    "submission",
    "patient",
    "visit",
    "period",
    "date",
    "clinic",
    "pathway",
    "language",
    "link_method",
    "route",
    "complete",
    "age_band",
    "sex",
    "ethnicity",
    "ethnic_group",
    "imd_decile",
    "imd_quintile",
    "screened",
    "screen_positive",
    "wants_help",
    "financial_hardship",
    "flags",
    "triage_status",
    "triaged",
    "referred",
    "referrals",
)
_CHUNK = 1000


class Exporter:
    """Columns from the library; rows streamed from the database, a chunk at a time."""

    def __init__(self, service: ClinicService, options: ExportOptions) -> None:
        options.check()
        self.service = service
        self.options = options
        self.library: FormLibrary = service.library
        self.pseudonyms = Pseudonyms(service.secrets.export_key, options.project)
        self.facts = ExportFacts.of(self.library)
        self.instrument = self._instrument_columns()
        self.free_text = frozenset(
            f"{form.id}.{item.id}"
            for form in self.library.forms()
            for item in form.spec.items
            if item.type in FREE_TEXT_TYPES
        )
        self.columns = FIXED_COLUMNS + tuple(name for name, _f, _k, _i in self.instrument)
        self.rows_written = 0
        self.run: ExportRun | None = None  # set by start_export

    def _instrument_columns(self) -> list[tuple[str, str, str, str]]:
        """(column, form id, "answer" | "score", item or score id), in form order."""
        out: list[tuple[str, str, str, str]] = []
        for form in self.library.forms():
            for item in form.spec.items:
                if item.type == "info" or item.demographic is not None:
                    continue
                if item.type in FREE_TEXT_TYPES and not self.options.include_free_text:
                    continue
                out.append((f"{form.id}.{item.id}", form.id, "answer", item.id))
            for score in form.spec.scores:
                out.append((f"{form.id}.{score.id}", form.id, "score", score.id))
        return out

    # ------------------------------------------------------------ rows
    def rows(self) -> Iterator[dict[str, Any]]:
        """Every submission as an export row, ordered by patient then time."""
        # Plain rows, not ORM objects: nothing accumulates in the session as it streams.
        query = select(
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
        query = query.where(within(self.options.clinics)).order_by(
            Submission.patient_key, Submission.started_at, Submission.id
        )
        last_patient: str | None = None
        visit = 0
        with self.service.transaction() as db:
            result = db.execute(query.execution_options(yield_per=_CHUNK))
            for chunk in result.partitions(_CHUNK):
                for row in self._chunk(db, chunk):
                    key = row.pop("_patient_key")
                    if key is None:
                        row["visit"] = ""
                    else:
                        visit = visit + 1 if key == last_patient else 1
                        last_patient = key
                        row["visit"] = visit
                    yield row

    def _chunk(self, db: Any, chunk: Sequence[Any]) -> list[dict[str, Any]]:
        ids = [s.id for s in chunk]
        answers: dict[str, dict[str, dict[str, Any]]] = {sid: {} for sid in ids}
        scores: dict[str, dict[str, dict[str, Any]]] = {sid: {} for sid in ids}
        secrets = self.service.secrets
        for r in db.execute(
            select(
                Response.submission_id, Response.form_id, Response.scores, Response.answers
            ).where(Response.submission_id.in_(ids))
        ):
            opened = secrets.open(r.answers, f"responses/{r.submission_id}/{r.form_id}")
            answers[r.submission_id][r.form_id] = opened if isinstance(opened, dict) else {}
            scores[r.submission_id][r.form_id] = json.loads(r.scores)
        flags: dict[str, list[str]] = {sid: [] for sid in ids}
        for sid, flag_id in db.execute(
            select(Flag.submission_id, Flag.flag_id).where(Flag.submission_id.in_(ids))
        ):
            flags[sid].append(flag_id)
        triage = dict(
            db.execute(
                select(Triage.submission_id, Triage.status).where(Triage.submission_id.in_(ids))
            ).all()
        )
        referrals: dict[str, list[str]] = {sid: [] for sid in ids}
        for sid, kind, outcome in db.execute(
            select(Referral.submission_id, Referral.kind, Referral.outcome)
            .where(Referral.submission_id.in_(ids))
            .order_by(Referral.id)
        ):
            referrals[sid].append(f"{kind}:{outcome}")
        postcodes = [self.facts.answer(a, "home_postcode") for a in answers.values()]
        deciles = deciles_for(db, [p for p in postcodes if isinstance(p, str) and p != PREFER_NOT])
        return [
            self._row(
                s,
                answers[s.id],
                scores[s.id],
                flags[s.id],
                triage.get(s.id, "new"),
                referrals[s.id],
                deciles,
            )
            for s in chunk
        ]

    def _row(
        self,
        s: Any,
        answers: dict[str, dict[str, Any]],
        scores: dict[str, dict[str, Any]],
        flags: list[str],
        triage_status: str,
        referrals: list[str],
        deciles: dict[str, int],
    ) -> dict[str, Any]:
        p = self.pseudonyms
        started = dt.datetime.fromisoformat(s.started_at)
        day = dt.date.fromisoformat(s.day) if s.day else started.date()
        date = ""
        if self.options.shift_dates:
            date = (day + dt.timedelta(days=p.day_shift(s.patient_key or s.id))).isoformat()
        facts = self.facts
        postcode = facts.answer(answers, "home_postcode")
        decile = (
            deciles.get(compact_postcode(postcode))
            if isinstance(postcode, str) and postcode != PREFER_NOT
            else None
        )
        ethnicity = facts.answer(answers, "ethnic_category")
        code = "Z" if ethnicity == PREFER_NOT else (str(ethnicity) if ethnicity else "")
        screened = any(answers.get(form_id) for form_id in facts.screens)
        flagged = set(flags)
        row: dict[str, Any] = {
            "_patient_key": s.patient_key,
            "submission": p.of("submission", s.id),
            "patient": p.of("patient", s.patient_key) if s.patient_key else "",
            "period": day.isoformat()[:7],
            "date": date,
            "clinic": s.clinic or "",
            "pathway": s.pathway,
            "language": s.language or "",
            "link_method": s.link_method or "",
            # The route only: who entered it (Submission.entered_by) names staff, never exported.
            "route": s.route,
            "complete": 1 if s.status == "complete" else 0,
            "age_band": age_band(facts.answer(answers, "birth_year"), started.year),
            "sex": _or_empty(facts.answer(answers, "stated_sex")),
            "ethnicity": code,
            "ethnic_group": ethnic_group(code) if code else NOT_STATED,
            "imd_decile": decile or "",
            "imd_quintile": quintile(decile) or "",
            "screened": 1 if screened else 0,
            "screen_positive": _flag(screened, bool(flagged & facts.social_needs)),
            "wants_help": _flag(screened, bool(flagged & facts.help_requests)),
            "financial_hardship": _flag(screened, bool(flagged & facts.money)),
            "flags": ";".join(sorted(flagged)),
            "triage_status": triage_status,
            "triaged": 0 if triage_status == "new" else 1,
            "referred": 1 if referrals else 0,
            "referrals": ";".join(referrals),
        }
        for column, form_id, kind, name in self.instrument:
            source = answers if kind == "answer" else scores
            value = source.get(form_id, {}).get(name)
            row[column] = answer_cell(value, free_text=column in self.free_text)
        return row

    # ------------------------------------------------------------ files
    def csv_chunks(self) -> Iterator[str]:
        """The CSV, a few hundred rows per piece, for streaming to a file or over HTTP."""
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=self.columns, lineterminator="\n")
        writer.writeheader()
        self.rows_written = 0
        for count, row in enumerate(self.rows(), 1):
            self.rows_written = count
            writer.writerow(safe_mapping(row))  # every text cell: pathway, clinic, ...
            if count % 500 == 0:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    def dictionary(self) -> str:
        return data_dictionary(self.library, self.instrument, self.options)


def _or_empty(value: Any) -> Any:
    return "" if value is None else value


def _flag(screened: bool, raised: bool) -> int | str:
    return "" if not screened else (1 if raised else 0)
