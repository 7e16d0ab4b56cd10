"""Known errors of sync: plain messages for staff, never patient data.

::

    kiosk.errors.KnownError
    └── SyncError
        ├── NotEnrolledError          the clinic does not know this tablet, or revoked it
        ├── ClinicUnreachableError    no usable answer: refused, timed out, reset, 5xx
        ├── CertificateMismatchError  the other end is not the clinic the tablet pinned
        ├── ProtocolError             an answer not in the shape the protocol promises
        ├── ClinicRefusedError        the clinic refused the request; ``code`` says why
        ├── EnrolmentError            enrolment cannot go ahead (bad code, already enrolled…)
        ├── ConfigError               a configuration from the clinic the tablet will not apply
        └── NotSentError              a batch queued behind one that failed was not sent
"""

from __future__ import annotations

from kiosk.errors import KnownError


class SyncError(KnownError):
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


class ConfigError(SyncError):
    """A configuration the tablet will not apply. ``reason`` is a short code for logs."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class NotSentError(SyncError):
    """A batch queued behind one that failed: it was not sent (it waits in the outbox)."""
