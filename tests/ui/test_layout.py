"""Every screen, at every text size, in both themes, at the three tablet resolutions:
no text is clipped (each label and button is given at least the room its text needs)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen, ReviewScreen
from tests.ui.settling import settle

pytestmark = pytest.mark.ui
RESOLUTIONS = [(1280, 800), (800, 1280), (1920, 1080)]
LOOKS = [(False, "normal"), (False, "large"), (False, "extra_large"), (True, "extra_large")]


def clipped(screen: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given."""
    problems = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        name = f"{type(widget).__name__}#{widget.objectName() or '?'}"
        if isinstance(widget, QLabel) and widget.text():
            needed = (
                widget.heightForWidth(widget.width())
                if widget.wordWrap()
                else widget.sizeHint().height()
            )
            if needed > widget.height() + 1:
                problems.append(f"{name} needs {needed}px high, has {widget.height()}")
            if not widget.wordWrap() and widget.sizeHint().width() > widget.width() + 1:
                problems.append(f"{name} needs {widget.sizeHint().width()}px wide")
        if isinstance(widget, QAbstractButton) and widget.text():
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                problems.append(
                    f"{name} needs {hint.width()}x{hint.height()}, "
                    f"has {widget.width()}x{widget.height()}"
                )
    return problems


def shown(make_window, width: int, height: int, contrast: bool, size: str) -> KioskWindow:
    window = make_window()
    window.resize(width, height)
    window.show()
    window.set_text_size(size)
    window.set_high_contrast(contrast)
    return window


@pytest.mark.control("H-19-C1")
@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=lambda v: str(v))
@pytest.mark.parametrize(("contrast", "size"), LOOKS, ids=lambda v: str(v))
def test_no_screen_clips_its_text(
    qtbot, make_window, width: int, height: int, contrast: bool, size: str
) -> None:
    window = shown(make_window, width, height, contrast, size)
    problems: dict[str, list[str]] = {}

    def check(label: str) -> None:
        settle(qtbot, window)
        found = clipped(window.currentWidget())
        if found:
            problems[label] = found

    check("attract")
    window.show_privacy()
    check("privacy")
    window.begin()
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    kinds: set[str] = set()
    while isinstance(window.currentWidget(), QuestionScreen):
        screen = window.currentWidget()
        kind = window.flow.item(screen.step).type  # type: ignore[union-attr]
        if kind not in kinds:
            kinds.add(kind)
            check(f"question {screen.step.item_id} ({kind})")
        window.answer(screen.value())
        qtbot.waitUntil(lambda s=screen: window.currentWidget() is not s)
    assert isinstance(window.currentWidget(), ReviewScreen)
    check("review")
    window.warn()
    check("timeout warning")
    window.still_here()
    window.submit()
    settle(qtbot, window)
    check("thank you")
    window.reset(None)
    window.show_pin_pad()
    check("PIN pad")
    assert len(kinds) >= 6
    assert not problems, problems


def linking_screens():
    """The language, check-in and staff screens, each as a patient or staff member meets it."""
    import datetime as dt

    from kiosk.exchange.clinic_list import Appointment
    from kiosk.ui.assisted import AssistedNameScreen
    from kiosk.ui.language_screen import LanguageScreen
    from kiosk.ui.linking_screens import (
        CheckInScreen,
        FoundScreen,
        HandOverConfirmScreen,
        HandOverScreen,
        SeeReceptionScreen,
        StaffMenu,
    )

    def nothing(*_args: object) -> None:
        return None

    appointment = Appointment(
        "A-1", "09:30", "Cardiology outpatients", "Featherstonehaugh-Smythe",
        "Bartholomew", dt.date(1950, 3, 3), "9434765919", "RX1-000123",
    )  # fmt: skip

    def letters() -> QWidget:
        screen = CheckInScreen(nothing, nothing)
        screen.pages.setCurrentWidget(screen.letter_page)
        return screen

    def missed() -> QWidget:
        screen = CheckInScreen(nothing, nothing)
        screen.not_found(2)
        return screen

    return {
        "language": lambda: LanguageScreen(["en", "cy", "pl", "ur", "bn", "ar"], nothing),
        "check-in date": lambda: CheckInScreen(nothing, nothing),
        "check-in missed": missed,
        "check-in letter": letters,
        "found": lambda: FoundScreen(appointment, nothing, nothing),
        "see reception": lambda: SeeReceptionScreen(nothing),
        "staff menu": lambda: StaffMenu(nothing, nothing, nothing, on_assisted=nothing),
        "assisted name": lambda: AssistedNameScreen(nothing, nothing),
        "hand over": lambda: HandOverScreen(nothing, nothing),
        "hand over confirm": lambda: HandOverConfirmScreen(appointment, "en", nothing, nothing),
    }


@pytest.mark.control("H-19-C1")
@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=lambda v: str(v))
@pytest.mark.parametrize(("contrast", "size"), LOOKS, ids=lambda v: str(v))
def test_no_language_check_in_or_staff_screen_clips_its_text(
    qtbot, make_window, width: int, height: int, contrast: bool, size: str
) -> None:
    window = shown(make_window, width, height, contrast, size)
    problems: dict[str, list[str]] = {}
    for label, build in linking_screens().items():
        window._replace_page(build())
        settle(qtbot, window)
        found = clipped(window.currentWidget())
        if found:
            problems[label] = found
    window.reset(None)
    window.attract.set_waiting(True)  # reception mode, before a hand-over
    settle(qtbot, window)
    if clipped(window.attract):
        problems["attract, waiting"] = clipped(window.attract)
    assert not problems, problems


@pytest.mark.parametrize(("width", "height"), RESOLUTIONS, ids=lambda v: str(v))
def test_the_assisted_strip_fits_and_no_question_under_it_clips(
    qtbot, make_window, width: int, height: int
) -> None:
    """A long staff name, then the largest text chosen: the strip fits across the window
    and the screens below it, moved down to make room, clip nothing."""
    window = shown(make_window, width, height, False, "normal")
    strip = window.assisted.marker
    strip.show_for("Bartholomew Featherstonehaugh-Smythe-Okafor Wolstenholme")
    window.set_text_size("extra_large")
    window.set_high_contrast(True)
    problems: dict[str, list[str]] = {}
    window.begin()
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    settle(qtbot, window)
    assert strip.isVisible() and strip.geometry().right() < window.width()
    assert strip.heightForWidth(strip.width()) <= strip.height() + 1
    while isinstance(window.currentWidget(), QuestionScreen):
        screen = window.currentWidget()
        assert screen.geometry().top() > strip.geometry().bottom()
        settle(qtbot, window)
        found = clipped(screen)
        if found:
            problems[screen.step.item_id] = found
        window.answer(screen.value())
        qtbot.waitUntil(lambda s=screen: window.currentWidget() is not s)
    assert not problems, problems
