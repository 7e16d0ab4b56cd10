"""The hospital's HL7 v2 SIU messages over real MLLP on 127.0.0.1, on SQLite and
PostgreSQL: new, moved, changed, cancelled and deleted appointments reach the clinic
lists; wrong messages are answered AE or AR naming the segment and field; repeats are
answered byte for byte and applied once; a message is kept before it is acknowledged.
The messages are tests/exchange/siu_sample.py's (not real people)."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from kiosk.clinic.clinic_list_updates import ClinicListUpdates
from kiosk.clinic.config import MllpSettings
from kiosk.clinic.mllp import END, START, MllpListener, frame
from kiosk.clinic.models import AuditEntry, ClinicListDay, Hl7Message
from kiosk.clinic.service import ClinicService
from kiosk.exchange.clinic_list import parse_csv
from tests.conftest import FORMS
from tests.exchange.siu_sample import siu

pytestmark = [pytest.mark.clinic]

PASSPHRASE = b"a clinic passphrase for tests"
TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)
LATER = TODAY + dt.timedelta(days=2)


def at(day: dt.date, time: str) -> str:
    """An HL7 start time: ``day`` at HH:MM."""
    return day.strftime("%Y%m%d") + time.replace(":", "")


@dataclass
class Feed:
    service: ClinicService
    listener: MllpListener
    folder: Path

    def connect(self) -> socket.socket:
        return socket.create_connection(("127.0.0.1", self.listener.port), timeout=30)

    def send(self, message: str) -> str:
        """One message on a new connection; its acknowledgement."""
        with self.connect() as connection:
            return exchange(connection, message)

    def lists(self) -> dict[dt.date, list[tuple[str, str, str, str]]]:
        """Every stored clinic list: (appointment id, time, clinic, family name)."""
        out: dict[dt.date, list[tuple[str, str, str, str]]] = {}
        with self.service.transaction() as db:
            for row in db.scalars(select(ClinicListDay).order_by(ClinicListDay.day)):
                day = dt.date.fromisoformat(row.day)
                text = self.service.plumbing.secrets.open(row.csv, f"clinic_lists/{row.day}")
                out[day] = [
                    (a.appointment_id, a.time, a.clinic, a.family_name)
                    for a in parse_csv(text, "stored", day).appointments
                ]
        return out

    def stored(self) -> list[tuple[str, str, str]]:
        """The kept messages: (control id, type, ACK code), in arrival order."""
        with self.service.transaction() as db:
            rows = db.scalars(select(Hl7Message).order_by(Hl7Message.id))
            return [(r.control_id, r.message_type, r.ack_code) for r in rows]

    def saves(self) -> list[AuditEntry]:
        with self.service.transaction() as db:
            query = select(AuditEntry).where(AuditEntry.action == "clinic_list_saved")
            rows = list(db.scalars(query.order_by(AuditEntry.id)))
            db.expunge_all()
            return rows


def exchange(connection: socket.socket, message: str | bytes) -> str:
    """Send one framed message and read its framed acknowledgement."""
    connection.sendall(frame(message) if isinstance(message, str) else message)
    return read_frame(connection)


def read_frame(connection: socket.socket) -> str:
    data = b""
    while not data.endswith(END):
        chunk = connection.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {data!r}")
        data += chunk
    assert data.startswith(START)
    return data[1 : -len(END)].decode("utf-8")


def msa(ack: str) -> list[str]:
    return ack.split("\r")[1].split("|")


def err(ack: str) -> list[str]:
    return ack.split("\r")[2].split("|")


def open_feed(tmp_path: Path, database_url: str, **settings: Any) -> Feed:
    from kiosk.clinic.setup import init_clinic, open_service

    folder = tmp_path / "clinic"
    init_clinic(folder, PASSPHRASE, ["127.0.0.1"])
    service = open_service(folder, PASSPHRASE, database_url, [FORMS])
    listener = MllpListener(
        MllpSettings(host="127.0.0.1", port=0, **settings), service.hospital.receive_hl7
    )
    threading.Thread(target=listener.serve_forever, daemon=True).start()
    return Feed(service, listener, folder)


def close_feed(feed: Feed) -> None:
    feed.listener.shutdown()
    feed.listener.server_close()
    feed.service.engine.dispose()


@pytest.fixture
def feed(tmp_path: Path, database_url: str) -> Iterator[Feed]:
    """A clinic on SQLite, then on a real PostgreSQL, with its MLLP listener on a free port."""
    made = open_feed(tmp_path, database_url)
    yield made
    close_feed(made)


# ------------------------------------------------------------------ the lists


@pytest.mark.control("H-03-C9")
def test_new_moved_changed_cancelled_and_deleted_appointments_reach_the_lists(
    feed: Feed,
) -> None:
    def accepted(message: str) -> None:
        ack = feed.send(message)
        assert msa(ack)[:3] == ["MSA", "AA", message.split("\r")[0].split("|")[9]], ack

    accepted(siu("S12", "M1", "A-1", at(TOMORROW, "09:30")))
    accepted(siu("S12", "M2", "A-2", at(TOMORROW, "10:00"), family="Second"))
    accepted(siu("S12", "M3", "A-3", at(LATER, "11:00"), family="Third"))
    assert feed.lists() == {
        TOMORROW: [
            ("A-1", "09:30", "Heart clinic", "Zebedee-Quill"),
            ("A-2", "10:00", "Heart clinic", "Second"),
        ],
        LATER: [("A-3", "11:00", "Heart clinic", "Third")],
    }
    # S13: A-1 is moved to another day and time; it leaves tomorrow's list.
    accepted(siu("S13", "M4", "A-1", at(LATER, "08:45")))
    # S14: A-2's details change (another clinic, the family name put right).
    accepted(siu("S14", "M5", "A-2", at(TOMORROW, "10:00"), family="Seconde", clinic="Renal"))
    assert feed.lists() == {
        TOMORROW: [("A-2", "10:00", "Renal", "Seconde")],
        LATER: [
            ("A-1", "08:45", "Heart clinic", "Zebedee-Quill"),
            ("A-3", "11:00", "Heart clinic", "Third"),
        ],
    }
    # S15 cancels A-3 (no patient segment needed); S17 deletes A-2.
    accepted(siu("S15", "M6", "A-3", at(LATER, "11:00"), drop="PID"))
    accepted(siu("S17", "M7", "A-2", at(TOMORROW, "10:00")))
    assert feed.lists() == {
        TOMORROW: [],
        LATER: [("A-1", "08:45", "Heart clinic", "Zebedee-Quill")],
    }
    assert [code for *_, code in feed.stored()] == ["AA"] * 7


def test_todays_appointment_reaches_the_tablets_configuration(feed: Feed) -> None:
    assert feed.service.tablet_config()["clinic_list"] is None
    assert msa(feed.send(siu("S12", "T1", "A-9", at(TODAY, "14:00"))))[1] == "AA"
    served = feed.service.tablet_config()["clinic_list"]
    assert served["day"] == TODAY.isoformat()
    appointments = parse_csv(served["csv"], "served", TODAY).appointments
    assert [(a.appointment_id, a.time, a.nhs_number) for a in appointments] == [
        ("A-9", "14:00", "9434765919")
    ]


def test_a_cancel_without_its_day_finds_the_appointment(feed: Feed) -> None:
    feed.send(siu("S12", "M1", "A-1", at(LATER, "09:30")))
    no_times = siu("S15", "M2", "A-1", at(LATER, "09:30"), drop="PID").replace(
        at(LATER, "09:30"), ""
    )
    assert msa(feed.send(no_times))[1] == "AA"
    assert feed.lists() == {LATER: []}


@pytest.mark.parametrize("appointment_id", ["A-1", 'A,"1"'])
def test_a_move_finds_the_appointment_among_look_alikes(feed: Feed, appointment_id: str) -> None:
    feed.send(siu("S12", "M1", appointment_id, at(TOMORROW, "09:30")))
    feed.send(siu("S12", "M2", f"{appointment_id}0", at(TOMORROW, "10:30")))  # A-10 holds A-1
    feed.send(siu("S13", "M3", appointment_id, at(LATER, "09:30")))
    assert [a[0] for a in feed.lists()[TOMORROW]] == [f"{appointment_id}0"]
    assert [a[0] for a in feed.lists()[LATER]] == [appointment_id]


def test_each_applied_change_is_audited_without_patient_details(feed: Feed) -> None:
    feed.send(siu("S12", "M1", "A-1", at(TOMORROW, "09:30")))
    feed.send(siu("S13", "M2", "A-1", at(LATER, "09:30")))
    rows = [(r.actor, r.target, r.outcome, r.detail) for r in feed.saves()]
    assert rows == [
        ("hl7:PAS^RX1", TOMORROW.isoformat(), "ok", "SIU^S12 M1"),
        ("hl7:PAS^RX1", TOMORROW.isoformat(), "ok", "SIU^S13 M2"),  # it left this day
        ("hl7:PAS^RX1", LATER.isoformat(), "ok", "SIU^S13 M2"),  # ... for this one
    ]
    with feed.service.transaction() as db:
        every = " ".join(
            str(value)
            for row in db.scalars(select(AuditEntry))
            for value in (row.actor, row.target, row.detail)
        )
    for detail in ("Zebedee", "Winifred", "9434765919", "RX1-000123", "LS1", "1950"):
        assert detail not in every


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("fields", "where", "words"),
    [
        ({"birth": "19501303"}, "PID^1^7", "PID-7: the birth date is not a date"),
        ({"ids": "9434765918^^^NHS^NH"}, "PID^1^3", "PID-3: repetition 1 is not a valid NHS"),
        ({"location": "^"}, "AIL^1^3", "AIL-3: no clinic"),
        ({"drop": "PID"}, "PID", "PID: the message has no PID segment"),
    ],
)
@pytest.mark.control("H-03-C9")
def test_a_wrong_message_is_answered_ae_naming_segment_and_field_and_kept(
    feed: Feed, fields: dict[str, str], where: str, words: str
) -> None:
    ack = feed.send(siu("S12", "BAD1", "A-1", at(TOMORROW, "09:30"), **fields))
    assert msa(ack)[:3] == ["MSA", "AE", "BAD1"]
    assert msa(ack)[3].startswith(words)
    assert err(ack)[2] == where and err(ack)[4] == "E"
    assert "19501303" not in ack and "9434765918" not in ack  # never the patient's details
    assert feed.stored() == [("BAD1", "SIU^S12", "AE")]  # kept, though not applied
    assert feed.lists() == {} and feed.saves() == []


def test_a_message_the_clinic_does_not_take_is_answered_ar(feed: Feed) -> None:
    text = siu("S12", "ADT1", "A-1", at(TOMORROW, "09:30")).replace("SIU^S12^SIU_S12", "ADT^A01")
    ack = feed.send(text)
    assert msa(ack)[:3] == ["MSA", "AR", "ADT1"]
    # the reason's own "^" escaped as HL7 asks, so the ACK stays readable
    assert msa(ack)[3].startswith("MSH-9: the clinic takes SIU\\S\\S12, S13, S14, S15 and S17")
    assert err(ack)[2] == "MSH^1^9" and err(ack)[3].startswith("200^")
    assert feed.lists() == {}


def test_a_message_without_a_control_id_is_answered_ar_and_the_connection_goes_on(
    feed: Feed,
) -> None:
    with feed.connect() as connection:
        ack = exchange(connection, "MSH|^~\\&|PAS|RX1|||||SIU^S12|\r")
        assert msa(ack)[1] == "AR" and err(ack)[2] == "MSH^1^10"
        assert msa(exchange(connection, siu("S12", "OK1", "A-1", at(TOMORROW, "09:00"))))[1] == (
            "AA"
        )
    assert feed.stored() == [("OK1", "SIU^S12", "AA")]


def test_bytes_between_frames_are_skipped(feed: Feed) -> None:
    with feed.connect() as connection:
        connection.sendall(b"\r\nnoise")
        ack = exchange(connection, siu("S12", "N1", "A-1", at(TOMORROW, "09:00")))
    assert msa(ack)[:3] == ["MSA", "AA", "N1"]


def test_a_frame_in_pieces_and_two_frames_at_once_are_each_answered(feed: Feed) -> None:
    first = frame(siu("S12", "Z1", "A-1", at(TOMORROW, "09:00")))
    with feed.connect() as connection:
        for i in range(0, len(first), 7):  # as slow networks deliver it
            connection.sendall(first[i : i + 7])
        assert msa(read_frame(connection))[:3] == ["MSA", "AA", "Z1"]
        connection.sendall(
            frame(siu("S12", "Z2", "A-2", at(TOMORROW, "09:10")))
            + frame(siu("S12", "Z3", "A-3", at(TOMORROW, "09:20")))
        )
        answers = b""  # the two ACKs may arrive in one read
        while answers.count(END) < 2:
            answers += connection.recv(65536)
        acks = [body.decode() for body in answers.split(END) if body]
        assert [msa(ack.lstrip("\x0b"))[2] for ack in acks] == ["Z2", "Z3"]
    assert [a[0] for a in feed.lists()[TOMORROW]] == ["A-1", "A-2", "A-3"]


def test_an_oversize_frame_is_answered_ar_and_the_connection_closed(
    tmp_path: Path, database_url: str
) -> None:
    small = open_feed(tmp_path, database_url, max_message_bytes=1024)
    try:
        with small.connect() as connection:
            ack = exchange(connection, START + b"MSH|" + b"x" * 2000)
            assert msa(ack)[1] == "AR"
            assert "longer than 1024 bytes" in msa(ack)[3]
            assert connection.recv(10) == b""  # closed
        # the listener still takes the next sender
        assert msa(small.send(siu("S12", "S1", "A-1", at(TOMORROW, "09:00"))))[1] == "AA"
    finally:
        close_feed(small)


# ------------------------------------------------------------------ exactly once


@pytest.mark.control("H-03-C9")
def test_a_repeated_control_id_gets_the_same_ack_and_is_applied_once(feed: Feed) -> None:
    message = siu("S12", "DUP1", "A-1", at(TOMORROW, "09:30"))
    first = feed.send(message)
    with feed.connect() as connection:  # the sender missed the ACK and sends again
        again = exchange(connection, message)
        # same control id with other content: still the first message's answer
        other = exchange(connection, siu("S12", "DUP1", "A-2", at(TOMORROW, "10:30")))
    assert again == first and other == first
    assert msa(first)[1] == "AA"
    assert feed.lists() == {TOMORROW: [("A-1", "09:30", "Heart clinic", "Zebedee-Quill")]}
    assert len(feed.saves()) == 1 and len(feed.stored()) == 1
    # a repeated wrong message gets its same AE
    bad = siu("S12", "DUP2", "A-3", at(TOMORROW, "09:30"), birth="x")
    assert feed.send(bad) == feed.send(bad)
    # control ids are told apart by sender: another system's M1 is its own message
    assert msa(feed.send(siu("S12", "DUP1", "A-4", at(TOMORROW, "11:00"), sender="EPR")))[1] == (
        "AA"
    )
    assert len(feed.lists()[TOMORROW]) == 2


@pytest.mark.control("H-03-C9")
def test_nothing_is_acknowledged_unless_kept_and_a_resend_then_applies(
    feed: Feed, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while applying (here: the database write breaks) leaves no trace and
    earns an AR asking the sender to send again; an AA is given only once committed."""
    message = siu("S12", "K1", "A-1", at(TOMORROW, "09:30"))

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(ClinicListUpdates, "_apply", broken)
    ack = feed.send(message)
    assert msa(ack)[1] == "AR" and "send it again" in msa(ack)[3]
    assert feed.stored() == [] and feed.lists() == {}
    monkeypatch.undo()
    ack = feed.send(message)
    assert msa(ack)[:3] == ["MSA", "AA", "K1"]
    # what was acknowledged is in the database, read afresh on a new connection
    feed.service.engine.dispose()
    assert feed.stored() == [("K1", "SIU^S12", "AA")]
    assert feed.lists() == {TOMORROW: [("A-1", "09:30", "Heart clinic", "Zebedee-Quill")]}


