"""The site's licence register: which licensed instruments it may use.

Some instruments (MYCaW, a site's own PAM-13) may only be used by a site that
holds a licence. A form marked ``site_licence_required`` stays disabled until
an administrator records the site's licence reference with
``kiosk forms enable FORM --licence REF``.

The register is a small JSON file in the data folder, written atomically
(:func:`kiosk.site.files.write_atomically`) so a crash never leaves half a file.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.site.errors import SiteError

REGISTER_FILE = "licences.json"
MAX_REFERENCE = 200


class LicenceRegisterError(SiteError):
    """The register cannot be read or written, or a reference is unusable."""


@dataclass(frozen=True)
class LicenceRecord:
    form_id: str
    reference: str
    recorded_at: str


class LicenceRegister:
    def __init__(self, folder: Path) -> None:
        self.path = folder / REGISTER_FILE

    def records(self) -> dict[str, LicenceRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise LicenceRegisterError(f"cannot read licence register {self.path}: {exc}") from None
        if not isinstance(raw, dict) or not all(
            isinstance(v, dict) and isinstance(v.get("reference"), str) for v in raw.values()
        ):
            raise LicenceRegisterError(f"licence register {self.path} is not in the expected form")
        return {
            form_id: LicenceRecord(form_id, entry["reference"], str(entry.get("recorded_at", "")))
            for form_id, entry in raw.items()
        }

    def references(self) -> dict[str, str]:
        """form id -> licence reference, for the forms this site may use."""
        return {form_id: record.reference for form_id, record in self.records().items()}

    def enable(self, form_id: str, reference: str) -> LicenceRecord:
        reference = " ".join(reference.split())
        if not reference:
            raise LicenceRegisterError("the licence reference is empty")
        if len(reference) > MAX_REFERENCE or not reference.isprintable():
            raise LicenceRegisterError(
                f"the licence reference must be printable and at most {MAX_REFERENCE} characters"
            )
        record = LicenceRecord(
            form_id, reference, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        )
        records = self.records()
        records[form_id] = record
        self._write(records)
        return record

    def disable(self, form_id: str) -> bool:
        records = self.records()
        if records.pop(form_id, None) is None:
            return False
        self._write(records)
        return True

    def _write(self, records: dict[str, LicenceRecord]) -> None:
        # Imported only to write (it loads secrets, hashlib): reading the register is
        # on the way to the kiosk's first screen.
        from kiosk.site.files import write_atomically

        data: dict[str, Any] = {
            form_id: {k: v for k, v in asdict(r).items() if k != "form_id"}
            for form_id, r in sorted(records.items())
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(self.path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))
        except OSError as exc:
            raise LicenceRegisterError(
                f"cannot write licence register {self.path}: {exc.strerror or exc}"
            ) from None
