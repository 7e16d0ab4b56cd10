"""Triage for one patient: status, owner and notes, saved with the version they were read at.

If someone else saved first the clinic refuses the save (409) and nothing is
overwritten. The panel then says so plainly, shows what they saved, keeps
everything this user typed in the boxes, takes over their saved values only
where this user changed nothing, and adopts the new version, so that pressing
Save again applies this user's changes on purpose.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from kiosk.console.client import EditConflict
from kiosk.console.triage_merge import merge_triage, their_notes_above, triage_values
from kiosk.ui.staff import words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.vocabulary import TRIAGE_STATUSES


@dataclass(frozen=True)
class TriageDraft:
    """Unsaved triage changes, kept over a lock (never written anywhere)."""

    submission_id: str
    version: int
    base: dict[str, Any]
    status: str
    owner: str | None
    notes: str


class TriagePanel(QGroupBox):
    saved = Signal(dict)

    def __init__(self, session: Session) -> None:
        super().__init__(self.tr("Triage"))
        self.session = session
        self.submission_id: str | None = None
        self.version = 0
        self._base: dict[str, Any] = triage_values({})
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.status = QComboBox()
        for code in TRIAGE_STATUSES:
            self.status.addItem(words.status(code), code)
        self.status.setAccessibleName(self.tr("Triage status"))
        status_label = QLabel(self.tr("St&atus"))
        status_label.setBuddy(self.status)
        form.addRow(status_label, self.status)
        self.owner = QComboBox()
        self.owner.setEditable(True)
        self.owner.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        editor = self.owner.lineEdit()
        if editor is not None:
            editor.setPlaceholderText(self.tr("Unassigned"))
        self.owner.setAccessibleName(self.tr("Owner"))
        self.assign_me = QPushButton(self.tr("Assign to &me"))
        self.assign_me.setAccessibleName(self.tr("Assign to me"))
        self.assign_me.clicked.connect(lambda: self.owner.setEditText(session.username))
        owner_row = QHBoxLayout()
        owner_row.addWidget(self.owner, 1)
        owner_row.addWidget(self.assign_me)
        owner_label = QLabel(self.tr("O&wner"))
        owner_label.setBuddy(self.owner)
        form.addRow(owner_label, owner_row)
        self.notes = QPlainTextEdit()
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(self.tr("Triage notes"))
        self.notes.setMinimumHeight(90)
        notes_label = QLabel(self.tr("&Notes"))
        notes_label.setBuddy(self.notes)
        form.addRow(notes_label, self.notes)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.message)
        self.theirs = QLabel()
        self.theirs.setObjectName("theirs")
        self.theirs.setWordWrap(True)
        self.theirs.setTextFormat(Qt.TextFormat.PlainText)
        self.theirs.setAccessibleName(self.tr("What the other person saved"))
        self.theirs.hide()
        layout.addWidget(self.theirs)
        buttons = QHBoxLayout()
        self.take_notes = QPushButton(self.tr("Put &their notes above mine"))
        self.take_notes.setAccessibleName(self.tr("Put their notes above mine"))
        self.take_notes.clicked.connect(self._take_their_notes)
        self.take_notes.hide()
        buttons.addWidget(self.take_notes)
        buttons.addStretch(1)
        self.save_button = QPushButton(self.tr("&Save triage (Ctrl+S)"))
        self.save_button.setObjectName("primary")
        self.save_button.setAccessibleName(self.tr("Save triage"))
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._their_notes = ""
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.setEnabled(False)

    # ------------------------------------------------------------ loading
    def load(self, submission_id: str, triage: Mapping[str, Any]) -> None:
        self.submission_id = submission_id
        self.version = int(triage.get("version", 0))
        self._base = triage_values(triage)
        self._show(self._base)
        self._hide_theirs()
        say(self.message, "")
        self.setEnabled(True)

    def clear(self) -> None:
        self.submission_id = None
        self._show(triage_values({}))
        self._hide_theirs()
        say(self.message, "")
        self.setEnabled(False)

    def values(self) -> dict[str, Any]:
        return {
            "status": self.status.currentData(),
            "owner": self.owner.currentText().strip() or None,
            "notes": self.notes.toPlainText(),
        }

    def _show(self, values: Mapping[str, Any]) -> None:
        self.status.setCurrentIndex(max(0, self.status.findData(values["status"])))
        for name in (self.session.username, values["owner"]):
            if name and self.owner.findText(name) < 0:
                self.owner.addItem(name)
        self.owner.setEditText(values["owner"] or "")
        self.notes.setPlainText(values["notes"])

    @property
    def dirty(self) -> bool:
        return self.submission_id is not None and self.values() != self._base

    def draft(self) -> TriageDraft | None:
        if not self.dirty or self.submission_id is None:
            return None
        mine = self.values()
        return TriageDraft(self.submission_id, self.version, dict(self._base), **mine)

    def apply_draft(self, draft: TriageDraft) -> None:
        """Put unsaved changes back after unlocking (on the version they were made on)."""
        if draft.submission_id != self.submission_id:
            return
        self.version = draft.version
        self._base = dict(draft.base)
        self._show({"status": draft.status, "owner": draft.owner, "notes": draft.notes})

    # ------------------------------------------------------------ saving
    def save(self) -> None:
        if self.submission_id is None or not self.isEnabled():
            return
        sid, version, mine = self.submission_id, self.version, self.values()
        client = self.session.client
        self.save_button.setEnabled(False)
        say(self.message, "")
        self.session.run(
            self,
            lambda: client.save_triage(sid, version, mine["status"], mine["owner"], mine["notes"]),
            self._saved,
            self._failed,
        )

    def _saved(self, triage: Mapping[str, Any]) -> None:
        self.save_button.setEnabled(True)
        self.version = int(triage.get("version", self.version + 1))
        self._base = triage_values(triage)
        self._hide_theirs()
        say(self.message, self.tr("Triage saved."), problem=False)
        self.saved.emit(dict(triage))

    def _failed(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, EditConflict) and exc.current:
            self._conflict(exc.current)
        else:
            say(self.message, words.problem(exc))

    def _conflict(self, current: Mapping[str, Any]) -> None:
        merge = merge_triage(self._base, self.values(), current)
        theirs = merge.theirs
        self._show(merge.shown)
        self._base = theirs
        self.version = int(current.get("version", self.version))
        who = current.get("updated_by") or self.tr("someone else")
        say(
            self.message,
            self.tr(
                "%1 saved this patient's triage before you, so yours was not saved. What they "
                "saved is below. Your own changes are still in the boxes: check them, then "
                "press Save again to apply them."
            ).replace("%1", str(who)),
        )
        lines = [
            self.tr("Saved by %1 %2")
            .replace("%1", str(who))
            .replace("%2", words.moment(current.get("updated_at"))),
            self.tr("Status: %1").replace("%1", words.status(theirs["status"])),
            self.tr("Owner: %1").replace("%1", theirs["owner"] or self.tr("Unassigned")),
            self.tr("Notes: %1").replace("%1", theirs["notes"] or self.tr("(none)")),
        ]
        self.theirs.setText("\n".join(lines))
        self.theirs.show()
        self._their_notes = theirs["notes"]
        self.take_notes.setVisible(merge.both_wrote_notes)

    def _take_their_notes(self) -> None:
        mine = self.notes.toPlainText()
        both = their_notes_above(self._their_notes, mine)
        if both != mine:
            self.notes.setPlainText(both)
        self.take_notes.hide()

    def _hide_theirs(self) -> None:
        self.theirs.clear()
        self.theirs.hide()
        self.take_notes.hide()
        self._their_notes = ""
