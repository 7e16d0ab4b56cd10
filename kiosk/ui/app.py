"""The Qt event loop for the command line: the enrolment screen, the patient kiosk and
the staff console, each run until it is closed (or, in a smoke test, until
``quit_after`` milliseconds have passed).

Each function is handed what it shows, already opened; it closes what it made (its
window and background helper) and leaves the rest to the caller. ``kiosk run`` and
``kiosk staff`` only check their arguments, open the store or the client, call one of
these and print.

The kiosk's first frame waits for nothing but Qt: the attract screen is painted, then
the forms and the store load off the UI thread (``load``), and then sync starts. A tap
that comes first waits, greyed out, and goes on once they have loaded.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.background import Background

if TYPE_CHECKING:
    from kiosk.console.client import StaffClient
    from kiosk.engine import FormLibrary
    from kiosk.exchange.clinic_list import ClinicList
    from kiosk.site.settings import TabletSettings
    from kiosk.store import TabletStore
    from kiosk.sync.worker import SyncWorker

WINDOWED_SIZE = (1280, 800)  # the kiosk's screen, for a window on a desktop
CONSOLE_SIZE = (1366, 768)
LOAD_ANYWAY_MS = 2000  # load even if the window has not been painted by then


@dataclass(frozen=True)
class KioskParts:
    """What the kiosk needs beyond its first screen, loaded after it is painted."""

    store: TabletStore
    library: FormLibrary
    clinic_list: Callable[[], ClinicList | None]


class _Loading:
    """The parts' loading: begun once, after the first frame; its outcome kept as it ends
    (on the helper's thread), so it is known even if the event loop has already stopped."""

    def __init__(self, load: Callable[[], KioskParts | None]) -> None:
        self.load = load
        self.begun = False
        self.parts: KioskParts | None = None
        self.error: BaseException | None = None

    def __call__(self) -> KioskParts | None:
        self.begun = True
        try:
            self.parts = self.load()
        except BaseException as exc:
            self.error = exc
            raise
        return self.parts


class _FirstPaint(QObject):
    """Calls ``then`` once, on the event loop's next turn after ``widget`` is first painted."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self.then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        QTimer.singleShot(LOAD_ANYWAY_MS, self._go)  # a window never painted still loads

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._go)
        return False

    def _go(self) -> None:
        then, self.then = self.then, None
        if then is not None:
            then()


def no_screen() -> bool:
    """Whether there is no screen to show a window on (Linux with no display named)."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _application() -> QCoreApplication:
    return QApplication.instance() or QApplication(sys.argv[:1])


def _show(
    app: QCoreApplication,
    window: QWidget,
    full_screen: Callable[[], None],
    *,
    windowed: bool,
    quit_after: int | None,
) -> None:
    """Show a patient-facing window at the kiosk's size on a desktop, else full screen;
    in a smoke test, leave the event loop after ``quit_after`` milliseconds."""
    if windowed:
        window.resize(*WINDOWED_SIZE)
        window.show()
    else:
        full_screen()
    if quit_after is not None:
        QTimer.singleShot(quit_after, lambda: app.exit(0))  # exit() ignores kiosk mode


def run_enrolment(data_dir: Path, *, windowed: bool, quit_after: int | None) -> bool:
    """Show the enrolment screen until the tablet is enrolled; False if it was closed first.

    Runs before the tablet store is opened, since enrolment opens it itself."""
    from kiosk.ui.enrol_screen import EnrolScreen
    from kiosk.ui.theme import apply_theme

    app = _application()
    background = Background()
    screen = EnrolScreen(data_dir, background)
    apply_theme(screen)
    screen.start_kiosk.connect(app.quit)
    _show(app, screen, screen.showFullScreen, windowed=windowed, quit_after=quit_after)
    try:
        app.exec()
    finally:
        background.wait()
        screen.close()
        screen.deleteLater()
    return screen.result is not None


def run_kiosk(
    pathway: str,
    licences: Mapping[str, str],
    settings: TabletSettings,
    load: Callable[[], KioskParts | None],
    *,
    windowed: bool,
    quit_after: int | None,
    start_sync: Callable[[Callable[[], None]], SyncWorker | None],
) -> KioskParts | None:
    """The patient kiosk until staff unlock it; returns what ``load`` opened, for the
    caller to close (also when the kiosk stopped first: it waits for ``load`` to end).

    ``load`` runs off the UI thread once the attract screen has been painted; an error
    it raises stops the kiosk and is raised here, and if it returns None (the kiosk
    cannot start here: the tablet is not enrolled) the kiosk stops and returns None.
    ``start_sync`` is called after it, off the UI thread too, with what to do when the
    clinic says the tablet is no longer enrolled; it returns the running sync worker (or
    None), which is woken after each session, handed the patients' progress (checked in,
    started) to tell the clinic, and stopped when the kiosk closes."""
    from kiosk.ui.kiosk_window import KioskWindow

    app = _application()
    background, starting = Background(), Background()
    loading = _Loading(load)
    window = KioskWindow(
        None,
        None,
        pathway,
        licences,
        background,
        None,
        kiosk_mode=not windowed,
        idle_ms=settings.idle_seconds * 1000,
        reset_ms=settings.warning_seconds * 1000,
        link=settings.link,
        clinic_list=lambda: loading.parts.clinic_list() if loading.parts else None,
        draft_translations=settings.draft_translations,
    )
    window.staff_unlocked.connect(app.quit)
    sync: list[SyncWorker] = []
    errors: list[Exception] = []

    def loaded(parts: KioskParts | None) -> None:
        if parts is None:
            app.exit(0)
            return
        from kiosk.journey.linking import MissLimit
        from kiosk.store import StaffPin

        limit = MissLimit(settings.misses_per_hour, settings.misses_per_day)
        window.ready(parts.store, parts.library, StaffPin(parts.store), limit)
        starting.run(lambda: start_sync(window.enrolment_lost.emit), syncing, failed)

    def syncing(worker: SyncWorker | None) -> None:
        if worker is not None:
            sync.append(worker)
            window.session_ended.connect(worker.wake)
            window.progress.connect(worker.report_progress)

    def failed(exc: Exception) -> None:
        errors.append(exc)
        app.exit(2)  # exit() ignores kiosk mode; the error is raised below

    _FirstPaint(window.attract, lambda: background.run(loading, loaded, failed))
    _show(app, window, window.enter_kiosk_mode, windowed=windowed, quit_after=quit_after)
    try:
        app.exec()
    finally:
        starting.wait()
        background.wait()
        if window.is_ready:
            window.reset("abandoned")
            background.wait()
        else:  # gone with its event filters (kiosk mode's too) before any enrolment screen
            window.hide()
            window.deleteLater()
        for worker in sync:
            worker.stop()
            worker.join(timeout=40)  # longer than a request's own time-out
    if not loading.begun:  # stopped before the first frame: the store is still checked
        loading()
    if loading.error is not None:
        raise loading.error
    if errors:
        raise errors[0]
    return loading.parts


def run_staff_console(
    client: StaffClient,
    *,
    lock_after_s: float,
    username: str | None = None,
    quit_after: int | None = None,
) -> None:
    """The staff console until it is closed; the client stays open for the caller.

    ``username``, when given, is filled in on the sign-in page (the demo's clinician)."""
    from kiosk.ui.staff.console_window import StaffConsoleWindow

    app = _application()
    background = Background()
    window = StaffConsoleWindow(client, background, lock_after_s=lock_after_s)
    if username is not None:
        window.sign_in_page.username.setText(username)
        window.sign_in_page.ask()
    window.resize(*CONSOLE_SIZE)
    window.show()
    if quit_after is not None:
        QTimer.singleShot(quit_after, app.quit)
    try:
        app.exec()
    finally:
        window.close()
        background.wait()
