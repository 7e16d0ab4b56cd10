"""What one patient leaves on a shared tablet must not reach the next: no context
menu on patient inputs, no clipboard across a reset, no clinic list past its day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kiosk.store import TabletStore
from kiosk.store.clinic_list import KEY_PURPOSE, ClinicLists, parse_csv
from kiosk.store.identity import DeviceIdentity
from kiosk.ui.kiosk_window import KioskWindow

pytestmark = [pytest.mark.ui, pytest.mark.security]
LIST = (
    "appointment_id,time,clinic,family_name,given_name,birth_date,nhs_number,hospital_number,pathway\n"
    "A-1,09:30,Heart clinic,Zebedee-Quill,Winifred,1950-03-03,9434765919,,\n"
)


def test_the_running_kiosk_forgets_yesterday_s_list_after_midnight(
    qtbot, store: TabletStore, make_window: Callable[..., KioskWindow]
) -> None:
    clock = [dt.date.today()]
    lists = ClinicLists(store, DeviceIdentity.generate().derive_key(KEY_PURPOSE))
    lists.save(parse_csv(LIST, "list.csv", clock[0]))
    make_window(today=lambda: clock[0], day_check_ms=20)
    qtbot.wait(100)  # several checks in the same day: the list stays
    assert lists.for_day(clock[0]) is not None

    clock[0] += dt.timedelta(days=1)  # midnight passes while the kiosk runs

    qtbot.waitUntil(lambda: lists.for_day(clock[0] - dt.timedelta(days=1)) is None, timeout=3000)
    assert store.events("clinic_lists_purged")[-1]["count"] == 1
