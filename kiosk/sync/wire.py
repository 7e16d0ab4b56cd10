"""The clinic's answers to the tablet, checked against docs/sync-protocol.md.

The tablet API's full paths and body limit (from :mod:`kiosk.vocabulary`), and
the parsing of what the clinic sends back: upload results, the configuration
(forms, pathways, clinic keys, today's clinic list). Anything not in the
promised shape is a :class:`ProtocolError`; nothing here touches the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.sync.errors import ProtocolError
from kiosk.vocabulary import (
    API_PREFIX,
    APPOINTMENT_STAGES,
    ENROL,
    MAX_UPLOAD_BYTES,
    SUBMISSIONS,
    TABLET_CONFIG,
    TABLET_PROGRESS,
)

ENROL_PATH = API_PREFIX + ENROL
CONFIG_PATH = API_PREFIX + TABLET_CONFIG
SUBMISSIONS_PATH = API_PREFIX + SUBMISSIONS
PROGRESS_PATH = API_PREFIX + TABLET_PROGRESS
MAX_BODY_BYTES = MAX_UPLOAD_BYTES


@dataclass(frozen=True)
class Result:
    """The clinic's verdict on one submission: 201/200 with a receipt, 409 without;
    422 with a receipt when the clinic holds this envelope for review (``held``: why),
    without one when it kept nothing (or is older than held receipts)."""

    id: str
    status: int
    receipt: str | None
    held: str | None = None


@dataclass(frozen=True)
class ClinicListText:
    day: dt.date
    csv: str = field(repr=False)  # names, dates of birth, NHS numbers


@dataclass(frozen=True)
class Config:
    """``GET /api/v1/tablet/config`` as received; applied by :mod:`kiosk.sync.config`."""

    version: str
    clinic_keys: tuple[str, ...]
    pathways: str = field(repr=False)
    forms: Mapping[str, str] = field(repr=False)
    clinic_list: ClinicListText | None
    etag: str | None = None

    @property
    def tag(self) -> str:
        """What to send back in ``If-None-Match``: the ETag as received, else the version."""
        return self.etag or self.version


_STATUSES = frozenset({200, 201, 409, 422})


def parse_results(data: Any, ids: Sequence[str]) -> list[Result]:
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list) or len(results) != len(ids):
        raise ProtocolError("The clinic's answer does not give one result per submission sent.")
    parsed = []
    for sent, result in zip(ids, results, strict=True):
        if not isinstance(result, dict) or result.get("id") != sent:
            raise ProtocolError("The clinic's results are not for the submissions sent, in order.")
        status, receipt = result.get("status"), result.get("receipt")
        if type(status) is not int or status not in _STATUSES:
            raise ProtocolError(f"The clinic gave submission {sent} an unknown status.")
        held = None
        if status in (200, 201):
            if not isinstance(receipt, str) or not receipt.startswith("sha256:"):
                raise ProtocolError(f"The clinic stored submission {sent} but gave no receipt.")
        elif status == 422 and isinstance(receipt, str) and receipt.startswith("sha256:"):
            why = result.get("held")
            held = why[:40] if isinstance(why, str) else "held"
        else:
            receipt = None
        parsed.append(Result(sent, status, receipt, held))
    return parsed


def parse_config(data: Any, etag: str | None) -> Config:
    if not isinstance(data, dict):
        raise ProtocolError("The clinic's configuration is not a JSON object.")
    version, keys = data.get("version"), data.get("clinic_keys")
    pathways, forms = data.get("pathways"), data.get("forms")
    if not isinstance(version, str) or not version:
        raise ProtocolError("The clinic's configuration has no version.")
    if not isinstance(keys, list) or not keys or not all(isinstance(k, str) for k in keys):
        raise ProtocolError("The clinic's configuration lists no clinic keys.")
    if not isinstance(pathways, str):
        raise ProtocolError("The clinic's configuration has no pathways.")
    if not isinstance(forms, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in forms.items()
    ):
        raise ProtocolError("The clinic's configuration's forms are not file names and texts.")
    return Config(
        version=version,
        clinic_keys=tuple(keys),
        pathways=pathways,
        forms=dict(forms),
        clinic_list=_clinic_list(data.get("clinic_list")),
        etag=etag or None,
    )


def _clinic_list(value: Any) -> ClinicListText | None:
    if value is None:
        return None
    day = value.get("day") if isinstance(value, dict) else None
    text = value.get("csv") if isinstance(value, dict) else None
    if not isinstance(day, str) or not isinstance(text, str):
        raise ProtocolError("The clinic list in the configuration has no day or no CSV.")
    try:
        return ClinicListText(dt.date.fromisoformat(day), text)
    except ValueError:
        raise ProtocolError("The clinic list's day is not a date (YYYY-MM-DD).") from None


def parse_progress(data: Any) -> str:
    """The stage the clinic now keeps for an appointment (never behind the one sent)."""
    stage = data.get("stage") if isinstance(data, dict) else None
    if stage not in APPOINTMENT_STAGES:
        raise ProtocolError("The clinic's answer to a progress report names no known stage.")
    return str(stage)
