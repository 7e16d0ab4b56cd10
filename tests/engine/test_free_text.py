"""Free text keeps no invisible format characters: nothing a patient types can make
staff read it in another order than it was typed, or hide a number from the scrub."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.engine import Form
from kiosk.engine.answers import without_format_characters

from .conftest import FormWriter

pytestmark = pytest.mark.security
SOME = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TODAY = dt.date(2024, 6, 15)
FORM = """\
items:
  - id: name
    type: short_text
    text: {en: "Name?"}
  - id: story
    type: long_text
    text: {en: Tell us}
"""
FORMAT_CHARACTERS = [
    *(chr(c) for c in range(0x202A, 0x202F)),  # bidirectional embeddings and overrides
    *(chr(c) for c in range(0x2066, 0x206A)),  # bidirectional isolates
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space
    "\u00ad",  # soft hyphen
    "\U000e0041",  # a tag character
]


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> Form:
    folder: Path = tmp_path_factory.mktemp("forms")
    return FormWriter(folder).load(FORM)


@pytest.mark.control("H-21-C2")
@pytest.mark.parametrize("invisible", FORMAT_CHARACTERS)
@pytest.mark.parametrize("item_id", ["name", "story"])
def test_every_format_character_is_removed(form: Form, item_id: str, invisible: str) -> None:
    assert unicodedata.category(invisible) == "Cf"
    typed = f"NHS 943{invisible}476{invisible}5919, Ann{invisible} Smith"
    assert form.normalise(item_id, typed, today=TODAY) == "NHS 9434765919, Ann Smith"


@pytest.mark.control("H-21-C2")
def test_text_reads_as_it_is_stored(form: Form) -> None:
    # Shown with the override, this reads "I feel safe at home"; staff now read what was typed.
    typed = "I feel \u202eemoh ta efasnu\u202c"
    assert form.normalise("story", typed, today=TODAY) == "I feel emoh ta efasnu"


def test_joiners_that_shape_a_word_stay(form: Form) -> None:
    urdu = "میں\u200cنے"  # the non-joiner keeps these two Urdu words' letters apart
    bengali = "র\u200d্যাব"  # the joiner makes a ya-phala
    arabic = "لا\u200dم"
    for text in (urdu, bengali, arabic):
        assert form.normalise("story", text, today=TODAY) == unicodedata.normalize("NFC", text)
    # ... but not between digits or Latin letters, where they only hide things.
    assert form.normalise("story", "9\u200d4\u200c3 a\u200db", today=TODAY) == "943 ab"
    assert form.normalise("story", "\u200cمیں\u200c", today=TODAY) == "میں"


@given(st.text(max_size=60))
@SOME
def test_no_format_character_survives_outside_a_shaped_word(text: str) -> None:
    cleaned = without_format_characters(text)
    for i, ch in enumerate(cleaned):
        if unicodedata.category(ch) == "Cf":
            assert ch in "\u200c\u200d", repr(cleaned)
            assert 0 < i < len(cleaned) - 1
            assert unicodedata.category(cleaned[i - 1])[0] in "LM"
            assert unicodedata.category(cleaned[i + 1])[0] in "LM"
    assert without_format_characters(cleaned) == cleaned
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    assert "".join(ch for ch in cleaned if unicodedata.category(ch) != "Cf") == visible


@given(text=st.text(max_size=80))
@SOME
def test_a_normalised_answer_normalises_to_itself(form: Form, text: str) -> None:
    # The clinic normalises again what the tablet already did: the same text comes out.
    for item_id in ("name", "story"):
        once = form.normalise(item_id, text, today=TODAY)
        if once is not None:
            assert form.normalise(item_id, once, today=TODAY) == once
