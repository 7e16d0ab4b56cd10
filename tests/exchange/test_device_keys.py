"""A device's public key as tablet and clinic exchange it."""

from __future__ import annotations

import pytest

from kiosk.exchange.device_keys import parse_public_key_text
from kiosk.exchange.errors import DeviceKeyTextError


@pytest.mark.parametrize("text", ["x25519:AAAA", "ed25519:not base64!", "ed25519:AAAA", ""])
def test_bad_public_key_text_is_refused(text: str) -> None:
    with pytest.raises(DeviceKeyTextError, match="not a device public key"):
        parse_public_key_text(text)
