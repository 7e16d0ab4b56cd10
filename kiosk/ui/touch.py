"""Touch-sized buttons and word-wrapped labels, the pieces every patient screen is
made of. Qt only: the kiosk's first screen is built from these before the forms or
the store are loaded."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QLabel, QPushButton

TOUCH = 56  # px: above the 48 px minimum, with room to spare


class TouchButton(QPushButton):
    """A button never smaller than a fingertip, nor than its own text at any text size.

    (``setMinimumHeight`` would replace the text's own needs, so large text could be
    clipped; this only raises the floor.)"""

    def minimumSizeHint(self) -> QSize:
        return super().minimumSizeHint().expandedTo(QSize(TOUCH, TOUCH))

    def sizeHint(self) -> QSize:
        return super().sizeHint().expandedTo(QSize(TOUCH, TOUCH))


def big_button(text: str, name: str) -> QPushButton:
    button = TouchButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    return button


def wrapped(text: str, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label
