"""The tablet tells the clinic how far today's patients have got, in the background:
checked in when reception hands the tablet over, started at the first answer, and
finished once the submission is synced; a real kiosk window, a real sync worker and a
real clinic service over HTTPS (the day of tests/clinic/clinic_day_sample.py).

When the clinic cannot be reached the patient notices nothing: the questions go on,
the answers are sealed and kept, and the progress reports are let go after a while."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.engine import FormLibrary
from kiosk.exchange.clinic_list import parse_csv
from kiosk.sync.client import ClinicClient
from kiosk.sync.worker import Syncer, SyncWorker
from kiosk.ui.kiosk_window import KioskWindow
from kiosk.ui.linking_screens import HandOverConfirmScreen
from kiosk.ui.screens import ReviewScreen, ThanksScreen
from tests.clinic.clinic_day_sample import LIST_CSV, ClinicDayRig, build_rig, close_rig
from tests.ui.taps import find_patient, linked_window, on, staff_menu, tap, to_the_questions

pytestmark = [pytest.mark.ui, pytest.mark.clinic]
NORA = "Nora Waiting"  # A-1, H-0001: nothing arrived yet on the sample day


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[ClinicDayRig]:
    made = build_rig(tmp_path, f"sqlite:///{tmp_path / 'clinic.db'}")
    yield made
    close_rig(made)


@pytest.fixture
def kiosk(
    qtbot: Any, rig: ClinicDayRig, library: FormLibrary
) -> Iterator[Callable[[Syncer], tuple[KioskWindow, SyncWorker]]]:
    """A reception kiosk on the rig's tablet store, wired to a running sync worker as
    ``kiosk run`` wires it (kiosk.ui.app.run_kiosk)."""
    workers: list[SyncWorker] = []
    windows: list[KioskWindow] = []
    today = dt.date.today()
    clinic_list = parse_csv(LIST_CSV, "list.csv", today)

    def build(syncer: Syncer) -> tuple[KioskWindow, SyncWorker]:
        window = linked_window(qtbot, rig.tablet.store, library, "reception", clinic_list, today)
        worker = SyncWorker(syncer, interval=3600.0)
        window.session_ended.connect(worker.wake)
        window.progress.connect(worker.report_progress)
        worker.start()
        workers.append(worker)
        windows.append(window)
        return window, worker

    yield build
    for window in windows:
        window.background.wait()
    for worker in workers:
        worker.stop()
        worker.join(timeout=40)


def hand_over(qtbot: Any, window: KioskWindow, number: str) -> None:
    staff_menu(qtbot, window)
    tap(qtbot, window, "hand_over")
    find_patient(qtbot, window, number)
    on(qtbot, window, HandOverConfirmScreen)
    tap(qtbot, window, "confirm")
    qtbot.waitUntil(lambda: window.currentWidget() is window.attract)


def start_questions(qtbot: Any, window: KioskWindow) -> None:
    tap(qtbot, window, "start")
    to_the_questions(qtbot, window)


def next_question(qtbot: Any, window: KioskWindow) -> None:
    shown = window.currentWidget()
    tap(qtbot, window, "next")  # every question may be skipped
    qtbot.waitUntil(lambda: window.currentWidget() is not shown)


def stage_of(rig: ClinicDayRig, name: str) -> str:
    with rig.client("reception") as staff:
        rows = {a["name"]: a for a in staff.clinic_day()["appointments"]}
    return str(rows[name]["stage"])


def test_the_day_list_follows_the_patient_from_hand_over_to_finished(
    qtbot: Any, kiosk: Callable[[Syncer], tuple[KioskWindow, SyncWorker]], rig: ClinicDayRig
) -> None:
    window, _ = kiosk(rig.tablet.syncer)
    told: list[str] = []
    window.progress.connect(lambda _appointment, stage: told.append(stage))
    assert stage_of(rig, NORA) == "not_started"

    hand_over(qtbot, window, "H-0001")
    qtbot.waitUntil(lambda: stage_of(rig, NORA) == "checked_in", timeout=10_000)

    start_questions(qtbot, window)
    assert stage_of(rig, NORA) == "checked_in"  # reading the first question is not starting
    while "started" not in told:  # an information screen is not an answer
        next_question(qtbot, window)
    assert told == ["checked_in", "checked_in", "started"]  # at hand-over and as it began
    qtbot.waitUntil(lambda: stage_of(rig, NORA) == "started", timeout=10_000)

    while not isinstance(window.currentWidget(), ReviewScreen):
        next_question(qtbot, window)
    tap(qtbot, window, "submit")
    on(qtbot, window, ThanksScreen)
    qtbot.waitUntil(lambda: stage_of(rig, NORA) == "finished", timeout=10_000)
    assert rig.tablet.store.pending() == []  # the submission was synced by the worker


def test_a_clinic_that_is_down_does_not_disturb_the_patient(
    qtbot: Any, kiosk: Callable[[Syncer], tuple[KioskWindow, SyncWorker]], rig: ClinicDayRig
) -> None:
    live = rig.tablet.syncer.client
    nowhere = ClinicClient(
        "https://127.0.0.1:9", live.identity, certificate=rig.certificate.read_text()
    )  # nothing listens on port 9: every request is refused
    syncer = Syncer(rig.tablet.store, nowhere, rig.tablet.data_dir)
    window, worker = kiosk(syncer)

    hand_over(qtbot, window, "H-0001")
    start_questions(qtbot, window)
    while not isinstance(window.currentWidget(), ReviewScreen):
        next_question(qtbot, window)
    tap(qtbot, window, "submit")
    on(qtbot, window, ThanksScreen)  # no error screen, no waiting on the clinic
    assert window.currentWidget() is not window.failure

    # The answers are sealed and kept to send later; the clinic never heard of Nora.
    [kept] = rig.tablet.store.pending()
    assert kept.envelope
    assert stage_of(rig, NORA) == "not_started"
    # The sync thread tried and failed, out of the patient's way; the reports wait in
    # memory only (never in the tablet's store), for a few more tries at most.
    qtbot.waitUntil(lambda: worker.last_report is not None, timeout=10_000)
    assert worker.last_report is not None
    assert worker.last_report.error_kind == "ClinicUnreachableError"
    assert 1 <= len(syncer.progress) <= 3
