"""The staff console's look: a desktop-sized sibling of the kiosk's NHS-like theme.

Set on the console window only (the kiosk's sheet is for touch, at tablet
sizes). Text is in the bundled Andika, like the kiosk. A state is never shown
by colour alone: urgency has a word and a shape, a flagged answer a "Flag:"
prefix in bold, a problem a bar beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap, QPolygonF
from PySide6.QtWidgets import QLabel

from kiosk.ui.screens import show_problem

TEXT_PX = 15

SHEET = f"""
QMainWindow, QWidget {{
    color: #212B32;
    font-family: "Andika";
    font-size: {TEXT_PX}px;
}}
QMainWindow, QStackedWidget, QScrollArea, QScrollArea > QWidget > QWidget#body {{
    background-color: #F0F4F5;
}}
QLabel {{ color: #212B32; background-color: transparent; }}
QLabel#title {{ font-size: 22px; font-weight: bold; padding: 4px 0px; }}
QLabel#section {{ font-size: 18px; font-weight: bold; padding: 10px 0px 2px 0px; }}
QLabel#hint, QLabel#question_text, QLabel#meta {{ color: #4C6272; }}
QLabel#patient_words {{
    font-size: 18px; background-color: #FFFFFF; border-left: 6px solid #005EB8;
    padding: 6px 10px;
}}
QLabel#flag {{ background-color: #FFFFFF; border-left: 6px solid #D5281B; padding: 6px 10px; }}
QLabel#flagged_answer {{
    font-weight: bold; background-color: #FFF9C4; border-left: 6px solid #212B32;
    padding: 4px 8px;
}}
QLabel#flag_reason {{ background-color: #FFF9C4; padding: 2px 8px 6px 14px; }}
QLabel#count {{
    background-color: #FFFFFF; border: 1px solid #768692; border-radius: 4px;
    padding: 4px 8px;
}}
QLabel#message {{ color: #A50E0E; font-weight: bold; padding: 0px; }}
QLabel#message[problem="true"] {{ border-left: 6px solid #D5281B; padding: 4px 0px 4px 10px; }}
QLabel#done {{ color: #005EB8; font-weight: bold; }}
QLabel#theirs {{ background-color: #FFFFFF; border: 2px dashed #4C6272; padding: 6px 10px; }}
QLabel#code {{ font-size: 28px; font-weight: bold; letter-spacing: 4px; }}
QPushButton {{
    color: #212B32; background-color: #FFFFFF; border: 2px solid #4C6272;
    border-radius: 4px; padding: 5px 12px;
}}
QPushButton:pressed {{ background-color: #E8EDEE; }}
QPushButton:disabled {{ color: #4C6272; background-color: #E8EDEE; border-color: #AEB7BD; }}
QPushButton#primary {{
    color: #FFFFFF; background-color: #007F3B; border-color: #00401E; font-weight: bold;
}}
QPushButton:focus, QPushButton#primary:focus {{
    color: #212B32; background-color: #FFEB3B; border: 3px solid #212B32;
}}
QLineEdit, QPlainTextEdit, QComboBox, QDateEdit, QTableView, QTabWidget::pane {{
    color: #212B32; background-color: #FFFFFF; border: 1px solid #4C6272;
}}
QLineEdit, QComboBox, QDateEdit {{ padding: 3px 6px; }}
QLineEdit:focus, QPlainTextEdit:focus, QComboBox:focus, QDateEdit:focus, QTableView:focus {{
    border: 3px solid #212B32;
}}
QTableView {{
    gridline-color: #D8DDE0; selection-color: #FFFFFF; selection-background-color: #005EB8;
    alternate-background-color: #F7F9FA;
}}
QHeaderView::section {{
    color: #212B32; background-color: #E8EDEE; border: 0px; border-right: 1px solid #D8DDE0;
    padding: 4px 6px; font-weight: bold;
}}
QGroupBox {{ font-weight: bold; border: 1px solid #AEB7BD; margin-top: 14px; padding: 8px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: 8px; padding: 0px 4px; }}
QStatusBar {{ background-color: #E8EDEE; }}
"""

URGENCY_COLOURS = {0: "#D5281B", 1: "#005EB8", 2: "#ED8B00", 3: "#768692"}


def urgency_icon(level: int) -> QIcon:
    """A shape per urgency, so it reads without colour: a triangle with "!" for urgent,
    a circle for "wants help", a diamond for other flags, a small ring for none."""
    size = 20
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(URGENCY_COLOURS.get(level, URGENCY_COLOURS[3]))
    painter.setPen(colour.darker(140))
    painter.setBrush(colour)
    if level == 0:
        painter.drawPolygon(QPolygonF([QPointF(10, 1), QPointF(19, 18), QPointF(1, 18)]))
        painter.setPen(QColor("#FFFFFF"))
        painter.drawLine(10, 6, 10, 12)
        painter.drawPoint(10, 15)
    elif level == 1:
        painter.drawEllipse(2, 2, 16, 16)
    elif level == 2:
        painter.drawPolygon(
            QPolygonF([QPointF(10, 1), QPointF(19, 10), QPointF(10, 19), QPointF(1, 10)])
        )
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(6, 6, 8, 8)
    painter.end()
    return QIcon(pixmap)


def say(label: QLabel, text: str, *, problem: bool = True) -> None:
    """A message beside what it is about: a problem (bold dark red behind a bar, as the
    kiosk's :func:`~kiosk.ui.screens.show_problem`) or news that something worked."""
    label.setObjectName("message" if problem else "done")
    show_problem(label, text if problem else "")
    if not problem:
        label.setText(text)


def plain_words(text: str, name: str = "hint") -> QLabel:
    """A label of plain text (never read as markup) that wraps, named for the theme."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label
