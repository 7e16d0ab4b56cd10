"""Today's clinic list on the tablet: kept only encrypted, one day at a time.

The CSV format itself is tested in tests/exchange/test_clinic_list.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kiosk.exchange.clinic_list import ClinicListError, parse_csv
from kiosk.store import DeviceIdentity, TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists
from tests.exchange.clinic_list_sample import HEADER, ROWS, TODAY

pytestmark = pytest.mark.store


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
