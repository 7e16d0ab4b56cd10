"""How sessions were finished, for the board report's funnel: the tablet alone, with a
member of staff (assisted), or on paper keyed in by staff.

The anonymised CSV's ``route`` column (docs/exports.md) says which. Each route is a
step of the funnel (``ROUTE_STEPS``), counted over completed sessions for everyone,
each IMD quintile and each ethnic group, so a service can see whether the routes
that are not the tablet reach the people the tablet misses. An export made before
the column existed has only tablet sessions: a missing column counts as ``tablet``.
"""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.vocabulary import ASSISTED, ENTRY_ROUTES, PAPER, TABLET

ROUTE_COLUMN = "route"
# (funnel step key, label, what it counts) for each route, in the order printed.
ROUTE_STEPS: tuple[tuple[str, str, str], ...] = (
    (
        "completed_tablet",
        "Completed on the tablet alone",
        "completed sessions the patient did on the tablet alone (route = tablet)",
    ),
    (
        "completed_assisted",
        "Completed with staff",
        "completed sessions a member of staff did with the patient (route = assisted)",
    ),
    (
        "completed_paper",
        "Completed on paper",
        "paper forms filled in and keyed in by staff (route = paper)",
    ),
)
STEP_OF_ROUTE: dict[str, str] = dict(
    zip((TABLET, ASSISTED, PAPER), (key for key, _l, _c in ROUTE_STEPS), strict=True)
)
assert set(STEP_OF_ROUTE) == set(ENTRY_ROUTES)  # every route the clinic stores has a step


def route_step(row: Mapping[str, str]) -> str | None:
    """The funnel step key of the row's route; None for a value that is not a route."""
    value = row.get(ROUTE_COLUMN)
    route = TABLET if value is None else str(value).strip()
    return STEP_OF_ROUTE.get(route)
