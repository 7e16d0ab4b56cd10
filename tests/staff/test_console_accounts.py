"""Staff accounts in the console: the administrator's Accounts tab, "Change my password",
the screen that forces a new password after a reset, and signing out that ends the
session at the clinic. Against a real clinic service over HTTPS (``staff_clinic``);
the accounts list and the client's answers are also tested without a window."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import (
    PASSWORD,
    Consoles,
    clipped,
    open_patient,
    ready,
    shown_texts,
    sign_in,
)

from kiosk.console.client import (
    BadRequest,
    ClinicUnavailable,
    PasswordChangeRequired,
    SessionExpired,
    SignedIn,
    SignInError,
    StaffClient,
    WrongPassword,
)
from kiosk.ui.staff.account_dialogs import (
    ClinicsDialog,
    NewAccountDialog,
    OneTimePasswordDialog,
    RoleDialog,
    parse_clinics,
)
from kiosk.ui.staff.accounts_model import AccountsModel
from kiosk.ui.staff.accounts_panel import AccountsPanel
from kiosk.ui.staff.admin_view import AdminView
from kiosk.ui.staff.password_change import ChangePasswordDialog, ForcedChangePage

pytestmark = pytest.mark.staff
NEW_PASSWORD = "harbour lanterns drift quietly 42"


# ---------------------------------------------------------------- the list, no window
ACCOUNTS = [
    {
        "username": "admin",
        "role": "administrator",
        "state": "active",
        "must_change_password": False,
        "last_sign_in": "2026-12-07T01:30:00+00:00",
        "created_at": "2026-12-01T09:00:00+00:00",
        "clinics": None,
    },
    {
        "username": "temp",
        "role": "link_worker",
        "state": "disabled",
        "must_change_password": True,
        "last_sign_in": None,
        "created_at": "2026-12-02T09:00:00+00:00",
        "clinics": ["Riverside", "Hilltop"],
    },
]


def cells(model: AccountsModel, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_the_accounts_list_says_everything_in_words(qapp) -> None:
    model = AccountsModel()
    model.set_accounts(ACCOUNTS)
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == ["Username", "Role", "State", "Last signed in", "Clinics", "Password"]
    local = dt.datetime(2026, 12, 7, 1, 30, tzinfo=dt.UTC).astimezone()
    assert cells(model, 0) == [
        "admin",
        "Administrator",
        "Active",
        local.strftime("%d %b %Y %H:%M").lstrip("0"),
        "All clinics",
        "",
    ]
    assert cells(model, 1) == [
        "temp",
        "Link worker",
        "Disabled",
        "Never",
        "Riverside, Hilltop",
        "Must change password",
    ]
    assert model.key(1) == "temp" and model.row_of("temp") == 1
    assert model.index(1, AccountsModel.USERNAME).data(AccountsModel.UsernameRole) == "temp"
    assert model.active_administrators() == 1


def test_clinics_typed_with_commas_or_none_for_every_clinic() -> None:
    assert parse_clinics(" Riverside, Hilltop ,, ") == ["Riverside", "Hilltop"]
    assert parse_clinics("  ") is None


# ---------------------------------------------------------------- the client's answers
def client_with(handler: Any) -> StaffClient:
    client = StaffClient("https://clinic.test", transport=httpx.MockTransport(handler))
    client.user = SignedIn("admin", "administrator", "old-token", 900)
    return client


def token_answer(token: str, **extra: Any) -> dict[str, Any]:
    return {
        "token": token,
        "token_type": "bearer",
        "expires_in": 900,
        "username": "admin",
        "role": "administrator",
        "must_change_password": False,
        "session_ends_at": "2026-12-07T12:00:00+00:00",
        **extra,
    }


def test_sign_in_gives_the_forced_change_and_the_sessions_end() -> None:
    answer = token_answer("t1", must_change_password=True)
    client = client_with(lambda request: httpx.Response(200, json=answer))
    user = client.sign_in("admin", PASSWORD)
    assert user.must_change_password is True
    assert user.session_ends_at == "2026-12-07T12:00:00+00:00"


def test_sign_out_tells_the_clinic_with_the_token_and_forgets_it() -> None:
    seen: list[tuple[str, str, str | None]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.path, request.headers.get("authorization")))
        return httpx.Response(204)

    client = client_with(handler)
    client.sign_out()
    assert seen == [("POST", "/api/v1/auth/sign-out", "Bearer old-token")]
    assert client.user is None
    client.sign_out()  # nobody signed in: nothing to tell
    assert len(seen) == 1


def test_sign_out_forgets_the_token_even_when_the_clinic_cannot_be_told() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("unreachable", request=request)

    client = client_with(handler)
    with pytest.raises(ClinicUnavailable):
        client.sign_out()
    assert client.user is None


def test_a_changed_password_uses_the_fresh_token_from_then_on() -> None:
    tokens: list[str | None] = []

    def handler(request: httpx.Request) -> httpx.Response:
        tokens.append(request.headers.get("authorization"))
        if request.url.path.endswith("/auth/password"):
            return httpx.Response(200, json={"changed": True, **token_answer("fresh")})
        return httpx.Response(200, json={"users": []})

    client = client_with(handler)
    user = client.change_password(PASSWORD, NEW_PASSWORD)
    assert user.token == "fresh" and client.user == user
    assert client.users() == []
    assert tokens == ["Bearer old-token", "Bearer fresh"]


@pytest.mark.parametrize(
    ("status", "code", "kind"),
    [
        (401, "bad_password", WrongPassword),  # not "your session has ended"
        (401, "not_signed_in", SessionExpired),
        (403, "password_change_required", PasswordChangeRequired),
        (409, "last_administrator", BadRequest),
        (422, "weak_password", BadRequest),
    ],
)
def test_account_refusals_keep_their_code_and_plain_words(status, code, kind) -> None:
    message = "Plain words from the clinic."
    client = client_with(
        lambda request: httpx.Response(status, json={"error": code, "message": message})
    )
    with pytest.raises(kind) as raised:
        client.disable_user("a/b")
    assert raised.value.code == code
    if kind is not SessionExpired:
        assert str(raised.value) == message


def test_a_username_is_one_path_segment() -> None:
    paths: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        paths.append(request.url.raw_path.decode())
        return httpx.Response(200, json={"username": "x", "one_time_password": "otp"})

    client = client_with(handler)
    assert client.reset_password("../devices") == "otp"
    assert paths == ["/api/v1/admin/users/..%2Fdevices/reset-password"]


# ---------------------------------------------------------------- against a real clinic
def accounts(window) -> AccountsPanel:
    workspace = window.workspace
    assert isinstance(workspace, AdminView), workspace
    return workspace.accounts


def column(panel: AccountsPanel, username: str, col: int) -> str:
    row = panel.model.row_of(username)
    assert row is not None, f"{username} is not in the list"
    return str(panel.model.index(row, col).data())


def select(qtbot, panel: AccountsPanel, username: str) -> None:
    row = panel.model.row_of(username)
    assert row is not None
    panel.table.setFocus()
    panel.table.selectRow(row)
    assert panel.selected() == username


def refused(staff_clinic, user: SignedIn) -> bool:
    """Whether the clinic refuses ``user``'s token now (its session ended)."""
    with staff_clinic.client() as client:
        client.user = user
        try:
            client.refresh()
        except SessionExpired:
            return True
        return False


