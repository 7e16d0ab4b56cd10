"""Today's clinic list: CSV with file:line errors, kept only encrypted, one day at a time."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.exchange.clinic_list import ClinicListError, parse_csv
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists

pytestmark = pytest.mark.store

TODAY = dt.date(2026, 11, 23)
HEADER = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,"
    "nhs_number,hospital_number,pathway\n"
)
ROWS = (
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,943 476 5919,,cardiology\n"
    "A-2,10:00,Heart clinic,Okonkwo,Ada,1971-12-24,,RX1-000123,\n"
)


def test_a_csv_list_is_read(tmp_path: Path) -> None:
    clinic_list = parse_csv(HEADER + ROWS, "list.csv", TODAY)
    first, second = clinic_list.appointments
    assert first.nhs_number == "9434765919" and first.pathway == "cardiology"
    assert second.hospital_number == "RX1-000123" and second.pathway is None
    assert second.birth_date == dt.date(1971, 12, 24)
    assert "Okonkwo" not in repr(clinic_list) + repr(second)  # never a name in a log


@pytest.mark.parametrize(
    ("body", "where", "message"),
    [
        ("A-1,9:30,C,S,J,1950-03-03,9434765919,,\n", ":2:", "time must be HH:MM"),
        ("A-1,09:30,C,S,J,03/03/1950,9434765919,,\n", ":2:", "birth_date must be YYYY-MM-DD"),
        ("A-1,09:30,C,S,J,1950-03-03,9434765918,,\n", ":2:", "not a valid NHS number"),
        ("A-1,09:30,C,S,J,1950-03-03,,,\n", ":2:", "give an nhs_number or a hospital_number"),
        ("A-1,09:30,C,,J,1950-03-03,9434765919,,\n", ":2:", "family_name is empty"),
        (ROWS + "A-1,11:00,C,S,J,1950-03-03,9434765919,,\n", ":4:", "appears twice"),
        ("A-1,09:30,C,S,J,1950-03-03,9434765919,,,extra\n", ":2:", "more values than columns"),
    ],
)
def test_a_bad_list_names_file_and_line(body: str, where: str, message: str) -> None:
    with pytest.raises(ClinicListError) as caught:
        parse_csv(HEADER + body, "list.csv", TODAY)
    assert str(caught.value).startswith("list.csv" + where)
    assert message in str(caught.value)


def test_optional_postcode_and_ethnicity_are_checked() -> None:
    header = HEADER.replace("pathway\n", "pathway,postcode,ethnicity\n")
    good = (
        "A-1,09:30,C,S,J,1950-03-03,9434765919,,,e1  6an,k\nA-2,10:00,C,T,K,1950-03-03,,RX1-1,,,\n"
    )
    first, second = parse_csv(header + good, "list.csv", TODAY).appointments
    assert (first.postcode, first.ethnicity) == ("E1 6AN", "K")
    assert (second.postcode, second.ethnicity) == (None, None)
    with pytest.raises(ClinicListError, match=r"list.csv:2: postcode is not a UK postcode"):
        parse_csv(
            header + "A-1,09:30,C,S,J,1950-03-03,9434765919,,,NOT A CODE,A\n", "list.csv", TODAY
        )
    with pytest.raises(ClinicListError, match=r"list.csv:2: ethnicity must be an NHS ethnic"):
        parse_csv(header + "A-1,09:30,C,S,J,1950-03-03,9434765919,,,,Q\n", "list.csv", TODAY)


def test_wrong_columns_are_named() -> None:
    with pytest.raises(ClinicListError, match=r"list.csv:1: .*missing pathway.*unknown ward"):
        parse_csv(HEADER.replace("pathway", "ward") + ROWS, "list.csv", TODAY)


@pytest.mark.control("H-15-C4")
def test_the_list_is_kept_only_encrypted(tmp_path: Path, store: TabletStore) -> None:
    identity = DeviceIdentity.generate()
    lists = ClinicLists(store, identity.derive_key(KEY_PURPOSE))
    lists.save(parse_csv(HEADER + ROWS, "list.csv", TODAY))
    store.checkpoint()
    raw = b"".join(p.read_bytes() for p in store.data_dir.iterdir() if p.is_file())
    for secret in (b"Zebedee-Quill", b"Winifred", b"9434765919", b"RX1-000123", b"1950-03-03"):
        assert secret not in raw
    again = lists.for_day(TODAY)
    assert again is not None
    assert [a.family_name for a in again.appointments] == ["Zebedee-Quill", "Okonkwo"]
    assert lists.for_day(TODAY + dt.timedelta(days=1)) is None
    event = store.events("clinic_list_saved")[-1]
    assert (event["day"], event["count"]) == ("2026-11-23", 2)


@pytest.mark.control("H-15-C4")
def test_another_device_key_cannot_read_it(store: TabletStore) -> None:
    ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE)).save(
        parse_csv(HEADER + ROWS, "list.csv", TODAY)
    )
    other = ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE))
    with pytest.raises(ClinicListError, match="cannot be read"):
        other.for_day(TODAY)


@pytest.mark.control("H-03-C3")
def test_a_new_day_s_list_forgets_earlier_days(store: TabletStore) -> None:
    lists = ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE))
    lists.save(parse_csv(HEADER + ROWS, "list.csv", TODAY))
    lists.save(parse_csv(HEADER + ROWS, "list.csv", TODAY + dt.timedelta(days=1)))
    assert lists.for_day(TODAY) is None
    assert lists.for_day(TODAY + dt.timedelta(days=1)) is not None
