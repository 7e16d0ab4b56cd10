"""One patient's summary: their words first, flags explained, scores with bands, change."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

sys.path.insert(0, str(Path(__file__).parent))  # console_helpers.py, beside this file
from console_helpers import Consoles, another, demo, open_patient

from kiosk.ui.staff.summary_view import SummaryView

pytestmark = pytest.mark.staff


def labels(view: SummaryView, name: str) -> list[QLabel]:
    return [label for label in view.body.findChildren(QLabel) if label.objectName() == name]


def table_rows(view) -> list[list[str]]:
    model = view.model()
    return [[model.index(r, c).data() for c in range(model.columnCount())]
            for r in range(model.rowCount())]  # fmt: skip


@pytest.mark.control("H-01-C4", "H-02-C4", "H-03-C5")
def test_the_summary_puts_the_patients_words_first_and_explains_the_flags(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("clinician")
    summary = open_patient(qtbot, window, staff_clinic.ids["urgent"]).summary
    texts = summary.texts()
    words = [label.text() for label in labels(summary, "patient_words")]
    assert words[0] == "My breathing gets worse when I climb the stairs to my flat."
    assert texts.index("What matters to me") < texts.index("Needs attention")
    assert texts.index(words[0]) < texts.index("Needs attention")
    assert "Born 3 Mar 1950 · NHS 999 000 0018 · Hospital DEMO-0001" in texts
    assert "• What are my options?" in texts
    flags = [label.text() for label in labels(summary, "flag")]
    assert flags[0].startswith("Feels unsafe (Urgent): Said they sometimes feel unsafe.")
    assert any(text.startswith("Wants help (High): Asked to talk to someone") for text in flags)
    # The screening answers: flagged ones marked in words and bold, and explained.
    flagged = labels(summary, "flagged_answer")
    assert [label.text() for label in flagged] == ["⚑ Flag: Yes"] * 3 + ["⚑ Flag: 3", "⚑ Flag: 8"]
    assert all(label.font().bold() for label in flagged)
    question = texts.index("Do you ever feel unsafe?")
    assert texts[question + 1] == "⚑ Flag: Yes"
    assert texts[question + 2].startswith("Why: Said they sometimes feel unsafe.")
    assert texts[question + 2].endswith("(Urgent)")
    support = next(t for t in texts if t.startswith("If you were in trouble or felt alone"))
    assert texts[texts.index(support) + 1] == "Yes"  # not flagged: shown plainly
    # ONS4 with its bands, and the essentials staff need now.
    for score, value, band in (("Life satisfaction", "3", "Low (0-4)"),
                               ("Anxiety", "8", "High (6-10)")):  # fmt: skip
        at = texts.index(score)
        assert texts[at + 1 : at + 3] == [value, band]
    at = texts.index("Accessibility needs")
    assert texts[at + 1] == "Large print"
    assert texts[texts.index("Carer") + 1] == "Yes"
    assert "This is the patient's first visit: there is no change to show." in texts


@pytest.mark.control("H-07-C5")
def test_the_change_since_the_first_visit_is_charted_and_in_numbers(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    window = consoles.open("linkworker")
    summary = open_patient(qtbot, window, staff_clinic.ids["pain_followup"]).summary
    assert summary.chart is not None
    rows = {row[0]: row[1:] for row in table_rows(summary.chart.numbers)}
    satisfaction = rows["Life satisfaction (ONS4)"]
    assert satisfaction[0].startswith("4 (") and satisfaction[1].startswith("7 (")
    assert satisfaction[2:] == ["+3", "Better (higher is better)"]
    concern = rows["MYCaW concern 1"]
    assert concern[0].startswith("5 (") and concern[1].startswith("2 (")
    assert concern[2:] == ["-3", "Better (lower is better)"]
    semcd = rows["Self-management confidence (SEMCD)"]
    assert float(semcd[1].split()[0]) > float(semcd[0].split()[0])
    assert semcd[3] == "Better (higher is better)"
    assert len(table_rows(summary.chart.visits)) == 2
    charts = summary.findChildren(QChartView)
    titles = [chart.chart().title() for chart in charts]
    assert titles == ["Wellbeing (ONS4)", "Concerns and wellbeing (MYCaW)", "Self-efficacy (SEMCD)"]
    ons4 = charts[0].chart().series()
    assert [series.name() for series in ons4] == [
        "Life satisfaction", "Worthwhile", "Happiness", "Anxiety"
    ]  # fmt: skip
    assert [(p.x(), p.y()) for p in ons4[0].points()] == [(0, 4), (1, 7)]
    assert len({series.pen().style() for series in ons4}) == 4  # told apart without colour
    texts = summary.texts()
    assert "Whether the exercises are working." in texts
    semcd_label = next(t for t in texts if t.startswith("SEMCD-6 self-efficacy"))
    assert texts[texts.index(semcd_label) + 1] == "6.33"


@pytest.mark.control("H-21-C1")
def test_patient_text_is_shown_as_typed_never_as_markup(
    qtbot, consoles: Consoles, staff_clinic
) -> None:
    hostile = "<b>x</b> <img src=x> &amp;"
    answers = {**demo("no_flags").answers, "what_matters": {"main_concern": hostile}}
    sent = staff_clinic.send(another("no_flags", "hostile", answers=answers))
    window = consoles.open("clinician")
    summary = open_patient(qtbot, window, sent["hostile"]).summary
    shown = [label for label in summary.body.findChildren(QLabel) if label.text() == hostile]
    assert len(shown) >= 2  # what matters, and the answer in its form
    for label in summary.body.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
    # Drawn as text: as wide as the literal characters, not as one bold "x".
    label = labels(summary, "patient_words")[0]
    assert label.sizeHint().width() > label.fontMetrics().horizontalAdvance("<b>x</b> <img")
