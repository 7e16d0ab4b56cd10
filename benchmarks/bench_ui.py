"""Patient kiosk window benchmarks (Qt offscreen).

cold_start_s                wall time from just before the process is started to the first
                            paint of the attract screen, for ``kiosk run --demo DIR --windowed``
                            (the real command, through ``kiosk.cli.main``; a small wrapper
                            reports the first attract-screen paint and quits there).
                            Median of 5 runs after one warm-up run; baseline: a bare PySide6
                            application showing one QLabel, measured the same way, interleaved.
next_question_p95_ms        in-process: tap an answer (when there are buttons), let the event loop
                            run until it is idle (the patient reads: what the kiosk does while
                            they read is not timed), then tap Next, and time from that click to
                            the end of the frame that first paints the next screen, including
                            the durable save on the background helper (95th percentile of n = 60
                            clicks, the review screen included whenever Next leads there). Work
                            the kiosk leaves for after that frame is not timed (_PaintSeen).
                            Baseline: a bare QStackedWidget replacing a page of one label and one
                            button on a click, timed the same way in the same process, one click
                            straight after each of the kiosk's (the same load for both).
rss_growth_mb_200_sessions  VmRSS after 200 sessions (n) through the window (start, a few
                            answers, then submit or a timed-out reset) minus VmRSS after the first.
"""

from __future__ import annotations

import gc
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from benchmarks.qt_child import measure_in_child

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
FORMS = ROOT / "forms"
COLD_RUNS = 5
QUESTIONS = 60
SESSIONS = 200
SUBMIT_EVERY = 10  # every tenth session is walked to review and submitted
TIMEOUT_S = 30.0

# The real `kiosk run` command; the wrapper only prints a monotonic timestamp on the first
# paint of the attract screen and quits there (a --quit-after 0 timer can race the first
# paint, so the quit follows the paint instead; --quit-after stays only as a safety net).
_KIOSK_CHILD = """
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
import kiosk.ui.kiosk_window as kw
class _Seen(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and obj is self.attract:
            self.done = True
            print(f"SHOWN {time.monotonic():.6f}", flush=True)
            QApplication.instance().quit()
        return False
_init = kw.KioskWindow.__init__
def _hooked(self, *args, **kwargs):
    _init(self, *args, **kwargs)
    self._bench_seen = _Seen()
    self._bench_seen.attract = self.attract
    QApplication.instance().installEventFilter(self._bench_seen)
kw.KioskWindow.__init__ = _hooked
from kiosk.cli.main import main
sys.exit(main(["run", "--demo", sys.argv[1], "--windowed", "--quit-after", "20000"]))
"""

