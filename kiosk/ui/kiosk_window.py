"""The patient kiosk window: attract -> privacy -> questions -> review -> thank you.

The window puts the screens in order and owns the one page slot they take
turns in. Its parts are handed what they act on: lock-down
(:mod:`kiosk.ui.lockdown`; the PIN pad and staff menu, :mod:`kiosk.ui.staff_door`),
the timers (:mod:`kiosk.ui.idle`), the new-day purge of clinic lists
(:mod:`kiosk.ui.new_day`), the linking steps (:mod:`kiosk.ui.linking_flow`) and the
questions (:mod:`kiosk.ui.question_session`).
Inactivity brings a warning, then a reset that ends the session as timed out and
removes every trace of it from the screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.journey.session_start import usable_languages
from kiosk.ui.ahead import after_next_paint, show_unseen
from kiosk.ui.attract import AttractScreen
from kiosk.ui.background import Background
from kiosk.ui.idle import IdleTimers
from kiosk.ui.lockdown import KioskLock, empty_clipboard
from kiosk.ui.speech import Speaker
from kiosk.ui.staff_door import StaffDoor
from kiosk.ui.theme import apply_theme
from kiosk.ui.touch import wrapped
from kiosk.ui.translations import SOURCE_LANGUAGE, Translations
from kiosk.vocabulary import ANONYMOUS, CHECKED_IN, RECEPTION

if TYPE_CHECKING:  # the forms and the store load after the first frame (kiosk.ui.app)
    from kiosk.engine import FormLibrary
    from kiosk.exchange.clinic_list import ClinicList
    from kiosk.journey.flow import Flow
    from kiosk.journey.linking import MissLimit, PatientLink
    from kiosk.store import StaffPin, TabletStore

log = logging.getLogger(__name__)


class KioskWindow(StaffDoor):
    session_ended = Signal()
    """A session was sealed into the outbox (submitted or ended): time to sync."""
    enrolment_lost = Signal()
    """The clinic refused this tablet (revoked). Safe to emit from the sync thread."""
    progress = Signal(str, str)
    """(appointment id, stage): how far the patient of one of today's appointments has
    got (checked in, started), for sync to tell the clinic, best effort."""

    def __init__(
        self,
        store: TabletStore | None,
        library: FormLibrary | None,
        pathway: str,
        licences: Mapping[str, str],
        background: Background,
        pin: StaffPin | None,
        *,
        kiosk_mode: bool = False,
        idle_ms: int = 60_000,
        reset_ms: int = 30_000,
        thanks_ms: int = 20_000,
        link: str = ANONYMOUS,
        clinic_list: Callable[[], ClinicList | None] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        translations: Translations | None = None,
        draft_translations: bool = False,
        day_check_ms: int = 60_000,
        miss_limit: MissLimit | None = None,
    ) -> None:
        """No ``store``, ``library`` or ``pin`` yet: the attract screen waits for :meth:`ready`."""
        super().__init__()
        self.setWindowTitle(self.tr("What Matters"))
        self.pathway = pathway
        self.licences = dict(licences)
        self.draft_translations = draft_translations
        self.background = background
        self.kiosk_mode = kiosk_mode
        self.link = link
        self.enrolled = True
        self.is_ready = False
        self._for_ready = (clinic_list, today, day_check_ms, miss_limit)
        self.enrolment_lost.connect(self._not_enrolled)
        self.translations = translations or Translations()
        self.language = SOURCE_LANGUAGE
        self.attract = AttractScreen(self.start, self.show_pin_pad)
        self.text_size, self.high_contrast = "normal", False
        self.addWidget(self.attract)
        self.page: QWidget | None = None  # the question, review or thank-you screen
        self.speaker = Speaker(parent=self)  # one engine for every question; loads on first use
        self.currentChanged.connect(self.speaker.stop)  # no words carry over to another screen
        self._before_timeout: QWidget | None = None
        self.timers = IdleTimers(
            self,
            idle_ms=idle_ms,
            reset_ms=reset_ms,
            thanks_ms=thanks_ms,
            on_idle=self.warn,
            on_reset=lambda: self.reset("timed_out"),
            on_thanks=lambda: self.reset(None),
            on_failure=lambda: self.reset("abandoned" if self.flow else None),
        )
        self.idle, self.reset_timer = self.timers.idle, self.timers.reset
        self.thanks_timer, self.failure_timer = self.timers.thanks, self.timers.failure
        self.lock = KioskLock(kiosk_mode, parent=self)
        # Qt asks the filter installed last first: a swallowed escape key is no activity.
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.timers)
        app.installEventFilter(self.lock)
        if store is not None and library is not None and pin is not None:
            self.ready(store, library, pin)
        apply_theme(self)
        self._show_attract()

    def ready(
        self,
        store: TabletStore,
        library: FormLibrary,
        pin: StaffPin,
        limit: MissLimit | None = None,
    ) -> None:
        """Build what needs the forms and the store; a tap that came before goes on now."""
        from kiosk.journey.linking import MissLimit, TabletMisses
        from kiosk.ui.assisted import AssistedCompletion
        from kiosk.ui.linking_flow import LinkingFlow
        from kiosk.ui.new_day import EarlierListsPurge
        from kiosk.ui.pin_pad import PinPad
        from kiosk.ui.question_session import QuestionSession

        background, link, draft_translations = self.background, self.link, self.draft_translations
        clinic_list, today, day_check_ms, miss_limit = self._for_ready
        miss_limit = limit or miss_limit
        self.store, self.library = store, library
        # The screens' words too must be validated, unless the clinic allows drafts.
        self.languages = usable_languages(
            library.pathway_languages(self.pathway, self.licences, drafts=draft_translations),
            self.translations.available(drafts=draft_translations),
        )
        self.pin_pad = PinPad(pin, background, self._staff_menu, lambda: self.reset(None))
        self.addWidget(self.pin_pad)
        self._build_patient_screens()
        self.lists_purge = EarlierListsPurge(store, background, today, day_check_ms, parent=self)
        self.linking = LinkingFlow(
            link,
            store,
            background,
            TabletMisses(store, miss_limit or MissLimit()),
            clinic_list or (lambda: None),
            today,
            self.timers,
            show=self._replace_page,
            begin=self.begin,
            leave=lambda: self.reset(None),
            show_attract=self._show_attract,
            failed=self._failed,
            privacy_ready=lambda ready: self.privacy.agree.setEnabled(ready),
            checked_in=lambda appointment: self.progress.emit(
                appointment.appointment_id, CHECKED_IN
            ),
        )
        self.assisted = AssistedCompletion(
            self,
            self.linking,
            show=self._replace_page,
            leave=lambda: self.reset(None),
            start=self.start,
        )
        self.questions = QuestionSession(
            store,
            library,
            self.licences,
            self.translations,
            background,
            self.speaker,
            self.timers,
            drafts=draft_translations,
            show=self._replace_page,
            page=lambda: self.page,
            language=lambda: self.language,
            use_language=self._use_language,
            started=lambda: self.privacy.agree.setEnabled(True),
            submitted=self._submitted,
            abandoned=self.session_ended.emit,
            failed=self._failed,
            progress=self.progress.emit,
            hold=self._hold_ahead,
            drop=self._drop_page,
        )
        self.is_ready = True
        self.attract.release_taps()

    def _build_patient_screens(self) -> None:
        """(Re)make the screens a patient may meet, in the current language."""
        from kiosk.ui.screens import PrivacyScreen, TimeoutScreen

        for old in ("privacy", "timeout", "failure"):
            widget = getattr(self, old, None)
            if widget is not None:
                self.removeWidget(widget)
                widget.deleteLater()
        self.privacy = PrivacyScreen(
            self._after_privacy,
            self.set_text_size,
            self.set_high_contrast,
            anonymous=self.link == ANONYMOUS,
        )
        self.timeout = TimeoutScreen(self.still_here)
        self.failure = wrapped(
            self.tr("Sorry, something went wrong. Please see reception."), "failure"
        )
        for screen in (self.privacy, self.timeout, self.failure):
            self.addWidget(screen)

    @property
    def flow(self) -> Flow | None:
        """Where the patient is in the questions; None between patients."""
        return self.questions.flow

    def _replace_page(self, page: QWidget) -> None:
        old, self.page = self.page, page
        if self.indexOf(page) < 0:  # not built ahead (held already)
            self.addWidget(page)
        # The new page first: removing the current one first would show another for an instant.
        self._swap_to(page)
        if old is not None and old is not page:
            self._retire(old, page)

    def _swap_to(self, page: QWidget) -> None:
        """Make ``page`` current, painted once. The stack shows the new page, then hides the
        one shown, and Qt then paints the new page twice in the one frame (once for each);
        hiding the shown one first paints it once. (Focus on the page hidden still moves to
        the new one: tests/ui/test_question_swap.py.)"""
        shown = self.currentWidget()
        if shown is not None and shown is not page:
            shown.hide()
        self.setCurrentWidget(page)

    def _retire(self, old: QWidget, page: QWidget) -> None:
        """Take ``old`` out now and delete it once ``page`` has been painted (or has gone,
        or after a second whatever happens): deleting a screen of 50 widgets took one to
        two milliseconds, and Qt deletes before it paints, so the new screen waited."""
        self.removeWidget(old)
        after_next_paint(page, old.deleteLater)
        page.destroyed.connect(old.deleteLater)
        QTimer.singleShot(1000, old, old.deleteLater)

    def _hold_ahead(self, page: QWidget) -> None:
        """A screen built ahead, hidden in the stack: styled, laid out at the page's size
        and through its first show now, so showing it later is only a swap."""
        self.addWidget(page)
        page.ensurePolished()
        page.setGeometry(self.contentsRect())
        layout = page.layout()
        if layout is not None:
            layout.activate()
        show_unseen(page)
        from kiosk.ui.screens import QuestionScreen

        if isinstance(page, QuestionScreen):
            page.draw_ahead()

    def _drop_page(self, page: QWidget) -> None:
        self.removeWidget(page)
        page.deleteLater()

    # ------------------------------------------------------------ reading comfort
    def set_text_size(self, size: str) -> None:
        self.text_size = size
        apply_theme(self, high_contrast=self.high_contrast, text_size=size, language=self.language)

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        apply_theme(self, high_contrast=on, text_size=self.text_size, language=self.language)

    def _show_attract(self) -> None:
        waiting = self.link == RECEPTION and (not self.is_ready or self.linking.handed_over is None)
        self.attract.set_waiting(waiting, enrolled=self.enrolled)
        self.setCurrentWidget(self.attract)

    def _not_enrolled(self) -> None:
        """No new sessions; a patient already answering finishes (their answers stay sealed)."""
        self.enrolled = False
        if self.currentWidget() is self.attract:
            self._show_attract()

    # ------------------------------------------------------------ inactivity
    def warn(self) -> None:
        self._before_timeout = self.currentWidget()
        self.setCurrentWidget(self.timeout)
        self.reset_timer.start()

    def still_here(self) -> None:
        self.reset_timer.stop()
        self.setCurrentWidget(self._before_timeout or self.attract)
        self.idle.start()

    # ------------------------------------------------------------ before the questions
    def start(self) -> None:
        """After "Tap to start": the language screen when there is a choice, else privacy."""
        if len(self.languages) > 1:
            from kiosk.ui.language_screen import LanguageScreen

            self._replace_page(
                LanguageScreen(
                    self.languages,
                    self.choose_language,
                    speaker=self.speaker,
                    translations=self.translations,
                )
            )
            self.idle.start()
        else:
            self.show_privacy()

    def choose_language(self, code: str) -> None:
        if code != self.language:
            self._use_language(code)
        self.show_privacy()

    def _use_language(self, code: str) -> None:
        """The kiosk's words, layout direction and fonts in ``code``; fixed screens remade."""
        self.translations.use(code)  # also turns the layout round for a right-to-left script
        self.language = self.translations.current
        self._build_patient_screens()
        self.privacy.contrast.setChecked(self.high_contrast)  # the remade toggle shows the look
        apply_theme(
            self, high_contrast=self.high_contrast, text_size=self.text_size, language=self.language
        )

    def show_privacy(self) -> None:
        self.setCurrentWidget(self.privacy)
        self.idle.start()

    def _after_privacy(self) -> None:
        self.linking.after_privacy()

    # ------------------------------------------------------------ the questions
    def begin(self, link: PatientLink | None = None) -> None:
        from kiosk.journey.linking import PatientLink

        self.privacy.agree.setEnabled(False)
        empty_clipboard()  # nor does anything copied before this patient began
        link = link or PatientLink(self.link if self.link == ANONYMOUS else "unlinked")
        self.linking.forget()
        self.questions.begin(link, self.pathway, assisted_by=self.assisted.by)

    def answer(self, value: Any) -> None:
        self.questions.answer(value)

    def ask_language(self) -> None:
        self.questions.ask_language()

    def change_language(self, code: str) -> None:
        self.questions.change_language(code)

    def submit(self) -> None:
        self.questions.submit()

    def _submitted(self, outcome: Any) -> None:
        from kiosk.ui.screens import ThanksScreen

        empty_clipboard()
        self.session_ended.emit()
        self._replace_page(
            ThanksScreen(outcome.wants_help or outcome.urgent, lambda: self.reset(None))
        )
        self.thanks_timer.start()

    # ------------------------------------------------------------ between patients
    def reset(self, reason: str | None) -> None:
        """Back to the start; an unfinished session ends as ``reason``. Nothing stays on screen."""
        self.timers.stop_all()
        self.questions.end(reason)
        if self.page is not None:
            self.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None
        self._before_timeout = None
        self.linking.forget()
        self.assisted.end()
        empty_clipboard()
        if self.language != SOURCE_LANGUAGE:  # the next patient starts in English
            self._use_language(SOURCE_LANGUAGE)
        if (self.text_size, self.high_contrast) != ("normal", False):
            self.privacy.contrast.setChecked(False)  # the next patient starts from the default
            self.set_text_size("normal")
        self._show_attract()

    def _failed(self, exc: Exception) -> None:
        log.error("kiosk operation failed: %s", type(exc).__name__)
        self.privacy.agree.setEnabled(True)
        self.setCurrentWidget(self.failure)
        self.failure_timer.start()
