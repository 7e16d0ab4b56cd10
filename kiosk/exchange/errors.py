"""Known errors of the formats exchanged between tablet and clinic (tree in the package)."""

from __future__ import annotations

from kiosk.errors import KnownError


class ExchangeError(KnownError):
    """Base class for known errors of the exchanged formats."""


class ClinicListError(ExchangeError):
    """A clinic list that cannot be read or used; the message says where and why."""


class DeviceKeyTextError(ExchangeError):
    """Text that is not a device public key as :func:`device_keys.public_key_text` writes it."""


class Hl7Error(ExchangeError):
    """An HL7 v2 message the clinic cannot apply. ``location`` names the segment and
    field (``"PID-7"``) when one is to blame; ``code`` is the acknowledgement it earns:
    ``AE`` (its content is wrong) or ``AR`` (the clinic does not take such a message).
    The message never quotes a patient's details (it goes back to the sender and to logs)."""

    def __init__(self, message: str, *, location: str | None = None, code: str = "AE") -> None:
        super().__init__(message)
        self.location = location
        self.code = code


class MllpFrameError(ExchangeError):
    """Bytes on an MLLP connection that are not a frame the clinic takes (too long)."""


class FhirBundleError(ExchangeError):
    """A FHIR Bundle of appointments that cannot be read; the message names the entry and field."""
