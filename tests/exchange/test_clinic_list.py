"""The clinic-list CSV both tablet and clinic read: every problem names file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.exchange.clinic_list import ClinicListError, parse_csv
from tests.exchange.clinic_list_sample import HEADER, ROWS, TODAY


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
