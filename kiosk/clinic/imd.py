"""The site's postcode -> LSOA -> IMD lookup, and appointment counts by group.

``kiosk imd import FILE`` loads a CSV the site supplies: the ONS Postcode
Directory or National Statistics Postcode Lookup (NSPL, Open Government
Licence) with its IMD column, or any file with these columns (names matched
without regard to case):

- the postcode: ``pcds``, ``pcd``, ``pcd7``, ``pcd8`` or ``postcode``;
- the LSOA: ``lsoa11``, ``lsoa11cd``, ``lsoa21``, ``lsoa21cd``, ``lsoa`` or ``lsoa_code``;
- the IMD: ``imd_decile`` / ``decile`` (1 = most deprived .. 10), or ``imd`` /
  ``imd_rank`` (the English IMD 2019 rank, 1 = most deprived, of 32,844 LSOAs).

Rows without an IMD value (Scotland, Wales and Northern Ireland have their own
indices; terminated postcodes) are skipped and counted. An import replaces the
whole lookup in one transaction: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from kiosk.clinic.errors import ClinicError
from kiosk.clinic.models import AppointmentCount, ImdPostcode
from kiosk.exchange.clinic_list import ClinicList
from kiosk.reports.csv_cells import safe_row

if TYPE_CHECKING:
    pass

ENGLAND_LSOAS = 32_844  # LSOAs ranked by the English Index of Multiple Deprivation 2019
_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd7", "pcd8", "postcode")
_LSOA_COLUMNS = ("lsoa11", "lsoa11cd", "lsoa21", "lsoa21cd", "lsoa", "lsoa_code")
_DECILE_COLUMNS = ("imd_decile", "decile", "imd decile")
_RANK_COLUMNS = ("imd", "imd_rank", "imd rank")
_BATCH = 10_000
ETHNIC_GROUPS = {
    **dict.fromkeys("ABC", "White"),
    **dict.fromkeys("DEFG", "Mixed"),
    **dict.fromkeys("HJKL", "Asian"),
    **dict.fromkeys("MNP", "Black"),
    **dict.fromkeys("RS", "Other"),
}
NOT_STATED = "Not stated"


class ImdError(ClinicError):
    """A lookup file that cannot be used; the message says where and why."""


@dataclass(frozen=True)
class ImportReport:
    postcodes: int
    skipped: int


def compact_postcode(postcode: str) -> str:
    return re.sub(r"\s+", "", postcode).upper()


def quintile(decile: int | None) -> int | None:
    """IMD quintile from the decile: 1-2 -> 1 (most deprived 20%) ... 9-10 -> 5."""
    return None if decile is None else (decile + 1) // 2


def ethnic_group(code: str | None) -> str:
    return ETHNIC_GROUPS.get((code or "").upper(), NOT_STATED)


def _pick(fields: list[str], names: tuple[str, ...]) -> str | None:
    lowered = {f.strip().lower(): f for f in fields}
    return next((lowered[n] for n in names if n in lowered), None)


def _rows(path: Path) -> Iterator[tuple[int, str, str, int | None]]:
    """(line, compact postcode, LSOA, decile or None) for every row of the file."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise ImdError(f"{path}: cannot read the file ({exc.strerror})") from None
    with handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        postcode_col = _pick(fields, _POSTCODE_COLUMNS)
        lsoa_col = _pick(fields, _LSOA_COLUMNS)
        decile_col = _pick(fields, _DECILE_COLUMNS)
        rank_col = None if decile_col else _pick(fields, _RANK_COLUMNS)
        if postcode_col is None or lsoa_col is None or (decile_col or rank_col) is None:
            raise ImdError(
                f"{path}:1: the columns must include a postcode (pcds or postcode), an LSOA "
                "(lsoa11 or lsoa) and an IMD decile (imd_decile) or rank (imd); found: "
                + ", ".join(fields[:12])
            )
        for row in reader:
            line = reader.line_num
            postcode = compact_postcode(row.get(postcode_col) or "")
            if not postcode:
                continue
            if not 5 <= len(postcode) <= 7:
                raise ImdError(f"{path}:{line}: {postcode!r} is not a postcode")
            raw = (row.get(decile_col or rank_col or "") or "").strip()
            if raw == "":
                yield line, postcode, (row.get(lsoa_col) or "").strip(), None
                continue
            try:
                number = int(raw)
            except ValueError:
                raise ImdError(
                    f"{path}:{line}: the IMD value {raw!r} is not a whole number"
                ) from None
            if decile_col:
                if not 1 <= number <= 10:
                    raise ImdError(f"{path}:{line}: an IMD decile is 1 to 10, not {number}")
                decile = number
            else:
                if not 1 <= number <= ENGLAND_LSOAS:
                    raise ImdError(
                        f"{path}:{line}: an IMD rank is 1 to {ENGLAND_LSOAS}, not {number}"
                    )
                decile = (number - 1) * 10 // ENGLAND_LSOAS + 1
            yield line, postcode, (row.get(lsoa_col) or "").strip()[:12], decile


