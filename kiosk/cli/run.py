"""``kiosk run``: start the patient kiosk.

The tablet's settings come from ``tablet.toml`` in its data folder (see
docs/configuration.md); ``--pathway`` overrides the file's pathway.

``--demo DIR`` needs no set-up: it makes (once) a demo clinic key pair, keeps
its private half in ``DIR/clinic`` (never in the tablet's data folder) and
runs the tablet from ``DIR/tablet`` with a device key, a staff PIN, self
check-in and a made-up clinic list for today. Submissions wait in the outbox
until a clinic service is there to receive them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.engine import EngineError, FormLibrary
from kiosk.envelope.errors import EnvelopeError
from kiosk.envelope.keys import ClinicKeyPair, write_private_key
from kiosk.site import paths
from kiosk.site.licences import LicenceRegister, LicenceRegisterError
from kiosk.site.settings import SETTINGS_FILE, SettingsError, TabletSettings
from kiosk.store import FileKeyStore, StaffPin, StoreError, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicList, ClinicLists, parse_csv
from kiosk.store.store import CLINIC_KEY_FILE

DEMO_PASSPHRASE = b"demo clinic passphrase - not for real use"
DEMO_PIN = "246810"
# Made-up patients (NHS numbers from the 999 test range are not issued to anyone).
DEMO_LIST = """\
appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway
DEMO-1,09:30,Heart clinic,Example,Alex,1950-03-03,9990000018,DEMO-0001,
DEMO-2,10:00,Heart clinic,Sample,Sam,1971-12-24,9990000026,DEMO-0002,
DEMO-3,10:30,Heart clinic,Test,Jo,1988-06-15,,DEMO-0003,
"""
DEMO_HINT = (
    "Demo: check in with date of birth 03/03/1950 and surname letter E, or as staff "
    "(PIN {pin}) hand over DEMO-0002."
)


def register(commands: Any) -> None:
    p = commands.add_parser("run", help="start the patient kiosk")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.add_argument("--pathway", default=None, metavar="NAME", help="overrides tablet.toml")
    p.add_argument(
        "--demo", type=Path, metavar="DIR", help="run with a generated demo clinic key kept in DIR"
    )
    p.add_argument("--windowed", action="store_true", help="a window, not full screen")
    p.add_argument("--quit-after", type=int, metavar="MS", help="quit after MS (smoke tests)")
    p.set_defaults(handler=run_kiosk)


def prepare_demo(folder: Path) -> Path:
    """Make the demo clinic key, device key and settings once; return the tablet's folder."""
    tablet = folder / "tablet"
    tablet.mkdir(parents=True, exist_ok=True)
    if not (tablet / CLINIC_KEY_FILE).is_file():
        (folder / "clinic").mkdir(parents=True, exist_ok=True)
        pair = ClinicKeyPair.generate()
        write_private_key(pair, folder / "clinic" / f"clinic-{pair.id}.key", DEMO_PASSPHRASE)
        (tablet / CLINIC_KEY_FILE).write_text(pair.public.to_text() + "\n", encoding="ascii")
    if not FileKeyStore(tablet).exists():
        FileKeyStore(tablet).create()
    if not (tablet / SETTINGS_FILE).is_file():
        (tablet / SETTINGS_FILE).write_text(
            '# The demo tablet. See docs/configuration.md.\n[kiosk]\npathway = "cardiology"\n'
            'link = "self_check_in"\n',
            encoding="utf-8",
        )
    return tablet


def demo_day(store: TabletStore, tablet: Path) -> None:
    """Today's made-up clinic list and the demo staff PIN."""
    key = FileKeyStore(tablet).load().derive_key(KEY_PURPOSE)
    ClinicLists(store, key).save(parse_csv(DEMO_LIST, "demo list", dt.date.today()))
    pin = StaffPin(store)
    if not pin.is_set():
        pin.set_pin(DEMO_PIN)


def clinic_list_source(store: TabletStore, data_dir: Path) -> Callable[[], ClinicList | None]:
    """Reads today's list when asked (on the background thread); None without a device key."""
    keys = FileKeyStore(data_dir)
    if not keys.exists():
        return lambda: None
    lists = ClinicLists(store, keys.load().derive_key(KEY_PURPOSE))
    return lambda: lists.for_day(dt.date.today())


def _no_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_kiosk(args: argparse.Namespace) -> int:
    try:
        data_dir = prepare_demo(args.demo) if args.demo else (args.data_dir or paths.data_dir())
        settings = TabletSettings.load(data_dir / SETTINGS_FILE)
        pathway = args.pathway or settings.pathway
        library = FormLibrary.load(*paths.form_dirs())
        licences = LicenceRegister(paths.data_dir()).references()
        library.pathway_forms(pathway, licences)  # refuse an unusable pathway up front
        store = TabletStore.open(data_dir, retention_days=settings.outbox_retention_days)
    except (
        EngineError,
        EnvelopeError,
        StoreError,
        LicenceRegisterError,
        SettingsError,
        OSError,
    ) as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    try:
        if args.demo:
            demo_day(store, data_dir)
            print(DEMO_HINT.format(pin=DEMO_PIN), file=sys.stderr)
        clinic_list = clinic_list_source(store, data_dir)
    except StoreError as exc:
        store.close()
        print(f"kiosk: {exc}", file=sys.stderr)
        return 2
    if _no_display():
        store.close()
        print(
            "kiosk: there is no screen to show the kiosk on (no DISPLAY or WAYLAND_DISPLAY). "
            "Run it on the tablet's desktop, under Xvfb, or with QT_QPA_PLATFORM=offscreen "
            "for a test; 'make try' answers the questions in the terminal instead.",
            file=sys.stderr,
        )
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.background import Background
    from kiosk.ui.kiosk_window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    background = Background()
    window = KioskWindow(
        store,
        library,
        pathway,
        licences,
        background,
        StaffPin(store),
        kiosk_mode=not args.windowed,
        idle_ms=settings.idle_seconds * 1000,
        reset_ms=settings.warning_seconds * 1000,
        link=settings.link,
        clinic_list=clinic_list,
    )
    window.staff_unlocked.connect(app.quit)
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.enter_kiosk_mode()
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, lambda: app.exit(0))  # exit() ignores kiosk mode
    try:
        app.exec()
    finally:
        window.reset("abandoned")
        background.wait()
        store.close()
    return 0
