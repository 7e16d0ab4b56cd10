"""A built-in on-screen keyboard for free-text answers, sized for touch.

Keys type straight into the editor they serve, so it works the same whether a
patient taps the keys or a switch user moves focus onto them.

Each key is a real button (focusable, with its accessible name) that draws itself
from a picture of itself: the window's style sheet draws a key once for each look
it shows (plain, pressed, focused), and every later paint copies that picture.
Drawing 46 keys through the style sheet's rules was most of the first frame of a
text screen; a screen built ahead (:mod:`kiosk.ui.ahead`) has its pictures drawn
while the patient reads the one before (:meth:`OnScreenKeyboard.draw_ahead`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from kiosk.ui.answer_inputs import TouchButton

ROWS = ("1234567890", "qwertyuiop", "asdfghjkl'", "zxcvbnm,.?")

# What changes how the style sheet draws a key, apart from its text, size and state.
_NEW_LOOK = {
    QEvent.Type.FontChange,
    QEvent.Type.PaletteChange,
    QEvent.Type.StyleChange,
    QEvent.Type.EnabledChange,
    QEvent.Type.LayoutDirectionChange,
    QEvent.Type.LocaleChange,
}


class Key(TouchButton):
    """A keyboard key, drawn as the style sheet draws it, from a picture kept for each look."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._pictures: dict[tuple[str, bool, bool, bool, bool], QPixmap] = {}

    def _look(self) -> tuple[str, bool, bool, bool, bool]:
        # Everything the style sheet's pseudo-states (:pressed, :focus, :hover) and the
        # palette's active group depend on; the rest is forgotten on change (changeEvent).
        return (
            self.text(),
            self.isDown(),
            self.hasFocus(),
            self.underMouse(),
            self.isActiveWindow(),
        )

    def _picture(self) -> QPixmap:
        look = self._look()
        picture = self._pictures.get(look)
        if picture is None:
            picture = self._pictures[look] = self._draw()
        return picture

    def _draw(self) -> QPixmap:
        """The key as QPushButton.paintEvent draws it, on a transparent picture."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        ratio = self.devicePixelRatio()
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        # What QPainter.begin(widget) takes from the widget.
        palette = self.palette()
        painter.setPen(QPen(palette.brush(self.foregroundRole()), 1))
        painter.setBackground(palette.brush(self.backgroundRole()))
        painter.setFont(self.font())
        painter.setLayoutDirection(self.layoutDirection())
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        painter.end()
        return picture

    def draw_ahead(self) -> None:
        """Draw the key's picture now, so that its next paint only copies it."""
        self._picture()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _NEW_LOOK:
            self._pictures.clear()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._pictures.clear()
        super().resizeEvent(event)


class OnScreenKeyboard(QWidget):
    def __init__(self, editor: QLineEdit | QPlainTextEdit) -> None:
        super().__init__()
        self.editor = editor
        self.shifted = False
        grid = QGridLayout(self)
        grid.setSpacing(4)
        self.keys: dict[str, Key] = {}
        for row, letters in enumerate(ROWS):
            for column, letter in enumerate(letters):
                key = Key(letter)
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

    def _special(self, text: str, name: str, action: Callable[[], None]) -> Key:
        key = Key(text)
        key.setObjectName(name)
        key.setAccessibleName(text)
        key.clicked.connect(action)
        return key

    def all_keys(self) -> list[Key]:
        return [*self.keys.values(), self.shift, self.space, self.delete]

    def draw_ahead(self) -> None:
        """Draw every key's picture now (a screen built ahead, laid out at its size)."""
        for key in self.all_keys():
            key.draw_ahead()

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
