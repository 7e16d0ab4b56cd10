"""Today's whole clinic list, so nobody is missed: the counts at the top (appointments
and each stage, then each route), a table of every appointment with how far its
patient has got, and "Not finished yet" to keep only those still waiting.

It refreshes itself like the queue (a timer, while it is on screen; F5 and the
Refresh button at any time), keeping the selected row. Clinicians and link
workers open a patient's summary from a row that has answers (Enter,
double-click, the Open button); receptionists see the list without urgency or
flags (the clinic leaves them out) and open nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QModelIndex, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.patient_list import PatientList
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.today_model import ROUTES, STAGES, TodayModel
from kiosk.vocabulary import APPOINTMENT_STAGES, ENTRY_ROUTES, NOT_ON_LIST, TOTAL_COUNT

STAGE_COUNTS = (
    (TOTAL_COUNT, str(QT_TRANSLATE_NOOP("StaffConsole", "Appointments"))),
    *((code, STAGES[code]) for code in APPOINTMENT_STAGES),
    (NOT_ON_LIST, str(QT_TRANSLATE_NOOP("StaffConsole", "Not on the list"))),
)


class TodayPanel(PatientList):
    """``open_requested(submission_id)`` when the reader opens a patient; never for a
    receptionist."""

    model: TodayModel

    def __init__(
        self,
        session: Session,
        model: TodayModel,
        *,
        can_open: bool,
        refresh_every_s: float = 30,
    ) -> None:
        super().__init__(session, model, can_open=can_open)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel(self.tr("Today's whole clinic list"))
        title.setObjectName("title")
        layout.addWidget(title)
        layout.addLayout(self._counts_row())
        layout.addLayout(self._routes_row())
        layout.addLayout(self._filters_row())
        self.table = self._patient_table(self.tr("Today's whole clinic list"))
        layout.addWidget(self.table, 1)
        layout.addLayout(self._footer())
        self.timer = QTimer(self)
        self.timer.setInterval(round(refresh_every_s * 1000))
        self.timer.timeout.connect(self._tick)
        # Only while the reader is here: the queue has its own F5 in the same window.
        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.refresh, context=context)

    # ------------------------------------------------------------ building
    def _counts_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.count_labels = self._count_labels(row, STAGE_COUNTS)
        return row

    def _routes_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        heading = QLabel(self.tr("By route:"))
        heading.setObjectName("meta")
        row.addWidget(heading)
        self.route_labels = self._count_labels(row, [(c, ROUTES[c]) for c in ENTRY_ROUTES])
        self._set_counts({}, {})
        return row

    def _filters_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.unfinished = QCheckBox(self.tr("&Not finished yet"))
        self.unfinished.setAccessibleName(self.tr("Show only patients not finished yet"))
        self.unfinished.toggled.connect(self._filter)
        row.addWidget(self.unfinished)
        row.addStretch(1)
        self.refresh_button = QPushButton(self.tr("&Refresh (F5)"))
        self.refresh_button.setAccessibleName(self.tr("Refresh today's list"))
        self.refresh_button.clicked.connect(self.refresh)
        row.addWidget(self.refresh_button)
        return row

    # ------------------------------------------------------------ reading
    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def _fetch(self) -> Callable[[], Any]:
        return self.session.client.clinic_day

    def _show(self, day: Mapping[str, Any]) -> None:
        selected = self._selected_key()
        scroll = self.table.verticalScrollBar().value()
        self.model.set_day(day)
        self._set_counts(self.model.counts, self.model.routes)
        self._select_row(self.model.row_of_key(selected))
        self.table.verticalScrollBar().setValue(scroll)

    def _set_counts(self, counts: Mapping[str, int], routes: Mapping[str, int]) -> None:
        for key, label in STAGE_COUNTS:
            self.count_labels[key].setText(f"{words.tr(label)}: {counts.get(key, 0)}")
        for key in ENTRY_ROUTES:
            self.route_labels[key].setText(f"{words.tr(ROUTES[key])}: {routes.get(key, 0)}")

    def _filter(self, only: bool) -> None:
        selected = self._selected_key()
        self.model.set_unfinished_only(only)
        self._select_row(self.model.row_of_key(selected))

    # ------------------------------------------------------------ the reader's place
    def _selected_key(self) -> str | None:
        row = self._selected_row()
        return None if row is None else self.model.key(row)

    def selected_id(self) -> str | None:
        """The selected row's latest submission (None: nothing selected, or no answers)."""
        row = self._selected_row()
        return None if row is None else self.model.submission_id(row)

    # ------------------------------------------------------------ opening
    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._open_row(index.row())

    def open_selected(self) -> None:
        row = self._selected_row()
        if row is None:
            say(self.message, self.tr("Select a patient in the list first."))
        else:
            self._open_row(row)

    def _open_row(self, row: int) -> None:
        submission_id = self.model.submission_id(row)
        if submission_id is None:
            say(self.message, self.tr("Nothing to open yet: this patient has sent no answers."))
        elif self.can_open:
            self.open_requested.emit(submission_id)