def test_the_accounts_tab_lists_every_account_in_words(qtbot, consoles: Consoles) -> None:
    window = consoles.open("admin")
    admin = window.workspace
    assert isinstance(admin, AdminView)
    assert admin.tabText(0) == "Acco&unts" and admin.currentWidget() is accounts(window)
    panel = accounts(window)
    assert {panel.model.key(r) for r in range(panel.model.rowCount())} >= {
        "admin",
        "clinician",
        "linkworker",
        "reception",
    }
    assert column(panel, "reception", AccountsModel.ROLE) == "Receptionist"
    assert column(panel, "reception", AccountsModel.STATE) == "Active"
    assert column(panel, "reception", AccountsModel.CLINICS) == "All clinics"
    assert column(panel, "reception", AccountsModel.LAST_SIGN_IN) == "Never"
    assert column(panel, "admin", AccountsModel.LAST_SIGN_IN) not in ("", "Never")


def test_an_administrator_creates_an_account_for_some_clinics_with_the_keyboard(
    qtbot, consoles: Consoles
) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.dialog is not None)  # a shortcut clicks a moment later
    dialog = panel.dialog
    assert isinstance(dialog, NewAccountDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.username, "newstarter")
    dialog.role.setCurrentIndex(dialog.role.findData("link_worker"))
    qtbot.keyClicks(dialog.password, NEW_PASSWORD)
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD + "x")
    dialog.ok.click()
    assert dialog.message.text() == "The two passwords are not the same. Type them again."
    dialog.repeat.clear()
    qtbot.keyClicks(dialog.repeat, NEW_PASSWORD)
    qtbot.keyClicks(dialog.clinics, "Riverside, Hilltop")
    with qtbot.waitSignal(panel.changed):
        dialog.ok.click()
    qtbot.waitUntil(lambda: panel.model.row_of("newstarter") is not None)
    assert panel.message.text() == "newstarter added."
    assert column(panel, "newstarter", AccountsModel.ROLE) == "Link worker"
    assert column(panel, "newstarter", AccountsModel.CLINICS) == "Hilltop, Riverside"
    with consoles.clinic.client() as client:
        assert client.sign_in("newstarter", NEW_PASSWORD).role == "link_worker"


