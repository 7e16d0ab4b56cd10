"""HTTPS to the clinic service: the one way the tablet and the staff console make a client.

Both talk to the same service, so both get the same client: nothing from the
environment (no proxy, netrc or ``SSL_CERT_FILE``) may change who they talk to,
redirects are not followed, and time-outs are set. What each trusts differs on
purpose:

- the tablet trusts nothing but the certificate pinned at enrolment
  (:func:`pinned_context`), and checks the peer's fingerprint as well;
- the staff console trusts the system's store plus the certificate file it is
  given (:func:`site_context`): the clinic's self-signed certificate or a site CA.

Partial-chain verification lets a given certificate anchor trust even when it is a
leaf issued by a site CA rather than self-signed.
"""

from __future__ import annotations

import ssl
from pathlib import Path

import httpx

from kiosk.sync.errors import CertificateMismatchError
from kiosk.sync.signing import certificate_fingerprint


def pinned_context(certificate_pem: str) -> ssl.SSLContext:
    """A client TLS context whose only trust anchor is ``certificate_pem``."""
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
    """The SHA-256 fingerprint of a PEM certificate, as pinned at enrolment."""
    try:
        der = ssl.PEM_cert_to_DER_cert(certificate_pem.strip())
    except ValueError:
        raise CertificateMismatchError(
            "The clinic's certificate is not a PEM certificate."
        ) from None
    return certificate_fingerprint(der)


def site_context(certificate: Path) -> ssl.SSLContext:
    """The system's trust store plus the certificate file ``certificate``.

    ``OSError`` or ``ssl.SSLError`` if the file cannot be read as a certificate."""
    context = ssl.create_default_context(cafile=None)
    context.verify_flags |= ssl.VERIFY_X509_PARTIAL_CHAIN
    context.load_verify_locations(cafile=str(certificate))
    return context


def https_client(
    base_url: httpx.URL,
    *,
    verify: ssl.SSLContext | bool,
    transport: httpx.BaseTransport | None,
    timeout: httpx.Timeout,
) -> httpx.Client:
    """A client for the clinic at ``base_url``; ``transport`` replaces the network in tests."""
    # trust_env off: no proxy, netrc or SSL_CERT_FILE from the environment may
    # change who the client talks to.
    return httpx.Client(
        base_url=base_url,
        verify=verify,
        transport=transport,
        timeout=timeout,
        trust_env=False,
        follow_redirects=False,
    )


def verification_failure(exc: BaseException) -> str | None:
    """The certificate check's complaint, if that is why the connection failed."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return str(current.verify_message or current.reason or "verification failed")
        current = current.__cause__ or current.__context__
    return None
