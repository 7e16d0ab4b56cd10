"""One patient's summary (``GET /submissions/{id}``), most important first: what matters
to them in their own words, what needs attention and why, the essentials staff need
now, change since their first visit, then each form's scores and answers.

Every piece of patient text is a plain-text label: "<b>x</b>" shows as typed.
A flagged answer is highlighted, starts with "⚑ Flag:" in bold and is explained.

Under the patient's name: "Put the link right…" for the roles that may
(kiosk.ui.staff.link_dialog), how the link was put right so far, and for a voided
submission who voided it, when and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff import words
from kiosk.ui.staff.change_chart import ChangeChart, number
from kiosk.ui.staff.link_dialog import LinkDialog, history_lines, may_correct
from kiosk.ui.staff.session import Session


def plain(text: str, name: str = "", *, accessible: str = "") -> QLabel:
    """A label that never reads its text as rich text, wraps, and can be copied from."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if name:
        label.setObjectName(name)
    if accessible:
        label.setAccessibleName(accessible)
    return label


def answer_words(item: Mapping[str, Any]) -> str:
    shown = item.get("answer_text")
    if shown:
        return str(shown)
    answer = item.get("answer")
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    return (
        QCoreApplication.translate("StaffConsole", "Not answered")
        if answer is None
        else str(answer)
    )


