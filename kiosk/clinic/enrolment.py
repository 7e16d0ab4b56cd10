"""Enrolling tablets: one-time codes, the enrolment itself (proof of the code over the
clinic's certificate), and revoking a tablet.

A refused enrolment is audited apart from its transaction, so that a flood of
guesses is coalesced (kiosk.clinic.audit_flood).
"""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from kiosk.clinic.errors import Forbidden, Invalid
from kiosk.clinic.models import Device, EnrolmentCode
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.clinic.tablet_config import TabletConfig
from kiosk.exchange.device_keys import device_id_of, parse_public_key_text
from kiosk.exchange.errors import DeviceKeyTextError
from kiosk.sync.signing import enrolment_answer, enrolment_proof

CODE_TTL_S = 15 * 60
_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read aloud and typed


class Enrolment:
    """Enrolment codes, tablets enrolled with them, and revoking a tablet."""

    def __init__(self, plumbing: Plumbing, config: TabletConfig) -> None:
        self.plumbing = plumbing
        self.config = config

    def issue_code(self, actor: str, ttl_s: int = CODE_TTL_S) -> str:
        """A one-time enrolment code ``CODEID-SECRET``; only its secret is kept, encrypted."""
        code_id = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(4))
        secret = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
        with self.plumbing.transaction() as db:
            db.add(
                EnrolmentCode(
                    code_id=code_id,
                    secret=self.plumbing.secrets.seal(secret, f"enrolment_codes/{code_id}"),
                    created_at=now_text(),
                    expires_at=self.plumbing.clock() + ttl_s,
                )
            )
            self.plumbing.audit(db, actor, "enrolment_code_issued", "ok", target=code_id)
        return f"{code_id}-{secret}"

    def enrol(
        self, code_id: str, device_key: str, name: str, proof: str, remote: str | None
    ) -> dict[str, Any]:
        """Enrol the tablet holding ``device_key``: what it needs to talk to the clinic."""
        plumbing = self.plumbing
        try:
            public = parse_public_key_text(device_key)
        except DeviceKeyTextError:
            raise Invalid(
                "device_key is not an ed25519 public key", code="bad_device_key"
            ) from None
        device_id = device_id_of(public)
        fingerprint = plumbing.fingerprint
        with plumbing.transaction() as db:
            code = db.get(EnrolmentCode, code_id.upper())
            refusal: Forbidden | None = None
            secret = ""
            if code is None:
                refusal = Forbidden("There is no such enrolment code.", code="unknown_code")
            else:
                secret = str(plumbing.secrets.open(code.secret, f"enrolment_codes/{code.code_id}"))
                expected = enrolment_proof(secret, device_key, fingerprint)
                if code.used_at is not None:
                    refusal = Forbidden("This enrolment code has been used.", code="used_code")
                elif code.expires_at < plumbing.clock():
                    refusal = Forbidden(
                        "This enrolment code has expired. Ask for a new one.", code="expired_code"
                    )
                elif not hmac.compare_digest(expected, proof):
                    refusal = Forbidden(
                        "The enrolment code is wrong, or something between the tablet and "
                        "the clinic shows a different certificate.",
                        code="wrong_proof",
                    )
            if refusal is None:
                assert code is not None
                code.used_at, code.used_by = now_text(), device_id
                existing = db.get(Device, device_id)
                if existing is not None:
                    db.delete(existing)
                    db.flush()
                db.add(
                    Device(
                        id=device_id,
                        public_key=device_key,
                        name=name[:80] or device_id,
                        enrolled_at=now_text(),
                    )
                )
                plumbing.audit(
                    db, f"device:{device_id}", "enrol", "ok", target=code_id, remote=remote
                )
        if refusal is not None:  # audited apart, so that a flood of guesses is coalesced
            plumbing.audit_now("anonymous", "enrol", refusal.code, target=code_id, remote=remote)
            raise refusal
        return {
            "device_id": device_id,
            "certificate_fingerprint": fingerprint,
            "answer": enrolment_answer(secret, device_id, fingerprint),
            "clinic_keys": plumbing.keyring.public_texts(),
            "config": self.config.current(),
        }

    def revoke(self, device_id: str, actor: str) -> bool:
        """Revoke an enrolled tablet; False if there is no such tablet still enrolled."""
        with self.plumbing.transaction() as db:
            device = db.get(Device, device_id)
            if device is None or device.revoked_at is not None:
                self.plumbing.audit(db, actor, "revoke_device", "not_found", target=device_id)
                return False
            device.revoked_at = now_text()
            self.plumbing.audit(db, actor, "revoke_device", "ok", target=device_id)
        return True
