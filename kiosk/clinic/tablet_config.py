"""What the clinic serves its tablets: the forms and pathways from its forms folders,
its public keys and today's clinic list (kept encrypted), with a version that changes
whenever any of them does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kiosk.clinic.imd import count_appointments
from kiosk.clinic.models import ClinicListDay
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.exchange.clinic_list import ClinicList, parse_csv


class TabletConfig:
    """The tablets' configuration, and the clinic lists it carries."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing
        # What the last configuration was built from, and the configuration.
        self._last: tuple[tuple[Any, ...], dict[str, Any]] | None = None

    def set_clinic_list(self, day: dt.date, csv_text: str, actor: str) -> None:
        """Keep ``day``'s list (encrypted) and count its appointments by group.

        ClinicListError (naming the line) if the list is not valid."""
        parsed = parse_csv(csv_text, f"the clinic list for {day.isoformat()}", day)
        with self.plumbing.transaction() as db:
            self.save_in(db, parsed, csv_text, actor)

    def save_in(
        self,
        db: Session,
        parsed: ClinicList,
        csv_text: str,
        actor: str,
        *,
        row: ClinicListDay | None = None,
        detail: str | None = None,
    ) -> None:
        """Keep a checked list in ``db``'s transaction: its counts, the sealed CSV, the
        audit row (``row``: the day's row when the caller already holds it locked)."""
        plumbing, day = self.plumbing, parsed.day.isoformat()
        count_appointments(db, parsed)
        row = row if row is not None else db.get(ClinicListDay, day)
        sealed = plumbing.secrets.seal(csv_text, f"clinic_lists/{day}")
        if row is None:
            db.add(ClinicListDay(day=day, csv=sealed, updated_at=now_text()))
        else:
            row.csv, row.updated_at = sealed, now_text()
        plumbing.audit(db, actor, "clinic_list_saved", "ok", target=day, detail=detail)

    def current(self) -> dict[str, Any]:
        """The configuration as served now, with its ``version``."""
        return dict(self._served())

    def version(self) -> str:
        """The ``version`` :meth:`current` would give now (its ETag): what a tablet
        compares with the one it holds, announced on every batch's answer."""
        return str(self._served()["version"])

    def _served(self) -> dict[str, Any]:
        """The configuration built from the forms folders, the keys and today's list as
        they are now; built again only when one of them changed since the last time. The
        list is read from the database every time (another service process may have
        saved it), the files are looked at (their size and time), not read."""
        files = [
            path for folder in self.plumbing.forms_folders for path in sorted(folder.glob("*.yaml"))
        ]
        today = dt.date.today().isoformat()
        with self.plumbing.transaction() as db:
            sealed = db.scalar(select(ClinicListDay.csv).where(ClinicListDay.day == today))
        try:
            stamps = tuple(_stamp(path) for path in files)
        except OSError:
            stamps = None  # a file is being replaced: build from what reads, keep nothing
        source = (stamps, tuple(self.plumbing.keyring.public_texts()), today, sealed)
        last = self._last
        if stamps is not None and last is not None and last[0] == source:
            return last[1]
        served = self._build(files, today, sealed, list(source[1]))
        if stamps is not None:
            self._last = (source, served)  # one assignment: a thread sees old or new
        return served

    def _build(
        self, files: list[Path], today: str, sealed: bytes | None, clinic_keys: list[str]
    ) -> dict[str, Any]:
        forms: dict[str, str] = {}
        pathways = ""
        for path in files:
            if path.name == "pathways.yaml":
                pathways = path.read_text(encoding="utf-8")
            else:
                forms[path.name] = path.read_text(encoding="utf-8")
        clinic_list = None
        if sealed is not None:
            csv_text = self.plumbing.secrets.open(sealed, f"clinic_lists/{today}")
            clinic_list = {"day": today, "csv": csv_text}
        body = {
            "clinic_keys": clinic_keys,
            "pathways": pathways,
            "forms": forms,
            "clinic_list": clinic_list,
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
        return {"version": digest, **body}


def _stamp(path: Path) -> tuple[str, int, int, int]:
    """What changes when a file is edited in place or replaced (a new inode)."""
    status = path.stat()
    return str(path), status.st_ino, status.st_mtime_ns, status.st_size
