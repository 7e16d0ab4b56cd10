"""Cells of every CSV the product writes, defused against spreadsheet formulas.

A spreadsheet opening a CSV runs a cell that starts with ``=``, ``+``, ``-`` or
``@`` (also after leading spaces), or with a tab or carriage return, as a
formula: ``=HYPERLINK("http://...")`` in a pathway name a compromised tablet
sent would become a link in an analyst's sheet. Every CSV writer (the
anonymised export, the appointments CSV, the board report) passes each cell
through ``safe_cell``, which puts an apostrophe in front of such text. Numbers
stay numbers: an ``int`` or ``float`` is left alone, and so is text that is a
plain number (``-3``, ``+1.5``, ``-2e3``), so negative figures keep working.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_START = ("=", "+", "-", "@")
_CONTROL_START = ("\t", "\r")
# A cell whose first character is none of these, nor a space, is safe as it stands.
RISKY_FIRST = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet will run: risky text gets a leading ``'``."""
    if not isinstance(value, str):
        return value
    # Most cells: one look at the first character (a million-row export has 60 million).
    if not value or (value[0] not in RISKY_FIRST and not value[0].isspace()):
        return value
    if value.startswith(_CONTROL_START):
        return "'" + value
    stripped = value.lstrip()
    if stripped.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(stripped.rstrip()):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    """Every cell of a ``csv.writer`` row through ``safe_cell``."""
    return [safe_cell(cell) for cell in row]


def safe_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    """Every value of a ``csv.DictWriter`` row through ``safe_cell``."""
    return {column: safe_cell(value) for column, value in row.items()}