def test_several_connections_at_once_are_each_applied(feed: Feed) -> None:
    def sender(n: int) -> list[str]:
        with feed.connect() as connection:
            return [
                msa(exchange(connection, siu("S12", f"P{n}-{i}", f"A{n}-{i}", at(LATER, time))))[1]
                for i, time in enumerate(("09:00", "09:15", "09:30", "09:45", "10:00"))
            ]

    with ThreadPoolExecutor(6) as pool:
        codes = [code for codes in pool.map(sender, range(6)) for code in codes]
    assert codes == ["AA"] * 30
    assert sorted(a[0] for a in feed.lists()[LATER]) == sorted(
        f"A{n}-{i}" for n in range(6) for i in range(5)
    )
    with feed.service.transaction() as db:
        assert db.scalar(select(func.count()).select_from(Hl7Message)) == 30


# ------------------------------------------------------------------ the command


def test_kiosk_clinic_mllp_runs_until_sigterm(tmp_path: Path, database_url: str) -> None:
    made = open_feed(tmp_path, database_url)
    close_feed(made)
    passphrase = tmp_path / "passphrase"
    passphrase.write_bytes(PASSPHRASE)
    command = [
        sys.executable, "-m", "kiosk", "clinic", "mllp", str(made.folder),
        "--passphrase-file", str(passphrase), "--database", database_url, "--port", "0",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        assert line.startswith("HL7 v2 over MLLP on 127.0.0.1:"), line
        port = int(line.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
            ack = exchange(connection, siu("S12", "CLI1", "A-1", at(TOMORROW, "09:30")))
        assert msa(ack)[:3] == ["MSA", "AA", "CLI1"]
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert "Traceback" not in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stderr is not None:
            process.stderr.close()
    from kiosk.clinic.setup import open_service

    service = open_service(made.folder, PASSPHRASE, database_url, [FORMS])
    try:
        assert Feed(service, made.listener, made.folder).lists() == {
            TOMORROW: [("A-1", "09:30", "Heart clinic", "Zebedee-Quill")]
        }
    finally:
        service.engine.dispose()
