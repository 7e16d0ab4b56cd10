"""The Qt event loop for the command line: the enrolment screen, the patient kiosk and
the staff console, each run until it is closed (or, in a smoke test, until
``quit_after`` milliseconds have passed).

Each function is handed what it shows, already opened; it closes what it made (its
window and background helper) and leaves the rest to the caller. ``kiosk run`` and
``kiosk staff`` only check their arguments, open the store or the client, call one of
these and print.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.engine import FormLibrary
from kiosk.exchange.clinic_list import ClinicList
from kiosk.journey.linking import MissLimit
from kiosk.site.settings import TabletSettings
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background

if TYPE_CHECKING:
    from kiosk.console.client import StaffClient
    from kiosk.sync.worker import SyncWorker

WINDOWED_SIZE = (1280, 800)  # the kiosk's screen, for a window on a desktop
CONSOLE_SIZE = (1366, 768)


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
    store: TabletStore,
    library: FormLibrary,
    pathway: str,
    licences: Mapping[str, str],
    settings: TabletSettings,
    *,
    windowed: bool,
    quit_after: int | None,
    clinic_list: Callable[[], ClinicList | None],
    start_sync: Callable[[Callable[[], None]], SyncWorker | None],
) -> None:
    """The patient kiosk until staff unlock it; the store stays open for the caller.

    ``start_sync`` is called once the window exists, with what to do when the clinic
    says the tablet is no longer enrolled; it returns the running sync worker (or
    None), which is woken after each session, handed the patients' progress (checked
    in, started) to tell the clinic, and stopped when the kiosk closes."""
    from kiosk.ui.kiosk_window import KioskWindow

    app = _application()
    background = Background()
    window = KioskWindow(
        store,
        library,
        pathway,
        licences,
        background,
        StaffPin(store),
        kiosk_mode=not windowed,
        idle_ms=settings.idle_seconds * 1000,
        reset_ms=settings.warning_seconds * 1000,
        link=settings.link,
        clinic_list=clinic_list,
        draft_translations=settings.draft_translations,
        miss_limit=MissLimit(settings.misses_per_hour, settings.misses_per_day),
    )
    window.staff_unlocked.connect(app.quit)
    sync = start_sync(window.enrolment_lost.emit)
    if sync is not None:
        window.session_ended.connect(sync.wake)
        window.progress.connect(sync.report_progress)
    _show(app, window, window.enter_kiosk_mode, windowed=windowed, quit_after=quit_after)
    try:
        app.exec()
    finally:
        window.reset("abandoned")
        background.wait()
        if sync is not None:
            sync.stop()
            sync.join(timeout=40)  # longer than a request's own time-out


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