class SummaryView(QScrollArea):
    """``link_corrected(state)`` once the link has been put right (read the summary again)."""

    link_corrected = Signal(dict)

    def __init__(self, session: Session | None = None) -> None:
        super().__init__()
        self.session = session
        self.link_button: QPushButton | None = None
        self.link_dialog: LinkDialog | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Patient summary"))
        self.summary: dict[str, Any] | None = None
        self.chart: ChangeChart | None = None
        self.clear()

    def clear(self) -> None:
        """Forget the patient: every label holding their data goes."""
        self.summary = None
        self.chart = None
        self.link_button = None
        if self.link_dialog is not None:  # it shows the patient too
            self.link_dialog.reject()
            self.link_dialog.deleteLater()
            self.link_dialog = None
        old = self.takeWidget()
        if old is not None:
            # Off the window at once, then deleted when control returns to the event
            # loop: deleting a page holding a chart view synchronously (here, inside
            # a close event) can crash Qt Charts while its scene still has work queued.
            old.hide()
            old.setParent(None)
            old.deleteLater()
        self.body = QWidget()
        self.body.setObjectName("body")
        self.setWidget(self.body)

    def show_summary(self, summary: Mapping[str, Any]) -> None:
        self.clear()
        self.summary = dict(summary)
        layout = QVBoxLayout(self.body)
        self._header(layout, summary)
        self._link(layout, summary)
        self._what_matters(layout, summary)
        self._flags(layout, summary)
        self._essentials(layout, summary)
        layout.addWidget(plain(self.tr("Change since the first visit"), "section"))
        self.chart = ChangeChart(summary.get("history", []), summary.get("change", []))
        layout.addWidget(self.chart)
        for form in summary.get("forms", []):
            self._form(layout, form)
        layout.addStretch(1)
        self.verticalScrollBar().setValue(0)

    def texts(self) -> list[str]:
        """Every text shown (for reading the summary back, as a screen reader would)."""
        return [label.text() for label in self.body.findChildren(QLabel) if label.text()]

    # ------------------------------------------------------------ sections
    def _header(self, layout: QVBoxLayout, summary: Mapping[str, Any]) -> None:
        patient = summary.get("patient") or {}
        layout.addWidget(plain(patient.get("name") or words.patient_line(patient or None), "title"))
        details = []
        if patient.get("birth_date"):
            details.append(self.tr("Born %1").replace("%1", words.day(patient["birth_date"])))
        if patient.get("nhs_number"):
            details.append(self.tr("NHS %1").replace("%1", words.nhs_number(patient["nhs_number"])))
        if patient.get("hospital_number"):
            details.append(self.tr("Hospital %1").replace("%1", patient["hospital_number"]))
        visit = [
            str(summary.get("clinic") or ""),
            str(summary.get("appointment_time") or ""),
            str(summary.get("pathway_title") or summary.get("pathway") or ""),
            self.tr("answered %1").replace("%1", words.moment(summary.get("started_at"))),
        ]
        route = words.route_line(summary.get("route"), summary.get("entered_by"))
        if route:
            visit.append(route)
        if not summary.get("complete", True):
            visit.append(
                self.tr("stopped before the end (%1)").replace(
                    "%1", str(summary.get("end_reason") or "")
                )
            )
        layout.addWidget(plain(" · ".join(details), "meta"))
        layout.addWidget(plain(" · ".join(v for v in visit if v), "meta"))

    def _link(self, layout: QVBoxLayout, summary: Mapping[str, Any]) -> None:
        """Voided or not; the action for those who may; the history of corrections."""
        voided = summary.get("voided")
        if voided:
            text = self.tr(
                "Voided as entered in error on %1 by %2. Why: %3. These answers are in no"
                " list, export or report; nothing was deleted."
            )
            text = text.replace("%1", words.moment(voided.get("at")))
            text = text.replace("%2", str(voided.get("by") or "")).replace(
                "%3", str(voided.get("reason") or "")
            )
            layout.addWidget(plain(text, "flag"))
        elif self.session is not None and may_correct(self.session.role):
            row = QHBoxLayout()
            self.link_button = QPushButton(self.tr("Put the link &right…"))
            self.link_button.setAccessibleName(self.tr("Put the link right"))
            self.link_button.clicked.connect(self.put_link_right)
            row.addWidget(self.link_button)
            row.addStretch(1)
            layout.addLayout(row)
        lines = history_lines(summary.get("link_history") or [])
        if lines:
            layout.addWidget(plain(self.tr("How the link was put right"), "question_text"))
            for line in lines:
                layout.addWidget(plain(line, "meta"))

    def put_link_right(self) -> None:
        """Open the dialog for the summary shown (window-modal, not blocking)."""
        if self.session is None or self.summary is None:
            return
        if self.link_dialog is not None:
            self.link_dialog.deleteLater()
        self.link_dialog = LinkDialog(self.session, self.summary, self)
        self.link_dialog.corrected.connect(self.link_corrected)
        self.link_dialog.open()

    def _what_matters(self, layout: QVBoxLayout, summary: Mapping[str, Any]) -> None:
        layout.addWidget(plain(self.tr("What matters to me"), "section"))
        entries = summary.get("what_matters", [])
        for entry in entries:
            layout.addWidget(plain(str(entry.get("question", "")), "question_text"))
            layout.addWidget(
                plain(
                    str(entry.get("answer", "")),
                    "patient_words",
                    accessible=self.tr("In the patient's words"),
                )
            )
        if not entries:
            layout.addWidget(plain(self.tr("The patient did not write anything here."), "hint"))
        questions = summary.get("questions_to_ask", [])
        if questions:
            layout.addWidget(plain(self.tr("Questions they want to ask"), "question_text"))
            for question in questions:
                layout.addWidget(plain(f"• {question}"))

    def _flags(self, layout: QVBoxLayout, summary: Mapping[str, Any]) -> None:
        layout.addWidget(plain(self.tr("Needs attention"), "section"))
        flags = summary.get("flags", [])
        for flag in flags:
            text = self.tr("%1 (%2): %3")
            text = text.replace("%1", words.flag_word(flag["id"], flag.get("word")))
            text = text.replace("%2", words.severity(flag.get("severity", "")))
            layout.addWidget(plain(text.replace("%3", str(flag.get("reason", ""))), "flag"))
        if not flags:
            layout.addWidget(plain(self.tr("No flags."), "hint"))

    def _essentials(self, layout: QVBoxLayout, summary: Mapping[str, Any]) -> None:
        essentials = summary.get("essentials") or {}
        if not essentials:
            return
        layout.addWidget(plain(self.tr("About them"), "section"))
        grid = QGridLayout()
        # Each answer under its form's short name for it, as the clinic sends it.
        labels = summary.get("essential_labels") or {}
        rows = [
            (words.tr(labels.get(key) or key.replace("_", " ").capitalize()), value)
            for key, value in essentials.items()
        ]
        for row, (label, value) in enumerate(rows):
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            grid.addWidget(plain(label, "question_text"), row, 0)
            grid.addWidget(plain(str(value) if value else self.tr("Not answered")), row, 1)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

    def _form(self, layout: QVBoxLayout, form: Mapping[str, Any]) -> None:
        title = str(form.get("title") or form.get("form_id"))
        layout.addWidget(plain(title, "section"))
        if not form.get("known", True):
            layout.addWidget(
                plain(
                    self.tr(
                        "This clinic does not have this form's definition: "
                        "answers are shown as stored."
                    ),
                    "hint",
                )
            )
        scores = form.get("scores", [])
        if scores:
            grid = QGridLayout()
            for row, score in enumerate(scores):
                grid.addWidget(plain(str(score.get("label") or score.get("id"))), row, 0)
                grid.addWidget(plain(number(score.get("value"))), row, 1)
                grid.addWidget(plain(str(score.get("band_label") or ""), "meta"), row, 2)
            grid.setColumnStretch(0, 3)
            grid.setColumnStretch(2, 2)
            layout.addLayout(grid)
        for item in form.get("items", []):
            layout.addWidget(plain(str(item.get("question", "")), "question_text"))
            flag = item.get("flag")
            if flag:
                answer = plain(
                    self.tr("⚑ Flag: %1").replace("%1", answer_words(item)), "flagged_answer"
                )
                bold = answer.font()
                bold.setBold(True)  # as well as the style sheet's: it is the marking
                answer.setFont(bold)
                layout.addWidget(answer)
                reason = self.tr("Why: %1 (%2)").replace("%1", str(flag.get("reason", "")))
                layout.addWidget(
                    plain(reason.replace("%2", words.severity(flag["severity"])), "flag_reason")
                )
            else:
                layout.addWidget(plain(answer_words(item)))
        if form.get("credit"):
            layout.addWidget(plain(str(form["credit"]), "meta"))
