"""The sign-in counts and the anonymous-refusal counts kept in the database
(kiosk/clinic/sign_in_limits.py, kiosk/clinic/audit_flood.py), on SQLite and
PostgreSQL: two engines on one database stand for two service processes.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import sessionmaker

from kiosk.clinic.audit_flood import OVERFLOW, AnonymousFlood
from kiosk.clinic.database import open_database
from kiosk.clinic.models import SignInCount
from kiosk.clinic.sign_in_limits import (
    FORGET_NAMES_S,
    MAX_FAILURES,
    Sources,
    Transaction,
    UnknownNames,
)

pytestmark = [pytest.mark.clinic, pytest.mark.security]
KEY = b"k" * 32
NOW = 1_800_000_000.0


@pytest.fixture
def engines(database_url: str) -> Iterator[list[Engine]]:
    """Two engines on one migrated database, as two service processes hold."""
    opened = [open_database(database_url), open_database(database_url)]
    yield opened
    for engine in opened:
        engine.dispose()


def transactions(engine: Engine) -> Transaction:
    return sessionmaker(engine, expire_on_commit=False).begin


def test_one_address_gets_its_limit_once_however_many_processes_count(
    engines: list[Engine],
) -> None:
    """40 tries at once from one address over two processes: exactly ``limit`` are
    let in; with a count per process each would let ``limit`` in."""
    counters = [Sources(transactions(e), KEY, limit=10) for e in engines]
    start = threading.Barrier(40)

    def attempt(n: int) -> int | None:
        start.wait()
        return counters[n % 2].take_try("192.0.2.1", NOW)

    with ThreadPoolExecutor(40) as pool:
        waits = list(pool.map(attempt, range(40)))
    assert waits.count(None) == 10
    assert {w for w in waits if w is not None} == {15 * 60}


def test_an_address_window_ends_and_a_success_gives_its_try_back(engines: list[Engine]) -> None:
    first, second = (Sources(transactions(e), KEY, limit=3, window_s=60) for e in engines)
    assert [first.take_try("a", NOW) for _ in range(3)] == [None] * 3
    assert second.take_try("a", NOW + 10) == 50  # refused, and not counted
    second.give_back("a")  # a sign-in in flight succeeded
    assert first.take_try("a", NOW + 10) is None
    assert first.take_try("a", NOW + 10) == 50
    assert second.take_try("a", NOW + 60) is None  # a new window
    assert second.take_try("b", NOW + 60) is None  # other addresses are apart


def test_an_unknown_name_locks_on_every_process_and_the_lock_ends(engines: list[Engine]) -> None:
    first, second = (UnknownNames(transactions(e), KEY) for e in engines)
    tries = [(first, second)[n % 2].take_try("nobody", NOW) for n in range(MAX_FAILURES + 2)]
    assert tries == list(range(1, MAX_FAILURES + 3))  # above MAX_FAILURES: locked
    assert second.take_try("somebody", NOW) == 1
    assert first.take_try("nobody", NOW + 15 * 60) == 1  # the lock has ended


def test_the_counts_are_bounded_and_old_ones_forgotten(engines: list[Engine]) -> None:
    names = UnknownNames(transactions(engines[0]), KEY, kept=3)
    for n in range(10):
        names.take_try(f"name{n}", NOW + n)
    assert names.count() <= 4  # at most ``kept`` before each new one
    names.take_try("later", NOW + FORGET_NAMES_S + 100)
    assert names.count() == 1  # untried for a day: forgotten
    sources = Sources(transactions(engines[1]), KEY, window_s=60)
    for n in range(5):
        sources.take_try(f"10.0.0.{n}", NOW)
    sources.take_try("10.0.0.99", NOW + 61)
    assert sources.count() == 1
    with engines[0].connect() as connection:
        keys = list(connection.scalars(select(SignInCount.key)))
    assert not any("name" in key or "10.0.0" in key for key in keys)  # HMACs, not the text


def test_a_minute_of_refusals_is_written_once_by_one_process(engines: list[Engine]) -> None:
    first, second = (AnonymousFlood(transactions(e), window_s=60, kept=2) for e in engines)
    opened = [
        (first, second)[n % 2].admit("/queue", None, "192.0.2.1", "no_token", NOW + n)
        for n in range(10)
    ]
    assert [len(rows) for rows in opened] == [1] + [0] * 9
    # Two more addresses: the third is beyond ``kept`` and counted under "*".
    assert first.admit("/queue", None, "192.0.2.2", "no_token", NOW)[0].remote == "192.0.2.2"
    assert second.admit("/queue", None, "192.0.2.3", "no_token", NOW)[0].remote == OVERFLOW
    assert first.admit("/queue", None, "192.0.2.4", "no_token", NOW) == []
    later = [flood.admit("/flags", None, "198.51.100.1", "no_token", NOW + 61) for flood in
             (first, second)]  # fmt: skip
    written = [row for rows in later for row in rows if row.detail]
    assert sorted((row.remote, row.detail.split(" ")[0]) for row in written if row.detail) == [
        ("*", "1"),
        ("192.0.2.1", "9"),
    ]
