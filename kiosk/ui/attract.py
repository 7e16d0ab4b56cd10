"""The attract screen: "Tap to start" between patients, and the way in for staff.

It is the kiosk's first screen, shown before the forms and the store have loaded
(kiosk.ui.app), so it is made of Qt alone. A tap before they have loaded greys the
button out until the kiosk is ready, then goes on by itself."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from kiosk.ui.touch import TOUCH, big_button, wrapped


class AttractScreen(QWidget):
    def __init__(self, on_start: Callable[[], None], on_staff: Callable[[], None]) -> None:
        super().__init__()
        self._holding = True  # until release_taps(): a tap greys the buttons out and waits
        self._held: Callable[[], None] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(self.tr("Before your appointment"), "title"))
        self.start = big_button(self.tr("Tap to start"), "start")
        self.start.setMinimumHeight(TOUCH * 3)
        self.start.clicked.connect(lambda: self._tapped(on_start))
        layout.addWidget(self.start)
        self.waiting = wrapped(
            self.tr("Please ask at reception for this tablet. They will get it ready for you."),
            "next_steps",
        )
        layout.addWidget(self.waiting)
        self.waiting.hide()
        self.staff = big_button(self.tr("Staff"), "staff")
        self.staff.setAccessibleName(self.tr("Staff only"))
        self.staff.clicked.connect(lambda: self._tapped(on_staff))
        layout.addWidget(self.staff, alignment=Qt.AlignmentFlag.AlignRight)

    def set_waiting(self, waiting: bool, *, enrolled: bool = True) -> None:
        """Reception links each patient: until then there is nothing to start.

        A tablet the clinic has revoked starts nothing at all."""
        self.start.setVisible(not waiting and enrolled)
        self.waiting.setVisible(waiting or not enrolled)
        self.waiting.setText(
            self.tr("Please ask at reception for this tablet. They will get it ready for you.")
            if enrolled
            else self.tr("This tablet is not enrolled. Please see reception.")
        )

    def release_taps(self) -> None:
        """The kiosk is ready: the buttons work again, and a tap that waited goes on."""
        self._holding = False
        self.start.setEnabled(True)
        self.staff.setEnabled(True)
        held, self._held = self._held, None
        if held is not None:
            held()

    def _tapped(self, action: Callable[[], None]) -> None:
        if not self._holding:
            action()
            return
        self._held = action
        self.start.setEnabled(False)
        self.staff.setEnabled(False)
