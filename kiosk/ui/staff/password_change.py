"""Changing one's own password (``POST /auth/password``): from the status bar's
"Change my password" at any time, and as the only screen after signing in with a
password an administrator has reset, until a new one is chosen.

The clinic decides whether a new password is good enough and says why not; the
console checks only that it was typed the same twice.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.client import SignedIn
from kiosk.ui.staff import words
from kiosk.ui.staff.look import plain_words as _words
from kiosk.ui.staff.look import say
from kiosk.ui.staff.session import Session


def _secret(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


class PasswordForm(QWidget):
    """Current password, new password twice, a message and the button; ``on_changed``
    with the clinic's fresh token answer once it is changed."""

    def __init__(self, session: Session, on_changed: Callable[[SignedIn], None]) -> None:
        super().__init__()
        self.session = session
        self._on_changed = on_changed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.current = _secret(self.tr("Current password"))
        self.new = _secret(self.tr("New password"))
        self.new.setPlaceholderText(self.tr("12 characters or more"))
        self.repeat = _secret(self.tr("New password again"))
        for text, field in (
            (self.tr("C&urrent password"), self.current),
            (self.tr("&New password"), self.new),
            (self.tr("New password &again"), self.repeat),
        ):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.message = _words("", "message")
        self.message.setAccessibleName(self.tr("Password change problem"))
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("&Change password"))
        self.button.setObjectName("primary")
        self.button.setAccessibleName(self.tr("Change password"))
        self.button.clicked.connect(self.submit)
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)

    def submit(self) -> None:
        current, new = self.current.text(), self.new.text()
        if not current or not new:
            say(self.message, self.tr("Enter your current password and a new one."))
            return
        if new != self.repeat.text():
            say(self.message, self.tr("The two new passwords are not the same. Type them again."))
            self.new.clear()
            self.repeat.clear()
            self.new.setFocus()
            return
        self.button.setEnabled(False)
        say(self.message, "")
        client = self.session.client

        def changed(user: SignedIn) -> None:
            self.button.setEnabled(True)
            self.clear()
            self.session.user = user
            self._on_changed(user)

        def failed(exc: Exception) -> None:
            self.button.setEnabled(True)
            self.new.clear()
            self.repeat.clear()
            say(self.message, words.problem(exc))
            self.current.setFocus()

        self.session.run(self, lambda: client.change_password(current, new), changed, failed)

    def clear(self) -> None:
        for field in (self.current, self.new, self.repeat):
            field.clear()
        say(self.message, "")


class ChangePasswordDialog(QDialog):
    """ "Change my password", for anyone signed in. Closes once it is changed."""

    def __init__(self, parent: QWidget, session: Session) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change my password"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _words(
                self.tr(
                    "Choose a new password for %1. You stay signed in here; if you are "
                    "signed in anywhere else, you are signed out there."
                ).replace("%1", session.username)
            )
        )
        self.form = PasswordForm(session, lambda _user: self.accept())
        layout.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.form.button, QDialogButtonBox.ButtonRole.ActionRole)
        self.form.button.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.form.clear())


class ForcedChangePage(QWidget):
    """The only screen after signing in with a one-time password: choose a new one,
    or sign out. Nothing else of the console is made until it is changed."""

    def __init__(
        self,
        session: Session,
        on_changed: Callable[[SignedIn], None],
        on_sign_out: Callable[[], None],
    ) -> None:
        super().__init__()
        self.session = session
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setFixedWidth(520)
        layout = QVBoxLayout(box)
        layout.addWidget(_words(self.tr("Choose a new password"), "title"))
        layout.addWidget(
            _words(
                self.tr(
                    "%1, an administrator has given you a one-time password. Choose your "
                    "own password to carry on: type the one-time password as your current "
                    "password, then your new password twice."
                ).replace("%1", session.username)
            )
        )
        self.form = PasswordForm(session, on_changed)
        layout.addWidget(self.form)
        row = QHBoxLayout()
        self.sign_out_button = QPushButton(self.tr("Sign out &instead"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out without changing the password"))
        self.sign_out_button.clicked.connect(lambda: on_sign_out())
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        row.addWidget(self.form.button)
        layout.addLayout(row)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(box)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)

    def start(self) -> None:
        self.form.current.setFocus()
