"""The staff PIN pad: the only way out of kiosk mode.

The PIN is checked by :class:`kiosk.store.StaffPin` (argon2id, growing lock-out)
through the background helper, so the screen never freezes while it hashes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.store import PinLockedError, StaffPin
from kiosk.ui.background import Background
from kiosk.ui.screens import big_button, wrapped


class PinPad(QWidget):
    def __init__(
        self,
        pin: StaffPin,
        background: Background,
        on_unlocked: Callable[[], None],
        on_cancel: Callable[[], None],
    ) -> None:
        super().__init__()
        self._pin, self._background = pin, background
        self._on_unlocked = on_unlocked
        self._digits = ""
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(self.tr("Staff only: enter the PIN"), "title"))
        self.shown = QLabel("")
        self.shown.setObjectName("pin_dots")
        self.shown.setAccessibleName(self.tr("Digits entered"))
        layout.addWidget(self.shown)
        self.message = wrapped("", "message")
        layout.addWidget(self.message)
        grid = QGridLayout()
        for index, digit in enumerate("123456789"):
            button = big_button(digit, f"digit_{digit}")
            button.clicked.connect(lambda _=False, d=digit: self._press(d))
            grid.addWidget(button, index // 3, index % 3)
        clear = big_button(self.tr("Clear"), "clear")
        clear.clicked.connect(self.clear)
        zero = big_button("0", "digit_0")
        zero.clicked.connect(lambda: self._press("0"))
        self.ok = big_button(self.tr("OK"), "ok")
        self.ok.clicked.connect(self._check)
        grid.addWidget(clear, 3, 0)
        grid.addWidget(zero, 3, 1)
        grid.addWidget(self.ok, 3, 2)
        layout.addLayout(grid)
        cancel = big_button(self.tr("Cancel"), "cancel")
        self._on_cancel = on_cancel
        cancel.clicked.connect(self._cancel)
        layout.addWidget(cancel)

    def _cancel(self) -> None:
        self.clear()
        self._on_cancel()

    def clear(self) -> None:
        self._digits = ""
        self.shown.setText("")
        self.message.setText("")

    def _press(self, digit: str) -> None:
        if len(self._digits) < 12:
            self._digits += digit
            self.shown.setText("●" * len(self._digits))

    def _check(self) -> None:
        attempt, self._digits = self._digits, ""
        self.shown.setText("")
        self.ok.setEnabled(False)

        def done(right: bool) -> None:
            self.ok.setEnabled(True)
            if right:
                self.message.setText("")
                self._on_unlocked()
            elif not self._pin.is_set():
                self.message.setText(self.tr("No staff PIN is set on this tablet yet."))
            else:
                self.message.setText(self.tr("That PIN is not right."))

        def failed(exc: Exception) -> None:
            self.ok.setEnabled(True)
            if isinstance(exc, PinLockedError):
                self.message.setText(
                    self.tr("Too many wrong PINs. Try again in %1 seconds.").replace(
                        "%1", str(int(exc.seconds + 0.999))
                    )
                )
            else:
                self.message.setText(self.tr("The PIN could not be checked."))

        self._background.run(lambda: self._pin.verify(attempt), done, failed)
