"""Key in a form: a completed paper form, or a pathway completed with the patient at
the console, saved to the clinic (``POST /entries``) as the patient's submission.

Choose the patient's appointment from the whole clinic list of the day the form
was filled in (or type their NHS number, or neither for an anonymous form), the
pathway and the language the form was in, and how it was completed. Then every
question comes in the paper form's order, each with the answer codes the paper
prints beside its tick boxes: typing a code ticks that answer (the ticked
answer's words show beside the box), Enter goes to the next question, Ctrl+S
saves. Nothing is checked here that the clinic does not check again: when the
clinic's engine refuses answers, each problem shows beside its question,
everything typed stays, and saving again after a fix stores the form once. After
saving, the flags it raised are listed (clinical staff); the boxes empty for the
next form.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.console.client import AnswersRefused
from kiosk.engine import Form
from kiosk.engine.schema import Item
from kiosk.ui.staff import words
from kiosk.ui.staff.entry_model import (
    CHOICES,
    EntryForms,
    asked,
    choices,
    form_answers,
    question_text,
    questions,
    ticked,
)
from kiosk.ui.staff.look import plain_words, say
from kiosk.ui.staff.session import Session
from kiosk.vocabulary import ASSISTED, PAPER


class QuestionRow(QWidget):
    """One question: its words, the box the answer is typed in, the codes the paper
    prints, what the typed code ticks, and a problem beside it."""

    def __init__(self, form: Form, item: Item) -> None:
        super().__init__()
        self.form, self.item = form, item
        self.offered = choices(form, item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.question = plain_words(question_text(form, item), "question")
        layout.addWidget(self.question)
        line = QHBoxLayout()
        self.edit = QLineEdit()
        self.edit.setAccessibleName(question_text(form, item))
        self.edit.setObjectName(f"{form.id}/{item.id}")
        line.addWidget(self.edit, 1)
        self.ticked = plain_words("", "hint")
        line.addWidget(self.ticked, 2)
        layout.addLayout(line)
        if self.offered:
            codes = "   ".join(f"{code} = {text}" for code, text in self.offered)
            layout.addWidget(plain_words(self.tr("Codes: %1").replace("%1", codes), "hint"))
        self.not_asked = plain_words("", "hint")
        layout.addWidget(self.not_asked)
        self.problem = plain_words("", "message")
        layout.addWidget(self.problem)
        self.edit.textChanged.connect(self._show_ticked)

    def _show_ticked(self, text: str) -> None:
        say(self.problem, "")
        if not self.offered or not text.strip():
            self.ticked.setText("")
            return
        codes = ticked(self.item, text)
        named = dict(self.offered)
        if codes and (self.item.type not in CHOICES or len(codes) == 1):
            self.ticked.setText("✓ " + ", ".join(named[c] for c in codes))
        else:
            self.ticked.setText(self.tr("? not one of the codes"))

    def set_asked(self, is_asked: bool) -> None:
        self.not_asked.setText(
            "" if is_asked else self.tr("Not asked, given the answers above: leave it empty.")
        )


class EntryPanel(QWidget):
    """``saved(answer)`` once the clinic has stored a form."""

    saved = Signal(dict)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.forms: EntryForms | None = None
        self.rows: dict[tuple[str, str], QuestionRow] = {}
        self.entry_id = uuid.uuid4().hex
        self._day = ""  # the day whose clinic list the appointments are from
        layout = QVBoxLayout(self)
        layout.addWidget(plain_words(self.tr("Key in a form"), "title"))
        top = QFormLayout()
        self.appointment = QComboBox()
        self.appointment.setAccessibleName(self.tr("Appointment"))
        top.addRow(self.tr("&Appointment today:"), self.appointment)
        self.nhs_number = QLineEdit()
        self.nhs_number.setAccessibleName(self.tr("NHS number"))
        self.nhs_number.setPlaceholderText(self.tr("or the patient's NHS number"))
        top.addRow(self.tr("or &NHS number:"), self.nhs_number)
        self.pathway = QComboBox()
        self.pathway.setAccessibleName(self.tr("Pathway"))
        top.addRow(self.tr("&Pathway:"), self.pathway)
        self.language = QComboBox()
        self.language.setAccessibleName(self.tr("Language of the form"))
        top.addRow(self.tr("&Language of the form:"), self.language)
        how = QHBoxLayout()
        self.paper = QRadioButton(self.tr("Pape&r form"))
        self.assisted = QRadioButton(self.tr("Completed &with the patient"))
        self.paper.setChecked(True)
        how.addWidget(self.paper)
        how.addWidget(self.assisted)
        top.addRow(self.tr("How it was done:"), how)
        self.filled_on = QDateEdit(QDate.currentDate())
        self.filled_on.setCalendarPopup(True)
        self.filled_on.setMaximumDate(QDate.currentDate())
        self.filled_on.setAccessibleName(self.tr("Day the paper form was filled in"))
        top.addRow(self.tr("Filled in &on:"), self.filled_on)
        self.stopped = QCheckBox(self.tr("The patient &stopped part way"))
        top.addRow("", self.stopped)
        layout.addLayout(top)
        self.questions = QWidget()
        self.questions.setObjectName("body")
        self.question_list = QVBoxLayout(self.questions)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(self.questions)
        layout.addWidget(self.scroller, 1)
        bottom = QHBoxLayout()
        self.save_button = QPushButton(self.tr("&Save the form (Ctrl+S)"))
        self.save_button.setAccessibleName(self.tr("Save the form"))
        self.save_button.clicked.connect(self.save)
        bottom.addWidget(self.save_button)
        self.message = plain_words("", "message")
        bottom.addWidget(self.message, 1)
        layout.addLayout(bottom)
        self.result = plain_words("", "done")
        layout.addWidget(self.result)
        self.pathway.currentIndexChanged.connect(self._show_pathway)
        self.paper.toggled.connect(self.filled_on.setEnabled)
        self.paper.toggled.connect(self._read_day)
        self.filled_on.dateChanged.connect(self._read_day)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)

    # ------------------------------------------------------------ reading the clinic
    def start(self) -> None:
        client = self.session.client
        say(self.message, self.tr("Reading the forms and today's list…"), problem=False)
        self.session.run(self, client.entry_forms, self._forms_read, self._failed)
        self._read_day()

    def _read_day(self) -> None:
        """The clinic list of the day the form was filled in (today for a form completed
        with the patient): the clinic links a form to an appointment of that day."""
        day = words.to_date(self.filled_on.date()) if self.paper.isChecked() else dt.date.today()
        self._day = day.isoformat()
        client = self.session.client
        self.session.run(self, lambda: client.clinic_day(day), self._day_read, self._failed)

    def _forms_read(self, answer: Mapping[str, Any]) -> None:
        self.forms = EntryForms(answer)
        self.pathway.clear()
        for pathway in self.forms.pathways:
            self.pathway.addItem(pathway.title, pathway.id)
        say(self.message, "", problem=False)

    def _day_read(self, day: Mapping[str, Any]) -> None:
        if day.get("day") != self._day:
            return  # an answer for a day since changed
        self.appointment.clear()
        self.appointment.addItem(self.tr("No appointment (anonymous, or by NHS number)"), None)
        for a in day.get("appointments", ()):
            text = f"{a.get('time', '')}  {a.get('name', '')}  ({a.get('clinic', '')})"
            self.appointment.addItem(text, a.get("appointment_id"))

    def _failed(self, exc: Exception) -> None:
        say(self.message, words.problem(exc))

    # ------------------------------------------------------------ the questions
    def _show_pathway(self) -> None:
        for row in self.rows.values():
            row.setParent(None)
            row.deleteLater()
        self.rows = {}
        while self.question_list.count():
            taken = self.question_list.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        pathway = self.forms.pathway(self.pathway.currentData()) if self.forms else None
        self.language.clear()
        if pathway is None or self.forms is None:
            return
        for code in pathway.languages:
            self.language.addItem(code, code)
        previous: QLineEdit | None = None
        for form in self.forms.forms_of(pathway.id):
            self.question_list.addWidget(plain_words(form.spec.title.get("en", form.id), "heading"))
            for item in questions(form):
                row = QuestionRow(form, item)
                self.rows[(form.id, item.id)] = row
                self.question_list.addWidget(row)
                row.edit.textChanged.connect(lambda _t, f=form: self._skip_logic(f))
                if previous is not None:
                    previous.returnPressed.connect(row.edit.setFocus)
                previous = row.edit
            self._skip_logic(form)
        self.question_list.addStretch(1)

    def _typed(self, form: Form) -> dict[str, str]:
        return {i: row.edit.text() for (f, i), row in self.rows.items() if f == form.id}

    def _skip_logic(self, form: Form) -> None:
        shown = asked(form, form_answers(form, self._typed(form)))
        for (form_id, item_id), row in self.rows.items():
            if form_id == form.id:
                row.set_asked(item_id in shown)

    def row(self, form_id: str, item_id: str) -> QuestionRow:
        return self.rows[(form_id, item_id)]

    # ------------------------------------------------------------ saving
    def body(self) -> dict[str, Any]:
        """What ``POST /entries`` is sent for the form on screen."""
        pathway = self.pathway.currentData()
        forms = self.forms.forms_of(pathway) if self.forms else []
        answers = {form.id: form_answers(form, self._typed(form)) for form in forms}
        paper = self.paper.isChecked()
        nhs_number = self.nhs_number.text().strip()
        return {
            "entry_id": self.entry_id,
            "pathway": pathway,
            "language": self.language.currentData() or "en",
            "route": PAPER if paper else ASSISTED,
            "answers": {form_id: given for form_id, given in answers.items() if given},
            "complete": not self.stopped.isChecked(),
            "appointment_id": self.appointment.currentData(),
            "nhs_number": nhs_number or None,
            "filled_on": self.filled_on.date().toString(Qt.DateFormat.ISODate) if paper else None,
        }

    def save(self) -> None:
        if self.forms is None or self.pathway.currentData() is None:
            say(self.message, self.tr("Choose a pathway first."))
            return
        body = self.body()
        for row in self.rows.values():
            say(row.problem, "")
        self.result.setText("")
        self.save_button.setEnabled(False)
        say(self.message, self.tr("Saving…"), problem=False)
        client = self.session.client
        self.session.run(self, lambda: client.add_entry(body), self._saved, self._refused)

    def _saved(self, answer: Mapping[str, Any]) -> None:
        self.save_button.setEnabled(True)
        route = self.tr("paper form") if answer.get("route") == PAPER else self.tr("form")
        say(self.message, self.tr("Saved the %1.").replace("%1", route), problem=False)
        self.result.setText(flags_said(answer))
        self.entry_id = uuid.uuid4().hex  # the next form is another entry
        for row in self.rows.values():
            row.edit.clear()
        self.nhs_number.clear()
        self.appointment.setCurrentIndex(0)
        self.stopped.setChecked(False)
        self.saved.emit(dict(answer))

    def _refused(self, exc: Exception) -> None:
        self.save_button.setEnabled(True)
        if not isinstance(exc, AnswersRefused):
            say(self.message, words.problem(exc) + " " + self.tr("Nothing was lost."))
            return
        first: QuestionRow | None = None
        elsewhere = []
        for problem in exc.problems:
            row = self.rows.get((str(problem.get("form")), str(problem.get("item"))))
            if row is None:
                elsewhere.append(f"{problem.get('form')}: {problem.get('message')}")
                continue
            say(row.problem, str(problem.get("message", "")))
            first = first or row
        count = self.tr("%1 answers need a look; nothing was saved yet, and nothing typed is lost.")
        say(self.message, " ".join([count.replace("%1", str(len(exc.problems))), *elsewhere]))
        if first is not None:
            self.scroller.ensureWidgetVisible(first)
            first.edit.setFocus()

    def forget(self) -> None:
        """Empty every box (the console is locking or signing out)."""
        for row in self.rows.values():
            row.edit.clear()
        self.nhs_number.clear()
        self.appointment.clear()
        self.result.setText("")


def flags_said(answer: Mapping[str, Any]) -> str:
    """The flags a saved form raised, in words (none for receptionists: not theirs)."""
    flags = answer.get("flags")
    if flags is None:
        return words.tr("The clinical team will see any flags in the queue.")
    if not flags:
        return words.tr("No flags raised.")
    said = [f"{words.flag_word(f['id'], f.get('word'))} ({words.severity(f['severity'])})"
            for f in flags]  # fmt: skip
    return words.tr("Flags raised: %1").replace("%1", "; ".join(said))


class EntryDialog(QDialog):
    """The key-in screen in a window of its own beside the lists, so the queue stays in
    view; the console window takes it down when it locks or signs out."""

    def __init__(self, parent: QWidget, session: Session) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Key in a form"))
        self.panel = EntryPanel(session)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.panel)
        self.resize(900, 700)
