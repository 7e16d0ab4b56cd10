"""The Accounts tab, for administrators: every staff account (role, state, last sign-in,
clinics, a password to change), a new account, disabling and enabling, a one-time
password, a role, the clinics an account is limited to (``/admin/users``).

Disabling, enabling and resetting a password are confirmed first with a second
button beside the question. A reset password is shown once, in a dialog that
forgets it when closed. What the clinic refuses is said in plain words.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.staff import words
from kiosk.ui.staff.account_dialogs import (
    ClinicsDialog,
    NewAccountDialog,
    OneTimePasswordDialog,
    RoleDialog,
)
from kiosk.ui.staff.accounts_model import AccountsModel
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session
from kiosk.ui.staff.tables import table_view

# What the clinic's refusals of account changes mean to the administrator.
REFUSALS = {
    "last_administrator": str(
        QT_TRANSLATE_NOOP(
            "StaffConsole",
            "You cannot remove the last administrator. "
            "Make another account an administrator first.",
        )
    ),
    "not_found": str(
        QT_TRANSLATE_NOOP(
            "StaffConsole", "There is no such account any more. The list has been refreshed."
        )
    ),
}


def refusal(exc: Exception) -> str:
    code = getattr(exc, "code", "")
    if code in REFUSALS:
        return words.tr(REFUSALS[code])
    return words.problem(exc)


class AccountsPanel(QWidget):
    """``loaded()`` when the list arrives; ``changed(what)`` after a change is made."""

    loaded = Signal()
    changed = Signal(str)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.dialog: QDialog | None = None
        self._pending: Callable[[], None] | None = None
        layout = QVBoxLayout(self)
        self.model = AccountsModel()
        self.table = table_view(
            self.model, self.tr("Staff accounts"), stretch=(AccountsModel.CLINICS,)
        )
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._cancel())
        layout.addWidget(self.table, 1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName(self.tr("Accounts message"))
        layout.addWidget(self.message)
        confirm_row = QHBoxLayout()
        confirm_row.addStretch(1)
        self.confirm_button = QPushButton()
        self.confirm_button.clicked.connect(self._confirmed)
        self.confirm_button.hide()
        confirm_row.addWidget(self.confirm_button)
        layout.addLayout(confirm_row)
        row = QHBoxLayout()
        self.new_button = QPushButton(self.tr("&New account…"))
        self.new_button.setObjectName("primary")
        self.new_button.clicked.connect(self.ask_new)
        self.disable_button = QPushButton(self.tr("&Disable…"))
        self.disable_button.setAccessibleName(self.tr("Disable the selected account"))
        self.disable_button.clicked.connect(lambda: self.ask_state(enable=False))
        self.enable_button = QPushButton(self.tr("Ena&ble…"))
        self.enable_button.setAccessibleName(self.tr("Enable the selected account"))
        self.enable_button.clicked.connect(lambda: self.ask_state(enable=True))
        self.reset_button = QPushButton(self.tr("&Reset password…"))
        self.reset_button.setAccessibleName(self.tr("Reset the selected account's password"))
        self.reset_button.clicked.connect(self.ask_reset)
        self.role_button = QPushButton(self.tr("&Change role…"))
        self.role_button.clicked.connect(self.ask_role)
        self.clinics_button = QPushButton(self.tr("&Set clinics…"))
        self.clinics_button.clicked.connect(self.ask_clinics)
        self.refresh_button = QPushButton(self.tr("Re&fresh"))
        self.refresh_button.clicked.connect(lambda: self.load())
        self.buttons = (
            self.new_button,
            self.disable_button,
            self.enable_button,
            self.reset_button,
            self.role_button,
            self.clinics_button,
            self.refresh_button,
        )
        for button in self.buttons:
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)

    # ------------------------------------------------------------ the list
    def forget(self) -> None:
        self._cancel()
        self.model.set_accounts([])
        if self.dialog is not None:
            self.dialog.close()

    def load(self, *, select: str | None = None) -> None:
        client = self.session.client
        select = select or self.selected()

        def loaded(accounts: Sequence[dict[str, Any]]) -> None:
            self.model.set_accounts(accounts)
            row = self.model.row_of(select) if select else None
            if row is not None:
                self.table.selectRow(row)
            self.loaded.emit()

        self.session.run(self, client.users, loaded, lambda exc: say(self.message, refusal(exc)))

    def selected(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        return self.model.key(index.row()) if index.isValid() else None

    def _selected_account(self) -> dict[str, Any] | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            say(self.message, self.tr("Select an account in the list first."))
            return None
        return self.model.account(index.row())

    # ------------------------------------------------------------ changes
    def _change(self, work: Callable[[], Any], done: Callable[[Any], str], username: str) -> None:
        """``work()`` at the clinic; then ``done(answer)`` says what happened and the
        list is read again."""
        self._busy(True)

        def finished(answer: Any) -> None:
            self._busy(False)
            text = done(answer)
            if text:
                say(self.message, text, problem=False)
            self.changed.emit(username)
            self.load(select=username)

        def failed(exc: Exception) -> None:
            self._busy(False)
            say(self.message, refusal(exc))
            if getattr(exc, "code", "") == "not_found":
                self.load()

        self.session.run(self, work, finished, failed)

    def _busy(self, busy: bool) -> None:
        for button in self.buttons:
            button.setEnabled(not busy)

    def _ask(self, question: str, yes: str, action: Callable[[], None]) -> None:
        say(self.message, question)
        self._pending = action
        # No Alt letter (each would clash with a button beside it): it takes the focus,
        # so Enter or Space says yes, and Tab away or another choice says no.
        self.confirm_button.setText(yes)
        self.confirm_button.setAccessibleName(yes)
        self.confirm_button.show()
        self.confirm_button.setFocus()

    def _cancel(self) -> None:
        self._pending = None
        self.confirm_button.hide()

    def _confirmed(self) -> None:
        action, self._pending = self._pending, None
        self.confirm_button.hide()
        if action is not None:
            action()

    def ask_state(self, *, enable: bool) -> None:
        account = self._selected_account()
        if account is None:
            return
        username = str(account["username"])
        client = self.session.client
        if enable:
            if AccountsModel.is_active(account):
                say(self.message, self.tr("%1 is already active.").replace("%1", username))
                return
            question = self.tr("Enable %1? They can sign in again with their password.")
            yes = self.tr("Yes, enable %1")
            after = self.tr("%1 is enabled.")
            work: Callable[[], Any] = lambda: client.enable_user(username)  # noqa: E731
        else:
            if not AccountsModel.is_active(account):
                say(self.message, self.tr("%1 is already disabled.").replace("%1", username))
                return
            question = self.tr(
                "Disable %1? They are signed out at once and cannot sign in until the "
                "account is enabled again."
            )
            yes = self.tr("Yes, disable %1")
            after = self.tr("%1 is disabled.")
            work = lambda: client.disable_user(username)  # noqa: E731
        self._ask(
            question.replace("%1", username),
            yes.replace("%1", username),
            lambda: self._change(work, lambda _a: after.replace("%1", username), username),
        )

    def ask_reset(self) -> None:
        account = self._selected_account()
        if account is None:
            return
        username = str(account["username"])
        client = self.session.client

        def show(password: str) -> str:
            dialog = OneTimePasswordDialog(self, username, str(password))
            self._open(dialog)
            return self.tr(
                "%1's password is reset. They must choose a new one when they sign in."
            ).replace("%1", username)

        self._ask(
            self.tr(
                "Reset %1's password? Their password stops working and they are signed out; "
                "you are shown a one-time password to give them in person."
            ).replace("%1", username),
            self.tr("Yes, reset %1's password").replace("%1", username),
            lambda: self._change(lambda: client.reset_password(username), show, username),
        )

    def ask_new(self) -> None:
        self._cancel()
        dialog = NewAccountDialog(self)
        client = self.session.client

        def create() -> None:
            username, role, password, clinics = dialog.values()
            self._change(
                lambda: client.add_user(username, role, password, clinics),
                lambda _a: self.tr("%1 added.").replace("%1", username),
                username,
            )

        dialog.accepted.connect(create)
        self._open(dialog)

    def ask_role(self) -> None:
        account = self._selected_account()
        if account is None:
            return
        self._cancel()
        username = str(account["username"])
        dialog = RoleDialog(self, username, str(account["role"]))
        client = self.session.client

        def change() -> None:
            role = dialog.chosen()
            self._change(
                lambda: client.set_role(username, role),
                lambda _a: (
                    self.tr("%1 is now: %2.")
                    .replace("%1", username)
                    .replace("%2", words.role(role))
                ),
                username,
            )

        dialog.accepted.connect(change)
        self._open(dialog)

    def ask_clinics(self) -> None:
        account = self._selected_account()
        if account is None:
            return
        self._cancel()
        username = str(account["username"])
        current = account.get("clinics")
        dialog = ClinicsDialog(self, username, current if isinstance(current, list) else None)
        client = self.session.client

        def change() -> None:
            clinics = dialog.chosen()
            self._change(
                lambda: client.set_clinics(username, clinics),
                lambda _a: self.tr("%1's clinics are set.").replace("%1", username),
                username,
            )

        dialog.accepted.connect(change)
        self._open(dialog)

    def _open(self, dialog: QDialog) -> None:
        """Window-modal, and gone once closed (the one-time password with it)."""
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _result: self._closed(dialog))
        dialog.open()

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None
