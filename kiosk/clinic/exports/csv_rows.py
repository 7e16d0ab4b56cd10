"""The anonymised CSV (docs/exports.md): one row per submission, streamed from the
database a batch at a time (``reading``). Its columns are the fixed ones, then every
question and score of the loaded forms; what a row may show is decided in
``anonymity``. Rows are lists in column order, each response filling its form's
stretch from a plan made once per export, written a batch at a time: at a million
submissions, per-row dictionaries and per-cell calls are most of the work otherwise.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

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
from kiosk.reports.csv_cells import RISKY_FIRST as _RISKY_FIRST
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
# Distinct texts (days, clinic names...) whose cells are kept, at most.
_DISTINCT = 4096


class _Plan(NamedTuple):
    """Where one form's cells go in a row: its answer items, then its scores."""

    start: int  # index in the row of the form's first cell
    items: tuple[str, ...]
    free: frozenset[int]  # indexes in ``items`` of free text (exported only when asked)
    scores: tuple[str, ...]


class _TextCells(dict[Any, Any]):
    """Defused cells of a database column with few distinct values (clinic, pathway,
    language...): each worked out once, not once per row."""

    def __missing__(self, value: Any) -> Any:
        if len(self) >= _DISTINCT:
            self.clear()
        cell = self[value] = safe_cell("" if value is None else value)
        return cell


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
        self._plans = self._form_plans()
        self._blank = [""] * len(self.instrument)
        demographic = self.facts.demographic
        self._demographic = tuple(
            demographic.get(kind, ("", ""))
            for kind in ("birth_year", "stated_sex", "ethnic_category", "home_postcode")
        )
        self._screens = tuple(sorted(self.facts.screens))
        self._text = _TextCells()
        self._days: dict[str, tuple[str, dt.date]] = {}
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

    def _form_plans(self) -> dict[str, _Plan]:
        """Each form with columns: where its answers and scores go in a row. A form's
        columns are side by side (its items, then its scores), so each response fills
        one stretch of the row."""
        plans: dict[str, _Plan] = {}
        for index, (column, form_id, kind, name) in enumerate(self.instrument):
            plan = plans.get(form_id) or _Plan(len(FIXED_COLUMNS) + index, (), frozenset(), ())
            if kind == "answer":
                free = plan.free | {len(plan.items)} if column in self.free_text else plan.free
                plan = plan._replace(items=(*plan.items, name), free=free)
            else:
                plan = plan._replace(scores=(*plan.scores, name))
            plans[form_id] = plan
        return plans

    # ------------------------------------------------------------ rows
    def row_batches(self) -> Iterator[list[list[Any]]]:
        """Every submission as a row of cells in ``columns`` order, ordered by patient
        then time, a batch of rows at a time; every text cell defused (``safe_cell``).
        An empty cell may be None (``csv.writer`` writes it as nothing)."""
        last_patient: str | None = None
        patient, shift, visit = "", 0, 0
        reader = BatchReader(self.service, self.options.clinics, self.facts)
        for batch in reader.batches():
            rows = []
            for s in batch.submissions:
                key = s[1]
                if key is None:  # no patient: no pseudonym, no visit number
                    rows.append(self._row(s, batch, "", "", 0))
                    continue
                if key != last_patient:
                    # Rows come patient by patient: pseudonym and date shift once each.
                    last_patient, visit = key, 0
                    patient = self.pseudonyms.of("patient", key) if key else ""
                    shift = self.pseudonyms.day_shift(key) if key and self.shift_dates else 0
                visit += 1
                rows.append(self._row(s, batch, patient, visit, shift))
            yield rows

    def _row(self, s: Any, batch: Batch, patient: str, visit: int | str, shift: int) -> list[Any]:
        sid, key, started_at, day_text, clinic, pathway, language, link_method, route, status = s
        answers = batch.answers[sid]
        day_cells = self._days.get(day_text) if day_text else None
        if day_cells is None:
            day_cells = self._day(day_text, started_at)
        period, day = day_cells
        date = ""
        if self.shift_dates:
            if not key:  # no patient: each submission is shifted on its own
                shift = self.pseudonyms.day_shift(sid)
            date = (day + dt.timedelta(days=shift)).isoformat()
        (b_form, b_item), (s_form, s_item), (e_form, e_item), (p_form, p_item) = self._demographic
        birth = answers.get(b_form, _NONE).get(b_item)
        sex = answers.get(s_form, _NONE).get(s_item)
        ethnicity = answers.get(e_form, _NONE).get(e_item)
        postcode = answers.get(p_form, _NONE).get(p_item)
        decile = (
            batch.deciles.get(compact_postcode(postcode))
            if isinstance(postcode, str) and postcode != PREFER_NOT
            else None
        )
        code = "Z" if ethnicity == PREFER_NOT else (str(ethnicity) if ethnicity else "")
        screened = False
        for form_id in self._screens:
            if answers.get(form_id):
                screened = True
                break
        flags = batch.flags.get(sid)
        if flags:
            flagged = set(flags)
            facts = self.facts
            needs = _flag(screened, not flagged.isdisjoint(facts.social_needs))
            helps = _flag(screened, not flagged.isdisjoint(facts.help_requests))
            money = _flag(screened, not flagged.isdisjoint(facts.money))
            flag_cell = safe_cell(";".join(sorted(flagged)))
        else:
            needs = helps = money = 0 if screened else ""
            flag_cell = ""
        triage_status = batch.triage.get(sid, "new")
        referrals = batch.referrals.get(sid)
        text = self._text
        # In FIXED_COLUMNS order.
        row: list[Any] = [
            self.pseudonyms.of("submission", sid),
            patient,
            visit,
            period,
            date,
            text[clinic],
            text[pathway],
            text[language],
            text[link_method],
            # The route only: who entered it (Submission.entered_by) names staff, never exported.
            text[route],
            1 if status == "complete" else 0,
            "" if birth is None else safe_cell(age_band(birth, int(started_at[:4]))),
            "" if sex is None else safe_cell(sex),
            text[code],
            text[ethnic_group(code) if code else NOT_STATED],
            decile or "",
            quintile(decile) or "",
            1 if screened else 0,
            needs,
            helps,
            money,
            flag_cell,
            text[triage_status],
            0 if triage_status == "new" else 1,
            1 if referrals else 0,
            safe_cell(";".join(referrals)) if referrals else "",
        ]
        row += self._blank
        if answers:
            scores = batch.scores[sid]
            plans = self._plans
            for form_id, values in answers.items():
                plan = plans.get(form_id)
                if plan is not None:
                    cells = self._cells(plan, values, scores.get(form_id))
                    row[plan.start : plan.start + len(cells)] = cells
        return row

    def _day(self, day_text: str | None, started_at: str) -> tuple[str, dt.date]:
        """(period, day) of a submission: its clinic day, else the day it started."""
        if not day_text:
            day = dt.datetime.fromisoformat(started_at).date()
            return day.isoformat()[:7], day
        day = dt.date.fromisoformat(day_text)
        if len(self._days) >= _DISTINCT:
            self._days.clear()
        cells = self._days[day_text] = (day.isoformat()[:7], day)
        return cells

    @staticmethod
    def _cells(plan: _Plan, values: dict[str, Any], scores: dict[str, Any] | None) -> list[Any]:
        """One response's cells: its answers, then its scores (None: empty)."""
        cells: list[Any] = list(map(values.get, plan.items)) if values else [None] * len(plan.items)
        if scores:
            cells += map(scores.get, plan.scores)
        if _PLAIN.issuperset(map(type, cells)):  # numbers and gaps: nothing to do
            return cells
        free = plan.free
        for i, value in enumerate(cells):
            kind = type(value)
            if kind is int or value is None:
                continue
            if kind is str and i not in free:
                if value and (value[0] in _RISKY_FIRST or value[0].isspace()):
                    cells[i] = safe_cell(value)
            else:
                cells[i] = safe_cell(answer_cell(value, free_text=i in free))
        return cells

    # ------------------------------------------------------------ files
    def csv_chunks(self) -> Iterator[str]:
        """The CSV, a batch of rows per piece, for streaming to a file or over HTTP."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.columns)
        self.rows_written = 0
        with _collector_for_batches():
            for rows in self.row_batches():
                writer.writerows(rows)
                self.rows_written += len(rows)
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        if not self.rows_written:
            yield buffer.getvalue()

    def dictionary(self) -> str:
        return data_dictionary(self.library, self.instrument, self.options)


@contextmanager
def _collector_for_batches() -> Iterator[None]:
    """Python's cycle collector set for streaming batches of rows, and set back
    however the stream ends.

    A batch (thousands of lists, dicts and tuples, none in a cycle) lives long
    enough to be passed over by each young collection and to reach the oldest
    generation, so full passes came every few batches, each over every object the
    service had made before the export (forms, mappings, compiled queries): a
    fifth of the export's time, and young passes as much again. While the rows
    stream, those objects are set aside (``gc.freeze``) and young passes run every
    20,000 new objects instead of 700. Nothing the export makes needs the cycle
    collector (reference counting frees it); other threads' cycles are collected
    a little later meanwhile."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(thresholds[0], _YOUNG_OBJECTS), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


_YOUNG_OBJECTS = 20_000
_NONE: dict[str, Any] = {}
# Cells csv.writer writes as they are; ints are most answers and scores.
_PLAIN = frozenset({int, float, type(None)})


def _flag(screened: bool, raised: bool) -> int | str:
    return "" if not screened else (1 if raised else 0)
