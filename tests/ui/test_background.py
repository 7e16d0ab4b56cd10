"""The kiosk's one way to run slow work: off the UI thread, in order, answered on it."""

from __future__ import annotations

import threading

import pytest

from kiosk.ui.background import Background

pytestmark = pytest.mark.ui


def test_work_runs_off_the_ui_thread_in_order_and_is_answered_on_it(qtbot) -> None:
    background = Background()
    ran: list[tuple[int, bool]] = []
    answered: list[tuple[int, bool]] = []
    ui = threading.current_thread()
    gate = threading.Event()
    # The first piece is held, so the others queue behind it.
    background.run(lambda: gate.wait(10) and 0, lambda _: None, pytest.fail)
    for number in range(1, 6):
        background.run(
            lambda number=number: ran.append((number, threading.current_thread() is ui)) or number,
            lambda result: answered.append((result, threading.current_thread() is ui)),
            pytest.fail,
        )
    assert background.busy
    assert ran == []
    gate.set()
    assert background.wait(10_000)
    assert ran == [(number, False) for number in range(1, 6)]
    qtbot.waitUntil(lambda: len(answered) == 5)
    assert answered == [(number, True) for number in range(1, 6)]
    assert not background.busy


def test_a_failure_goes_to_its_own_callback_and_the_work_after_it_still_runs(qtbot) -> None:
    background = Background()
    failures: list[Exception] = []
    results: list[str] = []
    busy: list[bool] = []
    background.busy_changed.connect(busy.append)

    def broken() -> None:
        raise OSError("disk gone")

    background.run(broken, lambda _: pytest.fail("no result expected"), failures.append)
    background.run(lambda: "saved", results.append, pytest.fail)
    qtbot.waitUntil(lambda: results == ["saved"])
    assert [str(exc) for exc in failures] == ["disk gone"]
    assert busy == [True, False]


def test_wait_says_when_work_is_still_running(qtbot) -> None:
    background = Background()
    gate = threading.Event()
    background.run(lambda: gate.wait(10), lambda _: None, pytest.fail)
    assert not background.wait(50)
    gate.set()
    assert background.wait(10_000)
    qtbot.waitUntil(lambda: not background.busy)
