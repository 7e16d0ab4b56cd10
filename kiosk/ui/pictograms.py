"""Small pictures beside words, for patients who read little or none of any script.

Each is drawn with QPainter in the colour of the text beside it (the palette the
theme's style sheet sets), so it follows the high-contrast look and needs no
icon font: the bundled fonts have no such symbols, and the tablet's own may not.
A pictogram never stands alone: it always comes with words.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPaintEvent, QPen, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

SPEAKER = "speaker"
GLOBE = "globe"


def draw(painter: QPainter, kind: str, box: QRectF, colour: QColor) -> None:
    """Draw pictogram ``kind`` to fill the square ``box``."""
    side = min(box.width(), box.height())
    unit = side / 24  # drawn on a 24 x 24 grid
    left = box.left() + (box.width() - side) / 2
    top = box.top() + (box.height() - side) / 2

    def at(x: float, y: float) -> QPointF:
        return QPointF(left + x * unit, top + y * unit)

    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(colour, 2 * unit, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    if kind == SPEAKER:
        body = QPainterPath(at(3, 9))
        for x, y in ((7, 9), (13, 4), (13, 20), (7, 15), (3, 15)):
            body.lineTo(at(x, y))
        body.closeSubpath()
        painter.fillPath(body, colour)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for radius in (4.0, 8.0):  # two sound waves
            arc = QRectF(at(13 - radius, 12 - radius), at(13 + radius, 12 + radius))
            painter.drawArc(arc, -45 * 16, 90 * 16)
    elif kind == GLOBE:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(QRectF(at(2, 2), at(22, 22)))
        painter.drawEllipse(QRectF(at(7.5, 2), at(16.5, 22)))
        painter.drawLine(at(2, 12), at(22, 12))
        painter.drawLine(at(12, 2), at(12, 22))
    else:
        raise ValueError(f"no pictogram {kind!r}")
    painter.restore()


def icon(kind: str, colour: QColor, size: int) -> QIcon:
    """A button icon: pictogram ``kind`` in ``colour``, ``size`` pixels square."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    draw(painter, kind, QRectF(0, 0, size, size), colour)
    painter.end()
    return QIcon(pixmap)


class Pictogram(QWidget):
    """A pictogram as tall as a line of the text around it, in that text's colour."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        side = round(self.fontMetrics().height() * 1.2)
        return QSize(side, side)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        colour = self.palette().color(self.foregroundRole())
        draw(painter, self.kind, QRectF(self.rect()), colour)
        painter.end()
