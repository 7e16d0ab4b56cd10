"""The staff console's client for the clinic service's staff API (docs/staff-api.md).

TLS trusts the clinic's certificate given by file (the clinic's self-signed
``clinic-cert.pem``, or a site CA); without one, the system's trust store. The
HTTPS client is made as the tablet's is (:mod:`kiosk.sync.https`). Routes are
:mod:`kiosk.vocabulary`'s; the calls of staff work (queue, clinic day, casework,
link corrections, keyed-in answers) are in :mod:`kiosk.console.casework_calls`, the
administrators' in :mod:`kiosk.console.admin_calls`.
Known errors carry plain words for staff and never patient data; their tree
(``ConsoleError`` and below) is drawn in ``kiosk.console``.
"""

from __future__ import annotations

import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpx

from kiosk.console.admin_calls import AdministrationCalls
from kiosk.console.casework_calls import CaseworkCalls
from kiosk.errors import KnownError
from kiosk.site.files import atomic_file
from kiosk.sync.https import https_client, site_context, verification_failure
from kiosk.vocabulary import (
    API_PREFIX,
    AUTH_PASSWORD,
    AUTH_REFRESH,
    AUTH_SIGN_OUT,
    AUTH_TOKEN,
)

TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class ConsoleError(KnownError):
    """A known problem, in plain words for staff; ``code``: the clinic's error code."""

    code = ""


class SignInError(ConsoleError):
    pass


class SessionExpired(ConsoleError):
    pass


class WrongPassword(ConsoleError):
    pass


class Forbidden(ConsoleError):
    pass


class PasswordChangeRequired(Forbidden):
    pass


class NotFound(ConsoleError):
    pass


class BadRequest(ConsoleError):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class AnswersRefused(BadRequest):
    """Answers keyed in that the clinic's engine refused: ``problems`` each name their
    ``form`` and ``item`` (null: the form as a whole), with a ``code`` and ``message``."""

    def __init__(self, code: str, message: str, problems: list[dict[str, Any]]) -> None:
        super().__init__(code, message)
        self.problems = problems


class EditConflict(ConsoleError):
    def __init__(self, message: str, current: dict[str, Any]) -> None:
        super().__init__(message)
        self.current = current


class ClinicUnavailable(ConsoleError):
    pass


@dataclass(frozen=True)
class SignedIn:
    """A token answer; ``session_ends_at``: when the session ends however active the user
    is (ISO time); ``must_change_password``: nothing else works until it is changed."""

    username: str
    role: str
    token: str
    expires_in: int
    must_change_password: bool = False
    session_ends_at: str | None = None

    @classmethod
    def from_answer(cls, body: Mapping[str, Any]) -> SignedIn:
        return cls(
            str(body["username"]),
            str(body["role"]),
            str(body["token"]),
            int(body["expires_in"]),
            bool(body.get("must_change_password", False)),
            body.get("session_ends_at"),
        )


