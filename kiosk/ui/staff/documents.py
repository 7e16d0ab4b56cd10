"""The clinician summary and the patient's take-away sheet: saved as PDF, or printed.

The PDFs come from :mod:`kiosk.reports`, made in the background. Printing draws
each page of that same PDF (QtPdf) onto the printer, so the paper matches the
file exactly. ``save(kind, path)`` and ``print_to(kind, printer)`` do the work
without a dialog (the tests use them); the buttons add the file and print dialogs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIODevice,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPushButton,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session

CLINICIAN = "clinician"
TAKEAWAY = "takeaway"
PRINT_DPI = 300  # enough for text; a 1200 dpi printer page would be half a gigabyte


def make_pdf(kind: str, summary: Mapping[str, Any], *, printed_by: str, large_print: bool) -> bytes:
    """The PDF bytes (run in the background: reportlab takes a moment)."""
    from kiosk.reports import clinician_summary_pdf, takeaway_pdf

    if kind == CLINICIAN:
        data = clinician_summary_pdf(
            dict(summary), printed_by=printed_by, printed_at=dt.datetime.now().astimezone()
        )
    else:
        data = takeaway_pdf(
            dict(summary), language=str(summary.get("language") or "en"), large_print=large_print
        )
    return bytes(data)


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Draw every page of a PDF onto ``printer``; the number of pages printed."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        raise OSError(
            QCoreApplication.translate(
                "StaffConsole", "The document could not be read for printing."
            )
        )
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(
            QCoreApplication.translate("StaffConsole", "The printer could not be started.")
        )
    try:
        dpi = min(printer.resolution(), PRINT_DPI)
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            size = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, size)
            area = painter.viewport()
            scaled = size.scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(QRect(area.topLeft(), scaled))
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(area)
            painter.setWindow(area)
    finally:
        painter.end()
    return document.pageCount()


class DocumentsPanel(QGroupBox):
    """``saved(path)`` once a file is written, ``printed(pages)`` once a print is sent."""

    saved = Signal(str)
    printed = Signal(int)

    def __init__(self, session: Session) -> None:
        super().__init__(self.tr("Print or save"))
        self.session = session
        self.summary: dict[str, Any] | None = None
        grid = QGridLayout(self)
        self.large_print = QCheckBox(self.tr("&Large print (take-away sheet)"))
        self.large_print.setAccessibleName(self.tr("Large print take-away sheet"))
        grid.addWidget(self.large_print, 0, 0, 1, 2)
        self.buttons: list[QPushButton] = []
        for row, (kind, save_text, print_text) in enumerate(
            (
                (CLINICIAN, self.tr("Clinician summary (PDF)…"), self.tr("Print summary…")),
                (TAKEAWAY, self.tr("Take-away sheet (PDF)…"), self.tr("Print take-away…")),
            ),
            start=1,
        ):
            save = QPushButton(save_text)
            save.setAccessibleName(save_text.rstrip("…"))
            save.clicked.connect(lambda _=False, k=kind: self.choose_file(k))
            send = QPushButton(print_text)
            send.setAccessibleName(print_text.rstrip("…"))
            send.clicked.connect(lambda _=False, k=kind: self.choose_printer(k))
            grid.addWidget(save, row, 0)
            grid.addWidget(send, row, 1)
            self.buttons += [save, send]
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        grid.addWidget(self.message, 3, 0, 1, 2)
        self.set_summary(None)

    def set_summary(self, summary: Mapping[str, Any] | None) -> None:
        self.summary = dict(summary) if summary is not None else None
        self.setEnabled(summary is not None)
        say(self.message, "")

    # ------------------------------------------------------------ making
    def _make(self, kind: str, work: Callable[[bytes], Any], then: Callable[[Any], None]) -> None:
        """Make the chosen document and hand its bytes to ``work``, both in the background
        (reportlab and the disk take a moment); then ``then(result)`` on the UI thread."""
        if self.summary is None or self.session.ended:  # e.g. locked while a dialog was open
            return
        summary, user, large = self.summary, self.session.username, self.large_print.isChecked()
        for button in self.buttons:
            button.setEnabled(False)
        say(self.message, self.tr("Making the document…"), problem=False)

        def done(result: Any) -> None:
            self._idle()
            then(result)

        def failed(exc: Exception) -> None:
            self._idle()
            say(self.message, self._why(exc))

        self.session.run(
            self,
            lambda: work(make_pdf(kind, summary, printed_by=user, large_print=large)),
            done,
            failed,
        )

    def _why(self, exc: Exception) -> str:
        if isinstance(exc, ImportError):
            return self.tr(
                "Documents cannot be made on this computer: the report module is missing."
            )
        if isinstance(exc, OSError):
            where = exc.filename or self.tr("the file")
            return (
                self.tr("Could not save %1: %2")
                .replace("%1", str(where))
                .replace("%2", exc.strerror or str(exc))
            )
        if type(exc).__name__ == "FontError":  # kiosk.reports': a known, plain problem
            return str(exc)
        return words.problem(exc)

    def _idle(self) -> None:
        for button in self.buttons:
            button.setEnabled(True)

    def save(self, kind: str, path: Path) -> None:
        """Make the document and write it to ``path`` (no dialog); ``saved(path)`` after."""
        from kiosk.reports import write_pdf

        def written(target: Path) -> None:
            say(self.message, self.tr("Saved to %1").replace("%1", str(target)), problem=False)
            self.saved.emit(str(target))

        self._make(kind, lambda data: write_pdf(path, data), written)

    def print_to(self, kind: str, printer: QPrinter) -> None:
        """Make the document and print it on ``printer`` (no dialog); ``printed(pages)`` after."""

        def send(data: bytes) -> None:
            try:
                pages = print_pdf(data, printer)
            except OSError as exc:
                say(self.message, str(exc))
                return
            say(
                self.message, self.tr("Sent to the printer (%n page(s)).", "", pages), problem=False
            )
            self.printed.emit(pages)

        self._make(kind, lambda data: data, send)

    # ------------------------------------------------------------ dialogs
    def choose_file(self, kind: str) -> None:
        suggested = "clinician-summary.pdf" if kind == CLINICIAN else "take-away-sheet.pdf"
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save as PDF"), str(Path.home() / suggested), self.tr("PDF (*.pdf)")
        )
        if path:
            self.save(kind, Path(path))

    def choose_printer(self, kind: str) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            self.print_to(kind, printer)
