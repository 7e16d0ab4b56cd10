"""Choose a language: each one named in itself, so a patient finds their own.

Beside each language a voice can speak, a speaker pictogram and "Can be read
aloud" in that language say so (words and a picture, never colour alone). The
same screen comes back when a patient taps "Language" part-way through, with
their current language shown chosen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, Qt, QTranslator
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QPushButton, QWidget

from kiosk.ui.pictograms import SPEAKER, Pictogram
from kiosk.ui.screens import big_button, scrolling, wrapped
from kiosk.ui.translations import SOURCE_LANGUAGE, Translations, native_name

if TYPE_CHECKING:
    from kiosk.ui.speech import Speaker

# The marker's English words, as this screen's tr() call below has them; each
# language's own words are looked up under this source text in its .qm file.
READ_ALOUD_SOURCE = "Can be read aloud"


class ReadAloudMarker(QWidget):
    """A speaker pictogram and "Can be read aloud", both in one language's direction."""

    def __init__(self, text: str, direction: Qt.LayoutDirection) -> None:
        super().__init__()
        self.setObjectName("read_aloud_marker")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.pictogram = Pictogram(SPEAKER)
        self.label = wrapped(text, "read_aloud_marker_text")
        layout.addWidget(self.pictogram)
        layout.addWidget(self.label, 1)
        self.setLayoutDirection(direction)
        self.setAccessibleName(text)


class LanguageScreen(QWidget):
    def __init__(
        self,
        languages: Sequence[str],
        on_choose: Callable[[str], None],
        *,
        speaker: Speaker | None = None,
        translations: Translations | None = None,
        current: str | None = None,
    ) -> None:
        """``current``: the language already in use (part-way through), shown chosen."""
        super().__init__()
        body, _footer = scrolling(self)
        # At the start this is in English; each button is in its own language.
        body.addWidget(wrapped(self.tr("Choose your language"), "title"))
        here = self.tr("Can be read aloud")
        grid = QGridLayout()
        grid.setColumnStretch(0, 1)
        body.addLayout(grid)
        self.buttons: dict[str, QPushButton] = {}
        self.markers: dict[str, ReadAloudMarker] = {}
        for row, code in enumerate(languages):
            name = native_name(code)
            direction = QLocale(code).textDirection()
            button = big_button(name, f"language_{code}")
            button.setLayoutDirection(direction)
            button.setAccessibleName(name)
            english = QLocale.languageToString(QLocale(code).language())
            button.setAccessibleDescription(self.tr("Use %1").replace("%1", english))
            if code == current:
                button.setCheckable(True)
                button.setChecked(True)
            button.clicked.connect(lambda _=False, c=code: on_choose(c))
            grid.addWidget(button, row, 0)
            self.buttons[code] = button
            if speaker is not None and speaker.can_speak(code):
                marker = ReadAloudMarker(_marker_text(code, here, translations), direction)
                grid.addWidget(marker, row, 1)
                self.markers[code] = marker
        body.addStretch(1)


def _marker_text(code: str, here: str, translations: Translations | None) -> str:
    """The words "Can be read aloud" in ``code``; ``here`` (the screen's own words) if unknown."""
    if translations is None or code == translations.current:
        return here
    if code == SOURCE_LANGUAGE:
        return READ_ALOUD_SOURCE
    translator = QTranslator()
    if translator.load(str(translations.folder / f"kiosk_{code}.qm")):
        return translator.translate("LanguageScreen", READ_ALOUD_SOURCE) or here
    return here
