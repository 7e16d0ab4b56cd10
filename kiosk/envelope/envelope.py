"""The submission envelope: what a tablet sends and the clinic opens.

An envelope is canonical JSON (UTF-8). In clear it carries only ids, times,
form ids, versions and hashes, and the status; everything a patient entered is
in ``records``, each sealed under the session's data key (see seal.py)::

    {"format": "wmk-envelope/1", "submission_id": ..., "status": "complete",
     "end_reason": "submitted", "started_at": ..., "ended_at": ...,
     "pathway": "cardiology", "forms": [{"id", "version", "hash"}, ...],
     "key": {wrapped data key}, "records": [{"seq", "name", "sealed"}, ...]}

Records are numbered from 1 with no gaps. A complete session's last record is
``_session/end`` (sealed), so a tablet cannot be made to pass off an
incomplete session as complete. Its receipt is the SHA-256 of the bytes.
"""

from __future__ import annotations

import hashlib
import json
from base64 import b64decode, b64encode
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.envelope.errors import MalformedEnvelope, TamperedError, WrongKeyError
from kiosk.envelope.keys import key_id
from kiosk.envelope.seal import WrappedKey, open_record, unwrap_data_key, wipe

FORMAT = "wmk-envelope/1"
START_RECORD = "_session/start"
END_RECORD = "_session/end"
STATUSES = ("complete", "incomplete")


@dataclass(frozen=True)
class SealedRecord:
    seq: int
    name: str
    sealed: bytes


def envelope_hash(envelope: bytes) -> str:
    return "sha256:" + hashlib.sha256(envelope).hexdigest()


def build_envelope(
    *,
    submission_id: str,
    status: str,
    end_reason: str,
    started_at: str,
    ended_at: str,
    pathway: str,
    forms: Sequence[Mapping[str, str]],
    wrapped_key: WrappedKey,
    records: Sequence[SealedRecord],
) -> bytes:
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}")
    document = {
        "format": FORMAT,
        "submission_id": submission_id,
        "status": status,
        "end_reason": end_reason,
        "started_at": started_at,
        "ended_at": ended_at,
        "pathway": pathway,
        "forms": [dict(f) for f in forms],
        "key": wrapped_key.to_json(),
        "records": [
            {"seq": r.seq, "name": r.name, "sealed": b64encode(r.sealed).decode()} for r in records
        ],
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":")).encode()


def read_header(envelope: bytes) -> dict[str, Any]:
    """The clear part of an envelope (no key needed). MalformedEnvelope if unreadable."""
    try:
        document = json.loads(envelope)
    except (ValueError, UnicodeDecodeError):
        raise MalformedEnvelope("the envelope is not JSON") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise MalformedEnvelope(f"the envelope is not in the {FORMAT} format")
    missing = {"submission_id", "status", "key", "records", "forms"} - set(document)
    if missing:
        raise MalformedEnvelope(f"the envelope lacks {', '.join(sorted(missing))}")
    return document


@dataclass
class OpenedSubmission:
    """A submission as the clinic sees it after opening."""

    submission_id: str
    status: str
    end_reason: str
    started_at: str
    ended_at: str
    pathway: str
    forms: list[dict[str, str]]
    records: list[tuple[int, str, Any]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)
    """Records that failed authentication (only when opened with ``strict=False``)."""

    def answers(self) -> dict[str, dict[str, Any]]:
        """form id -> {item id: latest answer}; a later record replaces an earlier one,
        and a null value means the answer was withdrawn."""
        result: dict[str, dict[str, Any]] = {}
        for _seq, name, value in self.records:
            if name.startswith("_"):
                continue
            form_id, _, item_id = name.partition("/")
            answers = result.setdefault(form_id, {})
            if value is None:
                answers.pop(item_id, None)
            else:
                answers[item_id] = value
        return {form_id: a for form_id, a in result.items() if a}

    def record(self, name: str) -> Any:
        """The latest value of a named record (e.g. ``_session/start``), or None."""
        found = None
        for _seq, record_name, value in self.records:
            if record_name == name:
                found = value
        return found


