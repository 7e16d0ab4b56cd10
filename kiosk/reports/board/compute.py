"""The board report's figures, unsuppressed, from the anonymised and appointments CSVs.

Input is rows exactly as ``csv.DictReader`` reads the files of docs/exports.md
(every value a string). The rows are filtered here to one clinic (or all) and
a period of whole months, so one export serves many reports. What the figures
are (the funnel's steps, rates and groups) is in ``figures``. Nothing is
suppressed in this module: ``publish.published_lines`` does that, once, for
both the PDF and the CSV.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from kiosk.engine.facts import Measure
from kiosk.reports.board.figures import (
    ALL_CLINICS,
    ETHNIC_GROUPS,
    NO_OUTCOME,
    NOT_STATED,
    QUINTILES,
    STEPS_BY_KEY,
    UNKNOWN,
    BoardFigures,
    Funnel,
    MeasureOutcome,
)
from kiosk.reports.board.routes import route_step
from kiosk.reports.board.stats import PairedChange, paired_change
from kiosk.reports.errors import ReportError
from kiosk.site.forms import installed_measures

MISSING_VALUES = frozenset({"", "prefer_not"})

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])\Z")

ROW_COLUMNS = (
    "patient",
    "visit",
    "period",
    "clinic",
    "complete",
    "imd_quintile",
    "ethnic_group",
    "screened",
    "screen_positive",
    "wants_help",
    "financial_hardship",
    "triaged",
    "referred",
    "referrals",
)
APPOINTMENT_COLUMNS = ("period", "clinic", "imd_quintile", "ethnic_group", "appointments")


class BoardReportError(ReportError):
    """The input cannot be reported on (a bad period, a column missing, a bad value)."""


def check_month(month: str, what: str) -> str:
    if not isinstance(month, str) or not _MONTH.match(month):
        raise BoardReportError(f"{what} must be a month as YYYY-MM, not {month!r}")
    return month


# ---------------------------------------------------------------- reading rows
def _value(row: Mapping[str, str], column: str, where: str) -> str:
    value = row.get(column)
    if value is None:
        raise BoardReportError(f"{where}: there is no column {column!r}")
    return str(value).strip()


def _flag(row: Mapping[str, str], column: str, where: str) -> bool:
    """A 1/0 column: "1" is yes; "0" or empty is no; anything else is an error."""
    value = _value(row, column, where)
    if value == "1":
        return True
    if value in ("0", ""):
        return False
    raise BoardReportError(f"{where}: {column} must be 1, 0 or empty, not {value!r}")


def _quintile(row: Mapping[str, str], where: str) -> str:
    value = _value(row, "imd_quintile", where)
    if value == "":
        return UNKNOWN
    if value in QUINTILES[:5]:
        return value
    raise BoardReportError(f"{where}: imd_quintile must be 1 to 5 or empty, not {value!r}")


def _ethnic_group(row: Mapping[str, str], where: str) -> str:
    return _value(row, "ethnic_group", where) or NOT_STATED


def _in_scope(row: Mapping[str, str], where: str, clinic: str, first: str, last: str) -> bool:
    month = check_month(_value(row, "period", where), f"{where}: period")
    if not first <= month <= last:
        return False
    return clinic == ALL_CLINICS or _value(row, "clinic", where) == clinic


def _referral_pairs(text: str) -> list[tuple[str, str]]:
    """``kind:outcome;kind:outcome`` as pairs; a pair without an outcome gets NO_OUTCOME."""
    pairs = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        kind, _, outcome = part.partition(":")
        pairs.append((kind.strip(), outcome.strip() or NO_OUTCOME))
    return pairs


def _measure_value(row: Mapping[str, str], measure: Measure, where: str) -> float | None:
    """The first of the measure's columns with a number in it, or None."""
    for column in measure.columns:
        text = str(row.get(column) or "").strip()
        if text in MISSING_VALUES:
            continue
        try:
            value = float(text)
        except ValueError:
            raise BoardReportError(f"{where}: {column} is not a number: {text!r}") from None
        if not math.isfinite(value):
            raise BoardReportError(f"{where}: {column} is not a number: {text!r}")
        return value
    return None


