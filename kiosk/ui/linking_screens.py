"""Screens that link a session to a patient: self check-in and reception hand-over.

The patient's screens never show a name: a self check-in match is confirmed by
its appointment time and clinic only. Only the staff screen, behind the PIN,
shows the name and date of birth, for reception to confirm before handing over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, QEvent, QLocale, QObject
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.exchange.clinic_list import Appointment
from kiosk.exchange.nhs_number import format_nhs_number
from kiosk.journey.linking import LinkError, birth_date_from
from kiosk.ui.answer_inputs import guard_patient_text
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.screens import big_button, scrolling, show_problem, wrapped

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class CheckInScreen(QWidget):
    """Date of birth on a number pad, then the first letter of the family name."""

    def __init__(
        self,
        on_check: Callable[[dt.date, str], None],
        on_reception: Callable[[], None],
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__()
        self._on_check, self._today = on_check, today
        self.pages = QStackedWidget()
        outer = QVBoxLayout(self)
        outer.addWidget(self.pages)
        self.birth_page = self._birth_page(on_reception)
        self.letter_page = self._letter_page()
        self.pages.addWidget(self.birth_page)
        self.pages.addWidget(self.letter_page)
        self._born: dt.date | None = None

    # ------------------------------------------------------------ date of birth
    def _birth_page(self, on_reception: Callable[[], None]) -> QWidget:
        page = QWidget()
        body, footer = scrolling(page)
        body.addWidget(wrapped(self.tr("Let us find your appointment"), "title"))
        body.addWidget(wrapped(self.tr("What is your date of birth?"), "question"))
        fields = QHBoxLayout()
        self.day = self._field(self.tr("Day"), 2, "day")
        self.month = self._field(self.tr("Month"), 2, "month")
        self.year = self._field(self.tr("Year"), 4, "year")
        for label, field in (
            (self.tr("Day"), self.day),
            (self.tr("Month"), self.month),
            (self.tr("Year"), self.year),
        ):
            column = QVBoxLayout()
            column.addWidget(wrapped(label, "help"))
            column.addWidget(field)
            fields.addLayout(column, 2 if field is self.year else 1)
        body.addLayout(fields)
        body.addWidget(wrapped(self.tr("For example: 3 / 11 / 1956"), "help"))
        pad = QGridLayout()
        for index, digit in enumerate("1234567890"):
            key = big_button(digit, f"digit_{digit}")
            key.setAccessibleName(self.tr("Type %1").replace("%1", digit))
            key.clicked.connect(lambda _=False, d=digit: self._type(d))
            pad.addWidget(key, index // 5, index % 5)
        delete = big_button(self.tr("Delete"), "delete")
        delete.clicked.connect(self._delete)
        pad.addWidget(delete, 2, 0, 1, 5)
        body.addLayout(pad)
        self.birth_message = wrapped("", "message")
        self.birth_message.setAccessibleName(self.tr("Problem with this answer"))
        body.addWidget(self.birth_message)
        help_button = big_button(self.tr("I need help: see reception"), "see_reception")
        help_button.clicked.connect(on_reception)
        body.addWidget(help_button)
        self.next = big_button(self.tr("Next"), "next")
        self.next.clicked.connect(self._birth_given)
        footer.addWidget(self.next)
        self._active = self.day
        return page

    def _field(self, name: str, length: int, object_name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(object_name)
        field.setAccessibleName(name)
        field.setMaxLength(length)
        field.setValidator(QRegularExpressionValidator(r"[0-9]*", field))
        field.setMinimumHeight(56)
        field.installEventFilter(self)
        guard_patient_text(field)
        return field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QLineEdit):
            self._active = watched
        return False

    def _type(self, digit: str) -> None:
        field = self._active
        if len(field.text()) >= field.maxLength():
            following = {self.day: self.month, self.month: self.year}.get(field)
            if following is None:
                return
            field = self._active = following
        field.insert(digit)
        if len(field.text()) == field.maxLength() and field is not self.year:
            self._active = self.month if field is self.day else self.year

    def _delete(self) -> None:
        field = self._active
        if not field.text():
            previous = {self.year: self.month, self.month: self.day}.get(field)
            if previous is None:
                return
            field = self._active = previous
        field.backspace()

    def _birth_problems(self) -> dict[str, str]:
        return {
            "not_numbers": self.tr("Please type the day, month and year in numbers."),
            "year_digits": self.tr("Please type the year with 4 numbers, like 1956."),
            "no_such_date": self.tr("That date does not exist. Please check the day and month."),
            "implausible_year": self.tr("Please check the year you were born."),
        }

    def _birth_given(self) -> None:
        try:
            self._born = birth_date_from(
                self.day.text(), self.month.text(), self.year.text(), self._today()
            )
        except LinkError as exc:
            show_problem(self.birth_message, self._birth_problems().get(exc.code, str(exc)))
            return
        show_problem(self.birth_message, "")
        self.pages.setCurrentWidget(self.letter_page)

    # ------------------------------------------------------------ surname initial
    def _letter_page(self) -> QWidget:
        page = QWidget()
        body, footer = scrolling(page)
        body.addWidget(
            wrapped(self.tr("What is the first letter of your surname (family name)?"), "question")
        )
        grid = QGridLayout()
        for index, letter in enumerate(LETTERS):
            key = big_button(letter, f"letter_{letter}")
            key.setAccessibleName(self.tr("Letter %1").replace("%1", letter))
            key.clicked.connect(lambda _=False, c=letter: self._letter(c))
            grid.addWidget(key, index // 7, index % 7)
        body.addLayout(grid)
        back = big_button(self.tr("Back"), "back")
        back.clicked.connect(lambda: self.pages.setCurrentWidget(self.birth_page))
        footer.addWidget(back)
        return page

    def _letter(self, letter: str) -> None:
        if self._born is not None:
            self._on_check(self._born, letter)

    def not_found(self, tries_left: int) -> None:
        """Start again with a message saying the appointment was not found."""
        for field in (self.day, self.month, self.year):
            field.clear()
        self._active, self._born = self.day, None
        self.pages.setCurrentWidget(self.birth_page)
        show_problem(
            self.birth_message,
            self.tr("We could not find your appointment. Please check and try again.")
            + " "
            + (
                self.tr("You can try 1 more time.")
                if tries_left == 1
                else self.tr("You can try %1 more times.").replace("%1", str(tries_left))
            ),
        )


class FoundScreen(QWidget):
    """ "Is this your appointment?" by time and clinic only: never a name."""

    def __init__(
        self, appointment: Appointment, on_yes: Callable[[], None], on_no: Callable[[], None]
    ) -> None:
        super().__init__()
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("We found an appointment"), "title"))
        body.addWidget(
            wrapped(
                self.tr("Your appointment is at %1 in the %2. Is that right?")
                .replace("%1", appointment.time)
                .replace("%2", appointment.clinic),
                "question",
            )
        )
        row = QHBoxLayout()
        no = big_button(self.tr("No"), "no")
        no.clicked.connect(on_no)
        yes = big_button(self.tr("Yes, that is my appointment"), "yes")
        yes.clicked.connect(on_yes)
        row.addWidget(no, 1)
        row.addWidget(yes, 2)
        footer.addLayout(row)


class SeeReceptionScreen(QWidget):
    def __init__(self, on_done: Callable[[], None]) -> None:
        super().__init__()
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Please see reception"), "title"))
        body.addWidget(
            wrapped(
                self.tr(
                    "We could not find your appointment on this tablet. "
                    "The staff at reception will help you."
                )
            )
        )
        done = big_button(self.tr("Finish"), "finish")
        done.clicked.connect(on_done)
        footer.addWidget(done)


class StaffMenu(QWidget):
    """What staff may do once the PIN is right."""

    def __init__(
        self,
        on_hand_over: Callable[[], None] | None,
        on_close: Callable[[], None],
        on_cancel: Callable[[], None],
        on_assisted: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Staff"), "title"))
        self.hand_over = None
        if on_hand_over is not None:
            self.hand_over = big_button(self.tr("Hand the tablet to a patient"), "hand_over")
            self.hand_over.clicked.connect(on_hand_over)
            body.addWidget(self.hand_over)
        self.assisted = None
        if on_assisted is not None:  # kiosk.ui.assisted
            self.assisted = big_button(self.tr("Complete with a patient"), "assisted")
            self.assisted.clicked.connect(on_assisted)
            body.addWidget(self.assisted)
        close = big_button(self.tr("Close the kiosk"), "close_kiosk")
        close.clicked.connect(on_close)
        body.addWidget(close)
        cancel = big_button(self.tr("Back to the start"), "cancel")
        cancel.clicked.connect(on_cancel)
        footer.addWidget(cancel)


class HandOverScreen(QWidget):
    """Reception types the patient's NHS number or hospital number."""

    def __init__(self, on_find: Callable[[str], None], on_cancel: Callable[[], None]) -> None:
        super().__init__()
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Find the patient"), "title"))
        body.addWidget(wrapped(self.tr("NHS number or hospital number"), "question"))
        self.number = QLineEdit()
        self.number.setObjectName("number")
        self.number.setAccessibleName(self.tr("NHS number or hospital number"))
        self.number.setMaxLength(24)
        self.number.setMinimumHeight(56)
        guard_patient_text(self.number)
        self.number.returnPressed.connect(lambda: on_find(self.number.text()))
        body.addWidget(self.number)
        self.message = wrapped("", "message")
        self.message.setAccessibleName(self.tr("Problem with this number"))
        body.addWidget(self.message)
        body.addWidget(OnScreenKeyboard(self.number))
        row = QHBoxLayout()
        cancel = big_button(self.tr("Cancel"), "cancel")
        cancel.clicked.connect(on_cancel)
        self.find_button = big_button(self.tr("Find"), "find")
        self.find_button.clicked.connect(lambda: on_find(self.number.text()))
        row.addWidget(cancel, 1)
        row.addWidget(self.find_button, 2)
        footer.addLayout(row)

    def show_problem(self, error: LinkError) -> None:
        words = {
            "no_list": self.tr(
                "This tablet has no clinic list for today. Load today's list first."
            ),
            "empty": self.tr("Type the patient's NHS number or hospital number."),
            "check_digit": self.tr(
                "That is not a valid NHS number: the check digit is wrong. Check each digit."
            ),
            "nhs_length": self.tr(
                "An NHS number has 10 digits. For a hospital number, type it as printed."
            ),
            "not_on_list": self.tr("No one with that number is on today's clinic list."),
            "duplicate": self.tr(
                "That number is on today's list more than once. Check the list with the clinic."
            ),
        }
        show_problem(self.message, words.get(error.code, str(error)))


