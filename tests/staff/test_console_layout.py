"""Every staff console screen fits 1366x768: no clipped text, nothing off the side."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSize

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import SCREEN, Consoles, care, clipped, open_patient, settle

from kiosk.ui.staff.admin_view import AdminView

pytestmark = pytest.mark.staff


def fits(window) -> None:
    assert window.size() == QSize(*SCREEN)
    hint = window.minimumSizeHint()
    assert hint.width() <= SCREEN[0] and hint.height() <= SCREEN[1], hint


def test_the_clinical_screens_fit(qtbot, consoles: Consoles, staff_clinic) -> None:
    problems: dict[str, list[str]] = {}

    def check(name: str, window) -> None:
        settle(qtbot, window)
        fits(window)
        found = clipped(window)
        if found:
            problems[name] = found

    window = consoles.open()
    check("sign-in", window)
    window.sign_in_page.show_problem("The username or password is wrong.")
    check("sign-in problem", window)
    window.close()
    window = consoles.open("clinician")
    check("queue", window)
    for key in ("urgent", "pain_followup", "anonymous"):
        page = open_patient(qtbot, window, staff_clinic.ids[key])
        check(f"summary of {key}", window)
    page.triage.notes.setPlainText("x")
    page.triage._conflict(
        {"status": "actioned", "owner": "linkworker", "notes": "A long note " * 20,
         "version": 3, "updated_by": "linkworker", "updated_at": None}
    )  # fmt: skip
    check("triage conflict", window)
    window.lock("Your session has ended. Sign in again.")
    check("locked", window)
    assert not problems, problems


def test_the_reception_and_admin_screens_fit(qtbot, consoles: Consoles) -> None:
    problems: dict[str, list[str]] = {}
    window = consoles.open("reception")
    settle(qtbot, window)
    fits(window)
    assert care(window).queue.isVisible()
    if found := clipped(window):
        problems["reception queue"] = found
    window = consoles.open("admin")
    admin = window.workspace
    assert isinstance(admin, AdminView)
    for tab in range(admin.count()):
        admin.setCurrentIndex(tab)
        settle(qtbot, window)
        fits(window)
        if found := clipped(window):
            problems[admin.tabText(tab)] = found
    assert not problems, problems


def test_a_patient_with_referrals_fits(qtbot, consoles: Consoles, staff_clinic) -> None:
    import datetime as dt

    sid = staff_clinic.ids["urgent"]
    with staff_clinic.client("clinician") as client:
        client.add_referral(sid, "social_prescriber", dt.date.today(), "Weekly walking group")
        [referral] = client.summary(sid)["referrals"]
        client.update_referral(referral["id"], 0, "did_not_attend", dt.date.today(), "")
    window = consoles.open("clinician")
    open_patient(qtbot, window, sid)
    settle(qtbot, window)
    assert not clipped(window)
