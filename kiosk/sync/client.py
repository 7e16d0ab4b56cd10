"""The tablet's client for the clinic service's HTTP API (docs/sync-protocol.md).

Every request after enrolment is signed with the device key
(:mod:`kiosk.sync.signing`). TLS trusts nothing but the certificate pinned at
enrolment: it is the only CA the connection accepts, the host name is checked
against it, and once the handshake is done the peer certificate's fingerprint
must be the pinned one, before a byte of the request is sent.

Known errors carry plain messages and never patient data::

    SyncError
    ├── NotEnrolledError          the clinic does not know this tablet, or revoked it
    ├── ClinicUnreachableError    no usable answer: refused, timed out, reset, 5xx
    ├── CertificateMismatchError  the other end is not the clinic the tablet pinned
    ├── ProtocolError             an answer not in the shape the protocol promises
    ├── ClinicRefusedError        the clinic refused the request; ``code`` says why
    ├── EnrolmentError            enrolment cannot go ahead (bad code, already enrolled…)
    └── config.ConfigError        a configuration from the clinic the tablet will not apply
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

import httpx

from kiosk.store.identity import DeviceIdentity
from kiosk.sync.signing import (
    HEADER_SERVER_TIME,
    SignedHeaders,
    canonical_request,
    certificate_fingerprint,
    new_nonce,
)

log = logging.getLogger(__name__)

ENROL_PATH = "/api/v1/enrol"
CONFIG_PATH = "/api/v1/tablet/config"
SUBMISSIONS_PATH = "/api/v1/submissions"
MAX_BATCH = 50
MAX_BODY_BYTES = 8 * 1024 * 1024
TIMEOUT = httpx.Timeout(30.0, connect=10.0)

_ENROL_REFUSALS = {
    "unknown_code": "The clinic does not know this enrolment code. Check it, or ask for a new one.",
    "expired_code": "This enrolment code has expired (codes last 15 minutes). Ask for a new one.",
    "used_code": "This enrolment code has already been used. Ask for a new one.",
    "wrong_proof": (
        "The clinic did not accept the enrolment code. Check that it was typed exactly; if it "
        "was, something between this tablet and the clinic may be intercepting the connection: "
        "ask IT to check the network before trying again."
    ),
}


class SyncError(Exception):
    """Base class for known sync errors; the message is plain words for staff."""


class NotEnrolledError(SyncError):
    def __init__(self) -> None:
        super().__init__("This tablet is not enrolled")


class ClinicUnreachableError(SyncError):
    pass


class CertificateMismatchError(SyncError):
    pass


class ProtocolError(SyncError):
    pass


class ClinicRefusedError(SyncError):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class EnrolmentError(SyncError):
    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------- answers


@dataclass(frozen=True)
class Result:
    """The clinic's verdict on one submission: 201/200 with a receipt, 409 without;
    422 with a receipt when the clinic holds this envelope for review (``held``: why),
    without one when it kept nothing (or is older than held receipts)."""

    id: str
    status: int
    receipt: str | None
    held: str | None = None


@dataclass(frozen=True)
class ClinicListText:
    day: dt.date
    csv: str = field(repr=False)  # names, dates of birth, NHS numbers


@dataclass(frozen=True)
class Config:
    """``GET /api/v1/tablet/config`` as received; applied by :mod:`kiosk.sync.config`."""

    version: str
    clinic_keys: tuple[str, ...]
    pathways: str = field(repr=False)
    forms: Mapping[str, str] = field(repr=False)
    clinic_list: ClinicListText | None
    etag: str | None = None

    @property
    def tag(self) -> str:
        """What to send back in ``If-None-Match``: the ETag as received, else the version."""
        return self.etag or self.version


_STATUSES = frozenset({200, 201, 409, 422})


def parse_results(data: Any, ids: Sequence[str]) -> list[Result]:
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or len(results) != len(ids):
        raise ProtocolError("The clinic's answer does not give one result per submission sent.")
    parsed = []
    for sent, result in zip(ids, results, strict=True):
        if not isinstance(result, dict) or result.get("id") != sent:
            raise ProtocolError("The clinic's results are not for the submissions sent, in order.")
        status, receipt = result.get("status"), result.get("receipt")
        if type(status) is not int or status not in _STATUSES:
            raise ProtocolError(f"The clinic gave submission {sent} an unknown status.")
        held = None
        if status in (200, 201):
            if not isinstance(receipt, str) or not receipt.startswith("sha256:"):
                raise ProtocolError(f"The clinic stored submission {sent} but gave no receipt.")
        elif status == 422 and isinstance(receipt, str) and receipt.startswith("sha256:"):
            why = result.get("held")
            held = why[:40] if isinstance(why, str) else "held"
        else:
            receipt = None
        parsed.append(Result(sent, status, receipt, held))
    return parsed


def parse_config(data: Any, etag: str | None) -> Config:
    if not isinstance(data, dict):
        raise ProtocolError("The clinic's configuration is not a JSON object.")
    version, keys = data.get("version"), data.get("clinic_keys")
    pathways, forms = data.get("pathways"), data.get("forms")
    if not isinstance(version, str) or not version:
        raise ProtocolError("The clinic's configuration has no version.")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise ProtocolError("The clinic's configuration lists no clinic keys.")
    if not isinstance(pathways, str):
        raise ProtocolError("The clinic's configuration has no pathways.")
    if not isinstance(forms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in forms.items()
    ):
        raise ProtocolError("The clinic's configuration's forms are not file names and texts.")
    return Config(
        version=version,
        clinic_keys=tuple(keys),
        pathways=pathways,
        forms=dict(forms),
        clinic_list=_clinic_list(data.get("clinic_list")),
        etag=etag or None,
    )


def _clinic_list(value: Any) -> ClinicListText | None:
    if value is None:
        return None
    day = value.get("day") if isinstance(value, dict) else None
    text = value.get("csv") if isinstance(value, dict) else None
    if not isinstance(day, str) or not isinstance(text, str):
        raise ProtocolError("The clinic list in the configuration has no day or no CSV.")
    try:
        return ClinicListText(dt.date.fromisoformat(day), text)
    except ValueError:
        raise ProtocolError("The clinic list's day is not a date (YYYY-MM-DD).") from None


# ---------------------------------------------------------------- the client


def pinned_context(certificate_pem: str) -> ssl.SSLContext:
    """A client TLS context whose only trust anchor is ``certificate_pem``.

    Partial-chain lets the pinned certificate anchor trust even when it is a
    leaf issued by a site CA rather than self-signed."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # hostname check and CERT_REQUIRED on
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    try:
        context.load_verify_locations(cadata=certificate_pem)
    except (ssl.SSLError, ValueError):
        raise CertificateMismatchError(
            "The clinic certificate saved at enrolment cannot be read. Enrol the tablet again."
        ) from None
    return context


