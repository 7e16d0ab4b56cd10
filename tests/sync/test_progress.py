"""Progress reports (checked in, started) wait in memory only, briefly, and in order;
a clinic that is down or refuses one never keeps them for ever (kiosk.sync.progress)."""

from __future__ import annotations

import pytest

from kiosk.sync.errors import ClinicRefusedError, ClinicUnreachableError
from kiosk.sync.progress import KEEP_SECONDS, MAX_TRIES, MAX_WAITING, ProgressQueue, send_progress
from kiosk.vocabulary import CHECKED_IN, STARTED

pytestmark = pytest.mark.clinic


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class FakeClient:
    """Records what would be sent; ``down`` makes every request unreachable."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.down = False
        self.refuse: set[str] = set()

    def progress(self, appointment_id: str, stage: str) -> str:
        if self.down:
            raise ClinicUnreachableError("Cannot reach the clinic. Sync will try again.")
        if appointment_id in self.refuse:
            raise ClinicRefusedError(422, "not_on_todays_list", "not on today's list")
        self.sent.append((appointment_id, stage))
        return stage


def test_reports_are_sent_in_the_order_noted_and_then_forgotten() -> None:
    queue, client = ProgressQueue(Clock()), FakeClient()
    queue.add("A-1", CHECKED_IN)
    queue.add("A-1", STARTED)
    queue.add("A-2", CHECKED_IN)
    assert send_progress(client, queue) == 3  # type: ignore[arg-type]
    assert client.sent == [("A-1", CHECKED_IN), ("A-1", STARTED), ("A-2", CHECKED_IN)]
    assert len(queue) == 0
    assert send_progress(client, queue) == 0  # type: ignore[arg-type]
    assert len(client.sent) == 3


def test_a_clinic_that_is_down_gets_them_later_but_not_for_ever() -> None:
    clock, client = Clock(), FakeClient()
    queue = ProgressQueue(clock)
    queue.add("A-1", CHECKED_IN)
    client.down = True
    with pytest.raises(ClinicUnreachableError):
        send_progress(client, queue)  # type: ignore[arg-type]
    assert len(queue) == 1  # kept for the next pass
    client.down = False
    queue.add("A-1", STARTED)
    assert send_progress(client, queue) == 2  # type: ignore[arg-type]
    assert client.sent == [("A-1", CHECKED_IN), ("A-1", STARTED)]

    # Down for longer: after MAX_TRIES passes the report is let go.
    client.down = True
    queue.add("A-2", CHECKED_IN)
    for _ in range(MAX_TRIES):
        with pytest.raises(ClinicUnreachableError):
            send_progress(client, queue)  # type: ignore[arg-type]
    assert len(queue) == 1
    client.down = False
    assert send_progress(client, queue) == 0  # type: ignore[arg-type]
    assert len(queue) == 0 and queue.dropped == 1
    assert ("A-2", CHECKED_IN) not in client.sent


def test_an_old_report_is_let_go_unsent() -> None:
    clock, client = Clock(), FakeClient()
    queue = ProgressQueue(clock)
    queue.add("A-1", CHECKED_IN)
    clock.now += KEEP_SECONDS + 1
    queue.add("A-2", CHECKED_IN)
    assert send_progress(client, queue) == 1  # type: ignore[arg-type]
    assert client.sent == [("A-2", CHECKED_IN)] and queue.dropped == 1


def test_a_refused_report_is_let_go_and_the_rest_still_go() -> None:
    queue, client = ProgressQueue(Clock()), FakeClient()
    client.refuse = {"GONE"}
    queue.add("GONE", CHECKED_IN)
    queue.add("A-1", CHECKED_IN)
    assert send_progress(client, queue) == 1  # type: ignore[arg-type]
    assert client.sent == [("A-1", CHECKED_IN)]
    assert len(queue) == 0 and queue.dropped == 1


def test_no_more_than_a_bounded_number_wait() -> None:
    queue = ProgressQueue(Clock())
    for n in range(MAX_WAITING + 5):
        queue.add(f"A-{n}", CHECKED_IN)
    assert len(queue) == MAX_WAITING and queue.dropped == 5
    client = FakeClient()
    send_progress(client, queue)  # type: ignore[arg-type]
    assert client.sent[0] == ("A-5", CHECKED_IN)  # the oldest went first


def test_only_a_stage_a_tablet_sees_may_be_noted() -> None:
    with pytest.raises(ValueError, match="checked_in"):
        ProgressQueue().add("A-1", "finished")
