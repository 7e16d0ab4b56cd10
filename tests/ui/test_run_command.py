"""`kiosk run --demo` starts the kiosk with no set-up and exits cleanly."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.ui


def run(tmp_path: Path, env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    env.update(env_extra, KIOSK_DATA_DIR=str(tmp_path / "site"))
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "run", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=tmp_path,
    )


@pytest.mark.control("H-15-C1")
def test_demo_starts_and_keeps_the_clinic_private_key_off_the_tablet(tmp_path: Path) -> None:
    result = run(
        tmp_path, {"QT_QPA_PLATFORM": "offscreen"}, "--demo", "demo", "--quit-after", "300"
    )
    assert result.returncode == 0, result.stderr
    tablet = tmp_path / "demo" / "tablet"
    assert (tablet / "clinic.pub").is_file()
    assert not list(tablet.glob("clinic-*.key"))
    assert "check in with date of birth 03/03/1950" in result.stderr  # how to try it
    [private] = (tmp_path / "demo" / "clinic" / "keys").glob("clinic-*.key")
    assert private.stat().st_mode & 0o777 == 0o600
    key = (tablet / "clinic.pub").read_text()
    # Three patients' sessions wait in the outbox; the next run syncs them to the demo clinic.
    simulated = subprocess.run(
        [sys.executable, "-m", "kiosk", "simulate", "--data-dir", str(tablet), "--sessions", "3"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert simulated.returncode == 0, simulated.stderr
    # Sync starts after the first screen, once the forms, the store and the demo clinic are up.
    again = run(
        tmp_path, {"QT_QPA_PLATFORM": "offscreen"}, "--demo", "demo", "--quit-after", "8000"
    )
    assert again.returncode == 0, again.stderr
    assert (tablet / "clinic.pub").read_text() == key  # the same demo clinic each time
    clinic_db = sqlite3.connect(tmp_path / "demo" / "clinic" / "clinic.db")
    try:
        [(received,)] = clinic_db.execute("select count(*) from submissions").fetchall()
    finally:
        clinic_db.close()
    assert received == 3
    # Only ciphertext of the made-up clinic list is on the tablet.
    everything = b"".join(p.read_bytes() for p in tablet.iterdir() if p.is_file())
    assert b"9990000018" not in everything and b"Example" not in everything


def test_without_a_screen_it_says_so_plainly(tmp_path: Path) -> None:
    result = run(tmp_path, {}, "--demo", "demo", "--quit-after", "100")
    assert result.returncode == 2
    assert "no screen to show the kiosk on" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.control("H-18-C1")
def test_an_unlicensed_pathway_is_refused_before_any_patient_can_begin(tmp_path: Path) -> None:
    result = run(tmp_path, {"QT_QPA_PLATFORM": "offscreen"}, "--demo", "demo", "--pathway", "pain")
    assert result.returncode == 2
    assert "kiosk forms enable mycaw" in result.stderr
