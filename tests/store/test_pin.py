"""The staff PIN: only a hash kept, weak PINs refused, a lock-out that survives restarts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, Type
from sqlalchemy import select

from kiosk.store.errors import PinLockedError
from kiosk.store.models import EventRow, StaffPinRow
from kiosk.store.pin import (
    DamagedPinError,
    StaffPin,
    WeakPinError,
    check_pin_rules,
    lock_seconds,
    tablet_hasher,
)
from kiosk.store.store import TabletStore

pytestmark = pytest.mark.store

PIN = "739204"
LONG_PIN = "739204618357"  # 12 digits: no chance of turning up by accident in the file
START = 1_795_000_000.0


class FakeClock:
    """Wall-clock seconds that move only when a test moves them."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def cheap_hasher(time_cost: int = 1) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=8, parallelism=1, type=Type.ID)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tablet(tmp_path: Path) -> Iterator[TabletStore]:
    """A tablet store that was never enrolled (no clinic key): the PIN needs none."""
    opened = TabletStore.open(tmp_path, None)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def staff(tablet: TabletStore, clock: FakeClock) -> StaffPin:
    pin = StaffPin(tablet, clock=clock, hasher=cheap_hasher())
    pin.set_pin(PIN)
    return pin


def staff_events(store: TabletStore) -> list[tuple[str, dict[str, object]]]:
    return [
        (e["kind"], {k: v for k, v in e.items() if k not in ("at", "kind", "submission_id")})
        for e in store.events()
        if e["kind"].startswith("staff_")
    ]


def fail(staff: StaffPin, times: int) -> None:
    for _ in range(times):
        assert staff.verify("000001") is False


# ---------------------------------------------------------------- setting and checking


def test_no_pin_set_verifies_false_without_counting(tablet: TabletStore, clock: FakeClock) -> None:
    staff = StaffPin(tablet, clock=clock, hasher=cheap_hasher())
    assert staff.is_set() is False
    for _ in range(10):
        assert staff.verify(PIN) is False
    assert staff.seconds_locked() == 0.0
    assert staff_events(tablet) == []


def test_set_and_verify(tablet: TabletStore, clock: FakeClock) -> None:
    staff = StaffPin(tablet, clock=clock, hasher=cheap_hasher())
    staff.set_pin(PIN)
    assert staff.is_set() is True
    assert staff.verify(PIN) is True
    assert staff.verify("739205") is False
    assert staff.verify("") is False
    assert staff.verify("not a pin") is False
    assert staff.verify(PIN) is True
    assert staff_events(tablet) == [
        ("staff_pin_changed", {}),
        ("staff_unlock", {}),
        ("staff_pin_failed", {"count": 1}),
        ("staff_pin_failed", {"count": 2}),
        ("staff_pin_failed", {"count": 3}),
        ("staff_unlock", {}),
    ]


def test_changing_the_pin(staff: StaffPin) -> None:
    staff.set_pin("918273")
    assert staff.verify(PIN) is False
    assert staff.verify("918273") is True


def test_the_pin_is_kept_by_a_new_staff_pin_object(staff: StaffPin, tablet: TabletStore) -> None:
    assert StaffPin(tablet, hasher=cheap_hasher()).verify(PIN) is True


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ("111111", "one digit repeated"),
        ("000000000000", "one digit repeated"),
        ("123456", "straight run"),
        ("654321", "straight run"),
        ("0123456789", "straight run"),
        ("987654321098", "straight run"),
        ("890123", "straight run"),
        ("12345", "6 to 12 digits"),
        ("", "only the digits"),
        ("1234567890123", "6 to 12 digits"),
        ("73920a", "only the digits"),
        (" 739204", "only the digits"),
        ("739204\n", "only the digits"),
        ("７３９２０４", "only the digits"),  # full-width digits
        ("٧٣٩٢٠٤", "only the digits"),  # Arabic-Indic digits
    ],
)
def test_weak_or_malformed_pins_are_refused(
    tablet: TabletStore, clock: FakeClock, pin: str, message: str
) -> None:
    staff = StaffPin(tablet, clock=clock, hasher=cheap_hasher())
    with pytest.raises(WeakPinError, match=message) as caught:
        staff.set_pin(pin)
    if pin.strip() not in ("", "111111", "123456", "654321"):  # (the messages' own examples)
        assert pin.strip() not in str(caught.value)  # the message never echoes the PIN
    assert staff.is_set() is False
    assert staff_events(tablet) == []