def pem_fingerprint(certificate_pem: str) -> str:
    try:
        der = ssl.PEM_cert_to_DER_cert(certificate_pem.strip())
    except ValueError:
        raise CertificateMismatchError(
            "The clinic's certificate is not a PEM certificate."
        ) from None
    return certificate_fingerprint(der)


class ClinicClient:
    """Signed requests to one clinic. Give ``certificate`` (the pinned PEM) in use,
    or ``transport`` in tests; never both."""

    def __init__(
        self,
        base_url: str,
        identity: DeviceIdentity,
        *,
        certificate: str | None = None,
        transport: httpx.BaseTransport | None = None,
        clock: Callable[[], float] = time.time,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        if (certificate is None) == (transport is None):
            raise ValueError("give either the pinned certificate or a transport")
        url = httpx.URL(base_url)
        if url.scheme != "https" or not url.host:
            raise ValueError(f"the clinic's address must be an https:// URL, not {base_url!r}")
        self.identity = identity
        self.clock = clock
        self.clock_offset = 0.0
        self._host = url.host
        self._pinned: str | None = None
        if certificate is not None:
            self._pinned = pem_fingerprint(certificate)
            verify: ssl.SSLContext | bool = pinned_context(certificate)
        else:
            verify = True  # unused: the transport decides
        # trust_env off: no proxy, netrc or SSL_CERT_FILE from the environment may
        # change who the tablet talks to.
        self._http = httpx.Client(
            base_url=url,
            verify=verify,
            transport=transport,
            timeout=timeout,
            trust_env=False,
            follow_redirects=False,
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    # ------------------------------------------------------------ API

    def upload(self, batch: Sequence[tuple[str, bytes]]) -> list[Result]:
        """Send up to ``MAX_BATCH`` (id, envelope) pairs; one Result each, in order."""
        if not batch:
            return []
        if len(batch) > MAX_BATCH:
            raise ValueError(f"at most {MAX_BATCH} submissions per request")
        body = _json_bytes(
            {
                "submissions": [
                    {"id": sid, "envelope": base64.b64encode(envelope).decode("ascii")}
                    for sid, envelope in batch
                ]
            }
        )
        response = self._send("POST", SUBMISSIONS_PATH, body)
        self._check(response, 200)
        return parse_results(self._json(response), [sid for sid, _ in batch])

    def config(self, etag: str | None = None) -> Config | None:
        """The clinic's configuration, or None if it is still ``etag``."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", CONFIG_PATH, None, headers)
        if response.status_code == 304:
            return None
        self._check(response, 200)
        return parse_config(self._json(response), response.headers.get("ETag"))

    def enrol(self, code_id: str, name: str, proof: str) -> dict[str, Any]:
        """The unsigned enrolment request; the clinic's answer, unchecked (see enrol.py)."""
        body = _json_bytes(
            {
                "code_id": code_id,
                "device_key": self.identity.public_key_text(),
                "name": name,
                "proof": proof,
            }
        )
        response = self._send("POST", ENROL_PATH, body, signed=False)
        if response.status_code == 403:
            code = _error_code(response)
            if code in _ENROL_REFUSALS:
                raise EnrolmentError(_ENROL_REFUSALS[code], code)
        self._check(response, 201)
        answer = self._json(response)
        if not isinstance(answer, dict):
            raise ProtocolError("The clinic's answer to enrolment is not a JSON object.")
        return answer

    # ------------------------------------------------------------ plumbing

    def _send(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: Mapping[str, str] | None = None,
        *,
        signed: bool = True,
    ) -> httpx.Response:
        all_headers = dict(headers or {})
        if body is not None:
            all_headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            request = self._http.build_request(
                method, path, content=body, headers=all_headers, extensions=self._extensions()
            )
            if signed:
                request.headers.update(self._signature(request, body or b""))
            response = self._transmit(request)
            if signed and attempt == 1 and _is_clock_skew(response):
                self._correct_clock(response)
                continue
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _signature(self, request: httpx.Request, body: bytes) -> dict[str, str]:
        timestamp = int(self.clock() + self.clock_offset)
        nonce = new_nonce()
        path = request.url.raw_path.decode("ascii")
        message = canonical_request(request.method, path, body, timestamp, nonce)
        signed = SignedHeaders(
            self.identity.device_id, timestamp, nonce, self.identity.sign(message)
        )
        return signed.as_dict()

    def _correct_clock(self, response: httpx.Response) -> None:
        try:
            server_time = float(response.headers[HEADER_SERVER_TIME])
        except (KeyError, ValueError):
            raise ProtocolError(
                f"The clinic says this tablet's clock is wrong but not what time it is "
                f"(no usable {HEADER_SERVER_TIME} header)."
            ) from None
        self.clock_offset = server_time - self.clock()
        log.info("clock corrected: offset %+.0f s from the clinic's clock", self.clock_offset)

    def _extensions(self) -> dict[str, Any]:
        return {} if self._pinned is None else {"trace": self._check_peer}

    def _check_peer(self, event: str, info: Mapping[str, Any]) -> None:
        # httpcore reports each new TLS connection here, before the request is
        # written: the last chance to hang up on a certificate that chains to the
        # pinned one (a site CA) but is not it.
        if event != "connection.start_tls.complete":
            return
        stream = info["return_value"]
        ssl_object = stream.get_extra_info("ssl_object")
        der = None if ssl_object is None else ssl_object.getpeercert(True)
        if der is None or certificate_fingerprint(der) != self._pinned:
            stream.close()
            raise CertificateMismatchError(_mismatch("it is not the certificate pinned"))

    def _transmit(self, request: httpx.Request) -> httpx.Response:
        try:
            return self._http.send(request)
        except httpx.TimeoutException:
            raise ClinicUnreachableError(
                f"The clinic at {self._host} did not answer in time. Sync will try again."
            ) from None
        except httpx.TransportError as exc:
            failure = _verification_failure(exc)
            if failure is not None:
                raise CertificateMismatchError(_mismatch(failure)) from None
            raise ClinicUnreachableError(
                f"Cannot reach the clinic at {self._host} ({type(exc).__name__}). "
                "Sync will try again."
            ) from None

    def _check(self, response: httpx.Response, expected: int) -> None:
        status = response.status_code
        if status == expected:
            return
        code = _error_code(response)
        if status == 403 and code == "not_enrolled":
            raise NotEnrolledError()
        if status >= 500 or status == 429:
            raise ClinicUnreachableError(
                f"The clinic service is not working properly (HTTP {status}). Sync will try again."
            )
        if status in (401, 403, 413, 422):
            detail = _error_message(response)
            raise ClinicRefusedError(
                status,
                code or "refused",
                f"The clinic refused the request ({code or status})"
                + (f": {detail}" if detail else "."),
            )
        raise ProtocolError(
            f"The clinic answered HTTP {status}, which this tablet does not expect."
        )

    @staticmethod
    def _json(response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise ProtocolError("The clinic's answer is not JSON.") from None


def _json_bytes(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode("utf-8")


def _error_body(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _error_code(response: httpx.Response) -> str | None:
    code = _error_body(response).get("error")
    return code if isinstance(code, str) else None


def _error_message(response: httpx.Response) -> str:
    message = _error_body(response).get("message")
    return message[:200] if isinstance(message, str) else ""


def _is_clock_skew(response: httpx.Response) -> bool:
    return response.status_code == 401 and _error_code(response) == "clock_skew"


def _verification_failure(exc: BaseException) -> str | None:
    """The certificate check's complaint, if that is why the connection failed."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return str(current.verify_message or current.reason or "verification failed")
        current = current.__cause__ or current.__context__
    return None


def _mismatch(why: str) -> str:
    return (
        f"The clinic's certificate is not the one this tablet trusts ({why}). Someone may be "
        "intercepting the connection, or the clinic's certificate was replaced: ask IT. "
        "Nothing was sent."
    )
