"""Tablet request authentication: a signed request is from an enrolled tablet, signed
over its exact method, path, body, time and nonce, within the clock window, and sent
once (docs/sync-protocol.md). Every refusal is audited; refusals naming a device
nobody enrolled are coalesced like every anonymous one.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from kiosk.clinic.errors import Forbidden, Refusal, ReplayRefused, Unauthenticated
from kiosk.clinic.models import Device, Nonce
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.exchange.device_keys import parse_public_key_text, verify_signature
from kiosk.sync.signing import CLOCK_WINDOW_S, SignedHeaders, canonical_request

log = logging.getLogger(__name__)
FORGET_NONCES_EVERY_S = 60


class SignedRequests:
    """Checks tablets' signed requests; remembers each nonce until it is too old to matter."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing
        self._nonces_forgotten_at = float("-inf")  # the first signed request prunes

    def authenticate(
        self,
        method: str,
        path: str,
        body: bytes,
        headers: Mapping[str, str],
        remote: str | None,
    ) -> str:
        """The device id of a correctly signed request; Unauthenticated or Forbidden
        otherwise, audited."""
        plumbing = self.plumbing
        try:
            signed = SignedHeaders.parse(headers)
        except ValueError as exc:
            plumbing.audit_now(
                "anonymous", "signed_request", "unsigned", target=path, remote=remote
            )
            raise Unauthenticated(str(exc), code="unsigned") from None
        actor = f"device:{signed.device_id}"
        refusal: Refusal | None = None
        unknown = False  # a device id nobody enrolled: anyone can make one up
        try:
            with plumbing.transaction() as db:
                device = db.get(Device, signed.device_id)
                unknown = device is None
                if device is None or device.revoked_at is not None:
                    refusal = Forbidden("This tablet is not enrolled.", code="not_enrolled")
                elif not verify_signature(
                    parse_public_key_text(device.public_key),
                    signed.signature,
                    canonical_request(method, path, body, signed.timestamp, signed.nonce),
                ):
                    refusal = Unauthenticated(
                        "The request's signature is wrong.", code="bad_signature"
                    )
                elif abs(signed.timestamp - plumbing.clock()) > CLOCK_WINDOW_S:
                    refusal = Unauthenticated(
                        "The tablet's clock is too far from the clinic's.", code="clock_skew"
                    )
                elif db.get(Nonce, (signed.device_id, signed.nonce)) is not None:
                    refusal = ReplayRefused()
                if refusal is not None and not unknown:
                    plumbing.audit(
                        db, actor, "signed_request", refusal.code, target=path, remote=remote
                    )
                elif refusal is None:
                    assert device is not None
                    db.add(
                        Nonce(
                            device_id=signed.device_id,
                            nonce=signed.nonce,
                            seen_at=plumbing.clock(),
                        )
                    )
                    device.last_seen_at = now_text()
                    db.flush()
        except IntegrityError:
            # The same nonce reached another connection (or service process) at the same
            # moment: the table's key lets only one of them in; this one is a replay.
            refusal = ReplayRefused()
            plumbing.audit_now(actor, "signed_request", refusal.code, target=path, remote=remote)
        if refusal is not None and unknown:  # coalesced like every anonymous refusal
            plumbing.audit_now(
                "anonymous", "signed_request", refusal.code, target=path, remote=remote
            )
        if refusal is not None:
            raise refusal
        if plumbing.clock() - self._nonces_forgotten_at >= FORGET_NONCES_EVERY_S:
            self.forget_old_nonces()
        return signed.device_id

    def forget_old_nonces(self) -> int:
        """Forget nonces older than twice the clock window: a request that old is refused
        for its timestamp, so its nonce is no longer needed to refuse a replay. Runs at
        service start and at most once a minute from ``authenticate``; returns how many
        were forgotten. A failure is logged, never the reason a request fails."""
        now = self.plumbing.clock()
        self._nonces_forgotten_at = now
        try:
            with self.plumbing.transaction() as db:
                forgotten = db.execute(
                    delete(Nonce).where(Nonce.seen_at < now - 2 * CLOCK_WINDOW_S)
                )
        except SQLAlchemyError as exc:
            log.warning("old nonces could not be forgotten this time (%s)", type(exc).__name__)
            return 0
        return int(getattr(forgotten, "rowcount", 0) or 0)
