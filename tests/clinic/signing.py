"""Helpers for tests that talk to a running clinic as a tablet or as anyone at all:
the four signed-request headers over the exact bytes sent, and a client whose
connections come from a chosen loopback address (so each request's audit row can be
told apart by its remote address, and no two requests share a rate-limit window)."""

from __future__ import annotations

import itertools
import ssl
import time
from pathlib import Path

import httpx

from kiosk.store import DeviceIdentity
from kiosk.sync.signing import SignedHeaders, canonical_request, new_nonce

_ADDRESSES = (f"127.0.{a}.{b}" for a, b in itertools.product(range(1, 255), range(1, 255)))


def next_address() -> str:
    """A loopback address no earlier request in this test process came from."""
    return next(_ADDRESSES)


def signed_headers(
    identity: DeviceIdentity, method: str, path: str, body: bytes = b""
) -> dict[str, str]:
    """The headers that sign ``METHOD path body`` (``path`` with its query string)."""
    timestamp, nonce = int(time.time()), new_nonce()
    signature = identity.sign(canonical_request(method, path, body, timestamp, nonce))
    return SignedHeaders(identity.device_id, timestamp, nonce, signature).as_dict()


def client_from(url: str, certificate: Path, address: str | None = None) -> httpx.Client:
    """An HTTPS client of the clinic at ``url`` whose connections start at ``address``."""
    context = ssl.create_default_context(cafile=str(certificate))
    transport = httpx.HTTPTransport(verify=context, local_address=address)
    return httpx.Client(base_url=url, transport=transport, timeout=30)
