"""Kiosk mode and the staff's way through it, for the patient kiosk window.

While the kiosk is locked down (:mod:`kiosk.ui.lockdown`) a patient cannot close
it or switch away; the corner button brings the staff PIN pad, and the right PIN
the staff menu: hand over to reception, complete a pathway with a patient, or
leave kiosk mode. :class:`StaffDoor` is the part of
:class:`~kiosk.ui.kiosk_window.KioskWindow` that does this.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QStackedWidget, QWidget

from kiosk.ui.lockdown import KioskLock, enter_kiosk_mode
from kiosk.vocabulary import ANONYMOUS

if TYPE_CHECKING:
    from kiosk.ui.assisted import AssistedCompletion
    from kiosk.ui.linking_flow import LinkingFlow
    from kiosk.ui.pin_pad import PinPad


class StaffDoor(QStackedWidget):
    """The kiosk window's lock, PIN pad and staff menu; the window supplies the rest."""

    staff_unlocked = Signal()
    """The right staff PIN was entered: the owner may leave kiosk mode."""

    lock: KioskLock
    link: str
    idle: QTimer
    pin_pad: PinPad
    linking: LinkingFlow
    assisted: AssistedCompletion
    _replace_page: Callable[[QWidget], None]  # the page slot shows a screen
    reset: Callable[[str | None], None]  # back to the attract screen

    @property
    def _may_close(self) -> bool:
        return self.lock.may_close

    @_may_close.setter
    def _may_close(self, may: bool) -> None:  # a test harness lets the window close
        self.lock.may_close = may

    def enter_kiosk_mode(self) -> None:
        enter_kiosk_mode(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.lock.judge_close(event)

    def show_pin_pad(self) -> None:
        self.pin_pad.clear()
        self.setCurrentWidget(self.pin_pad)

    def _staff_menu(self) -> None:
        from kiosk.ui.linking_screens import StaffMenu

        hand_over = None if self.link == ANONYMOUS else self.linking.hand_over
        # Completing with a patient links them as reception does: not on anonymous tablets.
        assisted = None if self.link == ANONYMOUS else self.assisted.ask_name
        self._replace_page(
            StaffMenu(hand_over, self._unlocked, lambda: self.reset(None), on_assisted=assisted)
        )
        self.idle.start()  # an unlocked tablet left alone locks again

    def _unlocked(self) -> None:
        self.lock.unlock()
        self.reset(None)
        self.staff_unlocked.emit()
