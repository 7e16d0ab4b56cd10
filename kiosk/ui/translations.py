"""The kiosk's own words in the patient's language: Qt translations from ``i18n/``.

Each language is ``i18n/kiosk_<code>.qm``, compiled with ``pyside6-lrelease``
from ``kiosk_<code>.ts`` (see i18n/README.md). English is the source language
and needs no file. Form text comes from the forms themselves; a language is
offered only when both the screens and every form of the pathway have it.

Pseudo-localisation (``KIOSK_PSEUDO_LOCALE=1``, or ``use("pseudo")``) shows
English accented and longer instead (:mod:`kiosk.ui.pseudo`), so any word that
misses ``tr()`` stands out.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt, QTranslator
from PySide6.QtWidgets import QApplication

# Re-exported: the screens' source language is the forms' (one place says "en").
from kiosk.journey.session_start import SOURCE_LANGUAGE as SOURCE_LANGUAGE
from kiosk.site import paths
from kiosk.ui import pseudo

log = logging.getLogger(__name__)
DEFAULT_FOLDER = paths.installed("i18n")


# Qt names a bare "en" after its default region ("American English").
_NATIVE_OVERRIDES = {"en": "English"}


def native_name(code: str) -> str:
    """A language named in itself ("Cymraeg", "Polski", "اردو"), capitalised where it can be."""
    name = _NATIVE_OVERRIDES.get(code) or QLocale(code).nativeLanguageName() or code
    return name[:1].upper() + name[1:]


STATUS_FILE = "status.toml"


class Translations:
    def __init__(self, folder: Path = DEFAULT_FOLDER, *, pseudo_locale: bool | None = None) -> None:
        """``pseudo_locale``: show English pseudo-localised (default: ``KIOSK_PSEUDO_LOCALE``)."""
        self.folder = folder
        self._translator: QTranslator | None = None
        self.current = SOURCE_LANGUAGE
        self.pseudo_locale = pseudo.wanted() if pseudo_locale is None else pseudo_locale
        if self.pseudo_locale:
            self.use(SOURCE_LANGUAGE)

    def available(self, *, drafts: bool = True) -> set[str]:
        """English and every language with a compiled translation; with ``drafts``
        off, only those ``status.toml`` in the folder marks validated."""
        found = {p.stem.removeprefix("kiosk_") for p in self.folder.glob("kiosk_*.qm")}
        if not drafts:
            found = {code for code in found if self.status(code) == "validated"}
        return {SOURCE_LANGUAGE} | found

    def status(self, code: str) -> str:
        """ "validated" or "draft" (the default, also for a missing or unreadable file)."""
        import tomllib

        try:
            with (self.folder / STATUS_FILE).open("rb") as handle:
                languages = tomllib.load(handle).get("languages", {})
        except (OSError, tomllib.TOMLDecodeError):
            return "draft"
        value = languages.get(code) if isinstance(languages, dict) else None
        return "validated" if value == "validated" else "draft"

    def use(self, code: str) -> bool:
        """Show the kiosk's words in ``code`` from now on; False (English kept) if unusable."""
        app = QCoreApplication.instance()
        if self._translator is not None and app is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        self.current = SOURCE_LANGUAGE
        if code == pseudo.PSEUDO or (code == SOURCE_LANGUAGE and self.pseudo_locale):
            return self._use_pseudo_locale()
        if code != SOURCE_LANGUAGE:
            translator = QTranslator()
            if not translator.load(str(self.folder / f"kiosk_{code}.qm")) or app is None:
                log.error("no usable translation for language %s", code)
                self._direction(SOURCE_LANGUAGE)
                return False
            app.installTranslator(translator)
            self._translator = translator
            self.current = code
        self._direction(self.current)
        return True

    def _use_pseudo_locale(self) -> bool:
        """English in disguise: the forms, the layout and read-aloud stay English."""
        app = QCoreApplication.instance()
        if app is None:
            log.error("pseudo-localisation needs the application to exist first")
            return False
        self._translator = pseudo.PseudoTranslator()
        app.installTranslator(self._translator)
        self._direction(SOURCE_LANGUAGE)
        return True

    @staticmethod
    def _direction(code: str) -> None:
        right_to_left = QLocale(code).textDirection() == Qt.LayoutDirection.RightToLeft
        QApplication.setLayoutDirection(
            Qt.LayoutDirection.RightToLeft if right_to_left else Qt.LayoutDirection.LeftToRight
        )
