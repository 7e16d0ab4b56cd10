"""Staff accounts in the console: the administrator's Accounts tab, "Change my password",
the screen that forces a new password after a reset, and signing out that ends the
session at the clinic. Against a real clinic service over HTTPS (``staff_clinic``);
the accounts list and the client's answers are also tested without a window."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import PASSWORD, Consoles

from kiosk.console.client import (
    BadRequest,
    ClinicUnavailable,
    PasswordChangeRequired,
    SessionExpired,
    SignedIn,
    StaffClient,
    WrongPassword,
)
from kiosk.ui.staff.account_dialogs import (
    parse_clinics,
)
from kiosk.ui.staff.accounts_model import AccountsModel

pytestmark = pytest.mark.staff
NEW_PASSWORD = "harbour lanterns drift quietly 42"
WAITS = pytest.mark.xfail(strict=True, reason="waits for the server route")


@pytest.fixture
def consoles(qtbot, staff_clinic) -> Iterator[Consoles]:
    made = Consoles(qtbot, staff_clinic)
    yield made
    made.close()


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
