"""The tablet's settings: ``tablet.toml`` in the data folder, every key optional.

::

    [kiosk]
    pathway = "cardiology"      # the clinic's pathway of forms
    link = "self_check_in"      # reception | self_check_in | anonymous
    idle_seconds = 60           # no touch for this long: "Are you still there?"
    warning_seconds = 30        # then the session ends and the screen resets
    draft_translations = false  # offer languages whose translation is still a draft

    [store]
    outbox_retention_days = 0   # keep acknowledged ciphertext this many days

    [check_in]
    misses_per_hour = 10        # failed self check-ins the tablet allows in any hour
    misses_per_day = 30         # ... and in any 24 hours; then "Please see reception"

``KIOSK_OUTBOX_RETENTION_DAYS`` in the environment overrides
``[store] outbox_retention_days``. A missing file means every default; an
unknown key, a wrong type or a value out of range is refused with a message
naming the file and the key. docs/configuration.md documents every key (a test
keeps the two in step).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from kiosk.site.tomlfile import SettingsError, read_sections, switch, text, whole_number
from kiosk.vocabulary import LINK_MODES, SELF_CHECK_IN

__all__ = [
    "LINK_MODES",
    "MISSES_PER_DAY",
    "MISSES_PER_HOUR",
    "SETTINGS_FILE",
    "SettingsError",
    "TabletSettings",
]

SETTINGS_FILE = "tablet.toml"
MAX_RETENTION_DAYS = 365
MISSES_PER_HOUR = 10  # failed self check-ins per tablet (kiosk.journey.linking)
MISSES_PER_DAY = 30


@dataclass(frozen=True)
class TabletSettings:
    pathway: str = "cardiology"
    link: str = SELF_CHECK_IN
    idle_seconds: int = 60
    warning_seconds: int = 30
    draft_translations: bool = False
    outbox_retention_days: int = 0
    misses_per_hour: int = MISSES_PER_HOUR
    misses_per_day: int = MISSES_PER_DAY

    @classmethod
    def from_environment(cls) -> TabletSettings:
        """Defaults, with the environment's overrides."""
        return cls()._with_environment()

    @classmethod
    def load(cls, path: Path) -> TabletSettings:
        """Read ``path`` (a missing file gives the defaults), then the environment's overrides."""
        try:
            sections = read_sections(path, SECTIONS, _checked)
        except FileNotFoundError:
            return cls.from_environment()
        values = {key: value for keys in sections.values() for key, value in keys.items()}
        return cls(**values)._with_environment()

    def _with_environment(self) -> TabletSettings:
        raw = os.environ.get("KIOSK_OUTBOX_RETENTION_DAYS")
        if raw is None:
            return self
        raw = raw.strip()
        if not raw.isdigit() or int(raw) > MAX_RETENTION_DAYS:
            raise SettingsError(
                f"KIOSK_OUTBOX_RETENTION_DAYS must be a whole number of days from 0 to "
                f"{MAX_RETENTION_DAYS}, not {raw!r}"
            )
        return TabletSettings(**{**self.__dict__, "outbox_retention_days": int(raw)})


SECTIONS: dict[str, tuple[str, ...]] = {
    "kiosk": ("pathway", "link", "idle_seconds", "warning_seconds", "draft_translations"),
    "store": ("outbox_retention_days",),
    "check_in": ("misses_per_hour", "misses_per_day"),
}
_RANGES = {
    "idle_seconds": (10, 3600),
    "warning_seconds": (5, 600),
    "outbox_retention_days": (0, MAX_RETENTION_DAYS),
    "misses_per_hour": (1, 1000),
    "misses_per_day": (1, 10000),
}
_SWITCHES = ("draft_translations",)
assert {key for keys in SECTIONS.values() for key in keys} == {
    f.name for f in fields(TabletSettings)
}


def _checked(where: str, key: str, value: Any) -> Any:
    if key in _SWITCHES:
        return switch(where, value)
    if key in _RANGES:
        return whole_number(where, value, *_RANGES[key])
    value = text(where, value)
    if key == "link" and value not in LINK_MODES:
        raise SettingsError(f"{where} must be one of {', '.join(LINK_MODES)}, not {value!r}")
    return value
