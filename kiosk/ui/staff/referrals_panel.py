"""Referrals for one patient: the list, adding one, and recording its outcome.

Recording an outcome carries the version it was read at: if someone else saved
that referral first, the row shows what they saved, this user's choice stays in
the boxes, and Save outcome again applies it on purpose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from kiosk.console.client import EditConflict
from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import TextTableModel, table_view
from kiosk.vocabulary import AWAITING, REFERRAL_KINDS, REFERRAL_OUTCOMES


def _date_edit(name: str) -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    edit.setAccessibleName(name)
    return edit


def _buddy(text: str, widget: Any) -> QLabel:
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def outcome_words(referral: Mapping[str, Any]) -> str:
    """ "Attended (1 Dec 2026)", or just the outcome while it has no date."""
    outcome = words.referral_outcome(str(referral.get("outcome") or AWAITING))
    on = words.day(referral.get("outcome_on"))
    return f"{outcome} ({on})" if on else outcome


def _hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("hint")
    return label


class ReferralsPanel(QGroupBox):
    changed = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__(self.tr("Referrals"))
        self.session = session
        self.submission_id: str | None = None
        self.referrals: dict[int, dict[str, Any]] = {}
        layout = QVBoxLayout(self)
        self.model = TextTableModel(
            [self.tr("Referred to"), self.tr("On"), self.tr("Outcome"), self.tr("Notes")]
        )
        self.table = table_view(self.model, self.tr("Referrals"), whole=True, stretch=(0, 2, 3))
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        layout.addWidget(self.table)

        layout.addWidget(_hint(self.tr("New referral")))
        add = QGridLayout()
        self.kind = QComboBox()
        for code in REFERRAL_KINDS:
            self.kind.addItem(words.referral_kind(code), code)
        self.kind.setAccessibleName(self.tr("Refer to"))
        self.referred_on = _date_edit(self.tr("Referred on"))
        self.add_notes = QLineEdit()
        self.add_notes.setAccessibleName(self.tr("Referral notes"))
        self.add_button = QPushButton(self.tr("A&dd referral"))
        self.add_button.setAccessibleName(self.tr("Add referral"))
        self.add_button.clicked.connect(self.add)
        add.addWidget(_buddy(self.tr("Re&fer to"), self.kind), 0, 0)
        add.addWidget(self.kind, 0, 1)
        add.addWidget(self.referred_on, 0, 2)
        add.addWidget(_buddy(self.tr("Notes"), self.add_notes), 1, 0)
        add.addWidget(self.add_notes, 1, 1)
        add.addWidget(self.add_button, 1, 2)
        add.setColumnStretch(1, 1)
        layout.addLayout(add)

        layout.addWidget(_hint(self.tr("Outcome of the referral selected above")))
        edit = QGridLayout()
        self.outcome = QComboBox()
        for code in REFERRAL_OUTCOMES:
            self.outcome.addItem(words.referral_outcome(code), code)
        self.outcome.setAccessibleName(self.tr("Outcome of the selected referral"))
        self.outcome.currentIndexChanged.connect(self._outcome_chosen)
        self.outcome_on = _date_edit(self.tr("Outcome date"))
        self.outcome_notes = QLineEdit()
        self.outcome_notes.setAccessibleName(self.tr("Notes on the selected referral"))
        self.outcome_button = QPushButton(self.tr("Save o&utcome"))
        self.outcome_button.setAccessibleName(self.tr("Save outcome"))
        self.outcome_button.clicked.connect(self.save_outcome)
        edit.addWidget(_buddy(self.tr("Outcome"), self.outcome), 0, 0)
        edit.addWidget(self.outcome, 0, 1)
        edit.addWidget(self.outcome_on, 0, 2)
        edit.addWidget(_buddy(self.tr("Notes"), self.outcome_notes), 1, 0)
        edit.addWidget(self.outcome_notes, 1, 1)
        edit.addWidget(self.outcome_button, 1, 2)
        edit.setColumnStretch(1, 1)
        layout.addLayout(edit)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        self._enable_editing(False)
        self.setEnabled(False)

    # ------------------------------------------------------------ showing
    def load(self, submission_id: str, referrals: Sequence[Mapping[str, Any]]) -> None:
        self.submission_id = submission_id
        self.referrals = {int(r["id"]): dict(r) for r in referrals}
        self._fill()
        self.add_notes.clear()
        say(self.message, "")
        self.setEnabled(True)

    def clear(self) -> None:
        self.submission_id = None
        self.referrals = {}
        self._fill()
        self.add_notes.clear()
        self.outcome_notes.clear()
        say(self.message, "")
        self.setEnabled(False)

    def _fill(self, keep: int | None = None) -> None:
        rows = [
            [
                words.referral_kind(r["kind"]),
                words.day(r.get("referred_on")),
                outcome_words(r),
                str(r.get("notes") or ""),
            ]
            for r in self.referrals.values()
        ]
        self.model.set_rows(rows, list(self.referrals))
        row = self.model.row_of(keep)
        if row is not None:
            self.table.selectRow(row)
        else:
            self._enable_editing(False)

    def selected(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row()):
            return None
        return int(self.model.key(index.row()))

    def _picked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self._enable_editing(False)
            return
        referral = self.referrals[int(self.model.key(current.row()))]
        self.outcome.setCurrentIndex(max(0, self.outcome.findData(referral.get("outcome"))))
        if referral.get("outcome_on"):
            self.outcome_on.setDate(words.to_qdate(dt.date.fromisoformat(referral["outcome_on"])))
        else:
            self.outcome_on.setDate(QDate.currentDate())
        self.outcome_notes.setText(str(referral.get("notes") or ""))
        self._enable_editing(True)

    def _enable_editing(self, enabled: bool) -> None:
        for widget in (self.outcome, self.outcome_notes, self.outcome_button):
            widget.setEnabled(enabled)
        self._outcome_chosen()
        if not enabled:
            self.outcome_on.setEnabled(False)

    def _outcome_chosen(self, _index: int = 0) -> None:
        self.outcome_on.setEnabled(
            self.outcome.isEnabled() and self.outcome.currentData() != AWAITING
        )

    # ------------------------------------------------------------ changing
    def add(self) -> None:
        if self.submission_id is None:
            return
        sid, kind = self.submission_id, str(self.kind.currentData())
        on, notes = words.to_date(self.referred_on.date()), self.add_notes.text().strip()
        client = self.session.client
        self.add_button.setEnabled(False)
        say(self.message, "")
        self.session.run(
            self, lambda: client.add_referral(sid, kind, on, notes), self._added, self._add_failed
        )

    def _added(self, referral: Mapping[str, Any]) -> None:
        self.add_button.setEnabled(True)
        self.referrals[int(referral["id"])] = dict(referral)
        self.add_notes.clear()
        self._fill(keep=int(referral["id"]))
        say(self.message, self.tr("Referral added."), problem=False)
        self.changed.emit()

    def _add_failed(self, exc: Exception) -> None:
        self.add_button.setEnabled(True)
        say(self.message, words.problem(exc))

    def save_outcome(self) -> None:
        rid = self.selected()
        if rid is None:
            say(self.message, self.tr("Select a referral in the list first."))
            return
        referral = self.referrals[rid]
        version, outcome = int(referral.get("version", 0)), str(self.outcome.currentData())
        on = None if outcome == AWAITING else words.to_date(self.outcome_on.date())
        notes = self.outcome_notes.text()
        client = self.session.client
        self.outcome_button.setEnabled(False)
        say(self.message, "")
        self.session.run(
            self,
            lambda: client.update_referral(rid, version, outcome, on, notes),
            self._outcome_saved,
            lambda exc: self._outcome_failed(rid, exc),
        )

    def _outcome_saved(self, referral: Mapping[str, Any]) -> None:
        self.outcome_button.setEnabled(True)
        self.referrals[int(referral["id"])] = dict(referral)
        self._fill(keep=int(referral["id"]))
        say(self.message, self.tr("Outcome saved."), problem=False)
        self.changed.emit()

    def _outcome_failed(self, rid: int, exc: Exception) -> None:
        self.outcome_button.setEnabled(True)
        if not (isinstance(exc, EditConflict) and exc.current):
            say(self.message, words.problem(exc))
            return
        # Show theirs in the list; keep this user's choice in the boxes.
        mine = (self.outcome.currentIndex(), self.outcome_on.date(), self.outcome_notes.text())
        theirs = dict(exc.current)
        self.referrals[rid] = {**self.referrals[rid], **theirs}
        self._fill(keep=rid)
        self.outcome.setCurrentIndex(mine[0])
        self.outcome_on.setDate(mine[1])
        self.outcome_notes.setText(mine[2])
        say(
            self.message,
            self.tr(
                "Someone else changed this referral before you, so your outcome was not saved. "
                "The list shows what they saved (%1). Your choice is still below: press Save "
                "outcome again to apply it."
            ).replace("%1", words.referral_outcome(str(theirs.get("outcome", "")))),
        )