# ---------------------------------------------------------------- counting
class _Tally:
    """Mutable counts for one group, turned into a Funnel at the end."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.appointments = 0

    def add(self, row: Mapping[str, str], where: str) -> None:
        complete = _flag(row, "complete", where)
        screened = _flag(row, "screened", where)
        positive = _flag(row, "screen_positive", where)
        wants_help = _flag(row, "wants_help", where)
        hardship = _flag(row, "financial_hardship", where)
        c = self.counts
        c["started"] += 1
        c["completed"] += complete
        route = route_step(row)
        if route is None:
            raise BoardReportError(f"{where}: route must be tablet, assisted or paper")
        c[route] += complete
        c["screened"] += screened
        c["screened_completed"] += complete and screened
        c["screen_positive"] += positive
        c["positive_completed"] += complete and screened and positive
        c["wants_help"] += wants_help
        c["positive_wants_help"] += positive and wants_help
        c["financial_hardship"] += hardship
        c["positive_hardship"] += positive and hardship
        c["triaged"] += _flag(row, "triaged", where)
        c["referred"] += _flag(row, "referred", where)

    def funnel(self, appointments_known: bool) -> Funnel:
        return Funnel(
            appointments=self.appointments if appointments_known else None,
            **{key: self.counts[key] for key in STEPS_BY_KEY if key != "appointments"},
        )


def _appointment_count(row: Mapping[str, str], where: str) -> int:
    text = _value(row, "appointments", where)
    try:
        count = int(text)
    except ValueError:
        raise BoardReportError(f"{where}: appointments is not a whole number: {text!r}") from None
    if count < 0:
        raise BoardReportError(f"{where}: appointments cannot be negative: {count}")
    return count


def compute_figures(
    rows: Iterable[Mapping[str, str]],
    appointments: Iterable[Mapping[str, str]] | None = None,
    *,
    title: str,
    clinic: str = ALL_CLINICS,
    first: str,
    last: str,
    measures: Sequence[Measure] | None = None,
) -> BoardFigures:
    """The board report's figures for one clinic (or ``ALL_CLINICS``) and months.

    ``rows``: the anonymised CSV's rows (``csv.DictReader``); ``appointments``:
    the appointments CSV's rows, or None when not known (then no response
    rates). ``first`` and ``last`` are months ``YYYY-MM``, both included.
    Raises ``BoardReportError`` for a bad month, a missing column or a value
    the contract (docs/exports.md) does not allow. ``measures``: those the forms
    declare (``library.measures()``); by default the installed forms'.
    """
    check_month(first, "the first month")
    check_month(last, "the last month")
    if first > last:
        raise BoardReportError(f"the first month {first} is after the last month {last}")
    clinic = (clinic or ALL_CLINICS).strip() or ALL_CLINICS

    overall = _Tally()
    by_imd: dict[str, _Tally] = {q: _Tally() for q in QUINTILES}
    by_ethnic: dict[str, _Tally] = {g: _Tally() for g in ETHNIC_GROUPS}
    referrals: Counter[tuple[str, str]] = Counter()
    columns: set[str] = set()
    kept: list[tuple[str, Mapping[str, str]]] = []
    seen_visits: set[tuple[str, int]] = set()

    for index, row in enumerate(rows, start=1):
        where = f"anonymised CSV, data row {index}"
        columns.update(row.keys())
        if not _in_scope(row, where, clinic, first, last):
            continue
        overall.add(row, where)
        by_imd[_quintile(row, where)].add(row, where)
        by_ethnic.setdefault(_ethnic_group(row, where), _Tally()).add(row, where)
        for pair in _referral_pairs(_value(row, "referrals", where)):
            referrals[pair] += 1
        patient = _value(row, "patient", where)
        if patient:
            visit_text = _value(row, "visit", where)
            try:
                visit = int(visit_text)
            except ValueError:
                raise BoardReportError(
                    f"{where}: visit must be a whole number for a patient, not {visit_text!r}"
                ) from None
            if (patient, visit) in seen_visits:
                raise BoardReportError(f"{where}: the same patient's visit {visit} appears twice")
            seen_visits.add((patient, visit))
            kept.append((where, row))

    appointments_known = appointments is not None
    for index, row in enumerate(appointments or (), start=1):
        where = f"appointments CSV, data row {index}"
        if not _in_scope(row, where, clinic, first, last):
            continue
        count = _appointment_count(row, where)
        overall.appointments += count
        by_imd[_quintile(row, where)].appointments += count
        by_ethnic.setdefault(_ethnic_group(row, where), _Tally()).appointments += count

    outcomes = tuple(
        MeasureOutcome(measure, _outcome(kept, measure))
        for measure in (installed_measures() if measures is None else measures)
        if any(column in columns for column in measure.columns)
    )
    ethnic_order = list(ETHNIC_GROUPS) + sorted(set(by_ethnic) - set(ETHNIC_GROUPS))
    return BoardFigures(
        title=title,
        clinic=clinic,
        first=first,
        last=last,
        appointments_known=appointments_known,
        overall=overall.funnel(appointments_known),
        by_imd={q: by_imd[q].funnel(appointments_known) for q in QUINTILES},
        by_ethnic={g: by_ethnic[g].funnel(appointments_known) for g in ethnic_order},
        referrals=dict(sorted(referrals.items())),
        outcomes=outcomes,
        columns=frozenset(columns),
    )


def _baseline_follow_up(
    rows: Iterable[tuple[str, Mapping[str, str]]], measure: Measure
) -> list[tuple[float, float]]:
    """(baseline, follow-up) per patient with both, in patient order.

    Baseline: the patient's first visit (lowest ``visit``) with a value;
    follow-up: their latest later visit with a value.
    """
    values: dict[str, dict[int, float]] = {}
    for where, row in rows:
        value = _measure_value(row, measure, where)
        if value is None:
            continue
        values.setdefault(_value(row, "patient", where), {})[int(_value(row, "visit", where))] = (
            value
        )
    pairs = []
    for patient in sorted(values):
        visits = values[patient]
        if len(visits) >= 2:
            pairs.append((visits[min(visits)], visits[max(visits)]))
    return pairs


def _outcome(rows: list[tuple[str, Mapping[str, str]]], measure: Measure) -> PairedChange:
    pairs = _baseline_follow_up(rows, measure)
    return paired_change([b for b, _ in pairs], [f for _, f in pairs])
