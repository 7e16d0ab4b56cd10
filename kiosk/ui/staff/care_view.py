"""The work of clinicians, link workers and receptionists: the queue, and (for clinical
staff) one patient's page with their summary beside triage, referrals and printing.

Esc or Alt+Left goes back from a patient to the queue, which is where it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.documents import DocumentsPanel
from kiosk.ui.staff.look import say
from kiosk.ui.staff.queue_view import QueuePlace, QueueView
from kiosk.ui.staff.referrals_panel import ReferralsPanel
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.summary_view import SummaryView
from kiosk.ui.staff.triage_panel import TriageDraft, TriagePanel


class SideColumn(QScrollArea):
    """Scrolls up and down only, and is never narrower than its widest row needs."""

    def __init__(self) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is not None:
            bar = self.verticalScrollBar().sizeHint().width()
            hint.setWidth(inner.minimumSizeHint().width() + bar + 2 * self.frameWidth())
        return hint


@dataclass
class CarePlace:
    """Where the user was, to go back there after unlocking."""

    queue: QueuePlace
    open_submission: str | None
    draft: TriageDraft | None


class PatientPage(QWidget):
    """``loaded(summary)`` once a summary is on screen; ``back()`` to the queue."""

    loaded = Signal(dict)
    back = Signal()

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.submission_id: str | None = None
        self._draft: TriageDraft | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.back_button = QPushButton(self.tr("← &Back to the queue (Esc)"))
        self.back_button.setAccessibleName(self.tr("Back to the queue"))
        self.back_button.clicked.connect(self.back)
        top.addWidget(self.back_button)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        top.addWidget(self.message, 1)
        layout.addLayout(top)
        self.summary = SummaryView(session)
        self.summary.link_corrected.connect(self._relinked)
        self.triage = TriagePanel(session)
        self.referrals = ReferralsPanel(session)
        self.documents = DocumentsPanel(session)
        side = QWidget()
        side.setObjectName("body")
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 4, 0)
        for panel in (self.triage, self.referrals, self.documents):
            column.addWidget(panel)
        column.addStretch(1)
        scroll = SideColumn()
        scroll.setWidget(side)
        self.side = scroll
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.summary)
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.splitter = splitter
        layout.addWidget(splitter, 1)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.back.emit)
        QShortcut(QKeySequence("Alt+Left"), self, self.back.emit)
        self.setTabOrder(self.back_button, self.summary)

    def show_submission(self, submission_id: str, draft: TriageDraft | None = None) -> None:
        self.clear()
        self.submission_id = submission_id
        self._draft = draft
        say(self.message, self.tr("Opening…"), problem=False)
        client = self.session.client
        self.session.run(self, lambda: client.summary(submission_id), self._loaded, self._failed)

    def _loaded(self, summary: Mapping[str, Any]) -> None:
        if summary.get("submission_id") != self.submission_id:
            return
        say(self.message, "")
        self.summary.show_summary(summary)
        self.triage.load(str(summary["submission_id"]), summary.get("triage") or {})
        if self._draft is not None:
            self.triage.apply_draft(self._draft)
            self._draft = None
        self.referrals.load(str(summary["submission_id"]), summary.get("referrals", []))
        self.documents.set_summary(summary)
        self.summary.setFocus()
        self.loaded.emit(dict(summary))

    def _failed(self, exc: Exception) -> None:
        say(self.message, words.problem(exc))

    def _relinked(self, _state: Mapping[str, Any]) -> None:
        """Read the summary again: the name on it and on anything printed may change."""
        if self.submission_id is not None:
            self.show_submission(self.submission_id, self.triage.draft())

    def clear(self) -> None:
        self.submission_id = None
        self.summary.clear()
        self.triage.clear()
        self.referrals.clear()
        self.documents.set_summary(None)
        say(self.message, "")


class CareWorkspace(QStackedWidget):
    """The queue, and for clinical staff the patient page it opens."""

    def __init__(
        self,
        session: Session,
        *,
        clinical: bool,
        place: CarePlace | None = None,
        queue_refresh_s: float = 30,
    ) -> None:
        super().__init__()
        self.session = session
        self.clinical = clinical
        self.queue = QueueView(
            session,
            can_open=clinical,
            show_flags=clinical,
            refresh_every_s=queue_refresh_s,
            place=place.queue if place else None,
        )
        self.addWidget(self.queue)
        self.patient: PatientPage | None = None
        if clinical:
            self.patient = PatientPage(session)
            self.addWidget(self.patient)
            self.queue.open_requested.connect(self.open)
            self.patient.back.connect(self.show_queue)
        self._place = place

    def start(self) -> None:
        self.queue.start()
        place, self._place = self._place, None
        if place is not None and place.open_submission:
            self.open(place.open_submission, place.draft)

    def stop(self) -> None:
        self.queue.stop()

    def forget(self) -> None:
        """Clear every widget holding patient data."""
        self.queue.model.clear()
        if self.patient is not None:
            self.patient.clear()

    def open(self, submission_id: str, draft: TriageDraft | None = None) -> None:
        if self.patient is None:
            return
        self.queue.model.mark_seen(submission_id)
        self.queue.select(submission_id)
        self.patient.show_submission(submission_id, draft)
        self.setCurrentWidget(self.patient)

    def show_queue(self) -> None:
        if self.patient is not None:
            self.patient.clear()
        self.setCurrentWidget(self.queue)
        self.queue.table.setFocus()
        self.queue.refresh()

    def place(self) -> CarePlace:
        opened = (
            self.patient.submission_id
            if self.patient and self.currentWidget() is self.patient
            else None
        )
        draft = self.patient.triage.draft() if self.patient and opened else None
        return CarePlace(self.queue.place(), opened, draft)
