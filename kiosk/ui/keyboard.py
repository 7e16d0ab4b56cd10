"""A built-in on-screen keyboard for free-text answers, sized for touch.

Keys type straight into the editor they serve, so it works the same whether a
patient taps the keys or a switch user moves focus onto them.

Each key is a real button (focusable, with its accessible name), a
:class:`~kiosk.ui.answer_inputs.DrawnButton`: drawing 43 keys through the style
sheet's rules was most of the first frame of a text screen, so each key paints a
picture of itself, drawn while the patient reads the screen before.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QLineEdit, QPlainTextEdit, QWidget

from kiosk.ui.answer_inputs import DrawnButton

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?")


class OnScreenKeyboard(QWidget):
    def __init__(self, editor: QLineEdit | QPlainTextEdit) -> None:
        super().__init__()
        self.editor = editor
        self.shifted = False
        grid = QGridLayout(self)
        grid.setSpacing(4)
        self.keys: dict[str, DrawnButton] = {}
        for row, letters in enumerate(ROWS):
            for column, letter in enumerate(letters):
                key = DrawnButton(letter)
                key.setObjectName(f"key_{letter}")
                key.setAccessibleName(self.tr("Type %1").replace("%1", letter))
                key.clicked.connect(lambda _=False, k=key: self._type(k.text()))
                grid.addWidget(key, row, column)
                self.keys[letter] = key
        self.shift = self._special(self.tr("Capital"), "key_shift", self._toggle_shift)
        self.space = self._special(self.tr("Space"), "key_space", lambda: self._type(" "))
        self.delete = self._special(self.tr("Delete"), "key_delete", self._delete)
        grid.addWidget(self.shift, len(ROWS), 0, 1, 2)
        grid.addWidget(self.space, len(ROWS), 2, 1, 6)
        grid.addWidget(self.delete, len(ROWS), 8, 1, 2)

    def _special(self, text: str, name: str, action: Callable[[], None]) -> DrawnButton:
        key = DrawnButton(text)
        key.setObjectName(name)
        key.setAccessibleName(text)
        key.clicked.connect(action)
        return key

    def all_keys(self) -> list[DrawnButton]:
        return [*self.keys.values(), self.shift, self.space, self.delete]

    def _type(self, text: str) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.insertPlainText(text)
        else:
            self.editor.insert(text)
        if self.shifted:
            self._toggle_shift()

    def _delete(self) -> None:
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.textCursor().deletePreviousChar()
        else:
            self.editor.backspace()

    def _toggle_shift(self) -> None:
        self.shifted = not self.shifted
        for letter, key in self.keys.items():
            key.setText(letter.upper() if self.shifted else letter)
        self.shift.setProperty("active", self.shifted)
        self.shift.setText(self.tr("Capital (on)") if self.shifted else self.tr("Capital"))