class StaffClient(CaseworkCalls, AdministrationCalls):
    """One staff member's connection to the clinic service.

    ``certificate``: a PEM file the clinic's certificate must chain to (the
    clinic's own self-signed certificate works); ``transport`` for tests only.
    """

    def __init__(
        self,
        base_url: str,
        *,
        certificate: Path | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        url = httpx.URL(base_url)
        if url.scheme != "https" or not url.host:
            raise ConsoleError(
                f"The clinic's address must be an https:// address, not {base_url!r}."
            )
        verify: ssl.SSLContext | bool = True
        if certificate is not None:
            try:
                verify = site_context(certificate)
            except (OSError, ssl.SSLError) as exc:
                raise ConsoleError(
                    f"Cannot read the clinic's certificate {certificate}: {exc}"
                ) from None
        self.base_url = str(url)
        self.user: SignedIn | None = None
        self._http = https_client(url, verify=verify, transport=transport, timeout=timeout)

    # ------------------------------------------------------------ lifecycle
    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ signing in
    def sign_in(self, username: str, password: str) -> SignedIn:
        body = self._call("POST", AUTH_TOKEN, {"username": username, "password": password},
                          signing_in=True)  # fmt: skip
        self.user = SignedIn.from_answer(body)
        return self.user

    def refresh(self) -> SignedIn:
        body = self._call("POST", AUTH_REFRESH)
        self.user = SignedIn.from_answer(body)
        return self.user

    def sign_out(self) -> None:
        """End the session at the clinic. The token is forgotten first, so it is gone
        even when the clinic cannot be reached (the clinic ends it at its absolute end)."""
        user, self.user = self.user, None
        if user is not None:
            self._call("POST", AUTH_SIGN_OUT, token=user.token)

    def change_password(self, current: str, new: str) -> SignedIn:
        """Change one's own password; the clinic answers with a fresh token, used from
        now on (the user's other sessions end). ``WrongPassword`` if ``current`` is
        wrong, ``BadRequest`` (``weak_password``) saying why ``new`` is refused."""
        body = self._call("POST", AUTH_PASSWORD, {"current_password": current, "new_password": new})
        self.user = SignedIn.from_answer(body)
        return self.user

    # ------------------------------------------------------------ exports
    def download(self, path: str, params: Mapping[str, Any], out: Path) -> int:
        """Stream an export endpoint's body into ``out`` (written whole or not at all);
        the number of bytes written."""
        if self.user is None:
            raise SessionExpired("Sign in first.")
        headers = {"Authorization": f"Bearer {self.user.token}"}
        written = 0
        try:
            with self._http.stream(
                "GET", API_PREFIX + path, params=dict(params), headers=headers
            ) as response:
                if response.status_code != 200:
                    response.read()
                    _answer(response, False)
                # Mode as the umask allows: the file is the user's to share or move.
                with atomic_file(out, mode=None) as handle:
                    for piece in response.iter_bytes():
                        handle.write(piece)
                        written += len(piece)
        except httpx.TimeoutException:
            raise ClinicUnavailable(
                "The clinic service stopped answering during the export. Nothing was saved."
            ) from None
        except httpx.TransportError as exc:
            raise ClinicUnavailable(
                f"The connection to the clinic service broke during the export ({_why(exc)}). "
                "Nothing was saved."
            ) from None
        return written

    # ------------------------------------------------------------ transport
    def _call(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        *,
        params: Mapping[str, Any] | None = None,
        signing_in: bool = False,
        token: str | None = None,
    ) -> dict[str, Any]:
        headers = {}
        if not signing_in:
            if token is None:
                if self.user is None:
                    raise SessionExpired("Sign in first.")
                token = self.user.token
            headers["Authorization"] = f"Bearer {token}"
        try:
            response = self._http.request(
                method, API_PREFIX + path, json=body, params=params, headers=headers
            )
        except httpx.TimeoutException:
            raise ClinicUnavailable(
                "The clinic service did not answer in time. Check the network and try again."
            ) from None
        except httpx.TransportError as exc:
            raise ClinicUnavailable(
                f"Cannot reach the clinic service ({_why(exc)}). Check the network and try again."
            ) from None
        return _answer(response, signing_in)


def _why(exc: httpx.TransportError) -> str:
    if verification_failure(exc) is not None:
        return "its certificate is not the one this console trusts"
    return type(exc).__name__


def _answer(response: httpx.Response, signing_in: bool) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        body = None
    status = response.status_code
    if status == 204:
        return {}
    if 200 <= status < 300:
        if not isinstance(body, dict):
            raise ClinicUnavailable("The clinic service gave an answer this console cannot read.")
        return body
    error = body if isinstance(body, dict) else {}
    code = str(error.get("error") or status)
    message = str(error.get("message") or f"The clinic service refused the request ({code}).")
    problem = _problem(status, code, message, error, signing_in)
    problem.code = code
    raise problem


def _problem(
    status: int, code: str, message: str, error: Mapping[str, Any], signing_in: bool
) -> ConsoleError:
    if signing_in and status in (401, 429):
        return SignInError(message)
    if status == 401 and code == "bad_password":
        return WrongPassword(message)
    if status == 401:
        return SessionExpired("Your session has ended. Sign in again.")
    if status == 403 and code == "password_change_required":
        return PasswordChangeRequired(message)
    if status == 403:
        return Forbidden(message)
    if status == 404:
        return NotFound(message)
    if status == 422 and isinstance(error.get("problems"), list):
        return AnswersRefused(code, message, [p for p in error["problems"] if isinstance(p, dict)])
    if status == 409 and "current" in error:
        current = error.get("current")
        return EditConflict(message, current if isinstance(current, dict) else {})
    if status >= 500:
        return ClinicUnavailable(
            "The clinic service had a problem (HTTP "
            f"{status}). Nothing was lost; try again in a moment."
        )
    return BadRequest(code, message)
