"""SIU messages read into appointment changes, every field's error named, and the ACKs."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.exchange.errors import Hl7Error
from kiosk.exchange.hl7_siu import acknowledgement, read_header, read_siu
from tests.exchange.siu_sample import siu

AT = dt.datetime(2026, 12, 7, 9, 15, 2)


def test_a_new_appointment_fills_every_column_of_the_clinic_list() -> None:
    header, change = read_siu(siu("S12", "MSG1", "A-1", "202612080930"))
    assert (header.sender, header.control_id, header.message_type) == ("PAS^RX1", "MSG1", "SIU^S12")
    assert (change.kind, change.appointment_id, change.day) == ("new", "A-1", dt.date(2026, 12, 8))
    assert change.appointment is not None
    assert change.appointment.to_json() == {
        "appointment_id": "A-1",
        "time": "09:30",
        "clinic": "Heart clinic",
        "family_name": "Zebedee-Quill",
        "given_name": "Winifred",
        "birth_date": "1950-03-03",
        "nhs_number": "9434765919",
        "hospital_number": "RX1-000123",
        "pathway": None,
        "postcode": "LS1 4AP",
        "ethnicity": "A",
    }


@pytest.mark.parametrize(
    ("trigger", "kind"),
    [("S12", "new"), ("S13", "modify"), ("S14", "modify"), ("S15", "cancel"), ("S17", "delete")],
)
def test_each_trigger_is_its_change(trigger: str, kind: str) -> None:
    assert read_siu(siu(trigger, "M", "A-1", "202612080930"))[1].kind == kind


def test_a_cancel_needs_no_patient_and_keeps_its_day() -> None:
    _, change = read_siu(siu("S15", "M", "A-1", "202612081000", drop="PID"))
    assert (change.kind, change.day, change.appointment) == ("cancel", dt.date(2026, 12, 8), None)


def test_the_placer_id_is_used_when_there_is_no_filler_id() -> None:
    text = siu("S12", "M", "A-1", "202612080930").replace("|A-1^PAS|", "||")
    assert read_siu(text)[1].appointment_id == "P-A-1"


def test_an_nhs_number_alone_or_a_hospital_number_alone_is_enough() -> None:
    nhs_only = read_siu(siu("S12", "M", "A", "202612080930", ids="943 476 5919^^^NHS"))[1]
    assert nhs_only.appointment is not None
    assert (nhs_only.appointment.nhs_number, nhs_only.appointment.hospital_number) == (
        "9434765919",
        None,
    )
    local = read_siu(siu("S12", "M", "A", "202612080930", ids="RX1-7^^^RX1^MR"))[1]
    assert local.appointment is not None
    assert (local.appointment.nhs_number, local.appointment.hospital_number) == (None, "RX1-7")


def test_the_point_of_care_names_the_clinic_when_the_location_has_no_description() -> None:
    change = read_siu(siu("S12", "M", "A", "202612080930", clinic=""))[1]
    assert change.appointment is not None and change.appointment.clinic == "CARD1"


def test_escaped_delimiters_in_a_name_are_undone() -> None:
    change = read_siu(siu("S12", "M", "A", "202612080930", family="O\\T\\Brien"))[1]
    assert change.appointment is not None and change.appointment.family_name == "O&Brien"


@pytest.mark.parametrize(
    ("fields", "location", "words"),
    [
        ({"birth": "1950133"}, "PID-7", "PID-7: the birth date is not a date"),
        ({"birth": "19501303"}, "PID-7", "PID-7: the birth date is not a date"),
        ({"birth": ""}, "PID-7", "PID-7: the birth date is empty"),
        ({"family": ""}, "PID-5", "PID-5: the family name is empty"),
        ({"given": ""}, "PID-5", "PID-5: the given name is empty"),
        ({"ids": "9434765918^^^NHS^NH"}, "PID-3", "PID-3: repetition 1 is not a valid NHS number"),
        ({"ids": ""}, "PID-3", "PID-3: no NHS number or hospital number"),
        ({"ids": "X^^^RX1^MR"}, "PID-3", "PID-3: repetition 1, the hospital number, must be"),
        ({"postcode": "NOT A CODE"}, "PID-11", "PID-11: the postcode (PID-11.5) is not"),
        ({"ethnic": "Q"}, "PID-22", "PID-22: the ethnic group is not an NHS ethnic category"),
        ({"location": "^"}, "AIL-3", "AIL-3: no clinic"),
        ({"drop": "PID"}, "PID", "PID: the message has no PID segment"),
        ({"drop": "SCH"}, "SCH", "SCH: the message has no SCH (schedule) segment"),
    ],
)
def test_each_wrong_field_is_named_by_segment_and_field(
    fields: dict[str, str], location: str, words: str
) -> None:
    with pytest.raises(Hl7Error) as caught:
        read_siu(siu("S12", "M", "A-1", "202612080930", **fields))
    assert (caught.value.location, caught.value.code) == (location, "AE")
    assert str(caught.value).startswith(words)


def test_the_error_never_quotes_the_patient() -> None:
    with pytest.raises(Hl7Error) as caught:
        read_siu(siu("S12", "M", "A-1", "202612080930", birth="1950133", ids="9434765918^^^NHS"))
    assert "1950133" not in str(caught.value)
    assert "9434765918" not in str(caught.value)


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("2026120809", "is not YYYYMMDDHHMM"),
        ("202613080930", "is not a real time"),
        ("tomorrow", "is not YYYYMMDDHHMM"),
    ],
)
def test_a_start_time_that_is_not_one_is_named(start: str, words: str) -> None:
    with pytest.raises(Hl7Error, match=words) as caught:
        read_siu(siu("S12", "M", "A-1", start))
    assert caught.value.location == "SCH-11"


def test_a_new_appointment_without_any_start_time_is_refused() -> None:
    text = siu("S12", "M", "A-1", "202612080930").replace("202612080930", "")
    with pytest.raises(Hl7Error, match="SCH-11: no start time"):
        read_siu(text)


def test_the_start_time_is_read_from_tq1_first() -> None:
    text = siu("S14", "M", "A-1", "202612080930") + "TQ1|1||||||202612091415\r"
    change = read_siu(text)[1]
    assert change.day == dt.date(2026, 12, 9)
    assert change.appointment is not None and change.appointment.time == "14:15"


@pytest.mark.parametrize(
    ("text", "location"),
    [
        ("", "MSH"),
        ("hello", "MSH"),
        ("\x00\xff\x0b", "MSH"),
        ("PID|1||x\r", "MSH"),
        ("MSH|^~\\&|PAS|RX1|||||SIU^S12|\r", "MSH-10"),
        ("MSH|^~\\&|PAS|RX1|||||SIU^S12|" + "9" * 65 + "\r", "MSH-10"),
    ],
)
def test_a_message_that_cannot_be_read_at_all_is_rejected(text: str, location: str) -> None:
    with pytest.raises(Hl7Error) as caught:
        read_header(text)
    assert (caught.value.location, caught.value.code) == (location, "AR")


@pytest.mark.parametrize("message_type", ["ADT^A01", "SIU^S26", "SIU"])
def test_other_message_types_are_rejected_with_ar(message_type: str) -> None:
    text = siu("S12", "M", "A-1", "202612080930").replace("SIU^S12^SIU_S12", message_type)
    with pytest.raises(Hl7Error) as caught:
        read_siu(text)
    assert (caught.value.location, caught.value.code) == ("MSH-9", "AR")


def test_an_accepting_ack_answers_the_sender_and_the_control_id() -> None:
    header = read_header(siu("S12", "MSG1", "A-1", "202612080930"))
    ack = acknowledgement(header, "AA", "ACK9", AT)
    assert ack.split("\r") == [
        "MSH|^~\\&|WHAT-MATTERS|CLINIC|PAS|RX1|20261207091502||ACK^S12^ACK|ACK9|P|2.5",
        "MSA|AA|MSG1",
        "",
    ]


def test_an_error_ack_names_the_segment_and_field_in_msa_and_err() -> None:
    text = siu("S12", "MSG1", "A-1", "202612080930", birth="1950133")
    header = read_header(text)
    with pytest.raises(Hl7Error) as caught:
        read_siu(text)
    segments = acknowledgement(header, "AE", "ACK9", AT, error=caught.value).split("\r")
    assert segments[1].startswith("MSA|AE|MSG1|PID-7: the birth date is not a date")
    fields = segments[2].split("|")
    assert fields[0] == "ERR" and fields[2] == "PID^1^7" and fields[4] == "E"
    assert fields[3].startswith("102^")


def test_delimiters_in_a_reason_are_escaped_so_the_ack_stays_readable() -> None:
    header = read_header("MSH|^~\\&|A|B|C|D|x||SIU^S12|C|&|P|2.5\r".replace("|C|&|", "|C|"))
    error = Hl7Error("MSH-9: not S|12^x~y&z\\w", location="MSH-9", code="AR")
    ack = acknowledgement(header, "AR", "K", AT, error=error)
    msa = ack.split("\r")[1].split("|")
    assert msa[:3] == ["MSA", "AR", "C"] and len(msa) == 4
    assert msa[3] == "MSH-9: not S\\F\\12\\S\\x\\R\\y\\T\\z\\E\\w"