def test_a_weak_password_for_a_new_account_is_refused_in_plain_words(
    qtbot, consoles: Consoles
) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    panel.new_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, NewAccountDialog)
    qtbot.keyClicks(dialog.username, "shortpass")
    for field in (dialog.password, dialog.repeat):
        qtbot.keyClicks(field, "short")
    dialog.ok.click()
    qtbot.waitUntil(lambda: bool(panel.message.text()))
    assert panel.message.text().startswith("A password must be at least")
    assert panel.model.row_of("shortpass") is None


@pytest.mark.security
def test_disabling_asks_first_signs_them_out_and_enabling_lets_them_back(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    with staff_clinic.client("clinician") as theirs:
        signed_in = theirs.user
        assert signed_in is not None
    window = consoles.open("admin")
    panel = accounts(window)
    select(qtbot, panel, "clinician")
    qtbot.keyClick(panel.table, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.confirm_button.isVisible)
    assert panel.message.text().startswith("Disable clinician?")
    assert panel.confirm_button.isVisible()
    assert panel.confirm_button.text() == "Yes, disable clinician"
    assert panel.confirm_button.hasFocus()
    assert column(panel, "clinician", AccountsModel.STATE) == "Active"  # nothing yet
    with qtbot.waitSignal(panel.loaded):
        qtbot.keyClick(panel.confirm_button, Qt.Key.Key_Space)
    assert column(panel, "clinician", AccountsModel.STATE) == "Disabled"
    assert panel.message.text() == "clinician is disabled."
    assert refused(staff_clinic, signed_in)
    with staff_clinic.client() as client, pytest.raises(SignInError):
        client.sign_in("clinician", PASSWORD)

    select(qtbot, panel, "clinician")
    panel.enable_button.click()
    with qtbot.waitSignal(panel.loaded):
        panel.confirm_button.click()
    assert column(panel, "clinician", AccountsModel.STATE) == "Active"
    with staff_clinic.client() as client:
        assert client.sign_in("clinician", PASSWORD).username == "clinician"


def test_the_last_administrator_cannot_be_disabled_and_is_told_why(
    qtbot, consoles: Consoles
) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    select(qtbot, panel, "admin")
    panel.disable_button.click()
    panel.confirm_button.click()
    qtbot.waitUntil(lambda: panel.message.text().startswith("You cannot"))
    assert panel.message.text() == (
        "You cannot remove the last administrator. Make another account an administrator first."
    )
    assert column(panel, "admin", AccountsModel.STATE) == "Active"
    assert window.workspace is not None  # still signed in


def test_a_reset_password_is_shown_once_and_then_must_be_changed_before_anything_else(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    select(qtbot, panel, "linkworker")
    qtbot.keyClick(panel.table, Qt.Key.Key_R, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(panel.confirm_button.isVisible)
    assert "one-time password" in panel.message.text()
    with qtbot.waitSignal(panel.loaded):
        panel.confirm_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, OneTimePasswordDialog) and dialog.isVisible()
    one_time = dialog.password.text()
    assert len(one_time) >= 12
    assert "in person" in " ".join(shown_texts(dialog))
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == one_time
    dialog.done_button.click()
    qtbot.waitUntil(lambda: panel.dialog is None)
    assert QGuiApplication.clipboard().text() == ""  # not left on the clipboard
    assert column(panel, "linkworker", AccountsModel.PASSWORD) == "Must change password"

    theirs = consoles.open()
    sign_in(qtbot, theirs, "linkworker", one_time)
    qtbot.waitUntil(lambda: theirs.forced is not None)
    forced = theirs.forced
    assert isinstance(forced, ForcedChangePage) and forced.isVisible()
    assert theirs.workspace is None  # nothing else is made, let alone reachable
    assert not theirs.password_button.isVisible()
    assert theirs.sign_out_button.isVisible()
    assert "Alex Example" not in " ".join(shown_texts(theirs))
    qtbot.keyClicks(forced.form.current, one_time)
    qtbot.keyClicks(forced.form.new, "password1234")
    qtbot.keyClicks(forced.form.repeat, "password1234")
    qtbot.keyClick(forced.form.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(forced.form.message.text()))
    assert "password" in forced.form.message.text()  # the clinic's own reason
    assert theirs.forced is forced and theirs.workspace is None
    qtbot.keyClicks(forced.form.new, NEW_PASSWORD)
    qtbot.keyClicks(forced.form.repeat, NEW_PASSWORD)
    qtbot.keyClick(forced.form.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: ready(theirs))
    assert theirs.forced is None and theirs.password_button.isVisible()
    with staff_clinic.client() as client:
        assert client.sign_in("linkworker", NEW_PASSWORD).must_change_password is False


def test_the_forced_change_screen_can_sign_out_and_locks_out_when_left(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    with staff_clinic.client("admin") as admin:
        one_time = admin.reset_password("reception")
    window = consoles.open(lock_after_s=1)
    sign_in(qtbot, window, "reception", one_time)
    qtbot.waitUntil(lambda: window.forced is not None)
    user = window.client.user
    assert user is not None and user.must_change_password
    window.forced.sign_out_button.click()
    assert window.forced is None and window.sign_in_page.isVisible()
    window.background.wait()
    assert refused(staff_clinic, user)

    sign_in(qtbot, window, "reception", one_time)
    qtbot.waitUntil(lambda: window.forced is not None)
    qtbot.waitUntil(lambda: window.forced is None, timeout=5_000)  # left alone: signed out
    assert window.sign_in_page.isVisible() and window.workspace is None


@pytest.mark.security
def test_signing_out_ends_the_session_at_the_clinic(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("clinician")
    user = window.client.user
    assert user is not None and user.session_ends_at
    window.sign_out_button.click()
    window.background.wait()
    assert window.client.user is None
    assert refused(staff_clinic, user)


@pytest.mark.security
def test_the_inactivity_lock_ends_the_session_at_the_clinic(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("clinician", lock_after_s=1)
    window.client.refresh()  # a token this test can see
    user = window.client.user
    assert user is not None
    qtbot.waitUntil(lambda: window.locked, timeout=5_000)
    window.background.wait()
    assert refused(staff_clinic, user)
    sign_in(qtbot, window, "clinician")
    qtbot.waitUntil(lambda: ready(window))


def test_change_my_password_from_the_status_bar(qtbot, consoles: Consoles, staff_clinic) -> None:
    window = consoles.open("clinician")
    assert window.password_button.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_Y, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.password_dialog is not None)
    dialog = window.password_dialog
    assert isinstance(dialog, ChangePasswordDialog)
    qtbot.waitUntil(dialog.isVisible)
    form = dialog.form
    qtbot.keyClicks(form.current, "not my password")
    qtbot.keyClicks(form.new, NEW_PASSWORD)
    qtbot.keyClicks(form.repeat, NEW_PASSWORD)
    qtbot.keyClick(form.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(form.message.text()))
    assert "current password" in form.message.text().lower()
    assert not window.locked and window.workspace is not None  # not "session ended"
    form.current.clear()
    qtbot.keyClicks(form.current, PASSWORD)
    qtbot.keyClicks(form.new, NEW_PASSWORD)
    qtbot.keyClicks(form.repeat, NEW_PASSWORD)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(form.repeat, Qt.Key.Key_Return)
    assert window.statusBar().currentMessage() == "Your password is changed."
    assert form.current.text() == ""
    window.client.refresh()  # the fresh token works
    window.sign_out_button.click()
    sign_in(qtbot, window, "clinician", NEW_PASSWORD)
    qtbot.waitUntil(lambda: ready(window))


def test_change_role(qtbot, consoles: Consoles) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    select(qtbot, panel, "reception")
    qtbot.keyClick(panel.table, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: panel.dialog is not None)
    dialog = panel.dialog
    assert isinstance(dialog, RoleDialog)
    dialog.role.setCurrentIndex(dialog.role.findData("clinician"))
    with qtbot.waitSignal(panel.loaded):
        dialog.ok.click()
    assert column(panel, "reception", AccountsModel.ROLE) == "Clinician"
    assert panel.message.text() == "reception is now: Clinician."


def test_set_clinics_and_back_to_every_clinic(qtbot, consoles: Consoles) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    select(qtbot, panel, "reception")
    qtbot.keyClick(panel.table, Qt.Key.Key_S, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(panel.dialog, ClinicsDialog))
    dialog = panel.dialog
    assert isinstance(dialog, ClinicsDialog)
    qtbot.keyClicks(dialog.clinics, "Riverside")
    with qtbot.waitSignal(panel.loaded):
        dialog.ok.click()
    assert column(panel, "reception", AccountsModel.CLINICS) == "Riverside"
    select(qtbot, panel, "reception")
    panel.clinics_button.click()
    dialog = panel.dialog
    assert isinstance(dialog, ClinicsDialog) and dialog.clinics.text() == "Riverside"
    dialog.clinics.clear()
    with qtbot.waitSignal(panel.loaded):
        dialog.ok.click()
    assert column(panel, "reception", AccountsModel.CLINICS) == "All clinics"


def test_the_accounts_tab_and_its_dialogs_fit(qtbot, consoles: Consoles) -> None:
    window = consoles.open("admin")
    panel = accounts(window)
    assert not clipped(window)
    panel.new_button.click()
    assert panel.dialog is not None
    qtbot.waitUntil(panel.dialog.isVisible)
    assert not clipped(panel.dialog)


def alt_letters(window) -> list[str]:
    """The Alt letters of every button and labelled field a user can see now."""
    found = []
    for widget in window.findChildren(QAbstractButton):
        if widget.isVisible() and not widget.shortcut().isEmpty():
            found.append(widget.shortcut().toString())
    for label in window.findChildren(QLabel):
        text = label.text()
        if label.isVisible() and label.buddy() is not None and "&" in text:
            found.append("Alt+" + text[text.index("&") + 1].upper())
    return found


def test_no_two_things_on_a_screen_share_an_alt_letter(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    """Two would make Alt+letter do nothing at all."""
    window = consoles.open("admin")
    letters = alt_letters(window)
    assert "Alt+Y" in letters  # Change my password
    assert len(letters) == len(set(letters)), sorted(letters)
    window = consoles.open("clinician")
    open_patient(qtbot, window, staff_clinic.ids["urgent"])
    letters = alt_letters(window)
    assert "Alt+Y" in letters and "Alt+M" in letters  # Assign to me
    assert len(letters) == len(set(letters)), sorted(letters)
