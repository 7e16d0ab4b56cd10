"""Reading a settings file in TOML whose sections and keys are fixed.

Shared by the tablet's ``tablet.toml`` and the clinic service's ``clinic.toml``:
the file is read and parsed, and every section and key is checked against the
known ones before any value is used, so a typing mistake is reported, not ignored.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from kiosk.site.errors import SiteError


class SettingsError(SiteError):
    """A setting has a value the product cannot use; the message names the file and key."""


def read_sections(
    path: Path,
    sections: Mapping[str, tuple[str, ...]],
    check: Callable[[str, str, Any], Any],
) -> dict[str, dict[str, Any]]:
    """Each section of ``path`` present in the file, its keys mapped to
    ``check(where, key, value)``'s result.

    FileNotFoundError is left to the caller (a missing file means something
    different to each); every other problem is a SettingsError naming the file,
    the section and the key."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        document = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: not a valid TOML file ({exc})") from None
    values: dict[str, dict[str, Any]] = {}
    for section, keys in document.items():
        if section not in sections:
            raise SettingsError(
                f"{path}: unknown section [{section}] (known: "
                + ", ".join(f"[{name}]" for name in sections)
                + ")"
            )
        if not isinstance(keys, dict):
            raise SettingsError(f"{path}: {section} must be a [{section}] table")
        values[section] = {}
        for key, value in keys.items():
            if key not in sections[section]:
                raise SettingsError(
                    f"{path}: unknown key {key!r} in [{section}] (known: "
                    + ", ".join(sections[section])
                    + ")"
                )
            values[section][key] = check(f"{path}: [{section}] {key}", key, value)
    return values


def whole_number(where: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise SettingsError(f"{where} must be a whole number from {low} to {high}, not {value!r}")
    return value


def switch(where: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"{where} must be true or false (no quotes), not {value!r}")
    return value


def text(where: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"{where} must be text in quotes, not {value!r}")
    return value
