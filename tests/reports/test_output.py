"""Saving a PDF: all or nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.reports import write_pdf

pytestmark = pytest.mark.staff


def test_write_pdf_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "summary.pdf"
    assert write_pdf(target, b"%PDF-1 first") == target
    write_pdf(str(target), b"%PDF-1 second")
    assert target.read_bytes() == b"%PDF-1 second"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]
    if os.name == "posix":
        assert target.stat().st_mode & 0o077 == 0


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "summary.pdf"
    target.write_bytes(b"%PDF-1 old")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_pdf(target, b"%PDF-1 new")
    assert target.read_bytes() == b"%PDF-1 old"
    assert [p.name for p in tmp_path.iterdir()] == ["summary.pdf"]


def test_a_missing_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_pdf(tmp_path / "nowhere" / "summary.pdf", b"%PDF-1")
