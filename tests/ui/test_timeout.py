"""Inactivity on a shared tablet: a warning, then a reset that leaves nothing behind."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QPushButton

from kiosk.engine import FormLibrary
from kiosk.envelope.envelope import open_envelope
from kiosk.envelope.keys import ClinicKeyPair
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import QuestionScreen

pytestmark = pytest.mark.ui
FORMS = Path(__file__).resolve().parents[2] / "forms"
SECRET = "Canary words only this patient typed"


@pytest.fixture
def setup(qtbot, tmp_path: Path) -> Iterator[tuple[KioskWindow, TabletStore, ClinicKeyPair]]:
    clinic = ClinicKeyPair.generate()
    store = TabletStore.open(tmp_path / "tablet", clinic.public)
    background = Background()
    window = KioskWindow(
        store,
        FormLibrary.load(FORMS),
        "cardiology",
        {},
        background,
        StaffPin(store),
        idle_ms=300,
        reset_ms=400,
        thanks_ms=60_000,
    )
    qtbot.addWidget(window)
    window.show()
    yield window, store, clinic
    background.wait()
    store.close()


def click(qtbot, window: KioskWindow, name: str) -> None:
    qtbot.mouseClick(window.currentWidget().findChild(QPushButton, name), Qt.MouseButton.LeftButton)


def type_main_concern(qtbot, window: KioskWindow) -> None:
    click(qtbot, window, "start")
    click(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    click(qtbot, window, "next")  # the introduction
    qtbot.waitUntil(lambda: window.currentWidget().step.item_id == "main_concern")
    editor = window.currentWidget().findChild(QPlainTextEdit)
    qtbot.keyClicks(editor, SECRET)
    click(qtbot, window, "next")
    qtbot.waitUntil(lambda: window.currentWidget().step.item_id == "hope_to_achieve")


def visible_text(window: KioskWindow) -> str:
    texts = [w.text() for w in window.findChildren(QLabel)]
    texts += [w.text() for w in window.findChildren(QLineEdit)]
    texts += [w.toPlainText() for w in window.findChildren(QPlainTextEdit)]
    return "\n".join(texts)


@pytest.mark.control("H-05-C1")
def test_im_still_here_keeps_the_session(qtbot, setup) -> None:
    window, store, _clinic = setup
    type_main_concern(qtbot, window)
    question = window.currentWidget()
    qtbot.waitUntil(lambda: window.currentWidget() is window.timeout, timeout=3000)
    click(qtbot, window, "still_here")
    assert window.currentWidget() is question
    assert store.counts()["in_progress"] == 1


@pytest.mark.control("H-05-C1", "H-08-C6")
def test_no_response_resets_and_the_next_patient_sees_nothing(qtbot, setup) -> None:
    window, store, clinic = setup
    type_main_concern(qtbot, window)
    qtbot.waitUntil(lambda: window.currentWidget() is window.timeout, timeout=3000)
    qtbot.waitUntil(lambda: window.currentWidget() is window.attract, timeout=3000)
    window.background.wait()
    qtbot.wait(50)  # let deleteLater run
    assert SECRET not in visible_text(window)
    assert window.flow is None and window.page is None
    [item] = store.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert (opened.status, opened.end_reason) == ("incomplete", "timed_out")
    assert opened.answers() == {"what_matters": {"main_concern": SECRET}}
    # The next patient starts afresh: no earlier answer is shown, Back cannot reach one.
    click(qtbot, window, "start")
    click(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    click(qtbot, window, "back")
    assert SECRET not in visible_text(window)


@pytest.mark.control("H-05-C1")
def test_after_a_reset_no_screen_of_the_session_is_left_in_memory(qtbot, setup) -> None:
    import gc

    from PySide6.QtCore import QCoreApplication, QEvent

    from kiosk.ui.screens import ReviewScreen

    window, _store, _clinic = setup
    type_main_concern(qtbot, window)
    window.reset("timed_out")
    window.background.wait()
    for _ in range(3):
        qtbot.wait(10)
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
    alive = [o for o in gc.get_objects() if isinstance(o, QuestionScreen | ReviewScreen)]
    assert alive == []
    assert window.flow is None


@pytest.mark.control("H-05-C1")
def test_a_reset_while_an_answer_is_saved_leaves_the_attract_screen(qtbot, setup) -> None:
    import threading

    window, store, clinic = setup
    click(qtbot, window, "start")
    click(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    click(qtbot, window, "next")  # the introduction
    qtbot.waitUntil(lambda: window.currentWidget().step.item_id == "main_concern")
    qtbot.keyClicks(window.currentWidget().findChild(QPlainTextEdit), SECRET)
    # A slow disk: the save waits on the helper behind other work.
    disk = threading.Event()
    window.background.run(lambda: disk.wait(10), lambda _: None, lambda _: None)
    click(qtbot, window, "next")
    window.reset("timed_out")  # the reset comes before the save completes
    disk.set()
    window.background.wait()
    qtbot.wait(50)  # the save's and the reset's callbacks run
    assert window.currentWidget() is window.attract
    assert window.flow is None and window.page is None
    assert SECRET not in visible_text(window)
    [item] = store.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert (opened.status, opened.end_reason) == ("incomplete", "timed_out")
    assert opened.answers() == {"what_matters": {"main_concern": SECRET}}


@pytest.mark.control("H-05-C1")
def test_taps_keys_and_touches_put_the_warning_off_and_nothing_else_does(qtbot, window) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    restarts: list[str] = []
    timer_start = window.idle.start
    window.idle.start = lambda *args: (restarts.append("start"), timer_start(*args))
    click(qtbot, window, "start")
    click(qtbot, window, "agree")
    qtbot.waitUntil(lambda: isinstance(window.currentWidget(), QuestionScreen))
    assert window.idle.isActive()
    page = window.currentWidget()
    page.update()
    qtbot.wait(20)  # paints, shows and timers are no activity
    restarts.clear()
    QTest.mousePress(page, Qt.MouseButton.LeftButton)  # (seen again by the window)
    QTest.mouseRelease(page, Qt.MouseButton.LeftButton)
    assert restarts, "a tap"
    restarts.clear()
    QTest.keyPress(page, Qt.Key.Key_A)
    QTest.keyRelease(page, Qt.Key.Key_A)
    assert restarts, "a key"
    restarts.clear()
    device = QTest.createTouchDevice()
    QTest.touchEvent(page, device).press(0, QPoint(5, 5)).commit()
    assert restarts, "a touch"
    QTest.touchEvent(page, device).release(0, QPoint(5, 5)).commit()
    qtbot.wait(20)
    restarts.clear()
    page.update()
    qtbot.wait(20)
    assert restarts == []


@pytest.mark.control("H-05-C1")
def test_a_reset_while_the_session_starts_shows_no_question(qtbot, setup) -> None:
    import threading

    window, store, clinic = setup
    click(qtbot, window, "start")
    disk = threading.Event()  # a slow disk: the session starts behind other work
    window.background.run(lambda: disk.wait(10), lambda _: None, lambda _: None)
    click(qtbot, window, "agree")
    window.reset("timed_out")  # before the first question could be shown
    disk.set()
    window.background.wait()
    qtbot.wait(50)
    window.background.wait()  # the session's sealing, queued by the late start
    qtbot.wait(50)
    assert window.currentWidget() is window.attract
    assert window.flow is None and window.page is None
    [item] = store.pending()
    opened = open_envelope(item.envelope, clinic.private)
    assert (opened.status, opened.end_reason) == ("incomplete", "timed_out")
