"""Right-to-left ordering for mixed-script lines (a small part of Unicode's UAX #9).

reportlab orders right-to-left text only with the optional ``rlbidi`` package,
which is not on PyPI for every platform, so the PDFs order it here. The unit is
a *piece*: a run of characters in one font and one direction (a word, or part of
a word where the script or direction changes). Within a piece HarfBuzz orders
the glyphs; between pieces this module applies the rules that matter for
patient text:

- W2, W7: numbers after Arabic letters count as Arabic numbers, numbers after
  Latin letters as Latin (left to right);
- N1, N2: spaces and punctuation between two pieces of the same direction take
  that direction, otherwise the paragraph's;
- I1, I2: embedding levels; L2: reversing on each line, highest level first;
- L4: brackets and similar characters drawn right-to-left are mirrored.

Not supported: explicit embedding and isolate controls (``clean_text`` removes
them), and a mixed-direction word without spaces, whose pieces are still
ordered correctly but whose internal neutral characters take the direction of
their own piece.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

# Characters drawn as their mirror image in right-to-left text (UAX #9, L4).
MIRROR = str.maketrans("()[]{}<>«»‹›", ")(][}{><»«›‹")

STRONG_KINDS = ("L", "R", "AL")


def char_kind(char: str) -> str:
    """The bidirectional class of a character, reduced to L, R, AL, EN, AN or N."""
    kind = unicodedata.bidirectional(char)
    if kind in ("L", "R", "AL", "EN", "AN"):
        return kind
    return "N"


def base_direction(text: str, default: str = "ltr") -> str:
    """ "rtl" or "ltr" from the first strong character (UAX #9, P2 and P3)."""
    for char in text:
        kind = char_kind(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return default


def piece_kind(text: str) -> str:
    """The direction class of a piece: its first strong class, else its numbers."""
    kinds = [char_kind(c) for c in text]
    for kind in kinds:
        if kind in STRONG_KINDS:
            return kind
    if "EN" in kinds:
        return "EN"
    if "AN" in kinds:
        return "AN"
    return "N"


def directional_parts(text: str) -> list[str]:
    """Split right-to-left text where numbers start and end.

    Digits inside Arabic-script text run left to right, so a word of Urdu
    letters followed by "12" is two pieces: the letters (shaped right to left)
    and "12" (drawn left to right).
    Separators between digits ("1.5", "10:30") stay with the number. Text
    without right-to-left letters comes back whole.
    """
    kinds = [unicodedata.bidirectional(c) for c in text]
    if not any(k in ("R", "AL") for k in kinds):
        return [text] if text else []
    parts: list[str] = []
    start = 0
    i = 0
    n = len(text)
    while i < n:
        if kinds[i] in ("EN", "AN"):
            j = i + 1
            while j < n:
                if kinds[j] in ("EN", "AN"):
                    j += 1
                elif kinds[j] in ("ES", "CS", "ET") and j + 1 < n and kinds[j + 1] in ("EN", "AN"):
                    j += 2
                else:
                    break
            if i > start:
                parts.append(text[start:i])
            parts.append(text[i:j])
            start = i = j
        else:
            i += 1
    if start < n:
        parts.append(text[start:])
    return parts


def resolve_levels(kinds: Sequence[str], rtl: bool) -> list[int]:
    """Embedding levels of a paragraph's pieces, given each piece's class.

    Whitespace between pieces is passed as "N" too.
    """
    sos = "R" if rtl else "L"
    resolved: list[str] = []
    last_strong = sos
    for kind in kinds:
        if kind in STRONG_KINDS:
            last_strong = kind
            resolved.append("R" if kind == "AL" else kind)
        elif kind == "EN":
            if last_strong == "AL":
                resolved.append("AN")  # W2
            elif last_strong == "L":
                resolved.append("L")  # W7
            else:
                resolved.append("EN")
        elif kind == "AN":
            resolved.append("AN")
        else:
            resolved.append("N")

    def strong(kind: str) -> str:
        return "L" if kind == "L" else "R"

    n = len(resolved)
    i = 0
    while i < n:
        if resolved[i] != "N":
            i += 1
            continue
        j = i
        while j < n and resolved[j] == "N":
            j += 1
        before = strong(resolved[i - 1]) if i > 0 else sos
        after = strong(resolved[j]) if j < n else sos
        direction = before if before == after else sos  # N1, N2
        for k in range(i, j):
            resolved[k] = direction
        i = j

    if rtl:
        return [1 if kind == "R" else 2 for kind in resolved]
    return [0 if kind == "L" else 1 if kind == "R" else 2 for kind in resolved]


def visual_order(levels: Sequence[int]) -> list[int]:
    """Indices of one line's pieces from left to right (UAX #9, L2)."""
    order = list(range(len(levels)))
    odd = [level for level in levels if level % 2]
    if not odd:
        return order
    lowest_odd = min(odd)
    for level in range(max(levels), lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = reversed(order[i:j])
                i = j
            else:
                i += 1
    return order


def mirrored(text: str) -> str:
    return text.translate(MIRROR)
