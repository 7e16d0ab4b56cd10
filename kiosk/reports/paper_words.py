"""The few words a blank paper form adds to the forms' own text, in each language we have.

English is the source. The other languages are drafts, like the forms'
translations, until a qualified translator has checked them. A language that
is not here, or a key a language lacks, falls back to English. The direction
of each language is the take-away sheet's (``sheet_text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from kiosk.reports.fonts import is_plain_latin
from kiosk.reports.sheet_text import sheet_language

ENGLISH = MappingProxyType(
    {
        "name": "Name:",
        "appointment": "Appointment:",
        "tick_one": "Tick one box.",
        "tick_any": "Tick all the boxes that apply.",
        "date": "Day, month, year (DD MM YYYY)",
        "only_some": "You may not need to answer this question: answer it if it applies to you.",
        "page": "Page {page} of {pages}",
        "withheld": "{title}: this questionnaire is answered on the tablet, not on paper.",
    }
)

WORDS: MappingProxyType[str, MappingProxyType[str, str]] = MappingProxyType(
    {
        "en": ENGLISH,
        # Drafts, written for the product: a translator must check them.
        "cy": MappingProxyType(
            {
                "name": "Enw:",
                "appointment": "Apwyntiad:",
                "tick_one": "Ticiwch un blwch.",
                "tick_any": "Ticiwch bob blwch sy'n berthnasol.",
                "date": "Diwrnod, mis, blwyddyn (DD MM BBBB)",
                "only_some": (
                    "Efallai na fydd angen i chi ateb y cwestiwn hwn: atebwch os yw'n "
                    "berthnasol i chi."
                ),
                "page": "Tudalen {page} o {pages}",
            }
        ),
        "pl": MappingProxyType(
            {
                "name": "Imię i nazwisko:",
                "appointment": "Wizyta:",
                "tick_one": "Zaznacz jedno pole.",
                "tick_any": "Zaznacz wszystkie pasujące pola.",
                "date": "Dzień, miesiąc, rok (DD MM RRRR)",
                "page": "Strona {page} z {pages}",
            }
        ),
    }
)


@dataclass(frozen=True)
class PaperWords:
    language: str
    direction: str  # "ltr" or "rtl"
    words: MappingProxyType[str, str]

    def text(self, key: str) -> str:
        return self.words.get(key) or ENGLISH[key]

    @property
    def latin(self) -> bool:
        """Whether the page number can be drawn in words (in the Latin font)."""
        return is_plain_latin(self.text("page"))


def paper_words(language: str) -> PaperWords:
    base = language.strip().lower().replace("_", "-").split("-")[0]
    return PaperWords(base, sheet_language(base).direction, WORDS.get(base, ENGLISH))
