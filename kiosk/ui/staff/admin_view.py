"""The administrator's screen: staff accounts (:mod:`kiosk.ui.staff.accounts_panel`),
tablets (list, revoke), a new enrolment code, held submissions
(:mod:`kiosk.ui.staff.held_panel`), the audit log (:mod:`kiosk.ui.staff.audit_log`), and
exports and reports
(:mod:`kiosk.ui.staff.exports_panel`).

Administrators see no patient data: the audit log names submissions by id only.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.accounts_panel import AccountsPanel
from kiosk.ui.staff.audit_log import AuditLog
from kiosk.ui.staff.exports_panel import ExportsPanel
from kiosk.ui.staff.held_panel import HeldPanel
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import TextTableModel, table_view


def _message() -> QLabel:
    label = QLabel()
    label.setObjectName("message")
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class AdminView(QTabWidget):
    """``loaded(what)`` after each list arrives: "users", "devices", "held", "audit", "code"."""

    loaded = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setAccessibleName(self.tr("Administration"))
        self.accounts = AccountsPanel(session)
        self.accounts.loaded.connect(lambda: self.loaded.emit("users"))
        self.users, self.users_table = self.accounts.model, self.accounts.table
        self.addTab(self.accounts, self.tr("Acco&unts"))
        self.addTab(self._devices_tab(), self.tr("&Tablets"))
        self.addTab(self._code_tab(), self.tr("&Enrolment code"))
        self.held = HeldPanel(session)
        self.held.loaded.connect(lambda: self.loaded.emit("held"))
        self.addTab(self.held, self.tr("He&ld submissions"))
        self.audit_log = AuditLog(session)
        self.audit_log.loaded.connect(lambda: self.loaded.emit("audit"))
        self.audit, self.audit_table = self.audit_log.model, self.audit_log.table
        self.addTab(self.audit_log, self.tr("&Audit log"))
        self.exports = ExportsPanel(session)
        scroll = QScrollArea()  # scrolls up and down in a window shorter than 768
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.exports)
        self.addTab(scroll, self.tr("Exp&orts and reports"))

    def start(self) -> None:
        self.accounts.load()
        self.load_devices()
        self.held.load()
        self.audit_log.load()

    def stop(self) -> None:
        """Nothing here refreshes itself."""

    def forget(self) -> None:
        """Clear the lists (the audit log names submissions)."""
        self.accounts.forget()
        for model in (self.devices, self.audit):
            model.set_rows([])
        self.code.clear()
        self.held.forget()
        self.exports.forget()

    def place(self) -> int:
        return self.currentIndex()

    # ------------------------------------------------------------ tablets
    def _devices_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.devices = TextTableModel(
            [
                self.tr("Tablet"),
                self.tr("Name"),
                self.tr("Enrolled"),
                self.tr("Last seen"),
                self.tr("Revoked"),
            ]
        )
        self.devices_table = table_view(self.devices, self.tr("Enrolled tablets"))
        layout.addWidget(self.devices_table, 1)
        row = QHBoxLayout()
        self.devices_message = _message()
        row.addWidget(self.devices_message, 1)
        self.revoke_button = QPushButton(self.tr("&Revoke selected tablet…"))
        self.revoke_button.setAccessibleName(self.tr("Revoke the selected tablet"))
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.confirm_revoke = QPushButton(self.tr("&Yes, revoke it"))
        self.confirm_revoke.setAccessibleName(self.tr("Yes, revoke the tablet"))
        self.confirm_revoke.clicked.connect(self.revoke)
        self.confirm_revoke.hide()
        row.addWidget(self.revoke_button)
        row.addWidget(self.confirm_revoke)
        layout.addLayout(row)
        return page

    def load_devices(self) -> None:
        client = self.session.client
        self.session.run(
            self,
            client.devices,
            self._devices_loaded,
            lambda exc: say(self.devices_message, words.problem(exc)),
        )

    def _devices_loaded(self, devices: Sequence[dict[str, Any]]) -> None:
        self.devices.set_rows(
            [
                [
                    d["id"],
                    str(d.get("name") or ""),
                    words.moment(d.get("enrolled_at")),
                    words.moment(d.get("last_seen_at")),
                    words.moment(d.get("revoked_at")),
                ]
                for d in devices
            ],
            [d["id"] for d in devices],
        )
        self.loaded.emit("devices")

    def _selected_device(self) -> str | None:
        index = self.devices_table.selectionModel().currentIndex()
        return str(self.devices.key(index.row())) if index.isValid() else None

    def ask_revoke(self) -> None:
        device = self._selected_device()
        if device is None:
            say(self.devices_message, self.tr("Select a tablet in the list first."))
            return
        say(
            self.devices_message,
            self.tr(
                "Revoke tablet %1? It can no longer send answers; enrol it again to use it."
            ).replace("%1", device),
        )
        self.confirm_revoke.show()
        self.confirm_revoke.setFocus()

    def revoke(self) -> None:
        device = self._selected_device()
        self.confirm_revoke.hide()
        if device is None:
            return
        client = self.session.client

        def done(_result: Any) -> None:
            say(
                self.devices_message,
                self.tr("Tablet %1 revoked.").replace("%1", device),
                problem=False,
            )
            self.load_devices()

        self.session.run(
            self,
            lambda: client.revoke_device(device),
            done,
            lambda exc: say(self.devices_message, words.problem(exc)),
        )

    # ------------------------------------------------------------ enrolment
    def _code_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        explain = QLabel(
            self.tr(
                "To enrol a tablet, make a code here and type it on the tablet's enrolment "
                "screen. A code works once, within 15 minutes."
            )
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        self.code = QLabel()
        self.code.setObjectName("code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.code.setAccessibleName(self.tr("Enrolment code"))
        layout.addWidget(self.code)
        self.code_message = _message()
        layout.addWidget(self.code_message)
        self.code_button = QPushButton(self.tr("&New enrolment code"))
        self.code_button.setObjectName("primary")
        self.code_button.setAccessibleName(self.tr("New enrolment code"))
        self.code_button.clicked.connect(self.new_code)
        layout.addWidget(self.code_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def new_code(self) -> None:
        client = self.session.client

        def shown(code: str) -> None:
            self.code.setText(code)
            say(self.code_message, self.tr("Valid for 15 minutes."), problem=False)
            self.loaded.emit("code")

        self.session.run(
            self,
            client.enrolment_code,
            shown,
            lambda exc: say(self.code_message, words.problem(exc)),
        )

    # ------------------------------------------------------------ audit
    def show_audit(self, *, target: str = "", actor: str = "") -> None:
        """Filter the audit log (and show its tab)."""
        self.setCurrentWidget(self.audit_log)
        self.audit_log.show_entries(target=target, actor=actor)
