"""The patient screens. Each is handed what it shows; none holds patient data
after it is replaced (the window deletes question and review screens)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFocusEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Form
from kiosk.engine.answers import PREFER_NOT, allows_prefer_not, option_codes
from kiosk.engine.schema import Item
from kiosk.journey.flow import Flow, Step
from kiosk.ui.ahead import UNSEEN
from kiosk.ui.answer_inputs import (
    TOUCH,
    AnswerInput,
    DrawnButton,
    TextInput,
    TouchButton,
    input_for,
)
from kiosk.ui.keyboard import OnScreenKeyboard
from kiosk.ui.pictograms import GLOBE, icon
from kiosk.ui.touch import big_button as big_button
from kiosk.ui.touch import wrapped as wrapped

if TYPE_CHECKING:
    from kiosk.ui.speech import Speaker


class ScrollingBody(QScrollArea):
    """A scroll area that takes keyboard focus (arrow keys scroll it) but draws none.

    A widget gaining or losing focus repaints all of itself by default; for a scroll
    area that is every question, answer and key it holds. Tapping Next took the
    focus from it (and disabling Next gave it back), so the whole screen was drawn
    twice more, to look the same, on the way to the next question. The style sheet
    gives a scroll area no focus look, so there is nothing to redraw."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        event.accept()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        event.accept()


def scrolling(layout_owner: QWidget) -> tuple[QVBoxLayout, QVBoxLayout]:
    """A scrolling body above a fixed footer, so large text never pushes buttons off screen.

    Returns (body layout, footer layout)."""
    outer = QVBoxLayout(layout_owner)
    body = QWidget()
    body.setObjectName("body")
    scroll = ScrollingBody()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    scroll.setWidget(body)
    outer.addWidget(scroll, 1)
    footer = QVBoxLayout()
    outer.addLayout(footer)
    return QVBoxLayout(body), footer


