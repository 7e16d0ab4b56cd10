"""Pseudo-localisation: every word that goes through ``tr()`` comes out accented and longer.

``Ňéxţ`` for ``Next``, in brackets and about 40% longer: words that went
through Qt's translation are still readable, words that did not (forgotten
``tr()``, text built in Python) stand out unaccented, and a screen too tight for
longer languages shows clipped brackets. Switched on with
``KIOSK_PSEUDO_LOCALE=1`` or the ``pseudo`` language code
(:mod:`kiosk.ui.translations`; i18n/README.md).

What the program fills in or Qt interprets is kept exactly: placeholders
(``%1``, ``%L1``, ``%n``, ``{name}``), ``&`` mnemonics with their letter, and
HTML tags and entities.
"""

from __future__ import annotations

import math
import os
import re

from PySide6.QtCore import QTranslator

PSEUDO = "pseudo"
"""The language code that stands for pseudo-localised English."""
ENVIRONMENT_VARIABLE = "KIOSK_PSEUDO_LOCALE"
EXPANSION = 0.4
"""Translations run longer than English; Welsh and Polish often by a third or more."""
PAD = "~"

_ACCENTED = str.maketrans(
    "ABCDEGHIJKLNOPRSTUWYZabcdeghijklnoprstuwyz",
    "ÅƁÇĐÉĜĤÎĴĶĹŇÖÞŘŠŢÛŴÝŽåƀçđéĝĥîĵķĺñöþŕšţûŵýž",
)
# Left exactly as written: placeholders, mnemonics (and a literal "&&"), tags, entities.
_KEPT = re.compile(
    r"%L?\d+|%L?n"  # %1, %L1, %n, %Ln
    r"|\{[A-Za-z_]\w*\}"  # {name}
    r"|<[^<>]*>"  # <b>, </a>, <br/>
    r"|&#?\w+;"  # &amp; &#160;
    r"|&&|&\w"  # "&&" is a literal ampersand; "&N" underlines N
)


def wanted(environ: dict[str, str] | None = None) -> bool:
    """Whether the environment asks for pseudo-localisation (``KIOSK_PSEUDO_LOCALE=1``)."""
    value = (os.environ if environ is None else environ).get(ENVIRONMENT_VARIABLE, "")
    return value.strip().lower() not in ("", "0", "false", "no", "off")


def pseudo_localise(text: str) -> str:
    """``Next`` -> ``[Ňéxţ ~~]``: accented, about 40% longer, in brackets.

    Placeholders, mnemonics, tags and entities pass through unchanged."""
    if not text:
        return text
    parts: list[str] = []
    shown = 0  # characters a reader sees, for the padding
    end = 0
    for kept in _KEPT.finditer(text):
        plain = text[end : kept.start()]
        parts += [plain.translate(_ACCENTED), kept.group()]
        shown += len(plain) + (1 if kept.group().startswith("&") else 0)
        end = kept.end()
    plain = text[end:]
    parts.append(plain.translate(_ACCENTED))
    shown += len(plain)
    padding = PAD * max(2, math.ceil(shown * EXPANSION))
    return f"[{''.join(parts)} {padding}]"


class PseudoTranslator(QTranslator):
    """A translator for every context whose translation is the pseudo-localised source."""

    def translate(
        self,
        context: str,
        sourceText: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str | None:
        return pseudo_localise(sourceText) if sourceText else None

    def isEmpty(self) -> bool:
        # An empty translator is skipped by installTranslator's language-change event.
        return False

    def language(self) -> str:
        return PSEUDO
