"""The sign-in screen, which is also the lock screen.

Locked, it names who was signed in and asks for the password again; the same
person goes back to where they were, anyone else starts afresh. A problem is
one plain line beside the fields: wrong password, locked account, clinic
unreachable.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.screens import show_problem


def _label(text: str, name: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


class SignInPage(QWidget):
    def __init__(self, on_sign_in: Callable[[str, str], None]) -> None:
        super().__init__()
        self._on_sign_in = on_sign_in
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget()
        box.setFixedWidth(480)
        layout = QVBoxLayout(box)
        self.title = _label(self.tr("Staff console: sign in"), "title")
        layout.addWidget(self.title)
        self.explain = _label(self.tr("Sign in with your clinic username and password."), "hint")
        layout.addWidget(self.explain)
        form = QGridLayout()
        self.username = QLineEdit()
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        user_label = QLabel(self.tr("&Username"))
        user_label.setBuddy(self.username)
        password_label = QLabel(self.tr("&Password"))
        password_label.setBuddy(self.password)
        form.addWidget(user_label, 0, 0)
        form.addWidget(self.username, 0, 1)
        form.addWidget(password_label, 1, 0)
        form.addWidget(self.password, 1, 1)
        layout.addLayout(form)
        self.message = _label("", "message")
        self.message.setAccessibleName(self.tr("Sign-in problem"))
        layout.addWidget(self.message)
        self.button = QPushButton(self.tr("&Sign in"))
        self.button.setObjectName("primary")
        self.button.setAccessibleName(self.tr("Sign in"))
        self.button.setDefault(True)
        self.button.clicked.connect(self._submit)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignRight)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        # Centred by stretches, not by alignment: an aligned item is not given the height
        # its wrapped text needs.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(box)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(2)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.button)

    def _submit(self) -> None:
        username = self.username.text().strip()
        if not username or not self.password.text():
            self.show_problem(self.tr("Enter your username and password."))
            return
        self.set_busy(True)
        self._on_sign_in(username, self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.password.setEnabled(not busy)
        if busy:
            self.show_problem("")

    def show_problem(self, text: str) -> None:
        show_problem(self.message, text)

    def ask(self, locked_user: str | None = None, message: str = "") -> None:
        """Ready for someone to sign in: fresh, or to unlock ``locked_user``'s session."""
        self.set_busy(False)
        self.password.clear()
        if locked_user:
            self.title.setText(self.tr("The console is locked"))
            self.explain.setText(
                self.tr(
                    "%1 was signed in. Enter the password to carry on where you were. "
                    "Someone else can sign in instead: %1's screens are then closed."
                ).replace("%1", locked_user)
            )
            self.username.setText(locked_user)
            focus = self.password
        else:
            self.title.setText(self.tr("Staff console: sign in"))
            self.explain.setText(self.tr("Sign in with your clinic username and password."))
            focus = self.password if self.username.text() else self.username
        self.show_problem(message)
        focus.setFocus()
