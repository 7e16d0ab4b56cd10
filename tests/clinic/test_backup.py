"""Back up a clinic, destroy it, restore it: every submission still opens."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kiosk.clinic.backup import BackupError, back_up, restore
from kiosk.clinic.setup import open_service
from kiosk.clinic.staff import StaffMember

pytestmark = [pytest.mark.clinic, pytest.mark.release]
FORMS = Path(__file__).resolve().parents[2] / "forms"
PASSPHRASE = b"a clinic passphrase for tests"


def readable(folder: Path, ids: dict[str, str]) -> dict[str, str]:
    """Open the restored clinic and read every submission's summary (decrypts all)."""
    service = open_service(folder, PASSPHRASE, None, [FORMS])
    try:
        reader = StaffMember("clinician", "clinician")
        return {
            key: service.casework.summary(reader, sid, None)["submission_id"]
            for key, sid in ids.items()
        }
    finally:
        service.engine.dispose()


def test_back_up_destroy_restore_and_every_submission_opens(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    archive = tmp_path / "backups" / "clinic.tar"
    report = back_up(folder, archive)  # while the service is running
    assert report.submissions == len(clinic.ids) and report.schema == "0003"
    assert archive.stat().st_mode & 0o777 == 0o600  # it holds the keys
    clinic.running.stop()
    clinic.service.engine.dispose()
    shutil.rmtree(folder)  # the server is lost
    restored = tmp_path / "restored"
    restore(archive, restored)
    assert readable(restored, clinic.ids) == clinic.ids
    with pytest.raises(BackupError, match="not empty"):
        restore(archive, restored)


def test_a_damaged_backup_is_refused_and_nothing_is_written(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    archive = tmp_path / "clinic.tar"
    back_up(Path(clinic.certificate).parent, archive)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as src, tarfile.open(damaged, "w") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()
            if info.name == "server.key":
                data = bytes(32)
            dst.addfile(info, io.BytesIO(data))
    with pytest.raises(BackupError, match=r"server\.key is damaged"):
        restore(damaged, tmp_path / "restored")
    assert not (tmp_path / "restored").exists() or not any((tmp_path / "restored").iterdir())
    (tmp_path / "junk.tar").write_bytes(b"not a tar file")
    with pytest.raises(BackupError, match=r"cannot be read as a clinic backup"):
        restore(tmp_path / "junk.tar", tmp_path / "restored2")


def test_the_command_line_backs_up_and_restores(
    make_staff_clinic: Callable[..., Any], tmp_path: Path
) -> None:
    clinic = make_staff_clinic()
    folder = Path(clinic.certificate).parent
    base = [sys.executable, "-m", "kiosk", "clinic"]
    done = subprocess.run(
        [*base, "backup", str(folder), "--out", str(tmp_path / "b.tar")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert f"{len(clinic.ids)} submissions and the key files backed up" in done.stdout
    done = subprocess.run(
        [*base, "restore", str(tmp_path / "b.tar"), "--to", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and "is not empty" in done.stderr
    done = subprocess.run(
        [*base, "restore", str(tmp_path / "b.tar"), "--to", str(tmp_path / "new")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert readable(tmp_path / "new", clinic.ids) == clinic.ids
