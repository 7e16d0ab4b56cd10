"""The kiosk's first screen appears before the forms and the store load, and a patient
who taps at once still gets their questions."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.engine import FormLibrary
from kiosk.store import StaffPin, TabletStore
from kiosk.ui.background import Background
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.screens import PrivacyScreen

pytestmark = pytest.mark.ui

# `kiosk run ARGS --windowed`, stopped at the attract screen's first paint, printing which
# of the libraries the rest of the kiosk needs were loaded by then.
_AT_FIRST_PAINT = """
import sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
import kiosk.ui.kiosk_window as kw
HEAVY = sys.argv[1].split(",")
class Seen(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is self.attract:
            loaded = [m for m in HEAVY if m in sys.modules]
            print("LOADED", ",".join(loaded) or "-", flush=True)
            QApplication.instance().removeEventFilter(self)
            QApplication.instance().quit()
        return False
init = kw.KioskWindow.__init__
def hooked(self, *args, **kwargs):
    init(self, *args, **kwargs)
    self.seen = Seen()
    self.seen.attract = self.attract
    QApplication.instance().installEventFilter(self.seen)
kw.KioskWindow.__init__ = hooked
from kiosk.cli.main import main
sys.exit(main(["run", *sys.argv[2:], "--windowed", "--quit-after", "20000"]))
"""
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pydantic",
    "cryptography",
    "httpx",
    "reportlab",
    "fhir.resources",
    "fastapi",
    "uvicorn",
    "kiosk.store.store",
    "kiosk.engine.schema",
    "kiosk.sync.worker",
    "kiosk.clinic.app",
)


@pytest.mark.parametrize("tablet", ["--demo", "--data-dir"])
def test_the_attract_screen_is_painted_before_the_forms_store_and_clinic_load(
    tmp_path: Path, tablet: str
) -> None:
    """The demo, and an enrolled tablet (the demo's, run as a tablet is)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path / "site"))
    demo = str(tmp_path / "demo")
    made = subprocess.run(
        [sys.executable, "-m", "kiosk", "run", "--demo", demo, "--quit-after", "100"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert made.returncode == 0, made.stderr
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            _AT_FIRST_PAINT,
            ",".join(HEAVY),
            tablet,
            demo if tablet == "--demo" else f"{demo}/tablet",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if line.startswith("LOADED ")]
    assert line == "LOADED -", f"loaded before the first screen: {line[7:]}"


def test_a_tap_before_the_kiosk_is_ready_waits_greyed_out_then_goes_on(
    qtbot: Any, store: TabletStore, library: FormLibrary
) -> None:
    background = Background()
    window = KioskWindow(None, None, "cardiology", {}, background, None)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    assert window.currentWidget() is window.attract
    qtbot.mouseClick(window.attract.start, Qt.MouseButton.LeftButton)
    assert not window.attract.start.isEnabled()  # seen to wait
    assert window.currentWidget() is window.attract
    window.ready(store, library, StaffPin(store))
    assert window.attract.start.isEnabled()
    # The waiting tap went on (English only here, so straight to the privacy screen).
    assert isinstance(window.currentWidget(), PrivacyScreen)
    window.reset(None)
    assert window.currentWidget() is window.attract
    background.wait()


def test_a_damaged_store_still_stops_the_kiosk_with_its_own_message(tmp_path: Path) -> None:
    """The store opens after the first screen, and is still checked: the kiosk stops
    (without waiting for --quit-after) with the store's plain message, exit code 2."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_DATA_DIR=str(tmp_path / "site"))
    demo = tmp_path / "demo"
    command = [sys.executable, "-m", "kiosk", "run", "--demo", str(demo), "--windowed"]
    made = subprocess.run(
        [*command, "--quit-after", "100"], capture_output=True, text=True, timeout=120, env=env
    )
    assert made.returncode == 0, made.stderr
    database = demo / "tablet" / "tablet.db"
    database.write_bytes(b"PK\x03\x04 a zip, not a database" * 50)
    result = subprocess.run(
        [*command, "--quit-after", "100000"], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 2
    assert f"kiosk: The database {database} is damaged" in result.stderr
    assert "Traceback" not in result.stderr
