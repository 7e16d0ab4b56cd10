"""Staff accounts as an administrator manages them, over real HTTPS on SQLite and
PostgreSQL, and from the server's command line: add, list, disable, enable, reset a
password, change a role; the password policy; the last administrator; who may."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from kiosk.cli.main import main as kiosk_main
from kiosk.clinic.errors import Refusal
from kiosk.clinic.models import AuditEntry, User
from kiosk.clinic.passwords import COMMON, check_new_password
from tests.conftest import FORMS

from .signing import client_from, next_address

pytestmark = [pytest.mark.clinic, pytest.mark.staff, pytest.mark.security]

API = "/api/v1"
PASSWORD = "plum kettle harbour"
PASSPHRASE = b"a clinic passphrase for tests"


class Clinic:
    def __init__(self, folder: Path, url: str) -> None:
        from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
        from kiosk.clinic.tls import CERT_FILE

        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        self.folder, self.database = folder, url
        self.service = open_service(folder, PASSPHRASE, url, [FORMS])
        for name, role in (("admin", "administrator"), ("reception", "receptionist")):
            self.service.staff.add(name, role, PASSWORD, "user:setup")
        self.running = serve_in_thread(self.service, folder)
        self.certificate = folder / CERT_FILE

    def http(self) -> httpx.Client:
        return client_from(self.running.url, self.certificate, next_address())

    def sign_in(self, username: str, password: str = PASSWORD) -> httpx.Response:
        with self.http() as http:
            return http.post(f"{API}/auth/token", json={"username": username, "password": password})

    def token(self, username: str, password: str = PASSWORD) -> str:
        answer = self.sign_in(username, password)
        assert answer.status_code == 200, answer.text
        return str(answer.json()["token"])

    def call(self, token: str, method: str, path: str, body: Any = None) -> httpx.Response:
        with self.http() as http:
            return http.request(
                method, f"{API}{path}", json=body, headers={"Authorization": f"Bearer {token}"}
            )

    def audit(self, action: str) -> list[tuple[str, str | None, str]]:
        with self.service.transaction() as db:
            rows = db.scalars(select(AuditEntry).where(AuditEntry.action == action))
            return [(r.actor, r.target, r.outcome) for r in rows]

    def user(self, username: str) -> User:
        with self.service.transaction() as db:
            return db.scalars(select(User).where(User.username == username)).one()


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[Clinic]:
    made = Clinic(tmp_path / "clinic", database_url)
    yield made
    made.running.stop()
    made.service.engine.dispose()


def works(clinic: Clinic, token: str) -> bool:
    """Does this receptionist's (or clinician's) token still open the queue?"""
    answer = clinic.call(token, "GET", "/queue")
    assert answer.status_code in (200, 401), answer.text
    return answer.status_code == 200


# ------------------------------------------------------------ the password policy


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short words", "at least 12 characters"),
        ("password1234", COMMON),
        ("Password2026!", COMMON),  # a common one with digits and a symbol round it
        ("qwertyqwerty", COMMON),  # repeated
        ("1qaz2wsx3edc", COMMON),  # a keyboard walk from the list
        ("iloveyou12345", COMMON),
        ("aaaaaaaaaaaaaaaa", COMMON),
        ("J.Bloggs rota 2026", "your username"),
        ("renal clinic thursday", "the clinic's name"),
    ],
)
def test_the_policy_refuses_short_and_common_passwords_and_names(password, reason) -> None:
    said = check_new_password(password, "j.bloggs", clinic_names=["Renal Clinic"])
    assert said is not None and reason in said


@pytest.mark.parametrize(
    "password", ["plum kettle harbour", "correct horse battery staple", "tuesday-rota-desk"]
)
def test_the_policy_takes_long_ordinary_passwords_without_composition_rules(password) -> None:
    assert check_new_password(password, "j.bloggs", clinic_names=["Renal Clinic"]) is None


def test_a_weak_password_is_refused_with_its_reason_and_audited(clinic: Clinic) -> None:
    admin = clinic.token("admin")
    for password, reason in (("Password2026!", COMMON), ("nurse.jones desk", "your username")):
        answer = clinic.call(
            admin, "POST", "/admin/users",
            {"username": "nurse.jones", "role": "receptionist", "password": password},
        )  # fmt: skip
        assert answer.status_code == 422, answer.text
        assert answer.json()["error"] == "weak_password" and reason in answer.json()["message"]
    assert clinic.audit("add_user").count(("user:admin", "nurse.jones", "weak_password")) == 2
    with clinic.service.transaction() as db:
        assert db.scalar(select(User).where(User.username == "nurse.jones")) is None


# ------------------------------------------------------------ the account actions


@pytest.mark.control("H-24-C4")
def test_add_list_disable_and_enable(clinic: Clinic) -> None:
    admin = clinic.token("admin")
    added = clinic.call(
        admin, "POST", "/admin/users",
        {"username": "nurse.jones", "role": "receptionist", "password": PASSWORD,
         "clinics": ["Renal"]},
    )  # fmt: skip
    assert added.status_code == 201, added.text
    assert added.json() == {"username": "nurse.jones", "role": "receptionist"}
    nurse = clinic.token("nurse.jones")
    listed = {u["username"]: u for u in clinic.call(admin, "GET", "/admin/users").json()["users"]}
    jones = listed["nurse.jones"]
    assert (jones["role"], jones["state"], jones["clinics"]) == (
        "receptionist",
        "active",
        ["Renal"],
    )
    assert jones["must_change_password"] is False and jones["created_at"]
    assert listed["admin"]["last_sign_in"] is not None  # signed in above
    assert listed["admin"]["clinics"] is None  # every clinic

    assert works(clinic, nurse)
    answer = clinic.call(admin, "POST", "/admin/users/nurse.jones/disable")
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"username": "nurse.jones", "state": "disabled"}
    assert not works(clinic, nurse)  # the leaver's token stops at once
    assert clinic.sign_in("nurse.jones").status_code == 401  # and they cannot sign in
    listed = {u["username"]: u for u in clinic.call(admin, "GET", "/admin/users").json()["users"]}
    assert listed["nurse.jones"]["state"] == "disabled"

    answer = clinic.call(admin, "POST", "/admin/users/nurse.jones/enable")
    assert answer.json() == {"username": "nurse.jones", "state": "active"}
    assert works(clinic, clinic.token("nurse.jones"))

    assert clinic.audit("add_user") == [
        ("user:setup", "admin (administrator)", "ok"),
        ("user:setup", "reception (receptionist)", "ok"),
        ("user:admin", "nurse.jones (receptionist)", "ok"),
    ]
    assert clinic.audit("user_disabled") == [("user:admin", "nurse.jones", "ok")]
    assert clinic.audit("user_enabled") == [("user:admin", "nurse.jones", "ok")]
    for path in ("disable", "enable", "reset-password"):
        missing = clinic.call(admin, "POST", f"/admin/users/nobody/{path}")
        assert (missing.status_code, missing.json()["error"]) == (404, "not_found")
    assert ("user:admin", "nobody", "not_found") in clinic.audit("user_disabled")


@pytest.mark.control("H-24-C4")
def test_a_role_change_ends_the_users_sessions(clinic: Clinic) -> None:
    admin, reception = clinic.token("admin"), clinic.token("reception")
    assert works(clinic, reception)
    answer = clinic.call(admin, "PUT", "/admin/users/reception/role", {"role": "clinician"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"username": "reception", "role": "clinician"}
    assert not works(clinic, reception)
    again = clinic.sign_in("reception")
    assert again.json()["role"] == "clinician"
    assert works(clinic, again.json()["token"])
    bad = clinic.call(admin, "PUT", "/admin/users/reception/role", {"role": "superuser"})
    assert (bad.status_code, bad.json()["error"]) == (422, "bad_role")
    assert clinic.audit("role_changed") == [
        ("user:admin", "reception", "ok: clinician"),
        ("user:admin", "reception", "bad_role"),
    ]


@pytest.mark.control("H-24-C4")
def test_a_reset_gives_a_one_time_password_that_must_be_changed(clinic: Clinic) -> None:
    admin, reception = clinic.token("admin"), clinic.token("reception")
    answer = clinic.call(admin, "POST", "/admin/users/reception/reset-password")
    assert answer.status_code == 200, answer.text
    one_time = answer.json()["one_time_password"]
    assert answer.json()["username"] == "reception" and len(one_time) >= 16
    assert check_new_password(one_time, "reception") is None
    assert not works(clinic, reception)  # every session of theirs has ended
    assert clinic.sign_in("reception").status_code == 401  # the old password is gone
    signed_in = clinic.sign_in("reception", one_time)
    assert signed_in.status_code == 200, signed_in.text
    assert signed_in.json()["must_change_password"] is True
    forced = clinic.call(signed_in.json()["token"], "GET", "/queue")
    assert (forced.status_code, forced.json()["error"]) == (403, "password_change_required")
    assert clinic.user("reception").must_change_password is True
    assert clinic.audit("password_reset") == [("user:admin", "reception", "ok")]
    # Never the one-time password itself in the audit log.
    with clinic.service.transaction() as db:
        rows = db.scalars(select(AuditEntry)).all()
        assert not any(one_time in f"{r.target} {r.detail} {r.outcome}" for r in rows)


# ------------------------------------------------------------ the last administrator


@pytest.mark.control("H-24-C4")
def test_the_last_administrator_cannot_be_disabled_or_demoted(clinic: Clinic) -> None:
    admin = clinic.token("admin")
    for method, path, body in (
        ("POST", "/admin/users/admin/disable", None),
        ("PUT", "/admin/users/admin/role", {"role": "clinician"}),
    ):
        answer = clinic.call(admin, method, path, body)
        assert answer.status_code == 409, answer.text
        assert answer.json()["error"] == "last_administrator"
        assert "only active administrator" in answer.json()["message"]
    admin_row = clinic.user("admin")
    assert (admin_row.role, admin_row.disabled) == ("administrator", False)
    assert ("user:admin", "admin", "last_administrator") in clinic.audit("user_disabled")
    assert ("user:admin", "admin", "last_administrator") in clinic.audit("role_changed")
    # A second administrator, and a disabled one who does not count: now it may go.
    clinic.service.accounts.add("boss", "administrator", PASSWORD, "user:setup")
    assert clinic.call(admin, "POST", "/admin/users/admin/disable").status_code == 200
    boss = clinic.token("boss")
    refused = clinic.call(boss, "PUT", "/admin/users/boss/role", {"role": "clinician"})
    assert (refused.status_code, refused.json()["error"]) == (409, "last_administrator")


@pytest.mark.control("H-24-C4")
def test_two_administrators_disabling_each_other_at_once(clinic: Clinic) -> None:
    """Many rounds of two administrators, each disabling the other at the same moment
    (on the database's two connections): exactly one succeeds each time, the other is
    refused ``last_administrator``, and an active administrator always remains."""
    accounts = clinic.service.accounts
    accounts.add("boss", "administrator", PASSWORD, "user:setup")
    for _ in range(8):
        with clinic.service.transaction() as db:
            db.execute(update(User).values(disabled=False))
        outcomes = race(
            lambda: accounts.disable("boss", "user:admin"),
            lambda: accounts.disable("admin", "user:boss"),
        )
        assert sorted(outcomes) == ["last_administrator", "ok"], outcomes
        with clinic.service.transaction() as db:
            active = db.scalars(
                select(User.username).where(User.role == "administrator", User.disabled.is_(False))
            ).all()
        assert len(active) == 1
    # And one disabling while the other demotes.
    with clinic.service.transaction() as db:
        db.execute(update(User).values(disabled=False))
    outcomes = race(
        lambda: accounts.set_role("boss", "clinician", "user:admin"),
        lambda: accounts.disable("admin", "user:boss"),
    )
    assert sorted(outcomes) == ["last_administrator", "ok"], outcomes


def race(*work: Callable[[], object]) -> list[str]:
    start = threading.Barrier(len(work))
    outcomes: list[str] = []

    def run(job: Callable[[], object]) -> None:
        start.wait()
        try:
            job()
            outcomes.append("ok")
        except Refusal as refusal:
            outcomes.append(refusal.code)

    threads = [threading.Thread(target=run, args=(job,)) for job in work]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_the_same_user_added_at_once_is_added_once(clinic: Clinic) -> None:
    accounts = clinic.service.accounts
    outcomes = race(
        *[lambda: accounts.add("twin", "clinician", PASSWORD, "user:admin") for _ in range(4)]
    )
    assert sorted(outcomes) == ["ok", "user_exists", "user_exists", "user_exists"]
    assert clinic.audit("add_user").count(("user:admin", "twin", "user_exists")) == 3


# ------------------------------------------------------------ who may


ACCOUNT_CALLS = (
    ("GET", "/admin/users", None),
    ("POST", "/admin/users", {"username": "sneaky", "role": "administrator",
                              "password": PASSWORD}),
    ("POST", "/admin/users/admin/disable", None),
    ("POST", "/admin/users/admin/enable", None),
    ("POST", "/admin/users/admin/reset-password", None),
    ("PUT", "/admin/users/reception/role", {"role": "administrator"}),
)  # fmt: skip


@pytest.mark.control("H-24-C4")
def test_a_non_administrator_reaches_no_account_route(clinic: Clinic) -> None:
    clinic.service.accounts.add("doctor", "clinician", PASSWORD, "user:setup")
    clinic.service.accounts.add("worker", "link_worker", PASSWORD, "user:setup")
    for username in ("reception", "doctor", "worker"):
        token = clinic.token(username)
        for method, path, body in ACCOUNT_CALLS:
            answer = clinic.call(token, method, path, body)
            assert (answer.status_code, answer.json()["error"]) == (403, "forbidden"), path
            assert (f"user:{username}", None, "forbidden") in clinic.audit(f"{API}{path}")
    # Nothing changed: no new user, nobody disabled, promoted or reset.
    with clinic.service.transaction() as db:
        users = {u.username: (u.role, u.disabled, u.must_change_password) for u in db.scalars(
            select(User))}  # fmt: skip
    assert users == {
        "admin": ("administrator", False, False),
        "reception": ("receptionist", False, False),
        "doctor": ("clinician", False, False),
        "worker": ("link_worker", False, False),
    }


# ------------------------------------------------------------ the command line


def test_the_command_line_manages_accounts_audited_as_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.clinic.setup import init_clinic

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(PASSPHRASE + b"\n")
    options = ["--passphrase-file", str(passphrase)]

    def kiosk(*args: str, stdin: str = "") -> tuple[int, str, str]:
        import io

        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        words = 1 if args[0] == "add-user" else 2  # the action, then the clinic
        argv = ["clinic", *args[:words], str(folder), *args[words:], *options]
        code = kiosk_main(argv)
        out = capsys.readouterr()
        return code, out.out, out.err

    assert kiosk("add-user", "admin", "administrator", stdin=f"{PASSWORD}\n")[0] == 0
    assert kiosk("users", "add", "nurse", "receptionist", "--clinic", "Renal",
                 stdin=f"{PASSWORD}\n")[0] == 0  # fmt: skip
    code, _out, err = kiosk("users", "add", "weak", "clinician", stdin="password1234\n")
    assert code == 2 and COMMON in err
    code, out, _err = kiosk("users", "list")
    assert code == 0
    assert "nurse  receptionist  active  last sign-in never  clinics: Renal" in out
    assert "admin  administrator  active  last sign-in never  clinics: every clinic" in out
    assert kiosk("users", "disable", "nurse")[0] == 0
    assert "nurse  receptionist  disabled" in kiosk("users", "list")[1]
    assert kiosk("users", "enable", "nurse")[0] == 0
    code, out, _err = kiosk("users", "reset-password", "nurse")
    assert code == 0 and "one-time password for nurse: " in out
    assert "must change password" in kiosk("users", "list")[1]
    assert kiosk("users", "set-role", "nurse", "clinician")[0] == 0
    code, _out, err = kiosk("users", "disable", "admin")
    assert code == 2 and "only active administrator" in err
    code, _out, err = kiosk("users", "disable", "nobody")
    assert code == 2 and "no user nobody" in err

    from kiosk.clinic.setup import open_service

    service = open_service(folder, PASSPHRASE, f"sqlite:///{folder / 'clinic.db'}", [FORMS])
    try:
        with service.transaction() as db:
            rows = {(r.actor, r.action, r.target, r.outcome)
                    for r in db.scalars(select(AuditEntry))}  # fmt: skip
    finally:
        service.engine.dispose()
    assert {
        ("cli", "add_user", "nurse (receptionist)", "ok"),
        ("cli", "add_user", "weak", "weak_password"),
        ("cli", "user_disabled", "nurse", "ok"),
        ("cli", "user_enabled", "nurse", "ok"),
        ("cli", "password_reset", "nurse", "ok"),
        ("cli", "role_changed", "nurse", "ok: clinician"),
        ("cli", "user_disabled", "admin", "last_administrator"),
    } <= rows