@pytest.mark.parametrize(
    "pin", ["739204", "112233", "135790", "123457", "121212", "246802", LONG_PIN]
)
def test_acceptable_pins(pin: str) -> None:
    check_pin_rules(pin)


@pytest.mark.control("H-15-C5")
def test_the_tablet_hasher_is_argon2id_at_the_owasp_minimum() -> None:
    hasher = tablet_hasher()
    encoded = hasher.hash(PIN)
    assert encoded.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert hasher.verify(encoded, PIN)


def test_the_default_hasher_is_the_tablet_hasher(tablet: TabletStore, clock: FakeClock) -> None:
    StaffPin(tablet, clock=clock).set_pin(PIN)
    with tablet.transaction() as db:
        row = db.get(StaffPinRow, 1)
        assert row is not None
        assert row.pin_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_an_old_hash_is_upgraded_on_a_right_pin(tablet: TabletStore, clock: FakeClock) -> None:
    StaffPin(tablet, clock=clock, hasher=cheap_hasher(time_cost=1)).set_pin(PIN)
    newer = StaffPin(tablet, clock=clock, hasher=cheap_hasher(time_cost=3))
    assert newer.verify("000001") is False
    with tablet.transaction() as db:
        row = db.get(StaffPinRow, 1)
        assert row is not None
        assert ",t=1," in row.pin_hash  # a wrong PIN changes nothing
    assert newer.verify(PIN) is True
    with tablet.transaction() as db:
        row = db.get(StaffPinRow, 1)
        assert row is not None
        assert ",t=3," in row.pin_hash
    assert newer.verify(PIN) is True


def test_a_damaged_hash_is_a_clear_error(staff: StaffPin, tablet: TabletStore) -> None:
    with tablet.transaction() as db:
        row = db.get(StaffPinRow, 1)
        assert row is not None
        row.pin_hash = "$argon2id$damaged"
    with pytest.raises(DamagedPinError, match="Set a new staff PIN"):
        staff.verify(PIN)
    staff.set_pin(PIN)
    assert staff.verify(PIN) is True


# ---------------------------------------------------------------- lock-out


def test_lock_delays() -> None:
    assert [lock_seconds(n) for n in range(14)] == [
        0,
        0,
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert lock_seconds(10_000) == 3600


@pytest.mark.control("H-04-C4")
def test_five_wrong_pins_lock(staff: StaffPin, tablet: TabletStore, clock: FakeClock) -> None:
    fail(staff, 4)
    assert staff.seconds_locked() == 0.0  # four wrong PINs in a row are free
    fail(staff, 1)
    assert staff.seconds_locked() == 30.0
    with pytest.raises(PinLockedError, match="Try again in 30 seconds") as caught:
        staff.verify(PIN)  # even the right PIN is not looked at while locked
    assert caught.value.seconds == 30.0
    clock.advance(12.5)
    with pytest.raises(PinLockedError, match="Try again in 18 seconds"):
        staff.verify("000001")
    assert staff_events(tablet)[-2:] == [
        ("staff_pin_failed", {"count": 5}),
        ("staff_pin_locked", {"seconds": 30}),
    ]
    assert [kind for kind, _ in staff_events(tablet)].count("staff_pin_failed") == 5


def test_a_locked_attempt_does_not_check_the_pin(tablet: TabletStore, clock: FakeClock) -> None:
    calls: list[str] = []

    class Spy(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> bool:
            calls.append("verify")
            return super().verify(hash, password)

    staff = StaffPin(tablet, clock=clock, hasher=Spy(time_cost=1, memory_cost=8, parallelism=1))
    staff.set_pin(PIN)
    fail(staff, 5)
    assert len(calls) == 5
    for _ in range(3):
        with pytest.raises(PinLockedError):
            staff.verify(PIN)
    assert len(calls) == 5


def test_the_delay_doubles_and_is_capped(
    staff: StaffPin, tablet: TabletStore, clock: FakeClock
) -> None:
    fail(staff, 5)
    seen = []
    for _ in range(9):
        delay = staff.seconds_locked()
        seen.append(delay)
        clock.advance(delay - 1)
        with pytest.raises(PinLockedError):
            staff.verify("000001")
        clock.advance(1)
        assert staff.seconds_locked() == 0.0
        fail(staff, 1)
    assert seen == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]
    locked = [e["seconds"] for kind, e in staff_events(tablet) if kind == "staff_pin_locked"]
    assert locked == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]