class HandOverConfirmScreen(QWidget):
    """Reception checks name and date of birth with the patient before handing over."""

    def __init__(
        self,
        appointment: Appointment,
        language: str,
        on_confirm: Callable[[], None],
        on_reject: Callable[[], None],
    ) -> None:
        super().__init__()
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Is this the patient?"), "title"))
        born = appointment.birth_date
        shown_date = QLocale(language).toString(
            QDate(born.year, born.month, born.day), "d MMMM yyyy"
        )
        rows = [
            (self.tr("Name"), f"{appointment.given_name} {appointment.family_name}"),
            (self.tr("Date of birth"), shown_date),
            (self.tr("Appointment"), f"{appointment.time}, {appointment.clinic}"),
        ]
        if appointment.nhs_number:
            rows.append((self.tr("NHS number"), format_nhs_number(appointment.nhs_number)))
        if appointment.hospital_number:
            rows.append((self.tr("Hospital number"), appointment.hospital_number))
        for label, value in rows:
            body.addWidget(wrapped(label, "review_question"))
            body.addWidget(wrapped(value, "review_answer"))
        body.addWidget(
            wrapped(self.tr("Ask the patient to tell you their name and date of birth."), "help")
        )
        row = QHBoxLayout()
        reject = big_button(self.tr("No, go back"), "reject")
        reject.clicked.connect(on_reject)
        confirm = big_button(self.tr("Yes: hand over the tablet"), "confirm")
        confirm.clicked.connect(on_confirm)
        row.addWidget(reject, 1)
        row.addWidget(confirm, 2)
        footer.addLayout(row)
