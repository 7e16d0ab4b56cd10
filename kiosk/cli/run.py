"""``kiosk run``: start the patient kiosk.

The tablet's settings come from ``tablet.toml`` in its data folder (see
docs/configuration.md); ``--pathway`` overrides the file's pathway.

``--demo DIR`` needs no set-up: it makes (once) a demo clinic key pair, keeps
its private half in ``DIR/clinic`` (never in the tablet's data folder) and
runs the tablet from ``DIR/tablet`` with a device key, a staff PIN, self
check-in and a made-up clinic list for today. Submissions wait in the outbox
until a clinic service is there to receive them.

Only the settings are read before the kiosk's first screen is shown: the forms, the
store (checked as it opens: a damaged database still stops the kiosk with its own
message) and then sync load after it (kiosk.ui.app); so does the demo clinic, once
the demo tablet has been made.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.cli.demo import DEMO_HINT, DEMO_PIN, demo_day, made_demo_tablet, prepare_demo
from kiosk.cli.errors import fail
from kiosk.errors import KnownError
from kiosk.site import paths
from kiosk.site.licences import LicenceRegister
from kiosk.site.settings import SETTINGS_FILE, TabletSettings

if TYPE_CHECKING:
    from kiosk.exchange.clinic_list import ClinicList
    from kiosk.store import TabletStore
    from kiosk.ui.app import KioskParts


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


def start_sync(store: TabletStore, data_dir: Path, on_not_enrolled: Callable[[], None]) -> Any:
    """The sync worker for an enrolled tablet (None if it is not enrolled)."""
    from kiosk.store import FileKeyStore
    from kiosk.sync.config import read_clinic_record
    from kiosk.sync.enrol import enrolled_client
    from kiosk.sync.worker import Syncer, SyncReport, SyncWorker

    if read_clinic_record(data_dir) is None:
        return None
    identity = FileKeyStore(data_dir).load()
    syncer = Syncer(store, enrolled_client(data_dir, identity), data_dir)

    def reported(report: SyncReport) -> None:
        if report.error_kind == "NotEnrolledError":
            on_not_enrolled()

    worker = SyncWorker(syncer, interval=60.0, on_report=reported)
    worker.start()
    return worker


def needs_enrolment(data_dir: Path) -> bool:
    """Whether the data folder holds no enrolment (a damaged record is not "none": sync
    reports that one when it starts)."""
    from kiosk.sync.config import read_clinic_record
    from kiosk.sync.errors import SyncError

    try:
        return read_clinic_record(data_dir) is None
    except SyncError:
        return False


def form_folders(data_dir: Path) -> list[Path]:
    """The clinic's forms once sync has brought them, else the shipped ones; then the site's."""
    from kiosk.sync.config import clinic_forms_dir

    from_clinic = clinic_forms_dir(data_dir)  # also repairs a swap a power cut interrupted
    folders = paths.form_dirs()
    if from_clinic is not None and (from_clinic / "pathways.yaml").is_file():
        folders[0] = from_clinic
    return folders


def clinic_list_source(store: TabletStore, data_dir: Path) -> Callable[[], ClinicList | None]:
    """Reads today's list when asked (on the background thread); None without a device key."""
    from kiosk.store import FileKeyStore
    from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists

    keys = FileKeyStore(data_dir)
    if not keys.exists():
        return lambda: None
    lists = ClinicLists(store, keys.load().derive_key(KEY_PURPOSE))
    return lambda: lists.for_day(dt.date.today())


def open_parts(
    data_dir: Path, pathway: str, licences: dict[str, str], settings: TabletSettings, demo: bool
) -> KioskParts:
    """The forms (an unusable pathway refused) and the store, opened and checked."""
    from kiosk.engine import FormLibrary
    from kiosk.store import StoreError, TabletStore
    from kiosk.ui.app import KioskParts

    library = FormLibrary.load(*form_folders(data_dir))
    library.pathway_forms(pathway, licences)  # refuse an unusable pathway up front
    store = TabletStore.open(data_dir, retention_days=settings.outbox_retention_days)
    try:
        if demo:
            demo_day(store)
        return KioskParts(store, library, clinic_list_source(store, data_dir))
    except StoreError:
        store.close()
        raise


