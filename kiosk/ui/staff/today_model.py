"""Today's whole clinic list as a table model, fed with the ``GET /clinic-day`` answer
(docs/staff-api.md): every appointment with how far its patient has got, then the
day's submissions that match no appointment.

A stage is a word and a shape (:func:`stage_icon`), never colour alone: a hollow
ring for not started, a ring with a dot for checked in, a half-filled circle for
started, a filled circle with a tick for finished. Flags and urgency are shown
only for a finished patient, and only when the clinic sent them (never to a
receptionist). "Not finished yet" keeps the rows still waiting for someone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from kiosk.ui.staff import words
from kiosk.ui.staff.look import urgency_icon
from kiosk.ui.staff.tables import PatientRowsModel
from kiosk.vocabulary import ASSISTED, CHECKED_IN, FINISHED, NOT_STARTED, PAPER, STARTED, TABLET

# The console's words for the stages and routes of kiosk.vocabulary.
STAGES = {
    NOT_STARTED: str(QT_TRANSLATE_NOOP("StaffConsole", "Not started")),
    CHECKED_IN: str(QT_TRANSLATE_NOOP("StaffConsole", "Checked in")),
    STARTED: str(QT_TRANSLATE_NOOP("StaffConsole", "Started")),
    FINISHED: str(QT_TRANSLATE_NOOP("StaffConsole", "Finished")),
}
ROUTES = {
    TABLET: str(QT_TRANSLATE_NOOP("StaffConsole", "Tablet")),
    ASSISTED: str(QT_TRANSLATE_NOOP("StaffConsole", "Assisted by staff")),
    PAPER: str(QT_TRANSLATE_NOOP("StaffConsole", "Paper")),
}
_INK = "#212B32"


def stage_word(code: str) -> str:
    return words.tr(STAGES.get(code, code))


def route_word(code: str | None) -> str:
    return words.tr(ROUTES.get(code, code)) if code else ""


def stage_icon(stage: str) -> QIcon:
    """How full the circle is says how far the patient got (with the word beside it)."""
    size = 20
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ink = QColor(_INK)
    painter.setPen(QPen(ink, 2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    circle = QRectF(2, 2, 16, 16)
    if stage == CHECKED_IN:
        painter.drawEllipse(circle)
        painter.setBrush(ink)
        painter.drawEllipse(QPointF(10, 10), 2.5, 2.5)
    elif stage == STARTED:
        painter.drawEllipse(circle)
        painter.setBrush(ink)
        painter.drawPie(circle, 90 * 16, 180 * 16)  # the left half filled
    elif stage == FINISHED:
        painter.setBrush(ink)
        painter.drawEllipse(circle)
        painter.setPen(QPen(QColor("#FFFFFF"), 2))
        painter.drawPolyline([QPointF(6, 10), QPointF(9, 13), QPointF(14, 7)])
    else:
        painter.drawEllipse(circle)
    painter.end()
    return QIcon(pixmap)


class TodayModel(PatientRowsModel):
    TIME, PATIENT, CLINIC, STAGE, ROUTE, URGENCY, FLAGS = range(7)
    COLUMNS = 7
    HEADERS = (
        str(QT_TRANSLATE_NOOP("StaffConsole", "Time")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Patient")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Clinic")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "How far")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Route")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Urgency")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Flags")),
    )

    def __init__(self, *, show_flags: bool = True) -> None:
        super().__init__(show_flags=show_flags)
        self.unfinished_only = False
        self.everyone: list[dict[str, Any]] = []  # the appointments, then those not on the list
        # self.items: the rows shown
        self.counts: dict[str, int] = {}
        self.routes: dict[str, int] = {}
        self.day = ""

    # ------------------------------------------------------------ feeding
    def set_day(self, day: Mapping[str, Any]) -> None:
        self.beginResetModel()
        self.everyone = [dict(a, on_list=True) for a in day.get("appointments", [])]
        self.everyone += [dict(o, on_list=False) for o in day.get("not_on_list", [])]
        self.counts = dict(day.get("counts", {}))
        self.routes = dict(day.get("routes", {}))
        self.day = str(day.get("day", ""))
        self._choose()
        self.endResetModel()

    def set_unfinished_only(self, only: bool) -> None:
        self.beginResetModel()
        self.unfinished_only = only
        self._choose()
        self.endResetModel()

    def _choose(self) -> None:
        self.items = [
            i for i in self.everyone if not (self.unfinished_only and i.get("stage") == FINISHED)
        ]

    def clear(self) -> None:
        self.set_day({})

    def submission_id(self, row: int) -> str | None:
        """The submission to open for a row: its latest; None while there is none."""
        ids = self.items[row].get("submission_ids") or []
        return str(ids[-1]) if ids else None

    def key(self, row: int) -> str:
        """What stays the same for a row across refreshes: its appointment, or (not on
        the list) its first submission."""
        item = self.items[row]
        return str(item.get("appointment_id") or (item.get("submission_ids") or [""])[0])

    def row_of_key(self, key: str | None) -> int | None:
        for row in range(len(self.items)):
            if key and self.key(row) == key:
                return row
        return None

    def row_of(self, submission_id: str | None) -> int | None:
        for row, item in enumerate(self.items):
            if submission_id is not None and submission_id in (item.get("submission_ids") or []):
                return row
        return None

    # ------------------------------------------------------------ Qt
    def _more(self, item: dict[str, Any], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.STAGE:
                return stage_icon(str(item.get("stage")))
            if column == self.URGENCY and item.get("urgency") is not None and self.show_flags:
                return urgency_icon(int(item["urgency"]))
        return None

    def _text(self, item: dict[str, Any], column: int) -> str:
        if column == self.TIME:
            return str(item.get("time") or QCoreApplication.translate("StaffConsole", "No time"))
        if column == self.PATIENT:
            if not item["on_list"]:
                return QCoreApplication.translate("StaffConsole", "Not on the clinic list")
            return str(item.get("name") or "")
        if column == self.CLINIC:
            return str(item.get("clinic") or "")
        if column == self.STAGE:
            return stage_word(str(item.get("stage", NOT_STARTED)))
        if column == self.ROUTE:
            return route_word(item.get("route"))
        if column == self.URGENCY:
            if not self.show_flags or item.get("urgency") is None:
                return ""
            return words.urgency(int(item["urgency"]))
        if column == self.FLAGS:
            flags = item.get("flags", []) if self.show_flags else []
            return ", ".join(words.flag_word(f["id"], f.get("word")) for f in flags)
        return ""
