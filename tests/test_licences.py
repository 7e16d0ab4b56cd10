"""The site licence register that licensed forms (MYCaW, a site's PAM-13) need."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.site.licences import LicenceRegister, LicenceRegisterError


@pytest.mark.control("H-18-C5")
def test_a_recorded_licence_survives_reopening(tmp_path: Path) -> None:
    LicenceRegister(tmp_path).enable("mycaw", "  MM-2026-0042 ")
    assert LicenceRegister(tmp_path).references() == {"mycaw": "MM-2026-0042"}


def test_disable_removes_only_that_form(tmp_path: Path) -> None:
    register = LicenceRegister(tmp_path)
    register.enable("mycaw", "A")
    register.enable("pam13", "B")
    assert register.disable("mycaw") is True
    assert register.disable("mycaw") is False
    assert register.references() == {"pam13": "B"}


@pytest.mark.control("H-18-C5")
@pytest.mark.parametrize("reference", ["", "   ", "x" * 201, "bad\x07ref"])
def test_unusable_references_are_refused(tmp_path: Path, reference: str) -> None:
    with pytest.raises(LicenceRegisterError):
        LicenceRegister(tmp_path).enable("mycaw", reference)
    assert LicenceRegister(tmp_path).references() == {}


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"mycaw": {"ref": 1}}', "\xff"])
def test_a_damaged_register_is_a_clear_error(tmp_path: Path, content: str) -> None:
    (tmp_path / "licences.json").write_text(content, encoding="latin-1")
    with pytest.raises(LicenceRegisterError, match="licence register"):
        LicenceRegister(tmp_path).references()


def test_the_register_is_written_whole(tmp_path: Path) -> None:
    register = LicenceRegister(tmp_path)
    register.enable("mycaw", "REF-1")
    data = json.loads((tmp_path / "licences.json").read_text(encoding="utf-8"))
    assert data["mycaw"]["reference"] == "REF-1"
    assert data["mycaw"]["recorded_at"].endswith("+00:00")
    assert not list(tmp_path.glob(".licences-*"))  # no temporary file left behind