class LanguageButton(TouchButton):
    """A "Language" button with a globe: reopens the choice of language part-way through.

    The globe is redrawn in the button's text colour whenever the theme changes it."""

    def __init__(self) -> None:
        super().__init__()
        self.setText(self.tr("Language"))
        self.setObjectName("language")
        self.setAccessibleName(self.text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            side = self.fontMetrics().height()
            colour = self.palette().color(QPalette.ColorRole.ButtonText)
            self.setIconSize(QSize(side, side))
            self.setIcon(icon(GLOBE, colour, side))
        super().changeEvent(event)


def add_header(
    layout: QVBoxLayout, title: QLabel, on_language: Callable[[], None] | None
) -> LanguageButton | None:
    """A screen's title, with the Language button at its end when there is a choice."""
    if on_language is None:
        layout.addWidget(title)
        return None
    row = QHBoxLayout()
    row.addWidget(title, 1)
    button = LanguageButton()
    button.clicked.connect(on_language)
    row.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
    layout.addLayout(row)
    return button


def drawn_button(text: str, name: str) -> DrawnButton:
    """A :func:`big_button` that paints from pictures of itself (a question's own buttons,
    drawn while the patient reads the question before)."""
    button = DrawnButton(text)
    button.setObjectName(name)
    button.setAccessibleName(text)
    return button


def show_problem(label: QLabel, text: str) -> None:
    """Put ``text`` in a problem label beside a field (empty text clears it)."""
    label.setText(text)
    # The theme draws a bar beside a problem (not colour alone); re-set the sheet
    # so the property change takes effect.
    label.setProperty("problem", bool(text))
    label.setStyleSheet(label.styleSheet())


class PrivacyScreen(QWidget):
    def __init__(
        self,
        on_agree: Callable[[], None],
        on_text_size: Callable[[str], None],
        on_contrast: Callable[[bool], None],
        *,
        anonymous: bool = False,
    ) -> None:
        super().__init__()
        layout, footer = scrolling(self)
        layout.addWidget(wrapped(self.tr("Make the words easier to read"), "help"))
        for size, label in (
            ("normal", self.tr("Normal text")),
            ("large", self.tr("Large text")),
            ("extra_large", self.tr("Extra large text")),
        ):
            button = big_button(label, f"text_{size}")
            button.clicked.connect(lambda _=False, s=size: on_text_size(s))
            layout.addWidget(button)
        self.contrast = big_button(self.tr("High contrast"), "high_contrast")
        self.contrast.setCheckable(True)
        self.contrast.toggled.connect(on_contrast)
        layout.addWidget(self.contrast)
        layout.addWidget(wrapped(self.tr("Your answers are private"), "title"))
        if anonymous:
            privacy = self.tr(
                "We will ask about your visit and how you feel. We do not ask your name, and "
                "your answers are not linked to you. You can skip any question."
            )
        else:
            privacy = self.tr(
                "We will ask what matters to you, about things in your life that affect your "
                "health, and how you feel. Only the staff caring for you today will see your "
                "answers. You can skip any question."
            )
        layout.addWidget(wrapped(privacy, "privacy_text"))
        self.agree = big_button(self.tr("Start the questions"), "agree")
        self.agree.clicked.connect(on_agree)
        footer.addWidget(self.agree)


class QuestionScreen(QWidget):
    """One question: progress, text, help, Read aloud (where a voice for the patient's
    language is installed), the input, a message beside it, Back and Next; and a
    Language button when the patient may change language (``on_language``)."""

    CHOICE_TYPES = ("single_choice", "yes_no", "multi_choice")
    SENTENCE_ENDS = (".", "?", "!", ":", ";", "…", "۔", "؟")  # Urdu has its own stop and "?"

    def __init__(
        self,
        flow: Flow,
        on_answer: Callable[[Any], None],
        on_back: Callable[[], None],
        *,
        speaker: Speaker | None = None,
        on_language: Callable[[], None] | None = None,
        step: Step | None = None,
        position: tuple[int, int] | None = None,
    ) -> None:
        """``step`` and ``position``: another question than the current one (the screen
        built ahead of Next, kiosk.ui.ahead), as question number and how many there are."""
        super().__init__()
        step = step or flow.current
        assert step is not None
        journey = flow.journey
        form = journey.form(step.form_id)
        item = flow.item(step)
        language = journey.language
        layout, footer = scrolling(self)
        self.language_button = add_header(
            layout, wrapped(form.spec.title[language], "form_title"), on_language
        )
        self.progress = wrapped("", "progress")
        self.show_position(*(position or flow.position()))
        layout.addWidget(self.progress)
        layout.addWidget(
            wrapped(form.text(item.id, language, journey.baseline(form.id)), "question")
        )
        if item.help:
            layout.addWidget(wrapped(item.help[language], "help"))
        self.speaker = speaker
        self._silences_on_close = False
        self.read_aloud: QPushButton | None = None
        if speaker is not None and speaker.can_speak(language):
            self.read_aloud = drawn_button(self.tr("Read aloud"), "read_aloud")
            self.read_aloud.setAccessibleDescription(
                self.tr("Reads the question and its answers out loud. Tap again to stop.")
            )
            spoken = self._spoken_text(form, item, language, journey.baseline(form.id))
            self.read_aloud.clicked.connect(lambda: self._toggle_reading(spoken, language))
            speaker.speaking_changed.connect(self._show_speaking)
            self._show_speaking(speaker.is_speaking())
            layout.addWidget(self.read_aloud)
        self.input: AnswerInput | None = input_for(form, item, language)
        self.choices: QButtonGroup | None = getattr(self.input, "group", None)
        """The answer's buttons, when it is chosen by tapping one."""
        if self.input is not None:
            self.input.set_value(journey.answers(form.id).get(item.id))
            layout.addWidget(self.input)
        self.keyboard: OnScreenKeyboard | None = None
        if isinstance(self.input, TextInput):
            self.keyboard = OnScreenKeyboard(self.input.editor)
            layout.addWidget(self.keyboard)
        self.message = wrapped("", "message")
        self.message.setAccessibleName(self.tr("Problem with this answer"))
        layout.addWidget(self.message)
        if form.spec.licence.attribution:
            layout.addWidget(wrapped(form.spec.licence.attribution, "attribution"))
        self.prefer_not: QPushButton | None = None
        if item.type != "info" and allows_prefer_not(item):
            self.prefer_not = drawn_button(self.tr("I don't want to answer"), "prefer_not")
            self.prefer_not.clicked.connect(lambda: on_answer(PREFER_NOT))
            layout.addWidget(self.prefer_not)
        self.back = drawn_button(self.tr("Back"), "back")
        self.back.clicked.connect(on_back)
        self.next = drawn_button(self.tr("Next"), "next")
        self.next.clicked.connect(lambda: on_answer(self.value()))
        navigation = QHBoxLayout()
        navigation.addWidget(self.back, 1)
        navigation.addWidget(self.next, 2)  # the way forward is the bigger target
        footer.addLayout(navigation)
        self.step = step

    def value(self) -> Any:
        return None if self.input is None else self.input.value()

    def draw_ahead(self) -> None:
        """Built ahead and laid out: draw the buttons' pictures now (kiosk.ui.answer_inputs),
        so that the swap to this screen only copies them."""
        for button in self.findChildren(DrawnButton):
            button.draw_ahead()

    def show_position(self, number: int, total: int) -> None:
        """Question ``number`` of ``total``; the total changes as answers switch questions
        on or off."""
        words = self.tr("Question %1 of %2").replace("%1", str(number)).replace("%2", str(total))
        if words != self.progress.text():
            self.progress.setText(words)

    def showEvent(self, event: QShowEvent) -> None:
        # Words meant for this screen must not go on over the next one. Only once it has
        # been shown: a screen built ahead and thrown away unseen never silences another.
        if (
            self.speaker is not None
            and self.read_aloud is not None
            and not self._silences_on_close
            and not self.property(UNSEEN)
        ):
            self._silences_on_close = True
            self.destroyed.connect(self.speaker.stop)
        super().showEvent(event)

    def _spoken_text(
        self, form: Form, item: Item, language: str, baseline: Mapping[str, Any] | None
    ) -> str:
        """The question, its help and its answers, in the patient's language."""
        parts = [form.text(item.id, language, baseline)]
        if item.help:
            parts.append(item.help[language])
        if item.type == "scale" and item.min is not None and item.max is not None:
            # Numbers and the form's own words only, so all of it is in the patient's language.
            anchors = {anchor.value: anchor.text[language] for anchor in item.anchors or ()}
            for point in sorted({item.min, item.max, *anchors}):
                parts.append(f"{point}: {anchors[point]}" if point in anchors else str(point))
        elif item.type in self.CHOICE_TYPES:
            parts += [
                form.option_text(item.id, code, language)
                for code in option_codes(item)
                if code != PREFER_NOT  # offered apart, by its own button
            ]
        # A full stop after each part makes the voice pause between answers.
        return " ".join(
            part if part.rstrip().endswith(self.SENTENCE_ENDS) else f"{part}." for part in parts
        )

    def _toggle_reading(self, text: str, language: str) -> None:
        if self.speaker is None:
            return
        if self.speaker.is_speaking():
            self.speaker.stop()
        else:
            self.speaker.say(text, language)

    def _show_speaking(self, speaking: bool) -> None:
        if self.read_aloud is None:
            return
        text = self.tr("Stop reading") if speaking else self.tr("Read aloud")
        self.read_aloud.setText(text)
        self.read_aloud.setAccessibleName(text)

    def show_problem(self, text: str) -> None:
        show_problem(self.message, text)


class ReviewScreen(QWidget):
    """Every answer, each with a Change button, then Submit (and Language, if ``on_language``)."""

    def __init__(
        self,
        flow: Flow,
        on_change: Callable[[Step], None],
        on_submit: Callable[[], None],
        *,
        on_language: Callable[[], None] | None = None,
        steps: list[Step] | None = None,
    ) -> None:
        """``steps``: the questions asked, when not those of the answers saved so far
        (the screen built ahead of the last question's Next, kiosk.ui.ahead)."""
        super().__init__()
        journey = flow.journey
        outer = QVBoxLayout(self)
        self.language_button = add_header(
            outer, wrapped(self.tr("Check your answers"), "title"), on_language
        )
        body = QWidget()
        rows = QVBoxLayout(body)
        self.change_buttons: dict[tuple[str, str], QPushButton] = {}
        self.answers: dict[tuple[str, str], QLabel] = {}
        for step in flow.steps() if steps is None else steps:
            item = flow.item(step)
            if item.type == "info":
                continue
            form = journey.form(step.form_id)
            rows.addWidget(
                wrapped(
                    form.text(item.id, journey.language, journey.baseline(form.id)),
                    "review_question",
                )
            )
            self.answers[step.key] = wrapped(self._answer_text(flow, step), "review_answer")
            rows.addWidget(self.answers[step.key])
            change = big_button(self.tr("Change"), f"change_{step.form_id}_{step.item_id}")
            change.setAccessibleName(self.tr("Change this answer"))
            change.clicked.connect(lambda _=False, s=step: on_change(s))
            rows.addWidget(change)
            self.change_buttons[step.key] = change
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        outer.addWidget(scroll)
        self.submit = big_button(self.tr("Send my answers"), "submit")
        self.submit.clicked.connect(on_submit)
        outer.addWidget(self.submit)

    def _answer_text(self, flow: Flow, step: Step) -> str:
        return flow.journey.answer_text(step.form_id, step.item_id) or self.tr("Not answered")

    def show_answers(self, flow: Flow) -> None:
        """Every answer as saved now (the screen may have been built before the last one)."""
        for key, label in self.answers.items():
            text = self._answer_text(flow, Step(*key))
            if text != label.text():
                label.setText(text)


class ThanksScreen(QWidget):
    def __init__(self, help_today: bool, on_done: Callable[[], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(self.tr("Thank you"), "title"))
        if help_today:
            text = self.tr("A member of staff will talk to you today.")
        else:
            text = self.tr("The person you see today will look at your answers with you.")
        layout.addWidget(wrapped(text, "next_steps"))
        layout.addWidget(wrapped(self.tr("Please give the tablet back to reception.")))
        self.done = big_button(self.tr("Finish"), "finish")
        self.done.clicked.connect(on_done)
        layout.addWidget(self.done)


class TimeoutScreen(QWidget):
    def __init__(self, on_still_here: Callable[[], None]) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(self.tr("Are you still there?"), "title"))
        layout.addWidget(
            wrapped(
                self.tr(
                    "To keep your answers private, this will close soon. "
                    'Tap "I\'m still here" to carry on.'
                )
            )
        )
        self.still_here = big_button(self.tr("I'm still here"), "still_here")
        self.still_here.setMinimumHeight(TOUCH * 3)
        self.still_here.clicked.connect(on_still_here)
        layout.addWidget(self.still_here, alignment=Qt.AlignmentFlag.AlignVCenter)
