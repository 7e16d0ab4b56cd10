"""Known errors of sealing and opening.

EnvelopeError
├── WrongKeyError        the clinic key cannot open this data key
├── TamperedError        a record failed authentication (names which)
└── MalformedEnvelope    the envelope is not in the expected format
"""

from __future__ import annotations


class EnvelopeError(Exception):
    """Base class for known errors of sealing and opening."""


class WrongKeyError(EnvelopeError):
    """The clinic key given cannot open this submission's data key."""


class TamperedError(EnvelopeError):
    """A sealed record failed authentication: it was altered, moved or truncated."""


class MalformedEnvelope(EnvelopeError):
    """The envelope bytes are not a submission envelope of a known format."""
