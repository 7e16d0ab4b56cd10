"""Page furniture shared by the PDFs: "Page N of M", and building to bytes."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas  # type: ignore[import-untyped]
from reportlab.platypus import BaseDocTemplate, Flowable  # type: ignore[import-untyped]


def numbered_canvas(
    draw_total: Callable[[Canvas, int, int], None],
) -> type[Canvas]:
    """A canvas class that calls ``draw_total(canvas, page, pages)`` on every page.

    Pages are held back until the document is complete, so each page can say
    how many there are.
    """

    class NumberedCanvas(Canvas):  # type: ignore[misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            for number, state in enumerate(self._held_pages, start=1):
                self.__dict__.update(state)
                draw_total(self, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build(doc: BaseDocTemplate, story: list[Flowable], canvasmaker: type[Canvas]) -> bytes:
    """Lay out ``story`` in ``doc`` (whose file is a BytesIO) and return the PDF."""
    doc.build(story, canvasmaker=canvasmaker)
    buffer = doc.filename
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue()
