"""Opening staff console windows against the real clinic of the ``staff_clinic`` fixture,
and doing what a user does with them (the tests import this module by path)."""

from __future__ import annotations

import contextlib
import dataclasses
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QHeaderView, QLabel, QScrollArea, QWidget

from kiosk.cli.demo_patients import DEMO_PATIENTS, DemoPatient
from kiosk.console.client import StaffClient
from kiosk.ui.background import Background
from kiosk.ui.staff.care_view import CareWorkspace, PatientPage
from kiosk.ui.staff.console_window import StaffConsoleWindow

PASSWORD = "a long staff password"  # tests/staff/conftest.py's
SCREEN = (1366, 768)


def demo(key: str) -> DemoPatient:
    return next(p for p in DEMO_PATIENTS if p.key == key)


def another(key: str, new_key: str, **changes: Any) -> DemoPatient:
    """A copy of a demo patient arriving as a new visit."""
    return dataclasses.replace(demo(key), key=new_key, **changes)


class Consoles:
    """Makes console windows, each with its own client; closes them all at the end."""

    def __init__(self, qtbot: Any, clinic: Any) -> None:
        self.qtbot = qtbot
        self.clinic = clinic
        self.windows: list[StaffConsoleWindow] = []
        self.clients: list[StaffClient] = []

    def open(
        self, username: str | None = None, *, client: StaffClient | None = None, **options: Any
    ) -> StaffConsoleWindow:
        client = client or self.clinic.client()
        self.clients.append(client)
        window = StaffConsoleWindow(client, Background(), **options)
        self.qtbot.addWidget(window)
        self.windows.append(window)
        window.resize(*SCREEN)
        window.show()
        activate(self.qtbot, window)
        if username is not None:
            sign_in(self.qtbot, window, username)
            self.qtbot.waitUntil(lambda: ready(window))
        return window

    def close(self) -> None:
        for window in self.windows:
            window.close()
            window.background.wait()
        for client in self.clients:
            client.close()


def activate(qtbot: Any, window: QWidget) -> None:
    """Make ``window`` the active one: keyboard shortcuts work only in the active window."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def sign_in(
    qtbot: Any, window: StaffConsoleWindow, username: str, password: str = PASSWORD
) -> None:
    """Type the username and password and press Enter, as a user would."""
    page = window.sign_in_page
    page.username.clear()
    qtbot.keyClicks(page.username, username)
    page.password.clear()
    qtbot.keyClicks(page.password, password)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)


def ready(window: StaffConsoleWindow) -> bool:
    """Signed in, and the first screen has what it shows."""
    workspace = window.workspace
    if workspace is None:
        return False
    if isinstance(workspace, CareWorkspace):
        return workspace.queue.model.rowCount() > 0
    return workspace.users.rowCount() > 0


def care(window: StaffConsoleWindow) -> CareWorkspace:
    assert isinstance(window.workspace, CareWorkspace), window.workspace
    return window.workspace


def queue_ids(window: StaffConsoleWindow) -> list[str]:
    model = care(window).queue.model
    return [model.submission_id(row) for row in range(model.rowCount())]


def open_patient(qtbot: Any, window: StaffConsoleWindow, submission_id: str) -> PatientPage:
    """Select the patient's row in the queue and press Enter; wait for the summary."""
    workspace = care(window)
    row = workspace.queue.model.row_of(submission_id)
    assert row is not None, f"{submission_id} is not in the queue"
    workspace.queue.table.setFocus()
    workspace.queue.table.selectRow(row)
    qtbot.keyClick(workspace.queue.table, Qt.Key.Key_Return)
    page = workspace.patient
    assert page is not None
    qtbot.waitUntil(
        lambda: (
            page.summary.summary is not None
            and page.summary.summary["submission_id"] == submission_id
        )
    )
    return page


def shown_texts(widget: QWidget) -> list[str]:
    """Every text a user can see in ``widget``: visible labels and buttons."""
    found = []
    for child in widget.findChildren(QWidget):
        if not child.isVisible():
            continue
        if isinstance(child, QLabel | QAbstractButton) and child.text():
            found.append(child.text())
    return found


def settle(qtbot: Any, window: Any) -> None:
    """Wait for the background work, then for the queued events that show and lay out
    children added to a shown page: until nothing is clipped, or for up to 5 s (a busy
    machine can take longer than any fixed pause). What is still clipped after that is
    clipped for good, and the caller's clipped() check names it."""
    window.background.wait()
    qtbot.wait(50)
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(lambda: not clipped(window), timeout=5000)


def clipped(screen: QWidget) -> list[str]:
    """Visible labels and buttons whose text needs more room than they were given, and
    widgets cut off at the side of the scroll area holding them (as tests/ui/test_layout.py
    checks the kiosk, plus the side edge: nothing may need scrolling sideways)."""
    problems = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible() or widget.width() <= 0:
            continue
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        name = f"{type(widget).__name__}#{widget.objectName() or '?'} {text[:30]!r}"
        if isinstance(widget, QLabel) and text:
            needed = (
                widget.heightForWidth(widget.width())
                if widget.wordWrap()
                else widget.sizeHint().height()
            )
            if needed > widget.height() + 1:
                problems.append(f"{name} needs {needed}px high, has {widget.height()}")
            if not widget.wordWrap() and widget.sizeHint().width() > widget.width() + 1:
                problems.append(f"{name} needs {widget.sizeHint().width()}px wide")
        if isinstance(widget, QLabel) and text and not widget.wordWrap() and "\n" not in text:
            advance = widget.fontMetrics().horizontalAdvance(text.replace("&", ""))
            if advance > widget.contentsRect().width() + 1:
                problems.append(f"{name} needs {advance}px for its text")
        if isinstance(widget, QAbstractButton) and text:
            advance = widget.fontMetrics().horizontalAdvance(text.replace("&", ""))
            if advance > widget.width():
                problems.append(f"{name} needs {advance}px for its text")
            hint = widget.sizeHint()
            if hint.width() > widget.width() + 1 or hint.height() > widget.height() + 1:
                problems.append(
                    f"{name} needs {hint.width()}x{hint.height()}, "
                    f"has {widget.width()}x{widget.height()}"
                )
        if isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal:
            bold = QFont(widget.font())
            bold.setBold(True)
            metrics = QFontMetrics(bold)
            model = widget.model()
            for section in range(widget.count()):
                if widget.isSectionHidden(section) or model is None:
                    continue
                title = str(model.headerData(section, Qt.Orientation.Horizontal) or "")
                if metrics.horizontalAdvance(title) + 8 > widget.sectionSize(section):
                    problems.append(f"the column heading {title!r} is cut off")
        scroll = _scroll_area(widget)
        if scroll is not None:
            viewport = scroll.viewport()
            right = widget.mapTo(viewport, widget.rect().topRight()).x()
            if right > viewport.width() + 1:
                problems.append(f"{name} is cut off at the side ({right} > {viewport.width()})")
        else:
            window = screen.window()
            right = widget.mapTo(window, widget.rect().topRight()).x()
            if right > window.width() + 1:
                problems.append(f"{name} goes past the window's side ({right})")
    return problems


def _scroll_area(widget: QWidget) -> QScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None:
            return parent if parent.widget().isAncestorOf(widget) else None
        parent = parent.parentWidget()
    return None
