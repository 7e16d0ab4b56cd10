"""Held submissions, for administrators: what the clinic kept aside rather than stored
(when, from which tablet, why), and re-processing them after a fix (``/admin/held``).

The clinic keeps every held envelope whole; the tablet has let it go. Re-processing
runs it through the clinic again: stored (and its flags raised) or still held with the
reason as it is now. Nothing here shows an answer: a reason names the form and item.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import RecordTableModel, table_view


class HeldModel(RecordTableModel):
    """One row per held submission, oldest first."""

    RECEIVED, SUBMISSION, PATHWAY, TABLET, REASON, STATUS = range(6)
    HeldIdRole = RecordTableModel.KeyRole

    def __init__(self) -> None:
        super().__init__()
        self.titles = {
            self.RECEIVED: self.tr("Received"),
            self.SUBMISSION: self.tr("Submission"),
            self.PATHWAY: self.tr("Pathway"),
            self.TABLET: self.tr("From tablet"),
            self.REASON: self.tr("Why it is held"),
            self.STATUS: self.tr("Status"),
        }

    @property
    def entries(self) -> list[dict[str, Any]]:
        return self.records

    def set_entries(self, entries: Sequence[dict[str, Any]]) -> None:
        self.set_records(entries)

    def key_of(self, record: dict[str, Any]) -> int:
        return int(record["id"])

    def held_id(self, row: int) -> int:
        return self.key_of(self.records[row])

    def text(self, entry: dict[str, Any], column: int) -> str:
        if column == self.RECEIVED:
            return words.moment(entry.get("received_at"))
        if column == self.SUBMISSION:
            return str(entry.get("submission_id") or "")
        if column == self.PATHWAY:
            return str(entry.get("pathway") or self.tr("(unreadable)"))
        if column == self.TABLET:
            name = entry.get("device_name") or self.tr("unknown tablet")
            return f"{name} ({entry.get('device_id')})"
        if column == self.REASON:
            return str(entry.get("reason") or "")
        if entry.get("status") == "resolved":
            when = words.moment(entry.get("resolved_at"))
            return (
                self.tr("Stored %1 by %2")
                .replace("%1", when)
                .replace("%2", str(entry.get("resolved_by") or ""))
            )
        return self.tr("Held")


class HeldPanel(QWidget):
    """``loaded()`` when the list arrives; ``reprocessed(results)`` after a re-process."""

    loaded = Signal()
    reprocessed = Signal(object)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.busy = False
        layout = QVBoxLayout(self)
        explain = QLabel(
            self.tr(
                "Submissions the clinic kept aside instead of storing: the tablet has sent "
                "them and the clinic keeps them safely. After a fix (a form or pathway "
                "added), re-process them to store them and raise their flags."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.model = HeldModel()
        self.table = table_view(
            self.model, self.tr("Held submissions"), stretch=(HeldModel.REASON,)
        )
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        row = QHBoxLayout()
        self.include_resolved = QCheckBox(self.tr("&Include those already stored"))
        self.include_resolved.toggled.connect(lambda _checked: self.load())
        row.addWidget(self.include_resolved, 1)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.clicked.connect(lambda: self.load())
        self.reprocess_button = QPushButton(self.tr("Re-&process selected"))
        self.reprocess_button.setObjectName("primary")
        self.reprocess_button.setAccessibleName(self.tr("Re-process the selected submission"))
        self.reprocess_button.clicked.connect(self.reprocess_selected)
        self.reprocess_all_button = QPushButton(self.tr("Re-process e&very held one"))
        self.reprocess_all_button.clicked.connect(self.reprocess_all)
        self.buttons = (self.refresh_button, self.reprocess_button, self.reprocess_all_button)
        for button in self.buttons:
            row.addWidget(button)
        layout.addLayout(row)

    def forget(self) -> None:
        self.model.set_entries([])

    def _busy(self, busy: bool) -> None:
        self.busy = busy
        for button in self.buttons:
            button.setEnabled(not busy)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        say(self.message, words.problem(exc))

    def load(self, *, quiet: bool = False) -> None:
        """Ask for the list; ``quiet``: keep the message shown (a re-process's outcome)."""
        client, everything = self.session.client, self.include_resolved.isChecked()
        self._busy(True)

        def loaded(entries: Sequence[dict[str, Any]]) -> None:
            self._busy(False)
            self.model.set_entries(entries)
            if not entries and not quiet:
                say(self.message, self.tr("Nothing is held."), problem=False)
            self.loaded.emit()

        self.session.run(
            self, lambda: client.held(include_resolved=everything), loaded, self._failed
        )

    def selected(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.held_id(index.row()) if index.isValid() else None

    def reprocess_selected(self) -> None:
        held_id = self.selected()
        if held_id is None:
            say(self.message, self.tr("Select a held submission in the list first."))
            return
        client = self.session.client
        self._start(lambda: [client.reprocess_held(held_id)])

    def reprocess_all(self) -> None:
        self._start(self.session.client.reprocess_all_held)

    def _start(self, work: Any) -> None:
        self._busy(True)
        say(self.message, self.tr("Re-processing…"), problem=False)
        self.session.run(self, work, self._done, self._failed)

    def _done(self, results: Sequence[dict[str, Any]]) -> None:
        self._busy(False)
        stored = sum(1 for r in results if r["outcome"] == "stored")
        still = [r for r in results if r["outcome"] != "stored"]
        text = self.tr("%1 stored, %2 still held.").replace("%1", str(stored))
        text = text.replace("%2", str(len(still)))
        if still:
            text += " " + self.tr("Still held: %1").replace("%1", str(still[0]["reason"]))
        say(self.message, text, problem=bool(still))
        self.reprocessed.emit(list(results))
        self.load(quiet=True)
