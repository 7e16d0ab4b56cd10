"""The patient kiosk window: attract -> privacy -> questions -> review -> thank you.

Every answer is saved (sealed, durable) through the background helper before the
next question is shown. Inactivity brings a warning, then a reset that ends the
session as timed out and removes every trace of it from the screen.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QClipboard, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget

from kiosk.engine import AnswerError, FormLibrary
from kiosk.exchange.clinic_list import Appointment, ClinicList
from kiosk.journey import Journey
from kiosk.journey.flow import Flow, Step
from kiosk.journey.linking import (
    CheckIn,
    LinkError,
    MissLimit,
    PatientLink,
    TabletMisses,
    find_by_number,
)
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.language_screen import LanguageScreen
from kiosk.ui.linking_screens import (
    CheckInScreen,
    FoundScreen,
    HandOverConfirmScreen,
    HandOverScreen,
    SeeReceptionScreen,
    StaffMenu,
)
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.screens import (
    AttractScreen,
    PrivacyScreen,
    QuestionScreen,
    ReviewScreen,
    ThanksScreen,
    TimeoutScreen,
    wrapped,
)
from kiosk.ui.speech import Speaker
from kiosk.ui.theme import apply_theme
from kiosk.ui.translations import SOURCE_LANGUAGE, Translations

log = logging.getLogger(__name__)
ACTIVITY = {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin}
_ALT, _CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
# Keys that would close, switch away from or un-fullscreen the kiosk. Qt sees only
# what the window system passes on: a desktop that grabs Alt+Tab itself must be
# locked down there too (docs/kiosk.md).
ESCAPE_KEYS: dict[Qt.Key, Qt.KeyboardModifier | None] = {
    Qt.Key.Key_F4: _ALT,
    Qt.Key.Key_Tab: _ALT,
    Qt.Key.Key_Backtab: _ALT,
    Qt.Key.Key_W: _CTRL,
    Qt.Key.Key_Q: _CTRL,
    Qt.Key.Key_Escape: None,
    Qt.Key.Key_F11: None,
    Qt.Key.Key_Meta: None,
    Qt.Key.Key_Super_L: None,
    Qt.Key.Key_Super_R: None,
    Qt.Key.Key_Menu: None,
}
_KEY_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}


def empty_clipboard() -> None:
    """Forget whatever was copied or selected: nothing of one patient reaches the next."""
    clipboard = QApplication.clipboard()
    clipboard.clear(QClipboard.Mode.Clipboard)
    if clipboard.supportsSelection():  # X11 and Wayland copy any selected text here
        clipboard.clear(QClipboard.Mode.Selection)
    if clipboard.supportsFindBuffer():
        clipboard.clear(QClipboard.Mode.FindBuffer)


def is_escape_key(event: QKeyEvent) -> bool:
    """Whether ``event`` is a key that would take the patient out of the kiosk."""
    key = Qt.Key(event.key())
    if key not in ESCAPE_KEYS:
        return False
    needed = ESCAPE_KEYS[key]
    return needed is None or bool(event.modifiers() & needed)


class KioskWindow(QStackedWidget):
    staff_unlocked = Signal()
    """The right staff PIN was entered: the owner may leave kiosk mode."""
    session_ended = Signal()
    """A session was sealed into the outbox (submitted or ended): time to sync."""
    enrolment_lost = Signal()
    """The clinic refused this tablet (revoked). Safe to emit from the sync thread."""

    def __init__(
        self,
        store: TabletStore,
        library: FormLibrary,
        pathway: str,
        licences: Mapping[str, str],
        background: Background,
        pin: StaffPin,
        *,
        kiosk_mode: bool = False,
        idle_ms: int = 60_000,
        reset_ms: int = 30_000,
        thanks_ms: int = 20_000,
        link: str = "anonymous",
        clinic_list: Callable[[], ClinicList | None] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        translations: Translations | None = None,
        draft_translations: bool = False,
        day_check_ms: int = 60_000,
        miss_limit: MissLimit | None = None,
    ) -> None:
        super().__init__()
        self.setWindowTitle(self.tr("What Matters"))
        self.store, self.library, self.pathway = store, library, pathway
        self.licences = dict(licences)
        self.draft_translations = draft_translations
        self.background = background
        self.flow: Flow | None = None
        self.session_languages: list[str] = []  # those the patient may switch to part-way
        self._unsaved: Any = None  # a choice not yet saved, kept across a change of language
        self.kiosk_mode = kiosk_mode
        self._may_close = not kiosk_mode
        self.link = link
        self._clinic_list = clinic_list or (lambda: None)
        self._today = today
        self._check_in: CheckIn | None = None
        self._misses = TabletMisses(store, miss_limit or MissLimit())
        self._handed_over: Appointment | None = None
        self.enrolled = True
        self.enrolment_lost.connect(self._not_enrolled)
        self.translations = translations or Translations()
        self.language = SOURCE_LANGUAGE
        # The screens' words too must be validated, unless the clinic allows drafts.
        available = self.translations.available(drafts=draft_translations)
        self.languages = [
            code
            for code in library.pathway_languages(pathway, licences, drafts=draft_translations)
            if code in available
        ]
        self.attract = AttractScreen(self.start, self.show_pin_pad)
        self.pin_pad = PinPad(pin, background, self._staff_menu, lambda: self.reset(None))
        self.text_size, self.high_contrast = "normal", False
        for screen in (self.attract, self.pin_pad):
            self.addWidget(screen)
        self._build_patient_screens()
        self.page: QWidget | None = None  # the question, review or thank-you screen
        self.speaker = Speaker(parent=self)  # one engine for every question; loads on first use
        self.currentChanged.connect(self.speaker.stop)  # no words carry over to another screen
        self._before_timeout: QWidget | None = None
        self.idle = self._timer(idle_ms, self.warn)
        self.reset_timer = self._timer(reset_ms, lambda: self.reset("timed_out"))
        self.thanks_timer = self._timer(thanks_ms, lambda: self.reset(None))
        self.failure_timer = self._timer(
            thanks_ms, lambda: self.reset("abandoned" if self.flow else None)
        )
        # The store forgot earlier days' clinic lists when it opened; once a new day
        # begins while the kiosk runs, yesterday's list goes too.
        self._lists_purged_for = today()
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(day_check_ms)
        self.day_timer.timeout.connect(self._purge_earlier_lists)
        self.day_timer.start()
        QApplication.instance().installEventFilter(self)  # type: ignore[union-attr]
        apply_theme(self)
        self._show_attract()

    def _build_patient_screens(self) -> None:
        """(Re)make the screens a patient may meet, in the current language."""
        for old in ("privacy", "timeout", "failure"):
            widget = getattr(self, old, None)
            if widget is not None:
                self.removeWidget(widget)
                widget.deleteLater()
        self.privacy = PrivacyScreen(
            self._after_privacy,
            self.set_text_size,
            self.set_high_contrast,
            anonymous=self.link == "anonymous",
        )
        self.timeout = TimeoutScreen(self.still_here)
        self.failure = wrapped(
            self.tr("Sorry, something went wrong. Please see reception."), "failure"
        )
        for screen in (self.privacy, self.timeout, self.failure):
            self.addWidget(screen)

    def _timer(self, msecs: int, action: Any) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setInterval(msecs)
        timer.timeout.connect(action)
        return timer

    # ------------------------------------------------------------ reading comfort
    def set_text_size(self, size: str) -> None:
        self.text_size = size
        apply_theme(self, high_contrast=self.high_contrast, text_size=size, language=self.language)

    def set_high_contrast(self, on: bool) -> None:
        self.high_contrast = on
        apply_theme(self, high_contrast=on, text_size=self.text_size, language=self.language)

    # ------------------------------------------------------------ a new day
    def _purge_earlier_lists(self) -> None:
        day = self._today()
        if day == self._lists_purged_for:
            return

        def purged(_: int) -> None:
            self._lists_purged_for = day

        def failed(exc: Exception) -> None:  # not the patient's problem: tried again next tick
            log.error("earlier clinic lists not removed yet: %s", type(exc).__name__)

        self.background.run(lambda: self.store.purge_clinic_lists(before=day), purged, failed)

    # ------------------------------------------------------------ kiosk mode
    def show_pin_pad(self) -> None:
        self.pin_pad.clear()
        self.setCurrentWidget(self.pin_pad)

    def _staff_menu(self) -> None:
        hand_over = None if self.link == "anonymous" else self._hand_over
        self._replace_page(StaffMenu(hand_over, self._unlocked, lambda: self.reset(None)))
        self.idle.start()  # an unlocked tablet left alone locks again

    def _unlocked(self) -> None:
        self._may_close = True
        self.reset(None)
        self.staff_unlocked.emit()

    # ------------------------------------------------------------ reception hand-over
    def _hand_over(self) -> None:
        self._replace_page(HandOverScreen(self._find_patient, lambda: self.reset(None)))

    def _find_patient(self, typed: str) -> None:
        page = self.page
        assert isinstance(page, HandOverScreen)
        page.find_button.setEnabled(False)

        def found(appointment: Appointment) -> None:
            self._replace_page(
                HandOverConfirmScreen(
                    appointment, "en", lambda: self._handed(appointment), self._hand_over
                )
            )

        def refused(exc: Exception) -> None:
            page.find_button.setEnabled(True)
            if isinstance(exc, LinkError):
                page.show_problem(exc)
            else:
                self._failed(exc)

        self.background.run(lambda: find_by_number(self._clinic_list(), typed), found, refused)

    def _handed(self, appointment: Appointment) -> None:
        self.reset(None)
        self._handed_over = appointment
        self._show_attract()
        self.idle.start()  # a tablet handed over but never started resets itself

    def _show_attract(self) -> None:
        waiting = self.link == "reception" and self._handed_over is None
        self.attract.set_waiting(waiting, enrolled=self.enrolled)
        self.setCurrentWidget(self.attract)

    def _not_enrolled(self) -> None:
        """No new sessions; a patient already answering finishes (their answers stay sealed)."""
        self.enrolled = False
        if self.currentWidget() is self.attract:
            self._show_attract()

    def closeEvent(self, event: QCloseEvent) -> None:
        """In kiosk mode only the staff PIN closes the window (Alt+F4 and the like do not)."""
        if self._may_close:
            event.accept()
        else:
            event.ignore()

    # ------------------------------------------------------------ activity
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._may_close
            and event.type() in _KEY_EVENTS
            and isinstance(event, QKeyEvent)
            and is_escape_key(event)
        ):
            # Accepting the override claims the key as plain typing, so no shortcut
            # fires; the key press that follows is then dropped here too.
            event.accept()
            return True  # swallowed: in kiosk mode only the staff PIN leaves
        if event.type() in ACTIVITY and self.idle.isActive():
            self.idle.start()
        return False

    def enter_kiosk_mode(self) -> None:
        """Full screen, frameless, above other windows, with no window controls."""
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.showFullScreen()

    def warn(self) -> None:
        self._before_timeout = self.currentWidget()
        self.setCurrentWidget(self.timeout)
        self.reset_timer.start()

    def still_here(self) -> None:
        self.reset_timer.stop()
        self.setCurrentWidget(self._before_timeout or self.attract)
        self.idle.start()

    # ------------------------------------------------------------ the session
    def start(self) -> None:
        """After "Tap to start": the language screen when there is a choice, else privacy."""
        if len(self.languages) > 1:
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
        if self._handed_over is not None:
            self.begin(PatientLink("reception", self._handed_over))
        elif self.link == "anonymous":
            self.begin(PatientLink("anonymous"))
        elif self.link == "self_check_in":
            self.privacy.agree.setEnabled(False)
            self.background.run(
                lambda: (self._clinic_list(), self._misses.allowance()),
                self._check_in_ready,
                self._no_list,
            )
        else:
            self._see_reception()

    # ------------------------------------------------------------ self check-in
    def _check_in_ready(self, ready: tuple[ClinicList | None, int]) -> None:
        """The list and how many misses the tablet still allows; none: reception."""
        self.privacy.agree.setEnabled(True)
        clinic_list, allowed = ready
        self._check_in = CheckIn(clinic_list, allowed)
        if self._check_in.exhausted:
            self._see_reception()
        else:
            self._replace_page(CheckInScreen(self._check, self._see_reception, self._today))

    def _no_list(self, exc: Exception) -> None:
        self.privacy.agree.setEnabled(True)
        log.error("self check-in unavailable: %s", type(exc).__name__)
        self._see_reception()

    def _check(self, born: dt.date, letter: str) -> None:
        check_in = self._check_in
        assert check_in is not None
        appointment = check_in.attempt(born, letter)
        if appointment is not None:
            self._replace_page(
                FoundScreen(
                    appointment,
                    lambda: self.begin(PatientLink("self_check_in", appointment)),
                    self._not_mine,
                )
            )
        else:
            self._missed()

    def _not_mine(self) -> None:
        assert self._check_in is not None
        self._check_in.refuse()
        self._missed()

    def _missed(self) -> None:
        check_in = self._check_in
        assert check_in is not None
        # Counted for the whole tablet, durably; the next session's count is read after
        # this write, since the background helper runs work in order.
        self.background.run(self._misses.record, lambda _: None, self._failed)
        if check_in.exhausted:
            self.background.run(
                lambda: self.store.log_event("check_in_failed", count=check_in.failures),
                lambda _: None,
                self._failed,
            )
            self._see_reception()
            return
        if not isinstance(self.page, CheckInScreen):
            self._replace_page(CheckInScreen(self._check, self._see_reception, self._today))
        assert isinstance(self.page, CheckInScreen)
        self.page.not_found(check_in.tries_left)

    def _see_reception(self) -> None:
        if self._check_in is not None:
            self._check_in.forget()
            self._check_in = None
        self._replace_page(SeeReceptionScreen(lambda: self.reset(None)))
        self.thanks_timer.start()

    # ------------------------------------------------------------ questions
    def begin(self, link: PatientLink | None = None) -> None:
        self.privacy.agree.setEnabled(False)
        empty_clipboard()  # nor does anything copied before this patient began
        link = link or PatientLink(self.link if self.link == "anonymous" else "unlinked")
        pathway = self.pathway
        if link.appointment is not None and link.appointment.pathway:
            pathway = link.appointment.pathway
        self._handed_over = None
        if self._check_in is not None:
            self._check_in.forget()
            self._check_in = None

        language = self.language
        offered = self.library.pathway_languages(
            pathway, self.licences, drafts=self.draft_translations
        )
        if language not in offered:
            log.error("pathway %s is not written in %s: asking in English", pathway, language)
            language = SOURCE_LANGUAGE
        available = self.translations.available(drafts=self.draft_translations)
        self.session_languages = [code for code in offered if code in available]

        def start() -> Journey:
            journey = Journey(self.store, self.library, pathway, self.licences, language=language)
            journey.link_patient(link.record())
            return journey

        self.background.run(start, self._started, self._failed)

    def _started(self, journey: Journey) -> None:
        self.privacy.agree.setEnabled(True)
        self.flow = Flow(journey)
        self.show_step()

    def _replace_page(self, page: QWidget) -> None:
        if self.page is not None:
            self.removeWidget(self.page)
            self.page.deleteLater()
        self.page = page
        self.addWidget(page)
        self.setCurrentWidget(page)

    def show_step(self) -> None:
        assert self.flow is not None
        on_language = self.ask_language if len(self.session_languages) > 1 else None
        if self.flow.at_review:
            self._replace_page(
                ReviewScreen(self.flow, self.change, self.submit, on_language=on_language)
            )
        else:
            self._replace_page(
                QuestionScreen(
                    self.flow,
                    self.answer,
                    self.go_back,
                    speaker=self.speaker,
                    on_language=on_language,
                )
            )

    # ------------------------------------------------------------ language, part-way
    def ask_language(self) -> None:
        """The Language button: the choice of language again, the current one shown chosen."""
        page = self.page
        self._unsaved = page.value() if isinstance(page, QuestionScreen) else None
        self._replace_page(
            LanguageScreen(
                self.session_languages,
                self.change_language,
                speaker=self.speaker,
                translations=self.translations,
                current=self.language,
            )
        )

    def change_language(self, code: str) -> None:
        """Back to the same question in ``code``: every answer is kept (they are codes)."""
        flow = self.flow
        assert flow is not None
        if code != self.language:
            self._use_language(code)
        language = self.language
        if flow.journey.language == language:
            self._show_step_again(flow)
            return
        self.background.run(
            lambda: flow.journey.change_language(language),
            lambda _: self._show_step_again(flow),
            self._failed,
        )

    def _show_step_again(self, flow: Flow) -> None:
        unsaved, self._unsaved = self._unsaved, None
        if self.flow is not flow:
            return  # the session ended (timed out) meanwhile
        self.show_step()
        page = self.page
        if unsaved is not None and isinstance(page, QuestionScreen) and page.input is not None:
            page.input.set_value(unsaved)

    def answer(self, value: Any) -> None:
        flow, page = self.flow, self.page
        assert flow is not None and isinstance(page, QuestionScreen)
        step = page.step
        if flow.item(step).type == "info":
            flow.next()
            self.show_step()
            return
        page.next.setEnabled(False)

        def save() -> Any:
            return flow.journey.answer(step.form_id, step.item_id, value)

        def saved(_: Any) -> None:
            flow.next()
            self.show_step()

        def refused(exc: Exception) -> None:
            page.next.setEnabled(True)
            if isinstance(exc, AnswerError):
                page.show_problem(flow.journey.problem_text(exc))
            else:
                self._failed(exc)

        self.background.run(save, saved, refused)

    def go_back(self) -> None:
        assert self.flow is not None
        if self.flow.back():
            self.show_step()

    def change(self, step: Step) -> None:
        assert self.flow is not None
        self.flow.go_to(step)
        self.show_step()

    def submit(self) -> None:
        flow = self.flow
        assert flow is not None
        self.idle.stop()
        self.background.run(flow.journey.submit, self._submitted, self._failed)

    def _submitted(self, outcome: Any) -> None:
        self.flow = None
        empty_clipboard()
        self.session_ended.emit()
        self._replace_page(
            ThanksScreen(outcome.wants_help or outcome.urgent, lambda: self.reset(None))
        )
        self.thanks_timer.start()

    def reset(self, reason: str | None) -> None:
        """Back to the start; an unfinished session ends as ``reason``. Nothing stays on screen."""
        for timer in (self.idle, self.reset_timer, self.thanks_timer, self.failure_timer):
            timer.stop()
        flow, self.flow = self.flow, None
        if flow is not None and reason is not None:
            self.background.run(
                lambda: flow.journey.abandon(reason),
                lambda _: self.session_ended.emit(),
                self._failed,
            )
        if self.page is not None:
            self.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None
        self._before_timeout = None
        self._handed_over = None
        if self._check_in is not None:
            self._check_in.forget()
            self._check_in = None
        self._unsaved = None
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
