"""Tablet settings from the environment are checked loudly."""

from __future__ import annotations

import pytest

from kiosk.site.settings import SettingsError, TabletSettings


def test_default_is_delete_on_acknowledgement(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_OUTBOX_RETENTION_DAYS", raising=False)
    assert TabletSettings.from_environment().outbox_retention_days == 0


def test_retention_days_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_OUTBOX_RETENTION_DAYS", "7")
    assert TabletSettings.from_environment().outbox_retention_days == 7


@pytest.mark.parametrize("value", ["-1", "seven", "1.5", "366", ""])
def test_unusable_retention_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("KIOSK_OUTBOX_RETENTION_DAYS", value)
    with pytest.raises(SettingsError, match="KIOSK_OUTBOX_RETENTION_DAYS"):
        TabletSettings.from_environment()
