"""What the queue and today's whole clinic list share on screen: a row of counts, the
table of patients, the footer (a message, when it was updated, the Open button),
refreshing one load at a time, and keeping the reader's selected row.

A subclass builds its own filters, says in ``_fetch`` what to ask the clinic and in
``_show`` how to put the answer on screen (keeping the reader's place), and opens a
patient in its own way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import PatientRowsModel, SampledWidths


class PatientList(QWidget):
    """``open_requested(submission_id)`` when the reader opens a patient; never for a
    receptionist. ``refreshed`` after each answer is shown."""

    open_requested = Signal(str)
    refreshed = Signal()
    table: QTableView  # made by the subclass with _patient_table
    timer: QTimer  # the subclass's, refreshing while it is started

    def __init__(self, session: Session, model: PatientRowsModel, *, can_open: bool) -> None:
        super().__init__()
        self.session = session
        self.model = model
        self.can_open = can_open
        self._loading = False
        self._again = False

    # ------------------------------------------------------------ building
    @staticmethod
    def _count_labels(row: QHBoxLayout, pairs: Iterable[tuple[str, str]]) -> dict[str, QLabel]:
        """A "Word: n" label for each (key, word marked for StaffConsole), then a stretch."""
        labels = {}
        for key, label in pairs:
            widget = QLabel()
            widget.setObjectName("count")
            widget.setAccessibleName(words.tr(label))
            labels[key] = widget
            row.addWidget(widget)
        row.addStretch(1)
        return labels

    def _patient_table(self, name: str) -> QTableView:
        """Read-only, a row at a time; the other columns as wide as their widest cell,
        the patient and flags columns share what is left, and urgency and flags are
        hidden when the clinic leaves them out."""
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName(name)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.verticalHeader().hide()
        if not self.model.show_flags:
            table.hideColumn(self.model.URGENCY)
            table.hideColumn(self.model.FLAGS)
        self.widths = SampledWidths(table, self.model, (self.model.PATIENT, self.model.FLAGS))
        if self.can_open:
            table.activated.connect(self._open_index)
        return table

    def _footer(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        row.addWidget(self.message, 1)
        self.updated = QLabel()
        self.updated.setObjectName("meta")
        row.addWidget(self.updated)
        self.open_button = QPushButton(self.tr("&Open summary (Enter)"))
        self.open_button.setObjectName("primary")
        self.open_button.setAccessibleName(self.tr("Open the selected patient's summary"))
        self.open_button.clicked.connect(self.open_selected)
        if not self.can_open:
            # (hidden, never shown: a parentless widget shown would be a window of its own)
            self.open_button.hide()
        row.addWidget(self.open_button)
        return row

    # ------------------------------------------------------------ reading
    def _fetch(self) -> Callable[[], Any]:
        raise NotImplementedError

    def _show(self, answer: Any) -> None:
        raise NotImplementedError

    def _open_index(self, index: QModelIndex) -> None:
        raise NotImplementedError

    def open_selected(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self.refresh()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def refresh(self) -> None:
        """One load at a time: asked for again while loading, it loads once more after."""
        if self._loading:
            self._again = True
            return
        self._loading = True
        self.session.run(self, self._fetch(), self._loaded, self._failed)

    def _loaded(self, answer: Any) -> None:
        self._loading = False
        self._show(answer)
        say(self.message, "")
        self.updated.setText(
            self.tr("Updated %1").replace("%1", dt.datetime.now().strftime("%H:%M"))
        )
        self.refreshed.emit()
        if self._again:
            self._again = False
            self.refresh()

    def _failed(self, exc: Exception) -> None:
        self._loading = False
        self._again = False
        say(self.message, words.problem(exc))

    # ------------------------------------------------------------ the reader's place
    def _selected_row(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return index.row()

    def _select_row(self, row: int | None) -> None:
        if row is None:
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(self.model.index(row, 0), flags)

    def select(self, submission_id: str) -> None:
        row = self.model.row_of(submission_id)
        self._select_row(row)
        if row is not None:
            self.table.scrollTo(self.model.index(row, 0))
