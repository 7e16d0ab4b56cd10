"""One input widget per item type, each large enough for shaky hands (48 px+).

Every input offers ``value()`` (the raw answer, or None when nothing is chosen)
and ``set_value()``; the engine checks and normalises what they return.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import (
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QPixmap,
    QResizeEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QStyleOptionButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.engine import Form
from kiosk.engine.answers import PREFER_NOT, option_codes
from kiosk.engine.schema import Item
from kiosk.ui.touch import TOUCH as TOUCH
from kiosk.ui.touch import TouchButton as TouchButton

_CLIPBOARD_KEYS = (
    QKeySequence.StandardKey.Copy,
    QKeySequence.StandardKey.Cut,
    QKeySequence.StandardKey.Paste,
)
_MOUSE = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseButtonRelease,
    QEvent.Type.MouseButtonDblClick,
}
_DRAG = {QEvent.Type.DragEnter, QEvent.Type.DragMove, QEvent.Type.Drop}


class _PatientTextGuard(QObject):
    """Swallows what would carry text between patients: the context menu (copy,
    paste, select all), the copy, cut and paste keys, middle-click paste of the
    selection, and drag and drop."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.ContextMenu or kind in _DRAG:
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            return any(event.matches(key) for key in _CLIPBOARD_KEYS)
        if kind in _MOUSE and isinstance(event, QMouseEvent):
            return event.button() == Qt.MouseButton.MiddleButton
        return False


def guard_patient_text(editor: QLineEdit | QPlainTextEdit) -> None:
    """Make ``editor`` safe on a shared tablet: no context menu, no clipboard keys,
    no middle-click paste, no drag and drop (the kiosk also empties the clipboard at
    every reset). Every text box a patient or receptionist types in gets this."""
    guard = _PatientTextGuard(editor)
    targets: list[QWidget] = [editor]
    if isinstance(editor, QPlainTextEdit):
        targets.append(editor.viewport())  # mouse, menu and drop events arrive there
    else:
        editor.setDragEnabled(False)
    for target in targets:
        target.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        target.setAcceptDrops(False)
        target.installEventFilter(guard)


# What changes how the style sheet draws a button, apart from its text, size and state.
_NEW_LOOK = {
    QEvent.Type.FontChange,
    QEvent.Type.PaletteChange,
    QEvent.Type.StyleChange,
    QEvent.Type.LayoutDirectionChange,
    QEvent.Type.LocaleChange,
}


