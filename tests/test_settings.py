"""Tablet settings (tablet.toml and the environment) are checked loudly."""

from __future__ import annotations

import pytest

from kiosk.site.settings import SettingsError, TabletSettings

pytestmark = pytest.mark.release  # configuration errors are reported plainly


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


def write(tmp_path, text: str):
    path = tmp_path / "tablet.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_missing_file_means_the_defaults(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_OUTBOX_RETENTION_DAYS", raising=False)
    settings = TabletSettings.load(tmp_path / "tablet.toml")
    assert settings == TabletSettings()
    assert (settings.link, settings.idle_seconds, settings.warning_seconds) == (
        "self_check_in",
        60,
        30,
    )
    assert settings.draft_translations is False  # unchecked translations are not offered


def test_the_file_sets_the_clinic_s_choices(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_OUTBOX_RETENTION_DAYS", raising=False)
    path = write(
        tmp_path,
        '[kiosk]\npathway = "survey"\nlink = "anonymous"\nidle_seconds = 90\n'
        "draft_translations = true\n"
        "[store]\noutbox_retention_days = 3\n"
        "[check_in]\nmisses_per_hour = 4\nmisses_per_day = 12\n",
    )
    settings = TabletSettings.load(path)
    assert (settings.misses_per_hour, settings.misses_per_day) == (4, 12)
    assert (settings.pathway, settings.link, settings.idle_seconds) == ("survey", "anonymous", 90)
    assert settings.draft_translations is True
    assert settings.outbox_retention_days == 3
    monkeypatch.setenv("KIOSK_OUTBOX_RETENTION_DAYS", "9")  # the environment wins
    assert TabletSettings.load(path).outbox_retention_days == 9


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[kiosk]\nlinks = "reception"\n', "unknown key 'links' in [kiosk]"),
        ("[printer]\nx = 1\n", "unknown section [printer]"),
        ('[kiosk]\nlink = "walk_in"\n', "link must be one of reception, self_check_in, anonymous"),
        ('[kiosk]\nidle_seconds = "sixty"\n', "idle_seconds must be a whole number from 10"),
        ("[kiosk]\nidle_seconds = 2\n", "idle_seconds must be a whole number from 10 to 3600"),
        ("[kiosk]\nwarning_seconds = true\n", "warning_seconds must be a whole number"),
        ("[check_in]\nmisses_per_hour = 0\n", "misses_per_hour must be a whole number from 1"),
        ('[check_in]\nmisses_per_day = "30"\n', "misses_per_day must be a whole number"),
        ("[kiosk]\npathway = 3\n", "pathway must be text"),
        ('[kiosk]\ndraft_translations = "yes"\n', "draft_translations must be true or false"),
        ("[kiosk]\ndraft_translations = 1\n", "draft_translations must be true or false"),
        ("kiosk = 3\n", "kiosk must be a [kiosk] table"),
        ("[kiosk\n", "not a valid TOML file"),
    ],
)
def test_a_bad_file_is_refused_naming_file_and_key(tmp_path, text: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(SettingsError) as caught:
        TabletSettings.load(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert message in str(caught.value)


def test_every_setting_is_documented() -> None:
    from pathlib import Path

    from kiosk.site.settings import SECTIONS

    docs = (Path(__file__).resolve().parents[1] / "docs" / "configuration.md").read_text()
    # The tablet's part of the page (the clinic service's file has its own test).
    docs = docs.split("## The tablet: `tablet.toml`", 1)[1].split("\n## ", 1)[0]
    for section, keys in SECTIONS.items():
        for key in keys:
            assert f"`[{section}] {key}`" in docs, f"[{section}] {key} is not documented"
    documented = {line.split("`")[1] for line in docs.splitlines() if line.startswith("| `[")}
    known = {f"[{section}] {key}" for section, keys in SECTIONS.items() for key in keys}
    assert documented == known  # and nothing documented that does not exist
