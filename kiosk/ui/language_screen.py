"""Choose a language: each one named in itself, so a patient finds their own."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QWidget

from kiosk.ui.screens import big_button, scrolling, wrapped
from kiosk.ui.translations import native_name


class LanguageScreen(QWidget):
    def __init__(self, languages: Sequence[str], on_choose: Callable[[str], None]) -> None:
        super().__init__()
        body, _footer = scrolling(self)
        # Shown before any choice, so in English; each button is in its own language.
        body.addWidget(wrapped(self.tr("Choose your language"), "title"))
        for code in languages:
            name = native_name(code)
            button = big_button(name, f"language_{code}")
            button.setLayoutDirection(QLocale(code).textDirection())
            button.setAccessibleName(name)
            english = QLocale.languageToString(QLocale(code).language())
            button.setAccessibleDescription(self.tr("Use %1").replace("%1", english))
            button.clicked.connect(lambda _=False, c=code: on_choose(c))
            body.addWidget(button)
        body.addStretch(1)
