"""Saving a PDF to disk without ever leaving half a file behind."""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.site.files import write_atomically


def write_pdf(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and return the path.

    A reader sees the old file or the new one, never a partial PDF
    (:func:`kiosk.site.files.write_atomically`). The file is readable by its owner
    only, as it holds patient information.
    """
    return write_atomically(path, data)