class DrawnButton(TouchButton):
    """A touch button that paints its resting look from a picture of itself.

    The style sheet draws the button as it rests (enabled, neither pressed nor focused
    nor under the mouse; chosen or not) once, and later paints copy that picture,
    which is several times quicker than going through the sheet's rules again. A
    screen built ahead draws its pictures while the patient reads the one before
    (:meth:`draw_ahead`), so the swap to it only copies them. A pressed, focused or
    disabled button is drawn by the style sheet as any button is (those looks come
    and go). Changes of font, palette, style (the theme, text size), direction or
    size throw the pictures away."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._pictures: dict[tuple[str, bool, bool], QPixmap] = {}

    def _resting(self) -> bool:
        return (
            self.isEnabled() and not self.isDown() and not self.hasFocus() and not self.underMouse()
        )

    def _picture(self) -> QPixmap:
        # The text and the pseudo-states a resting button may be in (:checked, and the
        # palette's active group); the rest is forgotten when it changes (changeEvent).
        look = (self.text(), self.isChecked(), self.isActiveWindow())
        picture = self._pictures.get(look)
        if picture is None:
            picture = self._pictures[look] = self._draw()
        return picture

    def _draw(self) -> QPixmap:
        """The button as QPushButton.paintEvent draws it, on a transparent picture."""
        option = QStyleOptionButton()
        self.initStyleOption(option)
        ratio = self.devicePixelRatio()
        picture = QPixmap(self.size() * ratio)
        picture.setDevicePixelRatio(ratio)
        picture.fill(Qt.GlobalColor.transparent)
        painter = QPainter(picture)
        # What QPainter.begin(widget) takes from the widget.
        palette = self.palette()
        painter.setPen(QPen(palette.brush(self.foregroundRole()), 1))
        painter.setBackground(palette.brush(self.backgroundRole()))
        painter.setFont(self.font())
        painter.setLayoutDirection(self.layoutDirection())
        self.style().drawControl(QStyle.ControlElement.CE_PushButton, option, painter, self)
        painter.end()
        return picture

    def draw_ahead(self) -> None:
        """Draw the picture of the resting look now, so that the next paint only copies it."""
        if self._resting():
            self._picture()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._resting():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._picture())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in _NEW_LOOK:
            self._pictures.clear()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._pictures.clear()
        super().resizeEvent(event)


class AnswerInput(QWidget):
    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError


class ChoiceInput(AnswerInput):
    """Single or multiple choice as a column of big buttons (prefer_not is offered apart)."""

    def __init__(self, form: Form, item: Item, language: str, multiple: bool) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.group = QButtonGroup(self)
        self.group.setExclusive(not multiple)
        self.buttons: dict[str, DrawnButton] = {}
        for code in option_codes(item):
            if code == PREFER_NOT:
                continue
            button = DrawnButton(form.option_text(item.id, code, language))
            button.setCheckable(True)
            button.setAccessibleName(button.text())
            button.setObjectName(f"option_{code}")
            self.group.addButton(button)
            layout.addWidget(button)
            self.buttons[code] = button
        self.multiple = multiple

    def value(self) -> Any:
        chosen = [code for code, b in self.buttons.items() if b.isChecked()]
        if self.multiple:
            return chosen or None
        return chosen[0] if chosen else None

    def set_value(self, value: Any) -> None:
        codes = value if isinstance(value, list) else [value]
        for code, button in self.buttons.items():
            button.setChecked(code in codes)


class ScaleInput(AnswerInput):
    """Numbered buttons with the labelled ends under them, in as many rows as the width needs."""

    def __init__(self, item: Item, language: str) -> None:
        super().__init__()
        assert item.min is not None and item.max is not None
        self.grid = QGridLayout(self)
        self.group = QButtonGroup(self)
        self.buttons: dict[int, DrawnButton] = {}
        self.anchor_labels: dict[int, QLabel] = {}
        anchors = {a.value: a.text[language] for a in item.anchors or ()}
        for point in range(item.min, item.max + 1):
            button = DrawnButton(str(point))
            button.setCheckable(True)
            label = f"{point}: {anchors[point]}" if point in anchors else str(point)
            button.setAccessibleName(label)
            button.setObjectName(f"point_{point}")
            self.group.addButton(button)
            self.buttons[point] = button
            if point in anchors:
                text = QLabel(anchors[point])
                text.setWordWrap(True)
                self.anchor_labels[point] = text
        self._columns = 0
        self._arrange(len(self.buttons))

    def _arrange(self, columns: int) -> None:
        if columns == self._columns:
            return
        self._columns = columns
        for widget in [*self.buttons.values(), *self.anchor_labels.values()]:
            self.grid.removeWidget(widget)
        for index, (point, button) in enumerate(self.buttons.items()):
            row, column = divmod(index, columns)
            self.grid.addWidget(button, row * 2, column)
            if point in self.anchor_labels:
                self.grid.addWidget(
                    self.anchor_labels[point], row * 2 + 1, column, Qt.AlignmentFlag.AlignHCenter
                )

    def resizeEvent(self, event: QResizeEvent) -> None:
        widest = max(b.sizeHint().width() for b in self.buttons.values())
        spacing = max(self.grid.horizontalSpacing(), 0)
        margins = self.grid.contentsMargins()
        room = event.size().width() - margins.left() - margins.right()
        fits = max(1, (room + spacing) // (widest + spacing))
        rows = -(-len(self.buttons) // fits)
        self._arrange(-(-len(self.buttons) // rows))  # balance the rows
        super().resizeEvent(event)

    def minimumSizeHint(self) -> QSize:
        # Narrow enough for one column; the rows grow to fit the width given.
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), TOUCH * 2), hint.height())

    def value(self) -> Any:
        return next((p for p, b in self.buttons.items() if b.isChecked()), None)

    def set_value(self, value: Any) -> None:
        for point, button in self.buttons.items():
            button.setChecked(point == value)


class TextInput(AnswerInput):
    def __init__(self, item: Item, multiline: bool) -> None:
        super().__init__()
        layout = QVBoxLayout(self)
        self.editor: QLineEdit | QPlainTextEdit
        if multiline:
            self.editor = QPlainTextEdit()
            self.editor.setMinimumHeight(TOUCH * 2)
        else:
            self.editor = QLineEdit()
            self.editor.setMinimumHeight(TOUCH)
        self.editor.setObjectName("answer_text")
        guard_patient_text(self.editor)
        self.editor.setAccessibleName(self.tr("Your answer"))
        layout.addWidget(self.editor)

    def value(self) -> Any:
        text = (
            self.editor.toPlainText()
            if isinstance(self.editor, QPlainTextEdit)
            else self.editor.text()
        )
        return text if text.strip() else None

    def set_value(self, value: Any) -> None:
        text = "" if value is None or value == PREFER_NOT else str(value)
        if isinstance(self.editor, QPlainTextEdit):
            self.editor.setPlainText(text)
            # Typing goes on after the answer given (setPlainText leaves the cursor first).
            self.editor.moveCursor(QTextCursor.MoveOperation.End)
        else:
            self.editor.setText(text)


def input_for(form: Form, item: Item, language: str) -> AnswerInput | None:
    """The input for an item, or None for an information page."""
    if item.type == "info":
        return None
    if item.type in ("single_choice", "yes_no"):
        return ChoiceInput(form, item, language, multiple=False)
    if item.type == "multi_choice":
        return ChoiceInput(form, item, language, multiple=True)
    if item.type == "scale":
        return ScaleInput(item, language)
    return TextInput(item, multiline=item.type == "long_text")
