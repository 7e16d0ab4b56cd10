"""One way to save a file: whole or not at all, private unless asked, keys never replaced."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from kiosk.site.files import atomic_file, write_atomically

posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "clinic.json"
    target.write_bytes(b"old")
    assert write_atomically(target, b"new") == target
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["clinic.json"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_file(target) as handle:
        handle.write(b"half")
        raise RuntimeError("the connection broke")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["export.csv"]


def test_without_replace_an_existing_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "device.key"
    target.write_bytes(b"the first key")
    with pytest.raises(FileExistsError):
        write_atomically(target, b"a second key", replace=False)
    assert target.read_bytes() == b"the first key"
    assert [p.name for p in tmp_path.iterdir()] == ["device.key"]


def test_without_replace_a_new_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "server.key"
    write_atomically(target, b"k" * 32, replace=False)
    assert target.read_bytes() == b"k" * 32
    assert [p.name for p in tmp_path.iterdir()] == ["server.key"]


@posix_only
def test_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_atomically(tmp_path / "summary.pdf", b"%PDF-1")
        write_atomically(tmp_path / "shared.csv", b"a,b\n", mode=None)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "summary.pdf").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "shared.csv").stat().st_mode) == 0o666
