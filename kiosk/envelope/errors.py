"""Known errors of sealing and opening (the tree is drawn in ``kiosk.envelope``)."""

from __future__ import annotations

from kiosk.errors import KnownError


class EnvelopeError(KnownError):
    """Base class for known errors of sealing and opening."""


class WrongKeyError(EnvelopeError):
    """The clinic key given cannot open this submission's data key."""


class TamperedError(EnvelopeError):
    """A sealed record failed authentication: it was altered, moved or truncated."""


class MalformedEnvelope(EnvelopeError):
    """The envelope bytes are not a submission envelope of a known format."""
