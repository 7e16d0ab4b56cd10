"""The first-run screen: enrol this tablet with the clinic (docs/kiosk.md).

Staff or IT type the clinic's address and a one-time enrolment code (from
``kiosk clinic enrolment-code``); the tablet's name is optional. The address
and code are checked here before anything goes over the network; the
enrolment itself (:func:`kiosk.sync.enrol.enrol`) runs on the background
helper, so the screen never freezes. Every problem is put in plain words
beside the field it concerns, and nothing is saved unless enrolment succeeds.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path

import httpx
from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.store import FileKeyStore, StoreError
from kiosk.sync.config import CLINIC_FILE
from kiosk.sync.enrol import MAX_NAME, Enrolment, clinic_url, enrol, parse_code
from kiosk.sync.errors import (
    CertificateMismatchError,
    ClinicRefusedError,
    ClinicUnreachableError,
    EnrolmentError,
    ProtocolError,
    SyncError,
)
from kiosk.ui.background import Background
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.screens import big_button, scrolling, show_problem, wrapped

log = logging.getLogger(__name__)

# Characters an address or a code needs that the on-screen keyboard's rows lack.
EXTRA_KEYS = (":", "/", "-")
# A problem: the field to go back to (None for the tablet as a whole), the label
# beside it, and the words.
Problem = tuple[QLineEdit | None, QLabel, str]


class EnrolScreen(QWidget):
    enrolled = Signal(object)
    """The tablet is enrolled (the :class:`~kiosk.sync.enrol.Enrolment`)."""
    start_kiosk = Signal()
    """After enrolment, staff chose to start the kiosk."""

    def __init__(
        self, data_dir: Path, background: Background, host_name: str | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("Enrol this tablet"))
        self.data_dir, self.background = data_dir, background
        self.host_name = (host_name or socket.gethostname())[:80]
        self.result: Enrolment | None = None
        self._url = ""
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Enrol this tablet"), "title"))
        body.addWidget(
            wrapped(
                self.tr(
                    "This tablet is not enrolled with a clinic yet. Ask the clinic's "
                    "administrator for the clinic's address and a one-time enrolment code. "
                    "A code lasts 15 minutes."
                ),
                "help",
            )
        )
        self.address, self.address_problem = self._field(
            body,
            (self.tr("Clinic address"), self.tr("Clinic address")),
            self.tr("Problem with the clinic address"),
            "address",
            "https://clinic.example:8443",
        )
        self.code, self.code_problem = self._field(
            body,
            (self.tr("Enrolment code"), self.tr("Enrolment code")),
            self.tr("Problem with the enrolment code"),
            "code",
            "K7QF-3MZX8TPLW2H9",
        )
        self.name, self.name_problem = self._field(
            body,
            (
                self.tr("Tablet name (optional: if left empty, %1)").replace("%1", self.host_name),
                self.tr("Tablet name"),
            ),
            self.tr("Problem with the tablet name"),
            "tablet_name",
            self.host_name,
        )
        self.name.setMaxLength(min(MAX_NAME, 80))  # the clinic keeps 80
        self.fields = (self.address, self.code, self.name)
        self.problem = wrapped("", "message")
        self.problem.setAccessibleName(self.tr("Problem with enrolment"))
        body.addWidget(self.problem)
        self.status = wrapped("", "next_steps")
        self.status.setAccessibleName(self.tr("Enrolment progress"))
        body.addWidget(self.status)
        self.keyboard = OnScreenKeyboard(self.address)
        extra = QHBoxLayout()
        for text in EXTRA_KEYS:
            key = big_button(text, f"key_extra_{EXTRA_KEYS.index(text)}")
            key.setAccessibleName(self.tr("Type %1").replace("%1", text))
            key.clicked.connect(lambda _=False, t=text: self._type(t))
            extra.addWidget(key)
        body.addLayout(extra)
        body.addWidget(self.keyboard)
        body.addStretch(1)
        self.enrol_button = big_button(self.tr("Enrol this tablet"), "enrol")
        self.enrol_button.clicked.connect(self.submit)
        self.start_button = big_button(self.tr("Start the kiosk"), "start_kiosk")
        self.start_button.clicked.connect(lambda: self.start_kiosk.emit())
        self.start_button.hide()
        footer.addWidget(self.enrol_button)
        footer.addWidget(self.start_button)
        self.address.setFocus()

    def _field(
        self,
        layout: QVBoxLayout,
        names: tuple[str, str],
        problem_name: str,
        object_name: str,
        placeholder: str,
    ) -> tuple[QLineEdit, QLabel]:
        """A labelled field with its problem label; ``names`` are (shown, accessible)."""
        label = wrapped(names[0], "help")
        field = QLineEdit()
        field.setObjectName(object_name)
        field.setAccessibleName(names[1])
        field.setPlaceholderText(placeholder)
        field.setMinimumHeight(56)
        field.installEventFilter(self)
        field.returnPressed.connect(self.submit)
        label.setBuddy(field)
        problem = wrapped("", "message")
        problem.setAccessibleName(problem_name)
        for widget in (label, field, problem):
            layout.addWidget(widget)
        return field, problem

    def _type(self, text: str) -> None:
        if isinstance(self.keyboard.editor, QLineEdit):  # always, on this screen
            self.keyboard.editor.insert(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The on-screen keyboard types into whichever field was last chosen.
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self.keyboard.editor = watched
        return False

    # ------------------------------------------------------------ enrolling
    def submit(self) -> None:
        """Check the fields, then enrol on the background helper."""
        if self.result is not None or not self.enrol_button.isEnabled():
            return
        self._clear_problems()
        url, code = self.address.text().strip(), self.code.text().strip()
        name = self.name.text().strip() or self.host_name
        problem = self._problem(url, code, name)
        if problem is not None:
            field, label, text = problem
            show_problem(label, text)
            (field or self.enrol_button).setFocus()
            return
        self._url = url
        self._set_busy(True)
        self.status.setText(self.tr("Contacting the clinic…"))
        data_dir = self.data_dir
        self.background.run(lambda: enrol(url, code, data_dir, name), self._done, self._failed)

    def _problem(self, url: str, code: str, name: str) -> Problem | None:
        """What is wrong with the fields, found without going near the network."""
        if not url:
            return (
                self.address,
                self.address_problem,
                self.tr("Type the clinic's address, like https://clinic.example:8443."),
            )
        try:
            clinic_url(url)
        except EnrolmentError:
            return (
                self.address,
                self.address_problem,
                self.tr(
                    "The clinic's address must start with https:// and look like "
                    "https://clinic.example:8443."
                ),
            )
        if not code:
            return self.code, self.code_problem, self.tr("Type the enrolment code from the clinic.")
        try:
            parse_code(code)
        except EnrolmentError:
            return (
                self.code,
                self.code_problem,
                self.tr(
                    "That is not an enrolment code. It looks like K7QF-3MZX8TPLW2H9: letters "
                    "and digits, a hyphen, then more letters and digits."
                ),
            )
        if not name.isprintable():
            return (
                self.name,
                self.name_problem,
                self.tr("The tablet's name may have only letters, digits, spaces and punctuation."),
            )
        if FileKeyStore(self.data_dir).exists() or (self.data_dir / CLINIC_FILE).exists():
            return (
                None,
                self.problem,
                self.tr(
                    "This tablet already has a device key or a clinic record. To enrol it "
                    "again, IT must first move its device.key and clinic.json aside."
                ),
            )
        return None

    def _done(self, enrolment: Enrolment) -> None:
        self.result = enrolment
        self._set_busy(False)
        for field in self.fields:
            field.setEnabled(False)
        self.enrol_button.hide()
        self.start_button.show()
        self.start_button.setFocus()
        self.status.setText(
            self.tr(
                "This tablet is now enrolled with the clinic at %1. It has the clinic's forms "
                "and will send answers to the clinic."
            ).replace("%1", enrolment.url)
        )
        self.enrolled.emit(enrolment)

    def _failed(self, exc: Exception) -> None:
        self._set_busy(False)
        self.status.setText("")
        field, label, text = self._explain(exc)
        show_problem(label, text)
        (field or self.enrol_button).setFocus()

    def _explain(self, exc: Exception) -> Problem:
        """Where to show a failed enrolment's problem, and in which words. Nothing was saved."""
        if isinstance(exc, EnrolmentError) and exc.code is not None:
            words = {
                "unknown_code": self.tr(
                    "The clinic does not know this enrolment code. Check it, or ask for a new one."
                ),
                "expired_code": self.tr(
                    "This enrolment code has expired (codes last 15 minutes). Ask for a new one."
                ),
                "used_code": self.tr(
                    "This enrolment code has already been used. Ask for a new one."
                ),
                "wrong_proof": self.tr(
                    "The clinic did not accept the enrolment code. Check that it was typed "
                    "exactly; if it was, something between this tablet and the clinic may be "
                    "intercepting the connection: ask IT to check the network before trying "
                    "again."
                ),
            }
            return self.code, self.code_problem, words.get(exc.code, str(exc))
        if isinstance(exc, ClinicUnreachableError):
            return (
                self.address,
                self.address_problem,
                self.tr(
                    "Cannot reach the clinic at %1. Check the address and that this tablet is "
                    "on the clinic's network."
                ).replace("%1", self._where()),
            )
        if isinstance(exc, CertificateMismatchError):
            return (
                None,
                self.problem,
                self.tr(
                    "The connection to the clinic may be intercepted: the certificate this "
                    "tablet was shown is not the clinic's. Nothing was saved. Ask IT to check "
                    "the network before trying again."
                ),
            )
        if isinstance(exc, ProtocolError):
            text = self.tr(
                "The clinic's answer was not what this kiosk expects. Nothing was saved. Check "
                "that the clinic service and this kiosk are up to date."
            )
        elif isinstance(exc, ClinicRefusedError):
            text = self.tr("The clinic refused to enrol this tablet: %1").replace("%1", str(exc))
        elif isinstance(exc, (SyncError, StoreError)):
            text = str(exc)  # already plain words (the tablet's storage, its name, …)
        elif isinstance(exc, OSError):
            text = self.tr("Cannot save to the tablet's data folder (%1).").replace(
                "%1", exc.strerror or type(exc).__name__
            )
        else:
            log.error("enrolment failed unexpectedly", exc_info=exc)
            text = self.tr(
                "Enrolment failed because of a fault in the kiosk. Nothing was saved. "
                "Ask IT: the kiosk's log has the details."
            )
        return None, self.problem, text

    def _where(self) -> str:
        parsed = httpx.URL(self._url)
        return f"{parsed.host}:{parsed.port or 443}"

    def _set_busy(self, busy: bool) -> None:
        self.enrol_button.setEnabled(not busy)
        for field in self.fields:
            field.setReadOnly(busy)

    def _clear_problems(self) -> None:
        for label in (self.address_problem, self.code_problem, self.name_problem, self.problem):
            show_problem(label, "")
