"""`kiosk tablet status` and `kiosk tablet set-pin` as subprocesses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.store import StaffPin, TabletStore

pytestmark = pytest.mark.store


def kiosk(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "KIOSK_DATA_DIR": str(tmp_path / "site")},
        cwd=tmp_path,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_set_pin_then_the_pin_unlocks(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "tablet", "set-pin", "--data-dir", "tablet", stdin="284619\n")
    assert result.returncode == 0, result.stderr
    store = TabletStore.open(tmp_path / "tablet")
    try:
        pin = StaffPin(store)
        assert pin.verify("284619")
        assert not pin.verify("284610")
    finally:
        store.close()
    assert b"284619" not in (tmp_path / "tablet" / "tablet.db").read_bytes()


def test_a_weak_pin_is_refused_plainly(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "tablet", "set-pin", "--data-dir", "tablet", stdin="123456\n")
    assert result.returncode == 2
    assert "straight run" in result.stderr


@pytest.mark.control("H-11-C5")
def test_status_reports_counts_and_events_without_patient_data(tmp_path: Path) -> None:
    kiosk(tmp_path, "tablet", "set-pin", "--data-dir", "tablet", stdin="284619\n")
    result = kiosk(tmp_path, "tablet", "status", "--data-dir", "tablet")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["outbox"] == 0 and report["in_progress"] == 0
    assert report["clinic_key"] is None
    assert [e["kind"] for e in report["recent_events"]][-2:] == [
        "store_opened",
        "staff_pin_changed",
    ]


@pytest.mark.control("H-14-C4")
def test_status_is_safe_while_the_kiosk_has_the_store_open(tmp_path: Path) -> None:
    """Only one program may write the store (opening recovers "crashed" sessions, which
    would seal the kiosk's live one); reading the status is always allowed."""
    from kiosk.envelope.keys import ClinicKeyPair
    from kiosk.store import StoreInUseError

    clinic = ClinicKeyPair.generate()
    running = TabletStore.open(tmp_path / "tablet", clinic.public)
    try:
        session = running.start_session("cardiology", [])
        session.answer("ons4", "anxiety", 3)
        result = kiosk(tmp_path, "tablet", "status", "--data-dir", "tablet")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["in_progress"] == 1
        result = kiosk(tmp_path, "tablet", "set-pin", "--data-dir", "tablet", stdin="284619\n")
        assert result.returncode == 2
        assert "open in another program" in result.stderr
        with pytest.raises(StoreInUseError):
            TabletStore.open(tmp_path / "tablet", clinic.public)
        session.answer("ons4", "anxiety", 4)  # the live session was not touched
        session.submit()
    finally:
        running.close()
    reopened = TabletStore.open(tmp_path / "tablet")
    try:
        assert reopened.counts()["outbox"] == 1
        assert not reopened.events("session_recovered")
    finally:
        reopened.close()


def test_status_of_a_damaged_database_is_one_plain_line(tmp_path: Path) -> None:
    (tmp_path / "tablet").mkdir()
    (tmp_path / "tablet" / "tablet.db").write_bytes(b"this is not a database" * 100)
    result = kiosk(tmp_path, "tablet", "status", "--data-dir", "tablet")
    assert result.returncode == 2
    assert "is damaged" in result.stderr


CLINIC_LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,,\n"
)


def test_a_clinic_list_is_imported_encrypted(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CLINIC_LIST, encoding="utf-8")
    refused = kiosk(tmp_path, "tablet", "clinic-list", "import", "list.csv", "--data-dir", "tablet")
    assert refused.returncode == 2 and "no device key" in refused.stderr
    made = kiosk(tmp_path, "tablet", "device-key", "--data-dir", "tablet")
    assert made.returncode == 0 and made.stdout.startswith("ed25519:")
    again = kiosk(tmp_path, "tablet", "device-key", "--data-dir", "tablet")
    assert again.returncode == 2 and "already has a device key" in again.stderr
    result = kiosk(
        tmp_path,
        "tablet",
        "clinic-list",
        "import",
        "list.csv",
        "--day",
        "2026-11-23",
        "--data-dir",
        "tablet",
    )
    assert result.returncode == 0, result.stderr
    assert "clinic list for 2026-11-23 kept: 1 appointment " in result.stdout
    assert b"Zebedee" not in (tmp_path / "tablet" / "tablet.db").read_bytes()


def test_a_bad_clinic_list_names_the_line(tmp_path: Path) -> None:
    (tmp_path / "list.csv").write_text(CLINIC_LIST.replace("09:30", "9.30"), encoding="utf-8")
    kiosk(tmp_path, "tablet", "device-key", "--data-dir", "tablet")
    result = kiosk(tmp_path, "tablet", "clinic-list", "import", "list.csv", "--data-dir", "tablet")
    assert result.returncode == 2
    assert "list.csv:2: time must be HH:MM" in result.stderr
