"""Today's queue as a table model, fed with the ``GET /queue`` answer (docs/staff-api.md).

The order is the server's (urgent first). An item is NEW while it arrived after
the reader first looked at the queue and they have not selected or opened it
since; NEW is the word "NEW" and a bold row, never colour alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QFont, QIcon

from kiosk.ui.staff import words
from kiosk.ui.staff.look import urgency_icon
from kiosk.ui.staff.tables import Index, PatientRowsModel
from kiosk.vocabulary import NEW

_WORDS = frozenset({Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole})
_LOOKS = frozenset({Qt.ItemDataRole.FontRole, Qt.ItemDataRole.DecorationRole})
# The other roles the model answers (PatientRowsModel.data, _more).
_OTHERS = frozenset(
    {
        Qt.ItemDataRole.ToolTipRole,
        PatientRowsModel.SubmissionIdRole,
        PatientRowsModel.ItemRole,
    }
)


@dataclass
class Novelty:
    """What the reader has already looked at (kept across a lock, dropped for a new user)."""

    looked_at: dt.datetime | None = None  # received_at of the newest item at the first look
    seen: set[str] = field(default_factory=set)

    def is_new(self, item: Mapping[str, Any]) -> bool:
        if self.looked_at is None or item["submission_id"] in self.seen:
            return False
        received = _when(item.get("received_at"))
        return received is not None and received > self.looked_at

    def first_look(self, items: list[dict[str, Any]]) -> None:
        if self.looked_at is None:
            times = [t for t in (_when(i.get("received_at")) for i in items) if t is not None]
            self.looked_at = max(times, default=dt.datetime.now(dt.UTC))


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


class QueueModel(PatientRowsModel):
    NEW, URGENCY, TIME, PATIENT, CLINIC, FLAGS, STATUS, OWNER = range(8)
    COLUMNS = 8
    HEADERS = (
        str(QT_TRANSLATE_NOOP("StaffConsole", "New")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Urgency")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Time")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Patient")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Clinic")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Flags")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Status")),
        str(QT_TRANSLATE_NOOP("StaffConsole", "Owner")),
    )

    def __init__(self, novelty: Novelty | None = None, *, show_flags: bool = True) -> None:
        super().__init__(show_flags=show_flags)
        self.novelty = novelty or Novelty()
        self.counts: dict[str, int] = {}
        self.clinics: list[str] = []
        self.day = ""
        self._bold = QFont()
        self._bold.setBold(True)
        self._icons: dict[int, QIcon] = {}
        # Each row's words and whether it is NEW, worked out when the queue arrives or
        # a row is seen: the table asks for them many times over for every paint.
        self._texts: list[tuple[str, ...]] = []
        self._new: list[bool] = []

    # ------------------------------------------------------------ feeding
    def set_queue(self, queue: Mapping[str, Any]) -> None:
        self.beginResetModel()
        self.items = [dict(item) for item in queue.get("items", [])]
        self.counts = dict(queue.get("counts", {}))
        self.clinics = list(queue.get("clinics", []))
        self.day = str(queue.get("day", ""))
        self.novelty.first_look(self.items)
        self._new = [self.novelty.is_new(item) for item in self.items]
        self._texts = [self._row_texts(item) for item in self.items]
        self.endResetModel()

    def clear(self) -> None:
        self.set_queue({})

    def row_of(self, submission_id: str | None) -> int | None:
        for row, item in enumerate(self.items):
            if item["submission_id"] == submission_id:
                return row
        return None

    def submission_id(self, row: int) -> str:
        return str(self.items[row]["submission_id"])

    def is_new(self, row: int) -> bool:
        return self.novelty.is_new(self.items[row])

    def mark_seen(self, submission_id: str) -> None:
        row = self.row_of(submission_id)
        was_new = row is not None and self.is_new(row)
        self.novelty.seen.add(submission_id)
        if row is not None and was_new:
            self._new[row] = False
            self._texts[row] = self._row_texts(self.items[row])
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.COLUMNS - 1))

    def sample_rows(self, column: int) -> dict[Any, int]:
        # A cell's look is its words and whether its row is NEW (bold); the urgency
        # column's icon is on every row or none.
        samples: dict[Any, int] = {}
        for row, (texts, new) in enumerate(zip(self._texts, self._new, strict=True)):
            samples.setdefault((texts[column], new), row)
        return samples

    # ------------------------------------------------------------ Qt
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The roles a paint asks of every cell, answered from what set_queue worked out.
        if role in _WORDS or role in _LOOKS:
            row = index.row()
            if not index.isValid() or not 0 <= row < len(self._texts):
                return None
            if role in _WORDS:
                return self._texts[row][index.column()]
            if role == Qt.ItemDataRole.FontRole:
                return self._bold if self._new[row] else None
            if index.column() == self.URGENCY and self.show_flags:
                return self._icon(int(self.items[row].get("urgency", 3)))
            return None
        if role not in _OTHERS:  # alignment, colours, size hints...: Qt's own
            return None
        return super().data(index, role)

    def _icon(self, level: int) -> QIcon:
        icon = self._icons.get(level)
        if icon is None:
            icon = self._icons[level] = urgency_icon(level)
        return icon

    def _row_texts(self, item: dict[str, Any]) -> tuple[str, ...]:
        return tuple(self._text(item, column) for column in range(self.COLUMNS))

    def _more(self, item: dict[str, Any], column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and column == self.PATIENT:
            return self._text(item, column)
        return None

    def _text(self, item: dict[str, Any], column: int) -> str:
        if column == self.NEW:
            return (
                QCoreApplication.translate("StaffConsole", "NEW")
                if self.novelty.is_new(item)
                else ""
            )
        if column == self.URGENCY:
            return words.urgency(int(item.get("urgency", 3))) if self.show_flags else ""
        if column == self.TIME:
            return str(
                item.get("appointment_time")
                or QCoreApplication.translate("StaffConsole", "No time")
            )
        if column == self.PATIENT:
            line = words.patient_line(item.get("patient"))
            route = words.route_line(item.get("route"), item.get("entered_by"))
            return f"{line} · {route}" if route else line
        if column == self.CLINIC:
            return str(item.get("clinic") or item.get("pathway_title") or "")
        if column == self.FLAGS:
            flags = item.get("flags", [])
            return ", ".join(words.flag_word(f["id"], f.get("word")) for f in flags)
        if column == self.STATUS:
            return words.status(str(item.get("status", NEW)))
        if column == self.OWNER:
            return str(
                item.get("owner") or QCoreApplication.translate("StaffConsole", "Unassigned")
            )
        return ""