_BASELINE_CHILD = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
class _Seen(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Type.Paint and obj is self.label:
            self.done = True
            print(f"SHOWN {time.monotonic():.6f}", flush=True)
            app.quit()
        return False
app = QApplication(sys.argv[:1])
label = QLabel("Before your appointment")
seen = _Seen()
seen.label = label
app.installEventFilter(seen)
label.resize(1280, 800)
label.show()
QTimer.singleShot(20000, app.quit)  # a safety net only
app.exec()
"""


def _shown_after(script: str, *args: str, env: dict[str, str]) -> float:
    start = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    for line in result.stdout.splitlines():
        if line.startswith("SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"child never showed its window (rc {result.returncode}): {result.stderr}")


def cold_start_s() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=f"{folder}/site")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        demo = f"{folder}/demo"
        # Warm-up (not timed): makes the demo clinic key once, warms the file cache.
        _shown_after(_KIOSK_CHILD, demo, env=env)
        _shown_after(_BASELINE_CHILD, env=env)
        kiosk, bare = [], []
        for _ in range(COLD_RUNS):
            kiosk.append(_shown_after(_KIOSK_CHILD, demo, env=env))
            bare.append(_shown_after(_BASELINE_CHILD, env=env))
    value, baseline = statistics.median(kiosk), statistics.median(bare)
    return {
        "value": value,
        "unit": "s",
        "n": COLD_RUNS,
        "baseline": baseline,
        "ratio": value / baseline,
    }


# ---------------------------------------------------------------- in-process window


@contextmanager
def _kiosk_window() -> Iterator[Any]:
    from PySide6.QtWidgets import QApplication

    from kiosk.engine import FormLibrary
    from kiosk.envelope.keys import ClinicKeyPair
    from kiosk.store import StaffPin, TabletStore
    from kiosk.ui.background import Background
    from kiosk.ui.kiosk_window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        store = TabletStore.open(Path(folder) / "tablet", ClinicKeyPair.generate().public)
        background = Background()
        window = KioskWindow(
            store, FormLibrary.load(FORMS), "cardiology", {}, background, StaffPin(store)
        )
        window.resize(1280, 800)
        window.show()
        _settle(app)
        try:
            yield app, window
        finally:
            window.reset("abandoned")
            background.wait()
            _settle(app)
            window.close()
            window.deleteLater()
            _settle(app)
            store.close()


def _settle(app: Any) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent

    app.processEvents()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def _wait_until(app: Any, condition: Callable[[], bool]) -> None:
    deadline = time.perf_counter() + TIMEOUT_S
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("the kiosk window did not move on in time")
        app.processEvents()


def _tap(window: Any, name: str) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QPushButton

    button = window.currentWidget().findChild(QPushButton, name)
    if button is None:
        raise RuntimeError(f"no button {name} on {type(window.currentWidget()).__name__}")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def _first_option(screen: Any) -> str | None:
    from PySide6.QtWidgets import QPushButton

    for button in screen.findChildren(QPushButton):
        name = button.objectName()
        if name.startswith(("option_", "point_")) and button.isVisible():
            return name
    return None


class _PaintSeen:
    """Remembers which widgets have been painted, and when the paint they were in was over
    (an application event filter, and a zero timer started by the first paint of a
    frame: it fires once that frame is drawn and handed to the screen).

    The time is taken there, not when the event loop call that painted returns: that call
    goes on with whatever the paint set off for later (the kiosk prepares the next
    question, deletes the one left), which the patient does not wait for."""

    def __init__(self, app: Any) -> None:
        from PySide6.QtCore import QEvent, QObject, QTimer

        painted: dict[int, float] = {}
        in_frame: list[int] = []

        def frame_over() -> None:
            now = time.perf_counter()
            for widget in in_frame:
                painted.setdefault(widget, now)
            in_frame.clear()

        over = QTimer()
        over.setSingleShot(True)
        over.setInterval(0)
        over.timeout.connect(frame_over)

        class Filter(QObject):
            def eventFilter(self, obj: Any, event: Any) -> bool:
                if event.type() == QEvent.Type.Paint:
                    in_frame.append(id(obj))
                    if not over.isActive():
                        over.start()
                return False

        self.painted = painted
        self.over = over
        self.filter = Filter()
        app.installEventFilter(self.filter)
        self.app = app

    def clear(self) -> None:
        self.painted.clear()

    def remove(self) -> None:
        self.app.removeEventFilter(self.filter)
        self.over.stop()


def _start(app: Any, window: Any) -> None:
    from kiosk.ui.screens import QuestionScreen

    _tap(window, "start")
    _tap(window, "agree")
    _wait_until(app, lambda: isinstance(window.currentWidget(), QuestionScreen))


def _answer_and_next(app: Any, window: Any, paints: _PaintSeen | None = None) -> float:
    """Tap an answer if there is a button for one, read, then Next; ms until the next screen
    shows."""
    screen = window.currentWidget()
    option = _first_option(screen)
    if option is not None:
        _tap(window, option)
    _read(app)
    start = time.perf_counter()
    _tap(window, "next")
    if paints is None:
        _wait_until(app, lambda: window.currentWidget() is not screen)
        return (time.perf_counter() - start) * 1000
    paints.clear()
    _wait_until(
        app,
        lambda: (
            window.currentWidget() is not screen and id(window.currentWidget()) in paints.painted
        ),
    )
    return (paints.painted[id(window.currentWidget())] - start) * 1000


def _read(app: Any) -> None:
    """The patient reads the screen: the event loop runs until nothing is left to do."""
    from PySide6.QtCore import QCoreApplication, QEventLoop

    for _ in range(3):  # work scheduled by the last turn (a zero timer) runs on the next
        _settle(app)
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def _submit_and_finish(app: Any, window: Any) -> None:
    from kiosk.ui.screens import ThanksScreen

    _tap(window, "submit")
    _wait_until(app, lambda: isinstance(window.currentWidget(), ThanksScreen))
    _tap(window, "finish")
    _wait_until(app, lambda: window.currentWidget() is window.attract)


def next_question_p95_ms() -> dict[str, Any]:
    from kiosk.ui.screens import QuestionScreen, ReviewScreen

    times: list[float] = []
    baseline: list[float] = []
    with _kiosk_window() as (app, window):
        paints = _PaintSeen(app)
        bare = _BareSwitch(app, paints)
        _start(app, window)
        while len(times) < QUESTIONS:
            current = window.currentWidget()
            if isinstance(current, ReviewScreen):
                _submit_and_finish(app, window)
                _settle(app)
                _start(app, window)
                continue
            if not isinstance(current, QuestionScreen):
                raise RuntimeError(f"unexpected screen {type(current).__name__}")
            times.append(_answer_and_next(app, window, paints))
            # The floor's click straight after, so both see the same load on a shared machine.
            baseline.append(bare.click())
        bare.close()
        paints.remove()
    value = statistics.quantiles(times, n=20)[-1]
    floor = statistics.quantiles(baseline, n=20)[-1]
    return {
        "value": value,
        "unit": "ms",
        "n": len(times),
        "baseline": floor,
        "ratio": value / floor,
    }


class _BareSwitch:
    """The floor: a bare QStackedWidget replacing a page (a label and a button) on a click."""

    def __init__(self, app: Any, paints: _PaintSeen) -> None:
        from PySide6.QtWidgets import QStackedWidget

        self.app, self.paints = app, paints
        self.stack = QStackedWidget()
        self.stack.resize(1280, 800)
        self._new_page()
        self.stack.show()
        _settle(app)

    def _new_page(self) -> None:
        from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

        stack = self.stack
        old = stack.currentWidget()
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Question"))
        button = QPushButton("Next")
        button.setObjectName("next")
        button.clicked.connect(self._new_page)
        layout.addWidget(button)
        stack.addWidget(page)
        stack.setCurrentWidget(page)
        if old is not None:
            stack.removeWidget(old)
            old.deleteLater()

    def click(self) -> float:
        """Read, click Next: ms until the new page is current and painted."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QPushButton

        stack, page = self.stack, self.stack.currentWidget()
        _read(self.app)
        self.paints.clear()
        start = time.perf_counter()
        QTest.mouseClick(page.findChild(QPushButton, "next"), Qt.MouseButton.LeftButton)
        _wait_until(
            self.app,
            lambda: (
                stack.currentWidget() is not page
                and id(stack.currentWidget()) in self.paints.painted
            ),
        )
        return (self.paints.painted[id(stack.currentWidget())] - start) * 1000

    def close(self) -> None:
        self.stack.close()
        self.stack.deleteLater()
        _settle(self.app)


def _rss_mb() -> float:
    with Path("/proc/self/status").open(encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


def rss_growth_mb_200_sessions() -> dict[str, Any]:
    from kiosk.ui.screens import ReviewScreen

    with _kiosk_window() as (app, window):

        def session(number: int) -> None:
            _start(app, window)
            if number % SUBMIT_EVERY == 0:
                while not isinstance(window.currentWidget(), ReviewScreen):
                    _answer_and_next(app, window)
                _submit_and_finish(app, window)
            else:
                for _ in range(3):
                    _answer_and_next(app, window)
                window.reset("timed_out")
            window.background.wait()
            _settle(app)

        session(0)
        gc.collect()
        after_one = _rss_mb()
        for number in range(1, SESSIONS):
            session(number)
        gc.collect()
        after_all = _rss_mb()
    return {"value": after_all - after_one, "unit": "MB", "n": SESSIONS}


IN_PROCESS = {
    "next_question_p95_ms": next_question_p95_ms,
    "rss_growth_mb_200_sessions": rss_growth_mb_200_sessions,
}


def _in_child(name: str) -> Callable[[], dict[str, Any]]:
    """An in-process window metric, measured in a process of its own (qt_child.py)."""

    def measure() -> dict[str, Any]:
        return measure_in_child("bench_ui", f"IN_PROCESS[{name!r}]()", name, timeout=300)

    return measure


METRICS = {
    "cold_start_s": cold_start_s,
    "next_question_p95_ms": _in_child("next_question_p95_ms"),
    "rss_growth_mb_200_sessions": _in_child("rss_growth_mb_200_sessions"),
}


def run(only: set[str] | None = None) -> dict[str, dict[str, Any]]:
    return {name: fn() for name, fn in METRICS.items() if only is None or name in only}