@pytest.mark.control("H-16-C4")
def test_the_lock_survives_a_restart(tmp_path: Path, clock: FakeClock) -> None:
    store = TabletStore.open(tmp_path, None)
    try:
        staff = StaffPin(store, clock=clock, hasher=cheap_hasher())
        staff.set_pin(PIN)
        fail(staff, 5)
    finally:
        store.close()
    clock.advance(10)
    store = TabletStore.open(tmp_path, None)
    try:
        staff = StaffPin(store, clock=clock, hasher=cheap_hasher())
        assert staff.seconds_locked() == 20.0
        with pytest.raises(PinLockedError, match="20 seconds"):
            staff.verify(PIN)
        clock.advance(20)
        fail(staff, 1)  # the count survived too: the sixth wrong PIN locks for 60 s
        assert staff.seconds_locked() == 60.0
    finally:
        store.close()


def test_the_right_pin_after_the_lock_works_and_resets(
    staff: StaffPin, tablet: TabletStore, clock: FakeClock
) -> None:
    fail(staff, 5)
    with pytest.raises(PinLockedError):
        staff.verify("000001")  # refused unread while locked, so not counted...
    clock.advance(30)
    fail(staff, 1)  # ...and this is the sixth wrong PIN: 60 s
    assert staff.seconds_locked() == 60.0
    clock.advance(60)
    assert staff.verify(PIN) is True
    assert staff.seconds_locked() == 0.0
    fail(staff, 4)
    assert staff.seconds_locked() == 0.0  # the free attempts are back
    fail(staff, 1)
    assert staff.seconds_locked() == 30.0  # and the delay starts again from 30 s


def test_setting_a_new_pin_clears_the_lock(staff: StaffPin, clock: FakeClock) -> None:
    fail(staff, 5)
    staff.set_pin("918273")
    assert staff.seconds_locked() == 0.0
    assert staff.verify("918273") is True


def test_a_clock_put_back_does_not_lengthen_the_lock(staff: StaffPin, clock: FakeClock) -> None:
    fail(staff, 5)
    clock.advance(-86_400)  # the tablet's clock is set back a day
    assert staff.seconds_locked() == 30.0
    clock.advance(30)
    assert staff.verify(PIN) is True


# ---------------------------------------------------------------- never stored, never logged


@pytest.mark.control("H-15-C5")
def test_the_pin_is_stored_nowhere(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = ["582937461029", "104729384756"]
    caplog.set_level("DEBUG")
    store = TabletStore.open(tmp_path, None)
    try:
        staff = StaffPin(store, clock=clock, hasher=cheap_hasher())
        staff.set_pin(LONG_PIN)
        assert staff.verify(LONG_PIN) is True
        for pin in wrong * 3:
            try:
                staff.verify(pin)
            except PinLockedError:
                clock.advance(3600)
        clock.advance(3600)
        assert staff.verify(LONG_PIN) is True
        staff.set_pin("918273645012")
        with store.transaction() as db:
            details = [
                (e.kind, e.detail) for e in db.scalars(select(EventRow).order_by(EventRow.id))
            ]
    finally:
        store.close()
    secrets = [LONG_PIN, "918273645012", *wrong]
    assert any(kind == "staff_pin_locked" for kind, _ in details)
    for kind, detail in details:
        assert set(json.loads(detail)) <= {"count", "seconds"}, kind
        assert not any(s in detail for s in secrets)
    files = [p for p in tmp_path.iterdir() if p.name.startswith("tablet.db")]
    assert any(b"$argon2id$" in p.read_bytes() for p in files)  # the hash is what is kept
    for path in files:
        data = path.read_bytes()
        for s in secrets:
            assert s.encode() not in data, path.name
            assert s.encode("utf-16-le") not in data, path.name
    assert not any(s in caplog.text for s in secrets)
