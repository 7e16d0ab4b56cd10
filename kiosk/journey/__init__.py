"""A patient's journey through a clinic's pathway of forms.

The kiosk screens and ``kiosk simulate`` both drive a :class:`Journey`: it
checks each answer with the questionnaire engine, saves it sealed and durably
through the tablet store, applies skip logic (withdrawing answers that no
longer apply) and, at the end, scores the forms and seals the submission.

The journey's one known error is the patient's own typing, when linking them to
today's clinic list (errors of the forms and of the store below are the engine's
and the store's own)::

    kiosk.errors.KnownError
    └── LinkError      a number or date that cannot be used (kiosk.journey.linking);
                       ``code`` lets a screen show its own translated words
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kiosk.journey.journey import Journey, Outcome

__all__ = ["Journey", "Outcome"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: the kiosk's first screen reads kiosk.journey.session_start,
    # and the journey itself needs the store (SQLAlchemy), which loads after that screen.
    if name in __all__:
        from kiosk.journey import journey

        return getattr(journey, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
