"""The staff client's calls for administrators: accounts, tablets, held submissions,
the audit log, exports and the board report (docs/staff-api.md).

Each builds its route from :mod:`kiosk.vocabulary` and goes through the client's one
transport (``StaffClient._call``, ``StaffClient.download``), where refusals become
the console's known errors.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

# The same route names the clinic's admin router imports: both ends of the wire.
from kiosk.console.transport_stub import Transport
from kiosk.vocabulary import (
    AUDIT,
    BOARD_REPORT,
    DEVICE_REVOKE,
    DEVICES,
    ENROLMENT_CODES,
    EXPORT_ANONYMISED,
    EXPORT_APPOINTMENTS,
    EXPORT_DICTIONARY,
    EXPORT_FHIR,
    HELD,
    HELD_REPROCESS,
    HELD_REPROCESS_ALL,
    USER_CLINICS,
    USER_DISABLE,
    USER_ENABLE,
    USER_RESET_PASSWORD,
    USER_ROLE,
    USERS,
)


class AdministrationCalls(Transport):
    """Mixed into :class:`kiosk.console.client.StaffClient`, which does the talking."""

    # A stub of the host's download, the same signature as StaffClient's on purpose
    # (kiosk.console.transport_stub says why).
    def download(self, path: str, params: Mapping[str, Any], out: Path) -> int:
        raise NotImplementedError  # StaffClient's

    # ------------------------------------------------------------ administration
    def audit(
        self, *, target: str | None = None, actor: str | None = None, limit: int = 200
    ) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"limit": limit}
        if target:
            params["target"] = target
        if actor:
            params["actor"] = actor
        return list(self._call("GET", AUDIT, params=params)["entries"])

    def users(self) -> list[dict[str, Any]]:
        return list(self._call("GET", USERS)["users"])

    def add_user(
        self, username: str, role: str, password: str, clinics: Sequence[str] | None = None
    ) -> dict[str, Any]:
        """``clinics``: the clinics the account is limited to; None for every clinic."""
        body: dict[str, Any] = {"username": username, "role": role, "password": password}
        if clinics is not None:
            body["clinics"] = list(clinics)
        return self._call("POST", USERS, body)

    def disable_user(self, username: str) -> dict[str, Any]:
        return self._call("POST", USER_DISABLE.format(username=_segment(username)))

    def enable_user(self, username: str) -> dict[str, Any]:
        return self._call("POST", USER_ENABLE.format(username=_segment(username)))

    def reset_password(self, username: str) -> str:
        """A one-time password for ``username``, who must change it on signing in."""
        path = USER_RESET_PASSWORD.format(username=_segment(username))
        return str(self._call("POST", path)["one_time_password"])

    def set_role(self, username: str, role: str) -> dict[str, Any]:
        path = USER_ROLE.format(username=_segment(username))
        return self._call("PUT", path, {"role": role})

    def set_clinics(self, username: str, clinics: Sequence[str] | None) -> dict[str, Any]:
        """Limit ``username`` to ``clinics``; None: every clinic."""
        body = {"clinics": list(clinics) if clinics is not None else None}
        return self._call("PUT", USER_CLINICS.format(username=_segment(username)), body)

    def devices(self) -> list[dict[str, Any]]:
        return list(self._call("GET", DEVICES)["devices"])

    def revoke_device(self, device_id: str) -> None:
        self._call("POST", DEVICE_REVOKE.format(device_id=device_id))

    def enrolment_code(self) -> str:
        return str(self._call("POST", ENROLMENT_CODES)["code"])

    def held(self, *, include_resolved: bool = False) -> list[dict[str, Any]]:
        """Submissions held at the clinic for review (administrators)."""
        params = {"include_resolved": "true"} if include_resolved else None
        return list(self._call("GET", HELD, params=params)["held"])

    def reprocess_held(self, held_id: int) -> dict[str, Any]:
        """Run one held submission through the clinic again: ``outcome`` stored or held."""
        return self._call("POST", HELD_REPROCESS.format(held_id=int(held_id)))

    def reprocess_all_held(self) -> list[dict[str, Any]]:
        return list(self._call("POST", HELD_REPROCESS_ALL)["results"])

    # ------------------------------------------------------------ exports
    # Each call's signature mirrors its route's query parameters (kiosk.clinic.api.admin).
    def export_anonymised(
        self,
        out: Path,
        project: str,
        purpose: str,
        *,
        free_text: bool = False,
        shift_dates: bool = False,
    ) -> int:
        params = {
            "project": project,
            "purpose": purpose,
            "free_text": str(free_text).lower(),
            "shift_dates": str(shift_dates).lower(),
        }
        return self.download(EXPORT_ANONYMISED, params, out)

    def export_dictionary(self, out: Path, project: str, *, free_text: bool = False) -> int:
        params = {"project": project, "free_text": str(free_text).lower()}
        return self.download(EXPORT_DICTIONARY, params, out)

    def export_appointments(self, out: Path) -> int:
        return self.download(EXPORT_APPOINTMENTS, {}, out)

    def export_fhir(
        self,
        out: Path,
        project: str,
        purpose: str,
        *,
        identified: bool = False,
        free_text: bool = False,
    ) -> int:
        """A FHIR R4 Bundle; ``identified`` (NHS numbers, for a clinical system) needs a
        stated purpose like any export and is audited as identified."""
        params = {
            "project": project,
            "purpose": purpose,
            "identified": str(identified).lower(),
            "free_text": str(free_text).lower(),
        }
        return self.download(EXPORT_FHIR, params, out)

    def board_report(
        self,
        out: Path,
        project: str,
        first: str,
        last: str,
        *,
        clinic: str | None = None,
        kind: str = "pdf",
    ) -> int:
        """The equity and outcomes report (``kind`` "pdf" or "csv") for months
        ``first``..``last`` (YYYY-MM), one clinic or all."""
        params = {"project": project, "first": first, "last": last}
        if clinic:
            params["clinic"] = clinic
        return self.download(BOARD_REPORT.format(kind=kind), params, out)


def _segment(name: str) -> str:
    """A username as one path segment, whatever it holds."""
    return quote(name, safe="")
