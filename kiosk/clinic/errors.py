"""The clinic service's known errors (the tree is drawn in ``kiosk.clinic``'s docstring).

The service raises these; it knows nothing of HTTP. ``code`` is the error code the
HTTP layer sends in a body's ``error`` field (and the audit records as an outcome);
the message is plain words for a person. Only ``kiosk.clinic.api.errors`` turns them
into status codes, in one table.
"""

from __future__ import annotations

from typing import Any

from kiosk.errors import KnownError


class ClinicError(KnownError):
    """Base class of every known error of the clinic service."""

    code = "clinic_error"

    def __init__(
        self, message: str = "", *, code: str | None = None, retry_after: int | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.retry_after = retry_after  # seconds the caller should wait, if it matters


class Refusal(ClinicError):
    """A request the service refuses; ``code`` says why."""

    code = "refused"


# The refusals below share one shape on purpose: each is a name and its wire code.
class Invalid(Refusal):
    """A value the service cannot accept as it is."""

    code = "bad_value"


class NotFound(Refusal):
    """Nothing of that id, or nothing the caller may see."""

    code = "not_found"


class Unauthenticated(Refusal):
    """The caller is not who it says, or not signed in."""

    code = "not_signed_in"


class ReplayRefused(Unauthenticated):
    """A signed request whose nonce was seen before."""

    code = "replayed"

    def __init__(self) -> None:
        super().__init__("This request was sent before.")


class Forbidden(Refusal):
    """The caller is known but may not do this."""

    code = "forbidden"


class StateConflict(Refusal):
    """The request clashes with what is stored (an existing name, a resolved item)."""

    code = "conflict"


class EditConflict(StateConflict):
    """Someone else saved first; ``current`` is what they saved."""

    code = "conflict"

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            "Someone else saved this while you were editing. "
            "Their version is shown; check it, then save again."
        )
        self.current = current


class TooLarge(Refusal):
    """More at once than the service takes."""

    code = "too_large"


class Throttled(Refusal):
    """Too many tries, or too many at once: try again after ``retry_after``."""

    code = "slow_down"


class Unavailable(Refusal):
    """The service cannot do this just now (its database is busy)."""

    code = "busy"
