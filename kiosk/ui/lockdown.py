"""Kiosk lock-down: a patient cannot leave the kiosk, and nothing copied outlives them.

In kiosk mode the window is full screen and frameless, keys that would close it,
switch away from it or un-fullscreen it are swallowed, and only the staff PIN
lets it close. Qt sees only what the window system passes on: a desktop that
grabs Alt+Tab itself must be locked down there too (docs/kiosk.md).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QClipboard, QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

_ALT, _CTRL = Qt.KeyboardModifier.AltModifier, Qt.KeyboardModifier.ControlModifier
# Keys that would close, switch away from or un-fullscreen the kiosk.
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
_KEY_EVENTS = frozenset(
    {QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride}
)


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


def enter_kiosk_mode(window: QWidget) -> None:
    """Full screen, frameless, above other windows, with no window controls."""
    window.setWindowFlags(
        Qt.WindowType.Window
        | Qt.WindowType.FramelessWindowHint
        | Qt.WindowType.WindowStaysOnTopHint
    )
    window.showFullScreen()


class KioskLock(QObject):
    """Whether the kiosk may close; while it may not, escape keys are swallowed.

    Install it as an event filter on the application, after any filter that
    should not see the swallowed keys (Qt asks the last installed first)."""

    def __init__(self, kiosk_mode: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.may_close = not kiosk_mode

    def unlock(self) -> None:
        """The staff PIN was right: the window may close now."""
        self.may_close = True

    def judge_close(self, event: QCloseEvent) -> None:
        """In kiosk mode only the staff PIN closes the window (Alt+F4 and the like do not)."""
        if self.may_close:
            event.accept()
        else:
            event.ignore()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Every event of every widget passes here: the class test (cheap) before
        # event.type() (which makes a Python enum). Every key event is a QKeyEvent.
        if (
            not self.may_close
            and isinstance(event, QKeyEvent)
            and event.type() in _KEY_EVENTS
            and is_escape_key(event)
        ):
            # Accepting the override claims the key as plain typing, so no shortcut
            # fires; the key press that follows is then dropped here too.
            event.accept()
            return True  # swallowed: in kiosk mode only the staff PIN leaves
        return False
