"""Facts read from this installation's forms, for code that is not handed a form library.

The clinic service and the tablet hold a :class:`~kiosk.engine.FormLibrary` and
should pass what it declares (``library.measures()``). A board report made from
CSV files alone, or a caller not yet handed a library, reads the installed forms
(the shipped folder and the site's own) once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from kiosk.engine import FormLibrary
from kiosk.engine.facts import Measure
from kiosk.site.paths import form_dirs


def installed_measures() -> tuple[Measure, ...]:
    """The measures the installed forms declare, in the order patients meet them."""
    return _measures_in(tuple(form_dirs()))


@cache
def _measures_in(folders: tuple[Path, ...]) -> tuple[Measure, ...]:
    return FormLibrary.load(*folders).measures()
