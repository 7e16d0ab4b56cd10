"""Assisted completion on the tablet: a member of staff completes the pathway with a patient.

From the staff menu (after the PIN), "Complete with a patient": the member of
staff types their name or staff username, finds and confirms the patient exactly
as reception hands a tablet over (:meth:`kiosk.ui.linking_flow.LinkingFlow.find_patient`),
and the pathway then runs on the usual screens, with "Assisted by NAME" in a
strip above them all the while. The session seals a route record
(:mod:`kiosk.exchange.entry_route`) so the clinic stores the route as assisted,
and by whom. When the session ends the kiosk returns to the patient start screen
and the name is forgotten.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QStackedWidget, QWidget

from kiosk.exchange.clinic_list import Appointment
from kiosk.exchange.entry_route import staff_name
from kiosk.ui.answer_inputs import guard_patient_text
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.linking_flow import LinkingFlow
from kiosk.ui.screens import big_button, scrolling, show_problem, wrapped
from kiosk.vocabulary import ENTERED_BY_MAX

MARGIN = 8  # pixels around the marker


class AssistedNameScreen(QWidget):
    """Who is completing the pathway with the patient: a name or staff username, required."""

    def __init__(self, on_name: Callable[[str], None], on_cancel: Callable[[], None]) -> None:
        super().__init__()
        self._on_name = on_name
        body, footer = scrolling(self)
        body.addWidget(wrapped(self.tr("Complete with a patient"), "title"))
        body.addWidget(wrapped(self.tr("Your name or staff username"), "question"))
        body.addWidget(
            wrapped(
                self.tr(
                    "It is kept with the patient's answers, to show you completed them "
                    "together. Then find the patient as at reception."
                ),
                "help",
            )
        )
        self.name = QLineEdit()
        self.name.setObjectName("staff_name")
        self.name.setAccessibleName(self.tr("Your name or staff username"))
        self.name.setMaxLength(ENTERED_BY_MAX)
        self.name.setMinimumHeight(56)
        guard_patient_text(self.name)
        self.name.returnPressed.connect(self._given)
        body.addWidget(self.name)
        self.message = wrapped("", "message")
        self.message.setAccessibleName(self.tr("Problem with this name"))
        body.addWidget(self.message)
        body.addWidget(OnScreenKeyboard(self.name))
        row = QHBoxLayout()
        cancel = big_button(self.tr("Cancel"), "cancel")
        cancel.clicked.connect(on_cancel)
        self.next = big_button(self.tr("Next"), "next")
        self.next.clicked.connect(self._given)
        row.addWidget(cancel, 1)
        row.addWidget(self.next, 2)
        footer.addLayout(row)

    def _given(self) -> None:
        name = staff_name(self.name.text())
        if name is None:
            show_problem(
                self.message,
                self.tr("Type your name or staff username (up to %1 characters).").replace(
                    "%1", str(ENTERED_BY_MAX)
                ),
            )
            return
        show_problem(self.message, "")
        self._on_name(name)


class AssistedMarker(QLabel):
    """ "Assisted by NAME" in a strip the window keeps free above every screen."""

    def __init__(self, window: QStackedWidget) -> None:
        super().__init__(window)
        self.setObjectName("assisted_marker")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._window, self.name = window, ""
        window.installEventFilter(self)
        self.hide()

    def show_for(self, name: str) -> None:
        self.name = name
        self._words()
        self.show()
        self.raise_()

    def clear(self) -> None:
        self.name = ""
        self.setText("")
        self.hide()
        self._window.setContentsMargins(0, 0, 0, 0)

    def _words(self) -> None:
        self.setText(self.tr("Assisted by %1").replace("%1", self.name))
        self._fit()

    def _fit(self) -> None:
        """One line when it fits, else wrapped to the window's width; the screens move down
        to make room, so the strip never covers a button."""
        self.setWordWrap(False)
        one_line = self.sizeHint().width()
        self.setWordWrap(True)
        width = max(1, min(one_line, self._window.width() - 2 * MARGIN))
        self.resize(width, self.heightForWidth(width))
        self._window.setContentsMargins(0, self.height() + 2 * MARGIN, 0, 0)
        x = MARGIN
        if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
            x = self._window.width() - self.width() - MARGIN
        self.move(x, MARGIN)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if not self.name:
            return
        if event.type() == QEvent.Type.LanguageChange:
            self._words()  # the patient chose another language part-way
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._fit()  # a larger text size or the high-contrast theme

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Resize and self.name:
            self._fit()
        return False


class AssistedCompletion:
    """Staff completing the pathway with a patient: who they are, the patient, the marker."""

    def __init__(
        self,
        window: QStackedWidget,
        linking: LinkingFlow,
        *,
        show: Callable[[QWidget], None],
        leave: Callable[[], None],
        start: Callable[[], None],
    ) -> None:
        self._linking, self._show, self._leave, self._start = linking, show, leave, start
        self.marker = AssistedMarker(window)
        self.by: str | None = None
        """The name of the member of staff completing this session, once the patient is found."""
        self._named: str | None = None

    def ask_name(self) -> None:
        self._show(AssistedNameScreen(self._name_given, self._leave))

    def _name_given(self, name: str) -> None:
        self._named = name
        self._linking.find_patient(self._patient_confirmed)

    def _patient_confirmed(self, appointment: Appointment) -> None:
        """The patient's usual screens begin, the link made by this member of staff."""
        assert self._named is not None
        self.by, self._named = self._named, None
        self._linking.handed_over = appointment
        self.marker.show_for(self.by)
        self._start()

    def end(self) -> None:
        """The session ended (or never began): the name is forgotten, the marker gone."""
        self.by = self._named = None
        self.marker.clear()