class Audited(Protocol):
    """What an import needs: transactions and the audit table (no keys)."""

    def transaction(self) -> AbstractContextManager[Session]: ...

    def audit(self, db: Session, actor: str, action: str, outcome: str, **where: Any) -> None: ...


def import_lookup(service: Audited, path: Path, actor: str) -> ImportReport:
    """Replace the lookup with ``path``'s; ImdError (nothing changed) for a bad file."""
    kept = skipped = 0
    with service.transaction() as db:
        db.execute(delete(ImdPostcode))
        batch: dict[str, dict[str, object]] = {}
        for _line, postcode, lsoa, decile in _rows(path):
            if decile is None:
                skipped += 1
                continue
            batch[postcode] = {"postcode": postcode, "lsoa": lsoa, "imd_decile": decile}
            if len(batch) >= _BATCH:
                kept += _flush(db, batch)
        kept += _flush(db, batch)
        service.audit(
            db,
            actor,
            "imd_import",
            "ok",
            target=f"{kept} postcodes",
            detail=f"{path.name}: {skipped} rows without an IMD value skipped",
        )
    return ImportReport(kept, skipped)


def _flush(db: Session, batch: dict[str, dict[str, object]]) -> int:
    if not batch:
        return 0
    # A postcode repeated later in the file wins over an earlier one.
    existing = set(db.scalars(select(ImdPostcode.postcode).where(ImdPostcode.postcode.in_(batch))))
    for postcode in existing:
        db.execute(delete(ImdPostcode).where(ImdPostcode.postcode == postcode))
    db.execute(insert(ImdPostcode), list(batch.values()))
    count = len(batch)
    batch.clear()
    return count


def deciles_for(db: Session, postcodes: Iterable[str]) -> dict[str, int]:
    """{compact postcode: IMD decile} for those of ``postcodes`` in the lookup."""
    wanted = sorted({compact_postcode(p) for p in postcodes if p})
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        out.update(
            db.execute(
                select(ImdPostcode.postcode, ImdPostcode.imd_decile).where(
                    ImdPostcode.postcode.in_(chunk)
                )
            ).all()
        )
    return out


def count_appointments(db: Session, clinic_list: ClinicList) -> None:
    """Replace the day's appointment counts by clinic, IMD quintile and ethnic group."""
    day = clinic_list.day.isoformat()
    deciles = deciles_for(db, [a.postcode for a in clinic_list.appointments if a.postcode])
    counts: Counter[tuple[str, int, str]] = Counter()
    for a in clinic_list.appointments:
        decile = deciles.get(compact_postcode(a.postcode)) if a.postcode else None
        counts[(a.clinic[:80], quintile(decile) or 0, ethnic_group(a.ethnicity))] += 1
    db.execute(delete(AppointmentCount).where(AppointmentCount.day == day))
    if counts:
        db.execute(
            insert(AppointmentCount),
            [
                {
                    "day": day,
                    "clinic": clinic,
                    "imd_quintile": q,
                    "ethnic_group": group,
                    "appointments": n,
                }
                for (clinic, q, group), n in counts.items()
            ],
        )


def appointments_csv(db: Session, since: dt.date | None = None) -> str:
    """The appointments CSV of docs/exports.md: counts by month, clinic and group."""
    totals: Counter[tuple[str, str, int, str]] = Counter()
    query = select(AppointmentCount)
    if since is not None:
        query = query.where(AppointmentCount.day >= since.isoformat())
    for row in db.scalars(query):
        totals[(row.day[:7], row.clinic, row.imd_quintile, row.ethnic_group)] += row.appointments
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["period", "clinic", "imd_quintile", "ethnic_group", "appointments"])
    for (period, clinic, q, group), n in sorted(totals.items()):
        writer.writerow(safe_row([period, clinic, q or "", group, n]))
    return out.getvalue()
