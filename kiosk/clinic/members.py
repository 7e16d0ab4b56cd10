"""A signed-in member of staff as every part of the service sees them: username,
role, the clinics they may see, and the session their token names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StaffMember:
    username: str
    role: str
    # The clinics (names as in the clinic list) this member may see; None: every clinic.
    clinics: tuple[str, ...] | None = None
    # The server-side session the token names and the serial it carried (None: a
    # member not yet signed in; ``issue`` starts a session for them).
    session: str | None = None
    serial: int = 0
    must_change_password: bool = False

    @property
    def actor(self) -> str:
        return f"user:{self.username}"
