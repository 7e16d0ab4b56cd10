"""The anonymised CSV (docs/exports.md): one row per submission, streamed from the
database a batch at a time (``reading``). Its columns are the fixed ones, then every
question and score of the loaded forms; what a row may show is decided in
``anonymity``. Rows are lists in column order, written a few hundred at a time:
at a million submissions, per-row dictionaries and per-cell calls are most of the
work otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from kiosk.clinic.exports.anonymity import (
    FREE_TEXT_TYPES,
    ExportFacts,
    ExportOptions,
    Pseudonyms,
    age_band,
    answer_cell,
)
from kiosk.clinic.exports.dictionary import data_dictionary
from kiosk.clinic.exports.reading import Batch, BatchReader
from kiosk.clinic.imd import NOT_STATED, compact_postcode, ethnic_group, quintile
from kiosk.engine import FormLibrary
from kiosk.engine.answers import PREFER_NOT
from kiosk.reports.csv_cells import safe_cell

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
_PIECE = 500  # rows per piece of the stream


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
        self.shift_dates = options.shift_dates
        self._groups = self._column_groups()
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

    def _column_groups(self) -> list[tuple[str, bool, list[tuple[str, bool]]]]:
        """The instrument columns as runs read from one form's answers or scores:
        (form id, answers?, [(item or score id, free text?)]), in column order."""
        groups: list[tuple[str, bool, list[tuple[str, bool]]]] = []
        for column, form_id, kind, name in self.instrument:
            is_answer = kind == "answer"
            if not groups or groups[-1][:2] != (form_id, is_answer):
                groups.append((form_id, is_answer, []))
            groups[-1][2].append((name, column in self.free_text))
        return groups

    # ------------------------------------------------------------ rows
    def rows(self) -> Iterator[list[Any]]:
        """Every submission as a row of cells in ``columns`` order, ordered by patient
        then time; every text cell defused (``safe_cell``)."""
        last_patient: str | None = None
        patient, shift, visit = "", 0, 0
        reader = BatchReader(self.service, self.options.clinics, self.facts)
        for batch in reader.batches():
            for s in batch.submissions:
                key = s[1]
                if key is None:  # no patient: no pseudonym, no visit number
                    yield self._row(s, batch, "", "", 0)
                    continue
                if key != last_patient:
                    # Rows come patient by patient: pseudonym and date shift once each.
                    last_patient, visit = key, 0
                    patient = self.pseudonyms.of("patient", key) if key else ""
                    shift = self.pseudonyms.day_shift(key) if key and self.shift_dates else 0
                visit += 1
                yield self._row(s, batch, patient, visit, shift)

    def _row(self, s: Any, batch: Batch, patient: str, visit: int | str, shift: int) -> list[Any]:
        sid, key, started_at, day_text, clinic, pathway, language, link_method, route, status = s
        answers = batch.answers[sid]
        started = dt.datetime.fromisoformat(started_at)
        day = dt.date.fromisoformat(day_text) if day_text else started.date()
        date = ""
        if self.shift_dates:
            if not key:  # no patient: each submission is shifted on its own
                shift = self.pseudonyms.day_shift(sid)
            date = (day + dt.timedelta(days=shift)).isoformat()
        facts = self.facts
        postcode = facts.answer(answers, "home_postcode")
        decile = (
            batch.deciles.get(compact_postcode(postcode))
            if isinstance(postcode, str) and postcode != PREFER_NOT
            else None
        )
        ethnicity = facts.answer(answers, "ethnic_category")
        code = "Z" if ethnicity == PREFER_NOT else (str(ethnicity) if ethnicity else "")
        screened = any(answers.get(form_id) for form_id in facts.screens)
        flagged = set(batch.flags[sid])
        triage_status = batch.triage.get(sid, "new")
        referrals = batch.referrals[sid]
        # In FIXED_COLUMNS order.
        row: list[Any] = [
            self.pseudonyms.of("submission", sid),
            patient,
            visit,
            day.isoformat()[:7],
            date,
            safe_cell(clinic or ""),
            safe_cell(pathway),
            safe_cell(language or ""),
            safe_cell(link_method or ""),
            # The route only: who entered it (Submission.entered_by) names staff, never exported.
            safe_cell(route),
            1 if status == "complete" else 0,
            safe_cell(age_band(facts.answer(answers, "birth_year"), started.year)),
            safe_cell(_or_empty(facts.answer(answers, "stated_sex"))),
            safe_cell(code),
            safe_cell(ethnic_group(code) if code else NOT_STATED),
            decile or "",
            quintile(decile) or "",
            1 if screened else 0,
            _flag(screened, bool(flagged & facts.social_needs)),
            _flag(screened, bool(flagged & facts.help_requests)),
            _flag(screened, bool(flagged & facts.money)),
            safe_cell(";".join(sorted(flagged))),
            safe_cell(triage_status),
            0 if triage_status == "new" else 1,
            1 if referrals else 0,
            safe_cell(";".join(referrals)),
        ]
        scores = batch.scores[sid]
        for form_id, is_answer, items in self._groups:
            values = (answers if is_answer else scores).get(form_id)
            if not values:
                row.extend([""] * len(items))
                continue
            for name, free in items:
                value = values.get(name)
                if value is None:
                    row.append("")
                elif type(value) is int:  # most answers and scores: nothing to do
                    row.append(value)
                else:
                    row.append(safe_cell(answer_cell(value, free_text=free)))
        return row

    # ------------------------------------------------------------ files
    def csv_chunks(self) -> Iterator[str]:
        """The CSV, a few hundred rows per piece, for streaming to a file or over HTTP."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        self.rows_written = 0
        pending: list[list[Any]] = []
        for row in self.rows():
            pending.append(row)
            if len(pending) == _PIECE:
                writer.writerows(pending)
                self.rows_written += _PIECE
                pending.clear()
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        writer.writerows(pending)
        self.rows_written += len(pending)
        yield buffer.getvalue()

    def dictionary(self) -> str:
        return data_dictionary(self.library, self.instrument, self.options)


def _or_empty(value: Any) -> Any:
    return "" if value is None else value


def _flag(screened: bool, raised: bool) -> int | str:
    return "" if not screened else (1 if raised else 0)
