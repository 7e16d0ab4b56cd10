"""The demo set-up shared by ``kiosk run --demo``, ``kiosk clinic serve --demo`` and
``kiosk staff --demo``: a demo clinic (made once) and a demo tablet enrolled with it.

Everything here is made up and published: the clinic's passphrase, the staff users'
password, the staff PIN and the patients on today's list (NHS numbers from the 999
test range, which are never issued to anyone). Never use them for real.

The clinic's modules are imported only when a demo clinic is made, so the tablet's
bundle, which leaves parts of the clinic out, still starts without ``--demo``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.site import paths
from kiosk.site.settings import SETTINGS_FILE
from kiosk.vocabulary import ADMINISTRATOR, CLINICIAN, LINK_WORKER, RECEPTIONIST

if TYPE_CHECKING:
    from kiosk.store import TabletStore

DEMO_PASSPHRASE = b"demo clinic passphrase - not for real use"
DEMO_USERS = (
    ("admin", ADMINISTRATOR),
    ("clinician", CLINICIAN),
    ("linkworker", LINK_WORKER),
    ("reception", RECEPTIONIST),
)
DEMO_PASSWORD = "demo password 2026"  # noqa: S105 - the demo's published password
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
    "(PIN {pin}) hand over DEMO-0002. The demo clinic is at {url} (staff users and "
    "password: docs/clinic.md)."
)


def prepare_demo_clinic(folder: Path, hosts: list[str]) -> Any:
    """A demo clinic (made once): SQLite, demo users, today's demo list."""
    from kiosk.clinic.models import User
    from kiosk.clinic.setup import init_clinic, open_service
    from kiosk.clinic.tls import CERT_FILE

    if not (folder / CERT_FILE).exists():
        init_clinic(folder, DEMO_PASSPHRASE, hosts)
    service = open_service(folder, DEMO_PASSPHRASE, None, paths.form_dirs())
    with service.transaction() as db:
        have_users = db.query(User).count() > 0
    if not have_users:
        for username, role in DEMO_USERS:
            service.staff.add(username, role, DEMO_PASSWORD, "demo")
    service.set_clinic_list(dt.date.today(), DEMO_LIST, "demo")
    return service


def made_demo_tablet(folder: Path) -> Path | None:
    """The demo tablet's data folder if an earlier run made it (its settings file is
    written last, once it is enrolled), else None. The kiosk then starts at once and
    the demo clinic after it, since nothing before the first patient needs the clinic."""
    tablet = folder / "tablet"
    return tablet if (tablet / SETTINGS_FILE).is_file() else None


def prepare_demo(folder: Path) -> tuple[Path, Any]:
    """Start the demo clinic beside the kiosk and enrol the demo tablet with it (once).

    Returns the tablet's data folder and the running clinic service."""
    from kiosk.clinic.setup import serve_in_thread
    from kiosk.sync.config import read_clinic_record, write_clinic_record
    from kiosk.sync.enrol import enrol

    tablet = folder / "tablet"
    service = prepare_demo_clinic(folder / "clinic", ["127.0.0.1"])
    running = serve_in_thread(service, folder / "clinic")
    try:
        record = read_clinic_record(tablet) if tablet.exists() else None
        if record is None:
            if tablet.exists():  # a demo tablet from before the demo clinic: start afresh
                tablet.rename(folder / f"tablet-old-{int(time.time())}")
            tablet.mkdir(parents=True)
            enrol(running.url, service.issue_code("demo"), tablet, "Demo tablet")
        elif record.url != running.url:  # the demo clinic listens on a new port each run
            write_clinic_record(tablet, dataclasses.replace(record, url=running.url))
        if not (tablet / SETTINGS_FILE).is_file():
            (tablet / SETTINGS_FILE).write_text(
                '# The demo tablet. See docs/configuration.md.\n[kiosk]\npathway = "cardiology"\n'
                'link = "self_check_in"\n',
                encoding="utf-8",
            )
    except BaseException:
        running.stop()
        raise
    return tablet, running


def demo_day(store: TabletStore) -> None:
    """The demo staff PIN."""
    from kiosk.store import StaffPin

    pin = StaffPin(store)
    if not pin.is_set():
        pin.set_pin(DEMO_PIN)
