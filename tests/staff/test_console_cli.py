"""`kiosk staff`: plain one-line errors, and a demo clinic seeded once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli.demo import DEMO_PASSWORD
from kiosk.cli.main import main
from kiosk.cli.staff import start_demo
from kiosk.console.client import StaffClient

pytestmark = pytest.mark.staff


@pytest.mark.control("H-23-C4")
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--clinic", "http://clinic.example"], "must be an https:// address"),
        (["--clinic", "clinic.example"], "must be an https:// address"),
        (["--clinic", "https://127.0.0.1:9", "--certificate", "missing.pem"],
         "Cannot read the clinic's certificate missing.pem"),
        ([], "give the clinic's address with --clinic URL, or use --demo DIR"),
        (["--clinic", "https://127.0.0.1:9", "--lock-minutes", "0"], "more than 0"),
    ],
)  # fmt: skip
def test_a_wrong_address_or_certificate_is_one_plain_line(
    args: list[str], said: str, capsys: pytest.CaptureFixture[str], monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["staff", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: ") and said in err
    assert err.count("\n") == 1


def test_a_certificate_that_is_not_one_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    bogus = tmp_path / "clinic-cert.pem"
    bogus.write_text("not a certificate\n")
    assert main(["staff", "--clinic", "https://127.0.0.1:9", "--certificate", str(bogus)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kiosk: Cannot read the clinic's certificate") and err.count("\n") == 1


def test_the_demo_clinic_gets_its_patients_once(tmp_path: Path) -> None:
    def queue_length() -> int:
        running, url, certificate = start_demo(tmp_path)
        try:
            with StaffClient(url, certificate=certificate) as client:
                client.sign_in("clinician", DEMO_PASSWORD)
                return len(client.queue()["items"])
        finally:
            running.stop()

    assert queue_length() == 7
    assert queue_length() == 7  # not sent again
    assert (tmp_path / "clinic" / "clinic-cert.pem").is_file()


def test_the_demo_console_starts_and_exits(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "staff", "--demo", str(tmp_path / "demo"),
         "--quit-after", "500"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "clinician (clinician)" in result.stdout
    assert DEMO_PASSWORD in result.stdout
