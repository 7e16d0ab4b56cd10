"""Putting a wrong link right from a patient's summary (hazards H-03, H-04: the wrong
patient linked).

"Put the link right…" opens :class:`LinkDialog`: the answers move to another
appointment of that day (chosen from the day's clinic list), to a patient named by
NHS or hospital number, to no patient, or are voided as entered in error (clinicians
and link workers only). A reason is needed. Before anything is saved a second page
says in words where the answers will go; "Yes, put it right" then sends the change
from the version the summary was read at (``POST /submissions/{id}/link``), so a
change made meanwhile by someone else is shown, never overwritten.

:func:`history_lines` gives the summary its words for the corrections made so far.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.client import EditConflict
from kiosk.ui.staff import words
from kiosk.ui.staff.look import plain_words, say
from kiosk.ui.staff.session import Session
from kiosk.vocabulary import LINK_CORRECTORS, LINK_VOIDERS, RELINK, UNLINK, VOID

MAX_REASON = 500  # the clinic's limit (kiosk.clinic.link_corrections)

ACTIONS = {
    RELINK: str(QT_TRANSLATE_NOOP("StaffConsole", "Re-linked")),
    UNLINK: str(QT_TRANSLATE_NOOP("StaffConsole", "Unlinked")),
    VOID: str(QT_TRANSLATE_NOOP("StaffConsole", "Voided as entered in error")),
}


def may_correct(role: str) -> bool:
    """Whether ``role`` may put a link right at all (voiding: :data:`LINK_VOIDERS`)."""
    return role in LINK_CORRECTORS


def _where(side: Mapping[str, Any] | None) -> str:
    """Who and which appointment one side of a correction names."""
    if side is None:
        return ""
    place = " ".join(str(side.get(k) or "") for k in ("appointment_time", "clinic")).strip()
    who = words.patient_line(side.get("patient"))
    return f"{who} ({place})" if place else who


def history_lines(entries: list[Mapping[str, Any]]) -> list[str]:
    """One line per correction, oldest first: when, who, what, from whom to whom, why."""
    lines = []
    for entry in entries:
        action = words.tr(ACTIONS.get(str(entry.get("action")), str(entry.get("action"))))
        line = words.tr("%1 · %2 · %3").replace("%1", words.moment(entry.get("at")))
        line = line.replace("%2", str(entry.get("by") or "")).replace("%3", action)
        if entry.get("action") != VOID:
            moved = words.tr(": from %1 to %2")
            line += moved.replace("%1", _where(entry.get("before"))).replace(
                "%2", _where(entry.get("after"))
            )
        lines.append(line + words.tr(". Why: %1").replace("%1", str(entry.get("reason") or "")))
    return lines


def _number(text: str) -> tuple[str, str]:
    """("nhs_number" or "hospital_number", the number as typed): ten digits (spaces
    allowed) are an NHS number, anything else a hospital number."""
    compact = text.replace(" ", "")
    if compact.isdigit() and len(compact) == 10:
        return "nhs_number", compact
    return "hospital_number", text.strip()


class LinkDialog(QDialog):
    """``corrected(state)`` once the clinic has saved the change (the dialog then closes)."""

    corrected = Signal(dict)

    def __init__(self, session: Session, summary: Mapping[str, Any], parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.submission_id = str(summary["submission_id"])
        self.version = int(summary.get("link_version") or 0)
        self._request: tuple[str, dict[str, str]] | None = None
        self.setWindowTitle(self.tr("Put the link right"))
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page(summary))
        self.pages.addWidget(self._confirm_page())
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        layout.addWidget(self.message)
        self.resize(560, 460)
        self._load_appointments(summary)

    # ------------------------------------------------------------ pages
    def _choose_page(self, summary: Mapping[str, Any]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        now = self.tr("These answers are linked to: %1").replace(
            "%1", _where({**summary, "patient": summary.get("patient")})
        )
        self.now = plain_words(now, "question_text")
        layout.addWidget(self.now)
        self.choices = QButtonGroup(self)
        self.to_appointment = QRadioButton(self.tr("&Another appointment that day"))
        self.appointments = QComboBox()
        self.appointments.setAccessibleName(self.tr("Appointment"))
        self.to_number = QRadioButton(self.tr("A patient by &NHS or hospital number"))
        self.number = QLineEdit()
        self.number.setAccessibleName(self.tr("NHS or hospital number"))
        self.number.setPlaceholderText(self.tr("NHS or hospital number"))
        self.to_nobody = QRadioButton(self.tr("No &patient (anonymous)"))
        self.to_void = QRadioButton(self.tr("&Entered in error: void these answers"))
        for button, action in (
            (self.to_appointment, RELINK),
            (self.to_number, RELINK),
            (self.to_nobody, UNLINK),
            (self.to_void, VOID),
        ):
            button.setProperty("action", action)
            self.choices.addButton(button)
        self.appointments.activated.connect(lambda _: self.to_appointment.setChecked(True))
        self.number.textEdited.connect(lambda _: self.to_number.setChecked(True))
        for widget in (
            self.to_appointment,
            self.appointments,
            self.to_number,
            self.number,
            self.to_nobody,
            self.to_void,
        ):
            layout.addWidget(widget)
        # Only clinicians and link workers may void; others are not offered it.
        self.to_void.setVisible(self.session.role in LINK_VOIDERS)
        layout.addWidget(plain_words(self.tr("Why? (needed, kept with the change)"), "meta"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMaxLength(MAX_REASON)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        self.continue_button = QPushButton(self.tr("&Continue"))
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self._continue)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.continue_button)
        layout.addStretch(1)
        layout.addLayout(buttons)
        return page

    def _confirm_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.confirm_text = plain_words("", "question_text")
        layout.addWidget(self.confirm_text)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        self.go_back = QPushButton(self.tr("&Go back"))
        self.go_back.clicked.connect(lambda: self.pages.setCurrentIndex(0))
        self.confirm_button = QPushButton(self.tr("&Yes, put it right"))
        self.confirm_button.clicked.connect(self._send)
        buttons.addStretch(1)
        buttons.addWidget(self.go_back)
        buttons.addWidget(self.confirm_button)
        layout.addLayout(buttons)
        return page

    # ------------------------------------------------------------ the day's list
    def _load_appointments(self, summary: Mapping[str, Any]) -> None:
        try:  # the day the patient answered: its clinic list
            day = dt.date.fromisoformat(str(summary.get("started_at") or "")[:10])
        except ValueError:
            day = dt.date.today()
        self.appointments.setEnabled(False)
        self.appointments.addItem(self.tr("Loading the clinic list…"))
        client = self.session.client
        self.session.run(self, lambda: client.clinic_day(day), self._listed, self._not_listed)

    def _listed(self, day: Mapping[str, Any]) -> None:
        self.appointments.clear()
        for a in day.get("appointments", []):
            text = f"{a.get('time', '')} · {a.get('clinic', '')} · {a.get('name', '')}"
            self.appointments.addItem(text, a.get("appointment_id"))
        if not self.appointments.count():
            self.appointments.addItem(self.tr("No appointments on that day's list"))
            return
        self.appointments.setEnabled(True)

    def _not_listed(self, exc: Exception) -> None:
        self.appointments.clear()
        self.appointments.addItem(self.tr("The clinic list could not be read"))
        say(self.message, words.problem(exc))

    # ------------------------------------------------------------ continue, confirm, send
    def _continue(self) -> None:
        chosen = self.choices.checkedButton()
        reason = self.reason.text().strip()
        if chosen is None:
            say(self.message, self.tr("Choose where these answers belong."))
            return
        if chosen is self.to_appointment and not self.appointments.currentData():
            say(self.message, self.tr("Choose an appointment from the list."))
            return
        if chosen is self.to_number and not self.number.text().strip():
            say(self.message, self.tr("Type the NHS or hospital number."))
            return
        if not reason:
            say(self.message, self.tr("Say why: a reason is needed."))
            self.reason.setFocus()
            return
        action = str(chosen.property("action"))
        named: dict[str, str] = {}
        if chosen is self.to_appointment:
            named["appointment_id"] = str(self.appointments.currentData())
            text = self.tr("The answers will move to %1.").replace(
                "%1", self.appointments.currentText()
            )
        elif chosen is self.to_number:
            kind, number = _number(self.number.text())
            named[kind] = number
            text = (
                self.tr("The answers will move to the patient with NHS number %1.")
                if kind == "nhs_number"
                else self.tr("The answers will move to the patient with hospital number %1.")
            ).replace("%1", words.nhs_number(number) if kind == "nhs_number" else number)
        elif chosen is self.to_nobody:
            text = self.tr("The answers will no longer be linked to any patient.")
        else:
            text = self.tr(
                "The answers will be voided as entered in error: they leave the queue,"
                " the clinic day, the exports and the reports. Nothing is deleted, and"
                " this cannot be undone."
            )
        self._request = (action, named)
        self.confirm_text.setText(
            "\n\n".join([self.now.text(), text, self.tr("Why: %1").replace("%1", reason)])
        )
        say(self.message, "")
        self.pages.setCurrentIndex(1)
        self.confirm_button.setFocus()

    def _send(self) -> None:
        if self._request is None:
            return
        action, named = self._request
        reason, version, sid = self.reason.text().strip(), self.version, self.submission_id
        client = self.session.client
        self.confirm_button.setEnabled(False)
        say(self.message, self.tr("Saving…"), problem=False)
        self.session.run(
            self,
            lambda: client.correct_link(sid, action, version, reason, **named),
            self._saved,
            self._refused,
        )

    def _saved(self, state: Mapping[str, Any]) -> None:
        self.corrected.emit(dict(state))
        self.accept()

    def _refused(self, exc: Exception) -> None:
        self.confirm_button.setEnabled(True)
        self.pages.setCurrentIndex(0)
        if isinstance(exc, EditConflict) and exc.current:
            # Someone else put it right meanwhile: show what they saved, start from it.
            self.version = int(exc.current.get("link_version") or 0)
            self.now.setText(
                self.tr("These answers are linked to: %1").replace("%1", _where(exc.current))
            )
            say(
                self.message,
                self.tr(
                    "Someone else changed this link a moment ago; it is shown above."
                    " Check it before changing it again."
                ),
            )
            return
        say(self.message, words.problem(exc))