def open_envelope(
    envelope: bytes,
    private_keys: Mapping[str, X25519PrivateKey] | X25519PrivateKey,
    *,
    strict: bool = True,
) -> OpenedSubmission:
    """Open every record. TamperedError names the first record that fails.

    With ``strict=False`` records that fail authentication are listed in
    ``failed`` and the rest are returned, so one damaged record does not cost a
    patient all their other answers; the caller must report ``failed``.
    """
    header = read_header(envelope)
    submission_id = str(header["submission_id"])
    try:
        wrapped = WrappedKey.from_json(header["key"])
        records = [
            SealedRecord(int(r["seq"]), str(r["name"]), b64decode(r["sealed"], validate=True))
            for r in header["records"]
        ]
    except (KeyError, TypeError, ValueError):
        raise MalformedEnvelope(f"submission {submission_id}: unreadable key or records") from None
    if isinstance(private_keys, X25519PrivateKey):
        private_keys = {key_id(private_keys.public_key()): private_keys}
    private = private_keys.get(wrapped.clinic_key_id)
    if private is None:
        raise WrongKeyError(
            f"submission {submission_id} was sealed for clinic key {wrapped.clinic_key_id}, "
            "which is not among the keys given"
        )
    data_key = unwrap_data_key(wrapped, private, submission_id)
    try:
        opened = OpenedSubmission(
            submission_id=submission_id,
            status=str(header["status"]),
            end_reason=str(header.get("end_reason", "")),
            started_at=str(header.get("started_at", "")),
            ended_at=str(header.get("ended_at", "")),
            pathway=str(header.get("pathway", "")),
            forms=list(header["forms"]),
        )
        for expected, record in enumerate(records, start=1):
            if record.seq != expected:
                raise TamperedError(
                    f"submission {submission_id}: record {expected} is missing or out of order"
                )
            try:
                value = open_record(data_key, submission_id, record.name, record.seq, record.sealed)
            except TamperedError:
                if strict:
                    raise
                opened.failed.append((record.seq, record.name))
                continue
            opened.records.append((record.seq, record.name, value))
    finally:
        wipe(data_key)
    _check_status(opened, len(records))
    return opened


def _check_status(opened: OpenedSubmission, count: int) -> None:
    """The clear header must agree with the sealed start and end records.

    A session that ended normally (submitted, abandoned, timed out) ends with a
    sealed ``_session/end`` record naming its status and reason, so its records
    cannot be cut short unnoticed. Only a session cut off by a crash has no end
    record (the key was gone); it is always reported as incomplete, interrupted.
    A session that ended but was not yet filed when the power went is recovered
    as "interrupted" by the tablet; its sealed end record then decides.

    With records that failed to open (``strict=False``), each of the two that did
    open is still checked: one broken answer must not let a changed header through.
    Only a start or end record that itself failed goes unchecked (it is reported
    in ``failed``).
    """
    sid = opened.submission_id
    if opened.status not in STATUSES:
        raise MalformedEnvelope(f"submission {sid}: unknown status")
    failed = {seq for seq, _name in opened.failed}
    if 1 not in failed:
        if not opened.records or opened.records[0][:2] != (1, START_RECORD):
            raise TamperedError(f"submission {sid}: the start record is missing")
        start = opened.records[0][2]
        if not isinstance(start, dict) or (
            start.get("pathway"),
            start.get("forms"),
            start.get("started_at"),
        ) != (opened.pathway, opened.forms, opened.started_at):
            raise TamperedError(
                f"submission {sid}: the clear header does not match its sealed start"
            )
    if count in failed:
        return  # the last record did not open: nothing to compare the status with
    last_name, last_value = opened.records[-1][1], opened.records[-1][2]
    if last_name != END_RECORD:
        if (opened.status, opened.end_reason) != ("incomplete", "interrupted"):
            raise TamperedError(
                f"submission {sid} says it ended normally ({opened.end_reason}) "
                "but its sealed end record is missing"
            )
        return
    if not isinstance(last_value, dict):
        raise TamperedError(f"submission {sid}: the end record is not readable")
    sealed = (last_value.get("status", "complete"), last_value.get("end_reason"))
    if (opened.status, opened.end_reason) == ("incomplete", "interrupted"):
        # The session ended normally, but the power went before the tablet filed it:
        # the sealed end record says how it ended.
        opened.status, opened.end_reason = str(sealed[0]), str(sealed[1])
        return
    if sealed != (opened.status, opened.end_reason):
        raise TamperedError(
            f"submission {sid}: the clear status ({opened.status}, {opened.end_reason}) does "
            f"not match its sealed end record ({sealed[0]}, {sealed[1]})"
        )
