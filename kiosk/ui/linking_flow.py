"""Who the patient is, step by step on screen: self check-in, or reception hand-over.

The rules (matching, limits on guessing) are :mod:`kiosk.journey.linking`; this
puts their screens in order. After the privacy screen the tablet's link method
decides: a tablet handed over by reception, or an anonymous one, begins at
once; self check-in asks for a date of birth and an initial (three misses a
session, fewer when the tablet has missed often); anything else sends the
patient to reception. Staff hand a tablet over from the staff menu by typing
the patient's number, and find a patient the same way to complete the pathway
with them (:mod:`kiosk.ui.assisted`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from kiosk.exchange.clinic_list import Appointment, ClinicList
from kiosk.journey.linking import CheckIn, LinkError, PatientLink, TabletMisses, find_by_number
from kiosk.store import TabletStore
from kiosk.ui.background import Background
from kiosk.ui.idle import IdleTimers
from kiosk.ui.linking_screens import (
    CheckInScreen,
    FoundScreen,
    HandOverConfirmScreen,
    HandOverScreen,
    SeeReceptionScreen,
)
from kiosk.vocabulary import ANONYMOUS, RECEPTION, SELF_CHECK_IN

log = logging.getLogger(__name__)


class LinkingFlow:
    """The linking steps of one kiosk window; the window hands over what they act on."""

    def __init__(
        self,
        method: str,
        store: TabletStore,
        background: Background,
        misses: TabletMisses,
        clinic_list: Callable[[], ClinicList | None],
        today: Callable[[], dt.date],
        timers: IdleTimers,
        *,
        show: Callable[[QWidget], None],
        begin: Callable[[PatientLink], None],
        leave: Callable[[], None],
        show_attract: Callable[[], None],
        failed: Callable[[Exception], None],
        privacy_ready: Callable[[bool], None],
        checked_in: Callable[[Appointment], None] = lambda _appointment: None,
    ) -> None:
        self.method = method
        self._store, self._background, self._misses = store, background, misses
        self._clinic_list, self._today, self._timers = clinic_list, today, timers
        self._show, self._begin, self._leave = show, begin, leave
        self._show_attract, self._failed, self._privacy_ready = show_attract, failed, privacy_ready
        self._checked_in = checked_in  # reception handed the tablet over: the patient is here
        self.check_in: CheckIn | None = None
        self.handed_over: Appointment | None = None

    def forget(self) -> None:
        """Nothing of this patient's linking is kept (a session began, or the kiosk reset)."""
        self.handed_over = None
        if self.check_in is not None:
            self.check_in.forget()
            self.check_in = None

    # ------------------------------------------------------------ after privacy
    def after_privacy(self) -> None:
        if self.handed_over is not None:
            self._begin(PatientLink(RECEPTION, self.handed_over))
        elif self.method == ANONYMOUS:
            self._begin(PatientLink(ANONYMOUS))
        elif self.method == SELF_CHECK_IN:
            self._privacy_ready(False)
            self._background.run(
                lambda: (self._clinic_list(), self._misses.allowance()),
                self._check_in_ready,
                self._no_list,
            )
        else:
            self.see_reception()

    # ------------------------------------------------------------ reception hand-over
    def hand_over(self) -> None:
        self.find_patient(self._handed)

    def find_patient(self, confirmed: Callable[[Appointment], None]) -> None:
        """Staff type the patient's number and check who it is; ``confirmed`` is handed the
        appointment (a hand-over, or a session staff complete with the patient)."""
        screen = HandOverScreen(
            lambda typed: self._find_patient(screen, typed, confirmed), self._leave
        )
        self._show(screen)

    def _find_patient(
        self, page: HandOverScreen, typed: str, confirmed: Callable[[Appointment], None]
    ) -> None:
        page.find_button.setEnabled(False)

        def found(appointment: Appointment) -> None:
            self._show(
                HandOverConfirmScreen(
                    appointment,
                    "en",
                    lambda: confirmed(appointment),
                    lambda: self.find_patient(confirmed),
                )
            )

        def refused(exc: Exception) -> None:
            page.find_button.setEnabled(True)
            if isinstance(exc, LinkError):
                page.show_problem(exc)
            else:
                self._failed(exc)

        self._background.run(lambda: find_by_number(self._clinic_list(), typed), found, refused)

    def _handed(self, appointment: Appointment) -> None:
        self._leave()
        self.handed_over = appointment
        self._checked_in(appointment)
        self._show_attract()
        self._timers.idle.start()  # a tablet handed over but never started resets itself

    # ------------------------------------------------------------ self check-in
    def _check_in_ready(self, ready: tuple[ClinicList | None, int]) -> None:
        """The list and how many misses the tablet still allows; none: reception."""
        self._privacy_ready(True)
        clinic_list, allowed = ready
        self.check_in = CheckIn(clinic_list, allowed)
        if self.check_in.exhausted:
            self.see_reception()
        else:
            self._show_check_in()

    def _no_list(self, exc: Exception) -> None:
        self._privacy_ready(True)
        log.error("self check-in unavailable: %s", type(exc).__name__)
        self.see_reception()

    def _show_check_in(self) -> CheckInScreen:
        screen = CheckInScreen(
            lambda born, letter: self._check(screen, born, letter), self.see_reception, self._today
        )
        self._show(screen)
        return screen

    def _check(self, screen: CheckInScreen, born: dt.date, letter: str) -> None:
        check_in = self.check_in
        assert check_in is not None
        appointment = check_in.attempt(born, letter)
        if appointment is not None:
            self._show(
                FoundScreen(
                    appointment,
                    lambda: self._begin(PatientLink(SELF_CHECK_IN, appointment)),
                    self._not_mine,
                )
            )
        else:
            self._missed(screen)

    def _not_mine(self) -> None:
        assert self.check_in is not None
        self.check_in.refuse()
        self._missed(None)

    def _missed(self, screen: CheckInScreen | None) -> None:
        """A miss: counted, then the check-in screen again, or reception after the last.
        ``screen`` is the check-in screen still showing, if it is."""
        check_in = self.check_in
        assert check_in is not None
        # Counted for the whole tablet, durably; the next session's count is read after
        # this write, since the background helper runs work in order.
        self._background.run(self._misses.record, lambda _: None, self._failed)
        if check_in.exhausted:
            self._background.run(
                lambda: self._store.log_event("check_in_failed", count=check_in.failures),
                lambda _: None,
                self._failed,
            )
            self.see_reception()
            return
        (screen or self._show_check_in()).not_found(check_in.tries_left)

    def see_reception(self) -> None:
        if self.check_in is not None:
            self.check_in.forget()
            self.check_in = None
        self._show(SeeReceptionScreen(self._leave))
        self._timers.thanks.start()
