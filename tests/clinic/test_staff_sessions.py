"""Staff sessions that end on the server, and sign-in an attacker cannot use to learn
or lock out who works here; over real HTTPS, on SQLite and PostgreSQL.

A token names its server-side session and the session's token serial: signing out
ends the session, refreshing retires the token before, the session's absolute end
(``[staff] session_hours``) holds through any number of refreshes, and all of it
holds on a second service process sharing the database. A forced password change
blocks every other route; changing your own password needs the current one and ends
your other sessions. One address guessing at many usernames is throttled without
touching anyone else; a real and an unknown username answer alike.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher
from fastapi.routing import APIRoute
from sqlalchemy import select, update

from kiosk.clinic.app import create_app
from kiosk.clinic.models import AuditEntry, StaffSession, User
from kiosk.clinic.setup import init_clinic, open_service, serve_in_thread
from kiosk.clinic.sign_in_limits import SOURCE_FAILURES
from kiosk.clinic.staff import TOKEN_TTL_S
from kiosk.clinic.tls import CERT_FILE

from .signing import client_from, next_address
from .test_sign_in_races import service_process

pytestmark = [pytest.mark.staff, pytest.mark.security]

FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"
API = "/api/v1"
PASSWORDS = {"root": "the one administrator of this place", "ann": "a clinician who cycles in"}
NEW_PASSWORD = "a fresh walk along the canal"


class FakeClock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


class Clinic:
    def __init__(self, folder: Path, database_url: str, hasher: PasswordHasher | None) -> None:
        init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
        self.folder, self.database_url = folder, database_url
        self.service = open_service(folder, PASSPHRASE, database_url, [FORMS])
        if hasher is not None:
            self.service.staff.hasher = hasher
        self.service.staff.add("root", "administrator", PASSWORDS["root"], "user:setup")
        self.service.staff.add("ann", "clinician", PASSWORDS["ann"], "user:setup")
        self.running = serve_in_thread(self.service, folder)
        self.certificate = folder / CERT_FILE

    @property
    def url(self) -> str:
        return self.running.url  # type: ignore[no-any-return]

    def http(self, address: str | None = None, url: str | None = None) -> httpx.Client:
        return client_from(url or self.url, self.certificate, address)

    def sign_in(self, username: str, password: str | None = None) -> dict[str, Any]:
        with self.http() as http:
            answer = http.post(
                f"{API}/auth/token",
                json={"username": username, "password": password or PASSWORDS[username]},
            )
        assert answer.status_code == 200, answer.text
        return answer.json()  # type: ignore[no-any-return]

    def audit(self, action: str) -> list[tuple[str, str]]:
        with self.service.transaction() as db:
            rows = db.execute(
                select(AuditEntry.actor, AuditEntry.outcome)
                .where(AuditEntry.action == action)
                .order_by(AuditEntry.id)
            )
            return [(actor, outcome) for actor, outcome in rows]


def cheap_hasher() -> PasswordHasher:
    return PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1)


@pytest.fixture
def clinic(tmp_path: Path, database_url: str) -> Iterator[Clinic]:
    made = Clinic(tmp_path / "clinic", database_url, cheap_hasher())
    yield made
    made.running.stop()
    made.service.engine.dispose()


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def queue_status(http: httpx.Client, token: str) -> tuple[int, str | None]:
    answer = http.get(f"{API}/admin/users", headers=bearer(token))
    return answer.status_code, (answer.json().get("error") if answer.status_code != 200 else None)


@pytest.mark.control("H-24-C5")
def test_sign_out_ends_the_session_on_the_server(clinic: Clinic) -> None:
    signed_in = clinic.sign_in("root")
    token = signed_in["token"]
    assert signed_in["expires_in"] <= TOKEN_TTL_S and signed_in["must_change_password"] is False
    with clinic.http() as http:
        assert queue_status(http, token) == (200, None)
        assert http.post(f"{API}/auth/sign-out", headers=bearer(token)).status_code == 204
        assert queue_status(http, token) == (401, "not_signed_in")
        refreshed = http.post(f"{API}/auth/refresh", headers=bearer(token))
        assert refreshed.status_code == 401  # a signed-out token cannot buy a new one
    assert ("user:root", "ok") in clinic.audit("sign_out")
    with clinic.service.transaction() as db:
        ended = db.scalars(select(StaffSession)).one()
        assert ended.ended_reason == "signed_out" and ended.ended_at is not None
        last = db.scalars(select(User.last_sign_in_at).where(User.username == "root")).one()
        assert last is not None


@pytest.mark.control("H-24-C5")
def test_refresh_retires_the_token_before(clinic: Clinic) -> None:
    first = clinic.sign_in("root")
    with clinic.http() as http:
        answer = http.post(f"{API}/auth/refresh", headers=bearer(first["token"]))
        assert answer.status_code == 200, answer.text
        second = answer.json()
        assert second["session_ends_at"] == first["session_ends_at"]
        assert queue_status(http, first["token"]) == (401, "not_signed_in")
        assert queue_status(http, second["token"]) == (200, None)
        # The retired token cannot refresh either (no fork of the session).
        again = http.post(f"{API}/auth/refresh", headers=bearer(first["token"]))
        assert again.status_code == 401


@pytest.mark.control("H-24-C5")
def test_refreshing_never_extends_the_session(tmp_path: Path) -> None:
    """The working shift ends when it ends: a refresh every 14 minutes for an hour
    cannot keep a one-hour session alive, and no token reaches past its end."""
    clinic = Clinic(tmp_path / "clinic", f"sqlite:///{tmp_path / 'clinic.db'}", cheap_hasher())
    clock = FakeClock()
    clinic.service.clock = clock
    clinic.service.staff.session_hours = 1
    try:
        answer = clinic.sign_in("ann")
        started = clock.now
        statuses = []
        with clinic.http() as http:
            for _ in range(6):
                clock.now += 14 * 60
                refreshed = http.post(f"{API}/auth/refresh", headers=bearer(answer["token"]))
                statuses.append(refreshed.status_code)
                if refreshed.status_code != 200:
                    break
                answer = refreshed.json()
                assert clock.now + answer["expires_in"] <= started + 3600
            # 4 refreshes inside the hour; the one at 70 minutes is refused.
            assert statuses == [200, 200, 200, 200, 401], statuses
            assert answer["expires_in"] == 4 * 60  # capped by the session's end, not 15 min
            queue = http.get(f"{API}/queue", headers=bearer(answer["token"]))
            assert queue.status_code == 401  # the last token's 15 minutes are not honoured
    finally:
        clinic.running.stop()
        clinic.service.engine.dispose()


@pytest.mark.control("H-24-C5")
def test_an_ended_session_is_refused_by_another_service_process(
    tmp_path: Path, database_url: str
) -> None:
    clinic = Clinic(tmp_path / "clinic", database_url, cheap_hasher())
    try:
        with service_process(tmp_path, clinic.folder, database_url, "second") as (second, _p):
            signed_in = clinic.sign_in("root")
            token = signed_in["token"]
            with clinic.http(url=second) as other:
                assert queue_status(other, token) == (200, None)
                # Refreshed on this process: the old token is refused on the other at once.
                with clinic.http() as here:
                    fresh = here.post(f"{API}/auth/refresh", headers=bearer(token)).json()
                assert queue_status(other, token) == (401, "not_signed_in")
                assert queue_status(other, fresh["token"]) == (200, None)
                with clinic.http() as here:
                    out = here.post(f"{API}/auth/sign-out", headers=bearer(fresh["token"]))
                    assert out.status_code == 204
                assert queue_status(other, fresh["token"]) == (401, "not_signed_in")
    finally:
        clinic.running.stop()
        clinic.service.engine.dispose()


@pytest.mark.control("H-24-C5")
def test_a_forced_password_change_blocks_every_other_route(clinic: Clinic) -> None:
    with clinic.service.transaction() as db:
        db.execute(update(User).where(User.username == "root").values(must_change_password=True))
    signed_in = clinic.sign_in("root")
    assert signed_in["must_change_password"] is True
    token = signed_in["token"]
    app = create_app(clinic.service)  # type: ignore[arg-type]
    open_to_all = {f"{API}/health", f"{API}/enrol", f"{API}/auth/token"}
    signed = {f"{API}/tablet/config", f"{API}/submissions", f"{API}/tablet/progress"}
    allowed = {f"{API}/auth/password", f"{API}/auth/sign-out", f"{API}/auth/refresh"}
    blocked = []
    with clinic.http() as http:
        for route in app.routes:
            if not isinstance(route, APIRoute) or route.path in open_to_all | signed | allowed:
                continue
            path = route.path
            for name in route.param_convertors:
                path = path.replace(f"{{{name}}}", "1")
            for method in route.methods:
                answer = http.request(method, path, headers=bearer(token), json={})
                blocked.append((method, route.path, answer.status_code, answer.json()["error"]))
    assert len(blocked) >= 15
    assert {(status, error) for *_route, status, error in blocked} == {
        (403, "password_change_required")
    }, blocked
    assert ("user:root", "password_change_required") in clinic.audit(f"{API}/admin/users")
    with clinic.http() as http:
        changed = http.post(
            f"{API}/auth/password",
            headers=bearer(token),
            json={"current_password": PASSWORDS["root"], "new_password": NEW_PASSWORD},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["changed"] is True
        assert changed.json()["must_change_password"] is False
        assert queue_status(http, changed.json()["token"]) == (200, None)


@pytest.mark.control("H-24-C5")
def test_changing_your_own_password_needs_the_current_one_and_ends_your_other_sessions(
    clinic: Clinic,
) -> None:
    here = clinic.sign_in("root")["token"]
    elsewhere = clinic.sign_in("root")["token"]
    with clinic.http() as http:

        def change(current: str, new: str) -> httpx.Response:
            return http.post(
                f"{API}/auth/password",
                headers=bearer(here),
                json={"current_password": current, "new_password": new},
            )

        wrong = change("not my password at all", NEW_PASSWORD)
        assert (wrong.status_code, wrong.json()["error"]) == (401, "bad_password")
        weak = change(PASSWORDS["root"], "password1234")
        assert (weak.status_code, weak.json()["error"]) == (422, "weak_password")
        assert weak.json()["message"]  # says why, in plain words
        # Neither refusal changed anything: the other session still works.
        assert queue_status(http, elsewhere) == (200, None)
        right = change(PASSWORDS["root"], NEW_PASSWORD)
        assert right.status_code == 200, right.text
        assert queue_status(http, elsewhere) == (401, "not_signed_in")
        assert queue_status(http, right.json()["token"]) == (200, None)
        old = http.post(
            f"{API}/auth/token", json={"username": "root", "password": PASSWORDS["root"]}
        )
        assert old.status_code == 401
    clinic.sign_in("root", NEW_PASSWORD)
    outcomes = [outcome for _actor, outcome in clinic.audit("change_password")]
    assert outcomes[:2] == ["bad_password", "weak_password"]
    assert outcomes[2].startswith("ok")


@pytest.mark.control("H-27-C3")
def test_one_address_guessing_many_usernames_is_slowed_down_alone(tmp_path: Path) -> None:
    clinic = Clinic(tmp_path / "clinic", f"sqlite:///{tmp_path / 'clinic.db'}", cheap_hasher())
    guesser, colleague = next_address(), next_address()
    try:
        with clinic.http(guesser) as http:
            for n in range(SOURCE_FAILURES):
                answer = http.post(
                    f"{API}/auth/token", json={"username": f"name{n}", "password": "a guess"}
                )
                assert answer.status_code == 401, (n, answer.text)
            for username in ("name99", "root"):  # a new name, even a real one with its password
                answer = http.post(
                    f"{API}/auth/token",
                    json={"username": username, "password": PASSWORDS.get(username, "x")},
                )
                assert answer.status_code == 429, answer.text
                assert answer.json()["error"] == "slow_down"
                assert 0 < int(answer.headers["Retry-After"]) <= 15 * 60
        with clinic.http(colleague) as http:
            answer = http.post(
                f"{API}/auth/token", json={"username": "root", "password": PASSWORDS["root"]}
            )
            assert answer.status_code == 200, answer.text
        assert ("user:root", "slow_down") in clinic.audit("login")
    finally:
        clinic.running.stop()
        clinic.service.engine.dispose()


@pytest.mark.control("H-27-C3")
def test_a_real_and_an_unknown_username_answer_alike(tmp_path: Path) -> None:
    """Ten wrong passwords for a real account and ten for a made-up name: the same
    status and body each time, and the same timing class (the password is hashed in
    both cases), so neither the answers nor their timing tell who has an account."""
    clinic = Clinic(tmp_path / "clinic", f"sqlite:///{tmp_path / 'clinic.db'}", None)
    try:
        seen: dict[str, list[tuple[int, dict[str, Any], float]]] = {"root": [], "nobody": []}
        clients = {name: clinic.http(next_address()) for name in seen}
        for http in clients.values():
            http.get(f"{API}/health")  # connected before timing
        for n in range(10):
            for name, http in clients.items():
                began = time.perf_counter()
                answer = http.post(
                    f"{API}/auth/token", json={"username": name, "password": f"guess {n}"}
                )
                took = time.perf_counter() - began
                seen[name].append((answer.status_code, answer.json(), took))
        for http in clients.values():
            http.close()
        answers = {name: [(s, b) for s, b, _t in tries] for name, tries in seen.items()}
        assert answers["root"] == answers["nobody"]
        assert [s for s, _b in answers["root"]] == [401] * 5 + [429] * 5
        for status in (401, 429):
            medians = [
                statistics.median(t for s, _b, t in seen[name] if s == status) for name in seen
            ]
            assert max(medians) < 3 * min(medians), (status, medians)
    finally:
        clinic.running.stop()
        clinic.service.engine.dispose()


def test_the_session_length_setting_reaches_the_service(tmp_path: Path) -> None:
    """``[staff] session_hours`` in clinic.toml sets the session's end; out of range
    (1-24) it is refused with the file and key named."""
    from kiosk.clinic.config import ClinicConfig
    from kiosk.clinic.setup import open_configured
    from kiosk.site.tomlfile import SettingsError

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    (tmp_path / "passphrase").write_bytes(PASSPHRASE)
    config = tmp_path / "clinic.toml"

    def settings(hours: int) -> ClinicConfig:
        config.write_text(
            f'[clinic]\nfolder = "{folder}"\npassphrase_file = "passphrase"\n'
            f"[staff]\nsession_hours = {hours}\n",
            encoding="utf-8",
        )
        return ClinicConfig.load(config)

    with pytest.raises(SettingsError, match="session_hours"):
        settings(25)
    service = open_configured(settings(2), [FORMS])
    try:
        service.staff.hasher = cheap_hasher()
        service.staff.add("ann", "clinician", PASSWORDS["ann"], "user:setup")
        before = service.clock()
        token = service.staff.login("ann", PASSWORDS["ann"], "127.0.0.1")
        member = service.staff.check(token)
        assert member is not None
        ends_at = service.staff.session_end(member)
        assert ends_at is not None and abs(ends_at - (before + 2 * 3600)) < 60
    finally:
        service.engine.dispose()


def test_sessions_are_forgotten_a_month_after_they_end(tmp_path: Path) -> None:
    """The sessions table does not grow for ever: a user's sessions that ended more than
    30 days ago are forgotten when that user next signs in; recent ones stay."""
    from kiosk.clinic.sessions import SESSIONS_KEPT_S

    clinic = Clinic(tmp_path / "clinic", f"sqlite:///{tmp_path / 'clinic.db'}", cheap_hasher())
    clock = FakeClock()
    clinic.service.clock = clock
    clinic.service.staff.session_hours = 10

    def sessions_of(username: str) -> int:
        with clinic.service.transaction() as db:
            user_id = db.scalar(select(User.id).where(User.username == username))
            return len(
                db.scalars(select(StaffSession).where(StaffSession.user_id == user_id)).all()
            )

    try:
        clinic.sign_in("ann")
        clinic.sign_in("ann")
        clinic.sign_in("root")
        assert (sessions_of("ann"), sessions_of("root")) == (2, 1)
        clock.now += 10 * 3600 + SESSIONS_KEPT_S - 60  # not yet a month past their end
        clinic.sign_in("ann")
        assert sessions_of("ann") == 3
        clock.now += 120
        clinic.sign_in("ann")
        assert (sessions_of("ann"), sessions_of("root")) == (2, 1)  # only ann's, only old
    finally:
        clinic.running.stop()
        clinic.service.engine.dispose()
