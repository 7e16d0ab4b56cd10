"""The clinician summary and take-away sheet: saved to files and printed, from the console."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, open_patient

from kiosk.ui.staff.documents import CLINICIAN, TAKEAWAY

pytestmark = pytest.mark.staff
WORDS = "My breathing gets worse when I climb the stairs to my flat."


def text_of(path: Path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


@pytest.mark.control("H-12-C1")
def test_both_documents_are_saved_with_the_patients_words(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    window = consoles.open("clinician")
    documents = open_patient(qtbot, window, staff_clinic.ids["urgent"]).documents
    assert documents.isEnabled()
    summary_pdf, takeaway_pdf = tmp_path / "summary.pdf", tmp_path / "takeaway.pdf"
    with qtbot.waitSignal(documents.saved, timeout=30_000) as done:
        documents.save(CLINICIAN, summary_pdf)
    assert done.args == [str(summary_pdf)]
    assert documents.message.text() == f"Saved to {summary_pdf}"
    clinician = text_of(summary_pdf)
    assert WORDS in clinician
    assert "999 000 0018" in clinician or "9990000018" in clinician
    documents.large_print.setChecked(True)
    with qtbot.waitSignal(documents.saved, timeout=30_000):
        documents.save(TAKEAWAY, takeaway_pdf)
    takeaway = text_of(takeaway_pdf)
    assert WORDS in takeaway
    for number in ("9990000018", "999 000 0018", "999 000 001"):
        assert number not in takeaway  # the sheet leaves with the patient: no NHS number


def test_a_document_that_cannot_be_saved_says_why(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    window = consoles.open("linkworker")
    documents = open_patient(qtbot, window, staff_clinic.ids["routine"]).documents
    target = tmp_path / "no such folder" / "summary.pdf"
    documents.save(CLINICIAN, target)
    qtbot.waitUntil(lambda: documents.message.text().startswith("Could not save"), timeout=30_000)
    assert "Traceback" not in documents.message.text()
    assert all(button.isEnabled() for button in documents.buttons)


@pytest.mark.control("H-12-C4")
def test_printing_sends_every_page_to_the_printer(
    qtbot, consoles: Consoles, staff_clinic, tmp_path: Path
) -> None:
    window = consoles.open("clinician")
    documents = open_patient(qtbot, window, staff_clinic.ids["pain_followup"]).documents
    reference = tmp_path / "reference.pdf"
    with qtbot.waitSignal(documents.saved, timeout=30_000):
        documents.save(CLINICIAN, reference)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(printed))
    with qtbot.waitSignal(documents.printed, timeout=30_000) as done:
        documents.print_to(CLINICIAN, printer)
    pages = len(PdfReader(reference).pages)
    assert done.args == [pages]
    assert len(PdfReader(printed).pages) == pages
    assert printed.stat().st_size > 10_000  # the pages were drawn, not left blank
    assert documents.message.text().startswith("Sent to the printer")
