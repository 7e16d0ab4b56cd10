"""The three PDFs say what they said: text, fonts and metadata against a fixed record.

Each document is built from fixed input (the conftest summary, a small made-up
board export) and read back with pypdf; its text page by page, the fonts it
embeds and its metadata must equal what ``same_pdfs/*.json`` holds. A change to
the layout code that moves a word to another page, drops one or swaps a font
fails here. When a document is meant to change, rebuild the record with
``KIOSK_REWRITE_SAME_PDFS=1`` and read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.reports import clinician_summary_pdf, takeaway_pdf

RECORD = Path(__file__).parent / "same_pdfs"
PRINTED = {"printed_by": "dr.patel", "printed_at": dt.datetime(2026, 11, 24, 10, 5, tzinfo=dt.UTC)}
QUINTILES = ["1", "2", "3", "4", "5", ""]
GROUPS = ["White", "Asian", "Black", "Not stated"]
REFERRALS = ["", "food_bank:attended", "gp:awaiting;housing:declined", "debt_benefits:"]
ROUTES = ["tablet", "tablet", "assisted", "tablet", "paper"]


def board_rows() -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """A small export with every kind of figure: counts, stars, rates and one outcome."""
    rows = []
    for index in range(160):
        patient = f"p{index % 80:03d}" if index % 4 else ""
        visit = "1" if index < 80 else "2"
        screened = index % 5 != 0
        positive = screened and index % 3 == 0
        rows.append(
            {
                "patient": patient,
                "visit": visit if patient else "",
                "period": f"2025-0{1 + index % 3}",
                "clinic": "Renal" if index % 7 else "Cardiology",
                "route": ROUTES[index % 5],
                "complete": "0" if index % 9 == 0 else "1",
                "imd_quintile": QUINTILES[index % 6],
                "ethnic_group": GROUPS[index % 4],
                "screened": "1" if screened else "0",
                "screen_positive": "1" if positive else "0",
                "wants_help": "1" if index % 6 == 0 else "0",
                "financial_hardship": "1" if positive and index % 2 else "0",
                "triaged": "1" if index % 4 == 0 else "0",
                "referred": "1" if index % 8 == 0 else "0",
                "referrals": REFERRALS[index % 4] if index % 8 == 0 else "",
                "ons4.anxiety": str((index * 7) % 11 if visit == "1" else (index * 3) % 8),
            }
        )
    appointments = [
        {
            "period": f"2025-0{month}",
            "clinic": clinic,
            "imd_quintile": quintile,
            "ethnic_group": group,
            "appointments": str(3 + (month + len(group) + len(quintile)) % 5),
        }
        for month in (1, 2, 3)
        for clinic in ("Renal", "Cardiology")
        for quintile in QUINTILES
        for group in GROUPS
    ]
    return rows, appointments


def _board(appointments: bool) -> bytes:
    from kiosk.reports.board import report_pdf

    rows, lists = board_rows()
    return report_pdf(
        rows,
        lists if appointments else None,
        title="Equity and outcomes: renal outpatients",
        clinic="Renal",
        first="2025-01",
        last="2025-03",
        generated_on=dt.date(2026, 1, 2),
    )


DOCUMENTS: dict[str, Callable[[dict[str, Any]], bytes]] = {
    "clinician-summary": lambda s: clinician_summary_pdf(s, **PRINTED),
    "takeaway": lambda s: takeaway_pdf(s),
    "takeaway-large-print-urdu": lambda s: takeaway_pdf(s, language="ur", large_print=True),
    "board": lambda s: _board(appointments=True),
    "board-without-appointments": lambda s: _board(appointments=False),
}


def _read_back(data: bytes, read_pdf: Any) -> dict[str, Any]:
    pdf = read_pdf(data)
    meta = pdf.reader.metadata or {}
    return {
        "metadata": {
            key: str(meta[key])
            for key in ("/Title", "/Author", "/Creator", "/Subject")
            if key in meta
        },
        "language": str(pdf.reader.trailer["/Root"].get("/Lang", "")),
        "fonts": sorted(pdf.base_fonts()),
        "pages": pdf.pages,
    }


@pytest.mark.export
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_each_pdf_reads_as_recorded(name: str, summary: dict[str, Any], read_pdf: Any) -> None:
    got = _read_back(DOCUMENTS[name](summary), read_pdf)
    path = RECORD / f"{name}.json"
    if os.environ.get("KIOSK_REWRITE_SAME_PDFS") == "1":
        path.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    want = json.loads(path.read_text(encoding="utf-8"))
    assert got["metadata"] == want["metadata"]
    assert got["language"] == want["language"]
    assert got["fonts"] == want["fonts"]
    assert len(got["pages"]) == len(want["pages"])
    for number, (page, expected) in enumerate(zip(got["pages"], want["pages"], strict=True), 1):
        assert page == expected, f"page {number} of {name}"


# Drawn in a new process: the Urdu sheet alone, or after an Arabic paper form (the
# two share Noto Naskh Arabic, whose joining forms have no character of their own).
_URDU_SHEET = """
import hashlib, sys
from pathlib import Path
from kiosk.engine import FormLibrary
from kiosk.reports import takeaway_pdf
from kiosk.reports.paper_form import paper_form_pdf, paper_forms
from tests.reports.conftest import make_summary
if sys.argv[1] == "after-arabic":
    paper_form_pdf(paper_forms(FormLibrary.load(Path("forms")), "survey", "ar", {}))
print(hashlib.sha256(takeaway_pdf(make_summary(), language="ur", large_print=True)).hexdigest())
"""


@pytest.mark.export
def test_a_pdf_does_not_depend_on_what_the_process_drew_before() -> None:
    """A server draws many documents in one process: an Urdu sheet must come out byte for
    byte the same whether or not an Arabic form was drawn first."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]

    def sheet(order: str) -> str:
        done = subprocess.run(
            [sys.executable, "-c", _URDU_SHEET, order],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
            # RL_invariant: no creation time or random id, so the bytes can be compared
            env={**os.environ, "PYTHONPATH": str(root), "RL_invariant": "1"},
        )
        return done.stdout.strip()

    assert sheet("alone") == sheet("after-arabic")
