"""Earlier visits and the change from baseline: a line chart per measure group (QtCharts)
and the same numbers in a table, so nothing depends on reading a chart.

Lines differ by dash pattern and carry their values as point labels, so they
can be told apart without colour.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCharts import QCategoryAxis, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import QCoreApplication, QMargins, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.ui.staff import words
from kiosk.ui.staff.tables import TextTableModel, table_view

DASHES = (
    Qt.PenStyle.SolidLine,
    Qt.PenStyle.DashLine,
    Qt.PenStyle.DotLine,
    Qt.PenStyle.DashDotLine,
)
COLOURS = ("#005EB8", "#D5281B", "#007F3B", "#330072")


def number(value: Any) -> str:
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("StaffConsole", "Yes")
            if value
            else QCoreApplication.translate("StaffConsole", "No")
        )
    if isinstance(value, float):
        return f"{round(value, 2):g}"
    return str(value)


def group_chart(group: str, change: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """How a measure group is charted, as its form declares it (sent with the change rows)."""
    for row in change:
        chart = row.get("chart")
        if str(row.get("measure", "")).partition(".")[0] == group and isinstance(chart, Mapping):
            return {
                "title": words.tr(str(chart["title"])),
                "top": chart["top"],
                "step": chart["step"],
            }
    return {"title": group.upper(), "top": 10, "step": 5}


def measure_label(measure: str, change: Sequence[Mapping[str, Any]]) -> str:
    """A measure's name within its chart (whose title already names the questionnaire)."""
    for row in change:
        if row.get("measure") == measure and row.get("label"):
            return str(row["label"]).split(" (")[0]
    return measure.partition(".")[2].replace("_", " ").capitalize() or measure


def direction(row: Mapping[str, Any]) -> str:
    if not row.get("change"):
        return QCoreApplication.translate("StaffConsole", "No change")
    return (
        QCoreApplication.translate("StaffConsole", "Better")
        if row.get("improved")
        else QCoreApplication.translate("StaffConsole", "Worse")
    )


def change_rows(change: Sequence[Mapping[str, Any]]) -> list[list[str]]:
    """Measure, first, latest, change, and which way is better, as words."""
    rows = []
    for row in change:
        delta = row.get("change")
        better = (
            QCoreApplication.translate("StaffConsole", "higher")
            if row.get("better") == "higher"
            else QCoreApplication.translate("StaffConsole", "lower")
        )
        rows.append(
            [
                str(row.get("label") or row.get("measure")),
                f"{number(row.get('baseline'))} ({words.day(row.get('baseline_at'))})",
                f"{number(row.get('latest'))} ({words.day(row.get('latest_at'))})",
                (
                    f"+{number(delta)}"
                    if isinstance(delta, int | float) and delta > 0
                    else number(delta)
                ),
                QCoreApplication.translate("StaffConsole", "%1 (%2 is better)")
                .replace("%1", direction(row))
                .replace("%2", better),
            ]
        )
    return rows


class ChangeChart(QWidget):
    """Built from the summary's ``history`` (oldest first) and ``change``."""

    def __init__(
        self, history: Sequence[Mapping[str, Any]], change: Sequence[Mapping[str, Any]]
    ) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        visits = TextTableModel([self.tr("Visit"), self.tr("Date"), self.tr("Pathway")])
        visits.set_rows(
            [
                [
                    str(n),
                    words.moment(v.get("started_at")),
                    str(v.get("pathway_title") or v.get("pathway", "")),
                ]
                for n, v in enumerate(history, 1)
            ]
        )
        self.visits = table_view(visits, self.tr("Visits"), whole=True)
        layout.addWidget(self.visits)
        self.charts: list[QChartView] = []
        if len(history) < 2:
            note = QLabel(self.tr("This is the patient's first visit: there is no change to show."))
            note.setWordWrap(True)
            note.setObjectName("hint")
            layout.addWidget(note)
            self.numbers = table_view(TextTableModel([]), self.tr("Change from first visit"))
            self.numbers.hide()
            return
        for group, measures in self._groups(history).items():
            view = self._chart(group, measures, history, change)
            self.charts.append(view)
            layout.addWidget(view)
        model = TextTableModel(
            [
                self.tr("Measure"),
                self.tr("First"),
                self.tr("Latest"),
                self.tr("Change"),
                self.tr("Direction"),
            ]
        )
        model.set_rows(change_rows(change), [row.get("measure") for row in change])
        self.numbers = table_view(
            model, self.tr("Change from first visit"), whole=True, stretch=(0, 4)
        )
        layout.addWidget(self.numbers)

    @staticmethod
    def _groups(history: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
        """Measure group -> measures with a value at two visits or more, in first-seen order."""
        seen: dict[str, int] = {}
        for visit in history:
            for measure in visit.get("measures", {}):
                seen[measure] = seen.get(measure, 0) + 1
        groups: dict[str, list[str]] = {}
        for measure, times in seen.items():
            if times >= 2:
                groups.setdefault(measure.partition(".")[0], []).append(measure)
        return groups

    def _chart(
        self,
        group: str,
        measures: list[str],
        history: Sequence[Mapping[str, Any]],
        change: Sequence[Mapping[str, Any]],
    ) -> QChartView:
        chart = QChart()
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        declared = group_chart(group, change)
        chart.setTitle(declared["title"])
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setBackgroundRoundness(0)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        font = QFont("Andika")
        font.setPixelSize(13)
        chart.setTitleFont(font)
        chart.legend().setFont(font)
        x_axis = QCategoryAxis()
        x_axis.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
        x_axis.setLabelsFont(font)
        for n, visit in enumerate(history):
            x_axis.append(f"{n + 1}: {words.day(visit.get('started_at'))}", n)
        x_axis.setRange(-0.3, len(history) - 0.7)
        y_axis = QValueAxis()
        y_axis.setLabelsFont(font)
        y_axis.setLabelFormat("%.0f")
        values = [
            float(v["measures"][m]) for v in history for m in measures if m in v.get("measures", {})
        ]
        # Few ticks: Andika's tall lines leave room for about four labels up the side.
        step = declared["step"]
        top = step * math.ceil(max([*values, float(declared["top"])]) / step)
        y_axis.setRange(0, top)
        y_axis.setTickCount(round(top / step) + 1)
        y_axis.setMinorTickCount(1)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for n, measure in enumerate(measures):
            series = QLineSeries()
            series.setName(measure_label(measure, change))
            for x, visit in enumerate(history):
                value = visit.get("measures", {}).get(measure)
                if value is not None:
                    series.append(x, float(value))
            pen = QPen(COLOURS[n % len(COLOURS)])
            pen.setWidth(2)
            pen.setStyle(DASHES[n % len(DASHES)])
            series.setPen(pen)
            series.setPointsVisible(True)
            series.setPointLabelsVisible(True)
            series.setPointLabelsFormat("@yPoint")  # values as sent: 4, 6.33
            series.setPointLabelsFont(font)
            series.setPointLabelsClipping(False)
            chart.addSeries(series)
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        view = QChartView(chart)
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setMinimumHeight(240)
        view.setAccessibleName(self.tr("Chart: %1").replace("%1", declared["title"]))
        return view
