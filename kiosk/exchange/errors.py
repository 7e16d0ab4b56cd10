"""Known errors of the formats exchanged between tablet and clinic (tree in the package)."""

from __future__ import annotations

from kiosk.errors import KnownError


class ExchangeError(KnownError):
    """Base class for known errors of the exchanged formats."""


class ClinicListError(ExchangeError):
    """A clinic list that cannot be read or used; the message says where and why."""


class DeviceKeyTextError(ExchangeError):
    """Text that is not a device public key as :func:`device_keys.public_key_text` writes it."""
