"""Errors raised by the questionnaire engine (the tree is drawn in ``kiosk.engine``).

All of them are *known* errors: bad input that a person can fix, each carrying
a plain message that says what was wrong and where. Anything else escaping the
engine is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.errors import KnownError


class EngineError(KnownError):
    """Base class for every known error of the questionnaire engine."""


@dataclass(frozen=True, order=True)
class Problem:
    """One fault in a form or pathway file, located to a line (1-based)."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class FormError(EngineError):
    """A form or pathway file is invalid. ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class AnswerError(EngineError):
    """An answer the form does not allow.

    ``code`` is a stable machine-readable reason (``unknown_item``,
    ``not_an_option``, ``out_of_range``, ``disabled``, ...) that a screen can
    translate; ``message`` is the plain English version naming the item.
    """

    def __init__(self, item_id: str, code: str, message: str) -> None:
        self.item_id = item_id
        self.code = code
        self.message = message
        super().__init__(f"{item_id}: {message}")


class UnknownFormError(EngineError):
    """No form with that id (and version) is loaded."""


class LicenceRequiredError(EngineError):
    """A form that needs a site licence reference was used without one."""
