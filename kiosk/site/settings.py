"""Tablet settings that do not yet have a configuration file, read from the environment.

``KIOSK_OUTBOX_RETENTION_DAYS``: how long the tablet keeps a submission's
ciphertext after the clinic has acknowledged it (default 0: delete at once).
A value that is not a whole number from 0 to 365 is refused loudly.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

MAX_RETENTION_DAYS = 365


class SettingsError(ValueError):
    """A setting has a value the product cannot use."""


@dataclass(frozen=True)
class TabletSettings:
    outbox_retention_days: int = 0

    @classmethod
    def from_environment(cls) -> TabletSettings:
        raw = os.environ.get("KIOSK_OUTBOX_RETENTION_DAYS", "0").strip()
        if not raw.isdigit() or int(raw) > MAX_RETENTION_DAYS:
            raise SettingsError(
                f"KIOSK_OUTBOX_RETENTION_DAYS must be a whole number of days from 0 to "
                f"{MAX_RETENTION_DAYS}, not {raw!r}"
            )
        return cls(outbox_retention_days=int(raw))
