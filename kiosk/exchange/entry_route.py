"""A session's route record, as the tablet seals it and the clinic reads it.

A member of staff who completes the pathway with a patient on the tablet types
their name or staff username; the session then carries one sealed record,
``kiosk.vocabulary.ROUTE_RECORD``: ``{"route": "assisted", "by": NAME}``. Without
it the patient used the tablet alone. Both ends apply the same rule to the name
here, so a name the tablet accepts is one the clinic stores.
"""

from __future__ import annotations

from typing import Any

from kiosk.vocabulary import ASSISTED, ENTERED_BY_MAX, TABLET


def staff_name(text: Any) -> str | None:
    """``text`` as a staff name: runs of spaces made one, 1 to ENTERED_BY_MAX printable
    characters. None when it is not one (empty, too long, control characters, not text)."""
    if not isinstance(text, str):
        return None
    name = " ".join(text.split())
    if not 1 <= len(name) <= ENTERED_BY_MAX or not name.isprintable():
        return None
    return name


def assisted_record(name: str) -> dict[str, str]:
    """The route record of a session ``name`` completes with the patient."""
    checked = staff_name(name)
    if checked is None:  # the screen checks the name before a session begins
        raise ValueError(f"a staff name is 1 to {ENTERED_BY_MAX} printable characters")
    return {"route": ASSISTED, "by": checked}


def read_route(record: Any) -> tuple[str, str | None] | None:
    """(route, entered by) from a session's route record; (TABLET, None) when there is
    none; None when the record is not one a tablet makes (another route, no name, a
    name that is not one)."""
    if record is None:
        return TABLET, None
    if not isinstance(record, dict) or set(record) != {"route", "by"}:
        return None
    name = staff_name(record["by"])
    if record["route"] != ASSISTED or name is None:
        return None
    return ASSISTED, name
