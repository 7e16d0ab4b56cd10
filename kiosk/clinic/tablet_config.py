"""What the clinic serves its tablets: the forms and pathways from its forms folders,
its public keys and today's clinic list (kept encrypted), with a version that changes
whenever any of them does.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from kiosk.clinic.imd import count_appointments
from kiosk.clinic.models import ClinicListDay
from kiosk.clinic.plumbing import Plumbing, now_text
from kiosk.exchange.clinic_list import ClinicList, parse_csv


class TabletConfig:
    """The tablets' configuration, and the clinic lists it carries."""

    def __init__(self, plumbing: Plumbing) -> None:
        self.plumbing = plumbing

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
        forms: dict[str, str] = {}
        pathways = ""
        for folder in self.plumbing.forms_folders:
            for path in sorted(folder.glob("*.yaml")):
                if path.name == "pathways.yaml":
                    pathways = path.read_text(encoding="utf-8")
                else:
                    forms[path.name] = path.read_text(encoding="utf-8")
        today = dt.date.today().isoformat()
        clinic_list = None
        with self.plumbing.transaction() as db:
            row = db.get(ClinicListDay, today)
            if row is not None:
                csv_text = self.plumbing.secrets.open(row.csv, f"clinic_lists/{today}")
                clinic_list = {"day": today, "csv": csv_text}
        body = {
            "clinic_keys": self.plumbing.keyring.public_texts(),
            "pathways": pathways,
            "forms": forms,
            "clinic_list": clinic_list,
        }
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:32]
        return {"version": digest, **body}