NO_SCREEN = (
    "there is no screen to show the kiosk on (no DISPLAY or WAYLAND_DISPLAY). "
    "Run it on the tablet's desktop, under Xvfb, or with QT_QPA_PLATFORM=offscreen "
    "for a test; 'make try' answers the questions in the terminal instead."
)
NOT_ENROLLED_NO_SCREEN = (
    "this tablet is not enrolled, and there is no screen to show the enrolment screen on. "
    "Enrol it with 'kiosk enrol URL CODE' (docs/clinic.md), or run the kiosk on the "
    "tablet's desktop."
)


def run_kiosk(args: argparse.Namespace) -> int:
    """The kiosk; on a tablet not enrolled yet, the enrolment screen first (the kiosk
    finds that out as it loads, after its first frame)."""
    from kiosk.ui.app import no_screen, run_enrolment

    demo_clinic: list[Any] = []  # the demo clinic, once it runs
    try:
        if args.demo:
            data_dir = made_demo_tablet(args.demo)
            if data_dir is None:  # the first run: the clinic enrols the demo tablet first
                data_dir, clinic = prepare_demo(args.demo)
                demo_clinic.append(clinic)
                print(DEMO_HINT.format(pin=DEMO_PIN, url=clinic.url), file=sys.stderr)
        else:
            data_dir = args.data_dir or paths.data_dir()
        while (code := _kiosk(args, data_dir, demo_clinic)) is None:
            if no_screen():
                return fail(NOT_ENROLLED_NO_SCREEN)
            if not run_enrolment(data_dir, windowed=args.windowed, quit_after=args.quit_after):
                return fail(
                    "the tablet was not enrolled, so the kiosk did not start.",
                    0 if args.quit_after is not None else 1,
                )
        return code
    except (KnownError, OSError) as exc:
        return fail(exc)
    finally:
        for clinic in demo_clinic:
            clinic.stop()


def _kiosk(args: argparse.Namespace, data_dir: Path, demo_clinic: list[Any]) -> int | None:
    """The kiosk until staff unlock it: its exit code, or None if the tablet is not enrolled."""
    from kiosk.ui.app import no_screen
    from kiosk.ui.app import run_kiosk as show_kiosk

    settings = TabletSettings.load(data_dir / SETTINGS_FILE)
    pathway = args.pathway or settings.pathway
    licences = LicenceRegister(paths.data_dir()).references()
    opened: list[TabletStore] = []

    def load() -> KioskParts | None:
        if not args.demo and needs_enrolment(data_dir):
            return None
        parts = open_parts(data_dir, pathway, licences, settings, bool(args.demo))
        opened.append(parts.store)
        return parts

    def sync_or_none(on_not_enrolled: Callable[[], None]) -> Any:
        from kiosk.store import StoreError
        from kiosk.sync.errors import SyncError

        try:
            if args.demo and not demo_clinic:  # it listens on a new port each run
                demo_clinic.append(prepare_demo(args.demo)[1])
                print(DEMO_HINT.format(pin=DEMO_PIN, url=demo_clinic[0].url), file=sys.stderr)
            return start_sync(opened[0], data_dir, on_not_enrolled)
        except (SyncError, StoreError) as exc:
            print(f"kiosk: sync is off: {exc}", file=sys.stderr)
        except (KnownError, OSError) as exc:
            print(f"kiosk: the demo clinic did not start: {exc}", file=sys.stderr)
        return None

    try:
        if no_screen():  # the store is still checked first
            return None if load() is None else fail(NO_SCREEN)
        shown = show_kiosk(
            pathway,
            licences,
            settings,
            load,
            windowed=args.windowed,
            quit_after=args.quit_after,
            start_sync=sync_or_none,
        )
        return None if shown is None else 0
    finally:
        for store in opened:
            store.close()
