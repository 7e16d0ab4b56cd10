"""The work of clinicians, link workers and receptionists: the queue, today's whole
clinic list, and (for clinical staff) one patient's page with their summary beside
triage, referrals and printing.

The :class:`ListsBar` above switches between the queue (Ctrl+1) and today's list
(Ctrl+2). Esc or Alt+Left goes back from a patient to the list they were opened
from, which is where it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
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
from kiosk.ui.staff.today_model import TodayModel
from kiosk.ui.staff.today_panel import TodayPanel
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
    on_today: bool = False  # on today's whole list, or a patient opened from it


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
    """The queue and today's whole list, and for clinical staff the patient page they open."""

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
        self.today = TodayPanel(
            session,
            TodayModel(show_flags=clinical),
            can_open=clinical,
            refresh_every_s=queue_refresh_s,
        )
        self.addWidget(self.today)
        self.patient: PatientPage | None = None
        self._from_today = False  # where the patient page goes back to
        if clinical:
            self.patient = PatientPage(session)
            self.addWidget(self.patient)
            self.queue.open_requested.connect(self.open)
            self.today.open_requested.connect(self.open_from_today)
            self.patient.back.connect(self.back_to_list)
        self._place = place

    def start(self) -> None:
        self.queue.start()
        self.today.timer.start()  # it reads the clinic only while it is on screen
        place, self._place = self._place, None
        if place is not None and place.open_submission:
            if place.on_today:
                self.open_from_today(place.open_submission, place.draft)
            else:
                self.open(place.open_submission, place.draft)
        elif place is not None and place.on_today:
            self.show_today()

    def stop(self) -> None:
        self.queue.stop()
        self.today.stop()

    def forget(self) -> None:
        """Clear every widget holding patient data."""
        self.queue.model.clear()
        self.today.model.clear()
        if self.patient is not None:
            self.patient.clear()

    def open(self, submission_id: str, draft: TriageDraft | None = None) -> None:
        if self.patient is None:
            return
        self.queue.model.mark_seen(submission_id)
        self.queue.select(submission_id)
        self._from_today = False
        self.patient.back_button.setText(self.tr("← &Back to the queue (Esc)"))
        self.patient.back_button.setAccessibleName(self.tr("Back to the queue"))
        self.patient.show_submission(submission_id, draft)
        self.setCurrentWidget(self.patient)

    def open_from_today(self, submission_id: str, draft: TriageDraft | None = None) -> None:
        """A patient opened from today's list: going back returns there."""
        if self.patient is None:
            return
        self.open(submission_id, draft)
        self.today.select(submission_id)
        self._from_today = True
        self.patient.back_button.setText(self.tr("← &Back to today's list (Esc)"))
        self.patient.back_button.setAccessibleName(self.tr("Back to today's list"))

    def back_to_list(self) -> None:
        if self._from_today:
            self.show_today()
        else:
            self.show_queue()

    def show_today(self) -> None:
        if self.patient is not None:
            self.patient.clear()
        self.setCurrentWidget(self.today)
        self.today.table.setFocus()
        self.today.refresh()

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
        shown = self.currentWidget()
        on_today = shown is self.today or (opened is not None and self._from_today)
        return CarePlace(self.queue.place(), opened, draft, on_today)


class ListsBar(QToolBar):
    """Above a care workspace: the queue (Ctrl+1) or today's whole clinic list (Ctrl+2).
    Hidden while no care workspace is on screen (signed out, locked, administrators) and
    on a patient's page, which goes back to the list it was opened from."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Lists"))
        self.setObjectName("lists")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)  # not a bar anyone should close
        group = QActionGroup(self)
        self.queue_action = self._action(group, self.tr("Queue (Ctrl+1)"), "Ctrl+1")
        self.today_action = self._action(group, self.tr("Today's whole list (Ctrl+2)"), "Ctrl+2")
        self.queue_action.triggered.connect(lambda: self._go(CareWorkspace.show_queue))
        self.today_action.triggered.connect(lambda: self._go(CareWorkspace.show_today))
        self.workspace: CareWorkspace | None = None
        self.hide()

    def _action(self, group: QActionGroup, text: str, keys: str) -> QAction:
        action = QAction(text, self)
        action.setCheckable(True)
        action.setShortcut(QKeySequence(keys))
        group.addAction(action)
        self.addAction(action)
        return action

    def attach(self, workspace: CareWorkspace | None) -> None:
        if self.workspace is not None and shiboken6.isValid(self.workspace):
            self.workspace.currentChanged.disconnect(self._shown)
        self.workspace = workspace
        self.setVisible(workspace is not None)
        if workspace is not None:
            workspace.currentChanged.connect(self._shown)
            self._shown()

    def _go(self, show: Any) -> None:
        if self.workspace is not None:
            show(self.workspace)

    def _shown(self, _index: int = 0) -> None:
        workspace = self.workspace
        if workspace is None:
            return
        shown = workspace.currentWidget()
        # A patient's page has its own way back and needs every line of the screen.
        self.setVisible(shown is not workspace.patient)
        on_today = shown is workspace.today
        (self.today_action if on_today else self.queue_action).setChecked(True)
