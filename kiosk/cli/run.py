"""``kiosk run``: start the patient kiosk.

``--demo DIR`` needs no set-up: it makes (once) a demo clinic key pair, keeps
its private half in ``DIR/clinic`` (never in the tablet's data folder) and
runs the tablet from ``DIR/tablet``. Submissions wait in the outbox until a
clinic service is there to receive them.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.engine import EngineError, FormLibrary
from kiosk.envelope.errors import EnvelopeError
from kiosk.envelope.keys import ClinicKeyPair, write_private_key
from kiosk.site import paths
from kiosk.site.licences import LicenceRegister, LicenceRegisterError
from kiosk.store import StoreError, TabletStore
from kiosk.store.store import CLINIC_KEY_FILE

DEMO_PASSPHRASE = b"demo clinic passphrase - not for real use"


def register(commands: Any) -> None:
    p = commands.add_parser("run", help="start the patient kiosk")
    p.add_argument("--data-dir", type=Path, default=None, metavar="DIR")
    p.add_argument("--pathway", default="cardiology", metavar="NAME")
    p.add_argument(
        "--demo", type=Path, metavar="DIR", help="run with a generated demo clinic key kept in DIR"
    )
    p.add_argument("--windowed", action="store_true", help="a window, not full screen")
    p.add_argument("--quit-after", type=int, metavar="MS", help="quit after MS (smoke tests)")
    p.set_defaults(handler=run_kiosk)


def prepare_demo(folder: Path) -> Path:
    """Make the demo clinic key once; return the demo tablet's data folder."""
    tablet = folder / "tablet"
    tablet.mkdir(parents=True, exist_ok=True)
    if not (tablet / CLINIC_KEY_FILE).is_file():
        (folder / "clinic").mkdir(parents=True, exist_ok=True)
        pair = ClinicKeyPair.generate()
        write_private_key(pair, folder / "clinic" / f"clinic-{pair.id}.key", DEMO_PASSPHRASE)
        (tablet / CLINIC_KEY_FILE).write_text(pair.public.to_text() + "\n", encoding="ascii")
    return tablet


def _no_display() -> bool:
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_kiosk(args: argparse.Namespace) -> int:
    try:
        data_dir = prepare_demo(args.demo) if args.demo else (args.data_dir or paths.data_dir())
        library = FormLibrary.load(*paths.form_dirs())
        licences = LicenceRegister(paths.data_dir()).references()
        library.pathway_forms(args.pathway, licences)  # refuse an unusable pathway up front
        store = TabletStore.open(data_dir)
    except (EngineError, EnvelopeError, StoreError, LicenceRegisterError, OSError) as exc:
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
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.store import StaffPin
    from kiosk.ui.background import Background
    from kiosk.ui.kiosk_window import KioskWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    background = Background()
    window = KioskWindow(
        store,
        library,
        args.pathway,
        licences,
        background,
        StaffPin(store),
        kiosk_mode=not args.windowed,
    )
    window.staff_unlocked.connect(app.quit)
    if args.windowed:
        window.resize(1280, 800)
        window.show()
    else:
        window.setWindowFlag(Qt.WindowType.FramelessWindowHint)
        window.showFullScreen()
    if args.quit_after is not None:
        QTimer.singleShot(args.quit_after, lambda: app.exit(0))  # exit() ignores kiosk mode
    try:
        app.exec()
    finally:
        window.reset("abandoned")
        background.wait()
        store.close()
    return 0
