"""The audit log for administrators: who did what, when and from where, newest first,
filtered by a submission id or a user (``GET /audit``). It names submissions by id only."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import TextTableModel, table_view


class AuditLog(QWidget):
    """``loaded()`` after the entries for the latest filter arrive."""

    loaded = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._asked = 0
        layout = QVBoxLayout(self)
        filters = QHBoxLayout()
        self.target = QLineEdit()
        self.target.setAccessibleName(self.tr("Submission id"))
        self.target.setPlaceholderText(self.tr("any submission"))
        self.actor = QLineEdit()
        self.actor.setAccessibleName(self.tr("User"))
        self.actor.setPlaceholderText(self.tr("anyone"))
        for text, widget in (
            (self.tr("Subm&ission"), self.target),
            (self.tr("U&ser"), self.actor),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget, 1)
            widget.returnPressed.connect(self.load)
        self.button = QPushButton(self.tr("S&how"))
        self.button.setAccessibleName(self.tr("Show the audit log"))
        self.button.clicked.connect(self.load)
        filters.addWidget(self.button)
        layout.addLayout(filters)
        self.model = TextTableModel(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("What"),
                self.tr("Submission or item"),
                self.tr("Outcome"),
                self.tr("From"),
            ]
        )
        self.table = table_view(self.model, self.tr("Audit log"))
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)

    def show_entries(self, *, target: str = "", actor: str = "") -> None:
        """Filter by a submission id and/or a user (``clinician`` or ``user:clinician``)."""
        self.target.setText(target)
        self.actor.setText(actor)
        self.load()

    def load(self) -> None:
        target = self.target.text().strip() or None
        actor = self.actor.text().strip() or None
        if actor and ":" not in actor:
            actor = f"user:{actor}"
        client = self.session.client
        say(self.message, "")
        self._asked += 1
        asked = self._asked

        def loaded(entries: Sequence[dict[str, Any]]) -> None:
            if asked == self._asked:  # an answer to an older filter is dropped
                self._loaded(entries)

        self.session.run(
            self,
            lambda: client.audit(target=target, actor=actor),
            loaded,
            lambda exc: say(self.message, words.problem(exc)),
        )

    def _loaded(self, entries: Sequence[dict[str, Any]]) -> None:
        self.model.set_rows(
            [
                [
                    words.moment(e.get("at"), seconds=True),
                    str(e.get("actor") or ""),
                    str(e.get("action") or ""),
                    str(e.get("target") or ""),
                    str(e.get("outcome") or ""),
                    str(e.get("remote") or ""),
                ]
                for e in entries
            ]
        )
        if not entries:
            say(self.message, self.tr("No audit entries match."), problem=False)
        self.loaded.emit()
