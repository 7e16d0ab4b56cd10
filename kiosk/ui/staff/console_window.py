"""The staff console's window: sign in, then the screens for the user's role.

=================  ====================================================
receptionist       the queue and today's whole list: no flags, no summaries
clinician,         the queue, today's whole list, a patient's summary,
link worker        triage, referrals, printing
administrator      users, tablets, enrolment codes, the audit log
=================  ====================================================

Clinicians, link workers and receptionists also key in forms ("Key in a form…",
Ctrl+K): a paper form, or one completed with the patient
(:mod:`kiosk.ui.staff.entry_panel`), in a window of its own beside the lists.

After ``lock_after_s`` without keyboard or mouse input to this window, it locks:
the screens holding patient data are taken down (not just hidden), the window
title names only the user, and the password is asked for again. The same user
goes back where they were (unsaved triage notes included); anyone else starts
afresh. While the user is active the token is refreshed every
``token_refresh_s``; if the clinic ends the session anyway the console locks
with a plain message.

Signing out, locking and closing the window end the session at the clinic too
(``POST /auth/sign-out``), so its token is worthless afterwards. Someone signing
in with a one-time password an administrator gave them sees only the
:class:`~kiosk.ui.staff.password_change.ForcedChangePage` until they choose their
own (or sign out); anyone signed in can "Change my password" from the status bar.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QPushButton, QStackedWidget

from kiosk.console.client import SignedIn, StaffClient
from kiosk.ui.background import Background
from kiosk.ui.staff import words
from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.care_view import CarePlace, CareWorkspace, ListsBar
from kiosk.ui.staff.entry_panel import EntryDialog
from kiosk.ui.staff.look import SHEET
from kiosk.ui.staff.password_change import ChangePasswordDialog, ForcedChangePage
from kiosk.ui.staff.session import IdleWatcher, Session
from kiosk.ui.staff.sign_in import SignInPage
from kiosk.ui.theme import load_fonts
from kiosk.vocabulary import ADMINISTRATOR, CASEWORKERS, ENTERERS

log = logging.getLogger(__name__)


class StaffConsoleWindow(QMainWindow):
    def __init__(
        self,
        client: StaffClient,
        background: Background,
        lock_after_s: float = 300,
        *,
        token_refresh_s: float = 600,
        queue_refresh_s: float = 30,
    ) -> None:
        super().__init__()
        self.client = client
        self.background = background
        self.lock_after_s = lock_after_s
        self.token_refresh_s = token_refresh_s
        self.queue_refresh_s = queue_refresh_s
        self.session: Session | None = None
        self._last_tick = time.monotonic()
        self.workspace: CareWorkspace | AdminView | None = None
        self.forced: ForcedChangePage | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.entry_dialog: EntryDialog | None = None
        self._locked: tuple[str, Any] | None = None  # (username, where they were)
        load_fonts()
        self.setStyleSheet(SHEET)
        self.setMinimumSize(1024, 640)
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.lists_bar = ListsBar()  # the queue or today's whole list
        self.addToolBar(self.lists_bar)
        self.sign_in_page = SignInPage(self._sign_in)
        self.pages.addWidget(self.sign_in_page)
        self.who = QLabel()
        self.who.setAccessibleName(self.tr("Signed in as"))
        self.statusBar().addWidget(self.who, 1)
        self.password_button = QPushButton(self.tr("Change m&y password…"))
        self.password_button.setAccessibleName(self.tr("Change my password"))
        self.password_button.clicked.connect(self.change_password)
        self.statusBar().addPermanentWidget(self.password_button)
        self.entry_button = QPushButton(self.tr("&Key in a form… (Ctrl+K)"))
        self.entry_button.setAccessibleName(self.tr("Key in a form"))
        self.entry_button.setShortcut("Ctrl+K")
        self.entry_button.clicked.connect(self.key_in)
        self.statusBar().addPermanentWidget(self.entry_button)
        self.sign_out_button = QPushButton(self.tr("Si&gn out"))
        self.sign_out_button.setAccessibleName(self.tr("Sign out"))
        self.sign_out_button.clicked.connect(lambda: self.sign_out())
        self.statusBar().addPermanentWidget(self.sign_out_button)
        self.idle = IdleWatcher(self, lock_after_s, self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.token_timer = QTimer(self)
        self.token_timer.setInterval(round(token_refresh_s * 1000))
        self.token_timer.timeout.connect(self._refresh_token)
        self._show_signed_out()
        self.sign_in_page.ask()

    # ------------------------------------------------------------ signing in
    def _sign_in(self, username: str, password: str) -> None:
        client = self.client

        def done(user: SignedIn) -> None:
            if shiboken6.isValid(self):
                self._signed_in(user)

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self.sign_in_page.set_busy(False)
                self.sign_in_page.password.clear()
                self.sign_in_page.show_problem(words.problem(exc))
                self.sign_in_page.password.setFocus()

        self.background.run(lambda: client.sign_in(username, password), done, failed)

    def _signed_in(self, user: SignedIn) -> None:
        place = None
        if self._locked is not None:
            locked_user, locked_place = self._locked
            self._locked = None
            if locked_user == user.username:
                place = locked_place
        self.sign_in_page.password.clear()
        session = Session(self.client, self.background, user)
        session.expired.connect(self._expired)
        self.session = session
        if user.must_change_password:
            self._force_change(session, place)
        else:
            self._start(session, place)

    def _force_change(self, session: Session, place: Any) -> None:
        """Only the new-password screen (and signing out) until the password is changed."""

        def changed(_user: SignedIn) -> None:
            self._drop_forced()
            self._start(session, place)

        self.forced = ForcedChangePage(session, changed, self.sign_out)
        self.pages.addWidget(self.forced)
        self.pages.setCurrentWidget(self.forced)
        self._show_who(session.user, self.tr("must choose a new password"))
        self.password_button.hide()
        self.idle.start()
        self._last_tick = time.monotonic()
        self.token_timer.start()
        self.forced.start()

    def _drop_forced(self) -> None:
        if self.forced is not None:
            self.forced.form.clear()
            self.pages.removeWidget(self.forced)
            self.forced.hide()
            self.forced.setParent(None)
            self.forced.deleteLater()
            self.forced = None

    def _show_who(self, user: SignedIn, note: str = "") -> None:
        title = self.tr("%1 (%2)").replace("%1", user.username).replace("%2", words.role(user.role))
        self.setWindowTitle(self.tr("Staff console: %1").replace("%1", title))
        who = self.tr("Signed in as %1").replace("%1", title)
        self.who.setText(f"{who}: {note}" if note else who)
        self.sign_out_button.show()

    def _start(self, session: Session, place: Any) -> None:
        user = session.user
        workspace: CareWorkspace | AdminView
        if user.role == ADMINISTRATOR:
            workspace = AdminView(session)
            if isinstance(place, int):
                workspace.setCurrentIndex(place)
        else:
            workspace = CareWorkspace(
                session,
                clinical=user.role in CASEWORKERS,
                place=place if isinstance(place, CarePlace) else None,
                queue_refresh_s=self.queue_refresh_s,
            )
        self.workspace = workspace
        self.lists_bar.attach(workspace if isinstance(workspace, CareWorkspace) else None)
        self.pages.addWidget(workspace)
        self.pages.setCurrentWidget(workspace)
        self._show_who(user)
        self.password_button.show()
        self.entry_button.setVisible(user.role in ENTERERS)
        self.idle.start()
        self._last_tick = time.monotonic()
        self.token_timer.start()
        workspace.start()
        if isinstance(workspace, CareWorkspace):
            workspace.queue.table.setFocus()
        else:
            workspace.setFocus()

    # ------------------------------------------------------------ ending
    @property
    def locked(self) -> bool:
        return self.session is None and self._locked is not None

    def lock(self, message: str = "") -> None:
        """Take down every screen holding patient data and ask for the password again."""
        if self.session is not None and self.forced is not None:
            self.sign_out(message)  # nowhere to go back to before the password is changed
            return
        if self.session is None or self.workspace is None:
            return
        username = self.session.username
        self._locked = (username, self.workspace.place())
        self._end_session()
        self.who.setText(self.tr("Locked: %1 was signed in").replace("%1", username))
        self.sign_in_page.ask(username, message)

    def sign_out(self, message: str = "") -> None:
        self._locked = None
        self._end_session()
        self.sign_in_page.username.clear()
        self.sign_in_page.ask(message=message)

    def change_password(self) -> None:
        """ "Change my password": a dialog over the screen the user is on."""
        if self.session is None or self.workspace is None:
            return
        if self.password_dialog is None:
            dialog = ChangePasswordDialog(self, self.session)
            dialog.accepted.connect(
                lambda: self.statusBar().showMessage(self.tr("Your password is changed."), 10_000)
            )
            self.password_dialog = dialog
        self.password_dialog.open()
        self.password_dialog.form.current.setFocus()

    def key_in(self) -> None:
        """ "Key in a form": a paper form, or one completed with the patient."""
        if self.session is None or self.session.role not in ENTERERS:
            return
        if self.entry_dialog is None:
            self.entry_dialog = EntryDialog(self, self.session)
            self.entry_dialog.panel.saved.connect(self._entry_saved)
            self.entry_dialog.panel.start()
        self.entry_dialog.show()
        self.entry_dialog.activateWindow()

    def _entry_saved(self, _answer: object) -> None:
        if isinstance(self.workspace, CareWorkspace):
            self.workspace.queue.refresh()  # the form just keyed in shows at once

    def _expired(self, message: str) -> None:
        self.lock(message or self.tr("Your session has ended. Sign in again to carry on."))

    def _end_session(self) -> None:
        if self.session is not None:
            self.session.end()
            self.session = None
        if self.password_dialog is not None:
            self.password_dialog.close()
            self.password_dialog.deleteLater()
            self.password_dialog = None
        if self.entry_dialog is not None:  # holds patient data: taken down, not hidden
            self.entry_dialog.panel.forget()
            self.entry_dialog.close()
            self.entry_dialog.deleteLater()
            self.entry_dialog = None
        self._drop_forced()
        if self.client.user is not None:
            # In turn with the other calls (after any under way, before the next sign-in);
            # the client forgets the token even if the clinic cannot be told.
            self.background.run(self.client.sign_out, lambda _none: None, _not_told)
        self.idle.stop()
        self.token_timer.stop()
        self.lists_bar.attach(None)
        if self.workspace is not None:
            # Emptied and out of the window at once; Qt deletes it once any call of its
            # that is under way has returned.
            self.workspace.stop()
            self.workspace.forget()
            self.pages.removeWidget(self.workspace)
            self.workspace.hide()
            self.workspace.setParent(None)
            self.workspace.deleteLater()
            self.workspace = None
        self._show_signed_out()

    def _show_signed_out(self) -> None:
        self.pages.setCurrentWidget(self.sign_in_page)
        self.setWindowTitle(self.tr("Staff console: What Matters Kiosk"))
        self.who.setText(self.tr("Not signed in"))
        self.sign_out_button.hide()
        self.password_button.hide()
        self.entry_button.hide()

    def _refresh_token(self) -> None:
        """Every ``token_refresh_s``: a fresh token if there was input since the last time."""
        session, last_tick = self.session, self._last_tick
        self._last_tick = time.monotonic()
        if session is None or self.idle.last_input < last_tick:
            return
        bar = self.statusBar()
        session.run(
            self,
            self.client.refresh,
            lambda _user: None,
            lambda exc: bar.showMessage(words.problem(exc), 10_000),
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        self._locked = None
        self._end_session()
        super().closeEvent(event)


def _not_told(exc: Exception) -> None:
    """The clinic did not hear of the sign-out; the session ends there at its absolute end
    or when its token is next refused. Nothing to show: the user has gone."""
    log.info("the clinic could not be told of a sign-out: %s", type(exc).__name__)
