"""The tablet's client for the clinic service's HTTP API (docs/sync-protocol.md).

Every request after enrolment is signed with the device key
(:mod:`kiosk.sync.signing`). TLS trusts nothing but the certificate pinned at
enrolment (:mod:`kiosk.sync.https`): it is the only CA the connection accepts,
the host name is checked against it, and once the handshake is done the peer
certificate's fingerprint must be the pinned one, before a byte of the request
is sent. The clinic's answers are checked by :mod:`kiosk.sync.wire`; every
failure is a :class:`~kiosk.sync.errors.SyncError` in plain words.
"""

from __future__ import annotations

import base64
import json
import logging
import ssl
import time
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self

import httpx

from kiosk.store.identity import DeviceIdentity
from kiosk.sync.errors import (
    CertificateMismatchError,
    ClinicRefusedError,
    ClinicUnreachableError,
    EnrolmentError,
    NotEnrolledError,
    ProtocolError,
)
from kiosk.sync.https import https_client, pem_fingerprint, pinned_context, verification_failure
from kiosk.sync.signing import (
    HEADER_CONFIG_ETAG,
    HEADER_SERVER_TIME,
    SignedHeaders,
    canonical_request,
    certificate_fingerprint,
    new_nonce,
)
from kiosk.sync.wire import (
    CONFIG_PATH,
    ENROL_PATH,
    PROGRESS_PATH,
    SUBMISSIONS_PATH,
    Config,
    Result,
    parse_config,
    parse_progress,
    parse_results,
)
from kiosk.vocabulary import MAX_BATCH

log = logging.getLogger(__name__)

TIMEOUT = httpx.Timeout(30.0, connect=10.0)
# How long the configuration ETag on a batch's answer stands for the configuration: a
# pass asks for the configuration right after its last batch; a pass that stopped
# half-way leaves an announcement the next pass, much later, must not rely on.
ANNOUNCEMENT_FRESH_S = 10.0

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
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if (certificate is None) == (transport is None):
            raise ValueError("give either the pinned certificate or a transport")
        url = httpx.URL(base_url)
        if url.scheme != "https" or not url.host:
            raise ValueError(f"the clinic's address must be an https:// URL, not {base_url!r}")
        self.identity = identity
        self.clock = clock
        self.clock_offset = 0.0
        self.monotonic = monotonic
        self._host = url.host
        self._pinned: str | None = None
        if certificate is not None:
            self._pinned = pem_fingerprint(certificate)
            verify: ssl.SSLContext | bool = pinned_context(certificate)
        else:
            verify = True  # unused: the transport decides
        self._http = https_client(url, verify=verify, transport=transport, timeout=timeout)
        # The configuration ETag the clinic's last answer to a batch gave, and when
        # (``monotonic``): used once, by a config() soon after, then asked for again.
        self._announced: tuple[str, float] | None = None

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
        results = parse_results(self._json(response), [sid for sid, _ in batch])
        tag = response.headers.get(HEADER_CONFIG_ETAG)
        self._announced = None if tag is None else (tag, self.monotonic())
        return results

    def config(self, etag: str | None = None) -> Config | None:
        """The clinic's configuration, or None if it is still ``etag``.

        If the clinic's answer to the last batch, sent since the previous call and at
        most ``ANNOUNCEMENT_FRESH_S`` ago (the same sync pass), said its configuration is
        ``etag``, that answer is the clinic's word on it and no request is made."""
        announced, self._announced = self._announced, None
        if (
            etag
            and announced is not None
            and self.monotonic() - announced[1] <= ANNOUNCEMENT_FRESH_S
            and announced[0].strip('"') == etag.strip('"')
        ):
            return None
        headers = {"If-None-Match": etag} if etag else {}
        response = self._send("GET", CONFIG_PATH, None, headers)
        if response.status_code == 304:
            return None
        self._check(response, 200)
        return parse_config(self._json(response), response.headers.get("ETag"))

    def progress(self, appointment_id: str, stage: str) -> str:
        """Tell the clinic how far the patient of one of today's appointments has got
        (kiosk.vocabulary.TABLET_STAGES); the stage it now keeps."""
        body = _json_bytes({"appointment_id": appointment_id, "stage": stage})
        response = self._send("POST", PROGRESS_PATH, body)
        self._check(response, 200)
        return parse_progress(self._json(response))

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
            failure = verification_failure(exc)
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


def _mismatch(why: str) -> str:
    return (
        f"The clinic's certificate is not the one this tablet trusts ({why}). Someone may be "
        "intercepting the connection, or the clinic's certificate was replaced: ask IT. "
        "Nothing was sent."
    )
