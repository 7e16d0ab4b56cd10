"""Today's queue: counts, filters and the table, refreshing itself without losing the
reader's place (the selected patient stays selected, the scroll position is kept).

Receptionists see the queue without urgency or flags and cannot open a summary.
Keys: Ctrl+F the filters, F5 refresh, Enter opens the selected patient.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.patient_list import PatientList
from kiosk.ui.staff.queue_model import Novelty, QueueModel
from kiosk.ui.staff.session import Session
from kiosk.vocabulary import FLAG_COUNTS, TRIAGE_STATUSES

__all__ = ["QueueModel", "QueuePlace", "QueueView"]

COUNTS = (
    ("total", str(QT_TRANSLATE_NOOP("StaffConsole", "Patients"))),
    ("urgent", str(QT_TRANSLATE_NOOP("StaffConsole", "Urgent"))),
    ("wants_help", str(QT_TRANSLATE_NOOP("StaffConsole", "Wants help"))),
    ("flagged", str(QT_TRANSLATE_NOOP("StaffConsole", "Flagged"))),
    *((code, words.STATUSES[code]) for code in TRIAGE_STATUSES),
)


@dataclass
class QueuePlace:
    """Where the reader was: kept over a lock so unlocking returns them there."""

    day: dt.date | None
    clinic: str
    status: str
    flag: str
    selected: str | None
    scroll: int
    novelty: Novelty


class QueueView(PatientList):
    """``open_requested(submission_id)`` when the reader opens a patient (Enter, double-click,
    the Open button); never for a receptionist."""

    model: QueueModel

    def __init__(
        self,
        session: Session,
        *,
        can_open: bool,
        show_flags: bool,
        refresh_every_s: float = 30,
        place: QueuePlace | None = None,
    ) -> None:
        model = QueueModel(place.novelty if place else None, show_flags=show_flags)
        super().__init__(session, model, can_open=can_open)
        self.show_flags = show_flags
        self._place = place
        self._known_flags: dict[str, str | None] = {}  # flag id -> its declared word
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._counts_row())
        layout.addLayout(self._filters_row())
        self.table = self._patient_table(self.tr("Today's queue"))
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        layout.addWidget(self.table, 1)
        layout.addLayout(self._footer())
        self.timer = QTimer(self)
        self.timer.setInterval(round(refresh_every_s * 1000))
        self.timer.timeout.connect(self.refresh)
        QShortcut(QKeySequence("Ctrl+F"), self, self.clinic.setFocus)
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh)
        if place is not None:
            self._restore_filters(place)

    # ------------------------------------------------------------ building
    def _counts_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        shown = [(k, label) for k, label in COUNTS if self.show_flags or k not in FLAG_COUNTS]
        self.count_labels = self._count_labels(row, shown)
        self._set_counts({})
        return row

    def _filters_row(self) -> QHBoxLayout:
        row = QHBoxLayout()

        def labelled(text: str, widget: QWidget, name: str) -> None:
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setAccessibleName(name)
            row.addWidget(label)
            row.addWidget(widget)

        self.clinic = QComboBox()
        self.clinic.addItem(self.tr("All clinics"), "")
        self.clinic.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        labelled(self.tr("&Clinic"), self.clinic, self.tr("Clinic filter"))
        self.day = QDateEdit(QDate.currentDate())
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("d MMM yyyy")
        labelled(self.tr("&Day"), self.day, self.tr("Day"))
        self.status = QComboBox()
        self.status.addItem(self.tr("Any status"), "")
        for code in TRIAGE_STATUSES:
            self.status.addItem(words.status(code), code)
        labelled(self.tr("S&tatus"), self.status, self.tr("Status filter"))
        self.flag = QComboBox()
        self.flag.addItem(self.tr("Any flag"), "")
        self.flag.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        if self.show_flags:
            labelled(self.tr("F&lag"), self.flag, self.tr("Flag filter"))
        else:
            self.flag.hide()
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("&Refresh (F5)"))
        self.refresh_button.setAccessibleName(self.tr("Refresh the queue"))
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        for combo in (self.clinic, self.status, self.flag):
            combo.activated.connect(self.refresh)
        self.day.dateChanged.connect(self.refresh)
        return row

    # ------------------------------------------------------------ reading
    def filters(self) -> dict[str, Any]:
        return {
            "day": words.to_date(self.day.date()),
            "clinic": self.clinic.currentData() or None,
            "status": self.status.currentData() or None,
            "flag": (self.flag.currentData() or None) if self.show_flags else None,
        }

    def _fetch(self) -> Callable[[], Any]:
        chosen = self.filters()
        day = chosen.pop("day")
        client = self.session.client
        return lambda: client.queue(day, **chosen)

    def _show(self, queue: Mapping[str, Any]) -> None:
        selected = self.place().selected
        scroll = self.table.verticalScrollBar().value()
        if self._place is not None:  # the first answer after unlocking
            selected, scroll, self._place = self._place.selected, self._place.scroll, None
        self.model.set_queue(queue)
        self._set_counts(self.model.counts)
        self._set_choices(self.clinic, self.model.clinics, lambda c: c)
        if self.show_flags and not self.flag.currentData():
            self._known_flags.update(
                (f["id"], f.get("word")) for i in self.model.items for f in i.get("flags", [])
            )
        self._set_choices(self.flag, sorted(self._known_flags), self._flag_word)
        self._select_row(self.model.row_of(selected))
        self.table.verticalScrollBar().setValue(scroll)

    def _set_counts(self, counts: Mapping[str, int]) -> None:
        for key, label in COUNTS:
            if key in self.count_labels:
                self.count_labels[key].setText(f"{words.tr(label)}: {counts.get(key, 0)}")

    @staticmethod
    def _set_choices(combo: QComboBox, values: list[str], shown: Any) -> None:
        current = combo.currentData()
        have = [combo.itemData(i) for i in range(1, combo.count())]
        for value in values:
            if value not in have:
                combo.addItem(shown(value), value)
        if current:
            combo.setCurrentIndex(max(0, combo.findData(current)))

    # ------------------------------------------------------------ the reader's place
    def selected_id(self) -> str | None:
        row = self._selected_row()
        return None if row is None else self.model.submission_id(row)

    def place(self) -> QueuePlace:
        return QueuePlace(
            day=words.to_date(self.day.date()),
            clinic=str(self.clinic.currentData() or ""),
            status=str(self.status.currentData() or ""),
            flag=str(self.flag.currentData() or ""),
            selected=self.selected_id(),
            scroll=self.table.verticalScrollBar().value(),
            novelty=self.model.novelty,
        )

    def _flag_word(self, flag_id: str) -> str:
        return words.flag_word(flag_id, self._known_flags.get(flag_id))

    def _restore_filters(self, place: QueuePlace) -> None:
        widgets = (self.day, self.clinic, self.status, self.flag)
        blockers = [w.blockSignals(True) for w in widgets]
        if place.day:
            self.day.setDate(words.to_qdate(place.day))
        for combo, value, shown in (
            (self.clinic, place.clinic, lambda c: c),
            (self.status, place.status, words.status),
            (self.flag, place.flag, self._flag_word),
        ):
            if value:
                if combo.findData(value) < 0:
                    combo.addItem(shown(value), value)
                combo.setCurrentIndex(combo.findData(value))
        for widget, was in zip(
            (self.day, self.clinic, self.status, self.flag), blockers, strict=True
        ):
            widget.blockSignals(was)

    # ------------------------------------------------------------ opening
    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.model.mark_seen(self.model.submission_id(current.row()))

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.submission_id(index.row()))

    def open_selected(self) -> None:
        submission_id = self.selected_id()
        if submission_id is None:
            say(self.message, self.tr("Select a patient in the queue first."))
        elif self.can_open:
            self.open_requested.emit(submission_id)
