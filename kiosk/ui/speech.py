"""Read-aloud: speaks a question in the patient's language, when a voice for it is installed.

Speech comes from Qt's text-to-speech (PySide6-Addons). By default the first
engine that loads, other than Qt's "mock" test double, is used; on Debian that
is "speechd" (speech-dispatcher, with espeak-ng for the voices). The
environment variable ``KIOSK_SPEECH_ENGINE`` names the engine instead (the
tests set it to "mock"); a name Qt does not offer means no speech.

Whatever goes wrong (the add-on or its libraries missing, an engine that fails
to load or later errors, no voice for the language) ends in ``can_speak()``
answering False, so the screens offer no read-aloud: nothing here raises.

The words spoken are never logged: a question, and the choices read with it,
can say what a patient is being seen for. Only engine names and states are.
"""

from __future__ import annotations

import contextlib
import logging
import os

from PySide6.QtCore import QLocale, QObject, Signal

try:
    # Imported with the module, not on first use, so Qt's load-time complaints
    # (e.g. no PipeWire) come once at start-up rather than in the middle of a screen.
    from PySide6.QtTextToSpeech import QTextToSpeech, QVoice

    AVAILABLE = True
except ImportError:  # the add-ons, or the PulseAudio library they link to, are missing
    AVAILABLE = False

ENGINE_VARIABLE = "KIOSK_SPEECH_ENGINE"
MOCK = "mock"
log = logging.getLogger(__name__)


class Speaker(QObject):
    """One text-to-speech engine for the whole kiosk, loaded on first need."""

    speaking_changed = Signal(bool)

    def __init__(self, engine: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._wanted = engine if engine is not None else os.environ.get(ENGINE_VARIABLE) or None
        self._engine: QTextToSpeech | None = None
        self._loaded = False
        self._voices: dict[str, tuple[QLocale, QVoice] | None] = {}
        self._speaking = False

    # ------------------------------------------------------------ the engine
    def _load(self) -> QTextToSpeech | None:
        if not AVAILABLE:
            log.info("read-aloud is off: QtTextToSpeech cannot be imported")
            return None
        available = list(QTextToSpeech.availableEngines())
        if self._wanted is not None:
            # Asking Qt for an engine it lacks only makes it log an error.
            names = [self._wanted] if self._wanted in available else []
        else:
            names = [name for name in available if name != MOCK]
        for name in names:
            engine = QTextToSpeech(name, self)
            if engine.state() != QTextToSpeech.State.Error:
                engine.stateChanged.connect(self._state_changed)
                engine.errorOccurred.connect(self._error)
                log.info("read-aloud engine %s loaded", name)
                return engine
            log.warning("read-aloud engine %s failed: %s", name, engine.errorReason().name)
            engine.deleteLater()
        log.info("read-aloud is off: no engine loads (wanted %s)", self._wanted or "any")
        return None

    def _ready(self) -> QTextToSpeech | None:
        """The engine, if it works; loading waits until a screen first asks."""
        if not self._loaded:
            self._loaded = True
            try:
                self._engine = self._load()
            except Exception as exc:
                log.warning("read-aloud is off: %s", type(exc).__name__)
                self._engine = None
        engine = self._engine
        if engine is None:
            return None
        try:
            working = engine.state() != QTextToSpeech.State.Error
        except RuntimeError:  # the engine was deleted with its parent
            return None
        return engine if working else None

    def _voice(self, language: str) -> tuple[QLocale, QVoice] | None:
        engine = self._ready()
        if engine is None:
            return None
        if language not in self._voices:
            try:
                self._voices[language] = _find_voice(engine, language)
            except RuntimeError:
                return None
        return self._voices[language]

    # ------------------------------------------------------------ what screens use
    def can_speak(self, language: str) -> bool:
        """True when a working engine has a voice for ``language`` (e.g. "en", "cy", "ur")."""
        return self._voice(language) is not None

    def say(self, text: str, language: str) -> None:
        """Speak ``text`` in ``language``, cutting off anything still being spoken."""
        chosen = self._voice(language)
        engine = self._engine
        if chosen is None or engine is None:
            return
        locale, voice = chosen
        try:
            engine.stop()
            engine.setLocale(locale)
            engine.setVoice(voice)
            engine.say(text)
        except RuntimeError as exc:
            log.warning("read-aloud failed: %s", type(exc).__name__)

    def stop(self) -> None:
        engine = self._engine
        if engine is None:
            return
        with contextlib.suppress(RuntimeError):  # deleted with its parent: nothing is speaking
            engine.stop()

    def is_speaking(self) -> bool:
        return self._speaking

    def _state_changed(self, state: QTextToSpeech.State) -> None:
        speaking = state == QTextToSpeech.State.Speaking
        if speaking != self._speaking:
            self._speaking = speaking
            self.speaking_changed.emit(speaking)

    def _error(self, reason: QTextToSpeech.ErrorReason, _message: str) -> None:
        # The message is not logged: an engine may quote the text it failed to speak.
        log.warning("read-aloud engine error: %s", reason.name)
        if self._speaking:
            self._speaking = False
            self.speaking_changed.emit(False)


def _find_voice(engine: QTextToSpeech, language: str) -> tuple[QLocale, QVoice] | None:
    """A voice whose locale is in ``language``; a British one first, for an NHS waiting room."""
    wanted = QLocale(language).language()  # also takes "pt-BR"; an unknown code gives C
    if wanted in (QLocale.Language.AnyLanguage, QLocale.Language.C):
        return None
    locales = [loc for loc in engine.availableLocales() if loc.language() == wanted]
    locales.sort(key=lambda loc: loc.territory() != QLocale.Country.UnitedKingdom)
    for locale in locales:
        # Voices are listed per locale, so each one must be selected to see its voices.
        engine.setLocale(locale)
        voices = [v for v in engine.availableVoices() if v.locale().language() == wanted]
        if voices:
            return locale, voices[0]
    return None
