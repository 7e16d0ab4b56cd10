"""Wording the engine supplies itself, so each form need not repeat it.

The answers of a ``yes_no`` item and the "I don't want to answer" choice are
the same on every form. Each language a form declares must have them here;
``kiosk forms check`` says so when one is missing.

English is the source. The other languages are drafts, like the forms'
translations, and use the words of i18n/glossary-forms.md: Welsh has no single
word for "yes" and "no" (the answer echoes the question's verb), so the
general "Ie" / "Na" stand for every question until a translator decides
otherwise. Urdu verbs change with the speaker's gender: both forms are given.
"""

from __future__ import annotations

from types import MappingProxyType

STANDARD_OPTION_TEXT = MappingProxyType(
    {
        "en": MappingProxyType({"yes": "Yes", "no": "No", "prefer_not": "I don't want to answer"}),
        "cy": MappingProxyType({"yes": "Ie", "no": "Na", "prefer_not": "Dydw i ddim eisiau ateb"}),
        "pl": MappingProxyType({"yes": "Tak", "no": "Nie", "prefer_not": "Nie chcę odpowiadać"}),
        "ur": MappingProxyType(
            {"yes": "ہاں", "no": "نہیں", "prefer_not": "میں جواب نہیں دینا چاہتا/چاہتی"}
        ),
        "bn": MappingProxyType({"yes": "হ্যাঁ", "no": "না", "prefer_not": "আমি উত্তর দিতে চাই না"}),
        "ar": MappingProxyType({"yes": "نعم", "no": "لا", "prefer_not": "لا أريد أن أجيب"}),
    }
)


def option_text(code: str, language: str) -> str | None:
    """Standard text for ``yes``, ``no`` or ``prefer_not`` in ``language``."""
    texts = STANDARD_OPTION_TEXT.get(language)
    return None if texts is None else texts.get(code)
