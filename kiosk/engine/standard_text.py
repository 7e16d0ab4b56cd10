"""Wording the engine supplies itself, so each form need not repeat it.

The answers of a ``yes_no`` item and the "I don't want to answer" choice are
the same on every form. Each language a form declares must have them here;
``kiosk forms check`` says so when one is missing.
"""

from __future__ import annotations

from types import MappingProxyType

STANDARD_OPTION_TEXT = MappingProxyType(
    {
        "en": MappingProxyType({"yes": "Yes", "no": "No", "prefer_not": "I don't want to answer"}),
    }
)


def option_text(code: str, language: str) -> str | None:
    """Standard text for ``yes``, ``no`` or ``prefer_not`` in ``language``."""
    texts = STANDARD_OPTION_TEXT.get(language)
    return None if texts is None else texts.get(code)
