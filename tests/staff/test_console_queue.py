"""Today's queue: urgent first, the counts, filters, refreshing in place, new arrivals."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, another, care, queue_ids

from kiosk.ui.staff.queue_model import Novelty, QueueModel

pytestmark = pytest.mark.staff


def column(model: QueueModel, col: int) -> list[str]:
    return [model.index(row, col).data() for row in range(model.rowCount())]


@pytest.mark.control("H-01-C4", "H-02-C3")
def test_the_queue_is_urgent_first_and_the_counts_match(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("clinician")
    ids = staff_clinic.ids
    order = queue_ids(window)
    assert order[0] == ids["urgent"]
    assert order[1] == ids["wants_help"]
    assert set(order[2:5]) == {ids["routine"], ids["pain_baseline"], ids["anonymous"]}
    assert set(order[5:]) == {ids["no_flags"], ids["pain_followup"]}
    model = care(window).queue.model
    urgency = column(model, QueueModel.URGENCY)
    assert urgency[:2] == ["Urgent", "Wants help"]
    assert urgency[2:5] == ["Flagged"] * 3
    assert urgency[5:] == ["No flags"] * 2
    # Not colour alone: every urgency has its own shape.
    icons = [model.index(r, QueueModel.URGENCY).data(Qt.ItemDataRole.DecorationRole)
             for r in (0, 1, 2, 5)]  # fmt: skip
    images = [icon.pixmap(20, 20).toImage() for icon in icons]
    assert len({image.cacheKey() for image in images}) == 4
    assert all(images[i] != images[j] for i in range(4) for j in range(i + 1, 4))
    assert column(model, QueueModel.PATIENT)[0] == "Alex Example · NHS 999 000 0018"
    assert "Anonymous" in column(model, QueueModel.PATIENT)
    assert column(model, QueueModel.TIME)[:2] == ["09:30", "10:00"]
    assert column(model, QueueModel.FLAGS)[0].startswith("Feels unsafe, Wants help, Money")
    assert set(column(model, QueueModel.STATUS)) == {"New"}
    counts = care(window).queue.count_labels
    assert counts["total"].text() == "Patients: 7"
    assert counts["urgent"].text() == "Urgent: 1"
    assert counts["wants_help"].text() == "Wants help: 2"  # the urgent patient asked too
    assert counts["flagged"].text() == f"Flagged: {sum(1 for f in column(model, 5) if f)}"
    assert counts["new"].text() == "New: 7"
    with staff_clinic.client("linkworker") as other:
        server = other.queue()["counts"]
    for key, label in counts.items():
        assert label.text().endswith(f": {server[key]}")


@pytest.mark.control("H-02-C3")
def test_filters_narrow_the_list_but_not_the_counts(qtbot, consoles: Consoles) -> None:
    window = consoles.open("clinician")
    queue = care(window).queue
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert queue.clinic.hasFocus()  # Ctrl+F goes to the filters
    assert [queue.clinic.itemText(i) for i in range(queue.clinic.count())] == [
        "All clinics", "Heart clinic", "Pain clinic", "Renal clinic"
    ]  # fmt: skip
    with qtbot.waitSignal(queue.refreshed):
        queue.clinic.setCurrentIndex(queue.clinic.findData("Pain clinic"))
        queue.clinic.activated.emit(queue.clinic.currentIndex())
    assert set(column(queue.model, QueueModel.CLINIC)) == {"Pain clinic"}
    assert queue.model.rowCount() == 2
    assert queue.count_labels["total"].text() == "Patients: 2"  # counts for that clinic
    with qtbot.waitSignal(queue.refreshed):
        queue.flag.setCurrentIndex(queue.flag.findData("high_anxiety"))
        queue.flag.activated.emit(queue.flag.currentIndex())
    assert queue.model.rowCount() == 1
    assert queue.count_labels["total"].text() == "Patients: 2"  # not jumping with the filter


@pytest.mark.control("H-01-C5")
def test_refreshing_keeps_the_readers_place_and_marks_new_arrivals(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    staff_clinic.send(*(another("no_flags", f"extra_{n}") for n in range(14)))
    window = consoles.open("clinician", queue_refresh_s=3600)
    window.resize(1366, 640)
    queue = care(window).queue
    table = queue.table
    qtbot.waitUntil(lambda: table.verticalScrollBar().maximum() > 0)
    for row in range(queue.model.rowCount()):
        assert not queue.model.is_new(row)  # nothing is new at the first look
    chosen = staff_clinic.ids["extra_9"]
    table.selectRow(queue.model.row_of(chosen))
    table.verticalScrollBar().setValue(table.verticalScrollBar().maximum() - 1)
    scroll = table.verticalScrollBar().value()
    assert scroll > 0

    arrival = staff_clinic.send(another("routine", "arrival", hospital_number="DEMO-0099"))
    with qtbot.waitSignal(queue.refreshed):
        qtbot.keyClick(table, Qt.Key.Key_F5)
    assert queue.selected_id() == chosen
    assert table.verticalScrollBar().value() == scroll
    row = queue.model.row_of(arrival["arrival"])
    assert row is not None
    assert queue.model.index(row, QueueModel.NEW).data() == "NEW"
    font = queue.model.index(row, QueueModel.PATIENT).data(Qt.ItemDataRole.FontRole)
    assert isinstance(font, QFont) and font.bold()
    marked = [r for r in range(queue.model.rowCount()) if queue.model.index(r, 0).data() == "NEW"]
    assert marked == [row]

    table.selectRow(row)  # the reader looks at it: no longer new
    assert queue.model.index(row, QueueModel.NEW).data() == ""
    assert queue.model.index(row, QueueModel.PATIENT).data(Qt.ItemDataRole.FontRole) is None


@pytest.mark.control("H-01-C5")
def test_the_queue_refreshes_itself(qtbot, consoles: Consoles, staff_clinic) -> None:
    window = consoles.open("linkworker", queue_refresh_s=0.3)
    queue = care(window).queue
    before = queue.model.rowCount()
    staff_clinic.send(another("no_flags", "later"))
    qtbot.waitUntil(lambda: queue.model.rowCount() == before + 1, timeout=10_000)
    assert queue.model.index(queue.model.row_of(staff_clinic.ids["later"]), 0).data() == "NEW"


def test_the_model_reads_the_queue_json_without_a_window(qapp) -> None:
    item = {
        "submission_id": "a" * 32,
        "received_at": "2026-11-24T09:20:44.001+00:00",
        "appointment_time": None,
        "clinic": None,
        "pathway_title": "Survey",
        "patient": {"name": None, "nhs_number": "9434765919", "hospital_number": None},
        "urgency": 2,
        "flags": [{"id": "some_new_flag", "severity": "routine", "reason": "Why."}],
        "status": "no_action",
        "owner": "clinician",
    }
    model = QueueModel(Novelty())
    model.set_queue({"day": "2026-11-24", "clinics": [], "counts": {"total": 1}, "items": [item]})
    texts = [model.index(0, c).data() for c in range(model.columnCount())]
    assert texts == [
        "", "Flagged", "No time", "Name not on today's list · NHS 943 476 5919", "Survey",
        "Some new flag", "No action needed", "clinician",
    ]  # fmt: skip
    assert model.index(0, QueueModel.FLAGS).data(Qt.ItemDataRole.ToolTipRole) == "Routine: Why."
    later = {**item, "submission_id": "b" * 32, "received_at": "2026-11-24T09:30:00+00:00"}
    model.set_queue({"items": [item, later]})
    assert [model.is_new(r) for r in range(2)] == [False, True]
    model.mark_seen("b" * 32)
    assert not model.is_new(1)


def _many(count: int) -> list[dict]:
    """``count`` patients, every fifth arriving after the first look (NEW, bold), with
    the widest clinic, owner and status far down the list, out of sight."""
    items = []
    for n in range(count):
        items.append(
            {
                "submission_id": f"{n:032x}",
                "received_at": f"2026-11-24T{8 + n % 9:02d}:{n % 60:02d}:00+00:00",
                "appointment_time": None if n % 7 == 0 else f"{9 + n % 8:02d}:{n % 60:02d}",
                "clinic": "Heart clinic" if n != count - 3 else "Heart failure and valves clinic",
                "pathway_title": "Cardiology outpatients",
                "patient": {"name": f"Patient {n}", "nhs_number": "9434765919"},
                "urgency": n % 4,
                "flags": [],
                "status": "no_action" if n == count - 2 else "new",
                "owner": "linkworker" if n != count - 1 else "a.very.long.username.indeed",
            }
        )
    return items


def test_the_columns_are_as_wide_as_their_widest_cell_on_every_row(qtbot) -> None:
    """The queue's columns are measured on a sample of its rows, not every cell: the
    widths are still exactly those Qt gives when it sizes every cell (ResizeToContents),
    with rows out of sight, NEW rows in bold, a row seen and a refresh that widens."""
    from PySide6.QtWidgets import QHeaderView, QMainWindow

    from kiosk.ui.staff.look import SHEET
    from kiosk.ui.staff.queue_view import QueueView
    from kiosk.ui.staff.session import Session

    window = QMainWindow()
    qtbot.addWidget(window)
    window.setStyleSheet(SHEET)
    window.resize(1366, 768)
    novelty = Novelty(looked_at=dt.datetime(2026, 11, 24, 8, 30, tzinfo=dt.UTC))
    view = QueueView(Session(None, None, None), can_open=True, show_flags=True)  # type: ignore[arg-type]
    view.model.novelty = novelty
    window.setCentralWidget(view)
    window.show()
    qtbot.waitExposed(window)
    table, header, model = view.table, view.table.horizontalHeader(), view.model
    fitted = [c for c in range(model.columnCount()) if c not in (model.PATIENT, model.FLAGS)]

    def widths() -> list[int]:
        return [header.sectionSize(c) for c in fitted]

    def qt_widths() -> list[int]:
        """What Qt's own fit to every cell gives, then the view's own way back."""
        for c in fitted:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.resizeSections()
        measured = widths()
        for c in fitted:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        return measured

    def nothing_cut_off() -> None:
        bold = QFont(table.font())
        bold.setBold(True)
        plain, heavy = table.fontMetrics(), QFontMetrics(bold)
        for row in range(model.rowCount()):
            for c in fitted:
                text = model.index(row, c).data()
                wide = (heavy if model.is_new(row) else plain).horizontalAdvance(text)
                assert wide < header.sectionSize(c), (row, c, text)

    items = _many(400)
    view._loaded({"items": items[:-3]})
    assert table.rowAt(table.viewport().height()) < 100  # most rows are out of sight
    first = widths()
    assert first == qt_widths()
    nothing_cut_off()
    view._loaded({"items": items})  # the widest words arrive, far down the list
    assert widths() == qt_widths()
    assert all(now >= before for now, before in zip(widths(), first, strict=True))
    assert widths() != first
    nothing_cut_off()
    newest = max(r for r in range(model.rowCount()) if model.is_new(r))
    model.mark_seen(model.submission_id(newest))
    assert widths() == qt_widths()
    view._loaded({"items": []})
    assert widths() == qt_widths()  # the headings alone
    window.close()
