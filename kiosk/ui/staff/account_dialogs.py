"""The dialogs of the Accounts tab: a new account, a role, the clinics an account is
limited to, and showing a one-time password once.

Each opens window-modal (``open()``, never a nested event loop) and the Accounts
tab reads its values when it is accepted.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.look import plain_words as _words
from kiosk.ui.staff.look import say


def role_box(name: str, current: str | None = None) -> QComboBox:
    box = QComboBox()
    for code in words.ROLES:
        box.addItem(words.role(code), code)
    if current is not None:
        box.setCurrentIndex(max(0, box.findData(current)))
    box.setAccessibleName(name)
    return box


def parse_clinics(text: str) -> list[str] | None:
    """Names separated by commas; nothing typed means every clinic (None)."""
    names = [name.strip() for name in text.split(",") if name.strip()]
    return names or None


def _clinics_field(name: str, clinics: Sequence[str] | None = None) -> QLineEdit:
    field = QLineEdit(", ".join(clinics) if clinics else "")
    field.setPlaceholderText(words.tr("All clinics"))
    field.setAccessibleName(name)
    return field


class _Dialog(QDialog):
    def __init__(self, parent: QWidget, title: str, explain: str, ok: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        self.layout_ = QVBoxLayout(self)
        self.layout_.addWidget(_words(explain))
        self.form = QFormLayout()
        self.layout_.addLayout(self.form)
        self.message = _words("", "message")
        self.layout_.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.addButton(ok, QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("primary")
        self.ok.setDefault(True)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        self.layout_.addWidget(self.buttons)

    def add_row(self, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)

    def problem(self) -> str:
        """What is missing or wrong, in plain words; empty when it can be sent."""
        return ""

    def _check(self) -> None:
        problem = self.problem()
        if problem:
            say(self.message, problem)
            return
        self.accept()


class NewAccountDialog(_Dialog):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(
            parent,
            words.tr("New account"),
            words.tr(
                "The new member of staff signs in with this username and password. Give "
                "them the password in person; they can change it with Change my password."
            ),
            words.tr("&Create account"),
        )
        self.username = QLineEdit()
        self.username.setAccessibleName(words.tr("New account's username"))
        self.role = role_box(words.tr("New account's role"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(words.tr("New account's password"))
        self.password.setPlaceholderText(words.tr("12 characters or more"))
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(words.tr("The password again"))
        self.clinics = _clinics_field(words.tr("Clinics the account is limited to"))
        self.add_row(words.tr("User&name"), self.username)
        self.add_row(words.tr("&Role"), self.role)
        self.add_row(words.tr("&Password"), self.password)
        self.add_row(words.tr("Password &again"), self.repeat)
        self.add_row(words.tr("C&linics"), self.clinics)
        self.form.addRow(
            _words(words.tr("Leave Clinics empty for every clinic; separate names with commas."))
        )

    def problem(self) -> str:
        if not self.username.text().strip() or not self.password.text():
            return words.tr("Enter a username and a password.")
        if self.password.text() != self.repeat.text():
            return words.tr("The two passwords are not the same. Type them again.")
        return ""

    def values(self) -> tuple[str, str, str, list[str] | None]:
        return (
            self.username.text().strip(),
            str(self.role.currentData()),
            self.password.text(),
            parse_clinics(self.clinics.text()),
        )


class RoleDialog(_Dialog):
    def __init__(self, parent: QWidget, username: str, current: str) -> None:
        super().__init__(
            parent,
            words.tr("Change role"),
            words.tr(
                "What %1 may see and do changes at once: if they are signed in, they are "
                "signed out."
            ).replace("%1", username),
            words.tr("&Change role"),
        )
        self.current = current
        self.role = role_box(words.tr("New role"), current)
        self.add_row(words.tr("&Role"), self.role)

    def problem(self) -> str:
        if self.chosen() == self.current:
            return words.tr("Choose a different role, or cancel.")
        return ""

    def chosen(self) -> str:
        return str(self.role.currentData())


class ClinicsDialog(_Dialog):
    def __init__(self, parent: QWidget, username: str, clinics: Sequence[str] | None) -> None:
        super().__init__(
            parent,
            words.tr("Set clinics"),
            words.tr(
                "%1 sees only the patients of these clinics. Leave it empty for every "
                "clinic; separate names with commas. If they are signed in, they are "
                "signed out."
            ).replace("%1", username),
            words.tr("&Set clinics"),
        )
        self.clinics = _clinics_field(words.tr("Clinics the account is limited to"), clinics)
        self.add_row(words.tr("C&linics"), self.clinics)

    def chosen(self) -> list[str] | None:
        return parse_clinics(self.clinics.text())


class OneTimePasswordDialog(QDialog):
    """Shows a reset account's one-time password once; closing it forgets it."""

    def __init__(self, parent: QWidget, username: str, password: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(words.tr("One-time password"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _words(
                words.tr(
                    "The one-time password for %1 is below. Give it to them in person, "
                    "not by email or message. It is shown only this once: they must choose "
                    "a new password when they sign in with it."
                ).replace("%1", username)
            )
        )
        self.password = QLabel(password)
        self.password.setObjectName("code")
        self.password.setTextFormat(Qt.TextFormat.PlainText)
        self.password.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password.setAccessibleName(words.tr("One-time password"))
        layout.addWidget(self.password)
        self.copied = _words("", "done")
        layout.addWidget(self.copied)
        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(words.tr("&Copy"))
        self.copy_button.setAccessibleName(words.tr("Copy the one-time password"))
        self.copy_button.clicked.connect(self.copy)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.done_button = buttons.addButton(
            words.tr("&Done"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.done_button.setObjectName("primary")
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.finished.connect(lambda _result: self.forget())

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.password.text())
        say(self.copied, words.tr("Copied."), problem=False)

    def forget(self) -> None:
        """Closed: the password leaves the screen, and the clipboard if it is still there."""
        clipboard = QGuiApplication.clipboard()
        if self.password.text() and clipboard.text() == self.password.text():
            clipboard.clear()
        self.password.clear()
